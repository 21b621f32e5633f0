"""The access helpers in thidua/accounts/permissions.py, tested once and thoroughly."""

from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from conftest import _user
from thidua.audit.models import AuditEntry
from thidua.org import permissions as perms
from thidua.org import services
from thidua.org.models import Membership, Role


def names(qs: Any) -> list[str]:
    return sorted(p.full_name for p in qs)


def codes(qs: Any) -> list[str]:
    return sorted(u.code for u in qs)


def test_anonymous_sees_nothing(org):
    anon = AnonymousUser()
    assert not perms.visible_units(anon).exists()
    assert not perms.visible_people(anon).exists()
    assert not perms.visible_audit_entries(anon).exists()
    assert not perms.can_view_person(anon, org.an)
    assert not perms.can_import(anon)


def test_system_admin_sees_and_changes_everything(org, personas):
    admin = personas.admin
    assert codes(perms.visible_units(admin)) == ["BHXH-01", "BHXH-01-THU", "BHXH-79", "BHXH-VN"]
    assert perms.visible_people(admin).count() == 3
    assert perms.can_change_unit(admin, org.b)
    assert perms.can_change_person(admin, org.cuong)
    assert perms.can_import(admin)


def test_admin_role_on_the_root_reaches_the_whole_tree_without_being_superuser(org):
    user = _user("quantri.nganh", unit=org.root, role=Role.ADMIN)
    assert perms.visible_units(user).count() == 4
    assert perms.can_change_unit(user, org.b)


@pytest.mark.parametrize(
    ("persona", "can_change"),
    [("officer", True), ("head", False), ("council", False), ("staff", False), ("outsider_officer", False)],
)
def test_who_may_change_province_a(org, personas, persona, can_change):
    user = getattr(personas, persona)
    assert perms.can_change_unit(user, org.a_dept) is can_change
    assert perms.can_change_person(user, org.binh) is can_change
    assert perms.can_import(user) is (persona in {"officer", "outsider_officer"})


def test_a_role_reaches_the_subtree_below_its_unit_only(org):
    user = _user("truongphong.thu", unit=org.a_dept, role=Role.UNIT_HEAD)
    assert codes(perms.visible_units(user)) == ["BHXH-01-THU"]
    assert names(perms.visible_people(user)) == ["Nguyễn Văn An"]
    assert not perms.can_view_unit(user, org.a)


def test_roles_in_two_provinces_add_up(org):
    user = _user("thanhtra", unit=org.a_dept, role=Role.COUNCIL_MEMBER)
    Membership.objects.create(user=user, unit=org.b, role=Role.OFFICER)
    assert codes(perms.visible_units(user)) == ["BHXH-01-THU", "BHXH-79"]
    assert names(perms.visible_people(user)) == ["Lê Văn Cường", "Nguyễn Văn An"]
    assert perms.can_change_unit(user, org.b)
    assert not perms.can_change_unit(user, org.a_dept)


def test_nested_memberships_collapse_to_the_outer_path(org):
    user = _user("kiemnhiem", unit=org.a, role=Role.OFFICER)
    Membership.objects.create(user=user, unit=org.a_dept, role=Role.UNIT_HEAD)
    assert perms.scope_paths(user) == [org.a.path]


def test_a_staff_member_sees_only_their_own_record(org, personas):
    staff = personas.staff
    assert not perms.visible_units(staff).exists()
    assert names(perms.visible_people(staff)) == ["Nguyễn Văn An"]
    assert perms.get_person_for_user(staff, org.an.pk) == org.an
    with pytest.raises(Http404):
        perms.get_person_for_user(staff, org.binh.pk)
    with pytest.raises(PermissionDenied):
        perms.get_person_for_user(staff, org.an.pk, write=True)


def test_get_helpers_404_outside_the_scope_and_403_without_write_rights(org, personas):
    with pytest.raises(Http404):
        perms.get_unit_for_user(personas.outsider_officer, org.a.pk)
    with pytest.raises(Http404):
        perms.get_person_for_user(personas.outsider_officer, org.binh.pk)
    with pytest.raises(PermissionDenied):
        perms.get_unit_for_user(personas.head, org.a.pk, write=True)
    with pytest.raises(PermissionDenied):
        perms.get_person_for_user(personas.council, org.binh.pk, write=True)
    assert perms.get_unit_for_user(personas.officer, org.a_dept.pk, write=True) == org.a_dept
    assert perms.get_person_for_user(personas.officer, org.binh.pk, write=True) == org.binh
    with pytest.raises(Http404):
        perms.get_unit_for_user(personas.officer, 999_999)


def test_a_deactivated_user_sees_nothing_not_even_their_own_record(org, personas):
    for user in [personas.officer, personas.staff, personas.admin]:
        user.is_active = False
        user.save()
        assert not perms.visible_units(user).exists()
        assert not perms.visible_people(user).exists()
        assert not perms.visible_audit_entries(user).exists()
        assert not perms.can_change_unit(user, org.a)


def test_a_transferred_person_leaves_the_old_scope_and_enters_the_new(org, personas):
    services.transfer_person(actor=personas.admin, person=org.binh, unit=org.b, on=date(2024, 1, 1))
    assert names(perms.visible_people(personas.officer)) == ["Nguyễn Văn An"]
    assert names(perms.visible_people(personas.outsider_officer)) == ["Lê Văn Cường", "Trần Thị Bình"]


def test_a_moved_unit_takes_its_people_into_the_new_scope(org, personas):
    services.move_unit(actor=personas.admin, unit=org.a_dept, new_parent=org.b, effective_on=date(2025, 1, 1))
    assert names(perms.visible_people(personas.officer)) == ["Trần Thị Bình"]
    assert "Nguyễn Văn An" in names(perms.visible_people(personas.outsider_officer))
    # The staff member keeps seeing their own record wherever it goes.
    assert names(perms.visible_people(personas.staff)) == ["Nguyễn Văn An"]


def test_audit_entries_are_scoped_by_unit_path(org, personas):
    actions_a = set(perms.visible_audit_entries(personas.officer).values_list("object_repr", flat=True))
    assert actions_a == {org.a.name, org.a_dept.name, org.an.full_name, org.binh.full_name}
    assert not perms.visible_audit_entries(personas.council).exists()
    assert not perms.visible_audit_entries(personas.staff).exists()
    # Entries without a unit (logins, failures) are for system administrators only.
    AuditEntry.objects.create(action="account.login_failed", detail={"username": "x"})
    assert not perms.visible_audit_entries(personas.officer).filter(action="account.login_failed").exists()
    assert perms.visible_audit_entries(personas.admin).filter(action="account.login_failed").exists()
