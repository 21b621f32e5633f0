"""Pages of the document layer: jobs with progress, decisions and certificates, achievement
reports, list exports, certificate layouts and templates. Every view opens with an access helper."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max, Sum
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_POST

from thidua.accounts.permissions import (
    get_person_for_user,
    get_unit_for_user,
    scope_paths,
    visible_audit_entries,
    visible_people,
    visible_units,
)
from thidua.audit.filters import AuditEntryFilter
from thidua.audit.services import log
from thidua.documents.builders.certificates import SAMPLE_RECORD
from thidua.documents.builders.from_db import (
    DocumentError,
    audit_rows,
    check_decision,
    person_achievement,
    person_rows,
    unit_achievement,
    unit_rows,
)
from thidua.documents.builders.from_movements import (
    plan_from_movement,
    registration_summary_from_db,
    signature_for,
)
from thidua.documents.builders.labels import award_label
from thidua.documents.builders.lists import audit_sheet, people_sheet, units_sheet
from thidua.documents.forms import DecisionJobForm, LayoutForm, MovementDocumentForm, TemplateUploadForm
from thidua.documents.jobs import start_job
from thidua.documents.models import CertificateKind, DocumentKind, DocumentTemplate, Job
from thidua.documents.pdf_render import render_certificates
from thidua.documents.permissions import (
    can_configure_unit,
    configurable_units,
    get_job_for_user,
    issuable_awards,
    require_issue,
    visible_jobs,
)
from thidua.documents.services import (
    TEMPLATE_FIELDS,
    TemplateRejected,
    delete_document_template,
    layout_for,
    render_achievement,
    render_plan,
    render_registration_summary,
    save_certificate_layout,
    save_document_template,
)
from thidua.documents.templates_docx import DECISION_TEMPLATE
from thidua.documents.xlsx_render import render_xlsx
from thidua.lib.text import fold
from thidua.movements.models import participating_units
from thidua.movements.permissions import (
    can_act_for_unit,
    can_manage_movement,
    get_movement_for_user,
    visible_registrations,
)
from thidua.movements.services import registration_deadline, unregistered_units
from thidua.org.filters import PersonFilter
from thidua.org.tree import build_tree

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_INLINE_LIMIT = 5000
"""Above this many rows the people export runs as a job (about 1.5 s per 5,000 rows)."""


def _log_export(
    request: HttpRequest, action: str, what: str, *, rows: int, unit_path: str = "", obj: Any = None
) -> None:
    """Exports carry personal data (citizen ids): who took which list, with which filters, is logged.
    Scoped to the filtered unit, else to the user's own scope when it is a single subtree."""
    if not unit_path:
        paths = scope_paths(request.user)
        unit_path = paths[0] if len(paths) == 1 else ""
    log(
        action,
        actor=request.user,
        obj=obj,
        unit_path=unit_path,
        detail={"list": what, "query": request.GET.urlencode(), "rows": rows},
    )


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


# --- jobs -----------------------------------------------------------------------------------


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    jobs = visible_jobs(request.user).select_related("created_by")[:100]
    return render(request, "documents/job_list.html", {"jobs": jobs})


@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The job's progress; htmx polls the partial every second until the job is finished."""
    job = get_job_for_user(request.user, pk)
    template = (
        "documents/partials/job_status.html"
        if request.headers.get("HX-Request")
        else "documents/job_detail.html"
    )
    response = render(request, template, {"job": job})
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
def job_download(request: HttpRequest, pk: int) -> FileResponse:
    job = get_job_for_user(request.user, pk)
    if job.status != Job.Status.DONE or not job.result:
        raise Http404("Việc chưa có tệp kết quả")
    return FileResponse(job.result.open("rb"), as_attachment=True, filename=job.result_name)


# --- decisions and certificates --------------------------------------------------------------


