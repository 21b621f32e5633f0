"""Reorganisations keep lineage: merge, split, rename, move; transfers keep the person's whole record."""

from datetime import date, timedelta
from typing import Any

import pytest

from thidua.audit.models import AuditEntry
from thidua.core.errors import DomainError
from thidua.history.models import AwardRecord, Rating, RatingValue
from thidua.org import services
from thidua.org.models import ReorgEvent, Unit
from thidua.org.permissions import visible_people

EFFECTIVE = date(2025, 7, 1)
DAY_BEFORE = EFFECTIVE - timedelta(days=1)


def reload(*objs: Any) -> None:
    for obj in objs:
        obj.refresh_from_db()


def test_merge_two_provinces_into_a_new_unit(org, personas):
    """GIVEN provinces A (with a department) and B, WHEN both merge into a new unit,
    THEN the successor holds their people and sub-units, and their history stays reachable."""
    new = services.create_unit(
        actor=personas.admin,
        code="BHXH-KV1",
        name="Bảo hiểm xã hội khu vực I",
        parent=org.root,
        kind=Unit.Kind.BHXH_KHU_VUC,
        valid_from=EFFECTIVE,
    )
    event = services.merge_units(
        actor=personas.admin, units=[org.a, org.b], into=new, effective_on=EFFECTIVE, decision="391/QĐ-BHXH"
    )
    reload(org.a, org.b, org.a_dept, org.an, org.binh, org.cuong)

    # Lineage: predecessors reachable from the successor, and the other way round.
    assert {u.pk for u, _ in services.predecessors(new)} == {org.a.pk, org.b.pk}
    assert [u.pk for u, _ in services.successors(org.a)] == [new.pk]
    assert set(services.lineage_ids(new)) == {new.pk, org.a.pk, org.b.pk}
    assert event.kind == ReorgEvent.Kind.MERGE
    assert event.decision == "391/QĐ-BHXH"

    # The old units end the day before; their rows stay.
    assert org.a.valid_to == DAY_BEFORE
    assert org.b.valid_to == DAY_BEFORE
    assert not org.a.is_active

    # Children follow into the successor, with their path.
    assert org.a_dept.parent_id == new.pk
    assert org.a_dept.path == f"{new.path}{org.a_dept.pk}/"
    assert org.a_dept.depth == new.depth + 1

    # People of the merged units move; people of the sub-units stay in their (moved) sub-unit.
    assert org.binh.current_unit_id == new.pk
    assert org.cuong.current_unit_id == new.pk
    assert org.an.current_unit_id == org.a_dept.pk
    assert org.binh.current_title == "Phó Giám đốc"

    # Position history is kept: the old position closes the day before, the new one opens.
    positions = list(
        org.binh.positions.order_by("started_on").values_list("unit_id", "started_on", "ended_on")
    )
    assert positions == [(org.a.pk, date(2015, 3, 1), DAY_BEFORE), (new.pk, EFFECTIVE, None)]

    entry = AuditEntry.objects.get(action="unit.merged")
    assert entry.actor == personas.admin
    assert entry.object_id == str(new.pk)
    assert entry.detail["merged"] == [org.a.name, org.b.name]
    assert entry.detail["decision"] == "391/QĐ-BHXH"


def test_merge_into_an_existing_unit(org, personas):
    services.merge_units(actor=personas.admin, units=[org.b], into=org.a, effective_on=EFFECTIVE)
    reload(org.cuong, org.b)
    assert org.cuong.current_unit_id == org.a.pk
    assert org.b.valid_to == DAY_BEFORE
    # Province A's officer now sees the people of the former province B.
    assert org.cuong in visible_people(personas.officer)


def test_the_merged_unit_page_points_to_its_successor(org, personas, client_for):
    services.merge_units(actor=personas.admin, units=[org.b], into=org.a, effective_on=EFFECTIVE)
    client = client_for(personas.admin)
    assert org.a.name in client.get(f"/to-chuc/don-vi/{org.b.pk}/").content.decode()
    html = client.get(f"/to-chuc/don-vi/{org.a.pk}/").content.decode()
    assert "Đơn vị tiền thân" in html
    assert org.b.name in html


@pytest.mark.parametrize("case", ["nothing_to_merge", "into_own_child", "into_ended", "already_ended"])
def test_merge_refusals(org, personas, case):
    kwargs = {"actor": personas.admin, "effective_on": EFFECTIVE}
    if case == "nothing_to_merge":
        kwargs |= {"units": [org.a], "into": org.a}
    elif case == "into_own_child":
        kwargs |= {"units": [org.a], "into": org.a_dept}
    elif case == "into_ended":
        services.merge_units(actor=personas.admin, units=[org.b], into=org.a, effective_on=date(2025, 1, 1))
        kwargs |= {"units": [org.a_dept], "into": org.b}
    else:
        services.merge_units(actor=personas.admin, units=[org.b], into=org.a, effective_on=date(2025, 1, 1))
        kwargs |= {"units": [org.b], "into": org.a}
    paths_before = dict(Unit.objects.values_list("pk", "path"))
    with pytest.raises(DomainError):
        services.merge_units(**kwargs)
    assert dict(Unit.objects.values_list("pk", "path")) == paths_before


