"""Rulesets as data: loading, merging (`extends`), validation with paths, and the read-only model.

A ruleset is a YAML file under ``thidua/rules/rulesets/``; the base-salary schedule is
``base_salary.yaml`` beside them. Changing a threshold, a coefficient or a date is a change to those
files, never to this code. Loading validates everything and reports every problem with its path.
"""

from __future__ import annotations

import copy
import functools
import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_CEILING, Decimal, InvalidOperation
from importlib import resources
from typing import Any

import yaml

from thidua.rules import vocab

SCHEMA_VERSION = 1
_GLOBAL_RULE_IDS = (
    "defer_while_pending",
    "discipline_resets_achievements",
    "maternity_counts_as_work",
    "min_service",
    "initiative_single_use",
    "one_achievement_one_reward",
    "registration",
)

# Predicate name -> (required params, optional params). None means the value is a scalar.
_PREDICATES: dict[str, tuple[frozenset[str], frozenset[str]] | None] = {
    "all_of": None,
    "any_of": None,
    "meets": None,
    "manual": None,
    "holds": (frozenset({"title", "count"}), frozenset()),
    "rating_at_least": (frozenset({"level"}), frozenset()),
    "consecutive": (frozenset({"title", "count"}), frozenset({"step"})),
    "consecutive_rating": (frozenset({"level", "min_years"}), frozenset()),
    "since_award": (frozenset({"award", "min_years", "each_year"}), frozenset({"within"})),
    "rating_years": (frozenset({"level", "min_count"}), frozenset()),
    "initiative": (frozenset({"scope", "count", "within_years"}), frozenset()),
    "science_work": (frozenset({"scope", "count", "within_years"}), frozenset()),
    "member_share": (frozenset({"title", "min_pct"}), frozenset({"op"})),
    "all_members_rating_at_least": (frozenset({"level"}), frozenset()),
    "has_member_with_title": (frozenset({"title", "min_count"}), frozenset()),
    "no_member_disciplined_at_least": (frozenset({"level"}), frozenset()),
    "leads_cluster": (frozenset({"organiser"}), frozenset()),
    "leads_thematic_movement": (frozenset({"launched_by", "min_years"}), frozenset()),
}
_NODE_META = frozenset({"citation", "confidence", "setting", "note"})
# Predicates only meaningful inside since_award.within, and predicates over members (collectives).
_WINDOW_ONLY = frozenset({"holds", "rating_years"})
_MEMBER_PREDICATES = frozenset(
    {"member_share", "all_members_rating_at_least", "has_member_with_title", "no_member_disciplined_at_least"}
)
_COLLECTIVE_ONLY = _MEMBER_PREDICATES | {"leads_cluster", "leads_thematic_movement"}
_TITLE_REFS = frozenset({"meets", "consecutive", "holds", "member_share", "has_member_with_title"})


class RulesetError(Exception):
    """A ruleset file is invalid. ``problems`` lists every ``(path, message)`` found."""

    def __init__(self, source: str, problems: list[tuple[str, str]]) -> None:
        self.source = source
        self.problems = problems
        super().__init__("\n".join(f"{source}: {p}: {m}" for p, m in problems))


@dataclass(frozen=True)
class Node:
    """One predicate of a criteria tree (see the vocabulary in rules.yaml §7)."""

    op: str
    params: Mapping[str, Any]
    children: tuple[Node, ...] = ()
    within: tuple[Node, ...] = ()
    citation: str | None = None
    confidence: str | None = None
    setting: str | None = None
    path: str = ""

    @property
    def checkable(self) -> bool:
        """True when the engine can decide some part of this node automatically."""
        if self.op == "manual":
            return False
        if self.op in ("all_of", "any_of"):
            return any(c.checkable for c in self.children)
        return True


@dataclass(frozen=True)
class VoteThreshold:
    pct: int
    citation: str
    confidence: str
    setting: str | None = None


@dataclass(frozen=True)
class Prize:
    coefficients: Mapping[str, Decimal]
    citation: str | None
    confidence: str


@dataclass(frozen=True)
class GlobalRule:
    id: str
    text_vi: str
    citation: str
    confidence: str
    setting: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SettingSpec:
    id: str
    default: Any
    confidence: str
    description_vi: str
    choices: tuple[Any, ...] | None = None
    type: str = "bool"


