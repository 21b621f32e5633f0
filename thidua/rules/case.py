"""The case contract (shared/cases/README.md): input and output shapes, parsing with field paths."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, Strict, ValidationError

from thidua.rules import vocab
from thidua.rules.ruleset import Ruleset, load_ruleset

MIN_YEAR, MAX_YEAR = 1945, 2100
MIN_DATE, MAX_DATE = date(1900, 1, 1), date(MAX_YEAR, 12, 31)
MAX_DEPTH = 16  # nesting of a case: root, subject, members, member, records, record ... (6 levels used)
MAX_INT_DIGITS = 19  # no field of the contract needs a longer integer
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_date(value: Any) -> Any:
    if isinstance(value, datetime):
        raise ValueError("phải là ngày, không kèm giờ")
    if isinstance(value, date):
        day = value
    elif not isinstance(value, str):
        raise ValueError("phải là ngày dạng chuỗi YYYY-MM-DD")
    elif not _ISO_DATE.fullmatch(value):  # no week dates (2025-W01-1), ordinal dates or other forms
        raise ValueError("không phải ngày hợp lệ (YYYY-MM-DD)")
    else:
        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise ValueError("không phải ngày hợp lệ (YYYY-MM-DD)") from None
    if not MIN_DATE <= day <= MAX_DATE:
        raise ValueError(f"ngoài khoảng cho phép ({MIN_DATE:%d/%m/%Y}..{MAX_DATE:%d/%m/%Y})")
    return day


def _encodable(value: str) -> str:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("chứa ký tự không hợp lệ (nửa cặp surrogate UTF-16)") from None
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
Year = Annotated[int, Strict(), Field(ge=MIN_YEAR, le=MAX_YEAR)]
Text = Annotated[str, Strict(), Field(min_length=1), AfterValidator(_encodable)]
Rating = Literal["khong_hoan_thanh", "hoan_thanh", "hoan_thanh_tot", "hoan_thanh_xuat_sac"]
Scope = Literal["co_so", "bo_nganh_tinh", "toan_quoc"]


class _Model(BaseModel):
    # Input is accepted by the contract's field names only (no Python-side aliases such as a leave's
    # ``start``/``end``): anything else is an unknown field.
    model_config = ConfigDict(extra="forbid", frozen=True, validate_by_name=False, validate_by_alias=True)


class RatingRecord(_Model):
    type: Literal["rating"]
    year: Year
    value: Rating


class TitleRecord(_Model):
    type: Literal["title"]
    year: Year
    id: Text


class AwardRecord(_Model):
    type: Literal["award"]
    id: Text
    date: IsoDate


class InitiativeRecord(_Model):
    type: Literal["initiative"]
    id: Text
    year: Year
    scope: Scope
    used_for: Text | None


class ScienceWorkRecord(_Model):
    type: Literal["science_work"]
    id: Text
    year: Year
    scope: Scope
    used_for: Text | None


class DisciplineRecord(_Model):
    type: Literal["discipline"]
    form: Literal["khien_trach", "canh_cao", "ha_bac_luong", "giang_chuc", "cach_chuc", "buoc_thoi_viec"]
    date: IsoDate
    until: IsoDate | None


class PendingRecord(_Model):
    type: Literal["pending"]
    kind: Literal["discipline", "investigation", "complaint"]
    since: IsoDate
    until: IsoDate | None


class LeaveRecord(_Model):
    type: Literal["leave"]
    start: IsoDate = Field(alias="from")
    end: IsoDate | None = Field(alias="to")
    reason: Literal["thai_san", "hoc_tap", "benh", "khac"]


class ClusterRankRecord(_Model):
    type: Literal["cluster_rank"]
    year: Year
    rank: Annotated[int, Strict(), Field(ge=1, le=10_000)]
    organiser: Literal["trung_uong", "bo_nganh_tinh"]


class MovementLeadRecord(_Model):
    type: Literal["movement_lead"]
    year: Year
    launched_by: Literal["thu_tuong", "bo_nganh_tinh"]
    years_run: Annotated[int, Strict(), Field(ge=1, le=100)]


Record = Annotated[
    RatingRecord
    | TitleRecord
    | AwardRecord
    | InitiativeRecord
    | ScienceWorkRecord
    | DisciplineRecord
    | PendingRecord
    | LeaveRecord
    | ClusterRankRecord
    | MovementLeadRecord,
    Field(discriminator="type"),
]
RECORD_TYPES = frozenset(
    {
        "rating", "title", "award", "initiative", "science_work", "discipline", "pending", "leave",
        "cluster_rank", "movement_lead",
    }
)  # fmt: skip


class Member(_Model):
    kind: Literal["individual"]
    id: Text
    name: Text
    gender: Literal["nam", "nu"] | None = None
    recruited_on: IsoDate | None = None
    records: list[Record]


class Subject(_Model):
    kind: Literal["individual", "collective", "household"]
    id: Text
    name: Text
    gender: Literal["nam", "nu"] | None = None
    recruited_on: IsoDate | None = None
    records: list[Record]
    members: list[Member] | None = None


class Case(_Model):
    """One eligibility case (input shape of the contract)."""

    year: Year
    as_of: IsoDate | None = None
    ruleset: Text | None = None
    subject: Subject
    candidates: list[Text] | None = None

    @property
    def as_of_date(self) -> date:
        return self.as_of or date(self.year, 12, 31)


# --------------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------------
class Reason(BaseModel):
    ok: bool
    text: str
    citation: str
    confidence: str | None = None


class TitleResult(BaseModel):
    id: str
    name: str
    verdict: Literal["eligible", "not_eligible", "deferred"]
    eligible: bool
    reasons: list[Reason]
    manual_checks: list[str]
    consumes: list[str]
    authority: list[str]
    vote_threshold_pct: int | None
    prize_coefficient: float | None
    prize_vnd: int | None
    confidence: str
    missing: list[str] = Field(default_factory=list)
    # the first year it can be eligible if every later year goes as well as it can (None: not by waiting)
    earliest_year: int | None = None
    prize_basis: str | None = None


class SubjectRef(BaseModel):
    kind: str
    id: str
    name: str


class Forecast(BaseModel):
    year: int
    as_of: date
    ruleset: str
    assumption: str
    eligible: list[str]
    names: list[str] = Field(default_factory=list)  # Vietnamese names of ``eligible``, same order
    text: str = ""  # the forecast as one Vietnamese paragraph (``render.forecast_text``)


class CaseResult(BaseModel):
    subject: SubjectRef
    year: int
    as_of: date
    ruleset: str
    results: list[TitleResult]
    forecast: Forecast | None = None


# --------------------------------------------------------------------------------------------
# Parsing
# --------------------------------------------------------------------------------------------
Problem = tuple[str, Any, str]  # (field path, value or MISSING, message)
MISSING: Any = object()


class CaseError(Exception):
    """A case is malformed. ``problems`` lists every ``(path, value, message)``."""

    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.source = source
        self.problems = problems
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        return [format_problem(self.source, p) for p in self.problems]


def format_value(value: Any) -> str:
    if value is MISSING:
        return ""
    if isinstance(value, date):
        return json.dumps(value.isoformat())
    try:
        text = json.dumps(value, ensure_ascii=False)
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(value)  # lone surrogates: escaped, so that the line can be written
    except (TypeError, ValueError, RecursionError):
        text = repr(type(value).__name__)
    return text if len(text) <= 80 else text[:77] + "..."


def format_problem(source: str, problem: Problem) -> str:
    path, value, message = problem
    v = format_value(value)
    return f"{source}: {path or '(gốc)'}: {v + ' ' if v else ''}{message}"


def _path(loc: Iterable[Any]) -> str:
    out = ""
    prev: Any = None
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif isinstance(prev, int) and part in RECORD_TYPES:
            pass  # discriminated-union tag inserted by pydantic
        else:
            out += f".{part}" if out else str(part)
        prev = part
    return out


_MESSAGES = {
    "missing": "thiếu trường bắt buộc",
    "extra_forbidden": "trường không được hỗ trợ",
    "int_type": "phải là số nguyên",
    "int_parsing": "phải là số nguyên",
    "string_type": "phải là chuỗi",
    "string_too_short": "không được rỗng",
    "list_type": "phải là danh sách",
    "model_type": "phải là một đối tượng JSON",
    "dict_type": "phải là một đối tượng JSON",
    "union_tag_not_found": "thiếu trường type của bản ghi",
    "model_attributes_type": "phải là một đối tượng JSON",
}


def _message(err: Any) -> str:
    t = err["type"]
    ctx = err.get("ctx") or {}
    if t == "literal_error":
        return f"không hợp lệ; giá trị cho phép: {str(ctx.get('expected')).replace(' or ', ', ')}"
    if t == "union_tag_invalid":
        return f"không phải loại bản ghi đã biết ({', '.join(sorted(RECORD_TYPES))})"
    if t in ("greater_than_equal", "less_than_equal"):
        return (
            f"ngoài khoảng cho phép ({MIN_YEAR}..{MAX_YEAR})"
            if "year" in str(err["loc"])
            else f"phải {'>=' if t == 'greater_than_equal' else '<='} {ctx.get('ge', ctx.get('le'))}"
        )
    if t == "value_error":
        return str(ctx.get("error", err["msg"]))
    return _MESSAGES.get(t, str(err["msg"]))


def _problems_of(exc: ValidationError) -> list[Problem]:
    problems: list[Problem] = []
    for err in exc.errors():
        if err["type"] == "json_invalid":
            problems.append(
                ("", MISSING, f"JSON không hợp lệ: {err.get('ctx', {}).get('error', err['msg'])}")
            )
            continue
        value = MISSING if err["type"] == "missing" else err.get("input", MISSING)
        if err["type"] == "union_tag_invalid":
            value = err["input"].get("type", MISSING) if isinstance(err.get("input"), dict) else MISSING
            path = _path(err["loc"]) + ".type"
        else:
            path = _path(err["loc"])
        problems.append((path, value, _message(err)))
    return problems


def parse_case(
    data: Any,
    *,
    source: str = "<input>",
    ruleset: Ruleset | None = None,
    options: Mapping[str, Any] | None = None,
) -> Case:
    """Validate a case (decoded JSON) against the contract; raise ``CaseError`` with every problem.

    ``options`` (ruleset settings) matter only for candidates that a setting enables."""
    if not isinstance(data, dict):
        raise CaseError(source, [("", MISSING, "tệp phải chứa một đối tượng JSON")])
    try:
        case = Case.model_validate(data)
    except ValidationError as exc:
        raise CaseError(source, _problems_of(exc)) from None
    problems = check_case(case, ruleset, options)
    if problems:
        raise CaseError(source, problems)
    return case


def parse_case_json(
    text: str | bytes, *, source: str = "<input>", options: Mapping[str, Any] | None = None
) -> Case:
    """Like ``parse_case`` on JSON text, with the strict decoding of ``decode_json`` (the reference for
    the batch: the same checks and messages as ``thidua eligibility check``)."""
    data = decode_json(text, source)
    if not isinstance(data, dict):
        raise CaseError(source, [("", MISSING, "dòng phải chứa một đối tượng JSON")])
    return parse_case(data, source=source, options=options)


def case_ruleset(case: Case, ruleset: Ruleset | None = None) -> Ruleset:
    if ruleset is not None:
        return ruleset
    if case.ruleset is not None:
        return load_ruleset(case.ruleset)
    return load_ruleset(on=case.as_of_date)


def check_case(
    case: Case, ruleset: Ruleset | None = None, options: Mapping[str, Any] | None = None
) -> list[Problem]:
    """Checks beyond the shape: dates, years, known ids, duplicates, what applies to whom."""
    problems: list[Problem] = []
    y = case.year
    as_of = case.as_of_date
    if as_of < date(y, 1, 1):
        problems.append(("as_of", as_of, f"là trước năm xét ({y})"))
    rs = ruleset
    if rs is None:
        try:
            rs = case_ruleset(case)
        except KeyError:
            if case.ruleset is not None:
                problems.append(("ruleset", case.ruleset, "không phải bộ quy tắc đã biết"))
            else:
                problems.append(("as_of", as_of, "không có bộ quy tắc nào có hiệu lực vào ngày này"))
            return problems
    if options:
        rs = rs.with_settings(rs.applicable(options))
    problems += _check_subject(case.subject, "subject", case, rs)
    kind = case.subject.kind
    if case.subject.members is not None:
        if kind != "collective":
            problems.append(("subject.members", MISSING, f"chỉ tập thể mới có thành viên (kind là {kind!r})"))
        seen: set[str] = set()
        for i, m in enumerate(case.subject.members):
            if m.id in seen:
                problems.append((f"subject.members[{i}].id", m.id, "bị trùng trong danh sách thành viên"))
            seen.add(m.id)
            problems += _check_subject(m, f"subject.members[{i}]", case, rs)
    if case.candidates is not None:
        problems += candidate_problems(case.candidates, kind, rs)
    return problems


def candidate_problems(candidates: Iterable[str], kind: str, rs: Ruleset) -> list[Problem]:
    """Candidates must be distinct, known, for this kind of subject, evaluable and enabled."""
    problems: list[Problem] = []
    seen: set[str] = set()
    for i, cid in enumerate(candidates):
        p = f"candidates[{i}]"
        item = rs.items.get(cid)
        if cid in seen:
            problems.append((p, cid, "bị trùng"))
        elif item is None:
            problems.append(
                (p, cid, f"không phải danh hiệu hoặc hình thức khen thưởng của bộ quy tắc {rs.id}")
            )
        elif kind not in item.subjects:
            problems.append((p, cid, f"không áp dụng cho {vocab.KIND_LABELS[kind]} ({kind})"))
        elif not item.evaluable_for(kind):
            problems.append((p, cid, "chưa có tiêu chí máy xét được cho loại đối tượng này (xét thủ công)"))
        elif not rs.item_enabled(item):
            problems.append((p, cid, f"đang tắt trong bộ quy tắc {rs.id} (tùy chọn {item.setting})"))
        seen.add(cid)
    return problems


def _check_subject(s: Subject | Member, base: str, case: Case, rs: Ruleset) -> list[Problem]:
    # Records dated after as_of (an award, a discipline, proceedings, leave) are not errors: they are
    # not in effect on the evaluation date and the engine leaves them out. Years after the year under
    # consideration are errors (the contract's example).
    problems: list[Problem] = []
    y = case.year
    as_of = case.as_of_date
    kind = s.kind
    if s.recruited_on is not None and s.recruited_on > as_of:
        problems.append((f"{base}.recruited_on", s.recruited_on, f"là sau ngày xét ({as_of.isoformat()})"))
    ratings: set[int] = set()
    titles: set[tuple[str, int]] = set()
    innovation_ids: dict[str, set[str]] = {"initiative": set(), "science_work": set()}
    for i, r in enumerate(s.records):
        p = f"{base}.records[{i}]"
        year = getattr(r, "year", None)
        if year is not None and year > y:
            problems.append((f"{p}.year", year, f"là sau năm xét ({y})"))
        if isinstance(r, RatingRecord):
            if r.year in ratings:
                problems.append((f"{p}.year", r.year, "đã có một bản ghi xếp loại cho năm này"))
            ratings.add(r.year)
        elif isinstance(r, TitleRecord):
            item = rs.items.get(r.id)
            if item is None:
                problems.append((f"{p}.id", r.id, "không phải danh hiệu thi đua đã biết"))
            elif item.kind != "title":
                problems.append(
                    (f"{p}.id", r.id, "là hình thức khen thưởng, không phải danh hiệu (dùng type award)")
                )
            elif kind not in item.subjects:
                problems.append((f"{p}.id", r.id, f"không phải danh hiệu của {vocab.KIND_LABELS[kind]}"))
            if (r.id, r.year) in titles:
                problems.append((p, r.id, f"danh hiệu đã được ghi cho năm {r.year}"))
            titles.add((r.id, r.year))
        elif isinstance(r, AwardRecord):
            item = rs.items.get(r.id)
            if item is None:
                problems.append((f"{p}.id", r.id, "không phải hình thức khen thưởng đã biết"))
            elif item.kind != "form":
                problems.append(
                    (
                        f"{p}.id",
                        r.id,
                        "là danh hiệu thi đua, không phải hình thức khen thưởng (dùng type title)",
                    )
                )
            elif kind not in item.subjects:
                problems.append((f"{p}.id", r.id, f"không áp dụng cho {vocab.KIND_LABELS[kind]}"))
        elif isinstance(r, InitiativeRecord | ScienceWorkRecord):
            if r.id in innovation_ids[r.type]:
                problems.append((f"{p}.id", r.id, "bị trùng"))
            innovation_ids[r.type].add(r.id)
            if r.used_for is not None:
                problems += _check_used_for(r.used_for, f"{p}.used_for", rs)
        elif isinstance(r, DisciplineRecord):
            if r.until is not None and r.until < r.date:
                problems.append((f"{p}.until", r.until, f"là trước ngày kỷ luật ({r.date.isoformat()})"))
        elif isinstance(r, PendingRecord):
            if r.until is not None and r.until < r.since:
                problems.append((f"{p}.until", r.until, f"là trước ngày bắt đầu ({r.since.isoformat()})"))
        elif isinstance(r, LeaveRecord):
            if r.end is not None and r.end < r.start:
                problems.append((f"{p}.to", r.end, f"là trước ngày bắt đầu nghỉ ({r.start.isoformat()})"))
            if kind != "individual":
                problems.append((f"{p}.type", r.type, "chỉ dùng cho cá nhân"))
        elif isinstance(r, ClusterRankRecord | MovementLeadRecord) and kind != "collective":
            problems.append((f"{p}.type", r.type, "chỉ dùng cho tập thể"))
    return problems


def _check_used_for(value: str, path: str, rs: Ruleset) -> list[Problem]:
    ident, sep, year = value.partition(":")
    if ident not in rs.items:
        return [
            (
                path,
                value,
                "phải là mã danh hiệu/hình thức đã biết, có thể kèm năm (vd. chien_si_thi_dua_co_so:2024)",
            )
        ]
    if sep and not (year.isdigit() and MIN_YEAR <= int(year) <= MAX_YEAR):
        return [(path, value, "năm sau dấu ':' không hợp lệ")]
    return []


def load_case_file(path: str, options: Mapping[str, Any] | None = None) -> Case:
    """Read and parse one case file; every problem (including invalid JSON) raises ``CaseError``."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except OSError as exc:
        raise CaseError(path, [("", MISSING, f"không đọc được tệp: {exc.strerror}")]) from None
    return parse_case(decode_json(raw, path), source=path, options=options)


