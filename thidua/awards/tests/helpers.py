"""Small builders for year-end tests."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

from thidua.awards import services
from thidua.awards.models import Ballot, Candidate, Dossier, Meeting

YEAR = 2025
CSTDCS = "chien_si_thi_dua_co_so"


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


def vote(ballot: Ballot, council: SimpleNamespace, agree: int, disagree: int) -> None:
    """The first `agree` members agree, the next `disagree` disagree (present members vote themselves)."""
    item_ids = list(ballot.items.values_list("pk", flat=True))
    for i in range(agree + disagree):
        member = council.members[i]
        choice = "agree" if i < agree else "disagree"
        services.cast_votes(
            actor=council.users[i], ballot=ballot, member=member, choices={pk: choice for pk in item_ids}
        )


def submitted_dossier(
    org: SimpleNamespace, council: SimpleNamespace, officer: Any, *, agree: int = 10
) -> tuple[Dossier, Candidate]:
    cand = confirmed_candidate(org, officer)
    meeting = meeting_with(council, officer)
    ballot = services.open_ballot(actor=officer, meeting=meeting, candidates=[cand])
    vote(ballot, council, agree, 0)
    services.close_ballot(actor=officer, ballot=ballot)
    dossier = services.create_dossier(actor=officer, unit=org.a, year=YEAR, award_id=CSTDCS, meeting=meeting)
    dossier = services.submit_dossier(actor=officer, dossier=dossier, version=1, on=date(2025, 12, 12))
    cand.refresh_from_db()
    return dossier, cand
