"""Eligibility in the app: the pure rules engine fed from the database.

Every stored evaluation records the ruleset version and the options it used, and writes an audit
entry. Views, API and commands call these functions; the rules themselves live in `thidua.rules`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction

from thidua.audit.services import log
from thidua.core.errors import DomainError
from thidua.eligibility import adapters
from thidua.eligibility.models import Evaluation, RuleOptions
from thidua.org.models import Person, Unit
from thidua.rules import CaseError, Ruleset, evaluate, list_rulesets, load_ruleset

VERDICT_LABELS = {"eligible": "Đủ điều kiện", "not_eligible": "Chưa đủ điều kiện", "deferred": "Tạm hoãn xét"}
CONFIDENCE_LABELS = {
    "CONFIRMED": "Đã xác nhận",
    "SINGLE_SOURCE": "Một nguồn",
    "UNCONFIRMED": "Chưa xác nhận",
}


def default_as_of(year: int) -> date:
    return date(year, 12, 31)


def organisation_root(unit: Unit) -> Unit:
    root_id = int(unit.path.strip("/").split("/")[0])
    return unit if unit.pk == root_id else Unit.objects.get(pk=root_id)


def options_for(unit: Unit | None) -> dict[str, Any]:
    if unit is None:
        return {}
    row = RuleOptions.objects.filter(unit_id=organisation_root(unit).pk).first()
    return dict(row.options) if row else {}


def first_ruleset_day() -> date:
    """The first day any shipped ruleset covers (earlier dates have no rules to apply)."""
    return list_rulesets()[0].effective_from


def ruleset_on(day: date, options: dict[str, Any] | None = None, *, unit: Unit | None = None) -> Ruleset:
    """The ruleset in force on `day` with one set of options: those of `unit`'s organisation
    (`RuleOptions`, the "Quy định" page, through `options_for`) when a unit is given, else `options`.
    Every evaluation and every year-end step gets its ruleset here; settings marked UNCONFIRMED keep
    the ruleset's default (off) unless the organisation turned them on. No ruleset in force on that
    day is a DomainError."""
    if unit is not None:
        if options is not None:
            raise TypeError("ruleset_on: give options or a unit, not both")
        options = options_for(unit)
    try:
        ruleset = load_ruleset(on=day)
    except KeyError as exc:
        raise DomainError(
            f"Không có bộ quy tắc nào có hiệu lực ngày {day:%d/%m/%Y}: "
            f"các bộ quy tắc áp dụng từ ngày {first_ruleset_day():%d/%m/%Y}"
        ) from exc
    try:
        return ruleset.with_settings(options or {})
    except ValueError:
        # Options saved for another ruleset version may not all apply: keep the ones that do.
        valid = {k: v for k, v in (options or {}).items() if k in ruleset.settings_spec}
        return ruleset.with_settings(valid)


@transaction.atomic
def set_rule_options(
    *, actor: Any, unit: Unit, options: dict[str, Any], on: date | None = None
) -> RuleOptions:
    """Save an organisation's choices for configurable rules; refuses unknown names and bad values."""
    root = organisation_root(unit)
    ruleset = load_ruleset(on=on or date.today())
    try:
        ruleset.with_settings(options)
    except ValueError as exc:
        raise DomainError(f"Tùy chọn không hợp lệ: {exc}") from exc
    row, _ = RuleOptions.objects.get_or_create(unit=root)
    before = dict(row.options)
    row.options = options
    row.save()
    log(
        "rules.options_changed",
        actor=actor,
        obj=row,
        unit_path=root.path,
        detail={"before": before, "after": options},
    )
    return row


def _summary(result: dict[str, Any]) -> dict[str, str]:
    return {r["id"]: r["verdict"] for r in result["results"]}


def _evaluate(case: dict[str, Any], ruleset: Ruleset, *, with_forecast: bool = True) -> dict[str, Any]:
    """The engine's output, or a DomainError naming the stored record the engine cannot read."""
    try:
        return evaluate(case, ruleset=ruleset, with_forecast=with_forecast).model_dump(mode="json")
    except CaseError as exc:
        details = "; ".join(f"{path}: {value} — {message}" for path, value, message in exc.problems)
        name = case["subject"].get("name", "")
        raise DomainError(
            f"Hồ sơ của {name} có dữ liệu không hợp lệ, cần sửa trước khi xét: {details}"
        ) from exc


def _run(case: dict[str, Any], options: dict[str, Any]) -> tuple[dict[str, Any], Ruleset]:
    as_of = date.fromisoformat(case["as_of"]) if "as_of" in case else default_as_of(case["year"])
    ruleset = ruleset_on(as_of, options)
    return _evaluate(case, ruleset), ruleset


def check_considered(person: Person, day: date) -> None:
    """A person recruited after the evaluation date cannot be considered for that year."""
    if person.recruited_on is not None and person.recruited_on > day:
        raise DomainError(
            f"{person.full_name} được tuyển dụng ngày {person.recruited_on:%d/%m/%Y}, sau ngày xét {day:%d/%m/%Y}: "
            "chưa thuộc diện xét năm này"
        )


