"""Build eligibility cases (the public case contract, `shared/cases/README.md`) from the database.

The rules engine takes plain case dicts; this module is the only place that knows how the history
tables map onto case records. Revoked awards are left out (Luật 06/2022 Đ93: a revoked award no
longer counts). A collective's history includes that of the units it succeeded (mergers, splits),
so a merged unit does not lose its streaks; its own record wins for a year both have.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import Q

from thidua.history.models import AwardRecord, Discipline, Initiative, Leave, PendingProceeding, Rating
from thidua.movements.records import FedRecord, engine_records
from thidua.org.models import Person, Position, Unit
from thidua.org.services import lineage_ids

Record = dict[str, Any]


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _award_records(awards: Iterable[AwardRecord]) -> list[Record]:
    records: list[Record] = []
    for award in awards:
        if award.kind == AwardRecord.Kind.TITLE:
            records.append({"type": "title", "year": award.year, "id": award.award_id})
        else:
            records.append({"type": "award", "id": award.award_id, "date": award.decided_on.isoformat()})
    return records


def person_records(people: list[Person], *, up_to_year: int) -> dict[int, list[Record]]:
    """The case records of many people at once: a fixed number of queries, whatever the count."""
    ids = [p.pk for p in people]
    records: dict[int, list[Record]] = defaultdict(list)
    for r in Rating.objects.filter(person_id__in=ids, year__lte=up_to_year).order_by("year"):
        records[r.person_id or 0].append({"type": "rating", "year": r.year, "value": r.value})
    awards = AwardRecord.objects.filter(person_id__in=ids, revoked_on__isnull=True, year__lte=up_to_year)
    by_person: dict[int, list[AwardRecord]] = defaultdict(list)
    for a in awards.order_by("year", "decided_on"):
        by_person[a.person_id or 0].append(a)
    for pid, rows in by_person.items():
        records[pid].extend(_award_records(rows))
    for i in Initiative.objects.filter(person_id__in=ids, year__lte=up_to_year).order_by("year", "code"):
        records[i.person_id].append(
            {"type": i.kind, "id": i.code, "year": i.year, "scope": i.scope, "used_for": i.used_for or None}
        )
    for d in Discipline.objects.filter(person_id__in=ids).order_by("decided_on"):
        records[d.person_id].append(
            {"type": "discipline", "form": d.form, "date": d.decided_on.isoformat(), "until": _iso(d.until)}
        )
    for p in PendingProceeding.objects.filter(person_id__in=ids).order_by("since"):
        records[p.person_id or 0].append(
            {"type": "pending", "kind": p.kind, "since": p.since.isoformat(), "until": _iso(p.until)}
        )
    for leave in Leave.objects.filter(person_id__in=ids).order_by("started_on"):
        records[leave.person_id].append(
            {
                "type": "leave",
                "from": leave.started_on.isoformat(),
                "to": leave.ended_on.isoformat(),
                "reason": leave.reason,
            }
        )
    return records


def subject_for(person: Person, records: list[Record]) -> dict[str, Any]:
    subject: dict[str, Any] = {
        "kind": "individual",
        "id": person.citizen_id,
        "name": person.full_name,
        "gender": person.gender,
        "records": records,
    }
    if person.recruited_on:
        subject["recruited_on"] = person.recruited_on.isoformat()
    return subject


def person_case(
    person: Person, *, year: int, as_of: date | None = None, candidates: list[str] | None = None
) -> dict[str, Any]:
    records = person_records([person], up_to_year=year).get(person.pk, [])
    case: dict[str, Any] = {"year": year, "subject": subject_for(person, records)}
    if as_of is not None:
        case["as_of"] = as_of.isoformat()
    if candidates:
        case["candidates"] = candidates
    return case


def members_on(unit: Unit, day: date) -> list[Person]:
    """People holding a position in `unit` (itself, not its sub-units) on `day`."""
    person_ids = Position.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=day), unit=unit, started_on__lte=day
    ).values_list("person_id", flat=True)
    people = Person.objects.filter(pk__in=person_ids).exclude(recruited_on__gt=day)
    return list(people.order_by("sort_key"))


def unit_records(unit: Unit, *, up_to_year: int) -> list[Record]:
    lineage = lineage_ids(unit)
    own_first = {uid: i for i, uid in enumerate(lineage)}  # unit itself first, then predecessors
    ratings: dict[int, tuple[int, Rating]] = {}
    for r in Rating.objects.filter(unit_id__in=lineage, year__lte=up_to_year):
        rank = own_first[r.unit_id or 0]
        if r.year not in ratings or rank < ratings[r.year][0]:
            ratings[r.year] = (rank, r)
    records: list[Record] = [
        {"type": "rating", "year": year, "value": r.value} for year, (_, r) in sorted(ratings.items())
    ]
    titles_seen: set[tuple[str, int]] = set()
    awards = AwardRecord.objects.filter(unit_id__in=lineage, revoked_on__isnull=True, year__lte=up_to_year)
    for a in sorted(awards, key=lambda a: (own_first[a.unit_id or 0], a.year)):
        if a.kind == AwardRecord.Kind.TITLE:
            if (a.award_id, a.year) in titles_seen:
                continue
            titles_seen.add((a.award_id, a.year))
        records.extend(_award_records([a]))
    # Cluster ranks and movement leads: the published yearly rankings (one source, movements.records).
    for fed in engine_records(lineage, up_to_year).values():
        records.extend(f.record for f in fed)
    for p in PendingProceeding.objects.filter(unit=unit).order_by("since"):
        records.append(
            {"type": "pending", "kind": p.kind, "since": p.since.isoformat(), "until": _iso(p.until)}
        )
    return records


def movement_sources(units: Iterable[Unit], *, year: int) -> dict[int, list[FedRecord]]:
    """Per unit id, the movement records of `year` the engine reads (its own and its predecessors'),
    each with its source in Vietnamese, for pages that show why a collective title was proposed."""
    out: dict[int, list[FedRecord]] = {}
    for unit in units:
        fed = engine_records(lineage_ids(unit), year)
        out[unit.pk] = [f for rows in fed.values() for f in rows if f.record["year"] == year]
    return out


def unit_case(
    unit: Unit, *, year: int, as_of: date | None = None, candidates: list[str] | None = None
) -> dict[str, Any]:
    """A collective case: the unit's history and its members at the end of `year` with theirs."""
    members = members_on(
        unit, date(year, 12, 31) if (unit.valid_to is None or unit.valid_to.year > year) else unit.valid_to
    )
    member_records = person_records(members, up_to_year=year)
    case: dict[str, Any] = {
        "year": year,
        "subject": {
            "kind": "collective",
            "id": unit.code,
            "name": unit.name,
            "records": unit_records(unit, up_to_year=year),
            "members": [subject_for(p, member_records.get(p.pk, [])) for p in members],
        },
    }
    if as_of is not None:
        case["as_of"] = as_of.isoformat()
    if candidates:
        case["candidates"] = candidates
    return case
