"""Pages of movements. Thin: an access helper, a form, a service, then redirect or render."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import yaml
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from thidua.accounts.permissions import WRITE_ROLES, get_unit_for_user, is_system_admin, scope_paths
from thidua.core.errors import DomainError
from thidua.movements import charts, exports, scoring, scoring_xlsx, services
from thidua.movements.figures import figure_columns, figures_from_flat, flat_from_figures
from thidua.movements.filters import MovementFilter
from thidua.movements.forms import (
    CopyTableForm,
    DocumentForm,
    EvidenceForm,
    ExplainForm,
    ImportForm,
    LeadsForm,
    MilestoneForm,
    MovementForm,
    ParticipantsForm,
    ReasonForm,
    RegistrationForm,
    ResultForm,
    ReviewForm,
    ScoringTableUploadForm,
)
from thidua.movements.imports import ImportRejected, import_results_xlsx, results_template
from thidua.movements.models import (
    Evidence,
    Movement,
    MovementDocument,
    Period,
    Ranking,
    Registration,
    Result,
    ScoringTable,
    participating_units,
    period_label,
    period_order,
)
from thidua.movements.permissions import (
    can_act_for_unit,
    can_edit_registration,
    can_enter_result,
    can_manage_movement,
    can_review_cluster,
    can_review_registration,
    can_review_result,
    get_movement_for_user,
    get_ranking_for_user,
    get_registration_for_user,
    get_result_for_user,
    reviewed_clusters,
    visible_movements,
    visible_rankings,
    visible_registrations,
    visible_results,
)
from thidua.movements.xlsx import XLSX_CONTENT_TYPE, to_bytes
from thidua.org.models import Cluster


def _xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _domain_call(request: HttpRequest, call: Callable[[], Any], success: str) -> bool:
    try:
        call()
    except DomainError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, success)
    return True


def _form_errors(request: HttpRequest, form: Any) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else str(error))


MAIN_PERIODS = [(p.value, str(p.label)) for p in (Period.YEAR, Period.Q1, Period.Q2, Period.Q3, Period.Q4)]


def _ranking_rows(rankings: Any) -> list[dict[str, Any]]:
    """Rankings grouped by year and cluster, periods in order: one row per cluster."""
    rows: dict[tuple[int, str], dict[str, Any]] = {}
    for ranking in rankings.select_related("cluster").order_by("-year", "cluster__name"):
        row = rows.setdefault(
            (ranking.year, ranking.cluster.name),
            {"year": ranking.year, "cluster": ranking.cluster, "rankings": []},
        )
        row["rankings"].append(ranking)
    for row in rows.values():
        row["rankings"].sort(key=lambda r: period_order(r.period))
    return list(rows.values())


# -- movements ------------------------------------------------------------------------------------
@login_required
def movement_list(request: HttpRequest) -> HttpResponse:
    """Movements by level, year, status and kind (the same FilterSet as the API list)."""
    base = visible_movements(request.user).select_related("launching_unit", "parent")
    movement_filter = MovementFilter(request.GET, queryset=base, request=request)
    page = Paginator(movement_filter.qs.order_by("-start_year", "title"), 50).get_page(
        request.GET.get("page")
    )
    template = (
        "movements/partials/movement_rows.html"
        if request.headers.get("HX-Request")
        else "movements/movement_list.html"
    )
    can_create = is_system_admin(request.user) or bool(scope_paths(request.user, WRITE_ROLES))
    return render(request, template, {"filter": movement_filter, "page": page, "can_create": can_create})


@login_required
def movement_create(request: HttpRequest) -> HttpResponse:
    form = MovementForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit = data["launching_unit"]
        if unit is not None:
            get_unit_for_user(request.user, unit.pk, write=True)
        elif not request.user.is_superuser:
            raise PermissionDenied("Chỉ quản trị hệ thống tạo phong trào không gắn đơn vị phát động")
        try:
            movement = services.create_movement(actor=request.user, **data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "Đã tạo phong trào (dự thảo)")
            return redirect("movements:detail", movement.pk)
    return render(request, "movements/movement_form.html", {"form": form})


@login_required
def movement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    movement = get_movement_for_user(request.user, pk, write=True)
    form = MovementForm(request.POST or None, instance=movement, user=request.user)
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items()}
        movement.refresh_from_db()
        try:
            services.update_movement(actor=request.user, movement=movement, **changes)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "Đã lưu phong trào")
            return redirect("movements:detail", movement.pk)
    return render(request, "movements/movement_form.html", {"form": form, "movement": movement})


@login_required
def movement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    movement = get_movement_for_user(request.user, pk)
    manage = can_manage_movement(request.user, movement)
    context = {
        "movement": movement,
        "manage": manage,
        "actions": services.available_actions(movement) if manage else [],
        "documents": movement.documents.all(),
        "milestones": movement.milestones.all(),
        "participations": movement.participations.select_related("unit"),
        "participant_count": participating_units(movement).count(),
        "children": visible_movements(request.user).filter(parent=movement).select_related("launching_unit"),
        "tables": movement.scoring_tables.select_related("cluster"),
        "ranking_rows": _ranking_rows(visible_rankings(request.user).filter(movement=movement)),
        "leads": movement.leads.select_related("unit"),
        "years": list(reversed(movement.years())),
        "periods": MAIN_PERIODS,
        "document_form": DocumentForm(),
        "milestone_form": MilestoneForm(),
        "participants_form": ParticipantsForm(user=request.user),
        "reason_form": ReasonForm(),
        "leads_form": LeadsForm(movement=movement)
        if manage and movement.kind != Movement.Kind.REGULAR
        else None,
    }
    return render(request, "movements/movement_detail.html", context)


@login_required
@require_POST
def movement_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    movement = get_movement_for_user(request.user, pk, write=True)
    if action not in services.ACTIONS:
        raise Http404("Thao tác không hợp lệ")
    label = services.ACTIONS[action][1]
    _domain_call(
        request,
        lambda: services.run_action(
            actor=request.user, movement=movement, action=action, reason=request.POST.get("reason", "")
        ),
        f"Đã thực hiện: {label}",
    )
    return redirect("movements:detail", movement.pk)


@login_required
@require_POST
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    movement = get_movement_for_user(request.user, pk, write=True)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        _domain_call(
            request,
            lambda: services.add_movement_document(
                actor=request.user, movement=movement, **form.cleaned_data
            ),
            "Đã thêm văn bản",
        )
    else:
        _form_errors(request, form)
    return redirect("movements:detail", movement.pk)


@login_required
@require_POST
def milestone_add(request: HttpRequest, pk: int) -> HttpResponse:
    movement = get_movement_for_user(request.user, pk, write=True)
    form = MilestoneForm(request.POST)
    if form.is_valid():
        _domain_call(
            request,
            lambda: services.add_milestone(actor=request.user, movement=movement, **form.cleaned_data),
            "Đã thêm mốc thời gian",
        )
    else:
        _form_errors(request, form)
    return redirect("movements:detail", movement.pk)


@login_required
@require_POST
def participants_add(request: HttpRequest, pk: int) -> HttpResponse:
    movement = get_movement_for_user(request.user, pk, write=True)
    form = ParticipantsForm(request.POST, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        _domain_call(
            request,
            lambda: services.add_participants(
                actor=request.user,
                movement=movement,
                units=[data["unit"]],
                include_subtree=data["include_subtree"],
                unit_kind=data["unit_kind"],
            ),
            "Đã thêm đơn vị tham gia",
        )
    else:
        _form_errors(request, form)
    return redirect("movements:detail", movement.pk)


@login_required
def document_file(request: HttpRequest, pk: int) -> FileResponse:
    """A movement document's file, for whoever may see the movement (files are not served publicly)."""
    document = get_object_or_404(MovementDocument, pk=pk)
    get_movement_for_user(request.user, document.movement_id)
    if not document.file:
        raise Http404("Văn bản không có tệp đính kèm")
    return FileResponse(
        document.file.open("rb"), as_attachment=True, filename=document.file.name.rsplit("/", 1)[-1]
    )


