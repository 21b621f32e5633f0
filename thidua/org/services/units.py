"""Units: create, edit, rename, move, merge, split, dissolve, with lineage and a preview of what moves.

A unit's place in the tree (`path`, `depth`) is always derived here from its parent, never typed. Each
change: the actor's permission checked, one transaction, one audit entry, `DomainError` if refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Concat, Substr

from thidua.accounts.models import User
from thidua.audit.services import log
from thidua.core.errors import DomainError
from thidua.org.hooks import reorg_counts
from thidua.org.models import ClusterMember, Membership, Person, ReorgEvent, ReorgLink, Unit
from thidua.org.services.common import check_stamp, diff, refuse_fields, require_manage

NO_RIGHT = "Bạn không có quyền thay đổi đơn vị này"
# Fields of a unit an officer edits as plain data (the name of record changes by `rename_unit`).
EDITABLE_FIELDS = (
    "short_name",
    "kind",
    "is_legal_entity",
    "province_code",
    "place_name",
    "symbol",
    "valid_from",
)


def set_path(unit: Unit) -> None:
    """Derive `path` and `depth` from the parent (the unit must be saved: its id is in the path)."""
    parent_path = unit.parent.path if unit.parent_id and unit.parent else "/"
    unit.path = f"{parent_path}{unit.pk}/"
    unit.depth = parent_path.count("/") - 1
    Unit.objects.filter(pk=unit.pk).update(path=unit.path, depth=unit.depth)


def reparent(unit: Unit, new_parent: Unit | None) -> None:
    """Attach `unit` under `new_parent` and rewrite the paths of its whole subtree in one query."""
    old_path = unit.path
    unit.parent = new_parent
    unit.save(update_fields=["parent", "updated_at"])
    set_path(unit)
    depth_delta = unit.path.count("/") - old_path.count("/")
    Unit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk).update(
        path=Concat(Value(unit.path), Substr("path", len(old_path) + 1)),
        depth=F("depth") + depth_delta,
    )


def _check_code(code: str) -> str:
    code = code.strip()
    if not code:
        raise DomainError("Cần nhập mã đơn vị", field="code")
    if len(code) > 40:
        raise DomainError("Mã đơn vị dài quá 40 ký tự", field="code")
    if Unit.objects.filter(code=code).exists():
        raise DomainError(f"Mã đơn vị '{code}' đã tồn tại", field="code")
    return code


def _check_name(name: str, field_name: str = "name") -> str:
    name = " ".join((name or "").split())
    if not name:
        raise DomainError("Cần nhập tên đơn vị", field=field_name)
    if len(name) > 255:
        raise DomainError("Tên đơn vị dài quá 255 ký tự", field=field_name)
    return name


def _active_parent(parent: Unit | None) -> None:
    if parent is not None and parent.valid_to is not None:
        raise DomainError(f"Đơn vị cấp trên '{parent}' đã ngừng hoạt động", field="parent")


def _new_unit(*, code: str, name: str, parent: Unit | None, kind: str, **fields: Any) -> Unit:
    """The checked row with its derived place in the tree (no permission check, no audit entry)."""
    code = _check_code(code)
    name = _check_name(name)
    _active_parent(parent)
    unit = Unit.objects.create(code=code, name=name, parent=parent, kind=kind, **fields)
    set_path(unit)
    return unit


@transaction.atomic
def create_unit(
    *,
    actor: User | None,
    code: str,
    name: str,
    parent: Unit | None = None,
    kind: str = Unit.Kind.KHAC,
    **fields: Any,
) -> Unit:
    """Create a unit under `parent` (a root: system administrators only). Refuses a duplicate code or
    an ended parent."""
    require_manage(actor, parent, "Bạn chỉ được tạo đơn vị trong phạm vi đơn vị mình quản lý")
    unit = _new_unit(code=code, name=name, parent=parent, kind=kind, **fields)
    log(
        "unit.created",
        actor=actor,
        obj=unit,
        unit_path=unit.path,
        detail={"code": unit.code, "name": unit.name},
    )
    return unit


@transaction.atomic
def update_unit(*, actor: User | None, unit: Unit, version: str | None = None, **changes: Any) -> Unit:
    """Edit plain fields (not the parent: `move_unit`; not the name of record: `rename_unit`)."""
    refuse_fields(changes, {"parent", "parent_id", "path", "depth", "valid_to"}, "move_unit")
    require_manage(actor, unit, NO_RIGHT)
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    check_stamp(unit, version)
    if "code" in changes and changes["code"] != unit.code:
        changes["code"] = _check_code(changes["code"])
    before = {k: getattr(unit, k) for k in changes}
    for key, value in changes.items():
        setattr(unit, key, value)
    if unit.valid_from and unit.valid_to and unit.valid_from > unit.valid_to:
        raise DomainError("Ngày bắt đầu hoạt động sau ngày ngừng hoạt động", field="valid_from")
    unit.save()
    log("unit.updated", actor=actor, obj=unit, unit_path=unit.path, detail={"changes": diff(before, changes)})
    return unit


def _check_move(unit: Unit, new_parent: Unit | None) -> None:
    if unit.valid_to is not None:
        raise DomainError(f"Đơn vị '{unit}' đã ngừng hoạt động", field="unit")
    if new_parent is not None and new_parent.path.startswith(unit.path):
        raise DomainError(
            f"Không thể chuyển '{unit}' vào chính nó hoặc đơn vị cấp dưới của nó ('{new_parent}')",
            field="parent",
        )
    _active_parent(new_parent)
    if (new_parent is not None and new_parent.pk == unit.parent_id) or (
        new_parent is None and not unit.parent_id
    ):
        raise DomainError(f"'{unit}' đã trực thuộc đơn vị này", field="parent")


@transaction.atomic
def move_unit(
    *, actor: User | None, unit: Unit, new_parent: Unit | None, effective_on: date, decision: str = ""
) -> ReorgEvent:
    """Attach `unit` (with its subtree) to another parent; roles over the old parent no longer reach it."""
    require_manage(actor, unit, NO_RIGHT)
    require_manage(actor, new_parent, "Bạn chỉ được chuyển đơn vị vào đơn vị mình quản lý")
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    _check_move(unit, new_parent)
    old_parent = unit.parent
    reparent(unit, new_parent)
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
    *, actor: User | None, unit: Unit, new_name: str, effective_on: date, decision: str = ""
) -> ReorgEvent:
    """Change the name of record from `effective_on`; the old name stays in the unit's lineage."""
    require_manage(actor, unit, NO_RIGHT)
    new_name = _check_name(new_name, "new_name")
    if unit.valid_to is not None:
        raise DomainError(f"Đơn vị '{unit}' đã ngừng hoạt động", field="unit")
    old_name = unit.name
    if new_name == old_name:
        raise DomainError("Tên mới trùng tên hiện tại", field="new_name")
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
        raise DomainError(f"Đơn vị '{unit}' đã ngừng hoạt động từ {unit.valid_to:%d/%m/%Y}", field="unit")
    if unit.valid_from is not None and effective_on <= unit.valid_from:
        raise DomainError(
            f"Ngày hiệu lực phải sau ngày '{unit}' bắt đầu hoạt động ({unit.valid_from:%d/%m/%Y})",
            field="effective_on",
        )
    unit.valid_to = effective_on - timedelta(days=1)
    unit.save(update_fields=["valid_to", "updated_at"])


