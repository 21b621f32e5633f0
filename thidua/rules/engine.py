"""The interpreter: evaluates one case against a ruleset, returning verdicts with their reasons.

Pure functions over plain data; no I/O, no Django. The same semantics are implemented set-based in
``columnar.py``; ``tests/test_columnar.py`` checks that both agree on generated data.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

from thidua.rules import vocab
from thidua.rules.case import (
    AwardRecord,
    Case,
    CaseResult,
    ClusterRankRecord,
    DisciplineRecord,
    Forecast,
    InitiativeRecord,
    LeaveRecord,
    Member,
    MovementLeadRecord,
    PendingRecord,
    RatingRecord,
    Reason,
    ScienceWorkRecord,
    Subject,
    SubjectRef,
    TitleRecord,
    TitleResult,
    case_ruleset,
    parse_case,
)
from thidua.rules.render import describe, level_text, name_of
from thidua.rules.ruleset import Item, Node, Ruleset

NEVER = 10_000  # "count achievements from" a year that never comes (discipline still in effect)
IMPOSSIBLE = 99  # cost of a path the engine sees no way to satisfy by waiting


def add_months(d: date, months: int) -> date:
    m = d.month - 1 + months
    year, month = d.year + m // 12, m % 12 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def years_text(years: Sequence[int]) -> str:
    ys = sorted(years)
    if not ys:
        return ""
    if len(ys) > 1 and ys[-1] - ys[0] == len(ys) - 1:
        return f"{ys[0]}–{ys[-1]}"
    return ", ".join(str(y) for y in ys)


# --------------------------------------------------------------------------------------------
# Facts: indexed history of one subject (achievements before the end of a discipline are masked)
# --------------------------------------------------------------------------------------------
@dataclass
class Facts:
    kind: str
    id: str
    name: str
    recruited_on: date | None
    ratings: dict[int, int]
    titles: set[tuple[str, int]]
    awards: dict[str, list[date]]
    innovations: list[InitiativeRecord | ScienceWorkRecord]
    disciplines: list[DisciplineRecord]
    pendings: list[PendingRecord]
    leaves: list[LeaveRecord]
    clusters: list[ClusterRankRecord]
    movements: list[MovementLeadRecord]
    members: list[Facts]
    count_from: int | None  # first year whose achievements count (None: no discipline)
    unrated_years: set[int] = field(default_factory=set)


def discipline_count_from(disciplines: Sequence[DisciplineRecord]) -> int | None:
    """Achievements count only from the end of the discipline period (NĐ 152/2025 Đ4 k4)."""
    if not disciplines:
        return None
    return max(NEVER if d.until is None else d.until.year + 1 for d in disciplines)


def build_facts(
    s: Subject | Member, *, members: Sequence[Member] | None = None, as_of: date | None = None
) -> Facts:
    """Index a subject's history. Awards and disciplines dated after ``as_of`` are not in effect yet."""
    last = as_of or date.max
    disciplines = [r for r in s.records if isinstance(r, DisciplineRecord) and r.date <= last]
    cf = discipline_count_from(disciplines)
    start = cf or 0
    ratings = {
        r.year: vocab.RATING_RANK[r.value]
        for r in s.records
        if isinstance(r, RatingRecord) and r.year >= start
    }
    titles = {(r.id, r.year) for r in s.records if isinstance(r, TitleRecord) and r.year >= start}
    awards: dict[str, list[date]] = {}
    for r in s.records:
        if isinstance(r, AwardRecord) and r.date <= last:
            awards.setdefault(r.id, []).append(r.date)
    return Facts(
        kind=s.kind,
        id=s.id,
        name=s.name,
        recruited_on=s.recruited_on,
        ratings=ratings,
        titles=titles,
        awards=awards,
        innovations=[
            r for r in s.records if isinstance(r, InitiativeRecord | ScienceWorkRecord) and r.year >= start
        ],
        disciplines=disciplines,
        pendings=[r for r in s.records if isinstance(r, PendingRecord)],
        leaves=[r for r in s.records if isinstance(r, LeaveRecord)],
        clusters=[r for r in s.records if isinstance(r, ClusterRankRecord) and r.year >= start],
        movements=[r for r in s.records if isinstance(r, MovementLeadRecord) and r.year >= start],
        members=[build_facts(m, as_of=as_of) for m in members or ()],
        count_from=cf,
    )


