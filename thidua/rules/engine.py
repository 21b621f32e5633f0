"""The interpreter: evaluates one case against a ruleset, returning verdicts with their reasons.

Pure functions over plain data; no I/O, no Django. The same semantics are implemented set-based in
``columnar.py``; ``tests/test_columnar.py`` checks that both agree on generated data.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any, Literal

from thidua.rules import vocab
from thidua.rules.case import (
    Case,
    CaseResult,
    Forecast,
    PendingRecord,
    Reason,
    SubjectRef,
    TitleResult,
    case_ruleset,
    parse_case,
)
from thidua.rules.criteria import evaluate_item
from thidua.rules.facts import (  # re-exported: the stable names callers use
    IMPOSSIBLE,
    NEVER,
    Ctx,
    Facts,
    Gap,
    add_months,
    build_facts,
    discipline_count_from,
    years_text,
)
from thidua.rules.render import vn_date
from thidua.rules.ruleset import Item, Ruleset


def open_pendings(facts: Facts, as_of: date) -> list[PendingRecord]:
    return [p for p in facts.pendings if p.since <= as_of and (p.until is None or p.until > as_of)]


def evaluate_result(rs: Ruleset, item: Item, facts: Facts, year: int, as_of: date) -> TitleResult:
    ctx = Ctx(rs, year, as_of, item, facts)
    reasons: list[Reason] = []
    manual: list[str] = []
    criteria_ok = True
    gaps: list[Gap] = []
    if facts.count_from is not None and facts.masked_until is not None:
        rule = rs.global_rules["discipline_resets_achievements"]
        d = max(facts.disciplines, key=lambda r: r.until or date.max)
        ok = facts.count_from <= year
        label = vocab.DISCIPLINE_LABELS[d.form]
        if facts.masked_until == date.max:
            text = f"Bị kỷ luật {label} ngày {vn_date(d.date)}, chưa hết thời hạn: chưa tính thành tích"
        else:
            end = facts.masked_until
            counted = "được tính" if ok else "chưa được tính"
            text = (
                f"Bị kỷ luật {label} ngày {vn_date(d.date)}, hết thời hạn ngày {vn_date(end)}: thành tích "
                f"được tính từ ngày {vn_date(end + timedelta(days=1))}; thành tích năm {year} {counted}"
            )
        reasons.append(Reason(ok=ok, text=text, citation=rule.citation, confidence=rule.confidence))
        if not ok:
            criteria_ok = False
            wait = facts.count_from - year if facts.count_from < NEVER else IMPOSSIBLE
            gaps.append(
                Gap(
                    f"chờ hết thời hạn kỷ luật; thành tích tính từ năm {facts.count_from}"
                    if wait < IMPOSSIBLE
                    else "chờ hết thời hạn kỷ luật",
                    wait,
                )
            )
    pending = open_pendings(facts, as_of)
    if pending:
        rule = rs.global_rules["defer_while_pending"]
        for p in pending:
            text = f"{vocab.PENDING_LABELS[p.kind].capitalize()} từ ngày {vn_date(p.since)}: chưa xét khen thưởng cho đến khi có kết luận"
            reasons.append(Reason(ok=False, text=text, citation=rule.citation, confidence=rule.confidence))
    out = evaluate_item(ctx)
    reasons += out.reasons
    manual += out.manual
    criteria_ok = criteria_ok and out.ok
    gaps += out.gaps
    if item.kind == "title" and rs.node_active(rs.global_rules["registration"]):
        g = rs.global_rules["registration"]
        manual.append(f"{g.text_vi} năm {year} ({g.citation}; {g.confidence})")
    if item.kind == "form":
        g = rs.global_rules["one_achievement_one_reward"]
        manual.append(f"{g.text_vi} ({g.citation})")
    notice = rs.rule_on("pending_law_change", as_of)
    if notice is not None:
        manual.append(f"{notice.text_vi} ({notice.citation})")
        note = (notice.params.get("item_notes") or {}).get(item.id)
        if note:
            manual.append(f"[Chưa xác nhận] {note} ({notice.citation})")
    vt_raw = item.vote_threshold
    vt = rs.vote_threshold(item.id)
    if vt_raw is not None and vt is None:
        manual.append(
            f"[Chưa xác nhận; tùy chọn {vt_raw.setting} đang tắt] Ngưỡng biểu quyết của Hội đồng theo quy định "
            f"hiện hành chưa xác minh; giả định nếu bật tùy chọn: từ {vt_raw.pct}% tổng số thành viên ({vt_raw.citation})"
        )
    verdict: Literal["eligible", "not_eligible", "deferred"] = (
        ("deferred" if pending else "eligible") if criteria_ok else "not_eligible"
    )
    missing: list[str] = []
    if verdict == "not_eligible":
        missing = list(dict.fromkeys(g.text for g in gaps))
    elif verdict == "deferred":
        missing = ["chờ kết luận của " + ", ".join(vocab.PENDING_LABELS[p.kind] for p in pending)]
    coef = rs.prize_coefficient(item.id, facts.kind)
    return TitleResult(
        id=item.id,
        name=item.name_vi,
        verdict=verdict,
        eligible=verdict == "eligible",
        reasons=reasons,
        manual_checks=list(dict.fromkeys(manual)),
        consumes=out.consumes if criteria_ok else [],
        authority=list(item.authority),
        vote_threshold_pct=vt.pct if vt else None,
        prize_coefficient=float(coef) if coef is not None else None,
        prize_vnd=rs.prize_vnd(item.id, facts.kind, as_of),
        confidence=item.confidence,
        missing=missing,
        prize_basis=rs.prize_basis(item.id, facts.kind, as_of),
    )


def _flag_shared_consumption(rs: Ruleset, results: list[TitleResult]) -> None:
    rule = rs.global_rules["initiative_single_use"]
    for r in results:
        for other in results:
            if other is r:
                continue
            shared = sorted(set(r.consumes) & set(other.consumes))
            if shared:
                r.manual_checks.append(
                    f"{', '.join(shared)} cũng là căn cứ đề nghị {other.name}: {rule.text_vi.lower()} ({rule.citation})"
                )


def evaluate_facts(
    rs: Ruleset, facts: Facts, year: int, as_of: date, candidates: Sequence[str] | None = None
) -> list[TitleResult]:
    items = [rs.items[c] for c in candidates] if candidates is not None else rs.candidates_for(facts.kind)
    results = [evaluate_result(rs, item, facts, year, as_of) for item in items]
    _flag_shared_consumption(rs, results)
    return results


# --------------------------------------------------------------------------------------------
# Forecast: next year, if the subject keeps its current rating
# --------------------------------------------------------------------------------------------
def _same_day_next_year(d: date) -> date:
    return add_months(d, 12)


def forecast_facts(rs: Ruleset, facts: Facts, year: int, results: Sequence[TitleResult]) -> Facts:
    """Next year's history if every title found eligible now is granted and the rating is kept."""
    granted = {(r.id, year) for r in results if r.verdict == "eligible" and rs.items[r.id].kind == "title"}
    used = {c for r in results if r.verdict == "eligible" for c in r.consumes}
    awards = {k: list(v) for k, v in facts.awards.items()}
    for r in results:
        if r.verdict == "eligible" and rs.items[r.id].kind == "form":
            awards.setdefault(r.id, []).append(date(year, 12, 31))
    ratings = dict(facts.ratings)
    if year in ratings:
        ratings[year + 1] = ratings[year]
    members = []
    for m in facts.members:
        mr = dict(m.ratings)
        if year in mr:
            mr[year + 1] = mr[year]
        members.append(Facts(**{**m.__dict__, "ratings": mr}))
    innovations = [
        r.model_copy(update={"used_for": f"granted:{year}"}) if (r.id in used and r.used_for is None) else r
        for r in facts.innovations
    ]
    return Facts(
        **{
            **facts.__dict__,
            "ratings": ratings,
            "titles": facts.titles | granted,
            "awards": awards,
            "innovations": innovations,
            "members": members,
        }
    )


