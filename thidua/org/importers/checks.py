"""Checking rows against the database and the actor's scope; `check_file` and `commit_file`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import DataError, IntegrityError, transaction
from django.utils.text import capfirst

from thidua.core.bulk import in_values
from thidua.core.errors import DomainError
from thidua.lib.ethnic_groups import ethnic_groups
from thidua.lib.memory import gc_paused
from thidua.lib.sheets import ExcelError
from thidua.lib.text import nfc
from thidua.org.citizen_id import CitizenIdError, validate_citizen_id
from thidua.org.importers.reading import Table, match_columns, read_table
from thidua.org.importers.spec import (
    SPECS,
    ImportFileError,
    ImportPlan,
    ImportSpec,
    Problem,
    Progress,
    RowResult,
)
from thidua.org.importers.values import PARSERS, CellError, display
from thidua.org.kinds import describe, kinds_of
from thidua.org.models import Person, Position, Unit
from thidua.org.organisation import current_organisation
from thidua.org.permissions import can_change_person, can_change_unit, can_import, is_system_admin
from thidua.org.services import PersonImport, UnitImport, import_people, import_units
from thidua.org.services.imports import PERSON_IMPORT_FIELDS, UNWRITABLE, RefusedValue


@dataclass
class Row:
    """One data row: parsed values of the non-empty cells, and the raw cells for reports."""

    number: int
    values: dict[str, Any]
    raw: dict[str, Any]


class _Checker:
    """Collects problems with the file's own headers."""

    def __init__(self, written: dict[str, str], spec: ImportSpec) -> None:
        self.problems: list[Problem] = []
        self.headers = {c.key: written.get(c.key, c.header) for c in spec.columns}

    def add(self, row: Row, key: str, message: str) -> None:
        self.problems.append(
            Problem(row.number, self.headers.get(key, key), display(row.raw.get(key)), message)
        )


def _parse_rows(table: Table, positions: dict[str, int], checker: _Checker) -> Iterator[Row]:
    """The rows, each parsed when asked for (its cell problems added then)."""
    columns = [(key, position, PARSERS[key]) for key, position in positions.items()]
    for number, cells in table.rows:
        row = Row(number=number, values={}, raw={})
        values, raws = row.values, row.raw
        width = len(cells)
        for key, position, parse in columns:
            raw = cells[position] if position < width else None
            if raw is None:
                continue
            if isinstance(raw, str) and not raw.strip():  # is_empty, inlined
                continue
            raws[key] = raw
            if isinstance(raw, ExcelError):
                checker.add(row, key, capfirst(raw.message) + ".")
                continue
            try:
                values[key] = parse(raw)
            except CellError as exc:
                checker.add(row, key, str(exc))
        yield row


def _column_values(table: Table, positions: dict[str, int], key: str) -> list[Any]:
    """The parsed values of one column, the cells that do not parse left out (their problems are
    the rows' own): what to look up in the database before the rows are checked one by one."""
    position = positions.get(key)
    if position is None:
        return []
    parse = PARSERS[key]
    values = []
    for _, cells in table.rows:
        raw = cells[position] if position < len(cells) else None
        if raw is None or isinstance(raw, ExcelError) or (isinstance(raw, str) and not raw.strip()):
            continue
        try:
            value = parse(raw)
        except CellError:
            continue
        if value:
            values.append(value)
    return values


# --- Checking units ----------------------------------------------------------------------------


def _may_change_unit(actor: Any, unit: Unit) -> bool:
    return actor is None or can_change_unit(actor, unit)


def _may_create_root(actor: Any) -> bool:
    return actor is None or is_system_admin(actor)


