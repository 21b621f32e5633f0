from __future__ import annotations

from thidua.audit.services import log
from thidua.org.models import Membership, Role


def test_anonymous_visitors_get_the_public_home_page_not_the_dashboard(client, org):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bảng vàng" in html and 'href="/tai-khoan/dang-nhap/"' in html
    assert "Thao tác gần đây" not in html


def test_signed_in_users_keep_their_work_home_page_and_may_ask_for_the_public_one(personas, client_for):
    client = client_for(personas.officer)
    assert "Tổng quan" in client.get("/").content.decode()
    public = client.get("/?xem=cong-khai").content.decode()
    assert "Xem bảng vàng" in public and "Trang làm việc" in public


def test_an_empty_database_leads_to_the_first_run_page(client, db):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/thiet-lap/"


def test_it_shows_counts_in_the_officers_scope(personas, client_for):
    response = client_for(personas.officer).get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["unit_count"] == 2  # province A and its department
    assert response.context["people_count"] == 2  # An and Bình, not Cường of province B
    assert "đơn vị đang hoạt động" in html
    assert ("BHXH tỉnh, thành phố", 1) in response.context["units_by_kind"]
    assert ("Phòng", 1) in response.context["units_by_kind"]


def test_it_shows_people_by_province_only_to_officers_of_the_root(org, personas, client_for):
    response = client_for(personas.officer).get("/")
    assert response.context["whole_organisation"] is False
    assert "Nhân sự theo đơn vị cấp tỉnh" not in response.content.decode()

    Membership.objects.create(user=personas.outsider_officer, unit=org.root, role=Role.OFFICER)
    response = client_for(personas.outsider_officer).get("/")
    assert response.context["whole_organisation"] is True
    assert ("Bảo hiểm xã hội thành phố Hà Nội", 2) in [
        (u.name, n) for u, n in response.context["people_by_province"]
    ]
    assert ("Bảo hiểm xã hội Thành phố Hồ Chí Minh", 1) in [
        (u.name, n) for u, n in response.context["people_by_province"]
    ]
    assert "Nhân sự theo đơn vị cấp tỉnh" in response.content.decode()


def test_it_lists_recent_audit_entries_in_scope_with_labels(org, personas, client_for):
    log(
        "person.updated",
        actor=personas.admin,
        obj=org.an,
        unit_path=org.a_dept.path,
        object_repr="Nguyễn Văn An",
    )
    log(
        "person.updated",
        actor=personas.admin,
        obj=org.cuong,
        unit_path=org.b.path,
        object_repr="Lê Văn Cường",
    )
    html = client_for(personas.officer).get("/").content.decode()
    assert "Sửa nhân sự" in html
    assert "Nguyễn Văn An" in html
    assert "Lê Văn Cường" not in html


def test_it_runs_a_bounded_number_of_queries(org, personas, client_for, django_assert_max_num_queries):
    client = client_for(personas.admin)
    # A fixed number, whatever the data: the dashboard, then "Việc cần làm" (movements, year-end, inbox).
    # On PostgreSQL the first visit also stores the whole-table figures for every worker
    # (thidua/core/db.py, `cached_rows`); the next ones read them from memory.
    with django_assert_max_num_queries(30):
        client.get("/")
    with django_assert_max_num_queries(20):
        client.get("/")


def test_staff_find_their_own_record_from_the_dashboard(org, personas, client_for):
    html = client_for(personas.staff).get("/").content.decode()
    assert "Hồ sơ của tôi" in html
    assert f'href="/to-chuc/nhan-su/{org.an.pk}/"' in html


def test_an_organisation_without_provincial_units_counts_people_by_its_direct_units(db, client):
    from datetime import date

    from conftest import _user
    from thidua.org import services
    from thidua.org.models import Organisation

    root = services.create_unit(
        actor=None, code="SGD", name="Sở Giáo dục và Đào tạo tỉnh Đắk Lắk", kind="so_gddt"
    )
    Organisation.objects.create(root=root, sector="giao_duc")
    for code, name in (("T1", "Trường THPT Chu Văn An"), ("T2", "Trường THPT Buôn Ma Thuột")):
        school = services.create_unit(actor=None, code=code, name=name, parent=root, kind="truong_thpt")
        services.create_person(
            actor=None,
            citizen_id=f"06619000000{code[-1]}",
            full_name=f"Giáo viên {code}",
            gender="nu",
            unit=school,
            date_of_birth=date(1990, 1, 1),
            started_on=date(2015, 9, 1),
        )
    client.force_login(_user("quantri", unit=root, role=Role.ADMIN))

    html = client.get("/").content.decode()

    assert "Tổng quan — Sở Giáo dục và Đào tạo tỉnh Đắk Lắk" in html
    assert "Nhân sự theo đơn vị trực thuộc" in html and "Trường THPT Chu Văn An" in html
    assert ("Trường trung học phổ thông", 2) in client.get("/").context["units_by_kind"]


def test_the_heading_names_the_scope_the_figures_count(org, personas, client_for):
    html = client_for(personas.officer).get("/").content.decode()
    assert f"<h1>Tổng quan — {org.a.name}</h1>" in html
    assert org.root.name not in html.split("<h1>")[1].split("</h1>")[0]
    admin_html = client_for(personas.admin).get("/").content.decode()
    assert "<h1>Tổng quan — " in admin_html


def test_the_scope_of_the_user_is_worked_out_once_per_set_of_roles_on_a_page(
    personas, client_for, monkeypatch
):
    from thidua.org import permissions

    grants_read = []
    real = permissions._grants

    def counted(user):
        grants_read.append(user.pk)
        return real(user)

    monkeypatch.setattr(permissions, "_grants", counted)
    response = client_for(personas.officer).get("/")
    assert response.status_code == 200 and response.context["unit_count"] == 2
    # The page asks for the scope a dozen times (dashboard, menu, to-do counts, year under review),
    # with four sets of roles (read, write, audit; every role for the movements' reviews), and for
    # the access key of the compiled counts three times: each worked out once (before: 14 times).
    assert 1 <= len(grants_read) <= 5
    assert set(grants_read) == {personas.officer.pk}


def test_the_kept_scope_is_a_copy_and_is_dropped_with_the_grants(org, personas):
    from thidua.org.permissions import forget_grants, scope_paths

    officer = personas.officer
    paths = scope_paths(officer)
    assert paths == [org.a.path]
    paths.append("/999/")  # a caller's own list
    assert scope_paths(officer) == [org.a.path]
    Membership.objects.create(user=officer, unit=org.b, role=Role.UNIT_HEAD)
    assert scope_paths(officer) == [org.a.path]  # the same request: the grants read at its start
    forget_grants(officer)
    assert scope_paths(officer) == sorted([org.a.path, org.b.path])
