from io import StringIO

import pytest
from django.core.management import call_command

from thidua.demo.movements import load_seed_scenario
from thidua.movements.models import Movement, MovementLead, Ranking, Registration, Result
from thidua.org import services as org_services
from thidua.org.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_org(org):
    """The shape of the demo organisation: BHXH-VN → BHXH-01 → three BHXH cơ sở."""
    for n in range(1, 4):
        org_services.create_unit(
            actor=None,
            code=f"BHXH-01-CS{n:02d}",
            name=f"BHXH cơ sở số {n} Hà Nội",
            parent=org.a,
            kind=Unit.Kind.BHXH_CO_SO,
        )
    return org


def test_the_seed_scenario_builds_the_movement_tree_with_the_856_letter(demo_org):
    lines = load_seed_scenario()
    assert any("856/BHXH-TĐKT" in line for line in lines)
    pm = Movement.objects.filter(authority=Movement.Authority.THU_TUONG)
    assert sorted(m.title for m in pm) == [
        "Cả nước chung tay vì người nghèo - Không để ai bị bỏ lại phía sau",
        "Cả nước chung tay xây dựng nông thôn mới",
        "Doanh nghiệp Việt Nam hội nhập và phát triển",
    ]
    assert all(m.launching_unit is None for m in pm)
    sector = Movement.objects.filter(launching_unit=demo_org.root)
    assert sector.count() == 3 and {m.parent for m in sector} == set(pm)
    for m in sector:
        letter = m.documents.get()
        assert (letter.number_symbol, letter.issued_on.isoformat()) == ("856/BHXH-TĐKT", "2019-03-21")
    closed = Movement.objects.get(title="Ngành BHXH chung tay xây dựng nông thôn mới")
    assert closed.status == Movement.Status.CLOSED and closed.years_label == "2019–2020"


def test_the_provincial_movement_has_registrations_results_and_a_published_ranking(demo_org):
    load_seed_scenario()
    provincial = Movement.objects.get(launching_unit=demo_org.a)
    assert provincial.kind == Movement.Kind.THEMATIC and provincial.status == Movement.Status.UNDER_REVIEW
    assert provincial.parent is not None
    assert provincial.parent.title == "Ngành BHXH chung tay vì người nghèo - Không để ai bị bỏ lại phía sau"
    assert Registration.objects.filter(movement=provincial, status=Registration.Status.APPROVED).count() == 3
    assert Registration.objects.get(movement=provincial, unit__code="BHXH-01-CS03").late
    assert Result.objects.filter(movement=provincial, status=Result.Status.FINAL).count() == 9
    yearly = Ranking.objects.get(movement=provincial, period="nam")
    assert yearly.status == Ranking.Status.PUBLISHED
    assert [e.unit.code for e in yearly.entries.all()] == ["BHXH-01-CS01", "BHXH-01-CS02", "BHXH-01-CS03"]
    assert MovementLead.objects.get(movement=provincial).unit.code == "BHXH-01-CS01"


def test_it_is_idempotent_and_has_a_command(demo_org):
    load_seed_scenario()
    counts = (Movement.objects.count(), Result.objects.count(), Ranking.objects.count())
    out = StringIO()
    call_command("demo_movements", stdout=out)
    assert "Phong trào" not in out.getvalue()  # nothing created; only the skip notice without 2026 clusters
    assert (Movement.objects.count(), Result.objects.count(), Ranking.objects.count()) == counts


def test_without_the_demo_organisation_it_skips_with_a_message(db):
    lines = load_seed_scenario()
    assert Movement.objects.count() == 3
    assert "chưa có đơn vị mã BHXH-VN" in lines[-1]


def test_the_seed_pages_render(demo_org, client_for, personas):
    load_seed_scenario()
    client = client_for(personas.officer)
    provincial = Movement.objects.get(launching_unit=demo_org.a)
    page = client.get(f"/phong-trao/{provincial.pk}/").content.decode()
    assert "1250/KH-BHXH" in page and "Đơn vị dẫn đầu phong trào" in page
    board = client.get(f"/phong-trao/{provincial.pk}/xep-hang/2025/").content.decode()
    assert "Khối thi đua BHXH cơ sở" in board and "<svg" in board
    ranking = Ranking.objects.get(movement=provincial, period="nam")
    detail = client.get(f"/phong-trao/xep-hang/{ranking.pk}/").content.decode()
    assert "<polyline" in detail  # trend over quý III, quý IV, cả năm


def test_the_sectors_2026_movement_is_ranked_by_quarter_inside_the_clusters(demo_org):
    from thidua.org.models import Cluster, ClusterMember

    cluster = Cluster.objects.create(
        name="Cụm thi đua số 1", year=2026, organiser_unit=demo_org.root, head_unit=demo_org.a
    )
    for unit in (demo_org.a, demo_org.b):
        ClusterMember.objects.create(cluster=cluster, unit=unit)
    lines = load_seed_scenario()
    assert any("2 BHXH tỉnh đăng ký" in line for line in lines)
    movement = Movement.objects.get(
        title__startswith="Thi đua thực hiện thắng lợi nhiệm vụ chính trị năm 2026"
    )
    assert (
        movement.kind == Movement.Kind.REGULAR
        and movement.scoring_tables.get().data["meta"]["period"]["year"] == 2026
    )
    assert Registration.objects.filter(movement=movement, status=Registration.Status.APPROVED).count() == 2
    assert Result.objects.filter(movement=movement, status=Result.Status.FINAL).count() == 6
    assert sorted(
        Ranking.objects.filter(movement=movement, status="published").values_list("period", flat=True)
    ) == ["q1", "q2", "q3"]
    # the yearly ranking comes at year end
    assert not Ranking.objects.filter(movement=movement, period="nam").exists()
    assert load_seed_scenario() == ["Kịch bản mẫu về phong trào thi đua đã có: không thay đổi gì."]