# --------------------------------------------------------------------------------------------
# Outcomes
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Gap:
    text: str
    cost: int  # years until it could be met by waiting (0: this year)


@dataclass
class Outcome:
    ok: bool
    reasons: list[Reason] = field(default_factory=list)
    manual: list[str] = field(default_factory=list)
    consumes: list[str] = field(default_factory=list)
    reserved: frozenset[str] = frozenset()
    gaps: list[Gap] = field(default_factory=list)

    @property
    def cost(self) -> int:
        return 0 if self.ok else max((g.cost for g in self.gaps), default=IMPOSSIBLE)


@dataclass
class Ctx:
    rs: Ruleset
    year: int
    as_of: date
    item: Item  # the title/form whose criteria are being evaluated (for citations, used_for)
    facts: Facts


def _cite(node: Node, ctx: Ctx) -> str:
    return node.citation or ctx.item.citation


def _conf(node: Node, ctx: Ctx) -> str:
    return node.confidence or ctx.item.confidence


def _reason(ok: bool, text: str, node: Node, ctx: Ctx) -> Reason:
    return Reason(ok=ok, text=text, citation=_cite(node, ctx), confidence=_conf(node, ctx))


def _manual_text(node: Node, ctx: Ctx) -> str:
    return f"{describe(node, ctx.rs)} ({_cite(node, ctx)})"


# --------------------------------------------------------------------------------------------
# Predicates
# --------------------------------------------------------------------------------------------
def evaluate_node(node: Node, ctx: Ctx, reserved: frozenset[str]) -> Outcome:
    rs = ctx.rs
    if not rs.node_active(node):
        text = f"[Chưa xác nhận; tùy chọn {node.setting} đang tắt] {_manual_text(node, ctx)}"
        return Outcome(ok=True, manual=[text], reserved=reserved)
    op = node.op
    if op == "manual":
        return Outcome(ok=True, manual=[_manual_text(node, ctx)], reserved=reserved)
    if op == "all_of":
        out = Outcome(ok=True, reserved=reserved)
        for c in node.children:
            o = evaluate_node(c, ctx, out.reserved)
            out.ok = out.ok and o.ok
            out.reasons += o.reasons
            out.manual += o.manual
            out.consumes += o.consumes
            out.gaps += o.gaps
            out.reserved = o.reserved
        return out
    if op == "any_of":
        return _any_of(node, ctx, reserved)
    fn = _PREDICATES[op]
    return fn(node, ctx, reserved)


def _any_of(node: Node, ctx: Ctx, reserved: frozenset[str]) -> Outcome:
    checkable = [c for c in node.children if c.checkable and ctx.rs.node_active(c)]
    judgement = [c for c in node.children if not (c.checkable and ctx.rs.node_active(c))]
    if not checkable:  # nothing the engine can decide: the officer judges every path
        alts = [m for c in judgement for m in evaluate_node(c, ctx, reserved).manual]
        return Outcome(ok=True, manual=[f"Một trong: {' | '.join(alts)}"], reserved=reserved)
    outs = [evaluate_node(c, ctx, reserved) for c in checkable]
    reasons = [r for o in outs for r in o.reasons]
    chosen = next((o for o in outs if o.ok), None)
    if chosen is not None:
        return Outcome(True, reasons, chosen.manual, chosen.consumes, chosen.reserved)
    manual = [f"Hoặc (cán bộ xét): {m}" for c in judgement for m in evaluate_node(c, ctx, reserved).manual]
    best = min(outs, key=lambda o: o.cost)
    return Outcome(False, reasons, manual, [], reserved, best.gaps)


def _rating(ctx: Ctx, year: int, facts: Facts | None = None) -> int | None:
    return (facts or ctx.facts).ratings.get(year)


def _rating_at_least(node: Node, ctx: Ctx, reserved: frozenset[str]) -> Outcome:
    level = node.params["level"]
    need = vocab.RATING_RANK[level]
    got = _rating(ctx, ctx.year)
    if got is None:
        text = f"Chưa có kết quả xếp loại năm {ctx.year} (cần {level_text(level)})"
        return Outcome(
            False,
            [_reason(False, text, node, ctx)],
            reserved=reserved,
            gaps=[Gap(f"cần xếp loại {level_text(level)} năm {ctx.year}", 0)],
        )
    label = vocab.RATING_LABELS[vocab.RATINGS[got]]
    if got >= need:
        text = f"Năm {ctx.year} xếp loại {label} (yêu cầu {level_text(level)})"
        return Outcome(True, [_reason(True, text, node, ctx)], reserved=reserved)
    text = f"Năm {ctx.year} xếp loại {label}, chưa đạt mức {level_text(level)}"
    return Outcome(
        False,
        [_reason(False, text, node, ctx)],
        reserved=reserved,
        gaps=[Gap(f"cần xếp loại {level_text(level)} (năm {ctx.year + 1} nếu năm nay đã xếp loại)", 1)],
    )


