"""The pure generator: deterministic, well-formed people, the organisation of 2025."""

from __future__ import annotations

from collections import Counter
from datetime import date
from itertools import islice

from thidua.demo.generator import (
    CSTDCS,
    HTT,
    HTXS,
    LDTT,
    PersonRow,
    Tally,
    generate_people,
    quotas,
)
from thidua.demo.organisation import build_org
from thidua.org.citizen_id import validate_citizen_id


def _people(seed: int, count: int, chunk: int = 5000) -> list[PersonRow]:
    plan = build_org(seed)
    return [p for rows in generate_people(plan, count, seed, chunk=chunk) for p in rows]


def test_it_gives_the_same_people_for_the_same_seed() -> None:
    first = _people(11, 400)
    again = _people(11, 400, chunk=97)  # chunking changes nothing
    assert [
        (p.citizen_id, p.full_name, p.date_of_birth, p.positions, p.ratings, p.awards) for p in first
    ] == [(p.citizen_id, p.full_name, p.date_of_birth, p.positions, p.ratings, p.awards) for p in again]
    other = _people(12, 400)
    assert [p.full_name for p in first] != [p.full_name for p in other]


def test_it_makes_valid_unique_citizen_ids_matching_gender_and_birth_year() -> None:
    people = _people(3, 3000)
    assert len({p.citizen_id for p in people}) == len(people)
    for p in people:
        info = validate_citizen_id(p.citizen_id, gender=p.gender, date_of_birth=p.date_of_birth)
        assert info.gender == p.gender


def test_it_makes_realistic_names_and_ages() -> None:
    people = _people(5, 3000)
    families = Counter(p.full_name.split()[0] for p in people)
    assert 0.33 < families["Nguyễn"] / len(people) < 0.43
    women = [p for p in people if p.gender == "nu"]
    men = [p for p in people if p.gender == "nam"]
    assert 0.5 < len(women) / len(people) < 0.66
    assert sum("Thị" in p.full_name.split()[1:-1] for p in women) > 0.4 * len(women)
    assert not any("Thị" in p.full_name.split() for p in men)
    ages = [2026 - p.date_of_birth.year for p in people]
    assert min(ages) >= 22 and max(ages) <= 61
    assert all(p.recruited_on.year - p.date_of_birth.year >= 22 for p in people)
    assert any(len(p.positions) > 1 for p in people)  # transfers and the 2025 merger


def test_it_keeps_the_htxs_share_within_twenty_percent_of_htt() -> None:
    ratings = Counter(v for p in _people(9, 3000) for v in p.ratings.values())
    assert 0 < ratings[HTXS] <= 0.2 * ratings[HTT]


def test_it_plans_the_2025_organisation() -> None:
    plan = build_org(1)
    roles = Counter(u.role for u in plan.units)
    assert roles["central"] == 14
    assert roles["province"] == 34
    assert (
        roles["old_province"] + sum(1 for u in plan.units if u.role == "province" and u.valid_from is None)
        == 63
    )
    assert plan.by_code["BHXH-24"].final_name == "Bảo hiểm xã hội tỉnh Bắc Ninh"
    cum5 = next(c for c in plan.clusters if c.number == 5 and c.year == 2026)
    assert plan.by_code[cum5.head].final_name == "Bảo hiểm xã hội tỉnh Quảng Ninh"
    assert len(cum5.members) == 6 and cum5.ranks is None


def test_it_shares_out_exactly_the_requested_headcount() -> None:
    plan = build_org(1)
    for n in (0, 99, 100, 5000, 123_457):
        assert sum(count for _, count in quotas(plan, n)) == n


def test_the_tally_counts_members_of_each_collective() -> None:
    plan = build_org(2)
    tally = Tally()
    people = [p for rows in generate_people(plan, 500, 2, tally=tally) for p in rows]
    rated = [p for p in people if 2025 in p.ratings and p.unit_on(date(2025, 12, 31)) != "BHXH-VN"]
    top = [code for code, u in plan.by_code.items() if u.parent == "BHXH-VN"]
    counted = [tally.counts.get((code, 2025), [0] * 5) for code in top]
    assert sum(c[0] for c in counted) == len(rated)
    assert sum(c[1] for c in counted) == sum(_has(p, LDTT, 2025) for p in rated)
    assert sum(c[3] for c in counted) == sum(_has(p, CSTDCS, 2025) for p in rated)


def _has(person: PersonRow, award_id: str, year: int) -> bool:
    return any(a.award_id == award_id and a.year == year for a in person.awards)


def test_it_streams_in_chunks() -> None:
    plan = build_org(1)
    sizes = [len(rows) for rows in islice(generate_people(plan, 20_000, 1, chunk=1000), 5)]
    assert all(1000 <= size < 2000 for size in sizes)
