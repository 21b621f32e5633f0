"""Eligibility in the app: the pure rules engine fed from the database.

Every stored evaluation records the ruleset version and the options it used, and writes an audit
entry. Views, API and commands call these functions; the rules themselves live in `thidua.rules`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction

from thidua.accounts.models import User
from thidua.audit.services import log
from thidua.core.errors import DomainError
from thidua.eligibility import adapters
from thidua.eligibility.models import Evaluation, RuleOptions
from thidua.org.models import Person, Unit
from thidua.org.permissions import can_view_person, can_view_unit, require, require_unit_write
from thidua.rules import CaseError, Ruleset, evaluate, list_rulesets, load_ruleset, vocab
from thidua.rules.render import forecast_text, missing_text

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


@dataclass(frozen=True)
class AppliedThreshold:
    """The council vote threshold that applies to a title under a ruleset and an organisation's
    options, with its basis: `law` (the ruleset's, confirmed), `assumed` (unconfirmed in the law in
    force, applied because the organisation turned the assumption on) or `council` (no legal
    threshold applies: the council's own rule). The ONE reading for ballots, the candidate list and
    the rules page (issue 9, issue 10)."""

    pct: int | None
    kind: str
    basis: str

    @property
    def text(self) -> str:
        if self.pct is None:
            return "Theo quy chế Hội đồng (pháp luật hiện hành không quy định tỷ lệ áp dụng được)"
        return f"Từ {self.pct}% tổng số thành viên Hội đồng trở lên"

    @property
    def confidence(self) -> str:
        return "UNCONFIRMED" if self.kind == "assumed" else ("CONFIRMED" if self.kind == "law" else "")


def vote_threshold(rs: Ruleset, award_id: str) -> AppliedThreshold:
    """The threshold a ballot applies to `award_id` under `rs` (`ruleset_on(..., unit=...)`, so with
    the organisation's options): `Ruleset.vote_threshold(item)` with its citation, else the
    council's rule, saying why (a threshold the law in force does not confirm is not applied
    unless the organisation assumes it: `assume_nd98_vote_thresholds`)."""
    vt = rs.vote_threshold(award_id) if award_id in rs.items else None
    if vt is not None:
        kind = "assumed" if vt.confidence == "UNCONFIRMED" else "law"
        return AppliedThreshold(vt.pct, kind, vt.citation)
    item = rs.items.get(award_id)
    if item is not None and item.vote_threshold is not None:
        citation = item.vote_threshold.citation.split(" (")[0]
        basis = (
            f"Quy chế Hội đồng; ngưỡng {item.vote_threshold.pct}% theo {citation} chưa được xác nhận "
            "theo quy định hiện hành nên không áp dụng"
        )
    else:
        basis = "Quy chế Hội đồng; pháp luật không quy định tỷ lệ phiếu cho danh hiệu, hình thức này"
    return AppliedThreshold(None, "council", basis[:255])


def setting_text(spec: Any, value: Any) -> str:
    """A setting's value as a person reads it: bật/tắt, the Vietnamese label of a choice (from the
    ruleset's `choice_labels_vi`), a window of N years or "không giới hạn"."""
    if spec.choices:
        return str(spec.choice_label(value))
    if spec.type == "bool":
        return "Bật" if value else "Tắt"
    if spec.type == "int" and spec.id.endswith("_window_years"):
        return "Không giới hạn" if not value else f"{value} năm"
    return str(value)


def organisation_unit(user: Any) -> Unit | None:
    """The root unit whose options a page shows to `user`: the organisation of the highest unit
    the user sees, else the installation's organisation."""
    from thidua.org.organisation import current_organisation
    from thidua.org.permissions import visible_units

    top = visible_units(user).order_by("depth", "path").first()
    if top is not None:
        return organisation_root(top)
    organisation = current_organisation()
    return organisation.root if organisation is not None else None


@transaction.atomic
def set_rule_options(
    *, actor: User | None, unit: Unit, options: dict[str, Any], on: date | None = None
) -> RuleOptions:
    """Save an organisation's choices for configurable rules; refuses unknown names and bad values.
    Only those who write for the organisation's root unit change them."""
    root = organisation_root(unit)
    require_unit_write(actor, root, "Chỉ cán bộ thi đua của cơ quan cấp cao nhất được đổi tùy chọn quy tắc")
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
        detail={"changes": _option_changes(ruleset, before, options)},
    )
    return row


def _option_changes(ruleset: Any, before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[str]]:
    """The settings that changed, as the audit log shows them: the setting's Vietnamese description →
    [value before, value after] in words (a setting left unset reads as its default)."""
    changes: dict[str, list[str]] = {}
    for key, spec in ruleset.settings_spec.items():
        old, new = before.get(key, spec.default), after.get(key, spec.default)
        if old != new:
            changes[spec.label] = [setting_text(spec, old), setting_text(spec, new)]
    return changes


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
    actor: User | None,
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
    actor: User | None,
    person: Person,
    year: int,
    as_of: date | None = None,
    candidates: list[str] | None = None,
    store: bool = True,
) -> dict[str, Any]:
    """Evaluate a person for every individual title and form (or `candidates`); store and audit it.
    Those who see the person (`can_view_person`) may run it."""
    require(
        actor, actor is None or can_view_person(actor, person), "Bạn không có quyền xét hồ sơ của người này"
    )
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
    actor: User | None,
    unit: Unit,
    year: int,
    as_of: date | None = None,
    candidates: list[str] | None = None,
    store: bool = True,
) -> dict[str, Any]:
    """Evaluate a unit as a collective (its members' records included); store and audit it.
    Those who see the unit (`can_view_unit`) may run it."""
    require(actor, actor is None or can_view_unit(actor, unit), "Bạn không có quyền xét tập thể này")
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


