"""Small builders for year-end tests."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from thidua.awards import services
from thidua.awards.models import Ballot, Candidate, Dossier, Meeting

YEAR = 2025
CSTDCS = "chien_si_thi_dua_co_so"


def make_council(
    org: SimpleNamespace, officer: Any, size: int, *, role: str = "council_member", prefix: str = "hd"
) -> SimpleNamespace:
    """A council of province A with `size` members, each with a login holding `role`; member 0
    chairs, member 1 is secretary."""
    from conftest import _user
    from thidua.awards.models import CouncilMember
    from thidua.org import services as org_services

    roles = [CouncilMember.Role.CHU_TICH, CouncilMember.Role.THU_KY] + [CouncilMember.Role.UY_VIEN] * (
        size - 2
    )
    members = []
    users = []
    for i, seat in enumerate(roles):
        person = org_services.create_person(
            actor=None,
            citizen_id=f"0010900{len(prefix)}{i:04d}",
            full_name=f"Thành viên Hội đồng Số {i}",
            gender="nam",
            unit=org.a,
            title="Ủy viên",
            started_on=date(2010, 1, 1),
        )
        user = _user(f"{prefix}{i}", unit=org.a, role=role, person=person)
        users.append(user)
        members.append((person, seat, user))
    c = services.create_council(
        actor=officer,
        unit=org.a,
        name="Hội đồng Thi đua – Khen thưởng BHXH thành phố Hà Nội",
        term_from=date(2025, 1, 1),
        members=members,
    )
    return SimpleNamespace(council=c, users=users, members=list(c.members.order_by("id")))


def confirmed_candidate(org: SimpleNamespace, officer: Any, *, person: Any = None) -> Candidate:
    """An (HTT + an unused initiative) confirmed for CSTĐCS 2025 through the engine."""
    services.save_ratings(
        actor=officer, unit=org.a_dept, year=YEAR, values={(person or org.an).pk: "hoan_thanh_tot"}
    )
    services.propose_candidates(actor=officer, unit=org.a, year=YEAR)
    cand = Candidate.objects.get(person=person or org.an, year=YEAR, award_id=CSTDCS)
    return services.confirm_candidate(actor=officer, candidate=cand)


def meeting_with(council: SimpleNamespace, officer: Any, present: int = 10) -> Meeting:
    return services.hold_meeting(
        actor=officer,
        council=council.council,
        year=YEAR,
        held_on=date(2025, 12, 10),
        present=council.members[:present],
    )


def vote(ballot: Ballot, council: SimpleNamespace, agree: int, disagree: int, *, start: int = 0) -> None:
    """Members `start`… : the first `agree` agree, the next `disagree` disagree, up to `agree +
    disagree` (present members vote themselves)."""
    item_ids = list(ballot.items.values_list("pk", flat=True))
    for i in range(start, agree + disagree):
        member = council.members[i]
        choice = "agree" if i < agree else "disagree"
        services.cast_votes(
            actor=council.users[i], ballot=ballot, member=member, choices={pk: choice for pk in item_ids}
        )


def scan(name: str = "phieu.pdf") -> SimpleUploadedFile:
    """A small PDF standing for the scan of a written vote."""
    return SimpleUploadedFile(name, b"%PDF-1.4\n% phieu gui bang van ban\n%%EOF\n", "application/pdf")


def submitted_dossier(
    org: SimpleNamespace, council: SimpleNamespace, officer: Any, *, agree: int = 10
) -> tuple[Dossier, Candidate]:
    cand = confirmed_candidate(org, officer)
    meeting = meeting_with(council, officer)
    ballot = services.open_ballot(actor=officer, meeting=meeting, candidates=[cand])
    vote(ballot, council, agree, 10 - agree)
    services.close_ballot(actor=officer, ballot=ballot)
    dossier = services.create_dossier(actor=officer, unit=org.a, year=YEAR, award_id=CSTDCS, meeting=meeting)
    dossier = services.submit_dossier(actor=officer, dossier=dossier, version=1, on=date(2025, 12, 12))
    cand.refresh_from_db()
    return dossier, cand