def _check_units(rows: list[Row], checker: _Checker, actor: Any, plan: ImportPlan) -> None:
    existing = {
        u.code: u
        for u in Unit.objects.select_related("parent").only(
            "id",
            "code",
            "name",
            "short_name",
            "kind",
            "parent__code",
            "parent__name",
            "path",
            "is_legal_entity",
            "province_code",
            "symbol",
            "place_name",
            "valid_from",
            "valid_to",
            "parent_id",
        )
    }
    organisation = current_organisation()
    kinds = kinds_of(organisation)
    kind_labels = {code: k.label for code, k in kinds.items()}
    first_row: dict[str, int] = {}
    in_file: dict[str, Row] = {}
    for row in rows:
        code = row.values.get("code")
        if not code:
            if "code" not in row.raw:
                checker.add(row, "code", "Thiếu mã đơn vị.")
            continue
        if code in first_row:
            checker.add(row, "code", f"Mã đơn vị trùng với dòng {first_row[code]} của tệp.")
            continue
        first_row[code] = row.number
        in_file[code] = row

    # The parent each unit will have once the file is applied (None = root).
    final_parent: dict[str, str | None] = {}
    for code, row in in_file.items():
        unit = existing.get(code)
        if "parent_code" in row.values:
            final_parent[code] = row.values["parent_code"]
        elif unit is not None:
            final_parent[code] = unit.parent.code if unit.parent else None
        else:
            final_parent[code] = None

    def parent_of(code: str) -> str | None:
        if code in final_parent:
            return final_parent[code]
        unit = existing.get(code)
        return unit.parent.code if unit is not None and unit.parent else None

    in_scope_cache: dict[str, bool] = {}

    def in_scope(code: str, seen: frozenset[str] = frozenset()) -> bool:
        """Whether the unit `code` sits inside the actor's scope once the file is applied."""
        if code in in_scope_cache:
            return in_scope_cache[code]
        if code in seen:
            return False
        unit = existing.get(code)
        moved = code in in_file and (
            unit is None or parent_of(code) != (unit.parent.code if unit.parent else None)
        )
        if unit is not None and not moved:
            result = _may_change_unit(actor, unit)
        else:
            parent = parent_of(code)
            result = _may_create_root(actor) if parent is None else in_scope(parent, seen | {code})
        in_scope_cache[code] = result
        return result

    for code, row in in_file.items():
        if "parent_code" in row.raw and "parent_code" not in row.values:
            continue  # an unreadable parent code is reported already; its parent is unknown
        unit = existing.get(code)
        parent_code = final_parent[code]
        problems_before = len(checker.problems)
        if unit is None and "name" not in row.values and "name" not in row.raw:
            checker.add(row, "name", "Thiếu tên đơn vị (bắt buộc với đơn vị mới).")
        if parent_code is not None:
            if parent_code == code:
                checker.add(row, "parent_code", "Đơn vị không thể là cấp trên của chính nó.")
            elif parent_code not in in_file and parent_code not in existing:
                checker.add(
                    row, "parent_code", f"Không có đơn vị mã '{parent_code}' trong hệ thống hay trong tệp."
                )
            else:
                # Walk up: a cycle inside the file, or a move under the unit's own subtree.
                seen = {code}
                current: str | None = parent_code
                while current is not None:
                    if current in seen:
                        checker.add(
                            row,
                            "parent_code",
                            "Quan hệ cấp trên tạo thành vòng lặp (đơn vị nằm dưới chính nó).",
                        )
                        break
                    seen.add(current)
                    current = parent_of(current)
                parent_unit = existing.get(parent_code)
                if parent_unit is not None and parent_unit.valid_to is not None:
                    checker.add(
                        row,
                        "parent_code",
                        f"Đơn vị cấp trên đã ngừng hoạt động từ {parent_unit.valid_to:%d/%m/%Y}.",
                    )
        if unit is not None and not _may_change_unit(actor, unit):
            checker.add(row, "code", "Đơn vị ngoài phạm vi quản lý của bạn: không được sửa.")
        elif len(checker.problems) == problems_before and not in_scope(code):
            key = "parent_code" if parent_code is not None else "code"
            message = (
                "Đơn vị cấp trên ngoài phạm vi quản lý của bạn."
                if parent_code is not None
                else "Chỉ quản trị hệ thống được tạo đơn vị gốc (không có cấp trên)."
            )
            checker.add(row, key, message)
        if len(checker.problems) != problems_before:
            continue

        fields: dict[str, Any] = {
            k: row.values[k]
            for k in (
                "name",
                "short_name",
                "kind",
                "is_legal_entity",
                "province_code",
                "symbol",
                "place_name",
                "valid_from",
            )
            if k in row.values
        }
        if unit is None and "is_legal_entity" not in row.raw and "kind" in fields:
            # A new school, sở or UBND xã is a legal entity unless the file says otherwise.
            fields["is_legal_entity"] = describe(fields["kind"], kinds).legal_entity
        if unit is None:
            plan.results.append(RowResult(row.number, code, fields.get("name", ""), "create"))
        else:
            if unit.valid_to is not None and (
                fields or parent_code != (unit.parent.code if unit.parent else None)
            ):
                checker.add(
                    row,
                    "code",
                    f"Đơn vị đã ngừng hoạt động từ {unit.valid_to:%d/%m/%Y}: không sửa bằng nhập tệp.",
                )
                continue
            changes = []
            for key, value in fields.items():
                before = getattr(unit, key)
                if before != value:
                    changes.append(
                        f"{checker.headers[key]}: {_show(before, key, kind_labels)} → {_show(value, key, kind_labels)}"
                    )
            old_parent = unit.parent.code if unit.parent else None
            if parent_code != old_parent:
                changes.append(f"Chuyển đơn vị cấp trên: {old_parent or '(gốc)'} → {parent_code or '(gốc)'}")
            plan.results.append(
                RowResult(
                    row.number,
                    code,
                    fields.get("name", unit.name),
                    "update" if changes else "unchanged",
                    changes,
                )
            )
        plan.operations.append(UnitImport(code=code, fields=fields, parent_code=parent_code))