def _roles_on(unit_ids: Sequence[int], on: date) -> list[Membership]:
    return list(
        Membership.objects.filter(unit_id__in=unit_ids)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .select_related("user", "unit")
        .order_by("unit__path", "role", "user__username")
    )


def _clusters_of(unit_ids: Sequence[int], year: int) -> list[ClusterMember]:
    return list(
        ClusterMember.objects.filter(unit_id__in=unit_ids, cluster__year__gte=year)
        .select_related("cluster", "unit")
        .order_by("cluster__year", "cluster__name")
    )


def _end_roles(roles: Sequence[Membership], effective_on: date, successor: Unit | None) -> list[str]:
    """End the roles held on ending units the day before; re-grant them on `successor` if given."""
    moved: list[str] = []
    for m in roles:
        if m.valid_from is not None and m.valid_from >= effective_on:
            if successor is None:
                m.delete()
            else:
                m.unit = successor
                m.save(update_fields=["unit", "updated_at"])
        else:
            m.valid_to = effective_on - timedelta(days=1)
            m.save(update_fields=["valid_to", "updated_at"])
            if successor is not None and not (
                Membership.objects.in_force(effective_on)
                .filter(user=m.user, unit=successor, role=m.role)
                .exists()
            ):
                Membership.objects.create(
                    user=m.user,
                    unit=successor,
                    role=m.role,
                    valid_from=effective_on,
                    valid_to=m.valid_to if m.valid_to and m.valid_to >= effective_on else None,
                    note=f"Chuyển từ {m.unit.name} khi tổ chức lại",
                )
        moved.append(f"{m.user.get_username()}: {m.get_role_display()}")
    return moved


