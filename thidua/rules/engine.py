"""The interpreter: evaluates one case against a ruleset, returning verdicts with their reasons.

Pure functions over plain data; no I/O, no Django. The same semantics are implemented set-based in
``columnar.py``; ``tests/test_columnar.py`` checks that both agree on generated data.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
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
from thidua.rules.render import forecast_text, setting_name, vn_date
from thidua.rules.ruleset import Item, Ruleset


def open_pendings(facts: Facts, as_of: date) -> list[PendingRecord]:
    return [p for p in facts.pendings if p.since <= as_of and (p.until is None or p.until > as_of)]


def evaluate_result(
    rs: Ruleset, item: Item, facts: Facts, year: int, as_of: date, *, want_gaps: bool = True
) -> TitleResult:
    """One title or form for one subject. ``want_gaps=False``: the verdict without what is missing."""
    ctx = Ctx(rs, year, as_of, item, facts, want_gaps)
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
            f"[Chưa xác nhận; tùy chọn {setting_name(rs, vt_raw.setting)} đang tắt] Ngưỡng biểu quyết của Hội đồng theo quy định "
            f"hiện hành chưa xác minh; giả định nếu bật tùy chọn: từ {vt_raw.pct}% tổng số thành viên ({vt_raw.citation})"
        )
    verdict: Literal["eligible", "not_eligible", "deferred"] = (
        ("deferred" if pending else "eligible") if criteria_ok else "not_eligible"
    )
    missing: list[str] = []
    earliest: int | None = year if verdict == "eligible" else None
    if verdict == "not_eligible":
        missing = list(dict.fromkeys(g.text for g in gaps))
        cost = max((g.cost for g in gaps), default=IMPOSSIBLE)
        earliest = year + cost if cost < IMPOSSIBLE else None
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
        earliest_year=earliest,
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
# Reviews in ladder order (forecast): lower titles are decided first, then the titles built on them
# --------------------------------------------------------------------------------------------
def _refs(item: Item) -> set[str]:
    out: set[str] = set()
    stack = list(item.prerequisites.values())
    while stack:
        n = stack.pop()
        if n.op in ("meets", "consecutive", "holds", "member_share", "has_member_with_title"):
            out.add(str(n.params["title"]))
        if n.op == "since_award":
            out.add(str(n.params["award"]))
        stack += [*n.children, *n.within]
    return out


def ladder_order(rs: Ruleset, items: Sequence[Item]) -> list[Item]:
    """``items`` ordered so that a title or form comes after those its criteria refer to."""
    chosen = {it.id for it in items}
    done: list[Item] = []
    seen: set[str] = set()

    def visit(it: Item) -> None:
        if it.id in seen:
            return
        seen.add(it.id)
        for ref in sorted(_refs(it)):
            if ref in chosen:
                visit(rs.items[ref])
        done.append(it)

    for it in items:
        visit(it)
    return done


def _grant(facts: Facts, result: TitleResult, item: Item, year: int) -> Facts:
    used = set(result.consumes)
    innovations = [
        r.model_copy(update={"used_for": f"{item.id}:{year}"}) if (r.id in used and r.used_for is None) else r
        for r in facts.innovations
    ]
    if item.kind == "title":
        return replace(facts, titles=facts.titles | {(item.id, year)}, innovations=innovations)
    awards = {k: list(v) for k, v in facts.awards.items()}
    awards.setdefault(item.id, []).append(date(year, 12, 31))
    return replace(facts, awards=awards, innovations=innovations)


def review_in_order(
    rs: Ruleset,
    facts: Facts,
    year: int,
    as_of: date,
    candidates: Sequence[str] | None = None,
    *,
    want_gaps: bool = False,
) -> tuple[list[TitleResult], Facts]:
    """A review of ``year``: members' titles first, then each item in ladder order, every eligible one
    granted before the next is considered. Returns the results (in candidate order) and the history
    after the review. Used for projections; a case's own verdicts never count an undecided title."""
    if facts.members:
        members = []
        for m in facts.members:
            _, m2 = review_in_order(rs, m, year, as_of, want_gaps=want_gaps)
            members.append(m2)
        facts = replace(facts, members=members)
    items = [rs.items[c] for c in candidates] if candidates is not None else rs.candidates_for(facts.kind)
    by_id: dict[str, TitleResult] = {}
    for item in ladder_order(rs, items):
        r = evaluate_result(rs, item, facts, year, as_of, want_gaps=want_gaps)
        by_id[item.id] = r
        if r.verdict == "eligible":
            facts = _grant(facts, r, item, year)
    return [by_id[it.id] for it in items], facts


def _keep_rating(facts: Facts, year: int) -> Facts:
    """Next year rated as this year (members too)."""
    ratings = dict(facts.ratings)
    rated = set(facts.rated_years)
    if year in ratings:
        ratings[year + 1] = ratings[year]
        rated.add(year + 1)
    members = [_keep_rating(m, year) for m in facts.members]
    return replace(facts, ratings=ratings, rated_years=frozenset(rated), members=members)


def _same_day_next_year(d: date) -> date:
    return add_months(d, 12)


def forecast(
    rs_now: Ruleset,
    facts: Facts,
    year: int,
    as_of: date,
    results: Sequence[TitleResult],
    options: Mapping[str, Any] | None,
) -> Forecast | None:
    """Next year, if the review of this year grants, in ladder order, what is eligible and the rating
    is kept (members too): next year's review is then run in ladder order as well."""
    from thidua.rules.ruleset import load_ruleset

    next_as_of = _same_day_next_year(as_of)
    try:
        nxt = load_ruleset(on=next_as_of)
        rs = nxt.with_settings(nxt.applicable(options))
    except (KeyError, ValueError):
        return None
    now_results, future = review_in_order(rs_now, facts, year, as_of)
    granted_forms = {
        r.id for r in now_results if r.verdict == "eligible" and rs_now.items[r.id].kind == "form"
    }
    next_results, _ = review_in_order(rs, _keep_rating(future, year), year + 1, next_as_of)
    kept = (
        vocab.RATING_LABELS[vocab.RATINGS[facts.ratings[year]]] if year in facts.ratings else "như hiện tại"
    )
    eligible = [r.id for r in next_results if r.verdict == "eligible" and r.id not in granted_forms]
    out = Forecast(
        year=year + 1,
        as_of=next_as_of,
        ruleset=rs.id,
        assumption=(
            f"Giữ mức xếp loại {kept} năm {year + 1}; các danh hiệu, hình thức đủ điều kiện năm {year} được "
            "công nhận theo thứ tự từ thấp đến cao (danh hiệu thấp hơn trước); không có sáng kiến mới; "
            "các thủ tục đang chờ (nếu có) vẫn chưa kết luận; hình thức khen thưởng được tặng năm nay không "
            "đề nghị lại năm sau trên cùng thành tích"
        ),
        # A form granted this year is not proposed again next year on overlapping achievements
        # (Luật 06/2022 Đ5 k2); the engine cannot tell which years an award rewarded.
        eligible=eligible,
        names=[rs.items[i].name_vi for i in eligible],
        text="",
    )
    out.text = forecast_text(out)
    return out


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