def forecast(
    rs_now: Ruleset,
    facts: Facts,
    year: int,
    as_of: date,
    results: Sequence[TitleResult],
    options: Mapping[str, Any] | None,
) -> Forecast | None:
    from thidua.rules.ruleset import load_ruleset

    next_as_of = _same_day_next_year(as_of)
    try:
        nxt = load_ruleset(on=next_as_of)
        rs = nxt.with_settings(nxt.applicable(options))
    except (KeyError, ValueError):
        return None
    future = forecast_facts(rs_now, facts, year, results)
    granted_forms = {r.id for r in results if r.verdict == "eligible" and rs_now.items[r.id].kind == "form"}
    next_results = evaluate_facts(rs, future, year + 1, next_as_of)
    kept = (
        vocab.RATING_LABELS[vocab.RATINGS[facts.ratings[year]]] if year in facts.ratings else "như hiện tại"
    )
    return Forecast(
        year=year + 1,
        as_of=next_as_of,
        ruleset=rs.id,
        assumption=(
            f"Giữ mức xếp loại {kept} năm {year + 1}; các danh hiệu, hình thức đủ điều kiện năm {year} được công nhận; "
            "không có sáng kiến mới; các thủ tục đang chờ (nếu có) vẫn chưa kết luận; "
            "hình thức khen thưởng được tặng năm nay không đề nghị lại năm sau trên cùng thành tích"
        ),
        # A form granted this year is not proposed again next year on overlapping achievements
        # (Luật 06/2022 Đ5 k2); the engine cannot tell which years an award rewarded.
        eligible=[r.id for r in next_results if r.verdict == "eligible" and r.id not in granted_forms],
    )


# --------------------------------------------------------------------------------------------
# Public entry point
# --------------------------------------------------------------------------------------------
def evaluate(
    case: Case | Mapping[str, Any],
    *,
    ruleset: Ruleset | None = None,
    options: Mapping[str, Any] | None = None,
    with_forecast: bool = True,
) -> CaseResult:
    """Evaluate one case. ``options`` overrides ruleset settings (``ValueError`` for a name no ruleset
    knows or a bad value; names known only to other ruleset versions are ignored)."""
    if not isinstance(case, Case):
        case = parse_case(dict(case), ruleset=ruleset, options=options)
    base = case_ruleset(case, ruleset)
    rs = base.with_settings(base.applicable(options))
    as_of = case.as_of_date
    facts = build_facts(case.subject, members=case.subject.members, as_of=as_of)
    results = evaluate_facts(rs, facts, case.year, as_of, case.candidates)
    fc = forecast(rs, facts, case.year, as_of, results, options) if with_forecast else None
    return CaseResult(
        subject=SubjectRef(kind=case.subject.kind, id=case.subject.id, name=case.subject.name),
        year=case.year,
        as_of=as_of,
        ruleset=rs.id,
        results=results,
        forecast=fc,
    )


__all__ = [
    "Ctx",
    "Facts",
    "Gap",
    "add_months",
    "build_facts",
    "discipline_count_from",
    "evaluate",
    "evaluate_facts",
    "years_text",
]
