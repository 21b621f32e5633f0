"""The movement's papers: the launching plan or letter and the registration summary (.docx), filled
from the movement's records (`thidua.movements.papers`) and printed by `thidua.documents`."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from thidua.core.http import download
from thidua.documents.services import render_plan, render_registration_summary
from thidua.movements.forms import MovementDocumentForm
from thidua.movements.models import participating_units
from thidua.movements.papers import plan_from_movement, registration_summary_from_db, signature_for
from thidua.movements.permissions import (
    can_act_for_unit,
    can_manage_movement,
    get_movement_for_user,
    visible_registrations,
)
from thidua.movements.services import registration_deadline, unregistered_units


@login_required
def movement_plan(request: HttpRequest, pk: int) -> HttpResponse:
    """Kế hoạch (or công văn) phát động of a movement the user may see: a form for the kind, date
    and signature block; with `tai=1` the .docx filled from the movement's records."""
    movement = get_movement_for_user(request.user, pk)
    form = MovementDocumentForm(request.GET if "tai" in request.GET else None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        signer = signature_for(
            movement.launching_unit,
            prefix=data.get("authority") or "",
            position=data.get("signer_position") or "",
            signer_name=data.get("signer_name") or "",
        )
        plan = plan_from_movement(movement, letter=form.letter, signer=signer, on=data.get("on"))
        content = render_plan(plan, unit=movement.launching_unit)
        name = "cong-van" if plan.letter else "ke-hoach"
        return download(content, f"{name}-phat-dong-{movement.pk}.docx")
    return render(request, "movements/plan_document.html", {"movement": movement, "form": form})


@login_required
def registration_summary(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    """Tổng hợp đăng ký thi đua of a year (.docx): the registrations the user may see and, as on
    the registrations page, the units not registered that the user manages or may see."""
    movement = get_movement_for_user(request.user, pk)
    registrations = list(
        visible_registrations(request.user)
        .filter(movement=movement, year=year)
        .select_related("unit")
        .order_by("unit__path")
    )
    missing = unregistered_units(movement, year)
    if not can_manage_movement(request.user, movement):
        visible_unit_ids = set(
            visible_registrations(request.user).filter(movement=movement).values_list("unit_id", flat=True)
        )
        own = {u.pk for u in participating_units(movement) if can_act_for_unit(request.user, u)}
        missing = [u for u in missing if u.pk in own or u.pk in visible_unit_ids]
    form = MovementDocumentForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    signer = signature_for(
        movement.launching_unit,
        prefix=data.get("authority") or "",
        position=data.get("signer_position") or "",
        signer_name=data.get("signer_name") or "",
    )
    summary = registration_summary_from_db(
        movement,
        year,
        registrations,
        missing,
        deadline=registration_deadline(movement, year),
        signer=signer,
        on=data.get("on") or date.today(),  # a report is dated when it is drawn up
    )
    content = render_registration_summary(summary, unit=movement.launching_unit)
    return download(content, f"tong-hop-dang-ky-thi-dua-{year}-{movement.pk}.docx")
