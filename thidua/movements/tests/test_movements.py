from datetime import date

import pytest

from thidua.audit.models import AuditEntry
from thidua.core.errors import DomainError
from thidua.movements import services
from thidua.movements.models import Movement, MovementDocument
from thidua.movements.tests.samples import YEAR

pytestmark = pytest.mark.django_db
pytest_plugins = ["thidua.movements.tests.fixtures"]


def test_it_creates_a_draft_movement_through_the_page(client_for, personas, org):
    response = client_for(personas.officer).post(
        "/phong-trao/tao-moi/",
        {
            "title": "BHXH Hà Nội thi đua phát triển người tham gia BHXH tự nguyện",
            "kind": "chuyen_de",
            "authority": "thu_truong_don_vi",
            "launching_unit": org.a.pk,
            "theme": "Phát triển người tham gia BHXH tự nguyện",
            "start_year": 2026,
            "end_year": 2027,
        },
    )
    movement = Movement.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/phong-trao/{movement.pk}/"
    assert movement.status == Movement.Status.DRAFT
    assert movement.launching_unit == org.a and movement.years_run == 2
    entry = AuditEntry.objects.get(action="movement.created")
    assert entry.actor == personas.officer and entry.unit_path == org.a.path


def test_it_refuses_a_thematic_movement_without_a_theme(client_for, personas, org):
    response = client_for(personas.officer).post(
        "/phong-trao/tao-moi/",
        {
            "title": "Đợt thi đua",
            "kind": "chuyen_de",
            "authority": "thu_truong_don_vi",
            "launching_unit": org.a.pk,
            "start_year": 2026,
        },
    )
    assert response.status_code == 200
    assert "phải có chủ đề" in response.content.decode()
    assert not Movement.objects.exists()


def test_it_refuses_a_launching_unit_outside_the_officers_scope(client_for, personas, org):
    response = client_for(personas.outsider_officer).post(
        "/phong-trao/tao-moi/",
        {
            "title": "X",
            "kind": "dot_xuat",
            "authority": "thu_truong_don_vi",
            "launching_unit": org.a.pk,
            "start_year": 2026,
        },
    )
    assert response.status_code == 200  # the unit is not a choice for that officer
    assert not Movement.objects.exists()


def test_the_lifecycle_runs_step_by_step_with_an_audit_entry_each(client_for, root_officer, movement):
    client = client_for(root_officer)
    for slug, status in [
        ("phat-dong", "launched"),
        ("trien-khai", "running"),
        ("so-ket-tong-ket", "under_review"),
        ("ket-thuc", "closed"),
    ]:
        response = client.post(f"/phong-trao/{movement.pk}/thao-tac/{slug}/")
        assert response.status_code == 302
        movement.refresh_from_db()
        assert movement.status == status
    assert movement.launched_on is not None and movement.closed_on is not None
    actions = list(
        AuditEntry.objects.filter(object_id=str(movement.pk), action__startswith="movement.").values_list(
            "action", flat=True
        )
    )
    for code in ["movement.launched", "movement.started", "movement.review_opened", "movement.closed"]:
        assert code in actions


def test_it_refuses_an_illegal_transition_with_a_clear_message(client_for, root_officer, movement):
    response = client_for(root_officer).post(f"/phong-trao/{movement.pk}/thao-tac/ket-thuc/", follow=True)
    movement.refresh_from_db()
    assert movement.status == Movement.Status.DRAFT
    assert "Không thể chuyển từ trạng thái «Dự thảo» sang «Đã kết thúc»" in response.content.decode()
    assert not AuditEntry.objects.filter(action="movement.closed").exists()


def test_it_refuses_to_launch_without_a_launching_document(org):
    m = services.create_movement(
        actor=None,
        title="Đợt thi đua đột xuất",
        kind="dot_xuat",
        authority="thu_truong_don_vi",
        launching_unit=org.a,
        start_year=YEAR,
    )
    with pytest.raises(DomainError, match="văn bản phát động"):
        services.launch_movement(actor=None, movement=m)