def _replace_in_clusters(members: Sequence[ClusterMember], successor: Unit | None) -> list[str]:
    """Cluster seats of ending units (this year on): the successor takes the seat, else it is removed."""
    changed: list[str] = []
    for m in members:
        cluster, old_name = m.cluster, m.unit.name
        if successor is not None and not cluster.memberships.filter(unit=successor).exists():
            if cluster.head_unit_id == m.unit_id:
                cluster.head_unit = successor
                cluster.save(update_fields=["head_unit", "updated_at"])
            m.unit = successor
            m.save(update_fields=["unit"])
            changed.append(f"{cluster}: {successor.name} thay {old_name}")
        else:
            if cluster.head_unit_id == m.unit_id:
                cluster.head_unit = successor
                cluster.save(update_fields=["head_unit", "updated_at"])
            changed.append(f"{cluster}: bỏ {old_name}")
            m.delete()
    return changed


@transaction.atomic
def merge_units(
    *,
    actor: User | None,
    units: Sequence[Unit],
    into: Unit,
    effective_on: date,
    decision: str = "",
    transfer_people: bool = True,
) -> ReorgEvent:
    """Merge `units` into `into` (an existing unit, or one just created for the merger).

    The merged units end the day before `effective_on`; their sub-units, people, roles and seats in the
    clusters of that year on move to `into`; lineage links keep their history reachable from it.
    """
    others = [u for u in units if u.pk != into.pk]
    if not others:
        raise DomainError("Cần ít nhất một đơn vị được sáp nhập khác đơn vị tiếp nhận", field="units")
    require_manage(actor, into, "Bạn không có quyền với đơn vị tiếp nhận")
    for unit in others:
        require_manage(actor, unit, f"Bạn không có quyền với đơn vị '{unit}'")
    into = Unit.objects.select_for_update().get(pk=into.pk)
    if into.valid_to is not None:
        raise DomainError(
            f"Đơn vị tiếp nhận '{into}' đã ngừng hoạt động từ {into.valid_to:%d/%m/%Y}: không sáp nhập vào được",
            field="into",
        )
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
    roles: list[str] = []
    clusters: list[str] = []
    people = 0
    for unit in others:
        unit.refresh_from_db()
        # Sub-units follow into the successor.
        for child in Unit.objects.filter(parent=unit, valid_to__isnull=True):
            reparent(child, into)
        if transfer_people:
            from thidua.org.services.people import transfer_position

            for person in Person.objects.filter(current_unit=unit).in_service():
                transfer_position(person, into, effective_on, title=person.current_title)
                people += 1
        roles += _end_roles(_roles_on([unit.pk], effective_on), effective_on, into)
        clusters += _replace_in_clusters(_clusters_of([unit.pk], effective_on.year), into)
        _end_unit(unit, effective_on)
        ReorgLink.objects.create(event=event, predecessor=unit, successor=into)
    log(
        "unit.merged",
        actor=actor,
        obj=into,
        unit_path=into.path,
        detail=event.detail | {"decision": decision, "people": people, "roles": roles, "clusters": clusters},
    )
    return event


@dataclass(frozen=True)
class SplitPart:
    code: str
    name: str
    kind: str = Unit.Kind.KHAC


@transaction.atomic
def split_unit(
    *, actor: User | None, unit: Unit, parts: Sequence[SplitPart], effective_on: date, decision: str = ""
) -> tuple[ReorgEvent, list[Unit]]:
    """Split `unit` into new units under the same parent. Its people and sub-units must have been
    transferred to the new units first (a transfer has its own date and title)."""
    require_manage(actor, unit, NO_RIGHT)
    require_manage(actor, unit.parent, "Bạn không có quyền tạo đơn vị mới ở cấp trên của đơn vị này")
    if len(parts) < 2:
        raise DomainError("Chia tách cần ít nhất hai đơn vị mới", field="parts")
    codes = [p.code.strip() for p in parts]
    if len(set(codes)) != len(codes):
        raise DomainError("Các đơn vị mới phải có mã khác nhau", field="parts")
    if (
        Person.objects.filter(current_unit=unit).in_service().exists()
        or Unit.objects.filter(parent=unit, valid_to__isnull=True).exists()
    ):
        raise DomainError(
            f"Đơn vị '{unit}' còn nhân sự hoặc đơn vị cấp dưới: điều chuyển sang các đơn vị mới trước khi chia tách"
        )
    new_units = [
        _new_unit(code=p.code, name=p.name, kind=p.kind, parent=unit.parent, valid_from=effective_on)
        for p in parts
    ]
    roles = _end_roles(_roles_on([unit.pk], effective_on), effective_on, None)
    clusters = _replace_in_clusters(_clusters_of([unit.pk], effective_on.year), None)
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
        "unit.split",
        actor=actor,
        obj=unit,
        unit_path=unit.path,
        detail=event.detail
        | {
            "decision": decision,
            "created": [u.code for u in new_units],
            "roles": roles,
            "clusters": clusters,
        },
    )
    return event, new_units


