"""Set-based evaluation of a whole organisation: columns in, one verdict per subject and item out.

The same predicate trees as the interpreter (``engine.py``), compiled to numpy operations over
dense ``subjects x years`` matrices: no per-subject Python work. Scope: individual subjects (titles
and forms of individuals; that is where the volume is). Collectives, households and the
``skip_unrated`` gap policy go through the interpreter (``summarise_cases`` does that switch).
``tests/test_columnar.py`` checks verdict-for-verdict agreement with the interpreter.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt

from thidua.rules import vocab
from thidua.rules.case import (
    AwardRecord,
    Case,
    ClusterRankRecord,
    DisciplineRecord,
    InitiativeRecord,
    LeaveRecord,
    Member,
    MovementLeadRecord,
    PendingRecord,
    RatingRecord,
    ScienceWorkRecord,
    Subject,
    TitleRecord,
    case_ruleset,
)
from thidua.rules.facts import NEVER
from thidua.rules.ruleset import Item, Node, Ruleset

I32 = npt.NDArray[np.int32]
B = npt.NDArray[np.bool_]
VERDICT_CODES = ("eligible", "not_eligible", "deferred")
ELIGIBLE, NOT_ELIGIBLE, DEFERRED = 0, 1, 2
NO_DATE = np.iinfo(np.int32).max  # open-ended date (ordinal)
NO_WINDOW = 1_000_000  # an innovation window setting of 0: any earlier year counts
POOLS = ("initiative", "science_work")
LEAVE_CODES = {r: i for i, r in enumerate(vocab.LEAVE_REASONS)}
KIND_CODES = {k: i for i, k in enumerate(vocab.SUBJECT_KINDS)}
CLUSTER_CODES = {k: i for i, k in enumerate(vocab.CLUSTER_ORGANISERS)}
LAUNCHER_CODES = {k: i for i, k in enumerate(vocab.MOVEMENT_LAUNCHERS)}
_MEMBER_OPS = frozenset(
    {"member_share", "all_members_rating_at_least", "has_member_with_title", "no_member_disciplined_at_least"}
)


def _i32(values: Sequence[int] | npt.ArrayLike) -> I32:
    return np.asarray(values, dtype=np.int32)


@dataclass
class Columns:
    """Columnar records of individual subjects; every ``*_subject`` column indexes the subjects.

    Dates are proleptic ordinals (``date.toordinal()``); open ends are ``NO_DATE``; ``recruited_on``
    is -1 when unknown. Awards and disciplines decided after ``as_of`` must be left out (not in effect
    yet), as ``cases_to_columns`` does; pending proceedings and leave are compared with ``as_of`` here. Title, award and ``used_for`` codes index ``codes`` (item ids);
    ``inno_used_code`` is -1 when not used, ``inno_used_year`` -1 when ``used_for`` has no year.
    """

    codes: list[str]
    year: I32
    as_of: I32
    recruited_on: I32
    rating_subject: I32 = field(default_factory=lambda: _i32([]))
    rating_year: I32 = field(default_factory=lambda: _i32([]))
    rating_value: I32 = field(default_factory=lambda: _i32([]))  # rank 0..3 (vocab.RATINGS)
    title_subject: I32 = field(default_factory=lambda: _i32([]))
    title_year: I32 = field(default_factory=lambda: _i32([]))
    title_code: I32 = field(default_factory=lambda: _i32([]))
    award_subject: I32 = field(default_factory=lambda: _i32([]))
    award_year: I32 = field(default_factory=lambda: _i32([]))
    award_code: I32 = field(default_factory=lambda: _i32([]))
    inno_subject: I32 = field(default_factory=lambda: _i32([]))
    inno_pool: I32 = field(default_factory=lambda: _i32([]))  # 0 initiative, 1 science_work
    inno_year: I32 = field(default_factory=lambda: _i32([]))
    inno_scope: I32 = field(default_factory=lambda: _i32([]))  # rank 0..2 (vocab.SCOPES)
    inno_used_code: I32 = field(default_factory=lambda: _i32([]))
    inno_used_year: I32 = field(default_factory=lambda: _i32([]))
    disc_subject: I32 = field(default_factory=lambda: _i32([]))
    disc_until: I32 = field(default_factory=lambda: _i32([]))  # ordinal or NO_DATE
    disc_date: I32 = field(default_factory=lambda: _i32([]))  # ordinal (members' discipline of the year)
    disc_form: I32 = field(default_factory=lambda: _i32([]))  # rank 0..5 (vocab.DISCIPLINE_FORMS)
    pend_subject: I32 = field(default_factory=lambda: _i32([]))
    pend_since: I32 = field(default_factory=lambda: _i32([]))
    pend_until: I32 = field(default_factory=lambda: _i32([]))
    leave_subject: I32 = field(default_factory=lambda: _i32([]))
    leave_from: I32 = field(default_factory=lambda: _i32([]))
    leave_to: I32 = field(default_factory=lambda: _i32([]))
    leave_reason: I32 = field(default_factory=lambda: _i32([]))
    cluster_subject: I32 = field(default_factory=lambda: _i32([]))
    cluster_year: I32 = field(default_factory=lambda: _i32([]))
    cluster_rank: I32 = field(default_factory=lambda: _i32([]))
    cluster_organiser: I32 = field(default_factory=lambda: _i32([]))  # 0 trung_uong, 1 bo_nganh_tinh
    move_subject: I32 = field(default_factory=lambda: _i32([]))
    move_year: I32 = field(default_factory=lambda: _i32([]))
    move_launched_by: I32 = field(default_factory=lambda: _i32([]))  # 0 thu_tuong, 1 bo_nganh_tinh
    move_years_run: I32 = field(default_factory=lambda: _i32([]))
    kind: I32 | None = None  # per subject: 0 individual, 1 collective, 2 household (None: all individuals)
    member_of: I32 | None = None  # per subject: the collective it is a member of, or -1

    @property
    def n(self) -> int:
        return int(self.year.shape[0])


_TABLES = {
    "rating": ("year", "value"),
    "title": ("year", "code"),
    "award": ("year", "code"),
    "inno": ("pool", "year", "scope", "used_code", "used_year"),
    "disc": ("until", "date", "form"),
    "pend": ("since", "until"),
    "leave": ("from", "to", "reason"),
    "cluster": ("year", "rank", "organiser"),
    "move": ("year", "launched_by", "years_run"),
}


@dataclass
class BatchVerdicts:
    """Verdict codes (0 eligible, 1 not_eligible, 2 deferred; -1 not evaluated) per subject x item."""

    items: list[str]
    codes: npt.NDArray[np.int8]

    def verdict(self, subject: int, item_id: str) -> str:
        return VERDICT_CODES[int(self.codes[subject, self.items.index(item_id)])]

    def as_dicts(self, subjects: int | None = None) -> list[dict[str, str]]:
        """``{item_id: verdict}`` for the first ``subjects`` rows (default: all), items that apply only."""
        rows = self.codes if subjects is None else self.codes[:subjects]
        names = np.array([*VERDICT_CODES, ""], dtype=object)  # -1 (not applicable) -> ""
        text = names[rows]
        return [{item: v for item, v in zip(self.items, row, strict=True) if v} for row in text]

    def counts(self) -> dict[str, dict[str, int]]:
        return {
            item: {v: int((self.codes[:, j] == k).sum()) for k, v in enumerate(VERDICT_CODES)}
            for j, item in enumerate(self.items)
        }


State = Mapping[tuple[int, int], I32]  # (pool, scope) -> innovations reserved in this evaluation


class _Eval:
    def __init__(self, cols: Columns, rs: Ruleset) -> None:
        self.rs = rs
        self.c = cols
        self.n = cols.n
        self.code_of = {cid: i for i, cid in enumerate(cols.codes)}
        y = cols.year
        # Discipline: achievements count only from the year after the discipline ends.
        cf = np.full(self.n, -1, dtype=np.int64)
        if len(cols.disc_subject):
            # NĐ 152 Đ4 k4: the year in which the discipline ends counts, unless it ends on 31 December.
            until = cols.disc_until.astype(np.int64)
            last_day = _years_of(until + 1) != _years_of(until)
            until_year = np.where(cols.disc_until == NO_DATE, NEVER, _years_of(until) + last_day)
            np.maximum.at(cf, cols.disc_subject, until_year)
        self.count_from = cf
        self.kind = cols.kind if cols.kind is not None else np.zeros(self.n, dtype=np.int32)
        self.member_of = cols.member_of if cols.member_of is not None else np.full(self.n, -1, dtype=np.int32)
        self.max_rel = y.astype(np.int64) - np.where(cf < 0, -(10**6), cf)  # keep rel years <= this
        rel_all = [y[cols.rating_subject] - cols.rating_year, y[cols.title_subject] - cols.title_year]
        h = max([int(r.max()) + 1 for r in rel_all if len(r)] + [1])
        self.h = max(h, 8)
        self.rmat = np.full((self.n, self.h), -1, dtype=np.int8)
        rel = y[cols.rating_subject] - cols.rating_year
        keep = rel <= self.max_rel[cols.rating_subject]
        self.rmat[cols.rating_subject[keep], rel[keep]] = cols.rating_value[keep]
        self.rated0 = np.zeros(self.n, dtype=np.bool_)  # a rating record for the year, masked or not
        self.rated0[cols.rating_subject[rel == 0]] = True
        self._titles: dict[int, B] = {}
        self._inno: dict[tuple[int, int, int, int], I32] = {}
        # Item results memoised by (item, kind, id of the reservation state); the states are kept
        # alive so that an id is never reused by another state during the evaluation.
        self._memo: dict[tuple[str, str, int], tuple[B, State]] = {}
        self._keep_alive: list[State] = []
        self._streaks: dict[int, I32] = {}
        self.zero: State = {(p, s): np.zeros(self.n, dtype=np.int32) for p in range(2) for s in range(3)}
        # Titles grouped by code once (one stable sort) instead of one scan per referenced title.
        order = np.argsort(cols.title_code, kind="stable")
        self._title_order = order
        self._title_sorted = cols.title_code[order]
        # Innovations that can count at all (not masked by a discipline), split once into the free
        # ones and those recorded as used for some title of the year under consideration.
        if len(cols.inno_subject):
            subj = cols.inno_subject
            rel = y[subj] - cols.inno_year
            valid = rel <= self.max_rel[subj]
            free = valid & (cols.inno_used_code < 0)
            own = valid & (cols.inno_used_code >= 0) & (cols.inno_used_year == y[subj])
        else:
            rel = free = own = np.zeros(0, dtype=np.bool_)
        self._inno_sets = {
            -1: (np.flatnonzero(free), rel),
            0: (np.flatnonzero(own), rel),
        }

    # --- dense matrices ---------------------------------------------------------------------
    def titles(self, title: str) -> B:
        code = self.code_of.get(title, -1)
        if code not in self._titles:
            c = self.c
            m = np.zeros((self.n, self.h), dtype=np.bool_)
            lo, hi = np.searchsorted(self._title_sorted, [code, code + 1])
            idx = self._title_order[lo:hi]
            subj = c.title_subject[idx]
            rel = c.year[subj] - c.title_year[idx]
            ok = (rel < self.h) & (rel <= self.max_rel[subj])
            m[subj[ok], rel[ok]] = True
            self._titles[code] = m
        return self._titles[code]

    def used_for(self, title: str) -> B:
        """Per subject x rel year: some innovation is recorded as used for ``title`` of that year
        (``used_for`` without a year: the innovation's own year)."""
        c = self.c
        code = self.code_of.get(title, -1)
        m = np.zeros((self.n, self.h), dtype=np.bool_)
        if len(c.inno_subject):
            subj = c.inno_subject
            valid = (c.year[subj] - c.inno_year) <= self.max_rel[subj]
            used_year = np.where(c.inno_used_year >= 0, c.inno_used_year, c.inno_year)
            rel = c.year[subj] - used_year
            sel = valid & (c.inno_used_code == code) & (rel >= 0) & (rel < self.h)
            m[subj[sel], rel[sel]] = True
        return m

    def _innovations(self, pool: int, scope: int, window: int, target: int) -> I32:
        """Per subject: innovations of a pool and exact scope within ``window`` years, either free
        (``target`` -1) or recorded as used for ``target`` in the year under consideration."""
        key = (pool, scope, window, target)
        if key not in self._inno:
            c = self.c
            idx, rel = self._inno_sets[-1 if target < 0 else 0]
            sel = (c.inno_pool[idx] == pool) & (c.inno_scope[idx] == scope) & (rel[idx] < window)
            if target >= 0:
                sel &= c.inno_used_code[idx] == target
            self._inno[key] = np.bincount(c.inno_subject[idx[sel]], minlength=self.n).astype(np.int32)
        return self._inno[key]

    def free_innovations(self, pool: int, scope: int, window: int) -> I32:
        return self._innovations(pool, scope, window, -1)

    def self_innovations(self, pool: int, scope: int, window: int, target: int) -> I32:
        if target < 0:
            return np.zeros(self.n, dtype=np.int32)
        return self._innovations(pool, scope, window, target)

    def rating_streak(self, level: int) -> I32:
        if level not in self._streaks:
            self._streaks[level] = self.streak(self.rmat >= level)
        return self._streaks[level]

    def streak(self, ok: B) -> I32:
        """Length of the run of True starting at rel year 0 (the year under consideration)."""
        first_false: I32 = np.where(ok.all(axis=1), ok.shape[1], ok.argmin(axis=1)).astype(np.int32)
        return first_false

    # --- items and nodes --------------------------------------------------------------------
    def item(self, item: Item, state: State, kind: str) -> tuple[B, State]:
        """The criteria of ``item`` for subjects of ``kind`` (computed over every row; only the rows
        of that kind are meaningful)."""
        key = (item.id, kind, id(state))
        if key in self._memo:
            return self._memo[key]
        node = item.prerequisites.get(kind)
        if node is None:
            res: tuple[B, State] = (np.zeros(self.n, dtype=np.bool_), state)
        else:
            ok, st = self.node(node, item, state, kind)
            if "min_service" in item.applies_global and kind == "individual":
                ok = ok & self.min_service()
            res = (ok, st)
        self._memo[key] = res
        self._keep_alive.append(state)
        return res

    def node(self, node: Node, item: Item, state: State, kind: str) -> tuple[B, State]:
        rs = self.rs
        if not rs.node_active(node) or node.op == "manual":
            return np.ones(self.n, dtype=np.bool_), state
        op = node.op
        p = node.params
        if op == "all_of":
            ok = np.ones(self.n, dtype=np.bool_)
            for ch in node.children:
                o, state = self.node(ch, item, state, kind)
                ok &= o
            return ok, state
        if op == "any_of":
            alts = [ch for ch in node.children if ch.checkable and rs.node_active(ch)]
            if not alts:
                return np.ones(self.n, dtype=np.bool_), state
            ok = np.zeros(self.n, dtype=np.bool_)
            out_state = dict(state)
            for ch in alts:
                o, st = self.node(ch, item, state, kind)
                take = o & ~ok
                if st is not state:
                    for k in out_state:
                        out_state[k] = np.where(take, st[k], out_state[k])
                ok |= o
            return ok, out_state
        if op == "rating_at_least":
            return self.rmat[:, 0] >= vocab.RATING_RANK[p["level"]], state
        if op == "meets":
            held = self.titles(p["title"])[:, 0]
            inner_ok, inner_state = self.item(rs.items[p["title"]], state, kind)
            return held | inner_ok, _select(~held, inner_state, state)
        if op == "consecutive":
            counts0, st = self.this_year(p["title"], state, kind)
            step = int(rs.resolve(p.get("step", 1)))
            present = self.titles(p["title"])[:, ::step].copy()
            present[:, 0] = counts0
            if p.get("htxs_path"):  # CV 3385: a year counts only if earned on the HTXS path
                present &= (self.rmat >= vocab.RATING_RANK["hoan_thanh_xuat_sac"]) & ~self.used_for(
                    p["title"]
                )
            return self.streak(present) >= p["count"], st
        if op == "consecutive_rating":
            return self.rating_streak(vocab.RATING_RANK[p["level"]]) >= p["min_years"], state
        if op == "since_award":
            return self.since_award(node, state, kind)
        if op in ("initiative", "science_work"):
            return self.innovation(node, item, state)
        if op in _MEMBER_OPS:
            return self.members(node), state
        if op == "leads_cluster":
            return self.leads_cluster(node), state
        if op == "leads_thematic_movement":
            return self.leads_movement(node), state
        raise NotImplementedError(f"vị từ {op} chưa có trong bộ xét theo cột")

    def this_year(self, title: str, state: State, kind: str) -> tuple[B, State]:
        """Does the title count in the year under consideration (held, or criteria met)?"""
        held = self.titles(title)[:, 0]
        item = self.rs.items[title]
        if not self.rs.settings.get("count_current_year_if_meets") or not item.evaluable_for(kind):
            return held, state
        inner_ok, inner_state = self.item(item, state, kind)
        return held | inner_ok, _select(~held & inner_ok, inner_state, state)

    def since_award(self, node: Node, state: State, kind: str) -> tuple[B, State]:
        p = node.params
        c = self.c
        code = self.code_of.get(p["award"], -1)
        big = np.iinfo(np.int32).max
        first = np.full(self.n, big, dtype=np.int64)
        sel = (c.award_code == code) & (c.award_year <= c.year[c.award_subject])
        np.minimum.at(first, c.award_subject[sel], c.award_year[sel])
        offset = 1 if self.rs.settings.get("since_award_window_starts") == "year_after_award" else 0
        start = first + offset
        y = c.year.astype(np.int64)
        streak = self.rating_streak(vocab.RATING_RANK[p["each_year"]["level"]]).astype(np.int64)
        run = np.where(start <= y, np.minimum(streak, y - start + 1), 0)
        ok = (first < big) & (run >= p["min_years"])
        idx = np.clip(run - 1, 0, self.h - 1)
        rows = np.arange(self.n)
        for w in node.within:
            wp = w.params
            if w.op == "rating_years":
                cs = np.cumsum(self.rmat >= vocab.RATING_RANK[wp["level"]], axis=1, dtype=np.int16)
                hits = np.where(run > 0, cs[rows, idx], 0)
                ok = ok & (hits >= wp["min_count"])
            elif w.op == "holds":
                counts0, st = self.this_year(wp["title"], state, kind)
                t = self.titles(wp["title"]).copy()
                t[:, 0] |= counts0
                cs = np.cumsum(t, axis=1, dtype=np.int16)
                hits = np.where(run > 0, cs[rows, idx], 0)
                good = hits >= wp["count"]
                state = _select(good, st, state)
                ok = ok & good
            else:
                o, state = self.node(w, self.rs.items[p["award"]], state, kind)
                ok = ok & o
        return ok, state

    def innovation(self, node: Node, item: Item, state: State) -> tuple[B, State]:
        p = node.params
        pool = POOLS.index(node.op)
        need = np.full(self.n, p["count"], dtype=np.int32)
        target = self.code_of.get(item.id, -1)
        new_state = dict(state)
        window = int(self.rs.resolve(p["within_years"])) or NO_WINDOW
        for scope in range(vocab.SCOPE_RANK[p["scope"]], len(vocab.SCOPES)):
            own = self.self_innovations(pool, scope, window, target)
            t1 = np.minimum(own, need)
            need = need - t1
            free = self.free_innovations(pool, scope, window) - state[(pool, scope)]
            t2 = np.minimum(np.maximum(free, 0), need)
            need = need - t2
            new_state[(pool, scope)] = state[(pool, scope)] + t2
        return need == 0, new_state

    def members(self, node: Node) -> B:
        """Predicates over a collective's members (rows whose ``member_of`` is the collective)."""
        p = node.params
        c = self.c
        m = np.flatnonzero(self.member_of >= 0)
        owner = self.member_of[m]
        n_members = np.bincount(owner, minlength=self.n)
        all_rated = np.bincount(owner, weights=~self.rated0[m], minlength=self.n) == 0
        op = node.op
        if op in ("member_share", "has_member_with_title"):
            counts, _ = self.this_year(p["title"], self.zero, "individual")
            k = np.bincount(owner, weights=counts[m], minlength=self.n).astype(np.int64)
            if op == "has_member_with_title":
                enough: B = k >= p["min_count"]
                return enough
            pct = int(self.rs.resolve(p["min_pct"]))
            strict = self.rs.resolve(p.get("op", ">=")) == ">"
            share_ok = 100 * k > pct * n_members if strict else 100 * k >= pct * n_members
            shared: B = (n_members > 0) & share_ok & all_rated
            return shared
        if op == "all_members_rating_at_least":
            bad = self.rmat[m, 0] < vocab.RATING_RANK[p["level"]]
            n_bad = np.bincount(owner, weights=bad, minlength=self.n)
            all_ok: B = (n_members > 0) & (n_bad == 0) & all_rated
            return all_ok
        # no_member_disciplined_at_least: a discipline of the year, at or above the level
        subj = c.disc_subject
        sel = (
            (self.member_of[subj] >= 0)
            & (c.disc_form >= vocab.DISCIPLINE_RANK[p["level"]])
            & (_years_of(c.disc_date) == c.year[subj])
        )
        bad_member = np.zeros(self.n, dtype=np.bool_)
        bad_member[subj[sel]] = True
        n_bad = np.bincount(owner, weights=bad_member[m], minlength=self.n)
        clean: B = n_bad == 0
        return clean

    def leads_cluster(self, node: Node) -> B:
        c = self.c
        subj = c.cluster_subject
        org = CLUSTER_CODES[node.params["organiser"]]
        sel = (
            (c.cluster_year == c.year[subj])
            & (c.cluster_organiser == org)
            & (c.cluster_rank == 1)
            & (c.cluster_year >= self.count_from[subj])
        )
        out = np.zeros(self.n, dtype=np.bool_)
        out[subj[sel]] = True
        return out

    def leads_movement(self, node: Node) -> B:
        c = self.c
        subj = c.move_subject
        sel = (
            (c.move_year == c.year[subj])
            & (c.move_launched_by == LAUNCHER_CODES[node.params["launched_by"]])
            & (c.move_years_run >= node.params["min_years"])
            & (c.move_year >= self.count_from[subj])
        )
        out = np.zeros(self.n, dtype=np.bool_)
        out[subj[sel]] = True
        return out

    def min_service(self) -> B:
        rs = self.rs
        rule = rs.global_rules["min_service"]
        c = self.c
        if not rs.node_active(rule):
            return np.ones(self.n, dtype=np.bool_)
        in_force = np.ones(self.n, dtype=np.bool_)
        if rule.effective_from is not None:
            in_force &= c.as_of >= rule.effective_from.toordinal()
        if rule.effective_to is not None:
            in_force &= c.as_of <= rule.effective_to.toordinal()
        known = (c.recruited_on >= 0) & in_force
        due = _add_months(np.where(known, c.recruited_on, 1), int(rule.params["min_months"]))
        if rs.settings.get("min_service_deduct_leave"):
            counted = [LEAVE_CODES[r] for r in rule.params.get("counts_as_work") or ()]
            sel = ~np.isin(c.leave_reason, counted)
            subj = c.leave_subject[sel]
            lo = np.maximum(c.leave_from[sel], c.recruited_on[subj])
            hi = np.minimum(
                np.where(c.leave_to[sel] == NO_DATE, c.as_of[subj], c.leave_to[sel]), c.as_of[subj]
            )
            days = np.where(hi >= lo, hi - lo + 1, 0)
            deducted = np.bincount(subj, weights=days, minlength=self.n).astype(np.int64)
            due = due + deducted
        return ~known | (due <= c.as_of)

    def verdicts(self, items: Sequence[Item]) -> npt.NDArray[np.int8]:
        c = self.c
        disc_ok = self.count_from <= c.year
        pending = np.zeros(self.n, dtype=np.bool_)
        if len(c.pend_subject):
            open_ = (c.pend_since <= c.as_of[c.pend_subject]) & (c.pend_until > c.as_of[c.pend_subject])
            pending[c.pend_subject[open_]] = True
        out = np.full((self.n, len(items)), -1, dtype=np.int8)
        for j, item in enumerate(items):
            for kind in item.subjects:
                rows = self.kind == KIND_CODES[kind]
                if not rows.any() or not item.evaluable_for(kind):
                    continue
                ok, _ = self.item(item, self.zero, kind)
                ok = ok & disc_ok
                verdict = np.where(ok, np.where(pending, DEFERRED, ELIGIBLE), NOT_ELIGIBLE)
                out[rows, j] = verdict[rows]
        return out


def _select(mask: B, a: State, b: State) -> State:
    """Per subject: state ``a`` where ``mask``, else ``b``."""
    if a is b:
        return a
    return {k: np.where(mask, a[k], b[k]) for k in b}


def _years_of(ordinals: npt.NDArray[np.signedinteger[Any]]) -> npt.NDArray[np.int64]:
    days = ordinals.astype(np.int64) - date(1970, 1, 1).toordinal()
    return days.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970


def _add_months(ordinals: npt.NDArray[Any], months: int) -> npt.NDArray[np.int64]:
    """Calendar month arithmetic on ordinals, clamping the day to the target month (as the interpreter)."""
    epoch = date(1970, 1, 1).toordinal()
    d = (ordinals.astype(np.int64) - epoch).astype("datetime64[D]")
    month = d.astype("datetime64[M]")
    day = (d - month.astype("datetime64[D]")).astype(np.int64)
    target = month + months
    length = ((target + 1).astype("datetime64[D]") - target.astype("datetime64[D]")).astype(np.int64)
    out: npt.NDArray[np.int64] = target.astype("datetime64[D]").astype(np.int64) + np.minimum(day, length - 1)
    return out + epoch


def evaluate_columns(
    cols: Columns,
    *,
    ruleset: Ruleset,
    options: Mapping[str, Any] | None = None,
    items: Sequence[str] | None = None,
) -> BatchVerdicts:
    """Verdicts for every subject of ``cols`` and every item (default: every item evaluated by default
    for the kinds present); -1 where an item does not apply to a subject's kind."""
    rs = ruleset.with_settings(ruleset.applicable(options))
    if rs.settings.get("chain_gap_policy") != "break":
        raise NotImplementedError("chain_gap_policy skip_unrated: dùng bộ xét từng hồ sơ (engine.evaluate)")
    if items is not None:
        chosen = [rs.items[i] for i in items]
    else:
        kinds = (
            {"individual"} if cols.kind is None else {vocab.SUBJECT_KINDS[k] for k in np.unique(cols.kind)}
        )
        chosen = list(
            {it.id: it for k in vocab.SUBJECT_KINDS if k in kinds for it in rs.candidates_for(k)}.values()
        )
    ev = _Eval(cols, rs)
    return BatchVerdicts([i.id for i in chosen], ev.verdicts(chosen))


# --------------------------------------------------------------------------------------------
# From parsed cases (the JSON Lines batch) to columns
# --------------------------------------------------------------------------------------------
def cases_to_columns(cases: Sequence[Case], codes: Sequence[str]) -> Columns:
    """Columns for the cases: subject ``i`` is ``cases[i]``; the members of collectives follow, as
    extra rows whose ``member_of`` is their collective (same year and evaluation date)."""
    code_of = {c: i for i, c in enumerate(codes)}
    t: dict[str, list[int]] = {f"{p}_{c}": [] for p, cs in _TABLES.items() for c in ("subject", *cs)}
    year, as_of, recruited, kind, member_of = [], [], [], [], []
    rows: list[tuple[Subject | Member, Case, int]] = [(case.subject, case, -1) for case in cases]
    for i, case in enumerate(cases):
        rows.extend((m, case, i) for m in case.subject.members or ())
    for i, (s, case, owner) in enumerate(rows):
        last = case.as_of_date
        year.append(case.year)
        as_of.append(last.toordinal())
        recruited.append(s.recruited_on.toordinal() if s.recruited_on else -1)
        kind.append(KIND_CODES[s.kind])
        member_of.append(owner)
        for r in s.records:
            if isinstance(r, RatingRecord):
                t["rating_subject"].append(i)
                t["rating_year"].append(r.year)
                t["rating_value"].append(vocab.RATING_RANK[r.value])
            elif isinstance(r, TitleRecord):
                t["title_subject"].append(i)
                t["title_year"].append(r.year)
                t["title_code"].append(code_of[r.id])
            elif isinstance(r, AwardRecord) and r.date <= last:
                t["award_subject"].append(i)
                t["award_year"].append(r.date.year)
                t["award_code"].append(code_of[r.id])
            elif isinstance(r, InitiativeRecord | ScienceWorkRecord):
                t["inno_subject"].append(i)
                t["inno_pool"].append(POOLS.index(r.type))
                t["inno_year"].append(r.year)
                t["inno_scope"].append(vocab.SCOPE_RANK[r.scope])
                ident, _, yr = (r.used_for or "").partition(":")
                t["inno_used_code"].append(code_of[ident] if r.used_for else -1)
                t["inno_used_year"].append(int(yr) if yr else -1)
            elif isinstance(r, DisciplineRecord) and r.date <= last:
                t["disc_subject"].append(i)
                t["disc_until"].append(r.until.toordinal() if r.until else NO_DATE)
                t["disc_date"].append(r.date.toordinal())
                t["disc_form"].append(vocab.DISCIPLINE_RANK[r.form])
            elif isinstance(r, PendingRecord):
                t["pend_subject"].append(i)
                t["pend_since"].append(r.since.toordinal())
                t["pend_until"].append(r.until.toordinal() if r.until else NO_DATE)
            elif isinstance(r, LeaveRecord):
                t["leave_subject"].append(i)
                t["leave_from"].append(r.start.toordinal())
                t["leave_to"].append(r.end.toordinal() if r.end else NO_DATE)
                t["leave_reason"].append(LEAVE_CODES[r.reason])
            elif isinstance(r, ClusterRankRecord):
                t["cluster_subject"].append(i)
                t["cluster_year"].append(r.year)
                t["cluster_rank"].append(r.rank)
                t["cluster_organiser"].append(CLUSTER_CODES[r.organiser])
            elif isinstance(r, MovementLeadRecord):
                t["move_subject"].append(i)
                t["move_year"].append(r.year)
                t["move_launched_by"].append(LAUNCHER_CODES[r.launched_by])
                t["move_years_run"].append(r.years_run)
    arrays = {k: _i32(v) for k, v in t.items()}
    return Columns(
        list(codes),
        _i32(year),
        _i32(as_of),
        _i32(recruited),
        **arrays,
        kind=_i32(kind),
        member_of=_i32(member_of),
    )


def summarise_cases(cases: Sequence[Case], options: Mapping[str, Any] | None = None) -> list[dict[str, str]]:
    """``{item_id: verdict}`` per case, in order: individuals and collectives set-based, grouped by
    ruleset; households (nothing to evaluate by default) and the ``skip_unrated`` policy by the
    interpreter."""
    out: list[dict[str, str] | None] = [None] * len(cases)
    groups: dict[str, list[int]] = {}
    rulesets: dict[str, Ruleset] = {}
    for i, case in enumerate(cases):
        rs = case_ruleset(case)
        if case.subject.kind in ("individual", "collective"):
            groups.setdefault(rs.id, []).append(i)
            rulesets[rs.id] = rs
        else:
            out[i] = _interpret(rs.with_settings(rs.applicable(options)), case)
    for rid, idx in groups.items():
        rs = rulesets[rid].with_settings(rulesets[rid].applicable(options))
        default = {k: [it.id for it in rs.candidates_for(k)] for k in ("individual", "collective")}
        wanted = list(
            dict.fromkeys(
                [
                    *default["individual"],
                    *default["collective"],
                    *(c for i in idx for c in cases[i].candidates or ()),
                ]
            )
        )
        sub = [cases[i] for i in idx]
        try:
            bv = evaluate_columns(cases_to_columns(sub, list(rs.items)), ruleset=rs, items=wanted)
        except NotImplementedError:
            for i in idx:
                out[i] = _interpret(rs, cases[i])
            continue
        col = {item: j for j, item in enumerate(bv.items)}
        for k, i in enumerate(idx):
            cands = cases[i].candidates
            ids = cands if cands is not None else default[cases[i].subject.kind]
            out[i] = {item: VERDICT_CODES[int(bv.codes[k, col[item]])] for item in ids}
    return [o or {} for o in out]


def _interpret(rs: Ruleset, case: Case) -> dict[str, str]:
    from thidua.rules.engine import build_facts, evaluate_facts

    facts = build_facts(case.subject, members=case.subject.members, as_of=case.as_of_date)
    return {r.id: r.verdict for r in evaluate_facts(rs, facts, case.year, case.as_of_date, case.candidates)}
