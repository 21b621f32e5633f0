"""Pages of the document layer: jobs with progress, list exports, certificate layouts and templates.
Every view opens with an access helper."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_POST

from thidua.audit.services import log
from thidua.core.http import download
from thidua.core.listing import Column, Sorter
from thidua.documents.builders.certificates import sample_record
from thidua.documents.builders.from_db import audit_rows, person_rows, unit_rows
from thidua.documents.builders.lists import audit_sheet, people_sheet, units_sheet
from thidua.documents.filters import JobFilter
from thidua.documents.forms import LayoutForm, TemplateUploadForm
from thidua.documents.jobs import start_job
from thidua.documents.models import CertificateKind, DocumentKind, DocumentTemplate, Job
from thidua.documents.pdf_render import render_certificates
from thidua.documents.permissions import (
    can_configure_unit,
    configurable_units,
    get_job_for_user,
    visible_jobs,
)
from thidua.documents.services import (
    TEMPLATE_FIELDS,
    TemplateRejected,
    delete_document_template,
    layout_for,
    save_certificate_layout,
    save_document_template,
)
from thidua.documents.templates_docx import SHIPPED_TEMPLATES
from thidua.documents.xlsx_render import render_xlsx
from thidua.lib.text import fold
from thidua.org.filters import AuditFilter, PersonFilter
from thidua.org.permissions import (
    get_unit_for_user,
    scope_paths,
    visible_audit_entries,
    visible_people,
    visible_units,
)
from thidua.org.privacy import personal_data_test, redact_query
from thidua.org.tree import build_tree
from thidua.org.view_helpers import actor_of

EXPORT_INLINE_LIMIT = 5000
"""Above this many rows the people export runs as a job (about 1.5 s per 5,000 rows)."""


def _log_export(
    request: HttpRequest,
    action: str,
    what: str,
    *,
    rows: int,
    unit_path: str = "",
    obj: Any = None,
    personal_data: int | None = None,
) -> None:
    """Exports carry personal data: who took which list, with which filters (a citizen id searched for
    is masked and digested, never in clear) and how many rows in full, is logged. Scoped to the
    filtered unit, else to the user's own scope when it is a single subtree."""
    if not unit_path:
        paths = scope_paths(request.user)
        unit_path = paths[0] if len(paths) == 1 else ""
    log(
        action,
        actor=request.user,
        obj=obj,
        unit_path=unit_path,
        detail={"list": what, "query": redact_query(request.GET.urlencode()), "rows": rows}
        | ({} if personal_data is None else {"personal_data": personal_data}),
    )


# --- jobs -----------------------------------------------------------------------------------


JOB_COLUMNS = [
    Column("created", "Tạo lúc", ("created_at",)),
    Column("title", "Việc", ("title",)),
    Column("status", "Trạng thái", ("status",)),
    Column("progress", "Tiến độ", ("progress",), css="num"),
    Column("download", ""),
]


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    """The user's jobs (an administrator: everyone's), by status, kind and year, sorted by a column."""
    base = visible_jobs(request.user).select_related("created_by")
    job_filter = JobFilter(request.GET, queryset=base, request=request)
    sorter = Sorter(request, JOB_COLUMNS, default="-created")
    page = Paginator(sorter.apply(job_filter.qs), 50).get_page(request.GET.get("page"))
    context = {"filter": job_filter, "sorter": sorter, "page": page}
    # the organisation's own templates and print layouts are reached from here
    context["can_configure"] = configurable_units(request.user).exists()
    return render(request, "documents/job_list.html", context)


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
    full = personal_data_test(request.user)
    rows = list(person_rows(people, full=full))
    unit = person_filter.form.cleaned_data.get("unit") if person_filter.is_valid() else None
    shown = sum(1 for r in rows if "*" not in r.citizen_id)
    _log_export(
        request,
        "document.exported",
        "people",
        rows=len(rows),
        unit_path=unit.path if unit else "",
        personal_data=shown,
    )
    response = download(render_xlsx(people_sheet(rows)), "danh-sach-nhan-su.xlsx")
    patch_cache_control(response, no_store=True, private=True)
    return response


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
    return download(render_xlsx(units_sheet(rows)), "co-cau-to-chuc.xlsx")


@login_required
def audit_export(request: HttpRequest) -> HttpResponse:
    entries = AuditFilter(request.GET, queryset=visible_audit_entries(request.user), request=request).qs
    rows = list(audit_rows(entries))
    _log_export(request, "document.exported", "audit", rows=len(rows))
    return download(render_xlsx(audit_sheet(rows)), "nhat-ky-thao-tac.xlsx")


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
                pdf = render_certificates(new_layout, [sample_record(unit)], guides=True)
                return download(pdf, f"trang-thu-{kind}.pdf")
            save_certificate_layout(actor=actor_of(request), unit=unit, kind=kind, layout=new_layout)
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
                actor=actor_of(request),
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
        "shipped": [(k, DocumentKind(k).label) for k in SHIPPED_TEMPLATES],
    }
    return render(request, "documents/template_list.html", context)


@login_required
@require_POST
def template_delete(request: HttpRequest, pk: int) -> HttpResponse:
    template = get_object_or_404(DocumentTemplate.objects.select_related("unit"), pk=pk)
    if not can_configure_unit(request.user, template.unit):
        raise Http404("Không tìm thấy mẫu văn bản")
    delete_document_template(actor=actor_of(request), template=template)
    messages.success(request, "Đã xoá mẫu văn bản; văn bản sẽ dùng mẫu có sẵn.")
    return redirect("documents:template_list")


@login_required
def template_default(request: HttpRequest, kind: str = DocumentKind.DECISION) -> HttpResponse:
    """A shipped template (the decision's by default), to edit in Word and upload back."""
    if not configurable_units(request.user).exists():
        raise PermissionDenied("Bạn không có quyền quản lý mẫu văn bản")
    if kind not in SHIPPED_TEMPLATES:
        raise Http404("Loại văn bản này chưa có mẫu có sẵn")
    path, filename = SHIPPED_TEMPLATES[kind]
    return download(path.read_bytes(), filename)
