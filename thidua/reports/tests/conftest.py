"""A small organisation with a hand-countable history (see `test_numbers.py` for the counts)."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

PRIZE = {
    "lao_dong_tien_tien": 700_000,
    "chien_si_thi_dua_co_so": 2_340_000,
    "bang_khen_bo_tinh": 7_020_000,
    "tap_the_lao_dong_tien_tien": 1_870_000,
    "co_thi_dua_bo_tinh": 18_720_000,
}


@pytest.fixture
def small(org: SimpleNamespace) -> SimpleNamespace:
    """Four people (An, Bình, Cường of the shared org, plus Đào) and two years of awards.

    An: nam, Kinh, direct worker (dept of A). Bình: nữ, Tày, leader (A). Cường: nam, ethnicity not
    recorded, direct worker (B). Đào: nữ, Mường, direct worker (dept of A).
    2024: LĐTT for all four, CSTĐCS An, TTLĐTT for A's department.
    2025: LĐTT for all four, CSTĐCS Đào, Bằng khen Bình, Cờ thi đua for A; Cường's CSTĐCS 2025 revoked.
    """
    from thidua.history.models import AwardRecord
    from thidua.org import services
    from thidua.org.models import Person

    Person.objects.filter(pk=org.an.pk).update(is_direct_worker=True, ethnicity="01")
    Person.objects.filter(pk=org.binh.pk).update(is_direct_worker=False, ethnicity="02")
    Person.objects.filter(pk=org.cuong.pk).update(is_direct_worker=True, ethnicity="")
    dao = services.create_person(
        actor=None,
        citizen_id="001196012347",
        full_name="Đinh Thị Đào",
        gender="nu",
        unit=org.a_dept,
        title="Chuyên viên",
        date_of_birth=date(1996, 5, 6),
        started_on=date(2018, 1, 1),
        is_direct_worker=True,
        ethnicity="06",
    )

    def award(subject: object, award_id: str, year: int, kind: str = "title", **extra: object) -> AwardRecord:
        who = {"person": subject} if isinstance(subject, Person) else {"unit": subject}
        return AwardRecord.objects.create(
            **who,
            kind=kind,
            award_id=award_id,
            year=year,
            decided_on=date(year + 1, 1, 15),
            decision_number=f"{year % 100}/QĐ-BHXH",
            prize_vnd=PRIZE.get(award_id),
            **extra,
        )

    people = [org.an, org.binh, org.cuong, dao]
    for year in (2024, 2025):
        for person in people:
            award(person, "lao_dong_tien_tien", year)
    records = SimpleNamespace(
        an_cstd=award(org.an, "chien_si_thi_dua_co_so", 2024),
        dept_ttldtt=award(org.a_dept, "tap_the_lao_dong_tien_tien", 2024),
        dao_cstd=award(dao, "chien_si_thi_dua_co_so", 2025),
        binh_bk=award(org.binh, "bang_khen_bo_tinh", 2025, kind="form"),
        a_co=award(org.a, "co_thi_dua_bo_tinh", 2025),
        cuong_cstd=award(
            org.cuong,
            "chien_si_thi_dua_co_so",
            2025,
            revoked_on=date(2026, 5, 1),
            revocation_ground="Đ93 k2 a",
        ),
    )
    return SimpleNamespace(dao=dao, records=records, **vars(org))
