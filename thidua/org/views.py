from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from thidua.accounts.permissions import get_person_for_user, get_unit_for_user, visible_people, visible_units
from thidua.org.filters import PersonFilter
from thidua.org.services import predecessors, successors


@login_required
def unit_tree(request: HttpRequest) -> HttpResponse:
    """The organisation tree within the user's scope (active units; ended ones on request)."""
    units = visible_units(request.user)
    if request.GET.get("all") != "1":
        units = units.filter(valid_to__isnull=True)
    q = request.GET.get("q", "").strip()
    if q:
        units = units.search(q)
    return render(request, "org/unit_tree.html", {"units": list(units.order_by("path")), "q": q})


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_unit_for_user(request.user, pk)
    children = visible_units(request.user).filter(parent=unit).order_by("name")
    people = visible_people(request.user).filter(current_unit=unit).vietnamese_order()[:200]
    context = {
        "unit": unit,
        "children": children,
        "people": people,
        "predecessors": predecessors(unit),
        "successors": successors(unit),
        "events": unit.successor_links.select_related("event", "successor").order_by("-event__effective_on"),
        "clusters": unit.cluster_memberships.select_related("cluster").order_by("-cluster__year"),
    }
    return render(request, "org/unit_detail.html", context)


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    """People in scope: diacritic-insensitive search, filter by unit (with subtree), Vietnamese order."""
    base = visible_people(request.user).select_related("current_unit")
    person_filter = PersonFilter(request.GET, queryset=base, request=request)
    page = Paginator(person_filter.qs.vietnamese_order(), 50).get_page(request.GET.get("page"))
    template = (
        "org/partials/person_rows.html" if request.headers.get("HX-Request") else "org/person_list.html"
    )
    return render(request, template, {"filter": person_filter, "page": page})


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request.user, pk)
    context = {
        "person": person,
        "positions": person.positions.select_related("unit").order_by("-started_on"),
        "ratings": person.ratings.order_by("-year"),
        "awards": person.awards.order_by("-year", "-decided_on"),
        "initiatives": person.initiatives.order_by("-year"),
    }
    return render(request, "org/person_detail.html", context)
