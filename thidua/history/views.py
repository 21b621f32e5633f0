"""Pages of the history: a person's or a collective's báo cáo thành tích (.docx) from their record; one
past award entered with its scanned decision, and that scan served back; one initiative, discipline,
leave or pending proceeding of a person entered, corrected or deleted."""

from __future__ import annotations

from datetime import date
from pathlib import PurePath
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from thidua.audit.services import log
from thidua.core.errors import DomainError
from thidua.core.forms import add_domain_error
from thidua.core.http import download
from thidua.documents.services import render_achievement
from thidua.history.forms import DeleteRecordForm, PastAwardForm
from thidua.history.kinds import RECORD_KINDS, PersonRecord, RecordKind
from thidua.history.models import DecisionScan
from thidua.history.papers import person_achievement, unit_achievement
from thidua.history.services import (
    Scan,
    delete_person_record,
    describe_record,
    record_past_award,
    save_person_record,
)
from thidua.org.models import Person, Unit
from thidua.org.permissions import can_view_person, can_view_unit, get_person_for_user, get_unit_for_user
from thidua.org.privacy import can_see_personal_data
from thidua.org.view_helpers import actor_of
from thidua.rules.names import award_name


@login_required
def person_report(request: HttpRequest, pk: int) -> HttpResponse:
    """Báo cáo thành tích of a person the user may see, as .docx."""
    person = get_person_for_user(request.user, pk)
    full = can_see_personal_data(request.user, person)
    data = person_achievement(
        person, proposed_award=request.GET.get("de_nghi", "")[:120], on=date.today(), personal_data=full
    )
    content = render_achievement(data, unit=person.current_unit)
    unit_path = person.current_unit.path if person.current_unit else ""
    log(
        "document.report_printed",
        actor=actor_of(request),
        obj=person,
        unit_path=unit_path,
        detail={"list": "person", "query": request.GET.urlencode(), "rows": 1, "personal_data": int(full)},
    )
    return download(content, f"bao-cao-thanh-tich-{person.pk}.docx")