def _store(
    *,
    actor: Any,
    subject: Person | Unit,
    unit_path: str,
    year: int,
    as_of: date,
    ruleset: Ruleset,
    options: dict[str, Any],
    result: dict[str, Any],
) -> Evaluation:
    """Keep an evaluation with the ruleset and options it used, and audit it."""
    evaluation = Evaluation.objects.create(
        person=subject if isinstance(subject, Person) else None,
        unit=subject if isinstance(subject, Unit) else None,
        year=year,
        as_of=as_of,
        ruleset=ruleset.id,
        options=options,
        result=result,
        verdicts=_summary(result),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    detail = {
        "evaluation": evaluation.pk,
        "year": year,
        "ruleset": ruleset.id,
        "verdicts": evaluation.verdicts,
    }
    log("eligibility.evaluated", actor=actor, obj=subject, unit_path=unit_path, detail=detail)
    return evaluation


@transaction.atomic
def evaluate_person(
    *,
    actor: Any,
    person: Person,
    year: int,
    as_of: date | None = None,
    candidates: list[str] | None = None,
    store: bool = True,
) -> dict[str, Any]:
    """Evaluate a person for every individual title and form (or `candidates`); store and audit it."""
    day = as_of or default_as_of(year)
    check_considered(person, day)
    case = adapters.person_case(person, year=year, as_of=day, candidates=candidates)
    options = options_for(person.current_unit)
    result, ruleset = _run(case, options)
    if store:
        path = person.current_unit.path if person.current_unit else ""
        _store(
            actor=actor,
            subject=person,
            unit_path=path,
            year=year,
            as_of=day,
            ruleset=ruleset,
            options=options,
            result=result,
        )
    return result


@transaction.atomic
def evaluate_unit(
    *,
    actor: Any,
    unit: Unit,
    year: int,
    as_of: date | None = None,
    candidates: list[str] | None = None,
    store: bool = True,
) -> dict[str, Any]:
    """Evaluate a unit as a collective (its members' records included); store and audit it."""
    day = as_of or default_as_of(year)
    case = adapters.unit_case(unit, year=year, as_of=day, candidates=candidates)
    options = options_for(unit)
    result, ruleset = _run(case, options)
    if store:
        _store(
            actor=actor,
            subject=unit,
            unit_path=unit.path,
            year=year,
            as_of=day,
            ruleset=ruleset,
            options=options,
            result=result,
        )
    return result


@dataclass
class CandidateRow:
    person: Person
    result: dict[str, Any]


@dataclass
class TitleCandidates:
    id: str
    name: str
    eligible: list[CandidateRow] = field(default_factory=list)
    deferred: list[CandidateRow] = field(default_factory=list)
    not_eligible_count: int = 0
    not_considered: list[Person] = field(default_factory=list)
    invalid: list[tuple[Person, str]] = field(default_factory=list)
    vote_threshold_pct: int | None = None
    prize_vnd: int | None = None


def unit_candidates(
    unit: Unit, *, year: int, people: list[Person], as_of: date | None = None
) -> list[TitleCandidates]:
    """For each individual title and form: who is eligible, who is deferred, how many are not (no storing).

    People's records are loaded in a fixed number of queries; each person is then one pure evaluation.
    """
    day = as_of or default_as_of(year)
    ruleset = ruleset_on(day, unit=unit)
    records = adapters.person_records(people, up_to_year=year)
    by_title: dict[str, TitleCandidates] = {}
    not_considered = [p for p in people if p.recruited_on is not None and p.recruited_on > day]
    invalid: list[tuple[Person, str]] = []
    for person in people:
        if person in not_considered:
            continue
        case = {
            "year": year,
            "as_of": day.isoformat(),
            "subject": adapters.subject_for(person, records.get(person.pk, [])),
        }
        try:
            result = _evaluate(case, ruleset, with_forecast=False)
        except DomainError as exc:
            invalid.append((person, exc.message))
            continue
        for r in result["results"]:
            entry = by_title.setdefault(
                r["id"],
                TitleCandidates(
                    id=r["id"],
                    name=r["name"],
                    vote_threshold_pct=r.get("vote_threshold_pct"),
                    prize_vnd=r.get("prize_vnd"),
                ),
            )
            if r["verdict"] == "eligible":
                entry.eligible.append(CandidateRow(person, r))
            elif r["verdict"] == "deferred":
                entry.deferred.append(CandidateRow(person, r))
            else:
                entry.not_eligible_count += 1
    for entry in by_title.values():
        entry.not_considered = not_considered
        entry.invalid = invalid
    return list(by_title.values())


def rules_in_force(day: date, options: dict[str, Any] | None = None) -> tuple[Ruleset, list[dict[str, Any]]]:
    ruleset = ruleset_on(day, options)
    return ruleset, ruleset.rules_in_force()