@dataclass(frozen=True)
class Item:
    """A title (danh hiệu thi đua) or a form (hình thức khen thưởng) of a ruleset."""

    id: str
    kind: str  # "title" | "form"
    name_vi: str
    subjects: tuple[str, ...]
    authority: tuple[str, ...]
    citation: str
    confidence: str
    prerequisites: Mapping[str, Node]
    vote_threshold: VoteThreshold | None = None
    prize: Prize | None = None
    sector: str | None = None
    applies_global: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    setting: str | None = None  # the item is evaluated only when this setting is on

    def evaluable_for(self, kind: str) -> bool:
        node = self.prerequisites.get(kind)
        return node is not None and node.checkable


@dataclass(frozen=True)
class SalaryPeriod:
    amount_vnd: int
    start: date
    end: date | None
    basis: str
    confidence: str


@dataclass(frozen=True)
class SalarySchedule:
    periods: tuple[SalaryPeriod, ...]
    unit_vnd: int
    citation: str

    def on(self, day: date) -> int:
        for p in self.periods:
            if p.start <= day and (p.end is None or day <= p.end):
                return p.amount_vnd
        raise LookupError(f"không có mức lương cơ sở cho ngày {day.isoformat()}")


@dataclass(frozen=True)
class RulesetInfo:
    id: str
    name_vi: str
    effective_from: date
    effective_to: date | None
    extends: str | None


def round_up(amount: Decimal, unit: int) -> int:
    """Round a VND amount up to the next multiple of ``unit`` (làm tròn số lên)."""
    return int((amount / unit).to_integral_value(rounding=ROUND_CEILING)) * unit


@dataclass(frozen=True)
class Ruleset:
    """One dated version of the rules; read-only. ``settings`` holds the values in effect."""

    id: str
    name_vi: str
    effective_from: date
    effective_to: date | None
    confidence: str
    basis: tuple[Mapping[str, Any], ...]
    settings_spec: Mapping[str, SettingSpec]
    settings: Mapping[str, Any]
    global_rules: Mapping[str, GlobalRule]
    items: Mapping[str, Item]
    salary: SalarySchedule
    extends: str | None = None

    # --- settings -------------------------------------------------------------------------
    def with_settings(self, options: Mapping[str, Any] | None) -> Ruleset:
        """A copy with some settings changed; unknown names or bad values raise ``ValueError``."""
        if not options:
            return self
        problems = []
        new = dict(self.settings)
        for key, value in options.items():
            spec = self.settings_spec.get(key)
            if spec is None:
                problems.append(f"{key}: không có tùy chọn này trong bộ quy tắc {self.id}")
                continue
            msg = _check_setting_value(spec, value)
            if msg:
                problems.append(f"{key}: {value!r} {msg}")
                continue
            new[key] = value
        if problems:
            raise ValueError("; ".join(problems))
        return replace(self, settings=new)

    def applicable(self, options: Mapping[str, Any] | None) -> dict[str, Any]:
        """The options this ruleset knows. An option no shipped ruleset knows raises ``ValueError``;
        one that only other versions know (e.g. a setting added in 2025) is left out."""
        known = known_settings()
        out = {}
        for key, value in (options or {}).items():
            if key not in known:
                raise ValueError(f"{key}: không phải tùy chọn của bộ quy tắc nào")
            if key in self.settings_spec:
                out[key] = value
        return out

    def setting(self, name: str) -> Any:
        return self.settings[name]

    def resolve(self, value: Any) -> Any:
        """A parameter may be ``{setting: name}``: return the setting's value."""
        if isinstance(value, Mapping) and set(value) == {"setting"}:
            return self.settings[value["setting"]]
        return value

    def node_active(self, node: Node | GlobalRule | VoteThreshold) -> bool:
        return node.setting is None or bool(self.settings[node.setting])

    # --- money ----------------------------------------------------------------------------
    def base_salary_on(self, day: date) -> int:
        return self.salary.on(day)

    def prize_coefficient(self, item_id: str, subject_kind: str) -> Decimal | None:
        item = self.items[item_id]
        if item.prize is None:
            return None
        return item.prize.coefficients.get(subject_kind)

    def prize_vnd(self, item_id: str, subject_kind: str, on: date) -> int | None:
        """coefficient x base salary on ``on``, rounded up to 10,000 VND; None when unknown."""
        coef = self.prize_coefficient(item_id, subject_kind)
        if coef is None:
            return None
        return round_up(coef * self.base_salary_on(on), self.salary.unit_vnd)

    def vote_threshold(self, item_id: str) -> VoteThreshold | None:
        vt = self.items[item_id].vote_threshold
        if vt is None or not self.node_active(vt):
            return None
        return vt

    # --- catalogue ------------------------------------------------------------------------
    def candidates_for(self, kind: str) -> list[Item]:
        """Items evaluated by default for a subject kind: enabled, applicable and checkable."""
        out = []
        for item in self.items.values():
            if kind not in item.subjects or not item.evaluable_for(kind):
                continue
            if item.sector == "armed_forces" and not self.settings.get("include_armed_forces"):
                continue
            if not self.item_enabled(item):
                continue
            out.append(item)
        return out

    def item_enabled(self, item: Item) -> bool:
        """False when the item depends on a setting that is off (e.g. an example regulation)."""
        return item.setting is None or bool(self.settings[item.setting])

    def info(self) -> RulesetInfo:
        return RulesetInfo(self.id, self.name_vi, self.effective_from, self.effective_to, self.extends)

    def rules_in_force(self) -> list[dict[str, Any]]:
        """Every title and form, for a "rules in force on a date" page (plain data)."""
        rows = []
        for item in self.items.values():
            coefs = item.prize.coefficients if item.prize else {}
            vt = self.vote_threshold(item.id)
            rows.append(
                {
                    "id": item.id,
                    "kind": item.kind,
                    "name": item.name_vi,
                    "subjects": list(item.subjects),
                    "citation": item.citation,
                    "confidence": item.confidence,
                    "enabled": any(item.evaluable_for(k) for k in item.subjects)
                    and self.item_enabled(item)
                    and (item.sector != "armed_forces" or bool(self.settings.get("include_armed_forces"))),
                    "setting": item.setting,
                    "evaluable": {k: item.evaluable_for(k) for k in item.subjects},
                    "criteria": {k: self.criteria_text(item.id, k) for k in item.prerequisites},
                    "authority": list(item.authority),
                    "vote_threshold_pct": vt.pct if vt else None,
                    "prize_coefficients": {k: float(v) for k, v in coefs.items()},
                    "notes": list(item.notes),
                }
            )
        return rows

    def criteria_text(self, item_id: str, subject_kind: str) -> str:
        """The criteria of an item for a subject kind, as indented Vietnamese text."""
        from thidua.rules.render import render_node

        node = self.items[item_id].prerequisites.get(subject_kind)
        if node is None:
            return "Chưa có tiêu chí để máy xét (xét thủ công)."
        return "\n".join(render_node(node, self, 0))