@login_required
def evidence_file(request: HttpRequest, pk: int) -> FileResponse:
    """An evidence file, for whoever may see the result it proves."""
    evidence = get_object_or_404(Evidence, pk=pk)
    get_result_for_user(request.user, evidence.result_id)
    return FileResponse(
        evidence.file.open("rb"), as_attachment=True, filename=evidence.file.name.rsplit("/", 1)[-1]
    )


@login_required
@require_POST
def leads_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the leading unit(s) of a thematic or ad-hoc movement for a year, at its review."""
    movement = get_movement_for_user(request.user, pk, write=True)
    form = LeadsForm(request.POST, movement=movement)
    if form.is_valid():
        leaders = [(unit, rank) for rank, unit in enumerate(form.cleaned_data["units"], start=1)]
        _domain_call(
            request,
            lambda: services.record_movement_leads(
                actor=request.user, movement=movement, year=form.cleaned_data["year"], leaders=leaders
            ),
            "Đã ghi nhận đơn vị dẫn đầu",
        )
    else:
        _form_errors(request, form)
    return redirect("movements:detail", movement.pk)


# -- scoring tables -------------------------------------------------------------------------------
def read_table_upload(name: str, content: bytes) -> Any:
    """YAML/JSON text or an .xlsx workbook in the scoring module's layout, as plain table data."""
    if name.lower().endswith(".xlsx"):
        try:
            return scoring.table_to_dict(scoring_xlsx.table_from_xlsx(content))
        except scoring.TableError as exc:
            raise services.scoring_domain_error(exc, field="file") from exc
    try:
        return yaml.safe_load(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise DomainError(f"Không đọc được nội dung YAML: {exc}", field="file") from exc


@login_required
def table_upload(request: HttpRequest, pk: int) -> HttpResponse:
    movement = get_movement_for_user(request.user, pk, write=True)
    form = ScoringTableUploadForm(
        request.POST or None, request.FILES or None, initial={"year": movement.start_year}
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload:
                data = read_table_upload(upload.name, upload.read())
            else:
                data = read_table_upload("bang.yaml", form.cleaned_data["text"].encode())
            record = services.save_scoring_table(
                actor=request.user,
                movement=movement,
                year=form.cleaned_data["year"],
                cluster=form.cleaned_data["cluster"],
                data=data,
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Đã lưu bảng chấm điểm")
            return redirect("movements:table_detail", record.pk)
    return render(request, "movements/table_upload.html", {"form": form, "movement": movement})


def _get_table(request: HttpRequest, pk: int, *, write: bool = False) -> ScoringTable:
    record = get_object_or_404(ScoringTable.objects.select_related("movement", "cluster"), pk=pk)
    get_movement_for_user(request.user, record.movement_id, write=write)
    return record


@login_required
def table_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = _get_table(request, pk)
    table = services.load_table_record(record)
    rows = []
    for criterion in table.criteria:
        stack = [(criterion, 0)]
        while stack:
            node, depth = stack.pop()
            rows.append(
                {"c": node, "depth": depth, "method": scoring.METHOD_LABELS.get(node.method or "", "")}
            )
            stack.extend((child, depth + 1) for child in reversed(node.children))
    context = {
        "record": record,
        "table": table,
        "rows": rows,
        "manage": can_manage_movement(request.user, record.movement),
        "copy_form": CopyTableForm(initial={"year": record.year + 1}),
    }
    return render(request, "movements/table_detail.html", context)


@login_required
def table_export(request: HttpRequest, pk: int) -> HttpResponse:
    record = _get_table(request, pk)
    if request.GET.get("format") == "xlsx":
        data = scoring_xlsx.table_to_xlsx(services.load_table_record(record))
        return _xlsx_response(data, f"bang-cham-diem-{record.year}-{record.pk}.xlsx")
    text = yaml.safe_dump(record.data, allow_unicode=True, sort_keys=False)
    response = HttpResponse(text, content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="bang-cham-diem-{record.year}-{record.pk}.yaml"'
    return response


@login_required
@require_POST
def table_copy(request: HttpRequest, pk: int) -> HttpResponse:
    record = _get_table(request, pk, write=True)
    form = CopyTableForm(request.POST)
    if form.is_valid():
        try:
            copy = services.copy_scoring_table(
                actor=request.user, source=record, year=form.cleaned_data["year"]
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"Đã sao chép bảng sang năm {copy.year}")
            return redirect("movements:table_detail", copy.pk)
    else:
        _form_errors(request, form)
    return redirect("movements:table_detail", record.pk)


# -- registrations --------------------------------------------------------------------------------
@login_required
def registration_list(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    """The consolidated list for a year (the units' own rows for a unit), who has not registered, .xlsx."""
    movement = get_movement_for_user(request.user, pk)
    registrations = list(
        visible_registrations(request.user)
        .filter(movement=movement, year=year)
        .select_related("unit")
        .order_by("unit__path")
    )
    if request.GET.get("format") == "xlsx":
        data = to_bytes(exports.registrations_workbook(movement, year, registrations))
        return _xlsx_response(data, f"dang-ky-thi-dua-{year}.xlsx")
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
    form = RegistrationForm(request.POST or None, criteria=criteria, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.save_registration(
                actor=request.user,
                movement=movement,
                unit=unit,
                year=year,
                targets=form.targets(),
                titles=form.titles(),
                note=form.cleaned_data["note"],
            )
            if "submit" in request.POST:
                services.submit_registration(actor=request.user, registration=registration)
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
    if action == "submit":
        if not can_edit_registration(request.user, registration):
            raise PermissionDenied("Bạn không có quyền gửi bản đăng ký này")
        _domain_call(
            request,
            lambda: services.submit_registration(actor=request.user, registration=registration),
            "Đã gửi đăng ký",
        )
    elif action in ("approve", "return"):
        if not can_review_registration(request.user, registration):
            raise PermissionDenied("Chỉ cấp trên của đơn vị duyệt hoặc trả lại bản đăng ký")
        if action == "approve":
            _domain_call(
                request,
                lambda: services.approve_registration(actor=request.user, registration=registration),
                "Đã duyệt đăng ký",
            )
        else:
            _domain_call(
                request,
                lambda: services.return_registration(
                    actor=request.user, registration=registration, reason=request.POST.get("reason", "")
                ),
                "Đã trả lại đăng ký để bổ sung",
            )
    else:
        raise Http404("Thao tác không hợp lệ")
    return redirect("movements:registration_list", registration.movement_id, registration.year)


# -- results --------------------------------------------------------------------------------------
def _check_period(period: str) -> str:
    if period not in Period.values:
        raise Http404("Kỳ báo cáo không hợp lệ")
    return period


@login_required
def result_list(request: HttpRequest, pk: int, year: int, period: str) -> HttpResponse:
    movement = get_movement_for_user(request.user, pk)
    _check_period(period)
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
    _check_period(period)
    units = [u for u in participating_units(movement) if can_act_for_unit(request.user, u)]
    try:
        wb = results_template(movement, year, period, units)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("movements:result_list", movement.pk, year, period)
    return _xlsx_response(to_bytes(wb), f"mau-ket-qua-{year}-{period}.xlsx")


@login_required
@require_POST
def result_import(request: HttpRequest, pk: int, year: int, period: str) -> HttpResponse:
    movement = get_movement_for_user(request.user, pk)
    _check_period(period)
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
        _form_errors(request, form)
    context = {"movement": movement, "year": year, "period": period, "issues": issues}
    return render(request, "movements/result_import_errors.html", context, status=400)


@login_required
def result_edit(request: HttpRequest, pk: int, year: int, period: str, unit_pk: int) -> HttpResponse:
    movement = get_movement_for_user(request.user, pk)
    _check_period(period)
    unit = get_unit_for_user(request.user, unit_pk, write=True)
    record = services.table_for(movement, year, services.cluster_of(unit, year))
    if record is None:
        messages.error(request, f"Phong trào chưa có bảng chấm điểm năm {year}")
        return redirect("movements:detail", movement.pk)
    columns = figure_columns(services.load_table_record(record))
    existing = Result.objects.filter(movement=movement, unit=unit, year=year, period=period).first()
    initial = flat_from_figures(columns, existing.figures) if existing else {}
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
        "evidence": result.evidence.all(),
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
    if action in ("submit", "explain", "evidence"):
        if not can_enter_result(user, result):
            raise PermissionDenied("Bạn không có quyền cập nhật kết quả của đơn vị này")
    elif action in ("review", "finalise"):
        if not can_review_result(user, result):
            raise PermissionDenied("Chỉ cụm hoặc cấp trên thẩm định kết quả của đơn vị")
    else:
        raise Http404("Thao tác không hợp lệ")
    if action == "submit":
        _domain_call(request, lambda: services.submit_result(actor=user, result=result), "Đã tự chấm điểm")
    elif action == "explain":
        text = request.POST.get("explanation", "")
        _domain_call(
            request,
            lambda: services.explain_result(actor=user, result=result, explanation=text),
            "Đã gửi giải trình",
        )
    elif action == "evidence":
        form = EvidenceForm(request.POST, request.FILES)
        if form.is_valid():
            _domain_call(
                request,
                lambda: services.add_evidence(actor=user, result=result, **form.cleaned_data),
                "Đã thêm minh chứng",
            )
        else:
            _form_errors(request, form)
    elif action == "review":
        note = request.POST.get("note", "")
        _domain_call(
            request, lambda: services.review_result(actor=user, result=result, note=note), "Đã thẩm định"
        )
    else:
        _domain_call(
            request, lambda: services.finalise_result(actor=user, result=result), "Đã chốt điểm chính thức"
        )
    return redirect("movements:result_detail", result.pk)


# -- rankings -------------------------------------------------------------------------------------
@login_required
def leaderboard(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    """Rankings of every cluster of the year with a bar chart each, and the trend over periods."""
    movement = get_movement_for_user(request.user, pk)
    period = _check_period(request.GET.get("ky", Period.YEAR))
    rankings = list(
        visible_rankings(request.user)
        .filter(movement=movement, year=year, period=period)
        .select_related("cluster")
        .prefetch_related("entries__unit")
        .order_by("cluster__name")
    )
    boards = [
        {
            "ranking": r,
            "entries": list(r.entries.all()),
            "chart": mark_safe(charts.bar_chart([(e.unit.name, e.total) for e in r.entries.all()])),
        }
        for r in rankings
    ]
    reviewable = (
        reviewed_clusters(request.user, year)
        .filter(memberships__unit__in=participating_units(movement))
        .distinct()
    )
    context = {
        "movement": movement,
        "year": year,
        "period": period,
        "period_label": period_label(period, year),
        "boards": boards,
        "reviewable": reviewable,
        "periods": Period.choices,
    }
    return render(request, "movements/leaderboard.html", context)


@login_required
@require_POST
def ranking_compute(request: HttpRequest, pk: int, year: int, cluster_pk: int) -> HttpResponse:
    movement = get_movement_for_user(request.user, pk)
    cluster = get_object_or_404(Cluster.objects.select_related("organiser_unit", "head_unit"), pk=cluster_pk)
    if not can_review_cluster(request.user, cluster):
        raise PermissionDenied("Bạn không có quyền chấm điểm, xếp hạng cụm này")
    period = _check_period(request.POST.get("period", Period.YEAR))
    holder: dict[str, Ranking] = {}

    def call() -> None:
        holder["r"] = services.compute_ranking(
            actor=request.user, movement=movement, cluster=cluster, year=year, period=period
        )

    if _domain_call(request, call, "Đã tính xếp hạng"):
        return redirect("movements:ranking_detail", holder["r"].pk)
    return redirect("movements:leaderboard", movement.pk, year)


def _trend(ranking: Ranking) -> str:
    """Scores of the cluster's units over the periods of the year (current score of each result)."""
    unit_ids = [e.unit_id for e in ranking.entries.all()]
    results = Result.objects.filter(
        movement=ranking.movement, year=ranking.year, unit_id__in=unit_ids
    ).exclude(status=Result.Status.DRAFT)
    periods = sorted({r.period for r in results}, key=period_order)
    if len(periods) < 2:
        return ""
    by_unit: dict[int, dict[str, Decimal | None]] = {}
    for r in results:
        by_unit.setdefault(r.unit_id, {})[r.period] = r.current_score
    names = {e.unit_id: e.unit.name for e in ranking.entries.all()}
    series = [(names[u], [by_unit.get(u, {}).get(p) for p in periods]) for u in unit_ids]
    labels = [str(Period(p).label) for p in periods]
    return charts.line_chart(labels, series)


@login_required
def ranking_detail(request: HttpRequest, pk: int) -> HttpResponse:
    ranking = get_ranking_for_user(request.user, pk)
    if request.GET.get("format") == "xlsx":
        data = to_bytes(exports.ranking_workbook(ranking))
        return _xlsx_response(data, f"xep-hang-{ranking.year}-{ranking.pk}.xlsx")
    entries = list(ranking.entries.select_related("unit"))
    context = {
        "ranking": ranking,
        "entries": entries,
        "bar": mark_safe(charts.bar_chart([(e.unit.name, e.total) for e in entries])),
        "trend": mark_safe(_trend(ranking)),
        "can_review": can_review_cluster(request.user, ranking.cluster),
    }
    return render(request, "movements/ranking_detail.html", context)


@login_required
@require_POST
def ranking_publish(request: HttpRequest, pk: int) -> HttpResponse:
    ranking = get_ranking_for_user(request.user, pk, write=True)
    _domain_call(
        request, lambda: services.publish_ranking(actor=request.user, ranking=ranking), "Đã công bố xếp hạng"
    )
    return redirect("movements:ranking_detail", ranking.pk)
