"""GIVEN a province with a council, ratings and history WHEN the year-end runs end to end at the
service level THEN the history, initiatives and prize money follow the law."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest

from thidua.awards import services
from thidua.awards.models import Candidate, Dossier
from thidua.awards.tests.helpers import scan
from thidua.core.errors import DomainError
from thidua.eligibility.adapters import person_case
from thidua.eligibility.models import RuleOptions
from thidua.history.models import AwardRecord, Initiative
from thidua.rules import evaluate

YEAR = 2025


def _verdict(person: Any, year: int, award_id: str) -> str:
    case = person_case(person, year=year, candidates=[award_id])
    result = evaluate(case, options={"assume_nd98_vote_thresholds": True}, with_forecast=False)
    return result.results[0].verdict


@pytest.mark.django_db
def test_it_walks_a_year_from_ratings_to_history(
    media: Any,
    org: SimpleNamespace,
    personas: SimpleNamespace,
    council: SimpleNamespace,
    history: Any,
    root_officer: Any,
) -> None:
    officer = personas.officer
    services.save_ratings(actor=officer, unit=org.a_dept, year=YEAR, values={org.an.pk: "hoan_thanh_tot"})
    # HTT: the CSTĐCS path is the initiative, which the award consumes.
    summary = services.propose_candidates(actor=officer, unit=org.a, year=YEAR)
    assert summary.ruleset_id
    cstdcs = Candidate.objects.get(person=org.an, year=YEAR, award_id="chien_si_thi_dua_co_so")
    assert cstdcs.status == Candidate.Status.PROPOSED and cstdcs.engine_result["reasons"]
    cstdcs = services.confirm_candidate(actor=officer, candidate=cstdcs)

    # Under NĐ 152 the 80 % of NĐ 98 is unconfirmed: off by default, the council's rule applies...
    meeting = services.hold_meeting(
        actor=officer,
        council=council.council,
        year=YEAR,
        held_on=date(2025, 12, 10),
        present=council.members[:9],
    )
    probe = services.open_ballot(actor=officer, meeting=meeting, candidates=[cstdcs])
    assert (probe.items.get().threshold_pct, probe.items.get().threshold_kind) == (None, "council")
    services.cancel_ballot(actor=officer, ballot=probe, reason="Thử ngưỡng")
    # ... and the organisation that turns the assumption on gets 80 %, marked as assumed.
    RuleOptions.objects.create(unit=org.root, options={"assume_nd98_vote_thresholds": True})
    ballot = services.open_ballot(actor=officer, meeting=meeting, candidates=[cstdcs])
    item = ballot.items.get()
    assert (item.threshold_pct, item.threshold_kind) == (80, "assumed")
    for i, m in enumerate(council.members[:9]):
        choice = "agree" if i < 8 else "disagree"
        services.cast_votes(actor=m.user, ballot=ballot, member=m, choices={item.pk: choice})
    absent = council.members[9]
    services.cast_votes(
        actor=council.users[1],
        ballot=ballot,
        member=absent,
        choices={item.pk: "disagree"},
        in_writing=True,
        scan=scan(),
    )
    services.close_ballot(actor=officer, ballot=ballot)
    item.refresh_from_db()
    assert (item.agree, item.disagree, item.passed) == (8, 2, True)  # 8/10 = 80 %: passes

    dossier = services.create_dossier(
        actor=officer, unit=org.a, year=YEAR, award_id="chien_si_thi_dua_co_so", meeting=meeting
    )
    services.submit_dossier(actor=officer, dossier=dossier, version=1, on=date(2025, 12, 12))
    dossier.refresh_from_db()
    assert dossier.deadline == date(2026, 1, 12)  # 20 working days, 01/01/2026 a public holiday
    with pytest.raises(DomainError, match="tự thẩm định"):
        services.appraise_dossier(actor=officer, dossier=dossier, version=2, verdicts={cstdcs.pk: (True, "")})
    services.appraise_dossier(
        actor=root_officer, dossier=dossier, version=2, verdicts={cstdcs.pk: (True, "")}
    )

    assert _verdict(org.an, 2026, "chien_si_thi_dua_bo_tinh") == "not_eligible"
    decision = services.issue_decision(
        actor=root_officer,
        dossier=dossier,
        version=3,
        signed_on=date(2026, 1, 15),
        signer_name="Nguyễn Văn Tổng",
        signer_title="Giám đốc",
    )
    assert decision.number_symbol == "01/QĐ-BHXH"
    record = AwardRecord.objects.get(person=org.an, year=YEAR, award_id="chien_si_thi_dua_co_so")
    assert (
        record.decision_link.decision == decision and record.prize_vnd == 2_340_000
    )  # 1.0 × 2,340,000 (Jan 2026)
    history.initiative.refresh_from_db()
    assert history.initiative.used_for == "chien_si_thi_dua_co_so:2025"  # the contract form
    assert Dossier.objects.get(pk=dossier.pk).status == Dossier.Status.DECIDED

    # Next year: the CSTĐCS streak is 2023-2024-2025; with a ministry-level initiative and an HTXS
    # rating in 2026, CSTĐ bộ/tỉnh becomes reachable.
    from thidua.history.models import Rating

    Rating.objects.create(person=org.an, year=2026, value="hoan_thanh_xuat_sac")
    Initiative.objects.create(
        person=org.an, code="SK-2026-09", title="Giám định số", year=2026, scope="bo_nganh_tinh"
    )
    assert _verdict(org.an, 2026, "chien_si_thi_dua_bo_tinh") == "eligible"
