"""Registration pages: consolidated list (.xlsx), who has not registered, the form, actions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from thidua.core.errors import DomainError
from thidua.core.listing import Column, Sorter
from thidua.core.versioning import current_version, parse_version
from thidua.lib.text import fold
from thidua.movements import achievements, exports, services
from thidua.movements.filters import RegistrationPageFilter
from thidua.movements.forms import (
    RegistrationForm,
)
from thidua.movements.models import (
    Registration,
    participating_units,
)
from thidua.movements.permissions import (
    can_act_for_unit,
    can_edit_registration,
    can_manage_movement,
    can_review_registration,
    get_movement_for_user,
    get_registration_for_user,
    visible_registrations,
)
from thidua.movements.views.common import (
    domain_call,
    xlsx_response,
)
from thidua.org.permissions import get_unit_for_user
from thidua.org.view_helpers import actor_of

# -- registrations --------------------------------------------------------------------------------
REGISTRATION_COLUMNS = [
    Column("unit", "Đơn vị", ("unit__path",)),
    Column("status", "Trạng thái", ("status",)),
    Column("submitted", "Gửi lúc", ("submitted_on",)),
    Column("targets", "Chỉ tiêu"),
    Column("titles", "Danh hiệu"),
]


@login_required
def registration_list(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    """The consolidated list for a year (the units' own rows for a unit), who has not registered, .xlsx."""
    movement = get_movement_for_user(request.user, pk)
    base = visible_registrations(request.user).filter(movement=movement, year=year).select_related("unit")
    page_filter = RegistrationPageFilter(request.GET, queryset=base, request=request)
    sorter = Sorter(request, REGISTRATION_COLUMNS, default="unit")
    registrations = list(sorter.apply(page_filter.qs))
    if request.GET.get("format") == "xlsx":
        data = exports.registrations_xlsx(movement, year, registrations)
        return xlsx_response(data, f"dang-ky-thi-dua-{year}.xlsx")
    rows = [(r, *exports.titles_text(r)) for r in registrations]
    units = participating_units(movement)
    visible_unit_ids = set(
        visible_registrations(request.user).filter(movement=movement).values_list("unit_id", flat=True)
    )
    own = [u for u in units if can_act_for_unit(request.user, u)]
    missing = services.unregistered_units(movement, year)
    if not can_manage_movement(request.user, movement):
        missing = [u for u in missing if u in own or u.pk in visible_unit_ids]
    context = {
        "movement": movement,
        "year": year,
        "rows": rows,
        "missing": missing,
        "own_units": own,
        "deadline": services.registration_deadline(movement, year),
        "filter": page_filter,
        "sorter": sorter,
    }
    return render(request, "movements/registration_list.html", context)


@login_required
def registration_edit(request: HttpRequest, pk: int, year: int, unit_pk: int) -> HttpResponse:
    movement = get_movement_for_user(request.user, pk)
    unit = get_unit_for_user(request.user, unit_pk, write=True)
    existing = Registration.objects.filter(movement=movement, unit=unit, year=year).first()
    record = services.table_for(movement, year, services.cluster_of(unit, year))
    criteria = [(c.code, c.name) for c in services.load_table_record(record).leaves()] if record else []
    initial = RegistrationForm.initial_from(existing) if existing else {}
    initial["version"] = current_version(existing)
    form = RegistrationForm(request.POST or None, criteria=criteria, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.save_registration(
                actor=actor_of(request),
                movement=movement,
                unit=unit,
                year=year,
                targets=form.targets(),
                titles=form.titles(),
                note=form.cleaned_data["note"],
                version=form.seen_version(),
            )
            if "submit" in request.POST:
                services.submit_registration(actor=actor_of(request), registration=registration)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, "Đã gửi đăng ký thi đua" if "submit" in request.POST else "Đã lưu đăng ký"
            )
            return redirect("movements:registration_list", movement.pk, year)
    context = {"movement": movement, "unit": unit, "year": year, "form": form, "registration": existing}
    return render(request, "movements/registration_form.html", context)


@login_required
@require_POST
def registration_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    registration = get_registration_for_user(request.user, pk)
    version = parse_version(request.POST.get("version"))
    if action == "submit":
        if not can_edit_registration(request.user, registration):
            raise PermissionDenied("Bạn không có quyền gửi bản đăng ký này")
        domain_call(
            request,
            lambda: services.submit_registration(
                actor=actor_of(request), registration=registration, version=version
            ),
            "Đã gửi đăng ký",
        )
    elif action in ("approve", "return"):
        if not can_review_registration(request.user, registration):
            raise PermissionDenied("Chỉ cấp trên của đơn vị duyệt hoặc trả lại bản đăng ký")
        if action == "approve":
            domain_call(
                request,
                lambda: services.approve_registration(
                    actor=actor_of(request), registration=registration, version=version
                ),
                "Đã duyệt đăng ký",
            )
        else:
            domain_call(
                request,
                lambda: services.return_registration(
                    actor=actor_of(request),
                    registration=registration,
                    reason=request.POST.get("reason", ""),
                    version=version,
                ),
                "Đã trả lại đăng ký để bổ sung",
            )
    else:
        raise Http404("Thao tác không hợp lệ")
    return redirect("movements:registration_list", registration.movement_id, registration.year)


ACHIEVEMENT_SORTS = [
    Column("unit", "Đơn vị", row_key=lambda c: (c.registration.unit.path, c.registration.pk)),
    Column("name", "Tên đơn vị", row_key=lambda c: fold(c.registration.unit.name)),
    Column("movement", "Phong trào", row_key=lambda c: fold(c.registration.movement.title)),
    Column("met", "Tỷ lệ đạt", row_key=lambda c: c.share_met),
    Column("status", "Trạng thái", row_key=lambda c: c.registration.status),
]


def _achievements_page(
    request: HttpRequest, base: Any, title: str, context: dict[str, Any], *, default: str
) -> HttpResponse:
    """Đăng ký — Đạt of the registrations `base` holds: filtered by status and unit (with its subtree),
    sorted by unit, name, movement, share met or status; the .xlsx shows the same."""
    page_filter = RegistrationPageFilter(request.GET, queryset=base, request=request)
    sorter = Sorter(request, ACHIEVEMENT_SORTS, default=default)
    comparisons = sorter.sort(achievements.compare(list(page_filter.qs.select_related("unit", "movement"))))
    if request.GET.get("format") == "xlsx":
        data = exports.achievements_xlsx(title, comparisons)
        return xlsx_response(data, "dang-ky-dat.xlsx")
    hidden = {"movement"} if "movement" in context else {"unit", "name"}
    sort_links = [h for h, c in zip(sorter.headers(), ACHIEVEMENT_SORTS, strict=True) if c.key not in hidden]
    context = {
        **context,
        "title": title,
        "comparisons": comparisons,
        "filter": page_filter,
        "sort_links": sort_links,
    }
    return render(request, "movements/achievements.html", context)


@login_required
def movement_achievements(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    """Đăng ký — Đạt of a movement's year: every registration the user may see (page or .xlsx)."""
    movement = get_movement_for_user(request.user, pk)
    base = visible_registrations(request.user).filter(movement=movement, year=year)
    title = f"Đăng ký — Đạt năm {year}: {movement.title}"
    return _achievements_page(request, base, title, {"movement": movement, "year": year}, default="unit")


@login_required
def unit_achievements(request: HttpRequest, unit_pk: int, year: int) -> HttpResponse:
    """Đăng ký — Đạt of one unit: its registrations of the year in every movement (page or .xlsx)."""
    unit = get_unit_for_user(request.user, unit_pk)
    base = visible_registrations(request.user).filter(unit=unit, year=year)
    title = f"Đăng ký — Đạt năm {year}: {unit.name}"
    return _achievements_page(request, base, title, {"unit": unit, "year": year}, default="movement")
