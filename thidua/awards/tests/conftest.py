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
    from thidua.awards.models import CouncilMember
    from thidua.awards.services import create_council
    from thidua.org import services as org_services
    from thidua.org.models import Role

    roles = [CouncilMember.Role.CHU_TICH, CouncilMember.Role.THU_KY] + [CouncilMember.Role.UY_VIEN] * 8
    members = []
    users = []
    for i, role in enumerate(roles):
        person = org_services.create_person(
            actor=None,
            citizen_id=f"00109000{i:04d}",
            full_name=f"Thành viên Hội đồng Số {i}",
            gender="nam",
            unit=org.a,
            title="Ủy viên",
            started_on=date(2010, 1, 1),
        )
        user = _user(f"hd{i}", unit=org.a, role=Role.COUNCIL_MEMBER, person=person)
        users.append(user)
        members.append((person, role, user))
    c = create_council(
        actor=personas.officer,
        unit=org.a,
        name="Hội đồng Thi đua – Khen thưởng BHXH thành phố Hà Nội",
        term_from=date(2025, 1, 1),
        members=members,
    )
    return SimpleNamespace(council=c, users=users, members=list(c.members.order_by("id")))


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
