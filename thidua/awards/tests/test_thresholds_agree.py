"""GIVEN an organisation with or without the NĐ 98 vote thresholds assumed (after 01/07/2025 NĐ 152
does not confirm them, law.md §10) WHEN a CSTĐCS candidate goes to the council THEN the rules page,
the candidate list, the ballot and the minutes show the same threshold with the same basis: one
reading, `eligibility.services.vote_threshold` over `Ruleset.vote_threshold(item)` with the
organisation's saved options (issue 9, issue 10)."""

from __future__ import annotations

import io
from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest
from docx import Document

from thidua.awards import services
from thidua.awards.models import Candidate
from thidua.eligibility.models import RuleOptions
from thidua.history.models import Initiative

YEAR = 2025
pytestmark = pytest.mark.django_db


def _between(html: str, start: str, end: str) -> str:
    return html.split(start, 1)[1].split(end, 1)[0]


def _docx(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join(parts)


@pytest.mark.parametrize(
    ("options", "pct", "kind", "shown", "badge", "minutes"),
    [
        ({}, None, "council", "Theo quy chế Hội đồng", "Quy chế Hội đồng", "quá 1/2"),
        (
            {"assume_nd98_vote_thresholds": True},
            80,
            "assumed",
            "Từ 80% tổng số thành viên",
            "Chưa xác nhận",
            "từ 80%",
        ),
    ],
)
def test_the_rules_page_the_candidate_list_the_ballot_and_the_minutes_agree(
    org: SimpleNamespace,
    personas: SimpleNamespace,
    council: Any,
    client_for: Any,
    options: dict[str, Any],
    pct: int | None,
    kind: str,
    shown: str,
    badge: str,
    minutes: str,
) -> None:
    if options:
        RuleOptions.objects.create(unit=org.root, options=options)
    officer = personas.officer
    client = client_for(officer)
    Initiative.objects.create(person=org.an, code="SK-2025-01", title="Số hóa", year=YEAR, scope="co_so")
    services.save_ratings(actor=officer, unit=org.a_dept, year=YEAR, values={org.an.pk: "hoan_thanh_tot"})
    services.propose_candidates(actor=officer, unit=org.a, year=YEAR)
    cand = services.confirm_candidate(
        actor=officer,
        candidate=Candidate.objects.get(person=org.an, year=YEAR, award_id="chien_si_thi_dua_co_so"),
    )
    assert cand.engine_result["vote_threshold_pct"] == pct  # the engine under the same options

    rules = client.get("/xet-khen-thuong/quy-dinh/?ngay=2025-12-10").content.decode()
    on_rules = _between(rules, 'id="chien_si_thi_dua_co_so"', "</dl>")
    listed = _between(
        client.get(f"/khen-thuong/de-nghi/{org.a.pk}/{YEAR}/").content.decode(), 'id="thresholds"', "</table>"
    )
    on_list = _between(listed, "Chiến sĩ thi đua cơ sở", "</tr>")
    for html in (on_rules, on_list):
        assert shown in html and badge in html
        assert "NĐ 98/2023 Đ30 k7" in html  # the basis names the assumption, applied or not

    meeting = services.hold_meeting(
        actor=officer, council=council.council, year=YEAR, held_on=date(2025, 12, 10), present=council.members
    )
    ballot = services.open_ballot(actor=officer, meeting=meeting, candidates=[cand])
    item = ballot.items.get()
    assert (item.threshold_pct, item.threshold_kind) == (pct, kind)
    assert item.threshold_basis in on_rules and item.threshold_basis in on_list
    for m in council.members:
        services.cast_votes(actor=m.user, ballot=ballot, member=m, choices={item.pk: "agree"})
    services.close_ballot(actor=officer, ballot=ballot)
    text = _docx(client.get(f"/khen-thuong/phien-hop/{meeting.pk}/bien-ban.docx").content)
    assert minutes in text and item.threshold_basis in text
