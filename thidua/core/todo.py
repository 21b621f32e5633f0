"""How "Việc cần làm" is counted for the home dashboard: by kind, without building every task."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Case, CharField, Q, Value, When


@dataclass(frozen=True)
class KindCount:
    """How many things of one kind wait for a user; `url` is the one item's page when there is
    exactly one (None otherwise); `overdue` when one of them is past its deadline."""

    count: int
    url: str | None
    overdue: bool = False


def kind_case(kinds: Mapping[str, Q]) -> Case:
    """The task kind of a row as SQL (`CASE WHEN … THEN 'kind' … ELSE NULL END`), from the conditions
    of each kind in order (the first that holds wins): the one builder of the to-do lists and
    counts (`thidua.movements.tasks`, `thidua.awards.services.reminders`)."""
    return Case(
        *(When(condition, then=Value(kind)) for kind, condition in kinds.items()),
        default=None,
        output_field=CharField(),
    )
