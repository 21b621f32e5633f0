"""Dossiers: optimistic locking, appraisal only by the level above, return for revision, deadlines."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest

from thidua.audit.models import AuditEntry
from thidua.awards import services
from thidua.awards.models import Dossier
from thidua.awards.tests.helpers import CSTDCS, YEAR, confirmed_candidate, submitted_dossier
from thidua.core.errors import DomainError


@pytest.mark.django_db
def test_it_refuses_a_stale_version(
    org: SimpleNamespace,
    personas: SimpleNamespace,
    council: SimpleNamespace,
    history: Any,
    root_officer: Any,
    client_for: Any,
) -> None:
    """Two appraisers open the dossier at version 2; the first returns it, the second's accept is refused."""
    dossier, cand = submitted_dossier(org, council, personas.officer)
    assert dossier.version == 2
    first, second = client_for(root_officer), client_for(personas.admin)
    first.post(
        f"/khen-thuong/ho-so/{dossier.pk}/tra-lai/", {"version": 2, "reason": "Thiếu báo cáo thành tích"}
    )
    r = second.post(
        f"/khen-thuong/ho-so/{dossier.pk}/tham-dinh/", {"version": 2, f"a_{cand.pk}": "accept"}, follow=True
    )
    assert "Hồ sơ đã được người khác cập nhật" in r.content.decode()
    dossier.refresh_from_db()
    assert (dossier.status, dossier.version, dossier.return_reason) == (
        "returned",
        3,
        "Thiếu báo cáo thành tích",
    )
    cand.refresh_from_db()
    assert cand.appraisal == "pending"
    with pytest.raises(DomainError, match="người khác cập nhật"):
        services.submit_dossier(actor=personas.officer, dossier=dossier, version=2)


@pytest.mark.django_db
def test_it_never_lets_a_unit_appraise_its_own_dossier(
    org: SimpleNamespace, personas: SimpleNamespace, council: SimpleNamespace, history: Any, client_for: Any
) -> None:
    dossier, cand = submitted_dossier(org, council, personas.officer)
    r = client_for(personas.officer).post(
        f"/khen-thuong/ho-so/{dossier.pk}/tham-dinh/", {"version": 2, f"a_{cand.pk}": "accept"}, follow=True
    )
    assert "không được tự thẩm định" in r.content.decode()
    with pytest.raises(DomainError, match="tự thẩm định"):
        services.return_dossier(actor=personas.officer, dossier=dossier, version=2, reason="x")
    dossier.refresh_from_db()
    assert dossier.status == "submitted"
    assert client_for(personas.outsider_officer).get(f"/khen-thuong/ho-so/{dossier.pk}/").status_code == 404


@pytest.mark.django_db
def test_it_returns_for_revision_then_accepts_per_candidate(
    org: SimpleNamespace, personas: SimpleNamespace, council: SimpleNamespace, history: Any, root_officer: Any
) -> None:
    dossier, cand = submitted_dossier(org, council, personas.officer)
    with pytest.raises(DomainError, match="lý do"):
        services.return_dossier(actor=root_officer, dossier=dossier, version=2, reason=" ")
    services.return_dossier(
        actor=root_officer, dossier=dossier, version=2, reason="Bổ sung xác nhận sáng kiến"
    )
    services.submit_dossier(actor=personas.officer, dossier=dossier, version=3, on=date(2026, 1, 5))
    dossier.refresh_from_db()
    assert dossier.deadline == date(2026, 2, 2)
    with pytest.raises(DomainError, match="cần ghi lý do"):
        services.appraise_dossier(
            actor=root_officer, dossier=dossier, version=4, verdicts={cand.pk: (False, "")}
        )
    services.appraise_dossier(
        actor=root_officer, dossier=dossier, version=4, verdicts={cand.pk: (True, "Đủ hồ sơ")}
    )
    dossier.refresh_from_db()
    assert dossier.status == "appraised"
    codes = list(
        AuditEntry.objects.filter(object_id=str(dossier.pk), object_type="awards.dossier").values_list(
            "action", flat=True
        )
    )
    assert {"dossier.created", "dossier.submitted", "dossier.returned", "dossier.appraised"} <= set(codes)


@pytest.mark.django_db
def test_it_needs_a_passed_vote_for_voted_titles(
    org: SimpleNamespace, personas: SimpleNamespace, council: SimpleNamespace, history: Any
) -> None:
    confirmed_candidate(org, personas.officer)
    with pytest.raises(DomainError, match="bỏ phiếu kín"):
        services.create_dossier(actor=personas.officer, unit=org.a, year=YEAR, award_id=CSTDCS)
    assert not Dossier.objects.exists()


@pytest.mark.django_db
def test_it_leaves_out_candidates_below_the_threshold(
    org: SimpleNamespace, personas: SimpleNamespace, council: SimpleNamespace, history: Any
) -> None:
    """No threshold in force (NĐ 152, assumption off): the council's rule, more than half of all."""
    with pytest.raises(DomainError, match="Không có đề nghị nào"):
        submitted_dossier(org, council, personas.officer, agree=5)


@pytest.mark.django_db
def test_it_applies_the_assumed_threshold_when_the_organisation_turns_it_on(
    org: SimpleNamespace, personas: SimpleNamespace, council: SimpleNamespace, history: Any
) -> None:
    from thidua.eligibility.models import RuleOptions

    RuleOptions.objects.create(unit=org.root, options={"assume_nd98_vote_thresholds": True})
    with pytest.raises(DomainError, match="Không có đề nghị nào"):
        submitted_dossier(org, council, personas.officer, agree=7)  # 70 % < 80 %


@pytest.mark.django_db
def test_it_flags_an_overdue_appraisal(
    org: SimpleNamespace, personas: SimpleNamespace, council: SimpleNamespace, history: Any, client_for: Any
) -> None:
    dossier, _ = submitted_dossier(
        org, council, personas.officer
    )  # submitted 12/12/2025, due 12/01/2026 (01/01 off)
    assert dossier.deadline == date(2026, 1, 12) and dossier.is_overdue
    page = client_for(personas.officer).get(f"/khen-thuong/ho-so/{dossier.pk}/").content.decode()
    assert "12/01/2026" in page and "quá hạn" in page


@pytest.mark.django_db
def test_its_actions_have_vietnamese_addresses_and_the_english_ones_are_gone(
    org: SimpleNamespace,
    personas: SimpleNamespace,
    council: SimpleNamespace,
    history: Any,
    root_officer: Any,
    client_for: Any,
) -> None:
    dossier, _cand = submitted_dossier(org, council, personas.officer)
    client = client_for(root_officer)
    page = client.get(f"/khen-thuong/ho-so/{dossier.pk}/").content.decode()
    for slug in ("tham-dinh", "tra-lai"):  # the appraising level's forms
        assert f'action="/khen-thuong/ho-so/{dossier.pk}/{slug}/"' in page
    assert "/appraise/" not in page and "/return/" not in page
    for english in ("submit", "return", "appraise", "decide"):
        response = client.post(f"/khen-thuong/ho-so/{dossier.pk}/{english}/", {"version": 2})
        assert response.status_code == 404
    dossier.refresh_from_db()
    assert (dossier.status, dossier.version) == ("submitted", 2)
