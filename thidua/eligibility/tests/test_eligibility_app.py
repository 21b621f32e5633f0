from datetime import date

import pytest

from thidua.audit.models import AuditEntry
from thidua.core.errors import DomainError
from thidua.eligibility import adapters, services
from thidua.eligibility.models import Evaluation
from thidua.history.models import AwardRecord, Initiative, PendingProceeding, Rating
from thidua.org import services as org_services

pytestmark = pytest.mark.django_db


def _rate(person, year, value):
    Rating.objects.create(person=person, year=year, value=value)


def _title(person, year, award_id):
    AwardRecord.objects.create(
        person=person,
        kind=AwardRecord.Kind.TITLE,
        award_id=award_id,
        year=year,
        decided_on=date(year + 1, 1, 15),
    )


@pytest.fixture
def history(org):
    """An: HTXS 2025 (CSTĐCS path), titles 2023-2024; Bình: HTT 2025 only; Cường (other province) pending case."""
    for year in (2023, 2024):
        _rate(org.an, year, "hoan_thanh_xuat_sac")
        _title(org.an, year, "lao_dong_tien_tien")
        _title(org.an, year, "chien_si_thi_dua_co_so")
    _rate(org.an, 2025, "hoan_thanh_xuat_sac")
    _rate(org.binh, 2025, "hoan_thanh_tot")
    Initiative.objects.create(
        person=org.binh, code="SK-2025-01", title="Số hóa hồ sơ", year=2025, scope="co_so"
    )
    return org


def _result(payload, item_id):
    return next(r for r in payload["results"] if r["id"] == item_id)


def test_person_case_maps_history_onto_the_contract(history):
    case = adapters.person_case(history.an, year=2025)
    types = sorted({r["type"] for r in case["subject"]["records"]})
    assert types == ["rating", "title"]
    assert case["subject"]["id"] == "001085012345"
    assert {"type": "title", "year": 2024, "id": "chien_si_thi_dua_co_so"} in case["subject"]["records"]


def test_revoked_awards_do_not_count(history):
    AwardRecord.objects.filter(person=history.an, year=2024, award_id="chien_si_thi_dua_co_so").update(
        revoked_on=date(2025, 5, 1), revocation_ground="Luật 06/2022 Đ93 k2 a"
    )
    case = adapters.person_case(history.an, year=2025)
    assert {"type": "title", "year": 2024, "id": "chien_si_thi_dua_co_so"} not in case["subject"]["records"]


def test_person_page_shows_verdicts_with_citations(history, personas, client_for):
    response = client_for(personas.officer).get(f"/xet-khen-thuong/nhan-su/{history.an.pk}/?nam=2025")
    assert response.status_code == 200
    result = response.context["result"]
    assert _result(result, "lao_dong_tien_tien")["verdict"] == "eligible"
    assert _result(result, "chien_si_thi_dua_co_so")["verdict"] == "eligible"
    body = response.content.decode()
    assert "Đủ điều kiện" in body and "Đ24" in body


def test_storing_an_evaluation_records_the_ruleset_and_an_audit_entry(history, personas, client_for):
    response = client_for(personas.officer).post(
        f"/xet-khen-thuong/nhan-su/{history.an.pk}/luu/", {"nam": "2025"}
    )
    assert response.status_code == 302
    evaluation = Evaluation.objects.get(person=history.an)
    assert evaluation.ruleset == "tdkt-2025-08"
    assert evaluation.verdicts["lao_dong_tien_tien"] == "eligible"
    entry = AuditEntry.objects.get(action="eligibility.evaluated")
    assert entry.detail["ruleset"] == "tdkt-2025-08" and entry.actor == personas.officer


def test_staff_sees_own_eligibility_but_cannot_store(history, personas, client_for):
    client = client_for(personas.staff)
    assert client.get(f"/xet-khen-thuong/nhan-su/{history.an.pk}/?nam=2025").status_code == 200
    assert client.get(f"/xet-khen-thuong/nhan-su/{history.binh.pk}/?nam=2025").status_code == 404
    assert client.post(f"/xet-khen-thuong/nhan-su/{history.an.pk}/luu/", {"nam": "2025"}).status_code == 403
    assert not Evaluation.objects.exists()


