"""Result pages: list, entry form, Excel template and import, detail, review actions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from thidua.core.errors import DomainError
from thidua.core.listing import Column as ListColumn
from thidua.core.listing import Sorter
from thidua.core.versioning import current_version, parse_version
from thidua.lib.ids import parse_id
from thidua.lib.numbers import format_number
from thidua.lib.xlsx import POINTS_FORMAT, CellValue, XlsxColumn, XlsxSheet, render_xlsx, to_bytes
from thidua.movements import scoring, services
from thidua.movements.figures import Column, figure_columns, figures_from_flat, flat_from_figures
from thidua.movements.filters import ResultPageFilter
from thidua.movements.forms import (
    CorrectionForm,
    EvidenceForm,
    ExplainForm,
    ImportForm,
    ResultForm,
    ReviewForm,
)
from thidua.movements.imports import ImportRejected, import_results_xlsx, results_template
from thidua.movements.models import (
    Evidence,
    Registration,
    Result,
    participating_units,
    period_label,
    period_start,
)
from thidua.movements.permissions import (
    can_act_for_unit,
    can_enter_result,
    can_review_result,
    can_see_evidence,
    get_movement_for_user,
    get_result_for_user,
    reviewed_clusters,
    visible_results,
)
from thidua.movements.services.common import json_safe
from thidua.movements.views.common import (
    MAIN_PERIODS,
    check_period,
    domain_call,
    form_errors,
    xlsx_response,
)
from thidua.org.permissions import get_unit_for_user
from thidua.org.view_helpers import actor_of

# -- results --------------------------------------------------------------------------------------


RESULT_COLUMNS = [
    ListColumn("unit", "Đơn vị", ("unit__path",)),
    ListColumn("status", "Trạng thái", ("status",)),
    ListColumn("self", "Tự chấm", ("self_score",), css="num"),
    ListColumn("review", "Thẩm định", ("review_score",), css="num"),
    ListColumn("final", "Chính thức", ("final_score",), css="num"),
]


@login_required
def result_list(request: HttpRequest, pk: int, year: int, period: str) -> HttpResponse:
    movement = get_movement_for_user(request.user, pk)
    check_period(period)
    base = (
        visible_results(request.user)
        .filter(movement=movement, year=year, period=period)
        .select_related("unit")
    )
    page_filter = ResultPageFilter(request.GET, queryset=base, request=request)
    sorter = Sorter(request, RESULT_COLUMNS, default="unit")
    results = sorter.apply(page_filter.qs)
    units = list(participating_units(movement))
    own = [u for u in units if can_act_for_unit(request.user, u)]
    entered = {r.unit_id for r in results}
    context = {
        "movement": movement,
        "year": year,
        "period": period,
        "period_label": period_label(period, year),
        "results": results,
        "filter": page_filter,
        "sorter": sorter,
        "own_pending": [u for u in own if u.pk not in entered],
        "import_form": ImportForm(),
        "can_import": bool(own),
        "periods": MAIN_PERIODS,
        "clusters": reviewed_clusters(request.user, year).filter(memberships__unit__in=units).distinct(),
    }
    return render(request, "movements/result_list.html", context)


@login_required
def result_template(request: HttpRequest, pk: int, year: int, period: str) -> HttpResponse:
    movement = get_movement_for_user(request.user, pk)
    check_period(period)
    units = [u for u in participating_units(movement) if can_act_for_unit(request.user, u)]
    try:
        wb = results_template(movement, year, period, units)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("movements:result_list", movement.pk, year, period)
    return xlsx_response(to_bytes(wb), f"mau-ket-qua-{year}-{period}.xlsx")


@login_required
@require_POST
def result_import(request: HttpRequest, pk: int, year: int, period: str) -> HttpResponse:
    movement = get_movement_for_user(request.user, pk)
    check_period(period)
    form = ImportForm(request.POST, request.FILES)
    issues: list[Any] = []
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            allowed = {u.pk for u in participating_units(movement) if can_act_for_unit(request.user, u)}
            saved = import_results_xlsx(
                actor=request.user,
                movement=movement,
                year=year,
                period=period,
                file=upload,
                allowed_units=allowed,
            )
        except ImportRejected as exc:
            messages.error(request, exc.message)
            issues = exc.issues
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"Đã nhập số liệu của {len(saved)} đơn vị")
            return redirect("movements:result_list", movement.pk, year, period)
    else:
        form_errors(request, form)
    context = {"movement": movement, "year": year, "period": period, "issues": issues}
    return render(request, "movements/result_import_errors.html", context, status=400)


@login_required
def result_edit(request: HttpRequest, pk: int, year: int, period: str, unit_pk: int) -> HttpResponse:
    movement = get_movement_for_user(request.user, pk)
    check_period(period)
    unit = get_unit_for_user(request.user, unit_pk, write=True)
    record = services.table_for(movement, year, services.cluster_of(unit, year))
    if record is None:
        messages.error(request, f"Phong trào chưa có bảng chấm điểm năm {year}")
        return redirect("movements:detail", movement.pk)
    columns = figure_columns(services.load_table_record(record))
    existing = Result.objects.filter(movement=movement, unit=unit, year=year, period=period).first()
    initial = (
        flat_from_figures(columns, existing.figures, checkboxes=True)
        if existing
        else _approved_targets(movement, unit, year, columns)
    )
    initial["version"] = current_version(existing)
    form = ResultForm(request.POST or None, columns=columns, initial=initial)
    not_started = period_start(period, year) > date.today()
    if request.method == "POST" and form.is_valid():
        figures = figures_from_flat(columns, form.flat())
        try:
            result = services.save_result(
                actor=actor_of(request),
                movement=movement,
                unit=unit,
                year=year,
                period=period,
                figures=figures,
                version=form.seen_version(),
            )
            if "submit" in request.POST:
                services.submit_result(actor=actor_of(request), result=result)
        except DomainError as exc:
            issues = services.figure_issues(existing, figures) if existing and exc.field == "figures" else []
            if not issues and exc.field == "figures":
                table = services.load_table_record(record)
                issues = scoring.validate_figures(table, json_safe(figures), unit=unit.name)
            if issues:
                form.add_issue_errors(issues)
            else:
                form.add_error(None, exc.message)
        else:
            messages.success(request, "Đã tự chấm điểm" if "submit" in request.POST else "Đã lưu số liệu")
            return redirect("movements:result_detail", result.pk)
    context = {
        "movement": movement,
        "unit": unit,
        "year": year,
        "period": period,
        "form": form,
        "result": existing,
        "not_started": not_started,
        "starts": period_start(period, year),
        "prefilled": existing is None and any(key != "version" for key in initial),
    }
    return render(request, "movements/result_form.html", context)


def _approved_targets(movement: Any, unit: Any, year: int, columns: list[Column]) -> dict[str, Any]:
    """The targets of the unit's approved registration, in the form's `<code>.target` fields."""
    registration = Registration.objects.filter(
        movement=movement, unit=unit, year=year, status=Registration.Status.APPROVED
    ).first()
    if registration is None:
        return {}
    keys = {col.key for col in columns}
    return {
        f"{code}.target": format_number(value, None)
        for code, value in registration.targets.items()
        if f"{code}.target" in keys
    }


def _breakdown(result: Result, record: Any) -> dict[str, Any]:
    """Criteria (each leaf and their sum), bonus, penalty and total, from the stored score detail."""
    detail = result.score_detail or {}
    table = services.load_table_record(record) if record is not None else None
    points = detail.get("leaves", {})
    leaves = (
        [
            {"code": c.code, "name": c.name, "max": c.max_points, "points": points.get(c.code)}
            for c in table.leaves()
        ]
        if table
        else []
    )
    names = {i.code: i.name for i in (*table.bonus, *table.penalties)} if table else {}
    earned = detail.get("earned")
    if earned is None and points:
        earned = sum(Decimal(str(v)) for v in points.values() if v is not None)
    return {
        "leaves": leaves,
        "earned": earned,
        "assigned_max": detail.get("assigned_max"),
        "base_max": detail.get("base_max"),
        "base": detail.get("base"),
        "bonus": detail.get("bonus"),
        "penalty": detail.get("penalty"),
        "total": detail.get("total"),
        "bonus_items": [(c, names.get(c, c), v) for c, v in detail.get("bonus_items", {}).items() if v],
        "penalty_items": [(c, names.get(c, c), v) for c, v in detail.get("penalty_items", {}).items() if v],
        "normalised": earned is not None
        and detail.get("base") is not None
        and Decimal(str(earned)) != Decimal(str(detail["base"])),
    }


def _breakdown_xlsx(result: Result, parts: dict[str, Any]) -> bytes:
    rows: list[list[CellValue]] = [[p["code"], p["name"], p["max"], p["points"]] for p in parts["leaves"]]
    rows.append(["", "Cộng điểm các tiêu chí", parts["assigned_max"], parts["earned"]])
    if parts["normalised"]:
        rows.append(["", "Điểm cơ bản quy đổi (có tiêu chí không giao)", parts["base_max"], parts["base"]])
    rows += [[c, f"Điểm thưởng: {n}", None, v] for c, n, v in parts["bonus_items"]]
    rows.append(["", "Cộng điểm thưởng", None, parts["bonus"]])
    rows += [[c, f"Điểm trừ: {n}", None, v] for c, n, v in parts["penalty_items"]]
    rows.append(["", "Cộng điểm trừ", None, parts["penalty"]])
    rows.append(["", "TỔNG ĐIỂM", None, parts["total"]])
    columns = [
        XlsxColumn("Mã", 10),
        XlsxColumn("Tiêu chí", 70, wrap=True),
        XlsxColumn("Điểm tối đa", 12, POINTS_FORMAT, align="right"),
        XlsxColumn("Điểm", 12, POINTS_FORMAT, align="right"),
    ]
    title = f"Kết quả chấm điểm {result.period_label} — {result.unit.name}"
    return render_xlsx(XlsxSheet("Điểm", columns, rows, title_rows=[title.upper(), result.movement.title]))


@login_required
def result_detail(request: HttpRequest, pk: int) -> HttpResponse:
    result = get_result_for_user(request.user, pk)
    evidence = list(result.evidence.select_related("result__unit", "result__movement"))
    record = services.table_for(result.movement, result.year, services.cluster_of(result.unit, result.year))
    parts = _breakdown(result, record)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            _breakdown_xlsx(result, parts), f"diem-{result.year}-{result.period}-{result.unit.code}.xlsx"
        )
    can_review = can_review_result(request.user, result)
    correction_form = None
    if can_review and record is not None and result.status in ("self_scored", "reviewed", "explained"):
        columns = figure_columns(services.load_table_record(record))
        initial = flat_from_figures(columns, result.scoring_figures(), checkboxes=True)
        correction_form = CorrectionForm(columns=columns, initial={**initial, "version": result.version})
    context = {
        "result": result,
        "leaves": parts["leaves"],
        "parts": parts,
        "evidence": [e for e in evidence if can_see_evidence(request.user, e)],
        "hidden_evidence": sum(1 for e in evidence if not can_see_evidence(request.user, e)),
        "can_enter": can_enter_result(request.user, result),
        "can_review": can_review,
        "review_form": ReviewForm(),
        "explain_form": ExplainForm(),
        "evidence_form": EvidenceForm(),
        "correction_form": correction_form,
    }
    return render(request, "movements/result_detail.html", context)


@login_required
@require_POST
def result_correct(request: HttpRequest, pk: int) -> HttpResponse:
    """The reviewer's corrections and the council's points (with a reason); errors next to their field."""
    result = get_result_for_user(request.user, pk)
    if not can_review_result(request.user, result):
        raise PermissionDenied("Chỉ cụm hoặc cấp trên sửa số liệu của đơn vị")
    record = services.table_for(result.movement, result.year, services.cluster_of(result.unit, result.year))
    if record is None:
        raise Http404("Phong trào chưa có bảng chấm điểm")
    columns = figure_columns(services.load_table_record(record))
    form = CorrectionForm(request.POST, columns=columns)
    if form.is_valid():
        corrections = figures_from_flat(columns, form.flat())
        try:
            services.correct_result(
                actor=actor_of(request),
                result=result,
                corrections=corrections,
                reason=form.cleaned_data["reason"],
                version=form.seen_version(),
            )
        except DomainError as exc:
            issues = (
                services.figure_issues(result, {**result.scoring_figures(), **corrections})
                if exc.field == "figures"
                else []
            )
            if issues:
                form.add_issue_errors(issues)
            else:
                form.add_error("reason" if exc.field == "reason" else None, exc.message)
        else:
            messages.success(request, "Đã sửa số liệu; điểm thẩm định đã tính lại")
            return redirect("movements:result_detail", result.pk)
    parts = _breakdown(result, record)
    evidence = list(result.evidence.select_related("result__unit", "result__movement"))
    context = {
        "result": result,
        "leaves": parts["leaves"],
        "parts": parts,
        "evidence": [e for e in evidence if can_see_evidence(request.user, e)],
        "hidden_evidence": sum(1 for e in evidence if not can_see_evidence(request.user, e)),
        "can_enter": can_enter_result(request.user, result),
        "can_review": True,
        "review_form": ReviewForm(),
        "explain_form": ExplainForm(),
        "evidence_form": EvidenceForm(),
        "correction_form": form,
    }
    return render(request, "movements/result_detail.html", context, status=400)


@login_required
@require_POST
def result_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    result = get_result_for_user(request.user, pk)
    user = actor_of(request)
    version = parse_version(request.POST.get("version"))
    if action in ("submit", "explain", "evidence", "evidence_public", "evidence_private"):
        if not can_enter_result(user, result):
            raise PermissionDenied("Bạn không có quyền cập nhật kết quả của đơn vị này")
    elif action in ("review", "finalise"):
        if not can_review_result(user, result):
            raise PermissionDenied("Chỉ cụm hoặc cấp trên thẩm định kết quả của đơn vị")
    else:
        raise Http404("Thao tác không hợp lệ")
    if action == "submit":
        domain_call(
            request,
            lambda: services.submit_result(actor=user, result=result, version=version),
            "Đã tự chấm điểm",
        )
    elif action == "explain":
        text = request.POST.get("explanation", "")
        domain_call(
            request,
            lambda: services.explain_result(actor=user, result=result, explanation=text, version=version),
            "Đã gửi giải trình",
        )
    elif action == "evidence":
        form = EvidenceForm(request.POST, request.FILES)
        if form.is_valid():
            domain_call(
                request,
                lambda: services.add_evidence(actor=user, result=result, **form.cleaned_data),
                "Đã thêm minh chứng",
            )
        else:
            form_errors(request, form)
    elif action in ("evidence_public", "evidence_private"):
        evidence = get_object_or_404(Evidence, pk=parse_id(request.POST.get("evidence")), result=result)
        public = action == "evidence_public"
        domain_call(
            request,
            lambda: services.set_evidence_public(actor=user, evidence=evidence, public=public),
            "Đã công khai minh chứng"
            if public
            else "Minh chứng chỉ còn đơn vị, cấp trên và người thẩm định xem",
        )
    elif action == "review":
        note = request.POST.get("note", "")
        domain_call(
            request,
            lambda: services.review_result(actor=user, result=result, note=note, version=version),
            "Đã thẩm định",
        )
    else:
        domain_call(
            request,
            lambda: services.finalise_result(actor=user, result=result, version=version),
            "Đã chốt điểm chính thức",
        )
    return redirect("movements:result_detail", result.pk)
