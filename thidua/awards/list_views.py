"""The year-end lists where officers compare: councils, dossiers and decisions.

Each page: the rows the user may see (the access helper), filtered by the list's FilterSet (the same one
as its API list), sorted by a column (`core.listing.Sorter`), 50 to a page; dossiers and decisions also
as .xlsx (`?format=xlsx`, the page's filters and order). A fixed number of queries whatever the rows.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render

from thidua.awards.filters import CouncilFilter, DecisionFilter, DossierFilter, award_order
from thidua.awards.models import Decision, Dossier
from thidua.awards.permissions import visible_councils, visible_decisions, visible_dossiers
from thidua.core.http import download
from thidua.core.listing import Column, Sorter
from thidua.history.years import year_under_review
from thidua.lib.xlsx import DATE_FORMAT, CellValue, XlsxColumn, XlsxSheet, render_xlsx
from thidua.rules.names import award_name

PAGE_SIZE = 50


def _with_year(request: HttpRequest) -> QueryDict:
    """The query, with the year under review when the page is opened without a year (an empty year:
    every year)."""
    data = request.GET.copy()
    if "year" not in data:
        data["year"] = str(year_under_review(request.user))
    return data


def _page(request: HttpRequest, rows: QuerySet[Any]) -> Any:
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


# -- councils ---------------------------------------------------------------------------------------
COUNCIL_COLUMNS = [
    Column("name", "Hội đồng", ("name",)),
    Column("unit", "Đơn vị", ("unit__name",)),
    Column("term_from", "Nhiệm kỳ từ", ("term_from",)),
    Column("term_to", "Đến", ("term_to",)),
    Column("members", "Thành viên", ("member_count",), css="num"),
    Column("meetings", "Phiên họp", ("meeting_count",), css="num"),
]


@login_required
def council_list(request: HttpRequest) -> HttpResponse:
    """The councils the user may see: by name, unit (with its subtree), a year of the term, status."""
    base = (
        visible_councils(request.user)
        .select_related("unit")
        .annotate(
            member_count=Count("members", distinct=True), meeting_count=Count("meetings", distinct=True)
        )
    )
    council_filter = CouncilFilter(request.GET, queryset=base, request=request)
    sorter = Sorter(request, COUNCIL_COLUMNS, default="-term_from")
    context = {
        "filter": council_filter,
        "sorter": sorter,
        "page": _page(request, sorter.apply(council_filter.qs)),
        "today": date.today(),
    }
    return render(request, "awards/council_list.html", context)


# -- dossiers ---------------------------------------------------------------------------------------
DOSSIER_COLUMNS = [
    Column("unit", "Đơn vị trình", ("unit__name",)),
    Column("award", "Danh hiệu / hình thức", ("award_rank",)),
    Column("year", "Năm", ("year",), css="num"),
    Column("appraiser", "Cấp thẩm định", ("appraiser__name",)),
    Column("status", "Trạng thái", ("status",)),
    Column("submitted", "Ngày trình", ("submitted_on",)),
    Column("deadline", "Hạn thẩm định", ("deadline",)),
]


@login_required
def dossier_list(request: HttpRequest) -> HttpResponse:
    """The dossiers the user may see (their units' and those sent to them to appraise), of the year
    under review unless another is chosen; `?format=xlsx` for the same rows as a spreadsheet."""
    base = (
        visible_dossiers(request.user).select_related("unit", "appraiser").annotate(award_rank=award_order())
    )
    dossier_filter = DossierFilter(_with_year(request), queryset=base, request=request)
    sorter = Sorter(request, DOSSIER_COLUMNS, default="deadline")
    rows = sorter.apply(dossier_filter.qs)
    if request.GET.get("format") == "xlsx":
        return download(_dossiers_xlsx(rows), "ho-so-de-nghi-khen-thuong.xlsx")
    context = {"filter": dossier_filter, "sorter": sorter, "page": _page(request, rows)}
    return render(request, "awards/dossier_list.html", context)


def _dossiers_xlsx(rows: QuerySet[Dossier]) -> bytes:
    data: list[list[CellValue]] = [
        [
            i,
            d.unit.name,
            award_name(d.award_id, on=date(d.year, 12, 31)),
            d.year,
            d.appraiser.name,
            d.get_status_display() + (" (quá hạn)" if d.is_overdue else ""),
            d.submitted_on,
            d.deadline,
        ]
        for i, d in enumerate(rows, start=1)
    ]
    columns = [
        XlsxColumn("STT", 6, align="center"),
        XlsxColumn("Đơn vị trình", 36, wrap=True),
        XlsxColumn("Danh hiệu / hình thức", 36, wrap=True),
        XlsxColumn("Năm", 8, align="center"),
        XlsxColumn("Cấp thẩm định", 30, wrap=True),
        XlsxColumn("Trạng thái", 24, wrap=True),
        XlsxColumn("Ngày trình", 13, DATE_FORMAT, align="center"),
        XlsxColumn("Hạn thẩm định", 13, DATE_FORMAT, align="center"),
    ]
    return render_xlsx(
        XlsxSheet("Hồ sơ đề nghị", columns, data, title_rows=["DANH SÁCH HỒ SƠ ĐỀ NGHỊ KHEN THƯỞNG"])
    )


# -- decisions --------------------------------------------------------------------------------------
DECISION_COLUMNS = [
    Column("number", "Số, ký hiệu", ("number_symbol",)),
    Column("signed", "Ngày ký", ("signed_on",)),
    Column("unit", "Đơn vị ban hành", ("unit__name",)),
    Column("award", "Danh hiệu / hình thức", ("award_rank",)),
    Column("proposer", "Đơn vị đề nghị", ("dossier__unit__name",)),
    Column("year", "Năm thành tích", ("dossier__year",), css="num"),
    Column("awards", "Số khen thưởng", ("award_count",), css="num"),
    Column("status", "Trạng thái", ("status",)),
]


@login_required
def decision_list(request: HttpRequest) -> HttpResponse:
    """The decisions the user may see (issued by or about their units), of the year under review unless
    another is chosen; `?format=xlsx` for the same rows as a spreadsheet."""
    base = (
        visible_decisions(request.user)
        .select_related("unit", "dossier__unit")
        .annotate(award_rank=award_order("dossier__award_id"), award_count=Count("awards"))
    )
    decision_filter = DecisionFilter(_with_year(request), queryset=base, request=request)
    sorter = Sorter(request, DECISION_COLUMNS, default="-signed")
    rows = sorter.apply(decision_filter.qs)
    if request.GET.get("format") == "xlsx":
        return download(_decisions_xlsx(rows), "quyet-dinh-khen-thuong.xlsx")
    context = {"filter": decision_filter, "sorter": sorter, "page": _page(request, rows)}
    return render(request, "awards/decision_list.html", context)


def _decisions_xlsx(rows: QuerySet[Decision]) -> bytes:
    data: list[list[CellValue]] = [
        [
            i,
            d.number_symbol or "(chưa cấp số)",
            d.signed_on,
            d.unit.name,
            award_name(d.dossier.award_id, on=date(d.dossier.year, 12, 31)),
            d.dossier.unit.name,
            d.dossier.year,
            getattr(d, "award_count", None),
            d.get_status_display(),
        ]
        for i, d in enumerate(rows, start=1)
    ]
    columns = [
        XlsxColumn("STT", 6, align="center"),
        XlsxColumn("Số, ký hiệu", 18),
        XlsxColumn("Ngày ký", 13, DATE_FORMAT, align="center"),
        XlsxColumn("Đơn vị ban hành", 30, wrap=True),
        XlsxColumn("Danh hiệu / hình thức", 34, wrap=True),
        XlsxColumn("Đơn vị đề nghị", 30, wrap=True),
        XlsxColumn("Năm thành tích", 10, align="center"),
        XlsxColumn("Số khen thưởng", 10, "#,##0", align="right"),
        XlsxColumn("Trạng thái", 14),
    ]
    return render_xlsx(
        XlsxSheet("Quyết định", columns, data, title_rows=["DANH SÁCH QUYẾT ĐỊNH KHEN THƯỞNG"])
    )
