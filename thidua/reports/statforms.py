"""Statistical forms as data (rows, columns, filters), evaluated over the pre-aggregated counts.

The TĐKT forms of the Home Affairs reporting regime (Thông tư 18/2025/TT-BNV) could not be checked
against the circular's annex here, so ThiĐua ships its best reading (`data/tt18-*.yaml`, marked
UNCONFIRMED) and an organisation may replace any form with its own YAML (`ReportForm`), checked
here with field paths in the error messages.

A cell counts what its row's and its column's `where` both select, on top of the form's `filters`:
for `source: awards` over `AwardTally` rows (`awards` ids, with * patterns; `level`; `kind`;
`subject`), for `source: movements` over the year's movements in scope (`kind`, `authority`,
`status`, `implements_pm`).
"""

from __future__ import annotations

import fnmatch
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml
from django.db.models import QuerySet
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from thidua.core.errors import DomainError
from thidua.movements.models import Movement
from thidua.org.models import Unit
from thidua.reports import stats
from thidua.reports.levels import levels
from thidua.reports.report import Col, Report, Section

DATA = Path(__file__).resolve().parent / "data"
MAX_TEXT = 50_000
AWARD_MEASURES = ("count", "women", "direct_workers", "minorities", "prize_vnd")
MOVEMENT_MEASURES = (
    "movements",
    "launched_in_year",
    "participants",
    "registered",
    "registered_on_time",
    "results",
    "results_on_time",
)


class Where(BaseModel):
    model_config = ConfigDict(extra="forbid")

    awards: list[str] | None = None
    level: list[str] | None = None
    kind: list[str] | None = None
    subject: Literal["person", "unit"] | None = None
    authority: list[str] | None = None
    status: list[str] | None = None
    implements_pm: bool | None = None

    @field_validator("level")
    @classmethod
    def _levels(cls, value: list[str] | None) -> list[str] | None:
        known = {lv.id for lv in levels()}
        for item in value or []:
            if item not in known:
                raise ValueError(f"cấp '{item}' không có (dùng: {', '.join(sorted(known))})")
        return value