def test_other_province_cannot_see_a_persons_eligibility(history, personas, client_for):
    assert (
        client_for(personas.outsider_officer).get(f"/xet-khen-thuong/nhan-su/{history.an.pk}/").status_code
        == 404
    )


def test_unit_page_lists_candidates_and_defers_pending_cases(history, personas, client_for):
    PendingProceeding.objects.create(person=history.binh, kind="complaint", since=date(2025, 11, 1))
    response = client_for(personas.officer).get(f"/xet-khen-thuong/don-vi/{history.a.pk}/?nam=2025")
    assert response.status_code == 200
    titles = {t.id: t for t in response.context["titles"]}
    ldtt = titles["lao_dong_tien_tien"]
    assert [c.person.full_name for c in ldtt.eligible] == ["Nguyễn Văn An"]
    assert [c.person.full_name for c in ldtt.deferred] == ["Trần Thị Bình"]


def test_rules_page_switches_ruleset_with_the_date(personas, client_for):
    client = client_for(personas.officer)
    before = client.get("/xet-khen-thuong/quy-dinh/?ngay=2025-06-30")
    after = client.get("/xet-khen-thuong/quy-dinh/?ngay=2025-07-01")
    assert before.context["ruleset"].id == "tdkt-2024"
    assert after.context["ruleset"].id != "tdkt-2024"
    assert "Chưa xác nhận" in after.content.decode()
    assert before.context["salary"] == 2_340_000
    assert client.get("/xet-khen-thuong/quy-dinh/?ngay=2026-07-01").context["salary"] == 2_530_000


def test_rule_options_are_validated(org):
    with pytest.raises(DomainError):
        services.set_rule_options(actor=None, unit=org.a, options={"no_such_option": True})
    row = services.set_rule_options(actor=None, unit=org.a_dept, options={"ttldtt_min_ldtt_pct": 50})
    assert row.unit == org.root  # options belong to the organisation
    assert services.options_for(org.a_dept) == {"ttldtt_min_ldtt_pct": 50}


def test_merged_unit_keeps_its_predecessors_history(org):
    new = org_services.create_unit(actor=None, code="BHXH-01-MOI", name="BHXH Hà Nội (mới)", parent=org.root)
    Rating.objects.create(unit=org.b, year=2024, value="hoan_thanh_xuat_sac")
    org_services.merge_units(actor=None, units=[org.b], into=new, effective_on=date(2025, 7, 1))
    records = adapters.unit_records(new, up_to_year=2025)
    assert {"type": "rating", "year": 2024, "value": "hoan_thanh_xuat_sac"} in records


