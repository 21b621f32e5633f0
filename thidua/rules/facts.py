"""Facts (a subject's indexed history) and the outcome types shared by the interpreter's modules."""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from thidua.rules import vocab
from thidua.rules.case import (
    AwardRecord,
    ClusterRankRecord,
    DisciplineRecord,
    InitiativeRecord,
    LeaveRecord,
    Member,
    MovementLeadRecord,
    PendingRecord,
    RatingRecord,
    Reason,
    ScienceWorkRecord,
    Subject,
    TitleRecord,
)
from thidua.rules.render import describe
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
    masked_until: date | None = None  # last day of the governing discipline (date.max: still in effect)
    rated_years: frozenset[int] = frozenset()  # years with a rating record, masked or not


def discipline_end(disciplines: Sequence[DisciplineRecord]) -> date | None:
    """The last day covered by discipline: the latest ``until`` (``date.max`` while one is open)."""
    if not disciplines:
        return None
    return max(date.max if d.until is None else d.until for d in disciplines)


def first_counting_year(end: date) -> int:
    """The first year whose annual achievement counts after a discipline ending on ``end``.

    NĐ 152/2025 Đ4 k4: achievements count from the end of the discipline period. An annual
    achievement (rating, title, initiative, cluster rank of year Y) is established at the end of Y,
    so it counts when 31/12/Y is after ``end``: the year in which the discipline ends counts unless
    it ends on 31 December."""
    if end == date.max:
        return NEVER
    return end.year + 1 if (end.month, end.day) == (12, 31) else end.year


def discipline_count_from(disciplines: Sequence[DisciplineRecord]) -> int | None:
    """First year whose achievements count (NĐ 152/2025 Đ4 k4); None without discipline."""
    end = discipline_end(disciplines)
    return None if end is None else first_counting_year(end)


def build_facts(
    s: Subject | Member, *, members: Sequence[Member] | None = None, as_of: date | None = None
) -> Facts:
    """Index a subject's history. Awards and disciplines dated after ``as_of`` are not in effect yet."""
    last = as_of or date.max
    disciplines = [r for r in s.records if isinstance(r, DisciplineRecord) and r.date <= last]
    end = discipline_end(disciplines)
    cf = None if end is None else first_counting_year(end)
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
        masked_until=end,
        rated_years=frozenset(r.year for r in s.records if isinstance(r, RatingRecord)),
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
    gaps: bool = True  # work out what is missing (False: the verdict only, e.g. in a projection)


def _cite(node: Node, ctx: Ctx) -> str:
    return node.citation or ctx.item.citation


def _conf(node: Node, ctx: Ctx) -> str:
    return node.confidence or ctx.item.confidence


def _reason(ok: bool, text: str, node: Node, ctx: Ctx, *, confidence: str | None = None) -> Reason:
    return Reason(ok=ok, text=text, citation=_cite(node, ctx), confidence=confidence or _conf(node, ctx))


def _manual_text(node: Node, ctx: Ctx) -> str:
    return f"{describe(node, ctx.rs)} ({_cite(node, ctx)})"
