"""Candidates: engine proposals with reasons, deferred cases apart, removal reasons, manual additions
flagged, quotas with the count against the cap."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest

from thidua.audit.models import AuditEntry
from thidua.awards import services
from thidua.awards.models import AwardSettings, Candidate
from thidua.core.errors import DomainError
from thidua.history.models import PendingProceeding, Rating

YEAR = 2025
LDTT = "lao_dong_tien_tien"


@pytest.fixture
def rated(org: SimpleNamespace, personas: SimpleNamespace) -> None:
    Rating.objects.create(person=org.an, year=YEAR, value="hoan_thanh_tot")
    Rating.objects.create(person=org.binh, year=YEAR, value="hoan_thanh_tot")


@pytest.mark.django_db
def test_it_proposes_with_reasons_and_lists_deferred_cases_apart(
    org: SimpleNamespace, personas: SimpleNamespace, rated: None, client_for: Any
) -> None:
    PendingProceeding.objects.create(person=org.binh, kind="discipline", since=date(2025, 11, 1))
    client = client_for(personas.officer)
    client.post(f"/khen-thuong/de-nghi/{org.a.pk}/{YEAR}/xet/")
    an = Candidate.objects.get(person=org.an, award_id=LDTT)
    assert an.status == "proposed" and an.source == "engine" and an.ruleset_id
    assert any(r["ok"] and "Hoàn thành tốt" in r["text"] for r in an.engine_result["reasons"])
    binh = Candidate.objects.get(person=org.binh, award_id=LDTT)
    assert binh.status == "deferred"
    page = client.get(f"/khen-thuong/de-nghi/{org.a.pk}/{YEAR}/").content.decode()
    deferred_part = page.split("Chưa xét (đang có vụ việc chưa kết luận)")[1]
    assert "Trần Thị Bình" in deferred_part
    # the reasons open under words, not under the ruleset's id
    assert (
        "<summary>Lý do xét tự động</summary>" in page and f"<summary>{an.ruleset_id}</summary>" not in page
    )
    with pytest.raises(DomainError, match="Đang có vụ việc"):
        services.confirm_candidate(actor=personas.officer, candidate=binh)
    assert AuditEntry.objects.get(action="candidate.proposed").detail["deferred"] >= 1
    # Outside the engine's verdict nobody is proposed (Cường belongs to another province).
    assert not Candidate.objects.filter(person=org.cuong).exists()


@pytest.mark.django_db
def test_it_removes_only_with_a_reason_and_keeps_officer_decisions_on_rerun(
    org: SimpleNamespace, personas: SimpleNamespace, rated: None, client_for: Any
) -> None:
    client = client_for(personas.officer)
    client.post(f"/khen-thuong/de-nghi/{org.a.pk}/{YEAR}/xet/")
    an = Candidate.objects.get(person=org.an, award_id=LDTT)
    client.post(f"/khen-thuong/de-nghi/{an.pk}/loai/", {"reason": ""})
    an.refresh_from_db()
    assert an.status == "proposed"
    client.post(f"/khen-thuong/de-nghi/{an.pk}/loai/", {"reason": "Nghỉ việc từ tháng 12"})
    an.refresh_from_db()
    assert (an.status, an.note) == ("removed", "Nghỉ việc từ tháng 12")
    client.post(f"/khen-thuong/de-nghi/{org.a.pk}/{YEAR}/xet/")
    an.refresh_from_db()
    assert an.status == "removed"
    assert AuditEntry.objects.get(action="candidate.removed").detail["reason"] == "Nghỉ việc từ tháng 12"


@pytest.mark.django_db
def test_it_adds_a_candidate_outside_the_engine_flagged_with_its_justification(
    org: SimpleNamespace, personas: SimpleNamespace, client_for: Any
) -> None:
    Rating.objects.create(person=org.an, year=YEAR, value="hoan_thanh")  # not enough for LĐTT
    client = client_for(personas.officer)
    url = f"/khen-thuong/de-nghi/{org.a.pk}/{YEAR}/them/"
    client.post(url, {"award_id": LDTT, "person": org.an.pk, "justification": ""})
    assert not Candidate.objects.exists()
    client.post(url, {"award_id": LDTT, "person": org.an.pk, "justification": "Có thành tích đột xuất"})
    c = Candidate.objects.get(person=org.an)
    assert (c.source, c.status, c.verdict) == ("manual", "confirmed", "not_eligible")
    page = client.get(f"/khen-thuong/de-nghi/{org.a.pk}/{YEAR}/").content.decode()
    assert "Bổ sung ngoài kết quả xét tự động" in page and "Có thành tích đột xuất" in page
    assert AuditEntry.objects.get(action="candidate.added").detail["engine_verdict"] == "not_eligible"


@pytest.mark.django_db
def test_it_enforces_the_organisation_quota(
    org: SimpleNamespace, personas: SimpleNamespace, rated: None, client_for: Any
) -> None:
    AwardSettings.objects.create(root=org.root, quotas={LDTT: 50})  # 50 % of the 2 people of A: 1
    services.propose_candidates(actor=personas.officer, unit=org.a, year=YEAR)
    first, second = Candidate.objects.filter(award_id=LDTT).order_by("id")
    services.confirm_candidate(actor=personas.officer, candidate=first)
    with pytest.raises(DomainError, match="2/1 — vượt giới hạn 50%"):
        services.confirm_candidate(actor=personas.officer, candidate=second)
    page = client_for(personas.officer).get(f"/khen-thuong/de-nghi/{org.a.pk}/{YEAR}/").content.decode()
    assert "1/1 — trong giới hạn 50%" in page


@pytest.mark.django_db
def test_it_refuses_candidate_changes_to_readers(
    org: SimpleNamespace, personas: SimpleNamespace, rated: None, client_for: Any
) -> None:
    services.propose_candidates(actor=personas.officer, unit=org.a, year=YEAR)
    c = Candidate.objects.filter(award_id=LDTT).first()
    assert c is not None
    assert client_for(personas.head).post(f"/khen-thuong/de-nghi/{c.pk}/xac-nhan/").status_code == 403
    assert (
        client_for(personas.outsider_officer).post(f"/khen-thuong/de-nghi/{c.pk}/xac-nhan/").status_code
        == 404
    )
    c.refresh_from_db()
    assert c.status == "proposed"


@pytest.mark.django_db
def test_the_candidate_page_costs_the_same_queries_for_more_people(
    org: SimpleNamespace, personas: SimpleNamespace, client_for: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from thidua.org import services as org_services

    client = client_for(personas.officer)
    url = f"/khen-thuong/de-nghi/{org.a.pk}/{YEAR}/"
    counts = []
    for batch in (range(0, 3), range(3, 15)):
        for i in batch:
            p = org_services.create_person(
                actor=None,
                citizen_id=f"00119{i:07d}",
                full_name=f"Phạm Thị Thử {i}",
                gender="nu",
                unit=org.a_dept,
                started_on=date(2018, 1, 1),
            )
            Rating.objects.create(person=p, year=YEAR, value="hoan_thanh_tot")
        services.propose_candidates(actor=personas.officer, unit=org.a, year=YEAR)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert Candidate.objects.count() >= 15
    assert counts[0] == counts[1], counts


@pytest.mark.django_db
def test_it_lists_subjects_whose_data_the_engine_rejects_and_goes_on(
    org: SimpleNamespace, personas: SimpleNamespace, rated: None, client_for: Any
) -> None:
    from thidua.history.models import Initiative

    Initiative.objects.create(
        person=org.binh, code="SK-X", title="Sáng kiến", year=YEAR, scope="co_so", used_for="ghi chú tự do"
    )
    page = client_for(personas.officer).post(f"/khen-thuong/de-nghi/{org.a.pk}/{YEAR}/xet/", follow=True)
    assert "Trần Thị Bình không hợp lệ" in page.content.decode()
    assert Candidate.objects.filter(person=org.an, award_id=LDTT).exists()
    assert not Candidate.objects.filter(person=org.binh).exists()
    assert AuditEntry.objects.get(action="candidate.proposed").detail["problems"]


@pytest.mark.django_db
def test_the_candidate_list_shows_the_movement_records_with_their_source_and_a_registered_title_missing(
    org: SimpleNamespace, personas: SimpleNamespace, client_for: Any
) -> None:
    from thidua.movements import services as movement_services
    from thidua.movements.models import Movement, Registration
    from thidua.org import services as org_services

    movement = Movement.objects.create(
        title="Thi đua thường xuyên năm 2025",
        kind=Movement.Kind.REGULAR,
        authority=Movement.Authority.BO_NGANH_TINH,
        launching_unit=org.root,
        start_year=YEAR,
        end_year=YEAR,
        status=Movement.Status.CLOSED,
    )
    cluster = org_services.create_cluster(
        actor=None, name="Cụm thi đua số 2", year=YEAR, organiser_unit=org.root, members=[org.a, org.b]
    )
    ranking = movement_services.record_ranking(
        actor=None, movement=movement, cluster=cluster, year=YEAR, ranks=[(org.a, 1), (org.b, 2)]
    )
    Registration.objects.create(
        movement=movement,
        unit=org.a,
        year=YEAR,
        status=Registration.Status.APPROVED,
        titles=[{"award": "co_thi_dua_bo_tinh", "subject": "unit", "count": 1}],
    )
    services.add_candidate(
        actor=personas.officer,
        unit=org.a,
        year=YEAR,
        award_id="tap_the_lao_dong_xuat_sac",
        collective=org.a,
        justification="Hoàn thành xuất sắc nhiệm vụ",
    )
    page = client_for(personas.officer).get(f"/khen-thuong/de-nghi/{org.a.pk}/{YEAR}/").content.decode()
    assert f'href="/phong-trao/xep-hang/{ranking.pk}/"' in page
    assert "Nguồn: " in page and "Hạng 1 Cụm thi đua số 2 năm 2025" in page
    assert "đã đăng ký «Cờ thi đua" in page and "chưa có trong danh sách đề nghị" in page
