"""Year-end fixtures: a council of ten for province A, extra staff, a root officer who appraises."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest

from conftest import _user

YEAR = 2025


@pytest.fixture
def council(org: SimpleNamespace, personas: SimpleNamespace) -> SimpleNamespace:
    """Council of BHXH Hà Nội: ten members, each with a login; member 0 chairs, member 1 is secretary."""
    from thidua.awards.tests.helpers import make_council

    return make_council(org, personas.officer, 10)


@pytest.fixture
def root_officer(org: SimpleNamespace) -> Any:
    from thidua.org.models import Role

    return _user("canbo.tw", unit=org.root, role=Role.OFFICER)


@pytest.fixture
def history(org: SimpleNamespace) -> SimpleNamespace:
    """An: CSTĐCS in 2023 and 2024, an initiative recognised in 2025."""
    from thidua.history.models import AwardRecord, Initiative, Rating

    for y in (2023, 2024):
        Rating.objects.create(person=org.an, year=y, value="hoan_thanh_xuat_sac")
        AwardRecord.objects.create(
            person=org.an,
            kind="title",
            award_id="chien_si_thi_dua_co_so",
            year=y,
            decided_on=date(y + 1, 1, 15),
        )
        AwardRecord.objects.create(
            person=org.an, kind="title", award_id="lao_dong_tien_tien", year=y, decided_on=date(y + 1, 1, 10)
        )
    ini = Initiative.objects.create(
        person=org.an, code="SK-2025-01", title="Số hóa hồ sơ thu", year=2025, scope="co_so"
    )
    return SimpleNamespace(initiative=ini)