def test_api_check_evaluates_a_case_and_rejects_malformed_ones(personas, client_for):
    client = client_for(personas.officer)
    record = {"type": "rating", "year": 2025, "value": "hoan_thanh_tot"}
    case = {
        "year": 2025,
        "subject": {
            "kind": "individual",
            "id": "X1",
            "name": "Người thử",
            "records": [record],
        },
        "candidates": ["lao_dong_tien_tien"],
    }
    response = client.post("/api/v1/eligibility/check/", case, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["results"][0]["verdict"] == "eligible"
    record["value"] = "tot_lam"
    bad = client.post("/api/v1/eligibility/check/", case, content_type="application/json")
    assert bad.status_code == 400
    assert any("records[0].value" in path for path in bad.json()["error"]["fields"])


def test_api_person_and_unit_follow_permissions(history, personas, client_for):
    officer = client_for(personas.officer)
    person = officer.get(f"/api/v1/eligibility/people/{history.an.pk}/?year=2025")
    assert person.status_code == 200
    assert _result(person.json(), "lao_dong_tien_tien")["verdict"] == "eligible"
    assert officer.get(f"/api/v1/eligibility/units/{history.a_dept.pk}/?year=2025").status_code == 200
    outsider = client_for(personas.outsider_officer)
    assert outsider.get(f"/api/v1/eligibility/people/{history.an.pk}/").status_code == 404
    rules = officer.get("/api/v1/eligibility/rules/?date=2026-07-01").json()
    assert rules["base_salary_vnd"] == 2_530_000


def test_person_and_unit_pages_lead_to_eligibility(history, personas, client_for):
    client = client_for(personas.officer)
    person_html = client.get(f"/to-chuc/nhan-su/{history.an.pk}/").content.decode()
    assert f'hx-get="/xet-khen-thuong/nhan-su/{history.an.pk}/"' in person_html  # the year under review
    partial = client.get(f"/xet-khen-thuong/nhan-su/{history.an.pk}/?nam=2025", HTTP_HX_REQUEST="true")
    assert "<html" not in partial.content.decode() and "Lao động tiên tiến" in partial.content.decode()
    unit_html = client.get(f"/to-chuc/don-vi/{history.a.pk}/").content.decode()
    assert f'href="/xet-khen-thuong/don-vi/{history.a.pk}/"' in unit_html


def test_people_recruited_after_the_review_date_are_not_considered(history, personas, client_for):
    history.binh.recruited_on = date(2026, 2, 19)
    history.binh.save()
    client = client_for(personas.officer)
    response = client.get(f"/xet-khen-thuong/don-vi/{history.a.pk}/?nam=2025")
    assert response.status_code == 200
    titles = {t.id: t for t in response.context["titles"]}
    assert [p.full_name for p in titles["lao_dong_tien_tien"].not_considered] == ["Trần Thị Bình"]
    page = client.get(f"/xet-khen-thuong/nhan-su/{history.binh.pk}/?nam=2025")
    assert page.status_code == 200
    assert "sau ngày xét 31/12/2025" in page.content.decode()


def test_a_bad_stored_record_is_named_instead_of_breaking_the_pages(history, personas, client_for):
    Initiative.objects.filter(code="SK-2025-01").update(used_for="đã dùng năm ngoái")
    client = client_for(personas.officer)
    page = client.get(f"/xet-khen-thuong/nhan-su/{history.binh.pk}/?nam=2025")
    assert page.status_code == 200
    assert "có dữ liệu không hợp lệ" in page.content.decode()
    unit = client.get(f"/xet-khen-thuong/don-vi/{history.a.pk}/?nam=2025")
    assert unit.status_code == 200
    titles = {t.id: t for t in unit.context["titles"]}
    assert [p.full_name for p, _ in titles["lao_dong_tien_tien"].invalid] == ["Trần Thị Bình"]


def test_only_clusters_of_a_ministry_or_province_feed_the_flag(org):
    """A school cluster of a sở leads to no Cờ thi đua bộ/tỉnh record (Luật 06/2022 Đ26 k1)."""
    from thidua.eligibility.adapters import unit_records
    from thidua.movements import services as movement_services
    from thidua.movements.models import Movement
    from thidua.org import services as org_services

    movement = Movement.objects.create(
        title="Thi đua thường xuyên năm 2025",
        kind=Movement.Kind.REGULAR,
        authority=Movement.Authority.BO_NGANH_TINH,
        launching_unit=org.root,
        start_year=2025,
        end_year=2025,
        status=Movement.Status.CLOSED,
    )
    for name, organiser in (("Cụm 1", "bo_nganh_tinh"), ("Cụm trường", "don_vi")):
        cluster = org_services.create_cluster(
            actor=None, name=name, year=2025, organiser_unit=org.root, members=[org.a], organiser=organiser
        )
        movement_services.record_ranking(
            actor=None, movement=movement, cluster=cluster, year=2025, ranks=[(org.a, 1)]
        )

    ranks = [r for r in unit_records(org.a, up_to_year=2025) if r["type"] == "cluster_rank"]
    assert ranks == [{"type": "cluster_rank", "year": 2025, "rank": 1, "organiser": "bo_nganh_tinh"}]