def _show(value: Any, key: str, kind_labels: dict[str, str]) -> str:
    if key == "kind":
        return str(kind_labels.get(value, value))
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if value is None or value == "":
        return "(trống)"
    return display(value)


# --- Checking people ---------------------------------------------------------------------------


def _check_people(
    rows: Iterable[Row],
    cids: list[str],
    checker: _Checker,
    actor: Any,
    plan: ImportPlan,
    progress: Progress | None,
    total: int,
) -> Iterator[PersonImport]:
    """Look up what the rows need (`cids`: the citizen ids of the file), then check the rows one by
    one as they are asked for, yielding each row without a problem as it will be written. No query
    once the rows are asked for: the rows yielded may be written while the next ones are checked."""
    today = date.today()
    units_by_code: dict[str, Unit] = {}
    units_by_id: dict[int, Unit] = {}
    for known in Unit.objects.only("id", "code", "name", "path", "valid_to"):
        units_by_code[known.code] = known
        units_by_id[known.pk] = known
    existing: dict[str, Person] = {}
    for where in in_values(Person, "citizen_id", cids, "text"):
        for found in Person.objects.filter(**where):
            existing[found.citizen_id] = found
    open_start: dict[int, date] = {}
    ids = [p.pk for p in existing.values()]
    for where in in_values(Position, "person_id", ids, "bigint"):
        for person_id, opened_on in Position.objects.filter(**where, ended_on__isnull=True).values_list(
            "person_id", "started_on"
        ):
            open_start[person_id] = max(opened_on, open_start.get(person_id, opened_on))
    gender_labels = dict(Person.Gender.choices)
    ethnic_labels = dict(ethnic_groups())

    def checked() -> Iterator[PersonImport]:
        first_row: dict[str, int] = {}
        for index, row in enumerate(rows, start=1):
            if progress is not None and (index % 500 == 0 or index == total):
                progress(index, total)
            problems_before = len(checker.problems)
            values = row.values
            cid = values.get("citizen_id")
            if not cid:
                if "citizen_id" not in row.raw:
                    checker.add(row, "citizen_id", "Thiếu số CCCD.")
                continue
            if cid in first_row:
                checker.add(row, "citizen_id", f"Số CCCD trùng với dòng {first_row[cid]} của tệp.")
                continue
            first_row[cid] = row.number
            person = existing.get(cid)
            if person is None:
                for key, label in (
                    ("full_name", "họ và tên"),
                    ("gender", "giới tính"),
                    ("unit_code", "mã đơn vị"),
                ):
                    if key not in row.raw:
                        checker.add(row, key, f"Thiếu {label} (bắt buộc với nhân sự mới).")
            birth = values.get("date_of_birth")
            if birth is not None and birth > today:
                checker.add(row, "date_of_birth", "Ngày sinh ở tương lai.")
            for key in ("recruited_on", "started_on"):
                day = values.get(key)
                if day is not None and birth is not None and day <= birth:
                    checker.add(row, key, "Ngày phải sau ngày sinh.")
            # A cell that failed to parse is reported already: check the id against what is known.
            gender = values.get("gender") or (
                None if "gender" in row.raw else (person.gender if person else None)
            )
            birth_for_id = birth or (
                None if "date_of_birth" in row.raw else (person.date_of_birth if person else None)
            )
            try:
                validate_citizen_id(cid, gender=gender, date_of_birth=birth_for_id)
            except CitizenIdError as exc:
                checker.add(row, "citizen_id", str(exc))
            unit: Unit | None = None
            unit_code = values.get("unit_code")
            if unit_code:
                unit = units_by_code.get(unit_code)
                if unit is None:
                    checker.add(
                        row,
                        "unit_code",
                        f"Không có đơn vị mã '{unit_code}' trong hệ thống (hãy nhập đơn vị trước).",
                    )
                elif unit.valid_to is not None:
                    checker.add(
                        row,
                        "unit_code",
                        f"Đơn vị '{unit.name}' đã ngừng hoạt động từ {unit.valid_to:%d/%m/%Y}.",
                    )
                elif not _may_change_unit(actor, unit):
                    checker.add(row, "unit_code", "Đơn vị ngoài phạm vi quản lý của bạn.")
            if person is not None:
                current_unit = units_by_id.get(person.current_unit_id) if person.current_unit_id else None
                if current_unit is not None:
                    person.current_unit = current_unit
                if actor is not None and not can_change_person(actor, person):
                    checker.add(row, "citizen_id", "Nhân sự này thuộc đơn vị ngoài phạm vi quản lý của bạn.")
            if len(checker.problems) != problems_before:
                continue

            fields: dict[str, Any] = {k: values[k] for k in PERSON_IMPORT_FIELDS if k in values}
            title: str | None = values.get("title")
            started_on: date | None = values.get("started_on")
            operation = PersonImport(
                citizen_id=cid, fields=fields, unit_code=unit_code, title=title, started_on=started_on
            )
            if person is None:
                plan.results.append(RowResult(row.number, cid, fields.get("full_name", ""), "create"))
                plan.operations.append(operation)
                yield operation
                continue
            changes = []
            for key, value in fields.items():
                before = getattr(person, key)
                if key == "full_name":
                    value = " ".join(nfc(value).split())
                if before != value:
                    choices: dict[str, dict[Any, str]] = {
                        "gender": gender_labels,
                        "ethnicity": ethnic_labels,
                        "is_direct_worker": {True: "Có", False: "Không"},
                    }
                    labels = choices.get(key, {})
                    show_before, show_after = labels.get(before, before), labels.get(value, value)
                    changes.append(
                        f"{checker.headers[key]}: {display(show_before) or '(trống)'} → {display(show_after)}"
                    )
            moves_unit = unit is not None and unit.pk != person.current_unit_id
            current_start = open_start.get(person.pk)
            if moves_unit:
                if started_on is None:
                    checker.add(row, "started_on", "Cần 'Từ ngày' khi chuyển nhân sự sang đơn vị khác.")
                    continue
                if current_start is not None and started_on <= current_start:
                    checker.add(
                        row,
                        "started_on",
                        f"Ngày điều chuyển phải sau ngày bắt đầu vị trí hiện tại ({current_start:%d/%m/%Y}).",
                    )
                    continue
                old_name = person.current_unit.name if person.current_unit else "(chưa có)"
                assert unit is not None
                changes.append(f"Điều chuyển: {old_name} → {unit.name} từ {started_on:%d/%m/%Y}")
            if title is not None and title != person.current_title:
                if (
                    not moves_unit
                    and started_on is not None
                    and current_start is not None
                    and started_on < current_start
                ):
                    checker.add(
                        row,
                        "started_on",
                        f"Ngày bắt đầu chức vụ mới phải sau ngày bắt đầu vị trí hiện tại ({current_start:%d/%m/%Y}).",
                    )
                    continue
                changes.append(f"Chức vụ: {person.current_title or '(trống)'} → {title}")
            plan.results.append(
                RowResult(
                    row.number,
                    cid,
                    fields.get("full_name", person.full_name),
                    "update" if changes else "unchanged",
                    changes,
                )
            )
            plan.operations.append(operation)
            yield operation

    return checked()


