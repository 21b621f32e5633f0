from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, F, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from thidua.core.http import no_store
from thidua.core.paging import estimated_matches, page_number, paginate, paginate_known
from thidua.lib.text import fold, name_words
from thidua.org import pickers
from thidua.org.filters import PersonFilter
from thidua.org.forms import AddMembersForm
from thidua.org.headcount import subtree_count
from thidua.org.models import Person, ReorgEvent, ReorgLink, Unit
from thidua.org.permissions import (
    can_change_person,
    can_change_unit,
    can_import,
    can_view_unit,
    get_cluster_for_user,
    get_person_for_user,
    get_unit_for_user,
    manageable_people,
    own_person_id,
    sees_whole_organisation,
    visible_clusters,
    visible_people,
    visible_units,
)
from thidua.org.privacy import can_see_personal_data, log_personal_data, manages_people_somewhere
from thidua.org.services import predecessors, successors
from thidua.org.tree import UnitNode, build_tree, sibling_key

UNIT_PEOPLE_SHOWN = 25
# What a row of a people list shows (`org/partials/person_rows.html`, the unit page's people).
LIST_COLUMNS = (
    "full_name",
    "citizen_id",
    "gender",
    "current_title",
    "left_on",
    "current_unit__name",
    "current_unit__depth",
    "current_unit__parent__name",
)
# Above this many units the tree page holds its first levels only and loads the rest on demand.
TREE_LAZY_THRESHOLD = 300
PEOPLE_PER_PAGE = 50
RANKED_MATCHES = 5000
# A search matching more people than this (as the planner expects) is listed by reading the sort-key
# index in order: its matches are dense enough for a page to come quickly. Fewer are found through
# the name index and sorted (`PersonQuerySet.vietnamese_order`).
ORDERED_READ_MATCHES = 20_000


def _wants_partial(request: HttpRequest) -> bool:
    """An htmx swap wants the partial; htmx restoring history after a cache miss needs the whole page."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def _unit_tree(
    user: Any, *, show_ended: bool, needle: str, parent: Unit | None
) -> tuple[list[UnitNode], int, int]:
    """(roots, matches, unit count) of the user's tree, or of `parent`'s subtree: three queries."""
    units = visible_units(user)
    people = visible_people(user).filter(current_unit__isnull=False)
    if not show_ended:
        units = units.filter(valid_to__isnull=True)
    if parent is not None:
        units = units.filter(path__startswith=parent.path)
        people = people.filter(current_unit__path__startswith=parent.path)
    unit_list = list(units.order_by("path"))
    people_counts = dict(
        people.values_list("current_unit").annotate(n=Count("id")).values_list("current_unit", "n")
    )
    successor_map: dict[int, list[tuple[Unit, bool]]] = defaultdict(list)
    ended_ids = [u.pk for u in unit_list if u.valid_to is not None]
    if ended_ids:
        links = (
            ReorgLink.objects.filter(predecessor_id__in=ended_ids)
            .exclude(successor_id=F("predecessor_id"))  # renames and moves link a unit to itself
            .select_related("successor")
            .order_by("successor__name")
        )
        for link in links:
            successor_map[link.predecessor_id].append((link.successor, can_view_unit(user, link.successor)))
    roots, matches = build_tree(
        unit_list,
        people_counts=people_counts,
        successors=successor_map,
        needle=needle,
        open_depth=1 if parent is None else 0,
        lazy=not needle and len(unit_list) > TREE_LAZY_THRESHOLD,
    )
    return roots, matches, len(unit_list)


@login_required
def unit_tree(request: HttpRequest) -> HttpResponse:
    """The organisation tree within the user's scope: active units, ended ones (with successors) on request.

    One URL, three renderings: the page; for htmx (search as you type) the tree alone; for htmx with
    `parent` (a node of a large tree being opened) that unit's child nodes.
    """
    show_ended = request.GET.get("all") == "1"
    q = request.GET.get("q", "").strip()
    parent = None
    if request.GET.get("parent", "").isdigit() and _wants_partial(request):
        parent = get_unit_for_user(request.user, int(request.GET["parent"]))
    roots, matches, total = _unit_tree(request.user, show_ended=show_ended, needle=fold(q), parent=parent)
    if parent is not None:
        children = roots[0].children if roots else []
        return render(
            request, "org/partials/unit_children.html", {"nodes": children, "show_ended": show_ended}
        )
    context = {
        "roots": roots,
        "q": q,
        "show_ended": show_ended,
        "matches": matches,
        "unit_total": total,
        "can_add": can_import(request.user),
    }
    template = "org/partials/unit_tree_body.html" if _wants_partial(request) else "org/unit_tree.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@no_store
@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One unit: facts, ancestors, children, people of its subtree, clusters, and its whole lineage."""
    user = request.user
    unit = get_unit_for_user(user, pk)
    scoped_units = visible_units(user)
    ancestors = list(scoped_units.filter(pk__in=unit.ancestor_ids()).order_by("path"))
    children = sorted(
        scoped_units.filter(parent=unit).annotate(child_count=Count("children")),
        key=sibling_key,
    )
    subtree_people = (
        visible_people(user)
        .in_subtree(unit)
        .select_related("current_unit__parent")
        .only(*LIST_COLUMNS)
        .vietnamese_order()
    )
    people_count = subtree_count(unit)  # everyone under a unit one sees is in one's scope
    clusters = list(
        unit.cluster_memberships.select_related("cluster", "cluster__head_unit")
        .annotate(size=Count("cluster__memberships"))
        .order_by("-cluster__year", "cluster__name")
    )
    events = list(
        ReorgEvent.objects.filter(Q(links__predecessor=unit) | Q(links__successor=unit))
        .distinct()
        .prefetch_related(
            Prefetch("links", queryset=ReorgLink.objects.select_related("predecessor", "successor"))
        )
        .order_by("-effective_on", "-id")
    )
    # Lineage links belong to events that name the unit: with none (most units), no walk to make.
    lineage = predecessors(unit) if events else []
    heirs = successors(unit) if unit.valid_to is not None and events else []
    # Lineage may cross the user's scope (a merger of two provinces): names are shown, links only in scope.
    linkable = {u.pk for u, _ in [*lineage, *heirs] if can_view_unit(user, u)}
    for event in events:
        for link in event.links.all():
            for u in (link.predecessor, link.successor):
                if can_view_unit(user, u):
                    linkable.add(u.pk)
    context = {
        "unit": unit,
        "ancestors": ancestors,
        "children": children,
        "people": list(subtree_people[:UNIT_PEOPLE_SHOWN]),
        "people_count": people_count,
        "clusters": clusters,
        "predecessors": [(u, e) for u, e in lineage if u.pk != unit.pk],
        "successors": heirs,
        "events": events,
        "linkable": linkable,
        "can_change": can_change_unit(user, unit),
    }
    return render(request, "org/unit_detail.html", context)


