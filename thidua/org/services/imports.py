"""Bulk import: the importers (`thidua.org.importers`) read and check a file row by row, with row
numbers for the user; these services write the checked rows in one transaction with bulk queries, keep
the same invariants as the one-by-one services (paths, positions, `current_unit`) and write ONE audit
entry. The importers check the actor's scope row by row, and these services check it again before
writing (`require_manage`, `_scope_rule`); `actor` None is the command line."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import DataError, transaction
from django.utils import timezone

from thidua.accounts.models import User
from thidua.audit.services import log
from thidua.core.bulk import RowDataError, bulk_insert, in_values, insert_rows
from thidua.core.db import analyze
from thidua.core.errors import DomainError
from thidua.lib.sheets import NUL_REFUSED
from thidua.lib.text import name_columns
from thidua.org.models import Person, Position, ReorgEvent, ReorgLink, Unit
from thidua.org.permissions import is_system_admin, manage_scope_paths
from thidua.org.privacy import mask_citizen_id
from thidua.org.services.common import require_manage
from thidua.org.services.people import check_person_fields
from thidua.org.services.units import reparent, set_path


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
    rows: Sequence[UnitImport], *, actor: User | None, source: str = "", effective_on: date | None = None
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
        # The importers' rule, again here: a new unit under a unit the actor manages (a root: system
        # administrators only), an existing unit the actor manages.
        require_manage(actor, parent if unit is None else unit, f"Đơn vị '{row.code}': {IMPORT_REFUSED}")
        if unit is None:
            unit = Unit(code=row.code, parent=parent, **row.fields)
            unit.save()
            set_path(unit)
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
            reparent(unit, parent)
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


IMPORT_REFUSED = "bạn không có quyền nhập dữ liệu ngoài phạm vi đơn vị mình quản lý"


def _scope_rule(
    actor: User | None, existing: dict[str, Person]
) -> Callable[[PersonImport, Unit | None], None]:
    """The importers' rule, again here, row by row without a query (the rows may come while the new
    people are being written): the named unit, and the current unit of an existing person, is one
    the actor manages (`actor` None: the command line). PermissionDenied otherwise."""
    if actor is None or is_system_admin(actor):
        return lambda row, unit: None
    paths = manage_scope_paths(actor)

    def managed(unit: Unit | None) -> bool:
        return unit is not None and any(unit.path.startswith(p) for p in paths)

    def check(row: PersonImport, unit: Unit | None) -> None:
        person = existing.get(row.citizen_id)
        if (unit is not None and not managed(unit)) or (
            person is not None and not managed(person.current_unit)
        ):
            raise PermissionDenied(f"Số CCCD {mask_citizen_id(row.citizen_id)}: {IMPORT_REFUSED}")

    return check


# The person's own fields a row of the file may set, besides the name (the checker builds a row's
# `fields` from this list; `_person_columns` fills them for a new person).
PERSON_FIELDS = (
    "gender",
    "date_of_birth",
    "recruited_on",
    "email",
    "phone",
    "is_direct_worker",
    "ethnicity",
)
PERSON_IMPORT_FIELDS = ("full_name", *PERSON_FIELDS)
_PERSON_COLUMNS = (
    "citizen_id",
    "full_name",
    "name_folded",
    "sort_key",
    *PERSON_FIELDS,
    "current_unit_id",
    "current_title",
)  # and the timestamps, the same for every row (`insert_rows(…, constants=…)`)
_POSITION_COLUMNS = ("person_id", "unit_id", "title", "started_on")


def _person_columns() -> Callable[[PersonImport, Unit], tuple[Any, ...]]:
    """How a new person's row is made for `insert_rows(Person, _PERSON_COLUMNS, …)`: a plain tuple,
    the name columns filled as `Person.derive_fields` does, without a model object per row."""
    fields_by_name = {f.name: f for f in Person._meta.concrete_fields}
    defaults = {name: fields_by_name[name].get_default() for name in PERSON_FIELDS}
    known = set(PERSON_IMPORT_FIELDS)

    def columns(row: PersonImport, unit: Unit) -> tuple[Any, ...]:
        fields = row.fields
        if not fields.keys() <= known:
            raise ValueError(f"import_people: unknown person fields {sorted(fields.keys() - known)}")
        full_name, folded, sort_key = name_columns(fields["full_name"])
        return (
            row.citizen_id,
            full_name,
            folded,
            sort_key,
            *[fields.get(name, default) for name, default in defaults.items()],
            unit.pk,
            row.title or "",
        )

    return columns


class RefusedValue(DomainError):
    """A value of one row that the database refused (too long for its column, out of range, a NUL
    byte): the importers' checks should have stopped it. `citizen_id` names the row, `field` the
    import field (`PERSON_IMPORT_FIELDS`, "title", "started_on"), `value` what was sent, `reason` why
    (Vietnamese, without the row)."""

    def __init__(self, citizen_id: str, field: str, value: Any, reason: str) -> None:
        super().__init__(f"Số CCCD {citizen_id}: {reason}", field=field)
        self.citizen_id = citizen_id
        self.value = value
        self.reason = reason


# A column written by the import → the import field it comes from.
_IMPORT_FIELD_OF = {"current_title": "title", "name_folded": "full_name", "sort_key": "full_name"}


def _refused(exc: RowDataError, model: type[Person] | type[Position], written: Sequence[Any]) -> DomainError:
    """The database's refusal of a bulk insert (`RowDataError`), said of the row it came from:
    `written[exc.row]`, a `PersonImport` (a new person and their first position) or a `Position`."""
    if exc.row is None or not 0 <= exc.row < len(written):
        return DomainError(UNWRITABLE)
    item = written[exc.row]
    values: dict[str, Any]
    if isinstance(item, PersonImport):
        citizen_id = item.citizen_id
        values = {**item.fields, "title": item.title, "started_on": item.started_on}
    else:
        citizen_id = item.person.citizen_id
        values = {"title": item.title, "started_on": item.started_on}
    attname = exc.field or ""
    field = _IMPORT_FIELD_OF.get(attname, attname)
    if field not in values:  # psycopg refused the row before sending it (a NUL byte), naming no column
        field = next((k for k, v in values.items() if isinstance(v, str) and "\x00" in v), "")
    value = values.get(field)
    column = next((f for f in model._meta.concrete_fields if f.attname == attname), None)
    reason = _reason(column, value) or "giá trị không ghi được vào cơ sở dữ liệu (ngoài phạm vi cho phép)"
    return RefusedValue(citizen_id, field, value, reason)


def _reason(column: Any, value: Any) -> str | None:
    """Why the database cannot hold `value` in `column`, if it is plain to see (a NUL byte, too long)."""
    if not isinstance(value, str):
        return None
    if "\x00" in value:
        return NUL_REFUSED
    max_length = getattr(column, "max_length", None)
    if max_length and len(value) > max_length:
        return f"dài {len(value)} ký tự, quá giới hạn {max_length} ký tự"
    return None


@contextmanager
def _refusals_named(
    objs: Sequence[Person] | Sequence[Position],
    attnames: Sequence[str],
    citizen_of: Mapping[int, str] | None = None,
) -> Iterator[None]:
    """A DataError of a bulk UPDATE of `objs` (which names no row) as a `RefusedValue` of the first
    value the database plainly cannot hold; a DomainError saying so if none is found. A position's
    person is named from `citizen_of` (person id → citizen id): the transaction is broken by then,
    no query may run."""
    try:
        yield
    except DataError as exc:
        for obj in objs:
            columns = {f.attname: f for f in type(obj)._meta.concrete_fields}
            for attname in attnames:
                value = getattr(obj, attname)
                reason = _reason(columns.get(attname), value)
                if reason is not None:
                    citizen_id = (
                        obj.citizen_id
                        if isinstance(obj, Person)
                        else (citizen_of or {}).get(obj.person_id, "")
                    )
                    field = _IMPORT_FIELD_OF.get(attname, attname)
                    raise RefusedValue(citizen_id, field, value, reason) from exc
        raise DomainError(UNWRITABLE) from exc


UNWRITABLE = (
    "Một giá trị trong tệp không ghi được vào cơ sở dữ liệu (quá dài, ngoài phạm vi cho phép hoặc có "
    "ký tự không hợp lệ): không ghi gì. Hãy kiểm tra lại tệp."
)


@transaction.atomic
def import_people(
    rows: Iterable[PersonImport],
    *,
    actor: User | None,
    source: str = "",
    progress: Callable[[int, int], None] | None = None,
    citizen_ids: Collection[str] | None = None,
    unit_codes: Collection[str] | None = None,
) -> ImportSummary:
    """Create or update people by citizen id, in bulk queries.

    A new person gets a first position (from `started_on`, else the recruitment date, else today).
    A different unit (or title) for an existing person closes the open position the day before
    `started_on` and opens a new one, like `transfer_person`: the position history is kept.
    A title change without a later date corrects the open position's title in place.
    Writes one `import.committed` audit entry with the counts and the citizen ids.

    `rows` may be an iterator, read once: an importer checking a file row by row hands each checked
    row over at once, and the new people are written as they come (one `COPY` on PostgreSQL: the
    server stores them while Python checks the next rows). Existing people and units are looked up
    before the first row, so an iterator needs `citizen_ids` (every citizen id it may yield) and
    `unit_codes` (every unit code); no query may run while the rows come. An exception raised by
    the iterator stops the writing and rolls everything back.
    """
    today = date.today()
    if citizen_ids is None or unit_codes is None:
        rows = list(rows)
        citizen_ids = [r.citizen_id for r in rows]
        unit_codes = {r.unit_code for r in rows if r.unit_code}
    cids = list(citizen_ids)
    known_cids = set(cids)
    existing: dict[str, Person] = {}
    for where in in_values(Person, "citizen_id", cids, "text"):
        existing.update(
            (p.citizen_id, p) for p in Person.objects.filter(**where).select_related("current_unit")
        )
    open_positions: dict[int, list[Position]] = {}
    person_ids = [p.pk for p in existing.values()]
    for where in in_values(Position, "person_id", person_ids, "bigint"):
        for pos in Position.objects.filter(**where, ended_on__isnull=True).order_by("started_on"):
            open_positions.setdefault(pos.person_id, []).append(pos)  # the last one is the current one
    units = {u.code: u for u in Unit.objects.filter(code__in=sorted(unit_codes))}
    check_scope = _scope_rule(actor, existing)

    summary = ImportSummary(created=[], updated=[], unchanged=[], moved=[])
    new_positions_of: list[tuple[Unit, str, date]] = []  # (unit, title, started on) of each new person
    created_rows: list[PersonImport] = []  # the rows of the new people, in the order they are written
    changed_people: list[Person] = []
    changed_fields: set[str] = set()
    closed_positions: list[Position] = []
    retitled_positions: list[Position] = []
    new_positions: list[Position] = []
    touched_paths: set[str] = set()
    now = timezone.now()
    person_columns = _person_columns()
    seen: set[str] = set()
    total = len(known_cids)

    def new_people() -> Iterator[tuple[Any, ...]]:
        """Runs over every row; yields the new people's rows (no query in here: see the docstring)."""
        for index, row in enumerate(rows, start=1):
            if progress is not None:
                progress(index, total)
            if row.citizen_id in seen:
                raise DomainError("Một số CCCD xuất hiện nhiều lần trong dữ liệu nhập")
            if row.citizen_id not in known_cids:
                raise ValueError(f"import_people: citizen id {row.citizen_id} not in citizen_ids")
            seen.add(row.citizen_id)
            unit = units.get(row.unit_code) if row.unit_code else None
            check_scope(row, unit)
            if row.unit_code and unit is None:
                raise DomainError(f"Mã đơn vị '{row.unit_code}' không tồn tại", field="unit")
            if unit is not None and unit.valid_to is not None:
                raise DomainError(f"Đơn vị '{unit}' đã ngừng hoạt động", field="unit")
            person = existing.get(row.citizen_id)
            if person is None:
                if unit is None:
                    raise DomainError(
                        f"Số CCCD {row.citizen_id}: cần mã đơn vị cho nhân sự mới", field="unit"
                    )
                check_person_fields(row.citizen_id, row.fields["gender"], row.fields.get("date_of_birth"))
                created_rows.append(row)  # before the yield: a row refused while it is written is named
                yield person_columns(row, unit)
                started_on = row.started_on or row.fields.get("recruited_on") or today
                new_positions_of.append((unit, row.title or "", started_on))
                summary.created.append(row.citizen_id)
                touched_paths.add(unit.path)
                continue
            plan_update(person, row, unit)

    def plan_update(person: Person, row: PersonImport, unit: Unit | None) -> None:
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

    # Ids for every citizen id not known yet, taken before the COPY (the positions point at them).
    new_count = len(known_cids - existing.keys())
    people_rows = new_people()
    stamps = {"created_at": now, "updated_at": now}
    try:
        ids = insert_rows(Person, _PERSON_COLUMNS, people_rows, count=new_count, constants=stamps)
    except RowDataError as exc:
        raise _refused(exc, Person, created_rows) from exc
    for _ in people_rows:  # without a new person, insert_rows does not run the rows: run them here
        raise ValueError("import_people: more new people than citizen ids not known yet")
    if new_positions_of:
        try:
            insert_rows(
                Position,
                _POSITION_COLUMNS,
                (
                    (person_id, unit.pk, title, started_on)
                    for person_id, (unit, title, started_on) in zip(ids, new_positions_of, strict=True)
                ),
                count=len(new_positions_of),
                constants=stamps,
            )
        except RowDataError as exc:
            raise _refused(exc, Position, created_rows) from exc
    if changed_people:
        fields = sorted(changed_fields | {"updated_at"})
        with _refusals_named(changed_people, fields):
            Person.objects.bulk_update(changed_people, fields, batch_size=500)
    if closed_positions:
        Position.objects.bulk_update(closed_positions, ["ended_on", "updated_at"], batch_size=500)
    if retitled_positions:
        with _refusals_named(retitled_positions, ["title"], {p.pk: cid for cid, p in existing.items()}):
            Position.objects.bulk_update(retitled_positions, ["title", "updated_at"], batch_size=500)
    if new_positions:
        try:
            bulk_insert(Position, new_positions)
        except RowDataError as exc:
            raise _refused(exc, Position, new_positions) from exc
    if ids or changed_people:
        # Fresh planner statistics (PostgreSQL): before ANALYZE a name search over a freshly loaded
        # table can take seconds.
        transaction.on_commit(lambda: analyze([Person, Position]))
    entry = log(
        "import.committed",
        actor=actor,
        unit_path=_common_path(touched_paths),
        object_repr=f"Nhập nhân sự từ {source}" if source else "Nhập nhân sự",
        detail={
            "kind": "people",
            "source": source,
            "counts": summary.counts,
            # Citizen ids are masked in the log, which unit heads read too (docs/permissions.md).
            "created": [mask_citizen_id(c) for c in summary.created],
            "updated": [mask_citizen_id(c) for c in summary.updated],
            "transferred": [mask_citizen_id(c) for c in summary.moved],
        },
    )
    summary.audit_id = entry.pk
    return summary
