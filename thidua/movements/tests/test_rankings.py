from datetime import date
from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from openpyxl import load_workbook

from thidua.audit.models import AuditEntry
from thidua.core.errors import DomainError
from thidua.movements import services
from thidua.movements.models import Movement, Ranking, Result
from thidua.movements.records import movement_lead_records
from thidua.movements.tests.samples import FAIR, GOOD, YEAR
from thidua.org.models import ClusterMember

pytestmark = pytest.mark.django_db
pytest_plugins = ["thidua.movements.tests.fixtures"]


def _final(movement: Any, unit: Any, figures: Any, reviewer: Any, period: str = "nam") -> Any:
    result = services.save_result(
        actor=None, movement=movement, unit=unit, year=YEAR, period=period, figures=figures
    )
    services.submit_result(actor=None, result=result)
    services.review_result(actor=reviewer, result=result, note="Thống nhất với đơn vị")
    services.finalise_result(actor=reviewer, result=result)
    return result


def test_publishing_the_yearly_ranking_records_cluster_member_ranks(
    client_for, root_officer, personas, org, running, cluster
):
    _final(running, org.a, FAIR, root_officer)
    _final(running, org.b, GOOD, root_officer)
    client = client_for(root_officer)
    response = client.post(
        f"/phong-trao/{running.pk}/xep-hang/{YEAR}/cum/{cluster.pk}/tinh/", {"period": "nam"}
    )
    ranking = Ranking.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/phong-trao/xep-hang/{ranking.pk}/"
    assert [(e.unit, e.rank, e.total) for e in ranking.entries.all()] == [
        (org.b, 1, Decimal("10.00")),
        (org.a, 2, Decimal("7.00")),
    ]
    assert ClusterMember.objects.get(cluster=cluster, unit=org.b).rank is None  # not before publication
    response = client.post(f"/phong-trao/xep-hang/{ranking.pk}/cong-bo/")
    ranking.refresh_from_db()
    assert ranking.status == Ranking.Status.PUBLISHED
    assert ClusterMember.objects.get(cluster=cluster, unit=org.b).rank == 1
    assert ClusterMember.objects.get(cluster=cluster, unit=org.a).rank == 2
    entry = AuditEntry.objects.get(action="ranking.published")
    assert entry.detail["cluster_member_rank_written"] is True and entry.detail["ranks"][0] == [
        "BHXH-79",
        1,
        "10.00",
    ]


def test_publication_needs_every_final_score(root_officer, org, running, cluster):
    _final(running, org.a, GOOD, root_officer)
    result_b = services.save_result(
        actor=None, movement=running, unit=org.b, year=YEAR, period="nam", figures=FAIR
    )
    services.submit_result(actor=None, result=result_b)
    ranking = services.compute_ranking(actor=root_officer, movement=running, cluster=cluster, year=YEAR)
    assert "Chưa có điểm chính thức: Bảo hiểm xã hội Thành phố Hồ Chí Minh" in ranking.notes
    with pytest.raises(
        DomainError, match="Chưa có điểm chính thức của: Bảo hiểm xã hội Thành phố Hồ Chí Minh"
    ):
        services.publish_ranking(actor=root_officer, ranking=ranking)
    assert ClusterMember.objects.filter(rank__isnull=False).count() == 0


def test_a_stale_ranking_must_be_recomputed_before_publication(root_officer, org, running, cluster):
    _final(running, org.a, GOOD, root_officer)
    result_b = services.save_result(
        actor=None, movement=running, unit=org.b, year=YEAR, period="nam", figures=FAIR
    )
    services.submit_result(actor=None, result=result_b)
    ranking = services.compute_ranking(actor=root_officer, movement=running, cluster=cluster, year=YEAR)
    services.review_result(
        actor=root_officer, result=result_b, note="Sửa", corrections={"I.2": {"value": False}}
    )
    services.finalise_result(actor=root_officer, result=result_b)
    with pytest.raises(DomainError, match="hãy tính lại"):
        services.publish_ranking(actor=root_officer, ranking=ranking)
    ranking = services.compute_ranking(actor=root_officer, movement=running, cluster=cluster, year=YEAR)
    services.publish_ranking(actor=root_officer, ranking=ranking)
    assert ClusterMember.objects.get(unit=org.b).rank == 2