# ---------------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------------
def _rulesets_dir() -> Any:
    return resources.files("thidua.rules") / "rulesets"


def _read_yaml(name: str) -> Any:
    path = _rulesets_dir() / name
    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader when libyaml is present
        return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    except yaml.YAMLError as exc:
        raise RulesetError(name, [("(tệp)", f"YAML không hợp lệ: {exc}")]) from exc


@functools.cache
def _ruleset_files() -> dict[str, str]:
    out = {}
    for entry in _rulesets_dir().iterdir():
        name = entry.name
        if name.endswith(".yaml") and name != "base_salary.yaml":
            out[name[: -len(".yaml")]] = name
    return out


def merge(base: Any, override: Any) -> Any:
    """Deep merge for ``extends``: maps merge by key; lists of maps with ``id`` merge by id
    (``remove: true`` drops an entry); anything else is replaced by the override."""
    if isinstance(base, dict) and isinstance(override, dict):
        out = dict(base)
        for k, v in override.items():
            out[k] = merge(base[k], v) if k in base else copy.deepcopy(v)
        return out
    if (
        isinstance(base, list)
        and isinstance(override, list)
        and all(isinstance(x, dict) and "id" in x for x in base + override)
    ):
        merged = [copy.deepcopy(x) for x in base]
        index = {x["id"]: i for i, x in enumerate(merged)}
        for x in override:
            if x.get("remove"):
                if x["id"] in index:
                    merged[index[x["id"]]] = None
                continue
            if x["id"] in index:
                merged[index[x["id"]]] = merge(merged[index[x["id"]]], x)
            else:
                merged.append(copy.deepcopy(x))
        return [x for x in merged if x is not None]
    return copy.deepcopy(override)


def _raw_ruleset(ruleset_id: str, seen: tuple[str, ...] = ()) -> dict[str, Any]:
    files = _ruleset_files()
    if ruleset_id not in files:
        raise KeyError(ruleset_id)
    raw = _read_yaml(files[ruleset_id])
    if not isinstance(raw, dict):
        raise RulesetError(files[ruleset_id], [("(gốc)", "phải là một ánh xạ YAML")])
    parent = raw.get("extends")
    if parent:
        if parent in seen:
            raise RulesetError(files[ruleset_id], [("extends", f"vòng lặp kế thừa: {parent}")])
        if parent not in files:
            raise RulesetError(files[ruleset_id], [("extends", f"{parent!r} không phải bộ quy tắc đã biết")])
        base = _raw_ruleset(parent, (*seen, ruleset_id))
        base.pop("effective_to", None)
        raw = merge(base, raw)
    return dict(raw)


