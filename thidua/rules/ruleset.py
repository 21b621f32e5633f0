"""Rulesets as data: loading, merging (`extends`), validation with paths, and the read-only model.

A ruleset is a YAML file under ``thidua/rules/rulesets/``; the base-salary schedule is
``base_salary.yaml`` beside them. Changing a threshold, a coefficient or a date is a change to those
files, never to this code. Loading validates everything and reports every problem with its path.
"""

from __future__ import annotations

import copy
import functools
import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_CEILING, Decimal
from importlib import resources
from typing import Any

import yaml


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
    checkable: bool = field(init=False, default=False)  # the engine can decide some part of it

    def __post_init__(self) -> None:
        if self.op == "manual":
            value = False
        elif self.op in ("all_of", "any_of"):
            value = any(c.checkable for c in self.children)
        else:
            value = True
        object.__setattr__(self, "checkable", value)


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
    effective_from: date | None = None  # the instrument's own dates, when they differ from the ruleset's
    effective_to: date | None = None

    def in_force(self, day: date) -> bool:
        return (self.effective_from is None or self.effective_from <= day) and (
            self.effective_to is None or day <= self.effective_to
        )


@dataclass(frozen=True)
class SettingSpec:
    id: str
    default: Any
    confidence: str
    description_vi: str
    choices: tuple[Any, ...] | None = None
    type: str = "bool"
    # (choice, its Vietnamese label) for every choice: what a person reads instead of the code
    # (`choice_labels_vi` next to `choices` in the ruleset; the loader refuses a choice without one).
    choice_labels: tuple[tuple[Any, str], ...] = ()
    # a short name for lists, reasons and the audit log (`label_vi`); the description says the rest
    label_vi: str = ""

    @property
    def label(self) -> str:
        """The setting's short Vietnamese name: `label_vi`, else its description up to the first colon."""
        return self.label_vi or self.description_vi.split(": ", 1)[0].strip().rstrip(".")

    def choice_label(self, value: Any) -> str:
        """The Vietnamese label of one of the choices (the value itself only if it is not a choice)."""
        return next((label for choice, label in self.choice_labels if choice == value), str(value))


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
    rounding_citation: str = ""  # the rounding rule of the instrument in force (default: base_salary.yaml)

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

    def rule_on(self, rule_id: str, day: date) -> GlobalRule | None:
        """A global rule in force on ``day``: None when this ruleset lacks it or it is not in force."""
        rule = self.global_rules.get(rule_id)
        return rule if rule is not None and rule.in_force(day) else None

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

    def salary_period_on(self, day: date) -> SalaryPeriod:
        for p in self.salary.periods:
            if p.start <= day and (p.end is None or day <= p.end):
                return p
        raise LookupError(f"không có mức lương cơ sở cho ngày {day.isoformat()}")

    def prize_basis(self, item_id: str, subject_kind: str, on: date) -> str | None:
        """How ``prize_vnd`` is computed, with the instruments in force on ``on`` (Vietnamese)."""
        coef = self.prize_coefficient(item_id, subject_kind)
        if coef is None:
            return None
        item = self.items[item_id]
        prize_cite = (item.prize.citation if item.prize else None) or item.citation
        period = self.salary_period_on(on)
        coef_text = format(coef.normalize(), "f").replace(".", ",")
        return (
            f"Hệ số {coef_text} ({prize_cite}) × mức lương cơ sở ({period.basis}), "
            f"làm tròn lên hàng chục nghìn đồng ({self.rounding_citation or self.salary.citation})"
        )

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
    from thidua.rules.validation import build_ruleset

    raw = _raw_ruleset(ruleset_id)
    source = _ruleset_files()[ruleset_id] + (" (sau khi gộp extends)" if raw.get("extends") else "")
    return build_ruleset(raw, source=source, salary=_salary())


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
