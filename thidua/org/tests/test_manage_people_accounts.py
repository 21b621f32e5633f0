"""People, accounts and roles through the services and their pages: refusals in Vietnamese that write
nothing, one-time passwords that must be changed, roles with dates that the access helpers respect."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from conftest import PASSWORD, _user
from thidua.accounts.models import User
from thidua.audit.models import AuditEntry
from thidua.core.errors import DomainError
from thidua.org import services
from thidua.org.models import LeaveReason, Membership, Person, Role
from thidua.org.permissions import can_change_unit, forget_grants, visible_people

TODAY = date.today()


def test_a_duplicate_citizen_id_is_refused_naming_the_field_and_the_holder(org, personas):
    count = Person.objects.count()
    with pytest.raises(DomainError) as caught:
        services.create_person(
            actor=personas.officer,
            citizen_id=org.binh.citizen_id,
            full_name="Trần Thị Bình Hai",
            gender="nu",
            unit=org.a,
            date_of_birth=date(1990, 7, 9),
        )
    assert caught.value.field == "citizen_id"
    assert "Trần Thị Bình" in caught.value.message and org.binh.citizen_id not in caught.value.message
    assert Person.objects.count() == count


def test_the_person_page_shows_the_duplicate_error_and_writes_nothing(org, personas, client_for):
    data = {
        "full_name": "Phạm Văn Mới",
        "gender": "nam",
        "citizen_id": org.an.citizen_id,
        "date_of_birth": "1985-04-02",
        "unit": org.a.pk,
    }
    response = client_for(personas.officer).post("/to-chuc/nhan-su/moi/", data)
    assert response.status_code == 200
    assert "đã có trong hệ thống" in response.content.decode()
    assert not Person.objects.filter(full_name="Phạm Văn Mới").exists()
    data["citizen_id"] = "001085099999"
    response = client_for(personas.officer).post("/to-chuc/nhan-su/moi/", data)
    person = Person.objects.get(full_name="Phạm Văn Mới")
    assert response.status_code == 302 and person.current_unit == org.a and person.positions.count() == 1


def test_transfer_and_end_of_service_keep_the_history(org, personas):
    services.transfer_person(
        actor=personas.officer, person=org.an, unit=org.a, on=date(2024, 1, 1), title="Phó Trưởng phòng"
    )
    services.end_service(
        actor=personas.officer, person=org.an, on=date(2025, 3, 1), reason=LeaveReason.NGHI_HUU
    )
    org.an.refresh_from_db()
    assert org.an.left_on == date(2025, 3, 1) and not org.an.in_service
    assert list(org.an.positions.order_by("started_on").values_list("ended_on", flat=True)) == [
        date(2023, 12, 31),
        date(2025, 2, 28),
    ]
    assert org.an not in Person.objects.in_service()
    assert AuditEntry.objects.filter(action="person.service_ended", object_id=str(org.an.pk)).count() == 1


def test_a_past_position_may_not_overlap_another(org, personas):
    with pytest.raises(DomainError) as caught:
        services.add_position(
            actor=personas.officer,
            person=org.an,
            unit=org.a,
            title="Chuyên viên",
            started_on=date(2009, 1, 1),
            ended_on=date(2010, 6, 1),
        )
    assert caught.value.field == "started_on"
    services.add_position(
        actor=personas.officer,
        person=org.an,
        unit=org.a,
        title="Nhân viên",
        started_on=date(2005, 1, 1),
        ended_on=date(2009, 12, 31),
    )
    assert org.an.positions.count() == 2


def test_another_provinces_officer_cannot_change_a_person(org, personas):
    with pytest.raises(PermissionDenied):
        services.update_person(actor=personas.outsider_officer, person=org.an, phone="0900000000")
    with pytest.raises(PermissionDenied):
        services.transfer_person(actor=personas.officer, person=org.an, unit=org.b, on=TODAY)


# --- Accounts ------------------------------------------------------------------------------------


def test_an_account_for_a_staff_member_has_a_one_time_password_to_change(org, personas):
    user, password = services.create_account(actor=personas.officer, person=org.binh)
    assert user.username == "binh.tt" and user.must_change_password
    assert Person.objects.get(pk=org.binh.pk).user == user
    entry = AuditEntry.objects.get(action="account.created")
    assert password not in str(entry.detail)
    client = Client()
    assert client.login(username="binh.tt", password=password)
    response = client.get("/to-chuc/nhan-su/")
    assert response.status_code == 302 and response["Location"] == "/tai-khoan/doi-mat-khau/"
    assert client.get("/api/v1/units/").status_code == 403
    response = client.post(
        "/tai-khoan/doi-mat-khau/",
        {
            "old_password": password,
            "new_password1": "Mot-mat-khau-moi-2026",
            "new_password2": "Mot-mat-khau-moi-2026",
        },
    )
    assert response.status_code == 302
    assert not User.objects.get(pk=user.pk).must_change_password
    assert client.get("/to-chuc/nhan-su/").status_code == 200


def test_a_password_reset_outside_the_subtree_is_refused(org, personas):
    # a head-office officer who also holds a role in province A is not province A's to manage
    root_officer = _user("canbo.tw", unit=org.root, role=Role.OFFICER)
    Membership.objects.create(user=root_officer, unit=org.a, role=Role.COUNCIL_MEMBER)
    before = User.objects.get(pk=root_officer.pk).password
    for target in (root_officer, personas.outsider_officer, personas.admin):
        with pytest.raises(PermissionDenied):
            services.reset_password(actor=personas.officer, user=target)
    assert User.objects.get(pk=root_officer.pk).password == before
    assert not AuditEntry.objects.filter(action="account.password_reset").exists()
    # inside it: the staff member's account
    password = services.reset_password(actor=personas.officer, user=personas.staff)
    staff = User.objects.get(pk=personas.staff.pk)
    assert staff.check_password(password) and staff.must_change_password
    assert not staff.check_password(PASSWORD)


def test_the_reset_page_answers_404_for_an_account_outside_the_subtree(org, personas, client_for):
    client = client_for(personas.officer)
    assert (
        client.post(f"/to-chuc/tai-khoan/{personas.outsider_officer.pk}/dat-lai-mat-khau/").status_code == 404
    )
    response = client.post(f"/to-chuc/tai-khoan/{personas.staff.pk}/dat-lai-mat-khau/")
    assert response.status_code == 200 and "Mật khẩu dùng một lần" in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_locking_an_account_stops_its_sign_in(org, personas):
    services.set_account_active(
        actor=personas.officer, user=personas.staff, active=False, reason="Nghỉ dài hạn"
    )
    assert not Client().login(username=personas.staff.username, password=PASSWORD)
    with pytest.raises(DomainError):
        services.set_account_active(actor=personas.officer, user=personas.officer, active=False)


def test_link_and_unlink_an_existing_login(org, personas):
    services.link_account(actor=personas.officer, person=org.binh, user=personas.council)
    assert Person.objects.get(pk=org.binh.pk).user == personas.council
    with pytest.raises(DomainError):
        services.link_account(actor=personas.officer, person=org.binh, user=personas.head)
    services.unlink_account(actor=personas.officer, person=org.binh)
    assert Person.objects.get(pk=org.binh.pk).user is None


# --- Roles ---------------------------------------------------------------------------------------


def test_a_role_outside_the_granters_subtree_is_refused(org, personas):
    with pytest.raises(PermissionDenied) as caught:
        services.grant_role(actor=personas.officer, user=personas.staff, unit=org.b, role=Role.UNIT_HEAD)
    assert "ngoài phạm vi" in str(caught.value)
    with pytest.raises(PermissionDenied):
        services.grant_role(actor=personas.officer, user=personas.staff, unit=org.a, role=Role.ADMIN)
    assert not Membership.objects.filter(user=personas.staff, role__in=[Role.UNIT_HEAD, Role.ADMIN]).exists()


def test_the_access_helpers_respect_the_dates_of_a_grant(org, personas):
    user = personas.staff
    assert not can_change_unit(user, org.a)
    future = services.grant_role(
        actor=personas.officer, user=user, unit=org.a, role=Role.OFFICER, valid_from=TODAY + timedelta(days=3)
    )
    forget_grants(user)
    assert not can_change_unit(user, org.a)
    future.valid_from = TODAY - timedelta(days=30)
    future.valid_to = TODAY - timedelta(days=1)
    future.save()
    forget_grants(user)
    assert not can_change_unit(user, org.a)  # ended yesterday
    future.valid_to = TODAY
    future.save()
    forget_grants(user)
    assert can_change_unit(user, org.a)  # the last day counts
    assert org.binh in visible_people(user)


def test_a_revocation_ends_the_grant_and_keeps_its_history(org, personas):
    membership = Membership.objects.get(user=personas.head)
    services.revoke_role(actor=personas.officer, membership=membership, on=TODAY, reason="Nghỉ hưu")
    membership.refresh_from_db()
    assert membership.valid_to == TODAY - timedelta(days=1)
    fresh = User.objects.get(pk=personas.head.pk)
    assert not visible_people(fresh).exists()
    with pytest.raises(PermissionDenied):
        services.revoke_role(actor=personas.officer, membership=Membership.objects.get(user=personas.officer))
    with pytest.raises(DomainError):  # the same role on the same unit twice
        services.grant_role(
            actor=personas.officer, user=personas.council, unit=org.a, role=Role.COUNCIL_MEMBER
        )


def test_the_roles_page_grants_to_a_person_with_an_account(org, personas, client_for):
    client = client_for(personas.officer)
    page = client.get("/to-chuc/phan-quyen/")
    assert page.status_code == 200 and "thutruong.hn" in page.content.decode()
    response = client.post(
        "/to-chuc/phan-quyen/",
        {"person": org.an.pk, "unit": org.a_dept.pk, "role": Role.UNIT_HEAD, "valid_from": str(TODAY)},
    )
    assert response.status_code == 302
    assert Membership.objects.filter(user=personas.staff, unit=org.a_dept, role=Role.UNIT_HEAD).exists()
    # another province's unit is not a valid choice: an error on the field, nothing written
    response = client.post(
        "/to-chuc/phan-quyen/", {"person": org.an.pk, "unit": org.b.pk, "role": Role.UNIT_HEAD}
    )
    assert response.status_code == 200 and "không có trong phạm vi" in response.content.decode()
    assert not Membership.objects.filter(unit=org.b, user=personas.staff).exists()
    assert client_for(personas.head).get("/to-chuc/phan-quyen/").status_code == 403


def test_api_refusals_name_the_field_in_vietnamese(org, personas):
    import json

    from rest_framework.authtoken.models import Token

    client = Client(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=personas.officer).key}")
    body = {
        "citizen_id": org.binh.citizen_id,
        "full_name": "Trần Thị Bình Hai",
        "gender": "nu",
        "date_of_birth": "1990-07-09",
        "unit": org.a.pk,
    }
    response = client.post("/api/v1/people/", json.dumps(body), content_type="application/json")
    error = response.json()["error"]
    assert response.status_code == 400 and "citizen_id" in error["fields"]
    assert "đã có trong hệ thống" in error["message"]
    response = client.post(
        f"/api/v1/units/{org.a.pk}/move/",
        json.dumps({"new_parent": org.a_dept.pk, "effective_on": "2026-01-01"}),
        content_type="application/json",
    )
    assert response.status_code == 400 and "parent" in response.json()["error"]["fields"]
    created = client.post(
        "/api/v1/accounts/", json.dumps({"person": org.binh.pk}), content_type="application/json"
    )
    assert created.status_code == 201 and created.json()["one_time_password"]
    assert "no-store" in created["Cache-Control"]
