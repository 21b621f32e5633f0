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


def _apply(rows: Iterable[dict[str, Any]], sign: int) -> None:
    for row in rows:
        key = _key(row)
        delta = {name: sign * int(row[name] or 0) for name in COUNTERS}
        changes = {name: F(name) + value for name, value in delta.items()}
        if AwardTally.objects.filter(**key).update(**changes):
            AwardTally.objects.filter(**key, n__lte=0).delete()
            continue
        if sign < 0:
            continue  # nothing counted there (the tally predates the award): a rebuild settles it
        try:
            with transaction.atomic():
                AwardTally.objects.create(
                    **key, level=level_of(row["award_id"]), kind=kind_of(row["award_id"]), **delta
                )
        except IntegrityError:  # created meanwhile by a concurrent decision: add to it
            AwardTally.objects.filter(**key).update(**changes)


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
