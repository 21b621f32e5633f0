"""Managing units through the services: derived paths, permissions, refusals that write nothing, the
preview of a reorganisation, and what a merger, a split or a dissolution carries along."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from thidua.audit.models import AuditEntry
from thidua.core.errors import DomainError
from thidua.org import hooks, services
from thidua.org.models import ClusterMember, Membership, Person, ReorgEvent, Role, Unit
from thidua.org.permissions import can_change_unit

ON = date(2025, 7, 1)


def test_a_unit_created_under_a_parent_gets_its_path_and_depth(org, personas):
    unit = services.create_unit(
        actor=personas.officer, code="BHXH-01-KT", name="  Phòng  Kế toán ", parent=org.a_dept
    )
    assert unit.path == f"{org.a_dept.path}{unit.pk}/" and unit.depth == 3
    assert unit.name == "Phòng Kế toán"
    assert (
        AuditEntry.objects.filter(
            action="unit.created", object_id=str(unit.pk), actor=personas.officer
        ).count()
        == 1
    )


@pytest.mark.parametrize("persona", ["head", "council", "staff", "outsider_officer"])
def test_only_who_manages_the_parent_creates_under_it(org, personas, persona):
    with pytest.raises(PermissionDenied):
        services.create_unit(actor=getattr(personas, persona), code="X-1", name="Phòng X", parent=org.a)
    assert not Unit.objects.filter(code="X-1").exists()


def test_a_root_unit_is_for_system_administrators(org, personas):
    with pytest.raises(PermissionDenied):
        services.create_unit(actor=personas.officer, code="ROOT-2", name="Cơ quan khác")
    assert services.create_unit(actor=personas.admin, code="ROOT-2", name="Cơ quan khác").depth == 0


def test_moving_a_unit_under_its_own_descendant_is_refused_and_writes_nothing(org, personas):
    before = (AuditEntry.objects.count(), ReorgEvent.objects.count())
    with pytest.raises(DomainError) as caught:
        services.move_unit(actor=personas.admin, unit=org.a, new_parent=org.a_dept, effective_on=ON)
    assert caught.value.field == "parent" and "cấp dưới" in caught.value.message
    org.a.refresh_from_db()
    assert org.a.parent_id == org.root.pk
    assert (AuditEntry.objects.count(), ReorgEvent.objects.count()) == before


def test_a_move_rewrites_the_subtree_paths(org, personas):
    services.move_unit(actor=personas.admin, unit=org.a_dept, new_parent=org.b, effective_on=ON)
    org.a_dept.refresh_from_db()
    assert org.a_dept.path == f"{org.b.path}{org.a_dept.pk}/"
    # the province A officer no longer reaches the department; the B officer does
    assert not can_change_unit(personas.officer, org.a_dept)
    assert can_change_unit(personas.outsider_officer, org.a_dept)


def test_moving_out_of_ones_subtree_is_refused(org, personas):
    with pytest.raises(PermissionDenied):
        services.move_unit(actor=personas.officer, unit=org.a_dept, new_parent=org.b, effective_on=ON)


def test_merging_into_a_dissolved_unit_is_refused(org, personas):
    empty = services.create_unit(actor=None, code="BHXH-01-CU", name="Phòng cũ", parent=org.a)
    services.dissolve_unit(actor=personas.officer, unit=empty, effective_on=date(2025, 1, 1))
    count = AuditEntry.objects.count()
    with pytest.raises(DomainError) as caught:
        services.merge_units(actor=personas.officer, units=[org.a_dept], into=empty, effective_on=ON)
    assert caught.value.field == "into" and "đã ngừng hoạt động" in caught.value.message
    assert AuditEntry.objects.count() == count
    assert Person.objects.get(pk=org.an.pk).current_unit == org.a_dept


def test_a_merger_carries_people_roles_and_cluster_seats(org, personas):
    into = services.create_unit(actor=None, code="BHXH-01-TH", name="Phòng Thu - Sổ, thẻ", parent=org.a)
    holder = personas.staff  # holds the staff role on the department
    cluster = services.create_cluster(
        actor=None,
        name="Khối phòng",
        year=2025,
        organiser_unit=org.a,
        members=[org.a_dept],
        head_unit=org.a_dept,
    )
    old_2024 = services.create_cluster(
        actor=None, name="Khối phòng", year=2024, organiser_unit=org.a, members=[org.a_dept]
    )
    preview = services.preview_reorganisation("merge", [org.a_dept], effective_on=ON, into=into)
    assert preview.ok and preview.people == 1 and [m.user for m in preview.roles] == [holder]
    assert [m.cluster for m in preview.clusters] == [cluster]

    services.merge_units(actor=personas.officer, units=[org.a_dept], into=into, effective_on=ON)

    assert Person.objects.get(pk=org.an.pk).current_unit == into
    old = Membership.objects.get(user=holder, unit=org.a_dept)
    assert old.valid_to == date(2025, 6, 30)
    assert Membership.objects.get(user=holder, unit=into).valid_from == ON
    cluster.refresh_from_db()
    assert cluster.head_unit == into and list(cluster.members.all()) == [into]
    assert list(old_2024.members.all()) == [org.a_dept]  # past years keep their members
    entry = AuditEntry.objects.get(action="unit.merged")
    assert entry.detail["people"] == 1 and entry.detail["roles"] and entry.detail["clusters"]


def test_the_preview_lists_what_higher_apps_count(org):
    hooks.register_reorg_counter("test", "Hồ sơ thử", lambda ids: 7 if org.a_dept.pk in ids else 0)
    try:
        preview = services.preview_reorganisation("dissolve", [org.a_dept], effective_on=ON)
        assert ("Hồ sơ thử", 7) in preview.others
        assert not preview.ok  # An still works there
    finally:
        hooks._COUNTERS.pop("test")


def test_awards_registers_open_dossiers_in_the_preview(org):
    labels = [c.label for c in hooks._COUNTERS.values()]
    assert any("hồ sơ" in label.lower() for label in labels)


def test_dissolving_ends_roles_and_removes_cluster_seats(org, personas):
    unit = services.create_unit(actor=None, code="BHXH-01-TT", name="Tổ tạm thời", parent=org.a)
    Membership.objects.create(user=personas.head, unit=unit, role=Role.UNIT_HEAD)
    cluster = services.create_cluster(
        actor=None, name="Cụm A", year=2025, organiser_unit=org.a, members=[unit, org.a_dept]
    )
    services.dissolve_unit(actor=personas.officer, unit=unit, effective_on=ON)
    assert Membership.objects.get(user=personas.head, unit=unit).valid_to == date(2025, 6, 30)
    assert not ClusterMember.objects.filter(cluster=cluster, unit=unit).exists()
    assert services.successors(unit) == []  # no heir


def test_a_split_needs_the_people_moved_first(org, personas):
    parts = [services.SplitPart("BHXH-01-T1", "Phòng Thu 1"), services.SplitPart("BHXH-01-T2", "Phòng Thu 2")]
    with pytest.raises(DomainError):
        services.split_unit(actor=personas.officer, unit=org.a_dept, parts=parts, effective_on=ON)
    assert not Unit.objects.filter(code__in=["BHXH-01-T1", "BHXH-01-T2"]).exists()  # nothing written
    services.transfer_person(actor=personas.officer, person=org.an, unit=org.a, on=date(2025, 6, 1))
    before = AuditEntry.objects.count()
    _event, new = services.split_unit(actor=personas.officer, unit=org.a_dept, parts=parts, effective_on=ON)
    assert AuditEntry.objects.count() == before + 1  # one service, one entry
    assert [u.parent for u in new] == [org.a, org.a] and all(u.valid_from == ON for u in new)
    assert {u.pk for u, _ in services.successors(org.a_dept)} == {u.pk for u in new}


def test_an_edit_from_a_stale_form_is_refused(org, personas):
    stale = services.stamp(org.a_dept)
    services.update_unit(actor=personas.officer, unit=org.a_dept, short_name="QLT")
    with pytest.raises(DomainError) as caught:
        services.update_unit(actor=personas.officer, unit=org.a_dept, version=stale, short_name="Thu")
    assert caught.value.field == "version"
    assert Unit.objects.get(pk=org.a_dept.pk).short_name == "QLT"