class RowDef(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: str = Field(min_length=1, max_length=200)
    where: Where = Where()


class ColumnDef(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: str = Field(min_length=1, max_length=120)
    measure: str
    where: Where = Where()


class FormDef(BaseModel):
    """One statistical form."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9\-]{1,58}$")
    code: str = Field(max_length=60)
    title: str = Field(min_length=1, max_length=300)
    basis: str = Field(default="", max_length=500)
    confidence: Literal["CONFIRMED", "SINGLE-SOURCE", "UNCONFIRMED"] = "UNCONFIRMED"
    note: str = Field(default="", max_length=1000)
    source: Literal["awards", "movements"]
    year_field: Literal["year", "decided_year"] = "year"
    filters: Where = Where()
    rows: list[RowDef] = Field(min_length=1, max_length=100)
    columns: list[ColumnDef] = Field(min_length=1, max_length=20)

    @model_validator(mode="after")
    def _measures(self) -> FormDef:
        allowed = AWARD_MEASURES if self.source == "awards" else MOVEMENT_MEASURES
        for i, column in enumerate(self.columns):
            if column.measure not in allowed:
                raise ValueError(
                    f"columns.{i}.measure: '{column.measure}' không dùng được với source {self.source} "
                    f"(dùng: {', '.join(allowed)})"
                )
        return self


def _describe(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors()[:5]:
        where = ".".join(str(p) for p in error["loc"]) or "(toàn biểu)"
        parts.append(f"{where}: {error['msg']}")
    return "; ".join(parts)


def parse_form(text: str) -> FormDef:
    """A form definition from YAML, or a DomainError saying where it is wrong."""
    if len(text) > MAX_TEXT:
        raise DomainError("Định nghĩa biểu quá dài", field="text")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (dòng {mark.line + 1})" if mark is not None else ""
        raise DomainError(f"Không đọc được YAML{where}", field="text") from exc
    if not isinstance(data, dict):
        raise DomainError(
            "Định nghĩa biểu phải là một bảng khóa: giá trị (id, title, rows, columns…)", field="text"
        )
    try:
        return FormDef.model_validate(data)
    except ValidationError as exc:
        raise DomainError(f"Định nghĩa biểu chưa đúng: {_describe(exc)}", field="text") from exc
    except ValueError as exc:
        raise DomainError(f"Định nghĩa biểu chưa đúng: {exc}", field="text") from exc


@cache
def shipped() -> dict[str, tuple[FormDef, str]]:
    """The forms shipped with ThiĐua: id → (definition, YAML text)."""
    out = {}
    for path in sorted(DATA.glob("tt18-*.yaml")):
        text = path.read_text(encoding="utf-8")
        form = parse_form(text)
        out[form.id] = (form, text)
    return out


# -- evaluation ----------------------------------------------------------------------------------
def _award_matches(where: Where, row: dict[str, Any]) -> bool:
    if where.awards is not None and not any(fnmatch.fnmatchcase(row["award_id"], p) for p in where.awards):
        return False
    if where.level is not None and row["level"] not in where.level:
        return False
    if where.kind is not None and row["kind"] not in where.kind:
        return False
    return where.subject is None or row["subject"] == where.subject


def _movement_matches(where: Where, line: stats.MovementLine) -> bool:
    m = line.movement
    if where.kind is not None and m.kind not in where.kind:
        return False
    if where.authority is not None and m.authority not in where.authority:
        return False
    if where.status is not None and m.status not in where.status:
        return False
    if where.implements_pm is not None:
        pm = m.parent is not None and m.parent.authority == Movement.Authority.THU_TUONG
        if pm != where.implements_pm:
            return False
    return True


def _movement_value(measure: str, line: stats.MovementLine, year: int) -> int:
    if measure == "movements":
        return 1
    if measure == "launched_in_year":
        return int(line.movement.launched_on is not None and line.movement.launched_on.year == year)
    if measure == "participants":
        return line.units
    return int(getattr(line, measure))


def evaluate(form: FormDef, unit: Unit, year: int, movements: QuerySet[Movement]) -> Report:
    """The form filled for `unit`'s subtree and `year`."""
    f = stats.Filters(unit, year, year)
    table: list[list[Any]] = []
    if form.source == "awards":
        rows = list(
            stats._sums(
                stats.tallies(f, by_decision_year=form.year_field == "decided_year"),
                "award_id",
                "level",
                "kind",
                "subject",
            )
        )
        rows = [r for r in rows if _award_matches(form.filters, r)]
        for row_def in form.rows:
            line: list[Any] = [row_def.label]
            for column in form.columns:
                field = "n" if column.measure == "count" else column.measure
                line.append(
                    sum(
                        int(r[field] or 0)
                        for r in rows
                        if _award_matches(row_def.where, r) and _award_matches(column.where, r)
                    )
                )
            table.append(line)
    else:
        running = (
            stats.running_in(movements, year).exclude(status=Movement.Status.DRAFT).select_related("parent")
        )
        lines = [m for m in stats.movement_lines(running, unit, year) if _movement_matches(form.filters, m)]
        for row_def in form.rows:
            line = [row_def.label]
            for column in form.columns:
                line.append(
                    sum(
                        _movement_value(column.measure, m, year)
                        for m in lines
                        if _movement_matches(row_def.where, m) and _movement_matches(column.where, m)
                    )
                )
            table.append(line)
    kinds: list[Col] = [Col("Chỉ tiêu", "text")]
    kinds += [Col(c.label, "money" if c.measure == "prize_vnd" else "int") for c in form.columns]
    section = Section(f"{form.code}. {form.title}", kinds, table, note=form.note)
    notes = [form.basis] if form.basis else []
    if form.confidence != "CONFIRMED":
        notes.append("Chưa xác nhận: bố cục biểu là cách đọc tốt nhất, chưa đối chiếu văn bản gốc.")
    return Report(form.id, f"{form.code}. {form.title}", f"{unit.name}, năm {year}", [section], notes)
