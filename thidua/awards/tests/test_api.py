"""The year-end API: same services and access helpers; ballots never say who voted how."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

import pytest

from thidua.awards import services
from thidua.awards.tests.helpers import YEAR, confirmed_candidate, meeting_with, submitted_dossier, vote
from thidua.history.models import AwardRecord, Rating


def _post(client: Any, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(data), content_type="application/json")


@pytest.mark.django_db
def test_it_saves_a_rating_grid_and_returns_the_cap(
    org: SimpleNamespace, personas: SimpleNamespace, client_for: Any
) -> None:
    client = client_for(personas.officer)
    grid = client.get(f"/api/v1/ratings/grid/?unit={org.a_dept.pk}&year={YEAR}").json()
    assert grid["values"] == {str(org.an.pk): ""}
    body = {"unit": org.a_dept.pk, "year": YEAR, "values": {str(org.an.pk): "hoan_thanh_tot"}}
    r = _post(client, "/api/v1/ratings/save/", {**body, "version": grid["version"]})
    assert r.status_code == 200 and r.json()["text"] == "0/0 — trong giới hạn 20%"
    assert Rating.objects.get(person=org.an).value == "hoan_thanh_tot"
    # The same body again: the grid changed since it was read, so it is refused (400, field version).
    stale = _post(client, "/api/v1/ratings/save/", {**body, "version": grid["version"]})
    assert stale.status_code == 400 and list(stale.json()["error"]["fields"]) == ["version"]
    missing = _post(client, "/api/v1/ratings/save/", body)
    assert missing.status_code == 400 and "gửi kèm «version»" in missing.json()["error"]["message"]
    r = _post(
        client_for(personas.outsider_officer),
        "/api/v1/ratings/save/",
        {"unit": org.a_dept.pk, "year": YEAR, "values": {}},
    )
    assert r.status_code == 404


@pytest.mark.django_db
def test_it_votes_and_shows_the_tally_only_once_closed(
    org: SimpleNamespace, personas: SimpleNamespace, council: SimpleNamespace, history: Any, client_for: Any
) -> None:
    cand = confirmed_candidate(org, personas.officer)
    ballot = services.open_ballot(
        actor=personas.officer, meeting=meeting_with(council, personas.officer), candidates=[cand]
    )
    item = ballot.items.get()
    member = client_for(council.users[0])
    r = _post(member, f"/api/v1/ballots/{ballot.pk}/vote/", {"choices": {str(item.pk): "agree"}})
    assert r.status_code == 200
    r = _post(member, f"/api/v1/ballots/{ballot.pk}/vote/", {"choices": {str(item.pk): "agree"}})
    assert r.status_code == 400 and "đã bỏ phiếu" in r.json()["error"]["message"]
    body = member.get(f"/api/v1/ballots/{ballot.pk}/").json()
    assert body["voted"] == ["Thành viên Hội đồng Số 0"] and body["items"][0]["agree"] is None
    item_body = body["items"][0]
    assert (item_body["agree"], item_body["disagree"], item_body["passed"]) == (None, None, None)
    assert item_body["award_name"] == "Chiến sĩ thi đua cơ sở"
    vote(ballot, council, 1, 9, start=1)
    services.close_ballot(actor=personas.officer, ballot=ballot)
    body = member.get(f"/api/v1/ballots/{ballot.pk}/").json()
    assert (body["items"][0]["agree"], body["items"][0]["passed"]) == (1, False)
    assert (
        _post(client_for(personas.officer), f"/api/v1/ballots/{ballot.pk}/vote/", {"choices": {}}).status_code
        == 403
    )


@pytest.mark.django_db
def test_it_refuses_a_stale_dossier_version_and_self_appraisal(
    org: SimpleNamespace,
    personas: SimpleNamespace,
    council: SimpleNamespace,
    history: Any,
    root_officer: Any,
    client_for: Any,
) -> None:
    dossier, cand = submitted_dossier(org, council, personas.officer)
    verdicts = [{"candidate": cand.pk, "accepted": True}]
    r = _post(
        client_for(personas.officer),
        f"/api/v1/dossiers/{dossier.pk}/appraise/",
        {"version": 2, "verdicts": verdicts},
    )
    assert r.status_code == 400 and "tự thẩm định" in r.json()["error"]["message"]
    upper = client_for(root_officer)
    assert (
        _post(
            upper, f"/api/v1/dossiers/{dossier.pk}/appraise/", {"version": 2, "verdicts": verdicts}
        ).status_code
        == 200
    )
    r = _post(upper, f"/api/v1/dossiers/{dossier.pk}/return/", {"version": 2, "reason": "Thiếu"})
    assert r.status_code == 400 and r.json()["error"]["fields"] == {"version": [r.json()["error"]["message"]]}
    assert upper.get(f"/api/v1/dossiers/{dossier.pk}/").json()["status"] == "appraised"


@pytest.mark.django_db
def test_staff_list_only_their_own_awards(
    org: SimpleNamespace, personas: SimpleNamespace, client_for: Any
) -> None:
    from datetime import date

    AwardRecord.objects.create(
        person=org.an, kind="title", award_id="lao_dong_tien_tien", year=YEAR, decided_on=date(2026, 1, 5)
    )
    AwardRecord.objects.create(
        person=org.binh, kind="title", award_id="lao_dong_tien_tien", year=YEAR, decided_on=date(2026, 1, 5)
    )
    rows = client_for(personas.staff).get("/api/v1/awards/").json()["results"]
    assert [r["person"] for r in rows] == [org.an.pk]
    assert client_for(personas.staff).get("/api/v1/candidates/").json()["results"] == []
    assert len(client_for(personas.officer).get("/api/v1/awards/").json()["results"]) == 2


@pytest.mark.django_db
def test_it_issues_a_decision_through_the_api(
    org: SimpleNamespace,
    personas: SimpleNamespace,
    council: SimpleNamespace,
    history: Any,
    root_officer: Any,
    client_for: Any,
) -> None:
    dossier, cand = submitted_dossier(org, council, personas.officer)
    upper = client_for(root_officer)
    _post(
        upper,
        f"/api/v1/dossiers/{dossier.pk}/appraise/",
        {"version": 2, "verdicts": [{"candidate": cand.pk, "accepted": True}]},
    )
    decide = {
        "version": 3,
        "signed_on": "2026-01-15",
        "signer_name": "Nguyễn Văn Tổng",
        "signer_title": "Giám đốc",
    }
    assert (
        _post(client_for(personas.officer), f"/api/v1/dossiers/{dossier.pk}/decide/", decide).status_code
        == 400
    )
    r = _post(upper, f"/api/v1/dossiers/{dossier.pk}/decide/", decide)
    assert r.status_code == 201 and r.json()["number_symbol"] == "01/QĐ-BHXH"
    body = upper.get(f"/api/v1/decisions/{r.json()['id']}/").json()
    assert body["totals"] == [{"unit": "Phòng Quản lý thu", "count": 1, "total_vnd": 2_340_000}]
    assert body["awards"][0]["prize_vnd"] == 2_340_000
