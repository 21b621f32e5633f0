"""How "Việc cần làm" is counted for the home dashboard: by kind, without building every task."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class KindCount:
    """How many things of one kind wait for a user; `url` is the one item's page when there is
    exactly one (None otherwise); `overdue` when one of them is past its deadline."""

    count: int
    url: str | None
    overdue: bool = False
