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
from thidua.movements.records import engine_records, movement_lead_records
from thidua.movements.tests.samples import FAIR, GOOD, YEAR

pytestmark = pytest.mark.django_db
pytest_plugins = ["thidua.movements.tests.fixtures"]


def _ranks(*units: Any) -> dict[str, int | None]:
    """The cluster rank of the year each unit gives the engine (None: no record)."""
    fed = engine_records([u.pk for u in units], up_to_year=YEAR)
    out: dict[str, int | None] = {}
    for u in units:
        ranks = [f.record["rank"] for f in fed[u.pk] if f.record["type"] == "cluster_rank"]
        out[u.code] = ranks[0] if ranks else None
    return out


def _final(movement: Any, unit: Any, figures: Any, reviewer: Any, period: str = "nam") -> Any:
    result = services.save_result(
        actor=None, movement=movement, unit=unit, year=YEAR, period=period, figures=figures
    )
    services.submit_result(actor=None, result=result)
    services.review_result(actor=reviewer, result=result, note="Thống nhất với đơn vị")
    services.finalise_result(actor=reviewer, result=result)
    return result


def test_publishing_the_yearly_ranking_gives_the_engine_its_cluster_ranks(
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
    assert _ranks(org.a, org.b) == {org.a.code: None, org.b.code: None}  # not before publication
    response = client.post(f"/phong-trao/xep-hang/{ranking.pk}/cong-bo/")
    ranking.refresh_from_db()
    assert ranking.status == Ranking.Status.PUBLISHED
    assert _ranks(org.a, org.b) == {org.a.code: 2, org.b.code: 1}
    source = engine_records([org.b.pk], up_to_year=YEAR)[org.b.pk][0].source
    assert source.startswith(f"Hạng 1 {cluster.name} năm {YEAR} — phong trào «{running.title}»")
    entry = AuditEntry.objects.get(action="ranking.published")
    assert entry.detail["feeds"] == "cluster_rank" and entry.detail["ranks"][0] == [
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
    assert _ranks(org.a, org.b) == {org.a.code: None, org.b.code: None}


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
    assert _ranks(org.b)[org.b.code] == 2


def test_a_quarterly_ranking_gives_the_engine_no_cluster_rank(root_officer, org, running, cluster):
    _final(running, org.a, GOOD, root_officer, period="q1")
    _final(running, org.b, FAIR, root_officer, period="q1")
    ranking = services.compute_ranking(
        actor=root_officer, movement=running, cluster=cluster, year=YEAR, period="q1"
    )
    services.publish_ranking(actor=root_officer, ranking=ranking)
    assert _ranks(org.a, org.b) == {org.a.code: None, org.b.code: None}


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
    assert _ranks(org.a)[org.a.code] == 1


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
    assert _ranks(org.a)[org.a.code] == 2


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


def _thematic(org: Any, *, authority: str, start: int, end: int) -> Any:
    m = services.create_movement(
        actor=None,
        title="Chung tay tặng sổ BHXH, thẻ BHYT cho người nghèo",
        kind=Movement.Kind.THEMATIC,
        authority=authority,
        launching_unit=org.root,
        theme="Người nghèo",
        start_year=start,
        end_year=end,
    )
    services.add_movement_document(
        actor=None, movement=m, kind="ke_hoach", issued_on=date(start, 1, 5), summary="Kế hoạch"
    )
    services.add_participants(actor=None, movement=m, units=[org.a, org.b])
    services.launch_movement(actor=None, movement=m)
    services.start_movement(actor=None, movement=m)
    from thidua.movements.tests.samples import TABLE

    services.save_scoring_table(actor=None, movement=m, year=YEAR, data=TABLE)
    return m


def test_a_thematic_movements_published_yearly_ranking_gives_its_leader_to_the_engine(
    root_officer, org, cluster
):
    m = _thematic(org, authority=Movement.Authority.BO_NGANH_TINH, start=YEAR - 2, end=YEAR)
    _final(m, org.a, GOOD, root_officer)
    _final(m, org.b, FAIR, root_officer)
    ranking = services.compute_ranking(actor=root_officer, movement=m, cluster=cluster, year=YEAR)
    assert engine_records([org.a.pk], up_to_year=YEAR)[org.a.pk] == []  # a draft feeds nothing
    services.publish_ranking(actor=root_officer, ranking=ranking)
    fed = engine_records([org.a.pk, org.b.pk], up_to_year=YEAR)
    assert [f.record for f in fed[org.a.pk]] == [
        {"type": "movement_lead", "year": YEAR, "launched_by": "bo_nganh_tinh", "years_run": 3}
    ]
    assert fed[org.b.pk] == []  # second place leads nothing, and a thematic ranking is no cluster rank
    assert fed[org.a.pk][0].ranking_id == ranking.pk and m.title in fed[org.a.pk][0].source
    # The same lead recorded by hand at the review is not counted twice.
    services.open_movement_review(actor=None, movement=m)
    services.record_movement_leads(actor=None, movement=m, year=YEAR, leaders=[(org.a, 1)])
    assert len(movement_lead_records([org.a.pk], up_to_year=YEAR)[org.a.pk]) == 1


def test_a_unit_heads_thematic_ranking_feeds_nothing_and_its_form_says_so(root_officer, org, cluster):
    from thidua.movements.records import feed_warnings, thematic_lead_min_years

    m = _thematic(org, authority=Movement.Authority.THU_TRUONG_DON_VI, start=YEAR, end=YEAR)
    _final(m, org.a, GOOD, root_officer)
    _final(m, org.b, FAIR, root_officer)
    ranking = services.compute_ranking(actor=root_officer, movement=m, cluster=cluster, year=YEAR)
    assert services.feeds_engine(ranking) == ""
    services.publish_ranking(actor=root_officer, ranking=ranking)
    assert engine_records([org.a.pk], up_to_year=YEAR)[org.a.pk] == []
    min_years = thematic_lead_min_years(date(YEAR, 6, 1))
    assert min_years == {"bo_nganh_tinh": 3, "thu_tuong": 5}
    warn = feed_warnings(
        kind="chuyen_de", authority="thu_truong_don_vi", start_year=YEAR, end_year=YEAR, min_years=min_years
    )
    assert "không được tính làm căn cứ" in warn[0]
    short = feed_warnings(
        kind="chuyen_de", authority="bo_nganh_tinh", start_year=2025, end_year=2026, min_years=min_years
    )
    assert "2 năm (2025–2026), dưới 3 năm" in short[0]
    assert (
        feed_warnings(
            kind="chuyen_de", authority="bo_nganh_tinh", start_year=2024, end_year=2026, min_years=min_years
        )
        == []
    )
    assert (
        feed_warnings(
            kind="thuong_xuyen",
            authority="thu_truong_don_vi",
            start_year=2026,
            end_year=None,
            min_years=min_years,
        )
        == []
    )


def test_ranks_of_a_year_before_the_system_are_recorded_once_and_feed_the_engine(
    root_officer, org, cluster, running
):
    ranking = services.record_ranking(
        actor=root_officer, movement=running, cluster=cluster, year=YEAR, ranks=[(org.b, 1), (org.a, 2)]
    )
    assert ranking.status == Ranking.Status.PUBLISHED
    assert [(e.unit, e.rank, e.total) for e in ranking.entries.all()] == [(org.b, 1, None), (org.a, 2, None)]
    assert _ranks(org.a, org.b) == {org.a.code: 2, org.b.code: 1}
    with pytest.raises(DomainError, match="đã có bảng xếp hạng"):
        services.record_ranking(actor=root_officer, movement=running, cluster=cluster, year=YEAR, ranks=[])
    assert AuditEntry.objects.filter(action="ranking.recorded").count() == 1


def test_a_province_officer_cannot_record_or_publish_a_clusters_ranking(personas, org, cluster, running):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.record_ranking(
            actor=personas.officer, movement=running, cluster=cluster, year=YEAR, ranks=[]
        )
