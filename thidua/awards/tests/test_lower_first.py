"""GIVEN a province, its department and their people WHEN the year-end runs THEN titles are decided
lower first: "consecutive" and the members' shares count lower titles AWARDED (law.md §2; Luật 06/2022
Đ21, Đ22, Đ27 k1 c-d, Đ28), so a higher title waits, with the reason, for this year's lower decision
and is proposed when it is issued; and an initiative is used up only by a title that needed it
(Luật 06/2022 Đ23 k2: the HTXS path needs none; CV 5007, CV 3385: each initiative serves once)."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest

from thidua.audit.models import AuditEntry
from thidua.awards import services
from thidua.awards.models import Candidate, Decision
from thidua.core.errors import DomainError
from thidua.eligibility.models import RuleOptions
from thidua.history.models import AwardRecord, Initiative, Rating

YEAR = 2025
pytestmark = pytest.mark.django_db


def _decide(candidates: list[Candidate], *, officer: Any, root_officer: Any, council: Any) -> Decision:
    """Confirm, vote if the title needs it, file, appraise above if needed and issue."""
    candidates = [services.confirm_candidate(actor=officer, candidate=c) for c in candidates]
    unit, award_id = candidates[0].unit, candidates[0].award_id
    meeting = None
    if award_id == "chien_si_thi_dua_co_so":
        meeting = services.hold_meeting(
            actor=officer,
            council=council.council,
            year=YEAR,
            held_on=date(2025, 12, 10),
            present=council.members,
        )
        ballot = services.open_ballot(actor=officer, meeting=meeting, candidates=candidates)
        for m in council.members:
            choices = {i.pk: "agree" for i in ballot.items.all()}
            services.cast_votes(actor=m.user, ballot=ballot, member=m, choices=choices)
        services.close_ballot(actor=officer, ballot=ballot)
    dossier = services.create_dossier(actor=officer, unit=unit, year=YEAR, award_id=award_id, meeting=meeting)
    signer: dict[str, Any] = {
        "signed_on": date(2026, 1, 12),
        "signer_name": "Nguyễn Văn Tổng",
        "signer_title": "Giám đốc",
    }
    if services.dossier_route(dossier).own_unit:
        return services.issue_decision(actor=officer, dossier=dossier, version=dossier.version, **signer)
    services.submit_dossier(actor=officer, dossier=dossier, version=1, on=date(2025, 12, 12))
    verdicts = {c.pk: (True, "") for c in candidates}
    services.appraise_dossier(actor=root_officer, dossier=dossier, version=2, verdicts=verdicts)
    return services.issue_decision(actor=root_officer, dossier=dossier, version=3, **signer)


def test_a_unit_waits_for_its_members_ldtt_decision_then_is_proposed(
    org: SimpleNamespace, personas: SimpleNamespace, root_officer: Any
) -> None:
    officer = personas.officer
    services.save_ratings(
        actor=officer,
        unit=org.a,
        year=YEAR,
        values={org.binh.pk: "hoan_thanh_tot"},
        unit_value="hoan_thanh_tot",
    )
    services.save_ratings(actor=officer, unit=org.a_dept, year=YEAR, values={org.an.pk: "hoan_thanh_tot"})
    summary = services.propose_candidates(actor=officer, unit=org.a, year=YEAR)
    unit_title = Candidate.objects.get(collective=org.a, year=YEAR, award_id="tap_the_lao_dong_tien_tien")
    assert summary.waiting >= 1 and unit_title.status == Candidate.Status.WAITING
    reason = unit_title.engine_result["waiting"]
    assert reason.startswith("Chờ quyết định công nhận Lao động tiên tiến năm 2025 của các thành viên")
    assert "Luật 06/2022 Đ28" in reason
    with pytest.raises(DomainError, match="Chờ quyết định công nhận Lao động tiên tiến"):
        services.confirm_candidate(actor=officer, candidate=unit_title)
    # Running the review again before the decision keeps it waiting (nothing changed).
    services.propose_candidates(actor=officer, unit=org.a, year=YEAR)
    assert Candidate.objects.get(pk=unit_title.pk).status == Candidate.Status.WAITING

    members = list(Candidate.objects.filter(unit=org.a, year=YEAR, award_id="lao_dong_tien_tien"))
    assert {c.person_id for c in members} == {org.an.pk, org.binh.pk}
    decision = _decide(members, officer=officer, root_officer=root_officer, council=None)
    unit_title.refresh_from_db()
    assert (unit_title.status, unit_title.verdict) == (Candidate.Status.PROPOSED, "eligible")
    # The release is recorded in the decision's own audit entry.
    issued = AuditEntry.objects.get(action="decision.issued", object_id=str(decision.pk))
    assert issued.detail["waiting_released"] == 1


def test_nothing_waits_when_the_organisation_counts_the_same_meeting(
    org: SimpleNamespace, personas: SimpleNamespace
) -> None:
    """With count_current_year_if_meets on (UNCONFIRMED, turned on knowingly) the unit is proposed
    at once, its reasons marked unconfirmed."""
    RuleOptions.objects.create(unit=org.root, options={"count_current_year_if_meets": True})
    officer = personas.officer
    services.save_ratings(
        actor=officer,
        unit=org.a,
        year=YEAR,
        values={org.binh.pk: "hoan_thanh_tot"},
        unit_value="hoan_thanh_tot",
    )
    services.save_ratings(actor=officer, unit=org.a_dept, year=YEAR, values={org.an.pk: "hoan_thanh_tot"})
    summary = services.propose_candidates(actor=officer, unit=org.a, year=YEAR)
    unit_title = Candidate.objects.get(collective=org.a, year=YEAR, award_id="tap_the_lao_dong_tien_tien")
    assert summary.waiting == 0 and unit_title.status == Candidate.Status.PROPOSED
    assert any(r["confidence"] == "UNCONFIRMED" for r in unit_title.engine_result["reasons"])


@pytest.mark.parametrize(
    ("rating_at_decision", "used_for"),
    [
        ("hoan_thanh_tot", "chien_si_thi_dua_co_so:2025"),  # Đ23 k2: the initiative carried the title
        ("hoan_thanh_xuat_sac", ""),  # raised to HTXS before the decision: the HTXS path uses none
    ],
)
def test_a_cstdcs_decision_uses_the_initiative_only_when_the_title_needed_it(
    org: SimpleNamespace,
    personas: SimpleNamespace,
    council: Any,
    root_officer: Any,
    rating_at_decision: str,
    used_for: str,
) -> None:
    officer = personas.officer
    sk = Initiative.objects.create(person=org.an, code="SK-2025-01", title="Số hóa", year=YEAR, scope="co_so")
    services.save_ratings(actor=officer, unit=org.a_dept, year=YEAR, values={org.an.pk: "hoan_thanh_tot"})
    services.propose_candidates(actor=officer, unit=org.a, year=YEAR)
    cstdcs = Candidate.objects.get(person=org.an, year=YEAR, award_id="chien_si_thi_dua_co_so")
    assert cstdcs.engine_result["consumes"] == ["SK-2025-01"]
    Rating.objects.filter(person=org.an, year=YEAR).update(value=rating_at_decision)
    _decide([cstdcs], officer=officer, root_officer=root_officer, council=council)
    assert AwardRecord.objects.filter(person=org.an, year=YEAR, award_id="chien_si_thi_dua_co_so").exists()
    sk.refresh_from_db()
    assert sk.used_for == used_for


def test_a_waiting_title_that_no_longer_reaches_leaves_the_list_with_the_reason(
    org: SimpleNamespace, personas: SimpleNamespace
) -> None:
    officer = personas.officer
    services.save_ratings(
        actor=officer,
        unit=org.a,
        year=YEAR,
        values={org.binh.pk: "hoan_thanh_tot"},
        unit_value="hoan_thanh_tot",
    )
    services.save_ratings(actor=officer, unit=org.a_dept, year=YEAR, values={org.an.pk: "hoan_thanh_tot"})
    services.propose_candidates(actor=officer, unit=org.a, year=YEAR)
    unit_title = Candidate.objects.get(collective=org.a, year=YEAR, award_id="tap_the_lao_dong_tien_tien")
    assert unit_title.status == Candidate.Status.WAITING
    services.save_ratings(
        actor=officer, unit=org.a_dept, year=YEAR, values={org.an.pk: "hoan_thanh"}
    )  # 1/2 LĐTT
    services.propose_candidates(actor=officer, unit=org.a, year=YEAR)
    unit_title.refresh_from_db()
    assert unit_title.status == Candidate.Status.REMOVED and "không còn đủ điều kiện" in unit_title.note