@transaction.atomic
def dissolve_unit(*, actor: User | None, unit: Unit, effective_on: date, decision: str = "") -> ReorgEvent:
    """End a unit without successor. Its people and active sub-units must have moved first; roles held
    on it end and its seats in the clusters of that year on are removed."""
    require_manage(actor, unit, NO_RIGHT)
    if Person.objects.filter(current_unit=unit).in_service().exists():
        raise DomainError(f"Đơn vị '{unit}' còn nhân sự: điều chuyển trước khi giải thể")
    if Unit.objects.filter(parent=unit, valid_to__isnull=True).exists():
        raise DomainError(
            f"Đơn vị '{unit}' còn đơn vị cấp dưới đang hoạt động: chuyển hoặc sáp nhập chúng trước"
        )
    roles = _end_roles(_roles_on([unit.pk], effective_on), effective_on, None)
    clusters = _replace_in_clusters(_clusters_of([unit.pk], effective_on.year), None)
    _end_unit(unit, effective_on)
    event = ReorgEvent.objects.create(
        kind=ReorgEvent.Kind.DISSOLVE,
        effective_on=effective_on,
        decision=decision,
        detail={"unit": unit.name},
    )
    ReorgLink.objects.create(event=event, predecessor=unit, successor=unit)
    log(
        "unit.dissolved",
        actor=actor,
        obj=unit,
        unit_path=unit.path,
        detail={"decision": decision, "roles": roles, "clusters": clusters},
    )
    return event


# --- Preview ------------------------------------------------------------------------------------

PREVIEW_SAMPLE = 20


@dataclass
class ReorgPreview:
    """What a reorganisation would move or end, shown for confirmation before it is done."""

    kind: str
    units: list[Unit]
    into: Unit | None = None
    new_parent: Unit | None = None
    people: int = 0
    people_sample: list[Person] = field(default_factory=list)
    sub_units: list[Unit] = field(default_factory=list)
    subtree_people: int = 0
    roles: list[Membership] = field(default_factory=list)
    roles_lost: list[Membership] = field(default_factory=list)
    clusters: list[ClusterMember] = field(default_factory=list)
    others: list[tuple[str, int]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def preview_reorganisation(
    kind: str,
    units: Sequence[Unit],
    *,
    effective_on: date,
    into: Unit | None = None,
    new_parent: Unit | None = None,
) -> ReorgPreview:
    """What `merge` (units → into), `dissolve`, `split` (units[0]) or `move` (units[0] → new_parent)
    would touch: people, sub-units, roles, cluster seats, and what higher apps count (open dossiers)."""
    ids = [u.pk for u in units]
    preview = ReorgPreview(kind=kind, units=list(units), into=into, new_parent=new_parent)
    people = Person.objects.filter(current_unit_id__in=ids).in_service()
    preview.people = people.count()
    preview.people_sample = list(people.select_related("current_unit").vietnamese_order()[:PREVIEW_SAMPLE])
    preview.sub_units = list(Unit.objects.filter(parent_id__in=ids, valid_to__isnull=True).order_by("name"))
    if kind == "move":
        unit = units[0]
        preview.subtree_people = (
            Person.objects.filter(current_unit__path__startswith=unit.path).in_service().count()
        )
        new_path = new_parent.path if new_parent else "/"
        above = Membership.objects.in_force(effective_on).filter(unit_id__in=unit.ancestor_ids())
        preview.roles_lost = [
            m
            for m in above.select_related("user", "unit").order_by("unit__path", "role")
            if not new_path.startswith(m.unit.path)
        ]
        try:
            _check_move(unit, new_parent)
        except DomainError as exc:
            preview.problems.append(exc.message)
    else:
        preview.roles = _roles_on(ids, effective_on)
        preview.clusters = _clusters_of(ids, effective_on.year)
    preview.others = [(label, n) for label, n in reorg_counts(ids) if n]
    for unit in units:
        if unit.valid_to is not None:
            preview.problems.append(f"'{unit}' đã ngừng hoạt động từ {unit.valid_to:%d/%m/%Y}")
    if kind == "merge" and into is not None:
        if into.valid_to is not None:
            preview.problems.append(
                f"Đơn vị tiếp nhận '{into}' đã ngừng hoạt động từ {into.valid_to:%d/%m/%Y}"
            )
        for unit in units:
            if unit.pk == into.pk:
                preview.problems.append("Đơn vị tiếp nhận không được nằm trong danh sách sáp nhập")
            elif into.path.startswith(unit.path):
                preview.problems.append(f"'{into}' là đơn vị cấp dưới của '{unit}'")
    if kind in ("split", "dissolve") and (preview.people or preview.sub_units):
        preview.problems.append(
            "Còn nhân sự hoặc đơn vị cấp dưới đang hoạt động: điều chuyển sang đơn vị khác trước"
        )
    return preview


# --- Lineage ------------------------------------------------------------------------------------


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
