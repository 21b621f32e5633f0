"""Who decides: a legal-entity unit issues the titles its head decides (Luật 06/2022 Đ80 k1) itself;
everything else goes to the level above, as before."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest

from thidua.audit.models import AuditEntry
from thidua.awards import services
from thidua.awards.authority import route_for
from thidua.awards.models import Decision, Dossier
from thidua.awards.tests.helpers import CSTDCS, YEAR, confirmed_candidate, meeting_with, vote
from thidua.core.errors import DomainError

DECISION = {
    "signed_on": "2026-01-15",
    "signer_name": "Nguyễn Văn Giám",
    "signer_title": "Giám đốc",
    "recipients": "Như Điều 3",
}


def _draft(org: SimpleNamespace, council: SimpleNamespace, officer: Any) -> Dossier:
    cand = confirmed_candidate(org, officer)
    meeting = meeting_with(council, officer)
    ballot = services.open_ballot(actor=officer, meeting=meeting, candidates=[cand])
    vote(ballot, council, 10, 0)
    services.close_ballot(actor=officer, ballot=ballot)
    return services.create_dossier(actor=officer, unit=org.a, year=YEAR, award_id=CSTDCS, meeting=meeting)


@pytest.mark.parametrize(
    ("legal_entity", "codes", "own_unit", "shown"),
    [
        (True, ["thu_truong_don_vi", "chu_tich_ubnd_xa"], True, "Thủ trưởng đơn vị (Luật 06/2022 Đ80 k1)"),
        (False, ["thu_truong_don_vi"], False, "Thủ trưởng đơn vị cấp trên (Luật 06/2022 Đ80 k1)"),
        (True, ["bo_truong_chu_tich_tinh"], False, "Bộ trưởng"),
        (True, ["chu_tich_nuoc"], False, "Chủ tịch nước"),
        (True, [], False, "Cấp trên"),
    ],
)
def test_it_routes_by_the_engine_authority(
    legal_entity: bool, codes: list[str], own_unit: bool, shown: str
) -> None:
    from thidua.org.models import Unit

    route = route_for(Unit(name="X", is_legal_entity=legal_entity), codes)
    assert route.own_unit is own_unit
    assert route.display.startswith(shown)


@pytest.mark.django_db
def test_a_legal_entity_issues_cstdcs_itself(
    org: SimpleNamespace, personas: SimpleNamespace, council: SimpleNamespace, history: Any, client_for: Any
) -> None:
    dossier = _draft(org, council, personas.officer)
    client = client_for(personas.officer)
    page = client.get(f"/khen-thuong/ho-so/{dossier.pk}/").content.decode()
    assert "Thẩm quyền quyết định" in page and "Thủ trưởng đơn vị (Luật 06/2022 Đ80 k1)" in page
    assert "Cấp số và ban hành" in page
    r = client.post(f"/khen-thuong/ho-so/{dossier.pk}/ban-hanh/", {"version": dossier.version, **DECISION})
    decision = Decision.objects.get(dossier=dossier)
    assert r.status_code == 302 and r["Location"] == f"/khen-thuong/quyet-dinh/{decision.pk}/"
    dossier.refresh_from_db()
    assert dossier.status == "decided" and dossier.submitted_on is None
    assert decision.unit == org.a  # the unit itself, not the level above
    award = decision.awards.get()
    assert (award.person, award.award_id, award.decided_by) == (org.an, CSTDCS, org.a.name)
    entry = AuditEntry.objects.get(action="decision.issued")
    assert entry.detail["route"] == "own_unit"
    assert entry.detail["authority"] == "Thủ trưởng đơn vị (Luật 06/2022 Đ80 k1)"


@pytest.mark.django_db
def test_a_unit_that_is_not_a_legal_entity_sends_it_up(
    org: SimpleNamespace, personas: SimpleNamespace, council: SimpleNamespace, history: Any, client_for: Any
) -> None:
    dossier = _draft(org, council, personas.officer)
    org.a.is_legal_entity = False
    org.a.save(update_fields=["is_legal_entity"])
    client = client_for(personas.officer)
    page = client.get(f"/khen-thuong/ho-so/{dossier.pk}/").content.decode()
    assert "Thủ trưởng đơn vị cấp trên (Luật 06/2022 Đ80 k1)" in page and "Cấp số và ban hành" not in page
    r = client.post(
        f"/khen-thuong/ho-so/{dossier.pk}/ban-hanh/", {"version": dossier.version, **DECISION}, follow=True
    )
    assert "hãy trình hồ sơ lên Bảo hiểm xã hội Việt Nam" in r.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == "draft" and not Decision.objects.exists()
    assert not AuditEntry.objects.filter(action="decision.issued").exists()


@pytest.mark.django_db
def test_the_level_above_still_decides_a_submitted_dossier(
    org: SimpleNamespace, personas: SimpleNamespace, council: SimpleNamespace, history: Any, root_officer: Any
) -> None:
    dossier = _draft(org, council, personas.officer)
    dossier = services.submit_dossier(
        actor=personas.officer, dossier=dossier, version=1, on=date(2025, 12, 12)
    )
    assert not services.can_decide(personas.officer, dossier)
    with pytest.raises(DomainError, match="đã thẩm định"):
        services.issue_decision(
            actor=personas.officer,
            dossier=dossier,
            version=2,
            signed_on=date(2026, 1, 15),
            signer_name="A",
            signer_title="B",
        )
    cand = dossier.candidates.get()
    services.appraise_dossier(actor=root_officer, dossier=dossier, version=2, verdicts={cand.pk: (True, "")})
    decision = services.issue_decision(
        actor=root_officer,
        dossier=dossier,
        version=3,
        signed_on=date(2026, 1, 15),
        signer_name="A",
        signer_title="B",
    )
    assert decision.unit == org.root
    assert AuditEntry.objects.get(action="decision.issued").detail["route"] == "above"


def test_every_authority_the_sector_data_names_is_known() -> None:
    from thidua.awards.authority import AUTHORITIES
    from thidua.org.kinds import sectors

    named = {code for s in sectors().values() for k in s.kinds for code in k.decides}
    assert named and named <= set(AUTHORITIES)


@pytest.mark.django_db
def test_a_commune_and_a_province_decide_what_their_chairs_decide() -> None:
    """Sector data: the head of a UBND xã holds "chu_tich_ubnd_xa", of a UBND tỉnh
    "bo_truong_chu_tich_tinh" (Luật 06/2022 Đ80); a thôn's dossier goes to the commune's chair."""
    from thidua.org import services as org_services
    from thidua.org.models import Organisation

    province = org_services.create_unit(
        actor=None,
        code="UBND-66",
        name="Ủy ban nhân dân tỉnh Đắk Lắk",
        kind="ubnd_tinh",
        is_legal_entity=True,
    )
    Organisation.objects.create(root=province, sector="tinh")
    commune = org_services.create_unit(
        actor=None, code="XA-1", name="UBND xã Ea Kao", parent=province, kind="ubnd_xa", is_legal_entity=True
    )
    village = org_services.create_unit(actor=None, code="THON-1", name="Thôn 1", parent=commune, kind="thon")
    ldtt = ["thu_truong_don_vi", "chu_tich_ubnd_xa", "giam_doc_doanh_nghiep"]

    assert route_for(commune, ldtt).own_unit
    assert route_for(commune, ldtt).authority.label == "Chủ tịch UBND cấp xã"
    assert route_for(province, ["bo_truong_chu_tich_tinh"]).own_unit
    assert not route_for(commune, ["bo_truong_chu_tich_tinh"]).own_unit
    to_commune = route_for(village, ["chu_tich_ubnd_xa"])
    assert not to_commune.own_unit and to_commune.authority.label == "Chủ tịch UBND cấp xã"


@pytest.mark.django_db
def test_an_enterprise_director_decides_its_titles() -> None:
    from thidua.org import services as org_services
    from thidua.org.models import Organisation

    company = org_services.create_unit(
        actor=None, code="CTY", name="Công ty cổ phần Cà phê", kind="doanh_nghiep", is_legal_entity=True
    )
    Organisation.objects.create(root=company, sector="doanh_nghiep")
    route = route_for(company, ["thu_truong_don_vi", "chu_tich_ubnd_xa", "giam_doc_doanh_nghiep"])
    assert route.own_unit and route.authority.label == "Giám đốc doanh nghiệp, hợp tác xã"
