"""Council membership is independent of role: the login linked to a member's staff record votes."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest

from thidua.awards import services
from thidua.awards.models import BallotVoter, CouncilMember
from thidua.awards.tests.helpers import YEAR, confirmed_candidate


@pytest.mark.django_db
def test_a_staff_member_linked_after_the_council_was_made_votes(
    org: SimpleNamespace, personas: SimpleNamespace, history: Any, client_for: Any
) -> None:
    # Bình chairs (no login), An is the secretary: the seat was made before any login was linked
    org.an.user = None
    org.an.save(update_fields=["user"])
    council = services.create_council(
        actor=personas.officer,
        unit=org.a,
        name="Hội đồng TĐKT",
        term_from=date(2025, 1, 1),
        members=[(org.binh, CouncilMember.Role.CHU_TICH, None), (org.an, CouncilMember.Role.THU_KY, None)],
    )
    from thidua.org import services as org_services

    org_services.link_account(actor=personas.officer, person=org.an, user=personas.staff)  # staff role only
    cand = confirmed_candidate(org, personas.officer)
    meeting = services.hold_meeting(
        actor=personas.officer,
        council=council,
        year=YEAR,
        held_on=date(2025, 12, 10),
        present=council.members.all(),
    )
    ballot = services.open_ballot(actor=personas.officer, meeting=meeting, candidates=[cand])
    client = client_for(personas.staff)
    page = client.get(f"/khen-thuong/bo-phieu/{ballot.pk}/")
    assert page.status_code == 200  # a ballot of their council, though their role sees nothing else
    item = ballot.items.get()
    response = client.post(f"/khen-thuong/bo-phieu/{ballot.pk}/phieu/", {f"c_{item.pk}": "agree"})
    assert response.status_code == 302
    assert BallotVoter.objects.filter(ballot=ballot, member__person=org.an).exists()
    # someone who sits on no council of it still gets 404
    assert client_for(personas.outsider_officer).get(f"/khen-thuong/bo-phieu/{ballot.pk}/").status_code == 404
