"""GIVEN units with people in their departments, in sub-units of their own and moving within the year
WHEN a collective is judged THEN its members are everyone who held a post in it (or in a department
below it) during the year, rated or not: the law judges a collective on all its members (Luật 06/2022
Đ27 k1 c: 100% of members at least HT and 70% LĐTT; Đ28: the share of LĐTT), so an unrated member
blocks ("chưa xếp loại") instead of being left out."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest

from thidua.awards.services.ratings import people_in_subtree, rated_people
from thidua.eligibility import adapters
from thidua.eligibility.batch import organisation_columns
from thidua.history.models import AwardRecord, Rating
from thidua.org import services as org_services
from thidua.org.models import Person, Position, Unit
from thidua.rules import evaluate

pytestmark = pytest.mark.django_db
YEAR = 2025
TTLDXS = "tap_the_lao_dong_xuat_sac"


def _people(unit: Unit, count: int, start: int, *, title: str = "Chuyên viên") -> list[Person]:
    """`count` people with a post in `unit` since 2015 (bulk: a provincial office has hundreds)."""
    people = []
    for i in range(start, start + count):
        p = Person(
            citizen_id=f"0010850{i:05d}",
            full_name=f"Nguyễn Văn Người {i}",
            gender="nam",
            current_unit=unit,
            current_title=title,
        )
        p.derive_fields()
        people.append(p)
    created = Person.objects.bulk_create(people)
    Position.objects.bulk_create(
        [Position(person=p, unit=unit, title=title, started_on=date(2015, 1, 1)) for p in created]
    )
    return created


def _excellent(person: Person) -> None:
    Rating.objects.create(person=person, year=YEAR, value="hoan_thanh_xuat_sac")
    for award_id in ("lao_dong_tien_tien", "chien_si_thi_dua_co_so"):
        AwardRecord.objects.create(
            person=person, kind="title", award_id=award_id, year=YEAR, decided_on=date(YEAR + 1, 1, 10)
        )


@pytest.fixture
def office(org: SimpleNamespace) -> SimpleNamespace:
    """A provincial office of 205 people: 7 in the office itself (the board), 198 in its two
    departments; a BHXH cơ sở below it (a legal entity: a collective of its own) with 5 more."""
    province = org.b
    thu = org_services.create_unit(
        actor=None, code="BHXH-79-THU", name="Phòng Quản lý thu", parent=province, kind=Unit.Kind.PHONG
    )
    chi = org_services.create_unit(
        actor=None, code="BHXH-79-CHI", name="Phòng Chế độ", parent=province, kind=Unit.Kind.PHONG
    )
    team = org_services.create_unit(
        actor=None, code="BHXH-79-CHI-1", name="Tổ Một cửa", parent=chi, kind=Unit.Kind.TO
    )
    local = org_services.create_unit(
        actor=None,
        code="BHXH-79-Q1",
        name="Bảo hiểm xã hội cơ sở Quận 1",
        parent=province,
        kind=Unit.Kind.BHXH_CO_SO,
        is_legal_entity=True,
    )
    board = [org.cuong, *_people(province, 6, 0, title="Phó Giám đốc")]
    staff = _people(thu, 100, 100) + _people(chi, 90, 300) + _people(team, 8, 500)
    others = _people(local, 5, 700)
    Rating.objects.create(unit=province, year=YEAR, value="hoan_thanh_xuat_sac")
    for person in board:
        _excellent(person)
    return SimpleNamespace(
        province=province, thu=thu, chi=chi, team=team, local=local, board=board, staff=staff, others=others
    )


def _verdict(unit: Unit, award_id: str) -> Any:
    case = adapters.unit_case(unit, year=YEAR, candidates=[award_id])
    return evaluate(case, with_forecast=False).results[0]


def test_a_205_person_office_does_not_pass_ttldxs_on_its_7_rated_board_members(office: Any) -> None:
    case = adapters.unit_case(office.province, year=YEAR)
    members = {m["name"] for m in case["subject"]["members"]}
    assert len(members) == 205  # 7 + 100 + 90 + 8: departments and their teams are members
    assert not members & {p.full_name for p in office.others}  # the BHXH cơ sở is a collective of its own
    result = _verdict(office.province, TTLDXS)
    assert result.verdict == "not_eligible"
    failed = " ".join(r.text for r in result.reasons if not r.ok)
    assert "198/205 thành viên chưa xếp loại năm 2025" in failed  # Luật 06/2022 Đ27 k1 c
    assert any("xếp loại năm 2025 của mọi thành viên" in m for m in result.missing)


def test_the_same_office_passes_once_every_member_is_rated_and_the_shares_hold(office: Any) -> None:
    for person in office.staff:
        Rating.objects.create(person=person, year=YEAR, value="hoan_thanh_tot")
        AwardRecord.objects.create(
            person=person,
            kind="title",
            award_id="lao_dong_tien_tien",
            year=YEAR,
            decided_on=date(YEAR + 1, 1, 10),
        )
    assert _verdict(office.province, TTLDXS).verdict == "eligible"  # Luật 06/2022 Đ27 k1 a, c, d


def test_a_department_is_judged_on_its_own_people_and_its_teams(office: Any) -> None:
    members = [m["name"] for m in adapters.unit_case(office.chi, year=YEAR)["subject"]["members"]]
    assert len(members) == 98  # 90 in the department, 8 in its team
    local = [m["name"] for m in adapters.unit_case(office.local, year=YEAR)["subject"]["members"]]
    assert sorted(local) == sorted(p.full_name for p in office.others)


def test_whoever_held_a_post_during_the_year_is_a_member_rated_or_not(office: Any) -> None:
    leaver = office.staff[0]
    Position.objects.filter(person=leaver).update(ended_on=date(YEAR, 3, 31))
    newcomer = _people(office.thu, 1, 900)[0]
    Position.objects.filter(person=newcomer).update(started_on=date(YEAR, 11, 1))
    gone = _people(office.thu, 1, 901)[0]
    Position.objects.filter(person=gone).update(ended_on=date(YEAR - 1, 12, 31))
    later = _people(office.thu, 1, 902)[0]
    Position.objects.filter(person=later).update(started_on=date(YEAR + 1, 1, 2))
    names = {m["name"] for m in adapters.unit_case(office.thu, year=YEAR)["subject"]["members"]}
    assert leaver.full_name in names and newcomer.full_name in names
    assert gone.full_name not in names and later.full_name not in names


def test_ratings_the_collective_and_the_year_end_read_one_query(office: Any, org: SimpleNamespace) -> None:
    """Issue 9: the people of a unit in a year come from one query (positions held in the year)."""
    moved = office.staff[1]
    org_services.transfer_person(actor=None, person=moved, unit=office.local, on=date(YEAR, 7, 1))
    assert moved in rated_people(office.thu, YEAR) and moved in rated_people(office.local, YEAR)
    assert moved in Person.objects.of_unit(office.province, YEAR, reach="collective")
    assert moved in people_in_subtree(office.province, YEAR)
    # The whole-organisation batch reads the same people (a person transferred away in the year too).
    ids, _columns = organisation_columns(office.thu, year=YEAR, as_of=date(YEAR, 12, 31), codes=["x"])
    assert moved.pk in set(ids.tolist())
    expected = {p.pk for p in Person.objects.of_unit(office.thu, YEAR, reach="subtree")}
    assert set(ids.tolist()) == expected
    with pytest.raises(ValueError):
        Person.objects.of_unit(office.thu, YEAR, reach="everyone")
