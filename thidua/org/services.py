"""State changes of the organisation. Each function: one transaction, an audit entry, DomainError if refused."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone

from thidua.accounts.models import User
from thidua.audit.services import log
from thidua.core.errors import DomainError
from thidua.org.citizen_id import CitizenIdError, validate_citizen_id
from thidua.org.kinds import kind_of
from thidua.org.models import (
    Cluster,
    ClusterMember,
    Membership,
    Person,
    Position,
    ReorgEvent,
    ReorgLink,
    Unit,
)


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


def _walk(unit: Unit, *, backwards: bool) -> list[tuple[Unit, ReorgEvent]]:
    """Follow lineage links transitively from `unit`: to its predecessors, or to its successors."""
    near, far = ("successor", "predecessor") if backwards else ("predecessor", "successor")
    result: list[tuple[Unit, ReorgEvent]] = []
    seen = {unit.pk}
    frontier = [unit.pk]
    while frontier:
        links = (
            ReorgLink.objects.filter(**{f"{near}_id__in": frontier})
            .exclude(**{f"{far}_id__in": seen})
            .select_related(far, "event")
        )
        frontier = []
        for link in links:
            other: Unit = getattr(link, far)
            if other.pk not in seen:
                seen.add(other.pk)
                frontier.append(other.pk)
                result.append((other, link.event))
    return result


def predecessors(unit: Unit) -> list[tuple[Unit, ReorgEvent]]:
    """Every unit that became (part of) `unit`, transitively, with the event: its whole lineage."""
    return _walk(unit, backwards=True)


def successors(unit: Unit) -> list[tuple[Unit, ReorgEvent]]:
    """Every unit that `unit` became (part of), transitively, with the event."""
    return _walk(unit, backwards=False)


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
    organiser: str | None = None,
) -> Cluster:
    """A cluster of `year`. Its organiser level defaults from the organising unit's kind: a unit of
    bộ, ngành, tỉnh level organises for the Cờ thi đua of that level, any other unit for none."""
    member_list = list(members)
    if organiser is None:
        level = kind_of(organiser_unit).level
        organiser = Cluster.Organiser.BO_NGANH_TINH if level == "bo_nganh_tinh" else Cluster.Organiser.DON_VI
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


# --- Bulk import ------------------------------------------------------------------------------
# The importers (`thidua.org.importers`) read and check a file row by row, with row numbers for the
# user; these services write the checked rows in one transaction with bulk queries, keep the same
# invariants as the one-by-one services (paths, positions, `current_unit`) and write ONE audit entry.

_IMPORT_CHUNK = 2000


@dataclass
class UnitImport:
    """One unit row: `fields` holds only the values to set; `parent_code` is the wanted parent (None = root)."""

    code: str
    fields: dict[str, Any]
    parent_code: str | None


@dataclass
class PersonImport:
    """One person row: `fields` to set; `unit_code`/`title`/`started_on` describe the wanted current position.

    `unit_code` None keeps the current unit; `title` None keeps the current title.
    """

    citizen_id: str
    fields: dict[str, Any]
    unit_code: str | None = None
    title: str | None = None
    started_on: date | None = None


@dataclass
class ImportSummary:
    created: list[str]
    updated: list[str]
    unchanged: list[str]
    moved: list[str]
    audit_id: int | None = None

    @property
    def counts(self) -> dict[str, int]:
        return {
            "created": len(self.created),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
        }


def _common_path(paths: Iterable[str]) -> str:
    """The deepest unit path containing all `paths` ("/1/4/" for "/1/4/9/" and "/1/4/"): the audit scope."""
    split = [p.strip("/").split("/") for p in paths if p]
    if not split:
        return ""
    common: list[str] = []
    for parts in zip(*split, strict=False):
        if len(set(parts)) != 1:
            break
        common.append(parts[0])
    return f"/{'/'.join(common)}/" if common else ""


def _chunks(items: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), _IMPORT_CHUNK):
        yield items[start : start + _IMPORT_CHUNK]


def _order_unit_rows(rows: Sequence[UnitImport]) -> list[UnitImport]:
    """Parents before children for the rows of the file; DomainError on a cycle."""
    by_code = {r.code: r for r in rows}
    ordered: list[UnitImport] = []
    state: dict[str, int] = {}  # 1 = visiting, 2 = done
    for row in rows:
        chain: list[UnitImport] = []
        current: UnitImport | None = row
        while current is not None and state.get(current.code) != 2:
            if state.get(current.code) == 1:
                raise DomainError(f"Mã đơn vị '{current.code}': quan hệ cấp trên tạo thành vòng lặp")
            state[current.code] = 1
            chain.append(current)
            current = by_code.get(current.parent_code) if current.parent_code else None
        for item in reversed(chain):
            state[item.code] = 2
            ordered.append(item)
    return ordered


@transaction.atomic
def import_units(
    rows: Sequence[UnitImport], *, actor: Any, source: str = "", effective_on: date | None = None
) -> ImportSummary:
    """Create or update units by code; a changed parent is a move (a `ReorgEvent`, lineage kept).

    Rows may name parents defined later in the same batch. Writes one `import.committed` audit entry.
    """
    effective_on = effective_on or date.today()
    codes = {r.code for r in rows} | {r.parent_code for r in rows if r.parent_code}
    units = {u.code: u for u in Unit.objects.filter(code__in=codes).select_related("parent")}
    summary = ImportSummary(created=[], updated=[], unchanged=[], moved=[])
    touched: list[Unit] = []
    for row in _order_unit_rows(rows):
        parent = units.get(row.parent_code) if row.parent_code else None
        if row.parent_code and parent is None:
            raise DomainError(f"Mã đơn vị cấp trên '{row.parent_code}' không tồn tại", field="parent")
        if parent is not None and parent.valid_to is not None:
            raise DomainError(f"Đơn vị cấp trên '{parent}' đã ngừng hoạt động", field="parent")
        unit = units.get(row.code)
        if unit is None:
            unit = Unit(code=row.code, parent=parent, **row.fields)
            unit.save()
            _set_path(unit)
            units[unit.code] = unit
            summary.created.append(unit.code)
            touched.append(parent or unit)
            continue
        changed = [k for k, v in row.fields.items() if getattr(unit, k) != v]
        for key in changed:
            setattr(unit, key, row.fields[key])
        if changed:
            unit.save(update_fields=[*changed, "name_folded", "updated_at"])
        if unit.parent_id != (parent.pk if parent else None):
            if parent is not None and parent.path.startswith(unit.path):
                raise DomainError(
                    f"Không thể chuyển đơn vị '{unit.code}' vào chính nó hoặc đơn vị cấp dưới của nó"
                )
            old_parent, old_path = unit.parent, unit.path
            _reparent(unit, parent)
            # Keep the in-memory copies of the moved subtree in step with the database.
            for other in units.values():
                if other.pk != unit.pk and other.path.startswith(old_path):
                    other.path = unit.path + other.path[len(old_path) :]
                    other.depth = other.path.count("/") - 2
            event = ReorgEvent.objects.create(
                kind=ReorgEvent.Kind.MOVE,
                effective_on=effective_on,
                decision=source[:120],
                detail={
                    "from_parent": old_parent.name if old_parent else None,
                    "to_parent": parent.name if parent else None,
                },
            )
            ReorgLink.objects.create(event=event, predecessor=unit, successor=unit)
            summary.moved.append(unit.code)
            touched += [old_parent or unit, parent or unit]
            changed.append("parent")
        (summary.updated if changed else summary.unchanged).append(unit.code)
        if changed:
            touched.append(unit)
    entry = log(
        "import.committed",
        actor=actor,
        unit_path=_common_path(u.path for u in touched),
        object_repr=f"Nhập đơn vị từ {source}" if source else "Nhập đơn vị",
        detail={
            "kind": "units",
            "source": source,
            "counts": summary.counts,
            "created": summary.created,
            "updated": summary.updated,
            "moved": summary.moved,
        },
    )
    summary.audit_id = entry.pk
    return summary


@transaction.atomic
def import_people(
    rows: Sequence[PersonImport],
    *,
    actor: Any,
    source: str = "",
    progress: Callable[[int, int], None] | None = None,
) -> ImportSummary:
    """Create or update people by citizen id, in bulk queries.

    A new person gets a first position (from `started_on`, else the recruitment date, else today).
    A different unit (or title) for an existing person closes the open position the day before
    `started_on` and opens a new one, like `transfer_person`: the position history is kept.
    A title change without a later date corrects the open position's title in place.
    Writes one `import.committed` audit entry with the counts and the citizen ids.
    """
    today = date.today()
    cids = [r.citizen_id for r in rows]
    if len(set(cids)) != len(cids):
        raise DomainError("Một số CCCD xuất hiện nhiều lần trong dữ liệu nhập")
    existing: dict[str, Person] = {}
    for chunk in _chunks(cids):
        existing.update((p.citizen_id, p) for p in Person.objects.filter(citizen_id__in=chunk))
    open_positions: dict[int, list[Position]] = {}
    person_ids = [p.pk for p in existing.values()]
    for start in range(0, len(person_ids), _IMPORT_CHUNK):
        for pos in Position.objects.filter(
            person_id__in=person_ids[start : start + _IMPORT_CHUNK], ended_on__isnull=True
        ).order_by("started_on"):
            open_positions.setdefault(pos.person_id, []).append(pos)  # the last one is the current one
    unit_codes = sorted({r.unit_code for r in rows if r.unit_code})
    units = {u.code: u for u in Unit.objects.filter(code__in=unit_codes)}

    summary = ImportSummary(created=[], updated=[], unchanged=[], moved=[])
    new_people: list[tuple[Person, PersonImport, Unit]] = []
    changed_people: list[Person] = []
    changed_fields: set[str] = set()
    closed_positions: list[Position] = []
    retitled_positions: list[Position] = []
    new_positions: list[Position] = []
    touched_paths: set[str] = set()
    now = timezone.now()

    for index, row in enumerate(rows, start=1):
        if progress is not None:
            progress(index, len(rows))
        unit = units.get(row.unit_code) if row.unit_code else None
        if row.unit_code and unit is None:
            raise DomainError(f"Mã đơn vị '{row.unit_code}' không tồn tại", field="unit")
        if unit is not None and unit.valid_to is not None:
            raise DomainError(f"Đơn vị '{unit}' đã ngừng hoạt động", field="unit")
        person = existing.get(row.citizen_id)
        if person is None:
            if unit is None:
                raise DomainError(f"Số CCCD {row.citizen_id}: cần mã đơn vị cho nhân sự mới", field="unit")
            check_person_fields(row.citizen_id, row.fields["gender"], row.fields.get("date_of_birth"))
            person = Person(
                citizen_id=row.citizen_id, current_unit=unit, current_title=row.title or "", **row.fields
            )
            person.derive_fields()
            new_people.append((person, row, unit))
            summary.created.append(row.citizen_id)
            touched_paths.add(unit.path)
            continue
        changes = [k for k, v in row.fields.items() if getattr(person, k) != v]
        if {"gender", "date_of_birth"} & set(changes):
            merged = {"gender": person.gender, "date_of_birth": person.date_of_birth} | row.fields
            check_person_fields(person.citizen_id, merged["gender"], merged["date_of_birth"])
        for key in changes:
            setattr(person, key, row.fields[key])
        title = person.current_title if row.title is None else row.title
        still_open = open_positions.get(person.pk, [])
        current = still_open[-1] if still_open else None
        moves_unit = unit is not None and unit.pk != person.current_unit_id
        if moves_unit or title != person.current_title:
            on = row.started_on
            if moves_unit or (on is not None and current is not None and on > current.started_on):
                # A new position (transfer or promotion): the history stays with the person.
                on = on or today
                for pos in still_open:  # as `_transfer`: every open position ends the day before
                    if pos.started_on >= on:
                        raise DomainError(
                            f"Số CCCD {person.citizen_id}: ngày điều chuyển {on:%d/%m/%Y} phải sau ngày "
                            f"bắt đầu vị trí hiện tại ({pos.started_on:%d/%m/%Y})"
                        )
                    pos.ended_on = on - timedelta(days=1)
                    pos.updated_at = now
                    closed_positions.append(pos)
                target = unit if unit is not None else person.current_unit
                if target is None:
                    raise DomainError(f"Số CCCD {person.citizen_id}: chưa có đơn vị công tác", field="unit")
                new_positions.append(Position(person=person, unit=target, title=title, started_on=on))
                person.current_unit = target
                if moves_unit:
                    summary.moved.append(person.citizen_id)
                changes.append("current_unit")
            elif current is not None:
                current.title = title
                current.updated_at = now
                retitled_positions.append(current)
            person.current_title = title
            changes.append("current_title")
        if changes:
            if "full_name" in changes:
                person.derive_fields()
                changes += ["name_folded", "sort_key"]
            person.updated_at = now
            changed_fields.update(changes)
            changed_people.append(person)
            summary.updated.append(person.citizen_id)
            if person.current_unit is not None:
                touched_paths.add(person.current_unit.path)
        else:
            summary.unchanged.append(person.citizen_id)

    if new_people:
        Person.objects.bulk_create([p for p, _, _ in new_people], batch_size=500)
        if any(p.pk is None for p, _, _ in new_people):  # backends that do not return ids
            ids = dict(
                Person.objects.filter(citizen_id__in=[p.citizen_id for p, _, _ in new_people]).values_list(
                    "citizen_id", "pk"
                )
            )
            for person, _, _ in new_people:
                person.pk = ids[person.citizen_id]
        new_positions += [
            Position(
                person=person,
                unit=unit,
                title=row.title or "",
                started_on=row.started_on or row.fields.get("recruited_on") or today,
            )
            for person, row, unit in new_people
        ]
    if changed_people:
        Person.objects.bulk_update(changed_people, sorted(changed_fields | {"updated_at"}), batch_size=500)
    if closed_positions:
        Position.objects.bulk_update(closed_positions, ["ended_on", "updated_at"], batch_size=500)
    if retitled_positions:
        Position.objects.bulk_update(retitled_positions, ["title", "updated_at"], batch_size=500)
    if new_positions:
        Position.objects.bulk_create(new_positions, batch_size=500)
    entry = log(
        "import.committed",
        actor=actor,
        unit_path=_common_path(touched_paths),
        object_repr=f"Nhập nhân sự từ {source}" if source else "Nhập nhân sự",
        detail={
            "kind": "people",
            "source": source,
            "counts": summary.counts,
            "created": summary.created,
            "updated": summary.updated,
            "transferred": summary.moved,
        },
    )
    summary.audit_id = entry.pk
    return summary


@transaction.atomic
def grant_role(*, actor: Any, user: User, unit: Unit, role: str) -> Membership:
    membership, _ = Membership.objects.get_or_create(user=user, unit=unit, role=role)
    log(
        "membership.granted",
        actor=actor,
        obj=user,
        unit_path=unit.path,
        detail={"unit": unit.name, "role": role},
    )
    return membership


@transaction.atomic
def revoke_role(*, actor: Any, membership: Membership) -> None:
    unit = membership.unit
    log(
        "membership.revoked",
        actor=actor,
        obj=membership.user,
        unit_path=unit.path,
        detail={"unit": unit.name, "role": membership.role},
    )
    membership.delete()