def title_this_year(
    ctx: Ctx, facts: Facts, title: str, reserved: frozenset[str]
) -> tuple[bool, bool, Outcome | None]:
    """(counts, held, meets-outcome) for a title in the year under consideration."""
    if (title, ctx.year) in facts.titles:
        return True, True, None
    if not ctx.rs.settings.get("count_current_year_if_meets"):
        return False, False, None
    item = ctx.rs.items[title]
    if not item.evaluable_for(facts.kind):
        return False, False, None
    sub = Ctx(ctx.rs, ctx.year, ctx.as_of, item, facts)
    out = evaluate_item(sub, reserved)
    return out.ok, False, out


def _chain(ctx: Ctx, facts: Facts, present: Any, start: int, step: int = 1) -> list[int]:
    """Years of the unbroken chain ending at ``start`` and going back by ``step`` years (gap policy
    from settings)."""
    skip = ctx.rs.settings.get("chain_gap_policy") == "skip_unrated"
    years = []
    y = start
    lowest = min([*facts.ratings, *(t[1] for t in facts.titles), start]) - 1
    while y > lowest:
        if present(y):
            years.append(y)
        elif skip and y not in facts.ratings and y != ctx.year:
            pass
        else:
            break
        y -= step
    return years


def _meets(node: Node, ctx: Ctx, reserved: frozenset[str]) -> Outcome:
    title = node.params["title"]
    _counts, held, inner = title_this_year(ctx, ctx.facts, title, reserved)
    name = name_of(ctx.rs, title)
    cite = node.citation or ctx.rs.items[title].citation
    if held:
        return Outcome(
            True,
            [
                Reason(
                    ok=True,
                    text=f"Đã được công nhận {name} năm {ctx.year}",
                    citation=cite,
                    confidence=_conf(node, ctx),
                )
            ],
            reserved=reserved,
        )
    if inner is None:
        item = ctx.rs.items[title]
        inner = evaluate_item(Ctx(ctx.rs, ctx.year, ctx.as_of, item, ctx.facts), reserved)
    detail = "; ".join(r.text for r in inner.reasons if r.ok == inner.ok) or "không có tiêu chí máy xét được"
    if inner.ok:
        text = f"Đạt tiêu chuẩn {name} năm {ctx.year}: {detail}"
    else:
        text = f"Chưa đạt tiêu chuẩn {name} năm {ctx.year}: {detail}"
    return Outcome(
        inner.ok,
        [Reason(ok=inner.ok, text=text, citation=cite, confidence=_conf(node, ctx))],
        inner.manual,
        [],
        inner.reserved,
        inner.gaps,
    )


def _consecutive(node: Node, ctx: Ctx, reserved: frozenset[str]) -> Outcome:
    title, count = node.params["title"], node.params["count"]
    step = int(ctx.rs.resolve(node.params.get("step", 1)))
    name = name_of(ctx.rs, title)
    counts, _held, inner = title_this_year(ctx, ctx.facts, title, reserved)
    new_reserved = inner.reserved if (inner is not None and counts) else reserved
    manual = inner.manual if (inner is not None and counts) else []

    def present(y: int) -> bool:
        return counts if y == ctx.year else (title, y) in ctx.facts.titles

    chain = _chain(ctx, ctx.facts, present, ctx.year, step)
    k = len(chain)
    unit = "năm" if step == 1 else f"lần (mỗi {step} năm)"
    note = "" if inner is None or not counts else f" (năm {ctx.year}: đạt tiêu chuẩn, chờ công nhận)"
    if k >= count:
        text = f"Đạt {name} {count} {unit} liên tục ({years_text(chain[:count])}){note}"
        return Outcome(True, [_reason(True, text, node, ctx)], manual, [], new_reserved)
    have = f"hiện liên tục {k} {unit}: {years_text(chain)}" if k else f"năm {ctx.year} chưa đạt"
    text = f"Chưa đủ {count} {unit} liên tục đạt {name} tính đến năm {ctx.year} ({have})"
    n = count - k
    gap = Gap(
        f"cần thêm {n} {'năm' if step == 1 else 'lần'} {name} liên tiếp ({ctx.year + n * step})", n * step
    )
    return Outcome(False, [_reason(False, text, node, ctx)], reserved=reserved, gaps=[gap])