def test_reopening_needs_a_reason(root_officer, movement):
    services.launch_movement(actor=None, movement=movement)
    services.start_movement(actor=None, movement=movement)
    services.open_movement_review(actor=None, movement=movement)
    with pytest.raises(DomainError, match="lý do"):
        services.reopen_movement(actor=root_officer, movement=movement, reason=" ")
    services.reopen_movement(actor=root_officer, movement=movement, reason="Bổ sung số liệu quý IV")
    assert AuditEntry.objects.get(action="movement.reopened").detail["reason"] == "Bổ sung số liệu quý IV"


def test_a_province_officer_cannot_run_the_national_movement(client_for, personas, movement):
    response = client_for(personas.officer).post(f"/phong-trao/{movement.pk}/thao-tac/phat-dong/")
    assert response.status_code == 404  # a draft is visible only to those who manage it
    services.launch_movement(actor=None, movement=movement)
    response = client_for(personas.officer).post(f"/phong-trao/{movement.pk}/thao-tac/trien-khai/")
    assert response.status_code == 403
    movement.refresh_from_db()
    assert movement.status == Movement.Status.LAUNCHED


def test_it_validates_the_number_and_symbol_of_a_document(client_for, root_officer, movement):
    client = client_for(root_officer)
    response = client.post(
        f"/phong-trao/{movement.pk}/van-ban/",
        {
            "kind": "huong_dan",
            "number_symbol": "856/bhxh tđkt",
            "issued_on": "2019-03-21",
            "summary": "Đẩy mạnh",
        },
        follow=True,
    )
    assert "không đúng định dạng" in response.content.decode()
    response = client.post(
        f"/phong-trao/{movement.pk}/van-ban/",
        {
            "kind": "huong_dan",
            "number_symbol": "856/BHXH-TĐKT",
            "issued_on": "2019-03-21",
            "summary": "Đẩy mạnh thực hiện các phong trào thi đua do Thủ tướng Chính phủ phát động",
            "signer": "Phó Tổng Giám đốc",
        },
    )
    assert response.status_code == 302
    document = MovementDocument.objects.get(number_symbol="856/BHXH-TĐKT")
    assert document.issued_on == date(2019, 3, 21)
    assert (
        AuditEntry.objects.filter(action="movement.document_added", object_id=str(movement.pk)).count() == 2
    )


def test_the_list_filters_by_level_year_and_status(client_for, personas, org, movement):
    services.launch_movement(actor=None, movement=movement)
    pm = services.create_movement(
        actor=None,
        title="Cả nước chung tay xây dựng nông thôn mới",
        kind="chuyen_de",
        authority="thu_tuong",
        authority_name="Thủ tướng Chính phủ",
        theme="Xây dựng nông thôn mới",
        start_year=2016,
        end_year=2020,
    )
    services.add_movement_document(
        actor=None, movement=pm, kind="phat_dong", issued_on=date(2016, 1, 1), summary="Phát động"
    )
    services.launch_movement(actor=None, movement=pm)
    client = client_for(personas.staff)
    page = client.get("/phong-trao/", {"authority": "thu_tuong"}).content.decode()
    assert "nông thôn mới" in page and movement.title not in page
    page = client.get("/phong-trao/", {"year": 2019}).content.decode()
    assert "nông thôn mới" in page and movement.title not in page
    page = client.get("/phong-trao/", {"status": "launched", "q": "nong thon"}).content.decode()
    assert "nông thôn mới" in page
    assert "Tạo phong trào" not in page  # a staff member launches nothing
    partial = client.get("/phong-trao/", {"year": YEAR}, HTTP_HX_REQUEST="true").content.decode()
    assert movement.title in partial and "<html" not in partial


def test_the_detail_page_shows_documents_children_participants_and_allowed_buttons(
    client_for, root_officer, personas, org, movement
):
    services.launch_movement(actor=None, movement=movement)
    child = services.create_movement(
        actor=None,
        title="BHXH Hà Nội thi đua năm 2026",
        kind="thuong_xuyen",
        authority="thu_truong_don_vi",
        launching_unit=org.a,
        parent=movement,
        start_year=YEAR,
    )
    services.add_movement_document(
        actor=None, movement=child, kind="phat_dong", issued_on=date(YEAR, 1, 20), summary="Phát động"
    )
    services.add_participants(actor=None, movement=child, units=[org.a_dept])
    services.launch_movement(actor=None, movement=child)
    page = client_for(root_officer).get(f"/phong-trao/{movement.pk}/").content.decode()
    assert "12/KH-BHXH" in page and child.title in page
    assert "Bắt đầu triển khai" in page and "Phát động</button>" not in page
    page = client_for(personas.staff).get(f"/phong-trao/{movement.pk}/").content.decode()
    assert "Bắt đầu triển khai" not in page
    assert "2 đơn vị" in page


