"""The honour board's rows (`HonourEntry`): built from the history for awards granted by an issued
decision, not revoked, of a title or form the board shows (`PORTAL_HONOUR_EXCLUDE` leaves off the
yearly titles most staff receive); hidden for withheld people.

Kept in step by the awards app's signals (`receivers.py`), rebuilt by `thidua rebuild_honour_board`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet

from thidua.awards.models import Decision, DecisionAward
from thidua.documents.builders.labels import proper_name
from thidua.history.models import AwardRecord
from thidua.lib.text import name_sort_key
from thidua.org.models import Unit
from thidua.portal.cache import bump
from thidua.portal.models import HonourEntry, Withholding
from thidua.portal.sanitize import folded_text
from thidua.reports.levels import level_of, level_rank
from thidua.reports.stats import province_kinds
from thidua.reports.tally import award_unit_expression
from thidua.rules.names import award_name

CHUNK = 2000


def eligible_awards() -> QuerySet[AwardRecord]:
    """Awards the board shows: granted by an issued decision, standing, not of an excluded title."""
    issued = DecisionAward.objects.filter(award=OuterRef("pk"), decision__status=Decision.Status.ISSUED)
    return (
        AwardRecord.objects.filter(Exists(issued), revoked_on__isnull=True)
        .exclude(award_id__in=settings.PORTAL_HONOUR_EXCLUDE)
        .annotate(award_unit=award_unit_expression())
    )


class _Units:
    """Names and provinces of units, loaded as needed and remembered."""

    def __init__(self) -> None:
        self.units: dict[int, Unit] = {}
        self.province_kinds = set(province_kinds())

    def load(self, ids: Iterable[int]) -> None:
        wanted = {i for i in ids if i and i not in self.units}
        ancestors: set[int] = set()
        for unit in Unit.objects.filter(pk__in=wanted):
            self.units[unit.pk] = unit
            ancestors.update(unit.ancestor_ids())
        missing = ancestors - set(self.units)
        self.units.update((u.pk, u) for u in Unit.objects.filter(pk__in=missing))

    def province(self, unit: Unit | None) -> Unit | None:
        if unit is None:
            return None
        for pk in [*reversed(unit.ancestor_ids()), None]:
            candidate = unit if pk is None else self.units.get(pk)
            if candidate is not None and candidate.kind in self.province_kinds:
                return candidate
        return None


def _entries(awards: QuerySet[AwardRecord]) -> Iterator[HonourEntry]:
    withheld = set(Withholding.objects.values_list("person_id", flat=True))
    units = _Units()
    rows = awards.select_related("person", "unit").order_by("pk")
    batch: list[AwardRecord] = []
    for award in rows.iterator(chunk_size=CHUNK):
        batch.append(award)
        if len(batch) >= CHUNK:
            yield from _build(batch, units, withheld)
            batch = []
    yield from _build(batch, units, withheld)


def _build(batch: list[AwardRecord], units: _Units, withheld: set[int]) -> Iterator[HonourEntry]:
    units.load(getattr(a, "award_unit", None) or 0 for a in batch)
    units.load(u.parent_id or 0 for a in batch if (u := a.unit) is not None)
    for award in batch:
        unit_id = getattr(award, "award_unit", None)
        unit = units.units.get(unit_id) if unit_id else None
        if award.person is not None:
            name = award.person.full_name
            unit_name = unit.name if unit else ""
            subject = HonourEntry.Subject.PERSON
        else:
            assert award.unit is not None
            name = award.unit.name
            parent = units.units.get(award.unit.parent_id) if award.unit.parent_id else None
            unit_name = parent.name if parent else ""
            subject = HonourEntry.Subject.UNIT
        province = units.province(unit)
        province_name = (province.place_name or province.name) if province else ""
        level = level_of(award.award_id)
        yield HonourEntry(
            award_id=award.award_id,
            record=award,
            person=award.person,
            subject=subject,
            name=name,
            level=level,
            level_rank=level_rank(level),
            year=award.year,
            decided_on=award.decided_on,
            decision_number=award.decision_number,
            decided_by=award.decided_by,
            unit=unit,
            unit_name=unit_name,
            province=province,
            province_name=province_name,
            hidden=award.person_id in withheld,
            sort_key=name_sort_key(name),
            folded=folded_text(
                name, unit_name, province_name, proper_name(award_name(award.award_id), award.decided_by)
            )[:600],
        )


@transaction.atomic
def refresh(award_ids: Iterable[int]) -> None:
    """Bring the rows of these awards in line with the history (granted, revoked)."""
    ids = list(award_ids)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        HonourEntry.objects.filter(record_id__in=chunk).delete()
        HonourEntry.objects.bulk_create(
            list(_entries(eligible_awards().filter(pk__in=chunk))), batch_size=CHUNK
        )
    bump()


@transaction.atomic
def rebuild() -> int:
    """Recompute the whole board from the history; returns the number of rows."""
    HonourEntry.objects.all().delete()
    count = 0
    batch: list[HonourEntry] = []
    for entry in _entries(eligible_awards()):
        batch.append(entry)
        if len(batch) >= CHUNK:
            HonourEntry.objects.bulk_create(batch)
            count += len(batch)
            batch = []
    HonourEntry.objects.bulk_create(batch)
    bump()
    return count + len(batch)


def set_hidden(person_id: int, hidden: bool) -> None:
    HonourEntry.objects.filter(person_id=person_id).update(hidden=hidden)
    bump()