def _rating_chain(ctx: Ctx, level: str) -> list[int]:
    need = vocab.RATING_RANK[level]
    return _chain(ctx, ctx.facts, lambda y: ctx.facts.ratings.get(y, -1) >= need, ctx.year)


def _consecutive_rating(node: Node, ctx: Ctx, reserved: frozenset[str]) -> Outcome:
    level, n_years = node.params["level"], node.params["min_years"]
    chain = _rating_chain(ctx, level)
    k = len(chain)
    if k >= n_years:
        text = f"{n_years} năm liên tục xếp loại {level_text(level)} ({years_text(chain[:n_years])})"
        return Outcome(True, [_reason(True, text, node, ctx)], reserved=reserved)
    text = f"Chưa đủ {n_years} năm liên tục xếp loại {level_text(level)} tính đến năm {ctx.year} (hiện có {k} năm)"
    n = n_years - k
    gap = Gap(f"cần thêm {n} năm liên tục xếp loại {level_text(level)} ({ctx.year + n})", n)
    return Outcome(False, [_reason(False, text, node, ctx)], reserved=reserved, gaps=[gap])


def _since_award(node: Node, ctx: Ctx, reserved: frozenset[str]) -> Outcome:
    p = node.params
    award, min_years, level = p["award"], p["min_years"], p["each_year"]["level"]
    aname = name_of(ctx.rs, award)
    years = sorted(d.year for d in ctx.facts.awards.get(award, []) if d.year <= ctx.year)
    if not years:
        text = f"Chưa được tặng {aname}"
        gap = Gap(
            f"cần được tặng {aname}, sau đó {min_years} năm liên tục xếp loại {level_text(level)}",
            min_years + 1,
        )
        return Outcome(False, [_reason(False, text, node, ctx)], reserved=reserved, gaps=[gap])
    offset = 1 if ctx.rs.settings.get("since_award_window_starts") == "year_after_award" else 0
    first_start = years[0] + offset
    chain = [y for y in _rating_chain(ctx, level) if y >= first_start]
    run = len(chain)
    window_start = min(chain) if chain else ctx.year + 1
    ok_each = run >= min_years
    reasons = []
    gaps = []
    if ok_each:
        reasons.append(
            _reason(
                True,
                f"Được tặng {aname} năm {years[0]}; {run} năm liên tục xếp loại {level_text(level)} ({years_text(chain)}), yêu cầu từ {min_years} năm",
                node,
                ctx,
            )
        )
    else:
        reasons.append(
            _reason(
                False,
                f"Được tặng {aname} năm {years[0]}; mới có {run} năm liên tục xếp loại {level_text(level)} tính từ năm {first_start} đến {ctx.year} (yêu cầu từ {min_years} năm)",
                node,
                ctx,
            )
        )
        n = min_years - run
        gaps.append(Gap(f"cần thêm {n} năm liên tục xếp loại {level_text(level)} ({ctx.year + n})", n))
    out = Outcome(ok_each, reasons, reserved=reserved, gaps=gaps)
    for w in node.within:
        o = _within(w, ctx, out.reserved, window_start)
        out.ok = out.ok and o.ok
        out.reasons += o.reasons
        out.manual += o.manual
        out.gaps += o.gaps
        out.reserved = o.reserved
    if not out.ok:
        out.reserved = reserved
    return out


