"""Who heads a unit: the person holding its head post (Giám đốc, Trưởng phòng…) on a date, read from
the positions (`Position`), for the signature blocks of the papers the unit issues."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from thidua.lib.text import fold
from thidua.org.models import Position, Unit

HEAD_TITLES = (
    "tong giam doc",
    "giam doc",
    "chu tich",
    "truong ban",
    "chanh van phong",
    "chanh thanh tra",
    "truong phong",
    "hieu truong",
    "vien truong",
    "cuc truong",
    "vu truong",
    "thu truong",
)
"""Head posts, folded, most senior first; a title starting with "Phó" or "Quyền" is never the head."""


@dataclass(frozen=True)
class Head:
    name: str
    title: str


def _rank(title: str) -> int | None:
    folded = fold(title).strip()
    if folded.startswith(("pho ", "quyen ", "q. ")):
        return None
    for rank, head in enumerate(HEAD_TITLES):
        if folded == head or folded.startswith(head + " "):
            return rank
    return None


def head_of(unit: Unit, on: date | None = None) -> Head | None:
    """The unit's head on `on` (today by default): the holder of its most senior head post, or None."""
    day = on or date.today()
    positions = (
        Position.objects.filter(unit=unit, started_on__lte=day)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day))
        .select_related("person")
        .order_by("started_on", "id")
    )
    best: tuple[int, Position] | None = None
    for position in positions:
        rank = _rank(position.title)
        if rank is not None and (best is None or rank < best[0]):
            best = (rank, position)
    if best is None:
        return None
    return Head(best[1].person.full_name, best[1].title)