@login_required
def decision_start(request: HttpRequest) -> HttpResponse:
    """Form: a decision number → the decision with its annex (.docx) or its certificates (PDF)."""
    require_issue(request.user)
    try:
        picked_date: date | None = date.fromisoformat(request.GET.get("ngay", ""))
    except ValueError:
        picked_date = None
    initial = {"decision_number": request.GET.get("so", ""), "decided_on": picked_date}
    form = DecisionJobForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        params = form.params()
        try:
            check_decision(
                issuable_awards(request.user), params["decision_number"], form.cleaned_data["decided_on"]
            )
        except DocumentError as error:
            form.add_error("decision_number", str(error))
            context = {"form": form, "recent": _recent_decisions(request.user)}
            return render(request, "documents/decision_start.html", context, status=400)
        kind = Job.Kind.CERTIFICATES_PDF if "certificates" in request.POST else Job.Kind.DECISION_DOCX
        job = start_job(
            actor=request.user,
            kind=kind,
            params=params,
            title=f"{Job.Kind(kind).label} — {params['decision_number']}",
        )
        return redirect("documents:job_detail", pk=job.pk)
    return render(
        request, "documents/decision_start.html", {"form": form, "recent": _recent_decisions(request.user)}
    )


def _recent_decisions(user: Any) -> list[dict[str, Any]]:
    """The latest decisions in the user's scope, to pick from instead of typing a number."""
    rows = (
        issuable_awards(user)
        .exclude(decision_number="")
        .filter(revoked_on__isnull=True)
        .values("decision_number", "decided_on")
        .annotate(count=Count("id"), total=Sum("prize_vnd"), award_id=Max("award_id"))
        .order_by("-decided_on", "decision_number")[:15]
    )
    return [{**row, "award_name": award_label(row["award_id"])} for row in rows]


# --- achievement reports --------------------------------------------------------------------


@login_required
def person_report(request: HttpRequest, pk: int) -> HttpResponse:
    """Báo cáo thành tích of a person the user may see, as .docx."""
    person = get_person_for_user(request.user, pk)
    data = person_achievement(person, proposed_award=request.GET.get("de_nghi", "")[:120], on=date.today())
    content = render_achievement(data, unit=person.current_unit)
    unit_path = person.current_unit.path if person.current_unit else ""
    _log_export(request, "document.report_printed", "person", rows=1, unit_path=unit_path, obj=person)
    return _download(content, f"bao-cao-thanh-tich-{person.pk}.docx", DOCX)