# --- Entry points ------------------------------------------------------------------------------


@dataclass
class _Opened:
    """A file read and its headers matched: what checking its rows needs."""

    spec: ImportSpec
    table: Table
    positions: dict[str, int]
    checker: _Checker


def _open(kind: str, data: bytes, filename: str, actor: Any, plan: ImportPlan) -> _Opened | None:
    """Read the file and match its headers; None (with the problems in `plan`) if that fails."""
    spec = SPECS[kind]
    if actor is not None and not can_import(actor):
        plan.problems.append(Problem(None, "", "", "Bạn không có quyền nhập dữ liệu."))
        return None
    try:
        table = read_table(data, filename, spec)
    except ImportFileError as exc:
        plan.problems.append(Problem(None, "", "", exc.message))
        return None
    positions, written, header_problems = match_columns(table, spec)
    if header_problems:
        other = SPECS["people" if spec.kind == "units" else "units"]
        if not match_columns(table, other)[2]:
            header_problems.insert(
                0,
                Problem(
                    None,
                    "",
                    "",
                    f"Tệp này là danh sách {other.label}, không phải {spec.label}: hãy chọn đúng loại dữ liệu.",
                ),
            )
        plan.problems.extend(header_problems)
        return None
    if not table.rows:
        plan.problems.append(Problem(None, "", "", "Tệp chỉ có dòng tiêu đề, không có dòng dữ liệu nào."))
        return None
    return _Opened(spec, table, positions, _Checker(written, spec))