def rules_in_force(
    day: date, options: dict[str, Any] | None = None, *, unit: Unit | None = None
) -> tuple[Ruleset, list[dict[str, Any]]]:
    """The titles and forms in force on `day` under the organisation's options (`unit`) or `options`;
    each row carries the vote threshold a ballot would apply (`vote_threshold`)."""
    ruleset = ruleset_on(day, options, unit=unit) if unit is not None else ruleset_on(day, options)
    rows = ruleset.rules_in_force()
    for row in rows:
        row["subjects_text"] = ", ".join(vocab.KIND_LABELS.get(k, k) for k in row["subjects"])
        row["authority_text"] = "; ".join(vocab.AUTHORITY_LABELS.get(a, a) for a in row["authority"])
        row["criteria_named"] = [(vocab.KIND_LABELS.get(k, k), text) for k, text in row["criteria"].items()]
        row["prize_named"] = [(vocab.KIND_LABELS.get(k, k), v) for k, v in row["prize_coefficients"].items()]
        if ruleset.items[row["id"]].vote_threshold is None:  # no council vote for this title or form
            row["threshold"] = None
            continue
        applied = vote_threshold(ruleset, row["id"])
        row["threshold"] = {
            "pct": applied.pct,
            "kind": applied.kind,
            "basis": applied.basis,
            "text": applied.text,
        }
    return ruleset, rows


# -- pages ----------------------------------------------------------------------------------------
UNCONFIRMED_MARK = "[Chưa xác nhận"


def _checks(texts: list[str]) -> list[tuple[str, bool]]:
    """Manual checks as (text, unconfirmed): an UNCONFIRMED one is flagged on the page by a badge,
    so its text drops the engine's "[Chưa xác nhận]" mark (an option it names stays)."""
    out = []
    for text in texts:
        if text.startswith(UNCONFIRMED_MARK + "] "):
            out.append((text[len(UNCONFIRMED_MARK) + 2 :], True))
        elif text.startswith(UNCONFIRMED_MARK + "; "):
            out.append(("[" + text[len(UNCONFIRMED_MARK) + 2 :], True))
        else:
            out.append((text, False))
    return out


def earliest_text(row: dict[str, Any], year: int) -> str:
    """`earliest_year` as a sentence ("" when the result is already eligible)."""
    if row.get("verdict") == "eligible":
        return ""
    earliest = row.get("earliest_year")
    if earliest is None:
        return "Chờ thêm các năm sau cũng không đủ: cần thay đổi điều ghi ở phần còn thiếu."
    if earliest <= year:
        return f"Có thể đạt ngay năm {year} khi bổ sung những điều còn thiếu."
    return (
        f"Sớm nhất năm {earliest}, nếu các năm sau đều đạt mức cao nhất có thể (xếp loại Hoàn thành xuất sắc "
        "nhiệm vụ, danh hiệu thấp hơn được công nhận lần lượt, có sáng kiến khi cần)."
    )


def readable(result: dict[str, Any], *, unit: Unit | None) -> dict[str, Any]:
    """What a page prints of an engine output (never the dicts themselves): per result its manual
    checks (UNCONFIRMED ones flagged; those every result carries — such as the Luật 06/2026/QH16
    check from 01/10/2026 — listed once as `common_checks`), what is missing as a sentence
    (`render.missing_text`), the earliest year as a sentence, the prize basis and the council vote
    threshold that applies (`vote_threshold`, with the organisation's options); and the forecast as
    a paragraph (`render.forecast_text`)."""
    results = list(result.get("results") or [])
    every = [set(r.get("manual_checks") or []) for r in results]
    common = set.intersection(*every) if len(every) > 1 else set()
    as_of = date.fromisoformat(result["as_of"]) if result.get("as_of") else default_as_of(result["year"])
    rs = ruleset_on(as_of, unit=unit) if unit is not None else ruleset_on(as_of)
    rows = []
    for r in results:
        item = rs.items.get(r["id"])
        rows.append(
            {
                "r": r,
                "checks": _checks([c for c in r.get("manual_checks") or [] if c not in common]),
                "missing": missing_text(r),
                "earliest": earliest_text(r, result["year"]),
                "threshold": vote_threshold(rs, r["id"])
                if item is not None and item.vote_threshold
                else None,
            }
        )
    ordered = [c for c in (results[0].get("manual_checks") or []) if c in common] if results else []
    return {
        "common_checks": _checks(ordered),
        "rows": rows,
        "forecast": forecast_text(result.get("forecast")),
    }
