"""Helpers shared by the movement pages: xlsx responses, messages from DomainError, periods."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse

from thidua.core.errors import DomainError
from thidua.lib.xlsx import XLSX_CONTENT_TYPE
from thidua.movements.models import (
    Period,
    period_order,
)


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def domain_call(request: HttpRequest, call: Callable[[], Any], success: str) -> bool:
    try:
        call()
    except DomainError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, success)
    return True


def form_errors(request: HttpRequest, form: Any) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else str(error))


MAIN_PERIODS = [(p.value, str(p.label)) for p in (Period.YEAR, Period.Q1, Period.Q2, Period.Q3, Period.Q4)]


def ranking_rows(rankings: Any) -> list[dict[str, Any]]:
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


def check_period(period: str) -> str:
    if period not in Period.values:
        raise Http404("Kỳ báo cáo không hợp lệ")
    return period