def _within(node: Node, ctx: Ctx, reserved: frozenset[str], start: int) -> Outcome:
    p = node.params
    window = list(range(start, ctx.year + 1))
    period = f"giai đoạn {years_text(window)}" if window else "giai đoạn tính"
    if node.op == "rating_years":
        need = vocab.RATING_RANK[p["level"]]
        hits = [y for y in window if ctx.facts.ratings.get(y, -1) >= need]
        ok = len(hits) >= p["min_count"]
        text = f"Trong {period} có {len(hits)} năm xếp loại {level_text(p['level'])} (yêu cầu ít nhất {p['min_count']})"
        gaps = (
            []
            if ok
            else [
                Gap(
                    f"cần thêm {p['min_count'] - len(hits)} năm xếp loại {level_text(p['level'])}",
                    p["min_count"] - len(hits),
                )
            ]
        )
        return Outcome(ok, [_reason(ok, text, node, ctx)], reserved=reserved, gaps=gaps)
    if node.op == "holds":
        title, count = p["title"], p["count"]
        counts, _held, inner = (
            title_this_year(ctx, ctx.facts, title, reserved) if window else (False, False, None)
        )
        hits = [y for y in window if (title, y) in ctx.facts.titles or (y == ctx.year and counts)]
        ok = len(hits) >= count
        name = name_of(ctx.rs, title)
        text = f"Trong {period} có {len(hits)} lần đạt {name}{f' ({years_text(hits)})' if hits else ''} (yêu cầu {count})"
        gaps = (
            []
            if ok
            else [
                Gap(
                    f"cần thêm {count - len(hits)} lần đạt {name} ({ctx.year + count - len(hits)})",
                    count - len(hits),
                )
            ]
        )
        new_reserved = inner.reserved if (inner is not None and counts and ok) else reserved
        return Outcome(ok, [_reason(ok, text, node, ctx)], reserved=new_reserved, gaps=gaps)
    return evaluate_node(node, ctx, reserved)


def innovation_key(r: InitiativeRecord | ScienceWorkRecord) -> str:
    return f"{r.type}:{r.id}"


def innovation_available(r: InitiativeRecord | ScienceWorkRecord, item_id: str, year: int) -> bool:
    return r.used_for is None or r.used_for == f"{item_id}:{year}"


def _innovation(node: Node, ctx: Ctx, reserved: frozenset[str]) -> Outcome:
    p = node.params
    pool = node.op
    scope, count, within = p["scope"], p["count"], p["within_years"]
    need = vocab.SCOPE_RANK[scope]
    first = ctx.year - within + 1
    what = "sáng kiến" if pool == "initiative" else "đề tài, công trình khoa học đã nghiệm thu"
    in_pool = [
        r
        for r in ctx.facts.innovations
        if r.type == pool and first <= r.year <= ctx.year and vocab.SCOPE_RANK[r.scope] >= need
    ]
    free = [
        r
        for r in in_pool
        if innovation_available(r, ctx.item.id, ctx.year) and innovation_key(r) not in reserved
    ]
    # Lowest sufficient scope first (keeps wider-scope initiatives for higher titles); among equals,
    # one already recorded as used for this very title and year first (re-evaluating a decision).
    free.sort(key=lambda r: (vocab.SCOPE_RANK[r.scope], r.used_for is None, -r.year, r.id))
    chosen = free[:count]
    period = f"năm {ctx.year}" if within == 1 else f"{first}–{ctx.year}"
    if len(chosen) >= count:
        desc = ", ".join(f"{r.id} (cấp {vocab.SCOPE_LABELS[r.scope]}, năm {r.year})" for r in chosen)
        text = f"Có {what} {desc} được công nhận, chưa dùng để khen thưởng"
        return Outcome(
            True,
            [_reason(True, text, node, ctx)],
            consumes=[r.id for r in chosen],
            reserved=reserved | {innovation_key(r) for r in chosen},
        )
    used = [r for r in in_pool if r not in free]
    used_txt = "; ".join(f"{r.id} đã dùng cho {r.used_for or 'danh hiệu khác cùng kỳ'}" for r in used)
    text = (
        f"Không đủ {count} {what} được công nhận từ cấp {vocab.SCOPE_LABELS[scope]} trở lên ({period}) chưa dùng để khen thưởng"
        f" (hiện có {len(chosen)}){f'; {used_txt}' if used_txt else ''}"
    )
    gap = Gap(
        f"cần thêm {count - len(chosen)} {what} được công nhận từ cấp {vocab.SCOPE_LABELS[scope]} trở lên", 0
    )
    return Outcome(False, [_reason(False, text, node, ctx)], reserved=reserved, gaps=[gap])


def _members_with(ctx: Ctx, title: str) -> list[Facts]:
    out = []
    for m in ctx.facts.members:
        sub = Ctx(ctx.rs, ctx.year, ctx.as_of, ctx.item, m)
        counts, _held, _inner = title_this_year(sub, m, title, frozenset())
        if counts:
            out.append(m)
    return out