def test_a_quarterly_ranking_does_not_touch_cluster_member_ranks(root_officer, org, running, cluster):
    _final(running, org.a, GOOD, root_officer, period="q1")
    _final(running, org.b, FAIR, root_officer, period="q1")
    ranking = services.compute_ranking(
        actor=root_officer, movement=running, cluster=cluster, year=YEAR, period="q1"
    )
    services.publish_ranking(actor=root_officer, ranking=ranking)
    assert ClusterMember.objects.filter(rank__isnull=False).count() == 0


def test_a_province_officer_cannot_compute_the_clusters_ranking(client_for, personas, running, cluster):
    response = client_for(personas.officer).post(
        f"/phong-trao/{running.pk}/xep-hang/{YEAR}/cum/{cluster.pk}/tinh/"
    )
    assert response.status_code == 403


def test_the_leaderboard_draws_svg_charts_and_exports_a4_landscape(
    client_for, personas, root_officer, org, running, cluster
):
    for period, (fa, fb) in {"q1": (FAIR, GOOD), "q2": (GOOD, FAIR), "nam": (GOOD, FAIR)}.items():
        _final(running, org.a, fa, root_officer, period=period)
        _final(running, org.b, fb, root_officer, period=period)
    ranking = services.compute_ranking(actor=root_officer, movement=running, cluster=cluster, year=YEAR)
    services.publish_ranking(actor=root_officer, ranking=ranking)
    client = client_for(personas.staff)
    board = client.get(f"/phong-trao/{running.pk}/xep-hang/{YEAR}/").content.decode()
    assert board.count("<svg") == 1 and "<rect" in board and org.a.name in board
    detail = client.get(f"/phong-trao/xep-hang/{ranking.pk}/").content.decode()
    assert detail.count("<svg") == 2 and "<polyline" in detail and "Quý I" in detail
    response = client.get(f"/phong-trao/xep-hang/{ranking.pk}/", {"format": "xlsx"})
    ws: Any = load_workbook(BytesIO(response.content)).active
    assert [ws["A4"].value, ws["G4"].value] == ["Hạng", "Tổng điểm"] and ws.print_title_rows == "$4:$4"
    assert ws["A5"].value == 1 and ws["C5"].value == org.a.name and ws["G5"].value == 10
    assert ws["G5"].number_format == "#,##0.00" and ws["C5"].font.name == "Times New Roman"
    assert ws.page_setup.orientation == "landscape" and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.oddFooter.center.text == "Trang &P/&N"


def test_a_draft_ranking_is_hidden_from_the_members(
    client_for, personas, root_officer, org, running, cluster
):
    _final(running, org.a, GOOD, root_officer)
    ranking = services.compute_ranking(actor=root_officer, movement=running, cluster=cluster, year=YEAR)
    assert client_for(personas.officer).get(f"/phong-trao/xep-hang/{ranking.pk}/").status_code == 404
    assert (
        client_for(personas.outsider_officer).get(f"/phong-trao/xep-hang/{ranking.pk}/").status_code == 200
    )  # cluster head


def test_a_thematic_movement_review_records_its_leader_for_the_engine(org):
    pm = services.create_movement(
        actor=None,
        title="Cả nước chung tay vì người nghèo - Không để ai bị bỏ lại phía sau",
        kind=Movement.Kind.THEMATIC,
        authority=Movement.Authority.THU_TUONG,
        authority_name="Thủ tướng Chính phủ",
        theme="Giảm nghèo bền vững",
        start_year=2016,
        end_year=2020,
    )
    services.add_movement_document(
        actor=None, movement=pm, kind="phat_dong", issued_on=date(2016, 5, 1), summary="Phát động"
    )
    services.launch_movement(actor=None, movement=pm)
    services.start_movement(actor=None, movement=pm)
    with pytest.raises(DomainError, match="đang sơ kết"):
        services.record_movement_leads(actor=None, movement=pm, year=2019, leaders=[(org.a, 1)])
    services.open_movement_review(actor=None, movement=pm)
    services.record_movement_leads(actor=None, movement=pm, year=2019, leaders=[(org.a, 1)])
    records = movement_lead_records([org.a.pk, org.b.pk], up_to_year=2020)
    assert records == {
        org.a.pk: [{"type": "movement_lead", "year": 2019, "launched_by": "thu_tuong", "years_run": 5}],
        org.b.pk: [],
    }
    assert movement_lead_records([org.a.pk], up_to_year=2018) == {org.a.pk: []}