def _people_in_order(ids: Sequence[int]) -> list[Person]:
    """The people of a page of ranked ids, read by id alone: the ids come from the filtered matches
    (filtering again would make PostgreSQL intersect the name index with the ids)."""
    found = Person.objects.select_related("current_unit__parent").only(*LIST_COLUMNS).in_bulk(list(ids))
    return [found[pk] for pk in ids if pk in found]


@no_store
@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    """People in scope: diacritic-insensitive search (best matches first), unit subtree and gender
    filters, Vietnamese order.

    One URL, two renderings: an htmx request (search as you type, paging) gets the rows partial only.
    Pages are read without counting every match (`thidua.core.paging`): the list may be a million.
    """
    # Only the columns the rows show: fifty people with their units are built on every page.
    base = visible_people(request.user).select_related("current_unit__parent").only(*LIST_COLUMNS)
    person_filter = PersonFilter(request.GET, queryset=base, request=request)
    q = request.GET.get("q", "")
    matches = person_filter.qs
    unfiltered = not any(request.GET.get(k, "").strip() for k in ("q", "unit", "gender"))
    searched = bool(name_words(q)) and not fold(q).replace(" ", "").isdigit()
    # Ranking sorts every match: done up to RANKED_MATCHES of them, from one read of their ids,
    # relevance and sort keys; a search matching more (a family name alone) lists them in Vietnamese
    # order, read from the sort-key index page by page when they are many, else found and sorted.
    number = page_number(request.GET.get("page"))
    found = (
        matches.ranked_page(q, RANKED_MATCHES, (number - 1) * PEOPLE_PER_PAGE, PEOPLE_PER_PAGE)
        if searched
        else None
    )
    ranked = found is not None
    if found is not None:
        ids, total = found
        page = paginate_known(_people_in_order(ids) if ids else [], number, PEOPLE_PER_PAGE, total)
    else:
        people = matches.vietnamese_order()
        estimate = estimated_matches(matches) if searched else None  # None on SQLite
        if estimate is not None and estimate < ORDERED_READ_MATCHES:
            people = matches.vietnamese_order(from_index=False)
        page = paginate(
            people,
            request.GET.get("page"),
            PEOPLE_PER_PAGE,
            whole_table=unfiltered and sees_whole_organisation(request.user),
            counted=(RANKED_MATCHES, True) if searched else None,
        )
    template = "org/partials/person_rows.html" if _wants_partial(request) else "org/person_list.html"
    context = {
        "filter": person_filter,
        "page": page,
        "ranked": ranked,
        "too_many_to_rank": searched and not ranked,
        "can_add": manages_people_somewhere(request.user),
    }
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])  # one URL, two renderings: caches must tell them apart
    return response