@functools.cache
def _salary() -> SalarySchedule:
    raw = _read_yaml("base_salary.yaml")
    problems: list[tuple[str, str]] = []
    periods = []
    try:
        for i, p in enumerate(raw["schedule"]):
            start = _date(p.get("from"), f"schedule[{i}].from", problems)
            end = _date(p.get("to"), f"schedule[{i}].to", problems, nullable=True)
            amount = p.get("amount_vnd")
            if not isinstance(amount, int) or amount <= 0:
                problems.append((f"schedule[{i}].amount_vnd", f"{amount!r} phải là số nguyên VND dương"))
                continue
            if start is not None:
                periods.append(
                    SalaryPeriod(amount, start, end, str(p.get("basis")), str(p.get("confidence")))
                )
        unit = raw["rounding"]["unit_vnd"]
        citation = raw["rounding"]["citation"]
    except (KeyError, TypeError) as exc:
        problems.append(("(gốc)", f"thiếu khóa {exc}"))
        unit, citation = 0, ""
    periods.sort(key=lambda p: p.start)
    for a, b in itertools.pairwise(periods):
        if a.end is None or a.end >= b.start:
            problems.append(("schedule", f"giai đoạn từ {a.start} chồng lên giai đoạn từ {b.start}"))
    if problems:
        raise RulesetError("base_salary.yaml", problems)
    return SalarySchedule(tuple(periods), int(unit), str(citation))


def known_settings() -> frozenset[str]:
    """Every setting name of every shipped ruleset."""
    return frozenset(k for rs in _all_loaded() for k in rs.settings_spec)


def list_rulesets() -> list[RulesetInfo]:
    """Every shipped ruleset version, by effective date."""
    infos = [load_ruleset(rid).info() for rid in _ruleset_files()]
    return sorted(infos, key=lambda i: i.effective_from)


def load_ruleset(ruleset_id: str | None = None, *, on: date | None = None) -> Ruleset:
    """The ruleset with this id, or the one in force on ``on`` (default: today).

    Raises ``KeyError`` for an unknown id or a date no ruleset covers, ``RulesetError`` for an
    invalid file."""
    if ruleset_id is not None:
        return _load(ruleset_id)
    day = on or date.today()
    for rs in _all_loaded():
        if rs.effective_from <= day and (rs.effective_to is None or day <= rs.effective_to):
            return rs
    raise KeyError(f"không có bộ quy tắc nào có hiệu lực ngày {day.isoformat()}")


@functools.cache
def _all_loaded() -> tuple[Ruleset, ...]:
    return tuple(_load(rid) for rid in sorted(_ruleset_files()))


@functools.cache
def _load(ruleset_id: str) -> Ruleset:
    raw = _raw_ruleset(ruleset_id)
    source = _ruleset_files()[ruleset_id] + (" (sau khi gộp extends)" if raw.get("extends") else "")
    return build_ruleset(raw, source=source, salary=_salary())


# ---------------------------------------------------------------------------------------------
# Validation and construction
# ---------------------------------------------------------------------------------------------
def _date(value: Any, path: str, problems: list[tuple[str, str]], *, nullable: bool = False) -> date | None:
    if value is None:
        if not nullable:
            problems.append((path, "thiếu ngày"))
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        problems.append((path, f"{value!r} không phải ngày ISO (YYYY-MM-DD)"))
        return None


def _check_setting_value(spec: SettingSpec, value: Any) -> str | None:
    if spec.choices is not None:
        return None if value in spec.choices else f"phải là một trong {list(spec.choices)}"
    if spec.type == "int":
        ok = isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 100
        return None if ok else "phải là số nguyên 0..100"
    return None if isinstance(value, bool) else "phải là true hoặc false"


def _str(raw: Mapping[str, Any], key: str, path: str, problems: list[tuple[str, str]]) -> str:
    v = raw.get(key)
    if not isinstance(v, str) or not v.strip():
        problems.append((f"{path}.{key}" if path else key, f"{v!r} phải là chuỗi không rỗng"))
        return ""
    return v