def test_a_regular_movement_records_no_lead(running, org):
    services.open_movement_review(actor=None, movement=running)
    with pytest.raises(DomainError, match="xếp hạng theo cụm"):
        services.record_movement_leads(actor=None, movement=running, year=YEAR, leaders=[(org.a, 1)])
    assert Result.objects.count() == 0


def test_only_one_regular_movement_sets_the_clusters_yearly_ranks(root_officer, org, running, cluster):
    _final(running, org.a, GOOD, root_officer)
    _final(running, org.b, FAIR, root_officer)
    services.publish_ranking(
        actor=root_officer,
        ranking=services.compute_ranking(actor=root_officer, movement=running, cluster=cluster, year=YEAR),
    )
    other = services.create_movement(
        actor=None,
        title="Thi đua khác năm 2026",
        kind="thuong_xuyen",
        authority="bo_nganh_tinh",
        launching_unit=org.root,
        start_year=YEAR,
    )
    services.add_movement_document(
        actor=None, movement=other, kind="ke_hoach", issued_on=date(YEAR, 2, 1), summary="Kế hoạch"
    )
    services.add_participants(actor=None, movement=other, units=[org.a, org.b])
    services.launch_movement(actor=None, movement=other)
    services.start_movement(actor=None, movement=other)
    from thidua.movements.tests.samples import TABLE

    services.save_scoring_table(actor=None, movement=other, year=YEAR, data=TABLE)
    _final(other, org.a, FAIR, root_officer)
    _final(other, org.b, GOOD, root_officer)
    ranking = services.compute_ranking(actor=root_officer, movement=other, cluster=cluster, year=YEAR)
    with pytest.raises(DomainError, match="đã có xếp hạng năm 2026 công bố theo phong trào"):
        services.publish_ranking(actor=root_officer, ranking=ranking)
    assert ClusterMember.objects.get(unit=org.a).rank == 1


def test_a_relative_to_best_table_ranks_against_the_cluster_and_publishes(
    root_officer, org, running, cluster
):
    table = {
        "meta": {"id": "tuong-doi", "title": "Bảng so với đơn vị tốt nhất", "period": {"year": YEAR}},
        "criteria": [
            {
                "code": "I",
                "name": "Số người tham gia mới",
                "max_points": 10,
                "method": "relative_to_best",
                "params": {},
            }
        ],
    }
    services.save_scoring_table(actor=None, movement=running, year=YEAR, data=table)
    a = _final(running, org.a, {"I": {"value": 50}}, root_officer)
    _final(running, org.b, {"I": {"value": 100}}, root_officer)
    assert a.final_score == Decimal("10.00")  # alone, the unit is its own best
    ranking = services.compute_ranking(actor=root_officer, movement=running, cluster=cluster, year=YEAR)
    assert [(e.unit, e.total) for e in ranking.entries.all()] == [
        (org.b, Decimal("10.00")),
        (org.a, Decimal("5.00")),
    ]
    services.publish_ranking(actor=root_officer, ranking=ranking)
    assert ClusterMember.objects.get(unit=org.a).rank == 2


def test_movement_lead_records_fit_the_rules_engines_case_schema(org):
    from thidua.rules.case import MovementLeadRecord

    m = services.create_movement(
        actor=None,
        title="Doanh nghiệp Việt Nam hội nhập và phát triển",
        kind=Movement.Kind.THEMATIC,
        authority=Movement.Authority.BO_NGANH_TINH,
        authority_name="Bộ trưởng",
        theme="Hội nhập",
        start_year=2021,
        end_year=2025,
    )
    services.launch_movement(actor=None, movement=m)
    services.start_movement(actor=None, movement=m)
    services.open_movement_review(actor=None, movement=m)
    services.record_movement_leads(actor=None, movement=m, year=2024, leaders=[(org.b, 1)])
    (record,) = movement_lead_records([org.b.pk], up_to_year=2025)[org.b.pk]
    parsed = MovementLeadRecord.model_validate(record)
    assert (parsed.year, parsed.launched_by, parsed.years_run) == (2024, "bo_nganh_tinh", 5)