def test_split_a_unit_into_two(org, personas):
    services.transfer_person(actor=personas.admin, person=org.an, unit=org.a, on=date(2025, 6, 1))
    event, parts = services.split_unit(
        actor=personas.admin,
        unit=org.a_dept,
        parts=[
            services.SplitPart("BHXH-01-THU1", "Phòng Thu", Unit.Kind.PHONG),
            services.SplitPart("BHXH-01-SO", "Phòng Quản lý sổ, thẻ", Unit.Kind.PHONG),
        ],
        effective_on=EFFECTIVE,
        decision="12/QĐ-BHXH",
    )
    reload(org.a_dept)
    assert org.a_dept.valid_to == DAY_BEFORE
    assert [p.parent_id for p in parts] == [org.a.pk, org.a.pk]
    assert all(p.valid_from == EFFECTIVE and p.path.startswith(org.a.path) for p in parts)
    assert {u.pk for u, _ in services.successors(org.a_dept)} == {p.pk for p in parts}
    for part in parts:
        assert [u.pk for u, _ in services.predecessors(part)] == [org.a_dept.pk]
    assert event.kind == ReorgEvent.Kind.SPLIT
    assert AuditEntry.objects.filter(action="unit.split", object_id=str(org.a_dept.pk)).count() == 1
    # one entry for the whole split, naming the units it created
    split = AuditEntry.objects.get(action="unit.split")
    assert "BHXH-01-SO" in split.detail["created"]
    assert not AuditEntry.objects.filter(action="unit.created", detail__code="BHXH-01-SO").exists()


def test_split_needs_two_parts(org, personas):
    with pytest.raises(DomainError, match="ít nhất hai"):
        services.split_unit(
            actor=personas.admin,
            unit=org.a_dept,
            parts=[services.SplitPart("X", "X")],
            effective_on=EFFECTIVE,
        )


def test_rename_keeps_the_unit_and_records_the_old_name(org, personas, client_for):
    event = services.rename_unit(
        actor=personas.officer,
        unit=org.a_dept,
        new_name="Phòng Quản lý thu, sổ, thẻ",
        effective_on=EFFECTIVE,
        decision="5/QĐ-BHXH",
    )
    reload(org.a_dept)
    assert org.a_dept.name == "Phòng Quản lý thu, sổ, thẻ"
    assert event.detail == {"old_name": "Phòng Quản lý thu", "new_name": "Phòng Quản lý thu, sổ, thẻ"}
    assert [(link.predecessor_id, link.successor_id) for link in event.links.all()] == [
        (org.a_dept.pk, org.a_dept.pk)
    ]
    assert org.a_dept.valid_to is None
    # The new name is searchable without diacritics.
    html = client_for(personas.officer).get("/to-chuc/don-vi/?q=so the").content.decode()
    assert "Phòng Quản lý thu, sổ, thẻ" in html
    assert AuditEntry.objects.get(action="unit.renamed").detail["old_name"] == "Phòng Quản lý thu"


def test_move_updates_the_path_of_the_whole_subtree(org, personas):
    team = services.create_unit(actor=None, code="T1", name="Tổ thu", parent=org.a_dept, kind=Unit.Kind.TO)
    cell = services.create_unit(actor=None, code="T1A", name="Nhóm A", parent=team)
    event = services.move_unit(
        actor=personas.admin, unit=org.a_dept, new_parent=org.b, effective_on=EFFECTIVE
    )
    reload(org.a_dept, team, cell)
    assert org.a_dept.parent_id == org.b.pk
    assert org.a_dept.path == f"{org.b.path}{org.a_dept.pk}/"
    assert team.path == f"{org.a_dept.path}{team.pk}/"
    assert cell.path == f"{team.path}{cell.pk}/"
    assert (org.a_dept.depth, team.depth, cell.depth) == (2, 3, 4)
    assert event.detail == {"from_parent": org.a.name, "to_parent": org.b.name}
    assert {u.code for u in Unit.objects.in_subtrees([org.b.path])} == {"BHXH-79", "BHXH-01-THU", "T1", "T1A"}
    assert {u.code for u in Unit.objects.in_subtrees([org.a.path])} == {"BHXH-01"}


def test_move_up_one_level_shortens_the_paths(org, personas):
    team = services.create_unit(actor=None, code="T1", name="Tổ thu", parent=org.a_dept)
    services.move_unit(actor=personas.admin, unit=team, new_parent=org.root, effective_on=EFFECTIVE)
    reload(team)
    assert team.path == f"{org.root.path}{team.pk}/"
    assert team.depth == 1