def _confidence(
    raw: Mapping[str, Any], path: str, problems: list[tuple[str, str]], *, required: bool = True
) -> str:
    v = raw.get("confidence")
    if v is None and not required:
        return ""
    if v not in vocab.CONFIDENCES:
        problems.append((f"{path}.confidence", f"{v!r} phải là một trong {list(vocab.CONFIDENCES)}"))
        return "UNCONFIRMED"
    return str(v)


class _Builder:
    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = raw
        self.problems: list[tuple[str, str]] = []
        self.settings: dict[str, SettingSpec] = {}
        self.item_ids: set[str] = {
            x["id"] for x in raw.get("items") or [] if isinstance(x, dict) and isinstance(x.get("id"), str)
        }
        self.kinds: dict[str, tuple[str, ...]] = {
            x["id"]: tuple(x.get("subject") or ())
            for x in raw.get("items") or []
            if isinstance(x, dict) and isinstance(x.get("id"), str)
        }

    def err(self, path: str, msg: str) -> None:
        self.problems.append((path, msg))

    def setting_ref(self, value: Any, path: str) -> None:
        if isinstance(value, Mapping) and set(value) == {"setting"} and value["setting"] not in self.settings:
            self.err(path, f"tùy chọn {value['setting']!r} không được khai báo trong settings")

    def build_settings(self) -> None:
        raw = self.raw.get("settings") or {}
        if not isinstance(raw, dict):
            self.err("settings", "phải là một ánh xạ")
            return
        for name, spec in raw.items():
            path = f"settings.{name}"
            if not isinstance(spec, dict) or "default" not in spec:
                self.err(path, "phải có default")
                continue
            choices = spec.get("choices")
            s = SettingSpec(
                id=name,
                default=spec["default"],
                confidence=_confidence(spec, path, self.problems),
                description_vi=_str(spec, "description_vi", path, self.problems),
                choices=tuple(choices) if isinstance(choices, list) else None,
                type=str(spec.get("type", "choice" if choices else "bool")),
            )
            msg = _check_setting_value(s, s.default)
            if msg:
                self.err(f"{path}.default", f"{s.default!r} {msg}")
            self.settings[name] = s

    def node(self, raw: Any, path: str, subject_kind: str, *, in_window: bool = False) -> Node | None:
        if not isinstance(raw, dict):
            self.err(path, f"{raw!r} phải là một vị từ (ánh xạ một khóa)")
            return None
        ops = [k for k in raw if k not in _NODE_META]
        if len(ops) != 1 or ops[0] not in _PREDICATES:
            self.err(path, f"cần đúng một vị từ trong {sorted(_PREDICATES)}, có {ops}")
            return None
        op = ops[0]
        val = raw[op]
        p = f"{path}.{op}"
        conf = raw.get("confidence")
        if conf is not None and conf not in vocab.CONFIDENCES:
            self.err(f"{path}.confidence", f"{conf!r} phải là một trong {list(vocab.CONFIDENCES)}")
        setting = raw.get("setting")
        if setting is not None and setting not in self.settings:
            self.err(f"{path}.setting", f"tùy chọn {setting!r} không được khai báo trong settings")
        citation = raw.get("citation")
        if citation is not None and not isinstance(citation, str):
            self.err(f"{path}.citation", f"{citation!r} phải là chuỗi")
        if op in _WINDOW_ONLY and not in_window:
            self.err(p, "chỉ dùng trong since_award.within")
        if op in _COLLECTIVE_ONLY and subject_kind != "collective":
            self.err(p, f"chỉ áp dụng cho tập thể, không cho {subject_kind}")
        children: list[Node] = []
        within: list[Node] = []
        params: dict[str, Any] = {}
        if op in ("all_of", "any_of"):
            if not isinstance(val, list) or not val:
                self.err(p, "phải là danh sách vị từ không rỗng")
            else:
                for i, c in enumerate(val):
                    n = self.node(c, f"{p}[{i}]", subject_kind, in_window=in_window)
                    if n:
                        children.append(n)
        elif op == "meets":
            if val not in self.item_ids:
                self.err(p, f"{val!r} không phải danh hiệu trong bộ quy tắc")
            params = {"title": val}
        elif op == "manual":
            if not isinstance(val, str) or not val.strip():
                self.err(p, f"{val!r} phải là mô tả (chuỗi)")
            params = {"text": val}
        else:
            spec = _PREDICATES[op]
            assert spec is not None
            required, optional = spec
            if not isinstance(val, dict):
                self.err(p, f"{val!r} phải là ánh xạ tham số")
                return None
            for k in sorted(required - set(val)):
                self.err(f"{p}.{k}", "thiếu tham số bắt buộc")
            for k in sorted(set(val) - required - optional):
                self.err(f"{p}.{k}", "tham số không được hỗ trợ")
            params = dict(val)
            self.check_params(op, params, p)
            if op == "since_award":
                for i, c in enumerate(val.get("within") or []):
                    n = self.node(c, f"{p}.within[{i}]", subject_kind, in_window=True)
                    if n:
                        within.append(n)
        return Node(
            op=op,
            params=params,
            children=tuple(children),
            within=tuple(within),
            citation=citation if isinstance(citation, str) else None,
            confidence=conf if conf in vocab.CONFIDENCES else None,
            setting=setting if isinstance(setting, str) else None,
            path=path,
        )

    def check_params(self, op: str, params: dict[str, Any], p: str) -> None:
        for key in ("level",):
            if key in params and params[key] not in vocab.RATING_RANK:
                if op == "no_member_disciplined_at_least":
                    if params[key] not in vocab.DISCIPLINE_RANK:
                        self.err(f"{p}.level", f"{params[key]!r} không phải hình thức kỷ luật")
                else:
                    self.err(f"{p}.level", f"{params[key]!r} không phải mức xếp loại")
        if op == "since_award":
            if params.get("award") not in self.item_ids:
                self.err(
                    f"{p}.award", f"{params.get('award')!r} không phải hình thức khen thưởng trong bộ quy tắc"
                )
            each = params.get("each_year")
            if not isinstance(each, dict) or each.get("level") not in vocab.RATING_RANK:
                self.err(f"{p}.each_year.level", f"{each!r} phải là {{level: mức xếp loại}}")
        for key in ("title",):
            if key in params and params[key] not in self.item_ids:
                self.err(f"{p}.{key}", f"{params[key]!r} không phải danh hiệu trong bộ quy tắc")
        if "scope" in params and params["scope"] not in vocab.SCOPE_RANK:
            self.err(f"{p}.scope", f"{params['scope']!r} không phải phạm vi ({', '.join(vocab.SCOPES)})")
        for key in ("count", "min_years", "min_count", "within_years"):
            if key in params:
                v = params[key]
                if not isinstance(v, int) or isinstance(v, bool) or v < 1:
                    self.err(f"{p}.{key}", f"{v!r} phải là số nguyên >= 1")
        if "min_pct" in params:
            self.setting_ref(params["min_pct"], f"{p}.min_pct")
            v = params["min_pct"]
            if not isinstance(v, Mapping) and (not isinstance(v, int) or not 0 <= v <= 100):
                self.err(f"{p}.min_pct", f"{v!r} phải là số nguyên 0..100 hoặc {{setting: tên}}")
        if "step" in params:
            self.setting_ref(params["step"], f"{p}.step")
            v = params["step"]
            if not isinstance(v, Mapping) and (
                not isinstance(v, int) or isinstance(v, bool) or not 1 <= v <= 10
            ):
                self.err(f"{p}.step", f"{v!r} phải là số nguyên 1..10 hoặc {{setting: tên}}")
        if "op" in params:
            self.setting_ref(params["op"], f"{p}.op")
            if not isinstance(params["op"], Mapping) and params["op"] not in (">=", ">"):
                self.err(f"{p}.op", f'{params["op"]!r} phải là ">=" hoặc ">"')
        if op == "leads_cluster" and params.get("organiser") not in vocab.CLUSTER_ORGANISERS:
            self.err(
                f"{p}.organiser",
                f"{params.get('organiser')!r} phải là một trong {list(vocab.CLUSTER_ORGANISERS)}",
            )
        if op == "leads_thematic_movement" and params.get("launched_by") not in vocab.MOVEMENT_LAUNCHERS:
            self.err(
                f"{p}.launched_by",
                f"{params.get('launched_by')!r} phải là một trong {list(vocab.MOVEMENT_LAUNCHERS)}",
            )

    def item(self, raw: Any, i: int) -> Item | None:
        path = f"items[{i}]"
        if not isinstance(raw, dict):
            self.err(path, "phải là một ánh xạ")
            return None
        allowed = {
            "id", "kind", "name_vi", "subject", "authority", "citation", "confidence", "prerequisites",
            "vote_threshold", "prize", "sector", "applies_global", "notes", "setting",
        }  # fmt: skip
        for k in sorted(set(raw) - allowed):
            self.err(f"{path}.{k}", "khóa không được hỗ trợ")
        iid = _str(raw, "id", path, self.problems)
        path = f"items[{i}]({iid})"
        kind = raw.get("kind")
        if kind not in ("title", "form"):
            self.err(f"{path}.kind", f"{kind!r} phải là title hoặc form")
        subjects = raw.get("subject")
        if (
            not isinstance(subjects, list)
            or not subjects
            or any(s not in vocab.SUBJECT_KINDS for s in subjects)
        ):
            self.err(f"{path}.subject", f"{subjects!r} phải là danh sách trong {list(vocab.SUBJECT_KINDS)}")
            subjects = []
        authority = raw.get("authority") or []
        if not isinstance(authority, list) or not all(isinstance(a, str) for a in authority):
            self.err(f"{path}.authority", f"{authority!r} phải là danh sách mã cơ quan")
            authority = []
        prereq_raw = raw.get("prerequisites")
        prereqs: dict[str, Node] = {}
        if prereq_raw is not None:
            if not isinstance(prereq_raw, dict):
                self.err(f"{path}.prerequisites", "phải là ánh xạ theo loại đối tượng")
            else:
                for k, v in prereq_raw.items():
                    if k not in subjects:
                        self.err(f"{path}.prerequisites.{k}", f"loại đối tượng {k!r} không có trong subject")
                        continue
                    if v is None:
                        continue
                    n = self.node(v, f"{path}.prerequisites.{k}", k)
                    if n:
                        prereqs[k] = n
        vt = None
        vt_raw = raw.get("vote_threshold")
        if vt_raw is not None:
            vp = f"{path}.vote_threshold"
            pct = vt_raw.get("pct") if isinstance(vt_raw, dict) else None
            if not isinstance(pct, int) or not 0 < pct <= 100:
                self.err(f"{vp}.pct", f"{pct!r} phải là số nguyên 1..100")
            elif isinstance(vt_raw, dict):
                setting = vt_raw.get("setting")
                if setting is not None and setting not in self.settings:
                    self.err(f"{vp}.setting", f"tùy chọn {setting!r} không được khai báo")
                vt = VoteThreshold(
                    pct,
                    _str(vt_raw, "citation", vp, self.problems),
                    _confidence(vt_raw, vp, self.problems),
                    setting,
                )
        prize = None
        pr = raw.get("prize")
        if pr is not None:
            pp = f"{path}.prize"
            coefs: dict[str, Decimal] = {}
            raw_coefs = pr.get("coefficients") if isinstance(pr, dict) else None
            if not isinstance(raw_coefs, dict):
                self.err(f"{pp}.coefficients", "phải là ánh xạ loại đối tượng -> hệ số")
            else:
                for k, v in raw_coefs.items():
                    if k not in subjects:
                        self.err(f"{pp}.coefficients.{k}", f"loại đối tượng {k!r} không có trong subject")
                    try:
                        d = Decimal(str(v))
                        if not d.is_finite() or d <= 0:
                            raise InvalidOperation
                        coefs[k] = d
                    except InvalidOperation:
                        self.err(
                            f"{pp}.coefficients.{k}", f"{v!r} phải là số thập phân dương (viết dạng chuỗi)"
                        )
            if isinstance(pr, dict):
                prize = Prize(coefs, pr.get("citation"), _confidence(pr, pp, self.problems))
        applies = raw.get("applies_global") or []
        for g in applies:
            if g not in _GLOBAL_RULE_IDS:
                self.err(f"{path}.applies_global", f"{g!r} không phải quy tắc chung")
        return Item(
            id=iid,
            kind=str(kind),
            name_vi=_str(raw, "name_vi", path, self.problems),
            subjects=tuple(subjects),
            authority=tuple(authority),
            citation=_str(raw, "citation", path, self.problems),
            confidence=_confidence(raw, path, self.problems),
            prerequisites=prereqs,
            vote_threshold=vt,
            prize=prize,
            sector=raw.get("sector"),
            setting=self.item_setting(raw.get("setting"), path),
            applies_global=tuple(applies),
            notes=tuple(raw.get("notes") or ()),
        )

    def item_setting(self, value: Any, path: str) -> str | None:
        if value is None:
            return None
        if value not in self.settings:
            self.err(f"{path}.setting", f"tùy chọn {value!r} không được khai báo trong settings")
            return None
        return str(value)

    def global_rules(self) -> dict[str, GlobalRule]:
        raw = self.raw.get("global_rules") or {}
        out = {}
        for gid in _GLOBAL_RULE_IDS:
            g = raw.get(gid)
            path = f"global_rules.{gid}"
            if not isinstance(g, dict):
                self.err(path, "thiếu quy tắc chung bắt buộc")
                continue
            setting = g.get("setting")
            if setting is not None and setting not in self.settings:
                self.err(f"{path}.setting", f"tùy chọn {setting!r} không được khai báo")
            params = {
                k: v
                for k, v in g.items()
                if k not in {"text_vi", "citation", "confidence", "setting", "note"}
            }
            if gid == "min_service":
                mm = params.get("min_months")
                if not isinstance(mm, int) or mm < 1:
                    self.err(f"{path}.min_months", f"{mm!r} phải là số nguyên >= 1")
                for r in params.get("counts_as_work") or []:
                    if r not in vocab.LEAVE_REASONS:
                        self.err(f"{path}.counts_as_work", f"{r!r} không phải lý do nghỉ")
            out[gid] = GlobalRule(
                gid,
                _str(g, "text_vi", path, self.problems),
                _str(g, "citation", path, self.problems),
                _confidence(g, path, self.problems),
                setting,
                params,
            )
        for gid in sorted(set(raw) - set(_GLOBAL_RULE_IDS)):
            self.err(f"global_rules.{gid}", "quy tắc chung không được hỗ trợ")
        return out