@login_required
def unit_report(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_unit_for_user(request.user, pk)
    data = unit_achievement(unit, proposed_award=request.GET.get("de_nghi", "")[:120], on=date.today())
    content = render_achievement(data, unit=unit)
    log(
        "document.report_printed",
        actor=actor_of(request),
        obj=unit,
        unit_path=unit.path,
        detail={"list": "unit", "query": request.GET.urlencode(), "rows": 1},
    )
    return download(content, f"bao-cao-thanh-tich-tap-the-{unit.pk}.docx")


def _past_award(request: HttpRequest, *, person: Person | None, unit: Unit | None) -> HttpResponse:
    subject = "individual" if person is not None else "collective"
    form = PastAwardForm(request.POST or None, request.FILES or None, subject=subject)
    back = (
        reverse("org:person_detail", args=[person.pk])
        if person is not None
        else reverse("org:unit_detail", args=[unit.pk])  # type: ignore[union-attr]
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data.get("scan")
        scan = Scan(PurePath(upload.name or "quyet-dinh").name, b"".join(upload.chunks())) if upload else None
        try:
            record = record_past_award(
                actor=actor_of(request),
                person=person,
                unit=unit,
                award_id=data["award_id"],
                year=data["year"],
                decided_on=data["decided_on"],
                decision_number=data["decision_number"],
                decided_by=data["decided_by"],
                received_at=data["received_at"],
                prize_vnd=data["prize_vnd"],
                scan=scan,
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"Đã ghi {award_name(record.award_id)} năm {record.year}.")
            return redirect(back)
    context = {"form": form, "person": person, "unit": unit, "subject": person or unit, "back": back}
    return render(request, "history/past_award.html", context, status=400 if form.errors else 200)


@login_required
def person_past_award(request: HttpRequest, pk: int) -> HttpResponse:
    """Enter one title or form a person received before, with its scanned decision."""
    return _past_award(request, person=get_person_for_user(request.user, pk, write=True), unit=None)


@login_required
def unit_past_award(request: HttpRequest, pk: int) -> HttpResponse:
    """Enter one title or form a collective received before, with its scanned decision."""
    return _past_award(request, person=None, unit=get_unit_for_user(request.user, pk, write=True))


@login_required
def decision_scan(request: HttpRequest, pk: int) -> HttpResponse:
    """The scanned decision of a past award, to who may see the award's person or unit (404 otherwise)."""
    scan = get_object_or_404(
        DecisionScan.objects.select_related("award__person__current_unit", "award__unit"), pk=pk
    )
    award = scan.award
    allowed = (
        can_view_person(request.user, award.person)
        if award.person is not None
        else award.unit is not None and can_view_unit(request.user, award.unit)
    )
    if not allowed:
        raise Http404("Không tìm thấy tệp")
    try:
        with scan.file.open("rb") as handle:
            content = handle.read()
    except OSError as exc:
        raise Http404("Tệp không còn trên máy chủ") from exc
    extension = scan.file.name.rsplit(".", 1)[-1]
    return download(content, f"quyet-dinh-{award.pk}.{extension}", scan.content_type)


# --- one initiative, discipline, leave or pending proceeding of a person ---------------------------


def _record_kind(slug: str) -> RecordKind[Any]:
    kind = RECORD_KINDS.get(slug)
    if kind is None:
        raise Http404("Không có loại bản ghi này")
    return kind


def _record_for_user(request: HttpRequest, kind: RecordKind[Any], pk: int) -> tuple[PersonRecord, Person]:
    """The record and its person, when the user may change that person (404 when the user cannot see
    the person, 403 when they see but do not manage them)."""
    record = kind.model.objects.filter(pk=pk, person__isnull=False).first()
    if record is None or record.person_id is None:
        raise Http404("Không tìm thấy bản ghi")
    return record, get_person_for_user(request.user, record.person_id, write=True)


def _initial(record: PersonRecord, form_class: type[forms.Form]) -> dict[str, object]:
    initial: dict[str, object] = {
        name: getattr(record, name) for name in form_class.base_fields if name != "version"
    }
    initial["version"] = record.version
    return initial


def _person_record_form(
    request: HttpRequest, kind: RecordKind[Any], person: Person, record: PersonRecord | None
) -> HttpResponse:
    back = reverse("org:person_detail", args=[person.pk]) + "#lich-su"
    if request.method == "POST":
        form = kind.form(request.POST)
    else:
        form = kind.form(initial=_initial(record, kind.form) if record else {"version": 0})
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            save_person_record(
                kind,
                actor=actor_of(request),
                person=person,
                record=record,
                seen_version=form.seen_version(),
                **values,
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            done = "Đã sửa" if record else "Đã thêm"
            messages.success(request, f"{done} {kind.name} của {person.full_name}.")
            return redirect(back)
    title = f"Sửa {kind.name}" if record else kind.add
    context = {
        "form": form,
        "person": person,
        "record": record,
        "kind": kind,
        "law": kind.law(date.today()),
        "title": title,
        "back": back,
    }
    return render(request, "history/person_record.html", context, status=400 if form.errors else 200)


@login_required
def person_record_add(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """Enter one initiative, discipline, leave or pending proceeding of a person the user manages."""
    record_kind = _record_kind(kind)
    return _person_record_form(request, record_kind, get_person_for_user(request.user, pk, write=True), None)


@login_required
def person_record_edit(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Correct one such record (refused when somebody changed it since the form was opened)."""
    record_kind = _record_kind(kind)
    record, person = _record_for_user(request, record_kind, pk)
    return _person_record_form(request, record_kind, person, record)


@login_required
def person_record_delete(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Delete one such record after a confirmation that asks why (the reason goes to the audit log)."""
    record_kind = _record_kind(kind)
    record, person = _record_for_user(request, record_kind, pk)
    back = reverse("org:person_detail", args=[person.pk]) + "#lich-su"
    form = DeleteRecordForm(request.POST or None, initial={"version": record.version})
    if request.method == "POST" and form.is_valid():
        try:
            delete_person_record(
                actor=actor_of(request),
                record=record,
                reason=form.cleaned_data["reason"],
                seen_version=form.seen_version(),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"Đã xoá {record_kind.name} của {person.full_name}.")
            return redirect(back)
    context = {
        "form": form,
        "person": person,
        "record": record,
        "description": describe_record(record),
        "kind": record_kind,
        "back": back,
    }
    return render(request, "history/person_record_delete.html", context, status=400 if form.errors else 200)
