"""Result pages: list, entry form, Excel template and import, detail, review actions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from thidua.core.errors import DomainError
from thidua.core.versioning import current_version, parse_version
from thidua.lib.ids import parse_id
from thidua.lib.xlsx import to_bytes
from thidua.movements import services
from thidua.movements.figures import figure_columns, figures_from_flat, flat_from_figures
from thidua.movements.forms import (
    EvidenceForm,
    ExplainForm,
    ImportForm,
    ResultForm,
    ReviewForm,
)
from thidua.movements.imports import ImportRejected, import_results_xlsx, results_template
from thidua.movements.models import (
    Evidence,
    Result,
    participating_units,
    period_label,
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
from thidua.movements.views.common import (
    MAIN_PERIODS,
    check_period,
    domain_call,
    form_errors,
    xlsx_response,
)
from thidua.org.permissions import get_unit_for_user

# -- results --------------------------------------------------------------------------------------


@login_required
def result_list(request: HttpRequest, pk: int, year: int, period: str) -> HttpResponse:
    movement = get_movement_for_user(request.user, pk)
    check_period(period)
    results = (
        visible_results(request.user)
        .filter(movement=movement, year=year, period=period)
        .select_related("unit")
        .order_by("unit__path")
    )
    units = list(participating_units(movement))
    own = [u for u in units if can_act_for_unit(request.user, u)]
    entered = {r.unit_id for r in results}
    context = {
        "movement": movement,
        "year": year,
        "period": period,
        "period_label": period_label(period, year),
        "results": results,
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
    initial = flat_from_figures(columns, existing.figures) if existing else {}
    initial["version"] = current_version(existing)
    form = ResultForm(request.POST or None, columns=columns, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.save_result(
                actor=request.user,
                movement=movement,
                unit=unit,
                year=year,
                period=period,
                figures=figures_from_flat(columns, form.flat()),
                version=form.seen_version(),
            )
            if "submit" in request.POST:
                services.submit_result(actor=request.user, result=result)
        except DomainError as exc:
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
    }
    return render(request, "movements/result_form.html", context)


@login_required
def result_detail(request: HttpRequest, pk: int) -> HttpResponse:
    result = get_result_for_user(request.user, pk)
    evidence = list(result.evidence.select_related("result__unit", "result__movement"))
    record = services.table_for(result.movement, result.year, services.cluster_of(result.unit, result.year))
    leaves: list[dict[str, Any]] = []
    if record is not None:
        points = result.score_detail.get("leaves", {})
        leaves = [
            {"code": c.code, "name": c.name, "max": c.max_points, "points": points.get(c.code)}
            for c in services.load_table_record(record).leaves()
        ]
    context = {
        "result": result,
        "leaves": leaves,
        "evidence": [e for e in evidence if can_see_evidence(request.user, e)],
        "hidden_evidence": sum(1 for e in evidence if not can_see_evidence(request.user, e)),
        "can_enter": can_enter_result(request.user, result),
        "can_review": can_review_result(request.user, result),
        "review_form": ReviewForm(),
        "explain_form": ExplainForm(),
        "evidence_form": EvidenceForm(),
    }
    return render(request, "movements/result_detail.html", context)


@login_required
@require_POST
def result_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    result = get_result_for_user(request.user, pk)
    user = request.user
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
