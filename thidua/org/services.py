"""State changes of the organisation. Each function: one transaction, an audit entry, DomainError if refused."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr

from thidua.audit.services import log
from thidua.core.errors import DomainError
from thidua.org.citizen_id import CitizenIdError, validate_citizen_id
from thidua.org.models import Cluster, ClusterMember, Person, Position, ReorgEvent, ReorgLink, Unit


def _set_path(unit: Unit) -> None:
    parent_path = unit.parent.path if unit.parent_id and unit.parent else "/"
    unit.path = f"{parent_path}{unit.pk}/"
    unit.depth = parent_path.count("/") - 1
    Unit.objects.filter(pk=unit.pk).update(path=unit.path, depth=unit.depth)


@transaction.atomic
def create_unit(
    *, actor: Any, code: str, name: str, parent: Unit | None = None, kind: str = Unit.Kind.KHAC, **fields: Any
) -> Unit:
    """Create a unit under `parent` (or a root). Refuses a duplicate code or an ended parent."""
    code = code.strip()
    if Unit.objects.filter(code=code).exists():
        raise DomainError(f"Mã đơn vị '{code}' đã tồn tại", field="code")
    if parent is not None and parent.valid_to is not None:
        raise DomainError(f"Đơn vị cấp trên '{parent}' đã ngừng hoạt động", field="parent")
    unit = Unit.objects.create(code=code, name=name, parent=parent, kind=kind, **fields)
    _set_path(unit)
    log("unit.created", actor=actor, obj=unit, unit_path=unit.path, detail={"code": code, "name": unit.name})
    return unit


@transaction.atomic
def update_unit(*, actor: Any, unit: Unit, **changes: Any) -> Unit:
    """Edit plain fields (not the parent: use `move_unit`; not the name of record: use `rename_unit`)."""
    _refuse_fields(changes, {"parent", "parent_id", "path", "depth"}, "move_unit")
    before = {k: getattr(unit, k) for k in changes}
    for key, value in changes.items():
        setattr(unit, key, value)
    unit.save()
    diff = {k: [str(before[k]), str(v)] for k, v in changes.items() if before[k] != v}
    log("unit.updated", actor=actor, obj=unit, unit_path=unit.path, detail={"changes": diff})
    return unit


def _refuse_fields(changes: dict[str, Any], fields: set[str], service: str) -> None:
    """Fields kept consistent by another service cannot be edited as plain fields."""
    refused = sorted(fields & set(changes))
    if refused:
        raise ValueError(f"{', '.join(refused)}: use {service}() to change these")


def _reparent(unit: Unit, new_parent: Unit | None) -> None:
    old_path = unit.path
    unit.parent = new_parent
    unit.save(update_fields=["parent", "updated_at"])
    _set_path(unit)
    depth_delta = unit.path.count("/") - old_path.count("/")
    Unit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk).update(
        path=Concat(Value(unit.path), Substr("path", len(old_path) + 1)),
        depth=F("depth") + depth_delta,
    )


@transaction.atomic
def move_unit(
    *, actor: Any, unit: Unit, new_parent: Unit | None, effective_on: date, decision: str = ""
) -> ReorgEvent:
    """Attach `unit` (with its subtree) to another parent."""
    if new_parent is not None and new_parent.path.startswith(unit.path):
        raise DomainError("Không thể chuyển đơn vị vào chính nó hoặc đơn vị cấp dưới của nó", field="parent")
    if new_parent is not None and new_parent.valid_to is not None:
        raise DomainError(f"Đơn vị cấp trên '{new_parent}' đã ngừng hoạt động", field="parent")
    if unit.valid_to is not None:
        raise DomainError(f"Đơn vị '{unit}' đã ngừng hoạt động")
    old_parent = unit.parent
    _reparent(unit, new_parent)
    event = ReorgEvent.objects.create(
        kind=ReorgEvent.Kind.MOVE,
        effective_on=effective_on,
        decision=decision,
        detail={
            "from_parent": old_parent.name if old_parent else None,
            "to_parent": new_parent.name if new_parent else None,
        },
    )
    ReorgLink.objects.create(event=event, predecessor=unit, successor=unit)
    log(
        "unit.moved", actor=actor, obj=unit, unit_path=unit.path, detail=event.detail | {"decision": decision}
    )
    return event


@transaction.atomic
def rename_unit(
    *, actor: Any, unit: Unit, new_name: str, effective_on: date, decision: str = ""
) -> ReorgEvent:
    old_name = unit.name
    unit.name = new_name
    unit.save()
    event = ReorgEvent.objects.create(
        kind=ReorgEvent.Kind.RENAME,
        effective_on=effective_on,
        decision=decision,
        detail={"old_name": old_name, "new_name": unit.name},
    )
    ReorgLink.objects.create(event=event, predecessor=unit, successor=unit)
    log(
        "unit.renamed",
        actor=actor,
        obj=unit,
        unit_path=unit.path,
        detail=event.detail | {"decision": decision},
    )
    return event


def _end_unit(unit: Unit, effective_on: date) -> None:
    if unit.valid_to is not None:
        raise DomainError(f"Đơn vị '{unit}' đã ngừng hoạt động từ {unit.valid_to:%d/%m/%Y}")
    if Unit.objects.filter(parent=unit, valid_to__isnull=True).exists():
        raise DomainError(
            f"Đơn vị '{unit}' còn đơn vị cấp dưới đang hoạt động: chuyển hoặc sáp nhập chúng trước"
        )
    unit.valid_to = effective_on - timedelta(days=1)
    unit.save(update_fields=["valid_to", "updated_at"])


@transaction.atomic
def merge_units(
    *,
    actor: Any,
    units: Sequence[Unit],
    into: Unit,
    effective_on: date,
    decision: str = "",
    transfer_people: bool = True,
) -> ReorgEvent:
    """Merge `units` into `into` (an existing unit, or one just created for the merger).

    The merged units end the day before `effective_on`; their people move to `into`; lineage links
    keep their history reachable from the successor.
    """
    others = [u for u in units if u.pk != into.pk]
    if not others:
        raise DomainError("Cần ít nhất một đơn vị được sáp nhập khác đơn vị tiếp nhận")
    if into.valid_to is not None:
        raise DomainError(f"Đơn vị tiếp nhận '{into}' đã ngừng hoạt động", field="into")
    for unit in others:
        # Reparenting the merged unit's children under one of its own descendants would cut the tree.
        if into.path.startswith(unit.path):
            raise DomainError(
                f"Không thể sáp nhập '{unit}' vào đơn vị cấp dưới của chính nó ('{into}')", field="into"
            )
    event = ReorgEvent.objects.create(
        kind=ReorgEvent.Kind.MERGE,
        effective_on=effective_on,
        decision=decision,
        detail={"merged": [u.name for u in others], "into": into.name},
    )
    for unit in others:
        # Sub-units follow into the successor.
        for child in Unit.objects.filter(parent=unit, valid_to__isnull=True):
            _reparent(child, into)
        if transfer_people:
            for person in Person.objects.filter(current_unit=unit):
                _transfer(person, into, effective_on, title=person.current_title)
        _end_unit(unit, effective_on)
        ReorgLink.objects.create(event=event, predecessor=unit, successor=into)
    log(
        "unit.merged",
        actor=actor,
        obj=into,
        unit_path=into.path,
        detail=event.detail | {"decision": decision},
    )
    return event


@dataclass(frozen=True)
class SplitPart:
    code: str
    name: str
    kind: str = Unit.Kind.KHAC


@transaction.atomic
def split_unit(
    *, actor: Any, unit: Unit, parts: Sequence[SplitPart], effective_on: date, decision: str = ""
) -> tuple[ReorgEvent, list[Unit]]:
    """Split `unit` into new units under the same parent; people stay to be assigned by transfer."""
    if len(parts) < 2:
        raise DomainError("Chia tách cần ít nhất hai đơn vị mới")
    new_units = [
        create_unit(
            actor=actor, code=p.code, name=p.name, kind=p.kind, parent=unit.parent, valid_from=effective_on
        )
        for p in parts
    ]
    if (
        Person.objects.filter(current_unit=unit).exists()
        or Unit.objects.filter(parent=unit, valid_to__isnull=True).exists()
    ):
        raise DomainError(
            f"Đơn vị '{unit}' còn nhân sự hoặc đơn vị cấp dưới: điều chuyển họ sang các đơn vị mới trước khi chia tách"
        )
    _end_unit(unit, effective_on)
    event = ReorgEvent.objects.create(
        kind=ReorgEvent.Kind.SPLIT,
        effective_on=effective_on,
        decision=decision,
        detail={"split": unit.name, "into": [u.name for u in new_units]},
    )
    for new in new_units:
        ReorgLink.objects.create(event=event, predecessor=unit, successor=new)
    log(
        "unit.split", actor=actor, obj=unit, unit_path=unit.path, detail=event.detail | {"decision": decision}
    )
    return event, new_units


@transaction.atomic
def dissolve_unit(*, actor: Any, unit: Unit, effective_on: date, decision: str = "") -> ReorgEvent:
    if Person.objects.filter(current_unit=unit).exists():
        raise DomainError(f"Đơn vị '{unit}' còn nhân sự: điều chuyển trước khi giải thể")
    _end_unit(unit, effective_on)
    event = ReorgEvent.objects.create(
        kind=ReorgEvent.Kind.DISSOLVE,
        effective_on=effective_on,
        decision=decision,
        detail={"unit": unit.name},
    )
    log("unit.dissolved", actor=actor, obj=unit, unit_path=unit.path, detail={"decision": decision})
    return event


def predecessors(unit: Unit) -> list[tuple[Unit, ReorgEvent]]:
    """Every unit that became (part of) `unit`, transitively, with the event: its whole lineage."""
    result: list[tuple[Unit, ReorgEvent]] = []
    seen = {unit.pk}
    frontier = [unit.pk]
    while frontier:
        links = (
            ReorgLink.objects.filter(successor_id__in=frontier)
            .exclude(predecessor_id__in=seen)
            .select_related("predecessor", "event")
        )
        frontier = []
        for link in links:
            if link.predecessor_id not in seen:
                seen.add(link.predecessor_id)
                frontier.append(link.predecessor_id)
                result.append((link.predecessor, link.event))
    return result


def successors(unit: Unit) -> list[tuple[Unit, ReorgEvent]]:
    result: list[tuple[Unit, ReorgEvent]] = []
    seen = {unit.pk}
    frontier = [unit.pk]
    while frontier:
        links = (
            ReorgLink.objects.filter(predecessor_id__in=frontier)
            .exclude(successor_id__in=seen)
            .select_related("successor", "event")
        )
        frontier = []
        for link in links:
            if link.successor_id not in seen:
                seen.add(link.successor_id)
                frontier.append(link.successor_id)
                result.append((link.successor, link.event))
    return result


def lineage_ids(unit: Unit) -> list[int]:
    """`unit` and all its predecessors: the units whose history belongs to `unit` today."""
    return [unit.pk, *(u.pk for u, _ in predecessors(unit))]


# --- People -------------------------------------------------------------------------------------


def check_person_fields(citizen_id: str, gender: str, date_of_birth: date | None) -> None:
    try:
        validate_citizen_id(citizen_id, gender=gender, date_of_birth=date_of_birth)
    except CitizenIdError as exc:
        raise DomainError(str(exc), field="citizen_id") from exc


@transaction.atomic
def create_person(
    *,
    actor: Any,
    citizen_id: str,
    full_name: str,
    gender: str,
    unit: Unit,
    title: str = "",
    started_on: date | None = None,
    **fields: Any,
) -> Person:
    """Add a staff member with their first position in `unit`."""
    citizen_id = citizen_id.strip()
    check_person_fields(citizen_id, gender, fields.get("date_of_birth"))
    if unit.valid_to is not None:
        raise DomainError(f"Đơn vị '{unit}' đã ngừng hoạt động", field="unit")
    if Person.objects.filter(citizen_id=citizen_id).exists():
        raise DomainError(f"Số CCCD {citizen_id} đã có trong hệ thống", field="citizen_id")
    person = Person.objects.create(
        citizen_id=citizen_id,
        full_name=full_name,
        gender=gender,
        current_unit=unit,
        current_title=title,
        **fields,
    )
    Position.objects.create(
        person=person,
        unit=unit,
        title=title,
        started_on=started_on or fields.get("recruited_on") or date.today(),
    )
    log(
        "person.created",
        actor=actor,
        obj=person,
        unit_path=unit.path,
        detail={"citizen_id": citizen_id, "unit": unit.name},
    )
    return person


@transaction.atomic
def update_person(*, actor: Any, person: Person, **changes: Any) -> Person:
    """Edit a person's own fields; the citizen id is re-checked against gender and date of birth.
    The unit and title change only through `transfer_person`, which keeps the position history."""
    _refuse_fields(changes, {"current_unit", "current_unit_id", "current_title"}, "transfer_person")
    if "citizen_id" in changes:
        changes["citizen_id"] = str(changes["citizen_id"]).strip()
        if Person.objects.filter(citizen_id=changes["citizen_id"]).exclude(pk=person.pk).exists():
            raise DomainError(f"Số CCCD {changes['citizen_id']} đã có trong hệ thống", field="citizen_id")
    merged: dict[str, Any] = {
        "citizen_id": person.citizen_id,
        "gender": person.gender,
        "date_of_birth": person.date_of_birth,
    }
    merged |= changes
    check_person_fields(merged["citizen_id"], merged["gender"], merged["date_of_birth"])
    before = {k: getattr(person, k) for k in changes}
    for key, value in changes.items():
        setattr(person, key, value)
    person.save()
    diff = {k: [str(before[k]), str(v)] for k, v in changes.items() if before[k] != v}
    log(
        "person.updated",
        actor=actor,
        obj=person,
        unit_path=person.current_unit.path if person.current_unit else "",
        detail={"changes": diff},
    )
    return person


def _transfer(person: Person, unit: Unit, on: date, *, title: str) -> Position:
    for pos in person.positions.filter(ended_on__isnull=True):
        if pos.started_on >= on:
            raise DomainError(
                f"Ngày điều chuyển {on:%d/%m/%Y} phải sau ngày bắt đầu vị trí hiện tại ({pos.started_on:%d/%m/%Y})"
            )
        pos.ended_on = on - timedelta(days=1)
        pos.save(update_fields=["ended_on", "updated_at"])
    position = Position.objects.create(person=person, unit=unit, title=title, started_on=on)
    person.current_unit = unit
    person.current_title = title
    person.save(update_fields=["current_unit", "current_title", "updated_at"])
    return position


@transaction.atomic
def transfer_person(*, actor: Any, person: Person, unit: Unit, on: date, title: str = "") -> Position:
    """Close the current position and open one in `unit`: the whole record stays with the person."""
    if unit.valid_to is not None:
        raise DomainError(f"Đơn vị '{unit}' đã ngừng hoạt động", field="unit")
    old_unit = person.current_unit
    position = _transfer(person, unit, on, title=title)
    log(
        "person.transferred",
        actor=actor,
        obj=person,
        unit_path=unit.path,
        detail={
            "from": old_unit.name if old_unit else None,
            "to": unit.name,
            "on": on.isoformat(),
            "title": title,
        },
    )
    return position


# --- Clusters -----------------------------------------------------------------------------------


@transaction.atomic
def create_cluster(
    *,
    actor: Any,
    name: str,
    year: int,
    organiser_unit: Unit,
    members: Iterable[Unit],
    head_unit: Unit | None = None,
    kind: str = Cluster.Kind.CUM,
    organiser: str = Cluster.Organiser.BO_NGANH_TINH,
) -> Cluster:
    member_list = list(members)
    if head_unit is not None and head_unit not in member_list:
        raise DomainError("Cụm trưởng phải là một đơn vị thành viên của cụm", field="head_unit")
    if Cluster.objects.filter(organiser_unit=organiser_unit, year=year, name=name).exists():
        raise DomainError(f"Đã có '{name}' năm {year}", field="name")
    cluster = Cluster.objects.create(
        name=name,
        year=year,
        organiser_unit=organiser_unit,
        head_unit=head_unit,
        kind=kind,
        organiser=organiser,
    )
    ClusterMember.objects.bulk_create([ClusterMember(cluster=cluster, unit=u) for u in member_list])
    log(
        "cluster.created",
        actor=actor,
        obj=cluster,
        unit_path=organiser_unit.path,
        detail={"members": [u.name for u in member_list], "head": head_unit.name if head_unit else None},
    )
    return cluster