def _people(
    opened: _Opened, actor: Any, plan: ImportPlan, progress: Progress | None, cids: list[str]
) -> Iterator[PersonImport]:
    table, positions = opened.table, opened.positions
    rows = _parse_rows(table, positions, opened.checker)
    return _check_people(rows, cids, opened.checker, actor, plan, progress, len(table.rows))


def _finish(plan: ImportPlan, opened: _Opened) -> None:
    """The problems in file order (row, then column); no results or operations if there is one."""
    checker = opened.checker
    order = {c.key: i for i, c in enumerate(opened.spec.columns)}
    header_order = {checker.headers[k]: order[k] for k in order}
    plan.problems = sorted(checker.problems, key=lambda p: (p.row or 0, header_order.get(p.column, 99)))
    if plan.problems:
        plan.results.clear()
        plan.operations.clear()
    plan.results.sort(key=lambda r: r.row)


@gc_paused()  # 100,000 rows of small objects: no cycles to look for (thidua.lib.memory)
def check_file(
    kind: str, data: bytes, filename: str, *, actor: Any, progress: Progress | None = None
) -> ImportPlan:
    """Read and check a whole file without writing anything: all problems, or what each row will do."""
    plan = ImportPlan(kind=SPECS[kind].kind, filename=filename)
    opened = _open(kind, data, filename, actor, plan)
    if opened is None:
        return plan
    if opened.spec.kind == "units":
        rows = list(_parse_rows(opened.table, opened.positions, opened.checker))
        _check_units(rows, opened.checker, actor, plan)
    else:
        cids = _column_values(opened.table, opened.positions, "citizen_id")
        for _ in _people(opened, actor, plan, progress, cids):
            pass
    _finish(plan, opened)
    return plan