def _member_share(node: Node, ctx: Ctx, reserved: frozenset[str]) -> Outcome:
    p = node.params
    title = p["title"]
    pct = int(ctx.rs.resolve(p["min_pct"]))
    op = ctx.rs.resolve(p.get("op", ">="))
    n = len(ctx.facts.members)
    k = len(_members_with(ctx, title))
    name = name_of(ctx.rs, title)
    ok = n > 0 and (100 * k > pct * n if op == ">" else 100 * k >= pct * n)
    req = f"{'trên' if op == '>' else 'từ'} {pct}%{'' if op == '>' else ' trở lên'}"
    if n == 0:
        return Outcome(
            False,
            [_reason(False, "Không có danh sách thành viên để tính tỷ lệ", node, ctx)],
            reserved=reserved,
            gaps=[Gap("cần danh sách thành viên", 0)],
        )
    share = f"{k}/{n} thành viên ({round(100 * k / n)}%) đạt {name} năm {ctx.year}"
    text = f"{share} (yêu cầu {req})"
    gaps = []
    if not ok:
        extra = next(
            m for m in range(1, n + 1) if (100 * (k + m) > pct * n if op == ">" else 100 * (k + m) >= pct * n)
        )
        gaps.append(Gap(f"cần thêm {extra} thành viên đạt {name}", 0))
    return Outcome(ok, [_reason(ok, text, node, ctx)], reserved=reserved, gaps=gaps)


def _all_members_rating(node: Node, ctx: Ctx, reserved: frozenset[str]) -> Outcome:
    level = node.params["level"]
    need = vocab.RATING_RANK[level]
    members = ctx.facts.members
    bad = [m for m in members if m.ratings.get(ctx.year, -1) < need]
    if not members:
        return Outcome(
            False,
            [_reason(False, "Không có danh sách thành viên", node, ctx)],
            reserved=reserved,
            gaps=[Gap("cần danh sách thành viên", 0)],
        )
    if not bad:
        text = f"100% thành viên ({len(members)}) xếp loại {level_text(level)} năm {ctx.year}"
        return Outcome(True, [_reason(True, text, node, ctx)], reserved=reserved)
    names = ", ".join(m.name for m in bad[:5]) + (f" và {len(bad) - 5} người khác" if len(bad) > 5 else "")
    text = f"{len(bad)}/{len(members)} thành viên chưa xếp loại {level_text(level)} năm {ctx.year}: {names}"
    return Outcome(
        False,
        [_reason(False, text, node, ctx)],
        reserved=reserved,
        gaps=[Gap(f"cần 100% thành viên xếp loại {level_text(level)}", 1)],
    )


def _has_member_with(node: Node, ctx: Ctx, reserved: frozenset[str]) -> Outcome:
    title, need = node.params["title"], node.params["min_count"]
    hits = _members_with(ctx, title)
    name = name_of(ctx.rs, title)
    ok = len(hits) >= need
    text = f"Có {len(hits)} thành viên đạt {name} năm {ctx.year} (yêu cầu ít nhất {need})"
    gaps = [] if ok else [Gap(f"cần thêm {need - len(hits)} thành viên đạt {name}", 0)]
    return Outcome(ok, [_reason(ok, text, node, ctx)], reserved=reserved, gaps=gaps)


def _no_member_disciplined(node: Node, ctx: Ctx, reserved: frozenset[str]) -> Outcome:
    level = node.params["level"]
    need = vocab.DISCIPLINE_RANK[level]
    bad = [
        m
        for m in ctx.facts.members
        if any(d.date.year == ctx.year and vocab.DISCIPLINE_RANK[d.form] >= need for d in m.disciplines)
    ]
    label = vocab.DISCIPLINE_LABELS[level]
    if not bad:
        return Outcome(
            True,
            [_reason(True, f"Không có thành viên bị kỷ luật từ {label} trở lên năm {ctx.year}", node, ctx)],
            reserved=reserved,
        )
    text = f"{len(bad)} thành viên bị kỷ luật từ {label} trở lên năm {ctx.year}: {', '.join(m.name for m in bad[:5])}"
    return Outcome(
        False,
        [_reason(False, text, node, ctx)],
        reserved=reserved,
        gaps=[Gap(f"năm sau không có thành viên bị kỷ luật từ {label} trở lên ({ctx.year + 1})", 1)],
    )


