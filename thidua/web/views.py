from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from thidua.awards.services import pending_task_counts
from thidua.history.years import year_under_review
from thidua.movements.tasks import movement_task_counts
from thidua.notices.services import unread_count
from thidua.org.filters import AuditFilter
from thidua.org.headcount import scope_counts
from thidua.org.kinds import codes_at_level, describe, kinds_of
from thidua.org.models import Person, Unit
from thidua.org.organisation import current_organisation, is_set_up
from thidua.org.permissions import (
    can_import,
    own_person_id,
    scope_paths,
    sees_whole_organisation,
    visible_audit_entries,
    visible_units,
)

RECENT_ENTRIES = 8


def _people_by_province(people_paths: dict[str, int], provinces: list[Unit]) -> list[tuple[Unit, int]]:
    """Sum people counts by unit path into their province (a prefix of the path), largest first:
    each path looks up its own prefixes (`/1/`, `/1/16/`, `/1/16/102/`), not every province."""
    totals = {province.path: 0 for province in provinces}
    for path, n in people_paths.items():
        end = path.find("/", 1)
        while end != -1:
            prefix = path[: end + 1]
            if prefix in totals:
                totals[prefix] += n
            end = path.find("/", end + 1)
    rows = [(province, totals[province.path]) for province in provinces]
    return sorted(rows, key=lambda row: (-row[1], row[0].name_folded))


TODO_LABELS = {
    "approve_registration": ("Đăng ký thi đua chờ duyệt", "movements:list"),
    "revise_registration": ("Đăng ký thi đua bị trả lại", "movements:list"),
    "review_result": ("Kết quả chờ thẩm định", "movements:list"),
    "explain_result": ("Kết quả đã thẩm định, cần xem, giải trình", "movements:list"),
    "submit": ("Hồ sơ khen thưởng cần hoàn thiện, trình", "awards:index"),
    "revise": ("Hồ sơ khen thưởng bị trả lại", "awards:index"),
    "appraise": ("Hồ sơ khen thưởng chờ thẩm định", "awards:index"),
    "decide": ("Hồ sơ đã thẩm định chờ quyết định", "awards:index"),
    "rate": ("Đơn vị chưa xếp loại đủ", "awards:index"),
    "vote": ("Phiếu bầu hội đồng chưa bỏ", "awards:index"),
}


def todo_counts(user: Any, request: HttpRequest | None = None) -> list[dict[str, Any]]:
    """ "Việc cần làm" of every role, counted by kind, with where to go: movements, year-end, inbox.
    Counted, not listed (`movement_task_counts`, `pending_task_counts`: the same rules as the lists
    of `movement_tasks` and `pending_tasks`), and never kept between requests: a user sees their own
    action at once."""
    rows: list[dict[str, Any]] = []
    if getattr(user, "is_authenticated", False):
        by_kind = {**movement_task_counts(user), **pending_task_counts(user, year_under_review(user))}
    else:
        by_kind = {}
    for kind, (label, url_name) in TODO_LABELS.items():
        counted = by_kind.get(kind)
        if counted:
            url = counted.url
            if url is None:
                url = reverse(url_name) + ("#viec-can-lam" if url_name == "awards:index" else "")
            rows.append({"label": label, "count": counted.count, "url": url, "overdue": counted.overdue})
    unread = unread_count(user)
    if request is not None:
        request.unread_notices = unread  # type: ignore[attr-defined]  # the menu's count too
    if unread:
        rows.append(
            {
                "label": "Thông báo chưa đọc",
                "count": unread,
                "url": reverse("notices:inbox") + "?chua_doc=1",
                "overdue": False,
            }
        )
    return rows


def home(request: HttpRequest) -> HttpResponse:
    """The home page: on an empty database the first-run page; otherwise, signed in, the dashboard
    (counts within the user's scope, people by province-level unit for the whole organisation,
    recent entries)."""
    if not request.user.is_authenticated:
        if not is_set_up():
            return redirect("setup:first_run")
        return redirect_to_login(request.get_full_path())
    return _dashboard(request)


def _dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    active_units = visible_units(user).filter(valid_to__isnull=True)
    organisation = current_organisation()
    kinds = kinds_of(organisation)
    units_by_kind = [
        (describe(kind, kinds).label, n)
        for kind, n in active_units.values_list("kind").annotate(n=Count("id")).order_by("-n", "kind")
    ]
    gender_labels = dict(Person.Gender.choices)
    # Counted once for the whole table and kept until a person changes (thidua/org/headcount.py).
    gender_counts, paths = scope_counts(user)
    people_by_gender = [(gender_labels.get(g, g), n) for g, n in sorted(gender_counts.items()) if n]
    by_province: list[tuple[Unit, int]] = []
    by_label = "Nhân sự theo đơn vị cấp tỉnh"
    whole = sees_whole_organisation(user)
    if whole:
        # The units of province level in the organisation's sector (BHXH tỉnh; sở, ban, ngành); an
        # organisation with fewer of them (a sở and its schools, a company) counts by the units
        # directly under its root instead.
        # Only what the table shows and sorts by (63 provinces: the other columns cost 1 ms to load).
        shown = ("pk", "name", "name_folded", "path")
        provinces = list(
            active_units.filter(kind__in=codes_at_level("tinh", organisation), parent__isnull=False)
            .only(*shown)
            .order_by("name")
        )
        if len(provinces) < 2:
            provinces = list(
                active_units.filter(parent__parent__isnull=True, parent__isnull=False)
                .only(*shown)
                .order_by("name")
            )
            by_label = "Nhân sự theo đơn vị trực thuộc"
        if provinces:
            by_province = _people_by_province(paths, provinces)
    # The heading names what the figures count: the organisation, or the units of the user's own scope.
    if whole:
        scope_name = organisation.root.name if organisation else ""
    else:
        scope_name = ", ".join(
            Unit.objects.filter(path__in=scope_paths(user)).order_by("path").values_list("name", flat=True)
        )
    context = {
        "scope_name": scope_name,
        "todo": todo_counts(user, request),
        "unit_count": sum(n for _, n in units_by_kind),
        "people_count": sum(n for _, n in people_by_gender),
        "units_by_kind": units_by_kind,
        "people_by_gender": people_by_gender,
        "organisation": organisation,
        "whole_organisation": whole,
        "people_by_label": by_label,
        "can_import": can_import(user),
        "own_person_id": own_person_id(user),
        "people_by_province": by_province,
        "province_max": max((n for _, n in by_province), default=0),
        # Logins would crowd out the changes; the full log has them.
        "recent_entries": list(
            visible_audit_entries(user)
            .exclude(action="account.login")
            .order_by("-created_at", "-id")[:RECENT_ENTRIES]
        ),
    }
    return render(request, "web/home.html", context)


ENTRIES_PER_PAGE = 50


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    """The audit log within the user's scope, filterable by action and date range."""
    entry_filter = AuditFilter(request.GET, queryset=visible_audit_entries(request.user), request=request)
    entries = entry_filter.qs.order_by("-created_at", "-id")
    page = Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "web/audit_list.html", {"filter": entry_filter, "page": page})