class _Refused(Exception):
    """A row has a problem: stop writing (the rows already written are rolled back)."""


def _until_a_problem(operations: Iterator[PersonImport], checker: _Checker) -> Iterator[PersonImport]:
    for operation in operations:
        if checker.problems:
            raise _Refused
        yield operation
    if checker.problems:
        raise _Refused


@gc_paused()
def commit_file(
    kind: str, data: bytes, filename: str, *, actor: Any, progress: Progress | None = None
) -> ImportPlan:
    """Check the file again and, only if nothing is wrong, write it all in one transaction.

    People: the rows are checked and written in one pass (the new people go to the database while
    the next rows are checked); at the first problem the writing stops and is rolled back, and the
    checking goes on to the last row, so the report is the one `check_file` gives."""
    plan = ImportPlan(kind=SPECS[kind].kind, filename=filename)
    try:
        with transaction.atomic():
            opened = _open(kind, data, filename, actor, plan)
            if opened is None:
                return plan
            if opened.spec.kind == "units":
                rows = list(_parse_rows(opened.table, opened.positions, opened.checker))
                _check_units(rows, opened.checker, actor, plan)
                _finish(plan, opened)
                if plan.ok:
                    plan.summary = import_units(plan.operations, actor=actor, source=filename)
                return plan
            _commit_people(plan, opened, actor, filename, progress)
    except DomainError as exc:
        plan.problems.append(Problem(None, "", "", exc.message))
        plan.summary = None
    except DataError:
        # A value the database refused that no check stopped, on a row it does not name.
        plan.problems.append(Problem(None, "", "", UNWRITABLE))
        plan.summary = None
    except IntegrityError:
        # Someone else wrote the same code or citizen id between our check and our write.
        plan.problems.append(
            Problem(
                None, "", "", "Dữ liệu vừa được người khác thay đổi trong lúc ghi: không ghi gì, hãy thử lại."
            )
        )
        plan.summary = None
    return plan


def _commit_people(
    plan: ImportPlan, opened: _Opened, actor: Any, filename: str, progress: Progress | None
) -> None:
    checker = opened.checker
    cids = _column_values(opened.table, opened.positions, "citizen_id")
    unit_codes = set(_column_values(opened.table, opened.positions, "unit_code"))
    operations = _people(opened, actor, plan, progress, cids)
    try:
        summary = import_people(
            _until_a_problem(operations, checker),
            actor=actor,
            source=filename,
            citizen_ids=set(cids),
            unit_codes=unit_codes,
        )
    except RefusedValue as exc:
        # Rolled back: a value the checks let through and the database refused, said of its row.
        number = next((r.row for r in plan.results if r.key == exc.citizen_id), None)
        checker.problems.append(
            Problem(
                number,
                checker.headers.get(exc.field or "", exc.field or ""),
                display(exc.value),
                exc.reason[0].upper() + exc.reason[1:] + ".",
            )
        )
        for _ in operations:
            pass
        _finish(plan, opened)
        return
    except (_Refused, DomainError, PermissionDenied, IntegrityError):
        # Rolled back. Check the rows left, for the whole report; a row's problem comes first, as
        # when the whole file is checked before writing (the service never sees a refused file).
        for _ in operations:
            pass
        _finish(plan, opened)
        if not plan.problems:
            raise
        return
    _finish(plan, opened)
    plan.summary = summary


def iter_problem_lines(plan: ImportPlan) -> Iterator[str]:
    for problem in plan.problems:
        yield str(problem)