def _leads_cluster(node: Node, ctx: Ctx, reserved: frozenset[str]) -> Outcome:
    org = node.params["organiser"]
    label = vocab.ORGANISER_LABELS[org]
    ranks = [r.rank for r in ctx.facts.clusters if r.year == ctx.year and r.organiser == org]
    if ranks and ranks[0] == 1:
        return Outcome(
            True,
            [_reason(True, f"Dẫn đầu cụm, khối thi đua do {label} tổ chức năm {ctx.year}", node, ctx)],
            reserved=reserved,
        )
    text = (
        f"Năm {ctx.year} xếp thứ {ranks[0]} trong cụm, khối thi đua do {label} tổ chức"
        if ranks
        else f"Không có kết quả dẫn đầu cụm, khối thi đua do {label} tổ chức năm {ctx.year}"
    )
    return Outcome(
        False,
        [_reason(False, text, node, ctx)],
        reserved=reserved,
        gaps=[Gap(f"cần dẫn đầu cụm, khối thi đua do {label} tổ chức ({ctx.year + 1})", 1)],
    )


def _leads_movement(node: Node, ctx: Ctx, reserved: frozenset[str]) -> Outcome:
    by, min_years = node.params["launched_by"], node.params["min_years"]
    label = vocab.ORGANISER_LABELS[by]
    hits = [m for m in ctx.facts.movements if m.year == ctx.year and m.launched_by == by]
    good = [m for m in hits if m.years_run >= min_years]
    if good:
        text = f"Dẫn đầu khi tổng kết phong trào thi đua theo chuyên đề do {label} phát động ({good[0].years_run} năm) năm {ctx.year}"
        return Outcome(True, [_reason(True, text, node, ctx)], reserved=reserved)
    if hits:
        text = f"Phong trào do {label} phát động dẫn đầu năm {ctx.year} mới thực hiện {max(m.years_run for m in hits)} năm (yêu cầu từ {min_years} năm)"
    else:
        text = f"Không dẫn đầu phong trào thi đua theo chuyên đề do {label} phát động (từ {min_years} năm) tổng kết năm {ctx.year}"
    return Outcome(
        False,
        [_reason(False, text, node, ctx)],
        reserved=reserved,
        gaps=[
            Gap(
                f"cần dẫn đầu khi tổng kết phong trào chuyên đề do {label} phát động, thực hiện từ {min_years} năm",
                1,
            )
        ],
    )


_PREDICATES = {
    "meets": _meets,
    "rating_at_least": _rating_at_least,
    "consecutive": _consecutive,
    "consecutive_rating": _consecutive_rating,
    "since_award": _since_award,
    "initiative": _innovation,
    "science_work": _innovation,
    "member_share": _member_share,
    "all_members_rating_at_least": _all_members_rating,
    "has_member_with_title": _has_member_with,
    "no_member_disciplined_at_least": _no_member_disciplined,
    "leads_cluster": _leads_cluster,
    "leads_thematic_movement": _leads_movement,
}


# --------------------------------------------------------------------------------------------
# Items and global rules
# --------------------------------------------------------------------------------------------
def leave_days_not_counted(facts: Facts, start: date, end: date, counted: Sequence[str]) -> int:
    days = 0
    for lv in facts.leaves:
        if lv.reason in counted:
            continue
        lo = max(lv.start, start)
        hi = min(lv.end or end, end)
        if hi >= lo:
            days += (hi - lo).days + 1
    return days


def _min_service(ctx: Ctx) -> Outcome:
    rule = ctx.rs.global_rules["min_service"]
    months = int(rule.params["min_months"])
    facts = ctx.facts
    if facts.kind != "individual":
        return Outcome(True)
    if not ctx.rs.node_active(rule):
        text = f"[Chưa xác nhận; tùy chọn {rule.setting} đang tắt] Thời gian công tác tính đến ngày xét từ {months} tháng trở lên ({rule.citation})"
        return Outcome(True, manual=[text])
    if facts.recruited_on is None:
        return Outcome(
            True,
            manual=[
                f"Chưa có ngày tuyển dụng: xác nhận thời gian công tác từ {months} tháng trở lên ({rule.citation})"
            ],
        )
    due = add_months(facts.recruited_on, months)
    deducted = 0
    if ctx.rs.settings.get("min_service_deduct_leave"):
        deducted = leave_days_not_counted(
            facts, facts.recruited_on, ctx.as_of, rule.params.get("counts_as_work") or ()
        )
        due += timedelta(days=deducted)
    extra = f", trừ {deducted} ngày nghỉ không được tính" if deducted else ""
    if due <= ctx.as_of:
        text = f"Tuyển dụng ngày {facts.recruited_on.isoformat()}: đến ngày xét {ctx.as_of.isoformat()} đã công tác từ {months} tháng trở lên{extra}"
        return Outcome(True, [Reason(ok=True, text=text, citation=rule.citation, confidence=rule.confidence)])
    text = f"Tuyển dụng ngày {facts.recruited_on.isoformat()}: đến ngày xét {ctx.as_of.isoformat()} chưa đủ {months} tháng công tác{extra}"
    gap = Gap(f"cần đủ {months} tháng công tác (từ ngày {due.isoformat()})", max(0, due.year - ctx.year))
    return Outcome(
        False, [Reason(ok=False, text=text, citation=rule.citation, confidence=rule.confidence)], gaps=[gap]
    )


