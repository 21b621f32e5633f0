"""What higher apps tell the organisation without being imported by it.

A reorganisation's preview lists what is attached to the units that end or move. `org` knows its own
rows (people, roles, clusters); the higher apps know theirs (open dossiers in `awards`, for one) and
register a counter at start-up (`AppConfig.ready`): a label and a function of unit ids to a count.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

UnitCounter = Callable[[Sequence[int]], int]


@dataclass(frozen=True)
class Counter:
    key: str
    label: str
    count: UnitCounter


_COUNTERS: dict[str, Counter] = {}


def register_reorg_counter(key: str, label: str, count: UnitCounter) -> None:
    """Register (or replace) the counter `key`: `label` is shown in Vietnamese with the count."""
    _COUNTERS[key] = Counter(key, label, count)


def reorg_counts(unit_ids: Sequence[int]) -> list[tuple[str, int]]:
    """(label, count) of every registered counter over `unit_ids`, in registration order."""
    return [(c.label, c.count(unit_ids)) for c in _COUNTERS.values()]