@login_required
def unit_report(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_unit_for_user(request.user, pk)
    data = unit_achievement(unit, proposed_award=request.GET.get("de_nghi", "")[:120], on=date.today())
    content = render_achievement(data, unit=unit)
    _log_export(request, "document.report_printed", "unit", rows=1, unit_path=unit.path, obj=unit)
    return _download(content, f"bao-cao-thanh-tich-tap-the-{unit.pk}.docx", DOCX)


# --- movement documents ---------------------------------------------------------------------


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
        return _download(content, f"{name}-phat-dong-{movement.pk}.docx", DOCX)
    return render(request, "documents/movement_plan.html", {"movement": movement, "form": form})


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
    return _download(content, f"tong-hop-dang-ky-thi-dua-{year}-{movement.pk}.docx", DOCX)


# --- list exports ---------------------------------------------------------------------------


@login_required
def people_export(request: HttpRequest) -> HttpResponse:
    """The people list as .xlsx: the page's filters over the same scope (`visible_people`)."""
    base = visible_people(request.user)
    person_filter = PersonFilter(request.GET, queryset=base, request=request)
    people = person_filter.qs.vietnamese_order()
    if people.count() > EXPORT_INLINE_LIMIT:
        # a big list becomes a job with progress, built from the same query string
        job = start_job(
            actor=request.user,
            kind=Job.Kind.PEOPLE_XLSX,
            params={"query": request.GET.urlencode()},
            title="Danh sách nhân sự (.xlsx)",
        )
        return redirect("documents:job_detail", pk=job.pk)
    rows = list(person_rows(people))
    unit = person_filter.form.cleaned_data.get("unit") if person_filter.is_valid() else None
    _log_export(request, "document.exported", "people", rows=len(rows), unit_path=unit.path if unit else "")
    return _download(render_xlsx(people_sheet(rows)), "danh-sach-nhan-su.xlsx", XLSX)


@login_required
def units_export(request: HttpRequest) -> HttpResponse:
    """The unit tree as .xlsx: the rows the tree page shows (search keeps matches and their
    ancestors, ended units on request), in tree order, with people counts of each subtree."""
    units = visible_units(request.user)
    people = visible_people(request.user).filter(current_unit__isnull=False)
    if request.GET.get("all") != "1":
        units = units.filter(valid_to__isnull=True)
    counts = dict(people.values_list("current_unit").annotate(n=Count("id")).values_list("current_unit", "n"))
    roots, _ = build_tree(
        list(units), people_counts=counts, successors={}, needle=fold(request.GET.get("q", ""))
    )
    rows = unit_rows(roots)
    _log_export(request, "document.exported", "units", rows=len(rows))
    return _download(render_xlsx(units_sheet(rows)), "co-cau-to-chuc.xlsx", XLSX)


@login_required
def audit_export(request: HttpRequest) -> HttpResponse:
    entries = AuditEntryFilter(request.GET, queryset=visible_audit_entries(request.user)).qs
    rows = list(audit_rows(entries))
    _log_export(request, "document.exported", "audit", rows=len(rows))
    return _download(render_xlsx(audit_sheet(rows)), "nhat-ky-thao-tac.xlsx", XLSX)


# --- certificate layouts --------------------------------------------------------------------


@login_required
def layout_list(request: HttpRequest) -> HttpResponse:
    units = configurable_units(request.user).order_by("path")[:300]
    if not units:
        raise PermissionDenied("Bạn không có quyền cấu hình bố cục in")
    return render(request, "documents/layout_list.html", {"units": units, "kinds": CertificateKind.choices})


@login_required
def layout_edit(request: HttpRequest, unit_pk: int, kind: str) -> HttpResponse:
    """Field positions in mm for the unit's blanks; "print test page" renders them with guides."""
    unit = get_unit_for_user(request.user, unit_pk)
    if not can_configure_unit(request.user, unit):
        raise PermissionDenied("Bạn không có quyền cấu hình bố cục in của đơn vị này")
    if kind not in CertificateKind.values:
        raise Http404("Không có loại phôi này")
    layout = layout_for(unit, kind)
    form = LayoutForm(request.POST or None, layout=layout)
    if request.method == "POST" and form.is_valid():
        try:
            new_layout = form.to_layout()
        except ValidationError as error:  # the layout's own checks, in Vietnamese
            form.add_error(None, error)
        else:
            if "test" in request.POST:
                pdf = render_certificates(new_layout, [SAMPLE_RECORD], guides=True)
                return _download(pdf, f"trang-thu-{kind}.pdf", "application/pdf")
            save_certificate_layout(actor=request.user, unit=unit, kind=kind, layout=new_layout)
            messages.success(request, "Đã lưu bố cục in.")
            return redirect("documents:layout_edit", unit_pk=unit.pk, kind=kind)
    context = {"unit": unit, "kind": CertificateKind(kind), "form": form}
    return render(request, "documents/layout_edit.html", context)


# --- user templates -------------------------------------------------------------------------


@login_required
def template_list(request: HttpRequest) -> HttpResponse:
    units = configurable_units(request.user)
    if not units.exists():
        raise PermissionDenied("Bạn không có quyền quản lý mẫu văn bản")
    form = TemplateUploadForm(request.POST or None, request.FILES or None, units=units.order_by("path"))
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            save_document_template(
                actor=request.user,
                unit=form.cleaned_data["unit"],
                kind=form.cleaned_data["kind"],
                content=upload.read(),
                filename=upload.name,
            )
        except TemplateRejected as error:
            problems = error.problems
        else:
            messages.success(request, "Đã lưu mẫu văn bản.")
            return redirect("documents:template_list")
    templates = DocumentTemplate.objects.filter(unit__in=units).select_related("unit").order_by("unit__path")
    context = {
        "form": form,
        "templates": templates,
        "problems": problems,
        "fields": [(DocumentKind(k).label, names) for k, names in TEMPLATE_FIELDS.items()],
    }
    return render(request, "documents/template_list.html", context)


@login_required
@require_POST
def template_delete(request: HttpRequest, pk: int) -> HttpResponse:
    template = get_object_or_404(DocumentTemplate.objects.select_related("unit"), pk=pk)
    if not can_configure_unit(request.user, template.unit):
        raise Http404("Không tìm thấy mẫu văn bản")
    delete_document_template(actor=request.user, template=template)
    messages.success(request, "Đã xoá mẫu văn bản; văn bản sẽ dùng mẫu có sẵn.")
    return redirect("documents:template_list")


@login_required
def template_default(request: HttpRequest) -> HttpResponse:
    """The built-in decision template, to edit in Word and upload back."""
    if not configurable_units(request.user).exists():
        raise PermissionDenied("Bạn không có quyền quản lý mẫu văn bản")
    return _download(DECISION_TEMPLATE.read_bytes(), "mau-quyet-dinh-khen-thuong.docx", DOCX)
