"""The pre-aggregated counts follow the decisions: issued (through the real workflow) and revoked,
and a full rebuild gives the same rows as the deltas."""

from __future__ import annotations

from datetime import date

import pytest

from thidua.awards import services as award_services
from thidua.history.models import AwardRecord
from thidua.reports import tally
from thidua.reports.models import AwardTally
from thidua.reports.tests.workflow import issue_cstdcs

pytestmark = pytest.mark.django_db


def _rows() -> set[tuple[object, ...]]:
    return set(
        AwardTally.objects.values_list(
            "year",
            "decided_year",
            "award_id",
            "subject",
            "unit_id",
            "n",
            "women",
            "direct_workers",
            "minorities",
            "prize_vnd",
        )
    )


@pytest.fixture
def root_officer(org):
    from conftest import _user
    from thidua.org.models import Role

    return _user("canbo.tw", unit=org.root, role=Role.OFFICER)


def test_issuing_a_decision_counts_its_awards_at_once(org, personas, root_officer):
    from thidua.org.models import Person

    Person.objects.filter(pk=org.an.pk).update(is_direct_worker=True, ethnicity="05")
    decision = issue_cstdcs(org, personas.officer, root_officer)

    award = decision.awards.get()
    row = AwardTally.objects.get(award_id="chien_si_thi_dua_co_so", year=2025)
    assert (row.decided_year, row.subject, row.unit_id, row.level, row.kind) == (
        2026,
        "person",
        org.a_dept.pk,
        "co_so",
        "title",
    )
    assert (row.n, row.women, row.direct_workers, row.minorities) == (1, 0, 1, 1)
    assert row.prize_vnd == award.prize_vnd and award.prize_vnd
    incremental = _rows()
    tally.rebuild()
    assert _rows() == incremental


def test_revoking_an_award_takes_it_out_of_the_counts(org, personas, root_officer):
    decision = issue_cstdcs(org, personas.officer, root_officer)
    award = decision.awards.get()

    award_services.revoke_award(
        actor=root_officer, award=award, clause="a", revoked_on=date(2026, 9, 1), decision_number="9/QĐ-BHXH"
    )

    assert not AwardTally.objects.filter(award_id="chien_si_thi_dua_co_so").exists()
    tally.rebuild()
    assert not AwardTally.objects.filter(award_id="chien_si_thi_dua_co_so").exists()


def test_deltas_add_to_existing_rows_and_a_rebuild_agrees(small):
    tally.rebuild()
    before = AwardTally.objects.get(award_id="lao_dong_tien_tien", year=2025, unit=small.a_dept)
    extra = AwardRecord.objects.create(
        person=small.an,
        kind="title",
        award_id="lao_dong_tien_tien",
        year=2025,
        decided_on=date(2026, 1, 15),
        prize_vnd=1,
    )
    tally.add_awards([extra.pk])
    after = AwardTally.objects.get(pk=before.pk)
    assert (after.n, after.prize_vnd) == (before.n + 1, before.prize_vnd + 1)
    incremental = _rows()
    tally.rebuild()
    assert _rows() == incremental


def test_a_delta_creates_updates_and_deletes_rows_in_few_queries(small, django_assert_max_num_queries):
    tally.rebuild()
    before = _rows()
    new = [
        AwardRecord.objects.create(
            person=p,
            kind="title",
            award_id="chien_si_thi_dua_co_so",
            year=2026,
            decided_on=date(2027, 1, 10),
            prize_vnd=10,
        )
        for p in (small.an, small.binh, small.dao, small.cuong)
    ]
    with django_assert_max_num_queries(8):
        tally.add_awards(a.pk for a in new)
    rows = {r[4]: r for r in _rows() - before}  # by unit
    assert rows[small.a_dept.pk][5:] == (2, 1, 2, 1, 20)  # An and Đào: 1 woman, 2 direct, 1 minority
    assert rows[small.a.pk][5:] == (1, 1, 0, 1, 10) and rows[small.b.pk][5:] == (1, 0, 1, 0, 10)
    with django_assert_max_num_queries(8):
        tally.remove_awards(a.pk for a in new)
    assert _rows() == before