@no_store
@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One person's record: facts, positions, ratings, titles and awards, initiatives, discipline, leave,
    pending proceedings (who manages the person enters and corrects these four there).

    Full personal data (citizen id, birth date, phone, e-mail) only for who manages the person, and
    each such view is logged; everyone else sees the citizen id masked."""
    person = get_person_for_user(request.user, pk)
    full = can_see_personal_data(request.user, person)
    logged = full and own_person_id(request.user) != person.pk
    if logged:
        log_personal_data(request.user, [person], where="Trang hồ sơ nhân sự")
    can_change = can_change_person(request.user, person)
    context = {
        "person": person,
        "full_personal_data": full,
        "personal_data_logged": logged,
        "can_change": can_change,
        "account": person.user if can_change else None,
        "positions": list(person.positions.select_related("unit").order_by("-started_on")),
        "ratings": list(person.ratings.order_by("-year")),
        "awards": list(person.awards.select_related("scan").order_by("-year", "-decided_on")),
        "initiatives": list(person.initiatives.order_by("-year", "code")),
        "disciplines": list(person.disciplines.order_by("-decided_on")),
        "leaves": list(person.leaves.order_by("-started_on")),
        "proceedings": list(person.proceedings.order_by("-since")),
        "can_edit": can_change_person(request.user, person),
    }
    return render(request, "org/person_detail.html", context)


@login_required
def cluster_list(request: HttpRequest) -> HttpResponse:
    """Clusters and blocks of one year (the latest by default) that the user can see."""
    clusters = visible_clusters(request.user)
    years = sorted(set(clusters.values_list("year", flat=True)), reverse=True)
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = years[0] if years else 0
    rows = list(
        clusters.filter(year=year)
        .select_related("organiser_unit", "head_unit")
        .annotate(size=Count("memberships"))
        .order_by("kind", "name")
    )
    context = {"clusters": rows, "years": years, "year": year, "can_add": can_import(request.user)}
    return render(request, "org/cluster_list.html", context)


@login_required
def cluster_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A cluster's members with the head unit; its published rankings are on the movements' page."""
    cluster = get_cluster_for_user(request.user, pk)
    members = sorted(cluster.memberships.select_related("unit"), key=lambda m: m.unit.name_folded)
    linkable = {m.unit_id for m in members if can_view_unit(request.user, m.unit)}
    if cluster.organiser_unit and can_view_unit(request.user, cluster.organiser_unit):
        linkable.add(cluster.organiser_unit.pk)
    can_change = can_change_unit(request.user, cluster.organiser_unit)
    context = {
        "cluster": cluster,
        "members": members,
        "linkable": linkable,
        "can_change": can_change,
        "add_form": AddMembersForm(user=request.user, cluster=cluster) if can_change else None,
    }
    return render(request, "org/cluster_detail.html", context)


# --- The picker's searches (thidua/org/widgets.py) ------------------------------------------------


def _picker_scope(request: HttpRequest) -> tuple[Unit | None, bool, bool]:
    """(within, manage, ended) from the picker's query: `trong` a unit the user sees (404 otherwise),
    `quan_ly=1` managed only, `ca_nghi=1`/`ca_ngung=1` ended ones too."""
    within_id = request.GET.get("trong", "")
    within = get_unit_for_user(request.user, int(within_id)) if within_id.isdigit() else None
    manage = request.GET.get("quan_ly") == "1"
    ended = request.GET.get("ca_nghi") == "1" or request.GET.get("ca_ngung") == "1"
    return within, manage, ended


@no_store
@login_required
def pick_person(request: HttpRequest) -> HttpResponse:
    """Search-as-you-type over the people the user may pick: at most 20 rows (name, position, unit and
    province). Digits search citizen ids only among people the user manages."""
    within, manage, ended = _picker_scope(request)
    q = request.GET.get("q", "")[:100]
    pool = pickers.people_pool(request.user, within=within, manage=manage, ended=ended)
    if request.GET.get("co_tai_khoan") == "1":  # people who have a login (granting a role)
        pool = pool.filter(user__isnull=False)
    digits = fold(q).replace(" ", "").isdigit()
    refused = False
    if digits:
        if manages_people_somewhere(request.user):
            pool = pool.filter(pk__in=manageable_people(request.user).values("pk"))
        else:
            refused = True
    people, more = ([], False) if refused else pickers.search_people(pool, q, citizen_ids=digits)
    context = {
        "items": pickers.person_items(people, request.user),
        "more": more,
        "q": q,
        "digits_refused": refused,
    }
    return render(request, "org/partials/picker_results.html", context)


@no_store
@login_required
def pick_unit(request: HttpRequest) -> HttpResponse:
    """Search-as-you-type over the units the user may pick (`nam=YYYY`: those existing that year)."""
    within, manage, ended = _picker_scope(request)
    year_text = request.GET.get("nam", "")
    year = int(year_text) if year_text.isdigit() and 2000 <= int(year_text) <= 2100 else None
    q = request.GET.get("q", "")[:100]
    pool = pickers.unit_pool(request.user, within=within, manage=manage, ended=ended, year=year)
    units, more = pickers.search_units(pool, q)
    return render(
        request,
        "org/partials/picker_results.html",
        {"items": pickers.unit_items(units, request.user), "more": more, "q": q},
    )
