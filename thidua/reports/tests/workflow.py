"""Test helpers shared by the reports and portal tests: a council, a decision issued through the
real year-end workflow, and past decisions recorded directly (dossier, decision, links)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from types import SimpleNamespace
from typing import Any

from conftest import _user
from thidua.awards import services
from thidua.awards.models import Decision, DecisionAward, Dossier
from thidua.awards.signals import awards_granted
from thidua.awards.tests.helpers import submitted_dossier
from thidua.history.models import AwardRecord


def make_council(org: SimpleNamespace, officer: Any) -> SimpleNamespace:
    """The council of province A: ten members with logins (as the awards tests' fixture)."""
    from thidua.awards.models import CouncilMember
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
    council = services.create_council(
        actor=officer,
        unit=org.a,
        name="Hội đồng TĐKT BHXH Hà Nội",
        term_from=date(2025, 1, 1),
        members=members,
    )
    return SimpleNamespace(council=council, users=users, members=list(council.members.order_by("id")))


def issue_cstdcs(org: SimpleNamespace, officer: Any, root_officer: Any) -> Decision:
    """Nguyễn Văn An's Chiến sĩ thi đua cơ sở 2025, from rating to the decision issued by BHXH VN
    (with an initiative of 2025, as the awards tests' `history` fixture)."""
    from thidua.history.models import Initiative

    Initiative.objects.get_or_create(
        person=org.an,
        code="SK-2025-01",
        defaults={"title": "Số hóa hồ sơ thu", "year": 2025, "scope": "co_so"},
    )
    council = make_council(org, officer)
    dossier, cand = submitted_dossier(org, council, officer)
    services.appraise_dossier(actor=root_officer, dossier=dossier, version=2, verdicts={cand.pk: (True, "")})
    return services.issue_decision(
        actor=root_officer,
        dossier=dossier,
        version=3,
        signed_on=date(2026, 1, 20),
        signer_name="Nguyễn Văn Tổng",
        signer_title="Giám đốc",
    )


def record_issued(
    unit: Any, appraiser: Any, awards: Iterable[AwardRecord], *, number: str = "15/QĐ-BHXH"
) -> Decision:
    """Past awards put under one issued decision (as the demo does), announced like a real issue."""
    awards = list(awards)
    first = awards[0]
    dossier = Dossier.objects.create(
        unit=unit,
        appraiser=appraiser,
        year=first.year,
        award_id=first.award_id,
        status=Dossier.Status.DECIDED,
    )
    decision = Decision.objects.create(
        unit=appraiser,
        dossier=dossier,
        status=Decision.Status.ISSUED,
        number_symbol=number,
        signed_on=first.decided_on,
        signer_name="Nguyễn Văn Tổng",
        signer_title="Giám đốc",
    )
    DecisionAward.objects.bulk_create([DecisionAward(decision=decision, award=a) for a in awards])
    awards_granted.send(sender=Decision, decision=decision, awards=awards)
    return decision