class _DupDict(dict[str, Any]):
    """A decoded object that had repeated keys (reported with their path after decoding)."""

    dups: list[str]


class _Reject(Exception):
    pass


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    d = dict(pairs)
    if len(d) == len(pairs):
        return d
    out = _DupDict(d)
    seen: set[str] = set()
    out.dups = [k for k, _ in pairs if k in seen or seen.add(k)]  # type: ignore[func-returns-value]
    return out


def _int(text: str) -> int:
    digits = len(text.lstrip("-"))
    if digits > MAX_INT_DIGITS:
        raise _Reject(f"JSON chứa số nguyên quá dài ({digits} chữ số)")
    return int(text)


def _float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise _Reject(f"JSON chứa số thực vượt giới hạn ({text[:20]})")
    return value


def _constant(text: str) -> Any:
    raise _Reject(f"{text} không phải giá trị JSON hợp lệ")


def decode_json(data: str | bytes, source: str) -> Any:
    """Strict JSON: UTF-8, no repeated keys, no NaN/Infinity, no integer longer than the contract
    needs, nesting at most ``MAX_DEPTH`` levels. Every problem raises ``CaseError`` (one line)."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise CaseError(
                source, [("", MISSING, f"không phải văn bản UTF-8 (byte không hợp lệ ở vị trí {exc.start})")]
            ) from None
    try:
        value = json.loads(
            data, object_pairs_hook=_pairs, parse_int=_int, parse_float=_float, parse_constant=_constant
        )
    except json.JSONDecodeError as exc:
        raise CaseError(
            source, [("", MISSING, f"JSON không hợp lệ (dòng {exc.lineno}, cột {exc.colno}): {exc.msg}")]
        ) from None
    except _Reject as exc:
        raise CaseError(source, [("", MISSING, str(exc))]) from None
    except (RecursionError, MemoryError):
        raise CaseError(source, [("", MISSING, f"JSON lồng quá sâu (tối đa {MAX_DEPTH} cấp)")]) from None
    problems = structure_problems(value)
    if problems:
        raise CaseError(source, problems)
    return value


def structure_problems(value: Any) -> list[Problem]:
    """Repeated keys (with their path) and nesting deeper than ``MAX_DEPTH``, found without recursion."""
    problems: list[Problem] = []
    stack: list[tuple[Any, str, int]] = [(value, "", 0)]
    while stack:
        obj, path, depth = stack.pop()
        if depth > MAX_DEPTH:
            return [(path, MISSING, f"lồng quá sâu (tối đa {MAX_DEPTH} cấp)")]
        if isinstance(obj, dict):
            for k in getattr(obj, "dups", ()):
                problems.append(
                    (f"{path}.{k}" if path else k, MISSING, "khóa bị lặp trong cùng một đối tượng JSON")
                )
            stack.extend((v, f"{path}.{k}" if path else k, depth + 1) for k, v in obj.items())
        elif isinstance(obj, list):
            stack.extend((v, f"{path}[{i}]", depth + 1) for i, v in enumerate(obj))
    return sorted(problems)
