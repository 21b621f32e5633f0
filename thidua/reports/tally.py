"""Keeping `AwardTally` in step with the history: deltas when awards are granted or revoked, and a
full rebuild (`thidua rebuild_counts`, after bulk loads such as the demo).

One grouping query (`grouped`) serves all three, so a delta and a rebuild always agree on which
row an award counts in.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    Count,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractYear

from thidua.history.models import AwardRecord
from thidua.lib.ethnic_groups import KINH
from thidua.org.models import Position
from thidua.reports.levels import kind_of, level_of
from thidua.reports.models import AwardTally

COUNTERS = ("n", "women", "direct_workers", "minorities", "prize_vnd")
BATCH = 2000


def award_unit_expression() -> Coalesce:
    """The collective itself, or the person's unit on the decision date (else their current unit)."""
    held = (
        Position.objects.filter(person_id=OuterRef("person_id"), started_on__lte=OuterRef("decided_on"))
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=OuterRef("decided_on")))
        .order_by("-started_on", "-id")
        .values("unit_id")[:1]
    )
    return Coalesce("unit_id", Subquery(held), "person__current_unit_id", output_field=BigIntegerField())


def grouped(awards: QuerySet[AwardRecord]) -> list[dict[str, Any]]:
    """The tally rows of `awards` (keys and counters), one grouping query."""
    return list(
        awards.annotate(
            award_unit=award_unit_expression(),
            decided_year=ExtractYear("decided_on"),
            subject=Case(
                When(person__isnull=False, then=Value("person")),
                default=Value("unit"),
                output_field=CharField(),
            ),
        )
        .values("year", "decided_year", "award_id", "subject", "award_unit")
        .annotate(
            n=Count("id"),
            women=Count("id", filter=Q(person__gender="nu")),
            direct_workers=Count("id", filter=Q(person__is_direct_worker=True)),
            minorities=Count("id", filter=Q(person__ethnicity__gt="") & ~Q(person__ethnicity=KINH)),
            prize_vnd=Coalesce(Sum("prize_vnd"), 0, output_field=BigIntegerField()),
        )
        .order_by()
    )


def _key(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "year": row["year"],
        "decided_year": row["decided_year"],
        "award_id": row["award_id"],
        "subject": row["subject"],
        "unit_id": row["award_unit"],
    }


KeyTuple = tuple[int, int, str, str, int | None]


def _key_tuple(values: dict[str, Any]) -> KeyTuple:
    return (values["year"], values["decided_year"], values["award_id"], values["subject"], values["unit_id"])


def _apply(rows: Iterable[dict[str, Any]], sign: int) -> None:
    """Add (sign +1) or subtract (-1) grouped rows: the existing tally rows are read once and locked
    (a concurrent decision on the same rows waits), changed in memory and written back in bulk; rows
    that reach zero are deleted, missing ones created."""
    deltas: dict[KeyTuple, dict[str, int]] = {}
    for row in rows:
        key = _key_tuple(_key(row))
        deltas[key] = {name: sign * int(row[name] or 0) for name in COUNTERS}
    if not deltas:
        return
    candidates = AwardTally.objects.select_for_update().filter(
        year__in={k[0] for k in deltas},
        decided_year__in={k[1] for k in deltas},
        award_id__in={k[2] for k in deltas},
    )
    units = {k[4] for k in deltas}
    unit_q = Q(unit_id__in=[u for u in units if u is not None])
    if None in units:
        unit_q |= Q(unit__isnull=True)
    existing = {_key_tuple(vars(t)): t for t in candidates.filter(unit_q)}
    changed: list[AwardTally] = []
    emptied: list[AwardTally] = []
    created: list[AwardTally] = []
    for key, delta in deltas.items():
        found = existing.get(key)
        if found is None:
            if (
                sign > 0
            ):  # a subtraction from a row never counted (it predates the award): a rebuild settles it
                created.append(
                    AwardTally(
                        year=key[0], decided_year=key[1], award_id=key[2], subject=key[3], unit_id=key[4],
                        level=level_of(key[2]), kind=kind_of(key[2]), **delta,
                    )
                )  # fmt: skip
            continue
        for name, value in delta.items():
            setattr(found, name, getattr(found, name) + value)
        (emptied if found.n <= 0 else changed).append(found)
    AwardTally.objects.bulk_update(changed, list(COUNTERS), batch_size=BATCH)
    AwardTally.objects.filter(pk__in=[t.pk for t in emptied]).delete()
    try:
        with transaction.atomic():
            AwardTally.objects.bulk_create(created, batch_size=BATCH)
    except IntegrityError:  # created meanwhile by a concurrent decision: add to those rows instead
        for tally_row in created:
            key_filter = {
                k: getattr(tally_row, k) for k in ("year", "decided_year", "award_id", "subject", "unit_id")
            }
            changes = {name: F(name) + getattr(tally_row, name) for name in COUNTERS}
            if not AwardTally.objects.filter(**key_filter).update(**changes):
                tally_row.pk = None
                tally_row.save()


@transaction.atomic
def add_awards(award_ids: Iterable[int]) -> None:
    """Count newly granted awards (inside the granting transaction)."""
    ids = list(award_ids)
    for start in range(0, len(ids), BATCH):
        _apply(
            grouped(AwardRecord.objects.filter(pk__in=ids[start : start + BATCH], revoked_on__isnull=True)),
            +1,
        )


@transaction.atomic
def remove_awards(award_ids: Iterable[int]) -> None:
    """Stop counting revoked awards (their `revoked_on` is already set)."""
    ids = list(award_ids)
    for start in range(0, len(ids), BATCH):
        _apply(grouped(AwardRecord.objects.filter(pk__in=ids[start : start + BATCH])), -1)


@transaction.atomic
def rebuild() -> int:
    """Recompute every row from the history; returns the number of rows."""
    AwardTally.objects.all().delete()
    rows = grouped(AwardRecord.objects.filter(revoked_on__isnull=True))
    objs = [
        AwardTally(
            **_key(row),
            level=level_of(row["award_id"]),
            kind=kind_of(row["award_id"]),
            **{name: int(row[name] or 0) for name in COUNTERS},
        )
        for row in rows
    ]
    AwardTally.objects.bulk_create(objs, batch_size=BATCH)
    return len(objs)