def build_ruleset(raw: dict[str, Any], *, source: str, salary: SalarySchedule) -> Ruleset:
    """Validate a merged ruleset document and build the model; raise ``RulesetError`` listing every problem."""
    b = _Builder(raw)
    if raw.get("schema_version") != SCHEMA_VERSION:
        b.err("schema_version", f"{raw.get('schema_version')!r} phải là {SCHEMA_VERSION}")
    rid = _str(raw, "id", "", b.problems)
    name = _str(raw, "name_vi", "", b.problems)
    start = _date(raw.get("effective_from"), "effective_from", b.problems)
    end = _date(raw.get("effective_to"), "effective_to", b.problems, nullable=True)
    if start and end and end < start:
        b.err("effective_to", f"{end} trước effective_from {start}")
    conf = _confidence(raw, "", b.problems)
    b.build_settings()
    globals_ = b.global_rules()
    items: dict[str, Item] = {}
    raw_items = raw.get("items")
    if not isinstance(raw_items, list) or not raw_items:
        b.err("items", "phải là danh sách danh hiệu, hình thức không rỗng")
        raw_items = []
    for i, r in enumerate(raw_items):
        it = b.item(r, i)
        if it is None:
            continue
        if it.id in items:
            b.err(f"items[{i}].id", f"{it.id!r} bị trùng")
        items[it.id] = it
    for it in items.values():
        for kind, node in it.prerequisites.items():
            for n in _walk(node):
                ref = n.params.get("title") if n.op in _TITLE_REFS else None
                target_kind = "individual" if n.op in ("member_share", "has_member_with_title") else kind
                if ref in items and target_kind not in items[ref].subjects:
                    b.err(n.path, f"{ref!r} không áp dụng cho {target_kind}")
        _check_cycles(it, items, b)
    if b.problems:
        raise RulesetError(source, b.problems)
    assert start is not None
    settings = {k: s.default for k, s in b.settings.items()}
    return Ruleset(
        id=rid,
        name_vi=name,
        effective_from=start,
        effective_to=end,
        confidence=conf,
        basis=tuple(raw.get("basis") or ()),
        settings_spec=b.settings,
        settings=settings,
        global_rules=globals_,
        items=items,
        salary=salary,
        extends=raw.get("extends"),
    )


def _walk(node: Node) -> Iterator[Node]:
    yield node
    for c in (*node.children, *node.within):
        yield from _walk(c)


def _check_cycles(item: Item, items: Mapping[str, Item], b: _Builder) -> None:
    """Titles refer to each other (meets, consecutive, holds, member shares): refuse any cycle."""

    def deps(it: Item) -> set[str]:
        out = set()
        for node in it.prerequisites.values():
            for n in _walk(node):
                if n.op in _TITLE_REFS:
                    out.add(str(n.params.get("title")))
        return out

    stack: list[tuple[str, tuple[str, ...]]] = [(item.id, (item.id,))]
    while stack:
        cur, trail = stack.pop()
        for d in deps(items[cur]) if cur in items else set():
            if d == item.id:
                b.err(f"items({item.id}).prerequisites", f"phụ thuộc vòng: {' -> '.join((*trail, d))}")
                return
            if d not in trail:
                stack.append((d, (*trail, d)))
