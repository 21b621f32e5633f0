"""The statistics pages for officers: each a page with charts beside their tables and an .xlsx of
the same numbers (`?tai=xlsx`); the year-end annex (.docx, .xlsx); the statistical forms."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from thidua.core.errors import DomainError
from thidua.core.http import download
from thidua.lib.numbers import parse_number
from thidua.movements.models import Ranking
from thidua.movements.permissions import visible_movements, visible_rankings
from thidua.org.models import Unit
from thidua.org.view_helpers import actor_of
from thidua.reports import annex, statforms, stats
from thidua.reports.models import AwardTally, ReportForm
from thidua.reports.permissions import adjusts_forms, organisation_root, require_reports, scope_units
from thidua.reports.report import Report, report_xlsx
from thidua.reports.services import reset_report_form, save_report_form

MAX_SPAN = 15


def _int(value: str | None) -> int | None:
    number = parse_number(value) if value else None
    return int(number) if number is not None and number == int(number) and 1900 < number < 2200 else None


def _unit(request: HttpRequest) -> Unit:
    units = scope_units(request.user)
    raw = request.GET.get("don_vi", "")
    chosen = units.filter(pk=int(raw)).first() if raw.isdigit() else None
    unit = chosen or units.first()
    if unit is None:
        raise Http404("Không có đơn vị nào trong phạm vi của bạn")
    return unit


def _latest_year(unit: Unit) -> int:
    found = AwardTally.objects.filter(unit__path__startswith=unit.path).aggregate(y=Max("year"))["y"]
    return int(found or timezone.localdate().year - 1)


def _filters(request: HttpRequest) -> stats.Filters:
    unit = _unit(request)
    last = _int(request.GET.get("nam_den")) or _latest_year(unit)
    first = _int(request.GET.get("nam_tu")) or last - 4
    first, last = min(first, last), max(first, last)
    first = max(first, last - MAX_SPAN + 1)
    return stats.Filters(unit, first, last)


def _show(request: HttpRequest, report: Report, context: dict[str, Any]) -> HttpResponse:
    if request.GET.get("tai") == "xlsx":
        return download(report_xlsx(report), f"{report.slug}-{context.get('file_suffix', 'thong-ke')}.xlsx")
    query = request.GET.copy()
    query["tai"] = "xlsx"
    context |= {"report": report, "xlsx_query": query.urlencode(), "units": scope_units(request.user)}
    return render(request, "reports/report.html", context)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    require_reports(request.user)
    return render(request, "reports/index.html", {"forms": [f for f, _ in statforms.shipped().values()]})


def _award_page(request: HttpRequest, build: Any) -> HttpResponse:
    require_reports(request.user)
    f = _filters(request)
    return _show(request, build(f), {"filters": f, "file_suffix": f"{f.first}-{f.last}", "year_range": True})


@login_required
def awards(request: HttpRequest) -> HttpResponse:
    return _award_page(request, stats.awards_report)


@login_required
def units(request: HttpRequest) -> HttpResponse:
    return _award_page(request, stats.units_report)


@login_required
def shares(request: HttpRequest) -> HttpResponse:
    return _award_page(request, stats.shares_report)


@login_required
def prize(request: HttpRequest) -> HttpResponse:
    return _award_page(request, stats.prize_report)


@login_required
def movements(request: HttpRequest) -> HttpResponse:
    require_reports(request.user)
    unit = _unit(request)
    year = _int(request.GET.get("nam")) or timezone.localdate().year
    visible = visible_movements(request.user)
    report = stats.movements_report(visible, unit, year)
    ranked = list(
        visible.filter(rankings__status=Ranking.Status.PUBLISHED).distinct().order_by("-start_year", "title")
    )
    chosen = next(
        (m for m in ranked if str(m.pk) == request.GET.get("phong_trao")), ranked[0] if ranked else None
    )
    clusters: list[tuple[int, str]] = []
    cluster_id = None
    if chosen is not None:
        rankings = visible_rankings(request.user).filter(movement=chosen, status=Ranking.Status.PUBLISHED)
        clusters = sorted(set(rankings.values_list("cluster_id", "cluster__name")), key=lambda c: c[1])
        raw = request.GET.get("cum", "")
        cluster_id = next((c for c, _ in clusters if str(c) == raw), clusters[0][0] if clusters else None)
        if cluster_id is not None:
            section = stats.ranking_history(rankings, chosen, cluster_id)
            if section is not None:
                section.title += f" ({chosen.title})"
                report.sections.append(section)
    context = {
        "year": year,
        "year_only": True,
        "file_suffix": str(year),
        "ranked": ranked,
        "chosen": chosen,
        "clusters": clusters,
        "cluster_id": cluster_id,
        "unit": unit,
    }
    return _show(request, report, context)


@login_required
def year_end(request: HttpRequest) -> HttpResponse:
    """The data annex of the year-end summary report: page, .xlsx, .docx."""
    require_reports(request.user)
    unit = _unit(request)
    year = _int(request.GET.get("nam")) or _latest_year(unit)
    report = annex.annex_report(unit, year, visible_movements(request.user))
    if request.GET.get("tai") == "docx":
        return download(annex.annex_docx(report, unit, year), f"phu-luc-so-lieu-tdkt-{year}.docx")
    query = request.GET.copy()
    query["tai"] = "docx"
    return _show(
        request,
        report,
        {
            "year": year,
            "year_only": True,
            "file_suffix": f"phu-luc-{year}",
            "docx_query": query.urlencode(),
            "unit": unit,
        },
    )


# -- statistical forms ---------------------------------------------------------------------------
def _form(root: Unit | None, form_id: str) -> tuple[statforms.FormDef, str, ReportForm | None]:
    own = ReportForm.objects.filter(root=root, form_id=form_id).first() if root is not None else None
    if own is not None:
        try:
            return statforms.parse_form(own.text), own.text, own
        except DomainError:
            pass  # a definition that no longer reads (after an upgrade): fall back to the shipped one
    found = statforms.shipped().get(form_id)
    if found is None:
        raise Http404("Không có biểu mẫu này")
    return found[0], found[1], own


@login_required
def form_detail(request: HttpRequest, form_id: str) -> HttpResponse:
    require_reports(request.user)
    root = organisation_root(request.user)
    form, text, own = _form(root, form_id)
    unit = _unit(request)
    year = _int(request.GET.get("nam")) or _latest_year(unit)
    report = statforms.evaluate(form, unit, year, visible_movements(request.user))
    context = {
        "year": year,
        "year_only": True,
        "file_suffix": str(year),
        "unit": unit,
        "form_def": form,
        "form_text": text,
        "own": own,
        "can_adjust": root is not None and adjusts_forms(request.user, root),
    }
    return _show(request, report, context)


@login_required
@require_POST
def form_save(request: HttpRequest, form_id: str) -> HttpResponse:
    require_reports(request.user)
    root = organisation_root(request.user)
    if root is None:
        raise Http404("Không có đơn vị")
    try:
        if request.POST.get("reset") == "1":
            reset_report_form(actor=actor_of(request), root=root, form_id=form_id)
            messages.success(request, "Đã trở về biểu mẫu mặc định")
        else:
            version = int(request.POST.get("version", "0") or 0)
            save_report_form(
                actor=actor_of(request),
                root=root,
                form_id=form_id,
                text=request.POST.get("text", ""),
                version=version,
            )
            messages.success(request, "Đã lưu biểu mẫu của đơn vị")
    except (DomainError, ValueError) as exc:
        messages.error(request, getattr(exc, "message", "Giá trị không hợp lệ"))
    return redirect("reports:form", form_id=form_id)