@pytest.mark.parametrize("target", ["self", "child", "grandchild"])
def test_a_unit_cannot_move_into_its_own_subtree(org, personas, target):
    team = services.create_unit(actor=None, code="T1", name="Tổ thu", parent=org.a_dept)
    new_parent = {"self": org.a, "child": org.a_dept, "grandchild": team}[target]
    with pytest.raises(DomainError, match="chính nó hoặc đơn vị cấp dưới"):
        services.move_unit(actor=personas.admin, unit=org.a, new_parent=new_parent, effective_on=EFFECTIVE)
    reload(org.a)
    assert org.a.parent_id == org.root.pk


def test_a_unit_cannot_move_under_an_ended_unit(org, personas):
    services.merge_units(actor=personas.admin, units=[org.b], into=org.a, effective_on=date(2025, 1, 1))
    with pytest.raises(DomainError, match="ngừng hoạt động"):
        services.move_unit(actor=personas.admin, unit=org.a_dept, new_parent=org.b, effective_on=EFFECTIVE)


# --- Transfers ----------------------------------------------------------------------------------


def test_a_transfer_keeps_the_whole_record_with_the_person(org, personas, client_for):
    Rating.objects.create(person=org.binh, year=2024, value=RatingValue.HOAN_THANH_XUAT_SAC)
    AwardRecord.objects.create(
        person=org.binh,
        kind=AwardRecord.Kind.TITLE,
        award_id="chien_si_thi_dua_co_so",
        year=2024,
        decided_on=date(2025, 1, 15),
    )
    services.transfer_person(
        actor=personas.admin, person=org.binh, unit=org.b, on=EFFECTIVE, title="Giám đốc"
    )
    reload(org.binh)
    assert org.binh.current_unit_id == org.b.pk
    assert org.binh.current_title == "Giám đốc"
    assert list(org.binh.positions.order_by("started_on").values_list("unit_id", "title", "ended_on")) == [
        (org.a.pk, "Phó Giám đốc", DAY_BEFORE),
        (org.b.pk, "Giám đốc", None),
    ]
    assert org.binh.ratings.count() == 1
    assert org.binh.awards.count() == 1

    # The new province sees the whole record; the old one no longer sees the person.
    html = client_for(personas.outsider_officer).get(f"/to-chuc/nhan-su/{org.binh.pk}/").content.decode()
    assert "Phó Giám đốc" in html
    assert "Chiến sĩ thi đua cơ sở" in html
    assert "Hoàn thành xuất sắc nhiệm vụ" in html
    assert client_for(personas.officer).get(f"/to-chuc/nhan-su/{org.binh.pk}/").status_code == 404


def test_a_transfer_must_come_after_the_current_position_started(org, personas):
    with pytest.raises(DomainError, match="phải sau ngày bắt đầu"):
        services.transfer_person(actor=personas.admin, person=org.binh, unit=org.b, on=date(2015, 3, 1))
    reload(org.binh)
    assert org.binh.current_unit_id == org.a.pk
    assert org.binh.positions.count() == 1
    assert not AuditEntry.objects.filter(action="person.transferred").exists()


def test_no_transfer_into_an_ended_unit(org, personas):
    services.merge_units(actor=personas.admin, units=[org.b], into=org.a, effective_on=date(2025, 1, 1))
    with pytest.raises(DomainError, match="ngừng hoạt động"):
        services.transfer_person(actor=personas.admin, person=org.an, unit=org.b, on=EFFECTIVE)


def test_create_unit_refusals(org):
    with pytest.raises(DomainError, match="đã tồn tại"):
        services.create_unit(actor=None, code="BHXH-01", name="Trùng mã")
    services.merge_units(actor=None, units=[org.b], into=org.a, effective_on=date(2025, 1, 1))
    with pytest.raises(DomainError, match="ngừng hoạt động"):
        services.create_unit(actor=None, code="NEW", name="Mới", parent=org.b)


def test_a_new_unit_gets_its_path_and_depth(org):
    assert org.root.path == f"/{org.root.pk}/"
    assert org.a.path == f"/{org.root.pk}/{org.a.pk}/"
    assert org.a_dept.path == f"{org.a.path}{org.a_dept.pk}/"
    assert (org.root.depth, org.a.depth, org.a_dept.depth) == (0, 1, 2)
    assert org.a_dept.ancestor_ids() == [org.root.pk, org.a.pk]


def test_tree_fields_and_the_current_unit_are_not_plain_fields(org):
    with pytest.raises(ValueError, match="move_unit"):
        services.update_unit(actor=None, unit=org.a_dept, parent=org.b)
    with pytest.raises(ValueError, match="transfer_person"):
        services.update_person(actor=None, person=org.an, current_unit=org.b)
    reload(org.a_dept, org.an)
    assert org.a_dept.parent_id == org.a.pk
    assert org.an.current_unit_id == org.a_dept.pk