def _maternity_reasons(ctx: Ctx) -> list[Reason]:
    rule = ctx.rs.global_rules["maternity_counts_as_work"]
    out = []
    for lv in ctx.facts.leaves:
        if lv.reason == "thai_san" and lv.start <= ctx.as_of and (lv.end is None or lv.end.year >= ctx.year):
            end = lv.end.isoformat() if lv.end else "nay"
            text = f"Nghỉ thai sản từ {lv.start.isoformat()} đến {end}: được tính là thời gian công tác"
            out.append(Reason(ok=True, text=text, citation=rule.citation, confidence=rule.confidence))
    return out


def evaluate_item(ctx: Ctx, reserved: frozenset[str] = frozenset()) -> Outcome:
    """The criteria of ``ctx.item`` for ``ctx.facts`` (item-level global rules included, no deferral)."""
    node = ctx.item.prerequisites.get(ctx.facts.kind)
    if node is None:
        return Outcome(
            False,
            manual=["Chưa có tiêu chí máy xét được"],
            reserved=reserved,
            gaps=[Gap("xét thủ công", IMPOSSIBLE)],
        )
    out = Outcome(True, reserved=reserved)
    if "min_service" in ctx.item.applies_global:
        ms = _min_service(ctx)
        out.ok, out.reasons, out.manual, out.gaps = (
            ms.ok,
            ms.reasons + _maternity_reasons(ctx),
            ms.manual,
            ms.gaps,
        )
    o = evaluate_node(node, ctx, reserved)
    out.ok = out.ok and o.ok
    out.reasons += o.reasons
    out.manual += o.manual
    out.consumes += o.consumes
    out.gaps += o.gaps
    out.reserved = o.reserved
    return out


def open_pendings(facts: Facts, as_of: date) -> list[PendingRecord]:
    return [p for p in facts.pendings if p.since <= as_of and (p.until is None or p.until > as_of)]


def evaluate_result(rs: Ruleset, item: Item, facts: Facts, year: int, as_of: date) -> TitleResult:
    ctx = Ctx(rs, year, as_of, item, facts)
    reasons: list[Reason] = []
    manual: list[str] = []
    criteria_ok = True
    gaps: list[Gap] = []
    if facts.count_from is not None:
        rule = rs.global_rules["discipline_resets_achievements"]
        d = max(facts.disciplines, key=lambda r: r.until or date.max)
        until = d.until.isoformat() if d.until else "chưa hết hiệu lực"
        ok = facts.count_from <= year
        when = (
            f"thành tích được tính từ năm {facts.count_from}"
            if facts.count_from < NEVER
            else "chưa tính thành tích"
        )
        text = f"Bị kỷ luật {vocab.DISCIPLINE_LABELS[d.form]} ngày {d.date.isoformat()} (hết hiệu lực: {until}): {when}"
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
            text = f"{vocab.PENDING_LABELS[p.kind].capitalize()} từ ngày {p.since.isoformat()}: chưa xét khen thưởng cho đến khi có kết luận"
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
    vt_raw = item.vote_threshold
    vt = rs.vote_threshold(item.id)
    if vt_raw is not None and vt is None:
        manual.append(
            f"[Chưa xác nhận; tùy chọn {vt_raw.setting} đang tắt] Ngưỡng biểu quyết của Hội đồng theo quy định hiện hành chưa xác minh; {vt_raw.citation}: từ {vt_raw.pct}% tổng số thành viên"
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
