"""Scoring table pages: load (YAML, JSON, .xlsx), show, export, copy to another year."""

from __future__ import annotations

import json
from typing import Any

import yaml
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from thidua.core.errors import DomainError
from thidua.core.versioning import parse_version
from thidua.lib.ids import parse_id
from thidua.movements import scoring, scoring_xlsx, services, table_editor
from thidua.movements.figures import figure_columns, figures_from_flat
from thidua.movements.forms import (
    CopyTableForm,
    ResultForm,
    ScoringTableUploadForm,
)
from thidua.movements.models import (
    ScoringTable,
)
from thidua.movements.permissions import (
    can_manage_movement,
    get_movement_for_user,
)
from thidua.movements.services.common import json_safe
from thidua.movements.views.common import (
    form_errors,
    xlsx_response,
)
from thidua.org.view_helpers import actor_of

# -- scoring tables -------------------------------------------------------------------------------


@login_required
def table_upload(request: HttpRequest, pk: int) -> HttpResponse:
    movement = get_movement_for_user(request.user, pk, write=True)
    initial: dict[str, Any] = {"year": movement.start_year, "version": 0}
    replacing_id = parse_id(request.GET.get("thay"))
    replacing = (
        ScoringTable.objects.filter(movement=movement, pk=replacing_id).first() if replacing_id else None
    )
    if replacing is not None:  # «Thay bảng này» on a table's page: the version it replaces
        initial = {"year": replacing.year, "cluster": replacing.cluster_id, "version": replacing.version}
    form = ScoringTableUploadForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload:
                data = services.parse_table_file(upload.name, upload.read())
            else:
                data = services.parse_table_file("bang.yaml", form.cleaned_data["text"].encode())
            record = services.save_scoring_table(
                actor=actor_of(request),
                movement=movement,
                year=form.cleaned_data["year"],
                cluster=form.cleaned_data["cluster"],
                data=data,
                version=form.seen_version(),
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Đã lưu bảng chấm điểm")
            return redirect("movements:table_detail", record.pk)
    context = {"form": form, "movement": movement, "replacing": replacing}
    return render(request, "movements/table_upload.html", context)


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
        return xlsx_response(data, f"bang-cham-diem-{record.year}-{record.pk}.xlsx")
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
                actor=actor_of(request), source=record, year=form.cleaned_data["year"]
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"Đã sao chép bảng sang năm {copy.year}")
            return redirect("movements:table_detail", copy.pk)
    else:
        form_errors(request, form)
    return redirect("movements:table_detail", record.pk)


def _editor_rows(request: HttpRequest, record: ScoringTable) -> list[table_editor.Row]:
    if request.method == "POST":
        rows = table_editor.rows_from_post(request.POST)
        op = request.POST.get("op", "")
        if op not in ("save", "preview", "refresh"):
            rows = table_editor.apply(rows, op)
        return rows
    return table_editor.rows_from_data(record.data)


@login_required
def table_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The criteria tree as a form: add, move, remove; parameters in Vietnamese; preview; save."""
    record = _get_table(request, pk, write=True)
    rows = _editor_rows(request, record)
    op = request.POST.get("op", "") if request.method == "POST" else ""
    # The version the editing started from travels with every step (add, move, preview) until «save».
    posted = parse_version(request.POST.get("version")) if request.method == "POST" else None
    editing_version = record.version if posted is None else posted
    data, paths = table_editor.data_from_rows(rows, record.data)
    row_errors: dict[int, list[str]] = {}
    table_errors: list[str] = []
    preview: dict[str, Any] | None = None
    preview_form = None
    table = None
    try:
        table = scoring.load_table(data)
    except scoring.TableError as exc:
        if op in ("save", "preview"):
            row_errors, table_errors = table_editor.issues_by_row(exc.issues, paths)
    if table is not None:
        columns = figure_columns(table)
        preview_form = ResultForm(
            request.POST if op == "preview" else None, columns=columns, judged=True, prefix="pv"
        )
        if op == "preview" and preview_form.is_valid():
            figures = figures_from_flat(columns, preview_form.flat())
            try:
                score = scoring.score_unit(table, json_safe(figures))
            except scoring.FiguresError as exc:
                preview_form.add_issue_errors(list(exc.issues))
            else:
                preview = {
                    "leaves": [
                        (c.code, c.name, c.max_points, score.leaves[c.code].points) for c in table.leaves()
                    ],
                    "earned": score.earned,
                    "base": score.base,
                    "bonus": score.bonus,
                    "penalty": score.penalty,
                    "total": score.total,
                }
        if op == "save":
            try:
                services.save_scoring_table(
                    actor=actor_of(request),
                    movement=record.movement,
                    year=record.year,
                    data=data,
                    cluster=record.cluster,
                    title=record.title,
                    version=editing_version,
                )
            except DomainError as exc:
                table_errors.append(exc.message)
            else:
                messages.success(request, "Đã lưu bảng chấm điểm")
                return redirect("movements:table_detail", record.pk)
    context = {
        "record": record,
        "rows": [
            {
                "i": i,
                "row": row,
                "errors": row_errors.get(i, []),
                "params": row.param_fields(),
                "extra": json.dumps(row.extra, ensure_ascii=False),
                "item_ids": json.dumps(row.item_ids, ensure_ascii=False),
            }
            for i, row in enumerate(rows)
        ],
        "count": len(rows),
        "editing_version": editing_version,
        "methods": table_editor.METHOD_CHOICES,
        "table_errors": table_errors,
        "preview_form": preview_form,
        "preview": preview,
        "bonus": data.get("bonus") or [],
        "penalties": data.get("penalties") or [],
    }
    template = (
        "movements/partials/table_editor.html"
        if request.headers.get("HX-Request")
        else "movements/table_edit.html"
    )
    return render(request, template, context, status=400 if row_errors or table_errors else 200)
