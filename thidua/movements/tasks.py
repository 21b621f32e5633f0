"""What waits for a user in the movements ("Việc cần làm"): registrations and results to act on.

One rule for both uses: `_task_rows` says, as conditions on the rows, which registrations and results
are the user's tasks of each kind; `movement_tasks` lists them, `movement_task_counts` counts them
(the home dashboard) with one query per table."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Min, Q, QuerySet
from django.urls import reverse

from thidua.core.db import compiled_rows
from thidua.core.todo import KindCount, kind_case
from thidua.movements.models import Registration, Result
from thidua.movements.permissions import review_conditions, visible_registrations, visible_results
from thidua.org.permissions import access_key

LIMIT = 500  # a dashboard list, not a report: beyond this the lists themselves are the place


@dataclass(frozen=True)
class Todo:
    kind: str  # approve_registration | revise_registration | review_result | explain_result
    label: str
    url: str


def _task_rows(user: Any) -> tuple[QuerySet[Registration], dict[str, Q], QuerySet[Result], dict[str, Q]]:
    """The visible registrations and results that may be tasks, and the condition of each kind."""
    reviews, own = review_conditions(user)
    registrations = visible_registrations(user).filter(
        status__in=[Registration.Status.SUBMITTED, Registration.Status.RETURNED]
    )
    results = visible_results(user).filter(status__in=[Result.Status.SELF_SCORED, Result.Status.REVIEWED])
    return (
        registrations,
        {
            "approve_registration": Q(status=Registration.Status.SUBMITTED) & reviews,
            "revise_registration": Q(status=Registration.Status.RETURNED) & own,
        },
        results,
        {
            "review_result": Q(status=Result.Status.SELF_SCORED) & reviews,
            "explain_result": Q(status=Result.Status.REVIEWED) & own,
        },
    )


def movement_tasks(user: Any) -> list[Todo]:
    """Registrations to approve or revise, results to review or explain, within the user's reach
    (at most `LIMIT` of each kind)."""
    if not getattr(user, "is_authenticated", False):
        return []
    registrations, reg_kinds, results, result_kinds = _task_rows(user)
    todos: list[Todo] = []
    approve = registrations.filter(reg_kinds["approve_registration"]).select_related("unit").order_by("pk")
    for reg in approve[:LIMIT]:
        todos.append(
            Todo(
                "approve_registration",
                f"Duyệt đăng ký thi đua {reg.year} của {reg.unit.name}",
                reverse("movements:registration_list", args=[reg.movement_id, reg.year]),
            )
        )
    revise = registrations.filter(reg_kinds["revise_registration"]).select_related("movement").order_by("pk")
    for reg in revise[:LIMIT]:
        todos.append(
            Todo(
                "revise_registration",
                f"Bổ sung đăng ký thi đua {reg.year} bị trả lại ({reg.movement.title})",
                reverse("movements:registration_edit", args=[reg.movement_id, reg.year, reg.unit_id]),
            )
        )
    review = results.filter(result_kinds["review_result"]).select_related("unit").order_by("pk")
    for r in review[:LIMIT]:
        url = reverse("movements:result_detail", args=[r.pk])
        todos.append(Todo("review_result", f"Thẩm định kết quả {r.period_label} của {r.unit.name}", url))
    explain = results.filter(result_kinds["explain_result"]).order_by("pk")
    for r in explain[:LIMIT]:
        url = reverse("movements:result_detail", args=[r.pk])
        todos.append(Todo("explain_result", f"Xem thẩm định, giải trình kết quả {r.period_label}", url))
    return todos


def _counts(
    key: tuple[Any, ...], rows: Callable[[], tuple[QuerySet[Any], dict[str, Q]]], fields: list[str]
) -> dict[str, tuple[int, list[Any]]]:
    """kind → (rows of that kind, `fields` of the one row when there is exactly one): one grouped
    query, compiled once per user and grants (`compiled_rows`). With a single row, the smallest value
    of each field is that row's own."""

    def grouped() -> QuerySet[Any]:
        candidates, kinds = rows()
        grouped: QuerySet[Any] = (
            candidates.annotate(task=kind_case(kinds))
            .order_by()
            .values("task")
            .annotate(n=Count("pk"), **{f"min_{f}": Min(f) for f in fields})
        )
        return grouped

    # The rows of no kind make a group of their own (task None), not worth a second CASE in WHERE.
    return {task: (n, list(mins)) for task, n, *mins in compiled_rows(key, grouped) if task}


def movement_task_counts(user: Any) -> dict[str, KindCount]:
    """`movement_tasks` counted by kind (capped at `LIMIT`), with the one task's page when a kind has
    exactly one: two queries, whatever the number of rows."""
    if not getattr(user, "is_authenticated", False):
        return {}
    key = access_key(user)
    counts: dict[str, KindCount] = {}
    for kind, (n, (movement_id, year, unit_id)) in _counts(
        ("movements.registration_tasks", *key),
        lambda: _task_rows(user)[:2],
        ["movement_id", "year", "unit_id"],
    ).items():  # a group of the count has at least one row
        url = None
        if n == 1:
            args = [movement_id, year] if kind == "approve_registration" else [movement_id, year, unit_id]
            name = "registration_list" if kind == "approve_registration" else "registration_edit"
            url = reverse(f"movements:{name}", args=args)
        counts[kind] = KindCount(min(n, LIMIT), url)
    for kind, (n, (pk,)) in _counts(
        ("movements.result_tasks", *key), lambda: _task_rows(user)[2:], ["pk"]
    ).items():
        counts[kind] = KindCount(
            min(n, LIMIT), reverse("movements:result_detail", args=[pk]) if n == 1 else None
        )
    return counts