def test_the_list_page_runs_a_fixed_number_of_queries(
    client_for, personas, org, django_assert_max_num_queries
):
    for n in range(12):
        m = services.create_movement(
            actor=None,
            title=f"Đợt thi đua số {n}",
            kind="dot_xuat",
            authority="thu_truong_don_vi",
            launching_unit=org.a,
            start_year=YEAR,
        )
        services.add_movement_document(
            actor=None, movement=m, kind="phat_dong", issued_on=date(YEAR, 1, 2), summary="Phát động"
        )
        services.add_participants(actor=None, movement=m, units=[org.a_dept])
        services.launch_movement(actor=None, movement=m)
    client = client_for(personas.staff)
    with django_assert_max_num_queries(8):
        page = client.get("/phong-trao/").content.decode()
    assert page.count("Đợt thi đua số") == 12


def test_a_manager_records_the_leaders_of_a_thematic_movement_under_review(client_for, personas, org):
    m = services.create_movement(
        actor=None,
        title="Thi đua 100 ngày",
        kind="chuyen_de",
        theme="Thu nợ",
        authority="thu_truong_don_vi",
        launching_unit=org.root,
        start_year=YEAR,
    )
    services.add_movement_document(
        actor=None, movement=m, kind="phat_dong", issued_on=date(YEAR, 3, 1), summary="Phát động"
    )
    services.add_participants(actor=None, movement=m, units=[org.a, org.b])
    services.launch_movement(actor=None, movement=m)
    services.start_movement(actor=None, movement=m)
    services.open_movement_review(actor=None, movement=m)
    admin = client_for(personas.admin)
    assert "Ghi nhận đơn vị dẫn đầu" in admin.get(f"/phong-trao/{m.pk}/").content.decode()
    response = admin.post(f"/phong-trao/{m.pk}/dan-dau/", {"year": YEAR, "units": [org.b.pk]})
    assert response.status_code == 302
    lead = m.leads.get()
    assert (lead.unit, lead.year, lead.rank) == (org.b, YEAR, 1)
    assert (
        client_for(personas.officer)
        .post(f"/phong-trao/{m.pk}/dan-dau/", {"year": YEAR, "units": [org.a.pk]})
        .status_code
        == 403
    )


def test_the_form_says_when_a_movement_cannot_feed_a_title(client_for, personas, org):
    client = client_for(personas.officer)
    fields = {
        "title": "Thi đua chuyên đề",
        "kind": "chuyen_de",
        "authority": "thu_truong_don_vi",
        "launching_unit": org.a.pk,
        "start_year": "2026",
        "end_year": "2026",
    }
    check = client.post("/phong-trao/kiem-tra-can-cu/", fields, HTTP_HX_REQUEST="true").content.decode()
    assert "Không chuyển sang xét khen thưởng cuối năm" in check and "thủ trưởng cơ quan, đơn vị" in check
    fields["authority"] = "bo_nganh_tinh"
    check = client.post("/phong-trao/kiem-tra-can-cu/", fields).content.decode()
    assert "dưới 3 năm" in check
    fields["kind"] = "thuong_xuyen"
    assert "Không chuyển" not in client.post("/phong-trao/kiem-tra-can-cu/", fields).content.decode()
    fields["kind"], fields["authority"] = "chuyen_de", "thu_truong_don_vi"
    response = client.post("/phong-trao/tao-moi/", fields, follow=True)
    assert "không được tính làm căn cứ" in response.content.decode()  # said again once created


def test_every_lifecycle_action_has_an_address():
    """A service action without a slug would make the movement page's `{% url %}` fail (a 500)."""
    from django.urls import reverse

    from thidua.movements.services.movements import ACTIONS

    for action in ACTIONS:
        assert reverse("movements:action", args=[1, action]).startswith("/")
