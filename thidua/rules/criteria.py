"""The predicates of the criteria trees (rules.yaml §7), evaluated for one subject with reasons."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from thidua.rules import vocab
from thidua.rules.case import InitiativeRecord, Reason, ScienceWorkRecord
from thidua.rules.facts import (
    IMPOSSIBLE,
    Ctx,
    Facts,
    Gap,
    Outcome,
    _cite,
    _conf,
    _manual_text,
    _reason,
    add_months,
    years_text,
)
from thidua.rules.names import award_name
from thidua.rules.render import level_text, name_of, setting_name, vn_date
from thidua.rules.ruleset import Node


def evaluate_node(node: Node, ctx: Ctx, reserved: frozenset[str]) -> Outcome:
    rs = ctx.rs
    if not rs.node_active(node):
        text = (
            f"[Chưa xác nhận; tùy chọn {setting_name(rs, node.setting)} đang tắt] {_manual_text(node, ctx)}"
        )
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


def _rating_at_least(node: Node, ctx: Ctx, reserved: frozenset[str]) -> Outcome:
    level = node.params["level"]
    need = vocab.RATING_RANK[level]
    got = ctx.facts.ratings.get(ctx.year)
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


SAME_MEETING = "count_current_year_if_meets"


def same_meeting_note(rs: Any, year: int) -> str:
    """Marks a year counted because the subject meets a title's criteria, not because it was awarded."""
    return (
        f"[Chưa xác nhận; tùy chọn {setting_name(rs, SAME_MEETING)} đang bật] năm {year} được tính vì đạt tiêu chuẩn, "
        "chưa có quyết định công nhận"
    )


def title_this_year(
    ctx: Ctx, facts: Facts, title: str, reserved: frozenset[str]
) -> tuple[bool, bool, Outcome | None]:
    """(counts, held, meets-outcome) for a title in the year under consideration."""
    if (title, ctx.year) in facts.titles:
        return True, True, None
    if not ctx.rs.settings.get(SAME_MEETING):
        return False, False, None
    item = ctx.rs.items[title]
    if not item.evaluable_for(facts.kind):
        return False, False, None
    sub = Ctx(ctx.rs, ctx.year, ctx.as_of, item, facts, ctx.gaps)
    out = evaluate_item(sub, reserved)
    return out.ok, False, out


# --------------------------------------------------------------------------------------------
# "Missing" years: the earliest year a criterion can hold if every later year goes as well as it can
# (rated HTXS, lower titles granted in ladder order, initiatives recognised). The year under
# consideration keeps its rating when it has one; what is cost 0 can still be done this year.
# ``tests/test_forecast.py`` checks these years against a year-by-year simulation of that future.
# --------------------------------------------------------------------------------------------
HORIZON = 40  # years looked ahead; beyond that a path is "impossible by waiting"
TOP = vocab.RATING_RANK["hoan_thanh_xuat_sac"]


def _title_now(ctx: Ctx, title: str, reserved: frozenset[str]) -> tuple[bool, int]:
    """(met this year, years until it can first be met: 0 this year) for a title, by its criteria;
    a discipline delays it to the first year that counts (NĐ 152 Đ4 k4)."""
    item = ctx.rs.items[title]
    if not item.evaluable_for(ctx.facts.kind):
        return False, IMPOSSIBLE
    out = evaluate_item(Ctx(ctx.rs, ctx.year, ctx.as_of, item, ctx.facts, ctx.gaps), reserved)
    cost = 0 if out.ok else out.cost
    if ctx.facts.count_from is not None:
        cost = max(cost, ctx.facts.count_from - ctx.year)
    return out.ok and cost == 0, min(cost, IMPOSSIBLE)


def _best_rating(ctx: Ctx, y: int) -> int:
    """Rating rank of year ``y`` in the best future (-1: none, or masked by a discipline)."""
    f = ctx.facts
    if f.count_from is not None and y < f.count_from:
        return -1
    if y < ctx.year:
        return f.ratings.get(y, -1)
    if y == ctx.year:
        return f.ratings.get(y, -1 if y in f.rated_years else TOP)
    return TOP


def _best_run(ctx: Ctx, need: int, z: int, floor: int | None = None) -> int:
    """Length of the run of years rated at least ``need`` ending at ``z`` in the best future."""
    n = 0
    y = z
    lowest = min([*ctx.facts.ratings, ctx.year]) if floor is None else floor
    while y >= lowest and _best_rating(ctx, y) >= need:
        n += 1
        y -= 1
    return n


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
        inner = evaluate_item(Ctx(ctx.rs, ctx.year, ctx.as_of, item, ctx.facts, ctx.gaps), reserved)
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


def innovations_used_for(facts: Facts, title: str) -> dict[int, list[str]]:
    """Years of ``title`` for which an innovation is recorded as used (``used_for`` without a year
    is read as the innovation's own year)."""
    out: dict[int, list[str]] = {}
    for r in facts.innovations:
        if r.used_for is None:
            continue
        ident, _, yr = r.used_for.partition(":")
        if ident == title:
            out.setdefault(int(yr) if yr else r.year, []).append(r.id)
    return out


def _consecutive(node: Node, ctx: Ctx, reserved: frozenset[str]) -> Outcome:
    title, count = node.params["title"], node.params["count"]
    step = int(ctx.rs.resolve(node.params.get("step", 1)))
    htxs_path = bool(node.params.get("htxs_path"))
    name = name_of(ctx.rs, title)
    counts, _held, inner = title_this_year(ctx, ctx.facts, title, reserved)
    new_reserved = inner.reserved if (inner is not None and counts) else reserved
    manual = list(inner.manual) if (inner is not None and counts) else []

    def present(y: int) -> bool:
        return counts if y == ctx.year else (title, y) in ctx.facts.titles

    used = innovations_used_for(ctx.facts, title) if htxs_path else {}
    top = vocab.RATING_RANK["hoan_thanh_xuat_sac"]

    def on_path(y: int) -> bool:
        return ctx.facts.ratings.get(y, -1) >= top and y not in used

    chain = _chain(
        ctx, ctx.facts, (lambda y: present(y) and on_path(y)) if htxs_path else present, ctx.year, step
    )
    k = len(chain)
    unit = "năm" if step == 1 else f"lần (mỗi {step} năm)"
    met_only = inner is not None and counts
    note = f" ({same_meeting_note(ctx.rs, ctx.year)})" if met_only else ""
    conf = "UNCONFIRMED" if met_only else None
    how = (
        ", đạt theo tiêu chí Hoàn thành xuất sắc nhiệm vụ (không dùng sáng kiến, đề tài)" if htxs_path else ""
    )
    if k >= count:
        text = f"Đạt {name} {count} {unit} liên tục ({years_text(chain[:count])}){how}{note}"
        if htxs_path:
            manual.append(
                f"Các năm {name} {years_text(chain[:count])} được công nhận theo tiêu chí Hoàn thành xuất sắc "
                f"nhiệm vụ, không dựa vào sáng kiến, đề tài: đối chiếu quyết định công nhận ({_cite(node, ctx)})"
            )
        return Outcome(True, [_reason(True, text, node, ctx, confidence=conf)], manual, [], new_reserved)
    have = f"hiện liên tục {k} {unit}: {years_text(chain)}" if k else f"năm {ctx.year} chưa đạt"
    why = ""
    if htxs_path:
        held = _chain(ctx, ctx.facts, present, ctx.year, step)
        off = [y for y in held if not on_path(y)]
        parts = [
            f"năm {y} đạt nhờ {', '.join(used[y])} (sáng kiến, đề tài đã dùng)"
            if y in used
            else f"năm {y} không xếp loại Hoàn thành xuất sắc nhiệm vụ"
            for y in off
        ]
        why = f"; {'; '.join(parts)}" if parts else ""
    text = f"Chưa đủ {count} {unit} liên tục đạt {name}{how} tính đến năm {ctx.year} ({have}{why}){note}"
    gaps = (
        _chain_gaps(ctx, title, count, step, htxs_path, present, on_path, counts, reserved)
        if ctx.gaps
        else []
    )
    return Outcome(False, [_reason(False, text, node, ctx, confidence=conf)], reserved=reserved, gaps=gaps)


def _chain_gaps(
    ctx: Ctx,
    title: str,
    count: int,
    step: int,
    htxs_path: bool,
    present: Any,
    on_path: Any,
    counts: bool,
    reserved: frozenset[str],
) -> list[Gap]:
    """What a broken chain still needs, with the earliest year it can be complete."""
    y0 = ctx.year
    name = name_of(ctx.rs, title)
    path = " theo tiêu chí Hoàn thành xuất sắc nhiệm vụ" if htxs_path else ""
    held = (title, y0) in ctx.facts.titles
    met, cost = (True, 0) if counts else _title_now(ctx, title, reserved)
    off_path = htxs_path and not (y0 not in ctx.facts.rated_years or on_path(y0))
    if off_path:
        cost = max(cost, 1)  # this year cannot be on the HTXS path any more
    now = (held or counts or cost == 0) and not off_path  # this year can still join the chain

    first_future = y0 + 1 if now else y0 + max(1, cost)  # T can be held every year from then on

    def present_best(y: int) -> bool:
        if y < y0:
            return bool(present(y)) and (not htxs_path or on_path(y))
        return now if y == y0 else y >= first_future

    skip = ctx.rs.settings.get("chain_gap_policy") == "skip_unrated"

    def chain_at(z: int) -> list[int]:
        years = []
        y = z
        while y >= y0 - HORIZON:
            if present_best(y):
                years.append(y)
            elif not (skip and y < y0 and y not in ctx.facts.ratings):
                break
            y -= step
        return years

    word = "năm" if step == 1 else "lần"
    gaps = []
    if now and not (held or counts):
        what = "quyết định công nhận" if met else "đạt"
        gaps.append(Gap(f"cần {what} {name} năm {y0}{' (đã đạt tiêu chuẩn)' if met else ''}", 0))
    if cost >= IMPOSSIBLE and not now:
        return [Gap(f"cần {count} {word} {name} liên tiếp{path}", IMPOSSIBLE)]
    z = next((z for z in range(y0, y0 + HORIZON) if len(chain_at(z)) >= count), None)
    if z is None:
        return [*gaps, Gap(f"cần {count} {word} {name} liên tiếp{path}", IMPOSSIBLE)]
    if z > y0:
        chain = chain_at(z)[:count]
        future = sum(y > y0 for y in chain)
        if future < count:
            gaps.append(Gap(f"cần thêm {future} {word} {name} liên tiếp{path} ({z})", z - y0))
        else:
            gaps.append(
                Gap(f"cần {count} {word} {name} liên tiếp{path}, sớm nhất từ năm {min(chain)} ({z})", z - y0)
            )
    return gaps


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
    need = vocab.RATING_RANK[level]
    y0 = ctx.year
    gaps = []
    if y0 not in ctx.facts.rated_years and _best_rating(ctx, y0) >= need:  # not rated yet: it still can be
        gaps.append(Gap(f"cần xếp loại {level_text(level)} năm {y0}", 0))
    z = next((z for z in range(y0, y0 + HORIZON) if _best_run(ctx, need, z) >= n_years), None)
    if z is None:
        gaps.append(Gap(f"cần {n_years} năm liên tục xếp loại {level_text(level)}", IMPOSSIBLE))
    elif z > y0:
        gaps.append(Gap(f"cần thêm {z - y0} năm liên tục xếp loại {level_text(level)} ({z})", z - y0))
    return Outcome(False, [_reason(False, text, node, ctx)], reserved=reserved, gaps=gaps)


def _since_award(node: Node, ctx: Ctx, reserved: frozenset[str]) -> Outcome:
    p = node.params
    award, min_years, level = p["award"], p["min_years"], p["each_year"]["level"]
    aname = name_of(ctx.rs, award)
    years = sorted(d.year for d in ctx.facts.awards.get(award, []) if d.year <= ctx.year)
    if not years:
        text = f"Chưa được tặng {aname}"
        gaps = _since_award_gaps(node, ctx, reserved, years) if ctx.gaps else []
        return Outcome(False, [_reason(False, text, node, ctx)], reserved=reserved, gaps=gaps)
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
    thematic = ctx.rs.rule_on("thematic_not_counted_for_cong_trang", ctx.as_of)
    if thematic is not None:
        out.manual.append(f"{aname} làm căn cứ {thematic.text_vi} ({thematic.citation})")
    for w in node.within:
        o = _within(w, ctx, out.reserved, window_start)
        out.ok = out.ok and o.ok
        out.reasons += o.reasons
        out.manual += o.manual
        out.reserved = o.reserved
    if not out.ok:
        out.reserved = reserved
        out.gaps = _since_award_gaps(node, ctx, reserved, years) if ctx.gaps else []
    return out


def _since_award_gaps(node: Node, ctx: Ctx, reserved: frozenset[str], years: list[int]) -> list[Gap]:
    """The since-award path in the best future: when the award, the run of years and the counts
    inside the run can all be there (each with its own earliest year)."""
    p = node.params
    award, min_years, level = p["award"], p["min_years"], p["each_year"]["level"]
    aname = name_of(ctx.rs, award)
    need = vocab.RATING_RANK[level]
    y0 = ctx.year
    gaps: list[Gap] = []
    if years:
        first = years[0]
    else:
        _met, cost = _title_now(ctx, award, reserved)
        if cost >= IMPOSSIBLE:
            return [
                Gap(
                    f"cần được tặng {aname}, sau đó {min_years} năm liên tục xếp loại {level_text(level)}",
                    IMPOSSIBLE,
                )
            ]
        first = y0 + cost
        gaps.append(Gap(f"cần được tặng {aname} (sớm nhất năm {first})", cost))
    start = first + (1 if ctx.rs.settings.get("since_award_window_starts") == "year_after_award" else 0)
    horizon = range(y0, y0 + HORIZON)

    def window(z: int) -> range:
        return range(z - _best_run(ctx, need, z, floor=start) + 1, z + 1)

    def first_year(cond: Any) -> int | None:
        return next((z for z in horizon if cond(window(z))), None)

    z = first_year(lambda w: len(w) >= min_years)
    if z is None:
        return [
            *gaps,
            Gap(
                f"cần {min_years} năm liên tục xếp loại {level_text(level)} sau khi được tặng {aname}",
                IMPOSSIBLE,
            ),
        ]
    if z > y0:
        gaps.append(Gap(f"cần thêm {z - y0} năm liên tục xếp loại {level_text(level)} ({z})", z - y0))
    for w in node.within:
        wp = w.params
        if w.op == "rating_years":
            lvl = vocab.RATING_RANK[wp["level"]]
            zw = first_year(
                lambda win, lvl=lvl, c=wp["min_count"]: sum(_best_rating(ctx, y) >= lvl for y in win) >= c
            )
            what = f"ít nhất {wp['min_count']} năm xếp loại {level_text(wp['level'])} trong giai đoạn đó"
        elif w.op == "holds":
            title, c = wp["title"], wp["count"]
            held_now = (title, y0) in ctx.facts.titles
            counts, _h, _i = title_this_year(ctx, ctx.facts, title, reserved)
            met, cost_t = (True, 0) if counts else _title_now(ctx, title, reserved)
            now = held_now or counts or cost_t == 0
            future = y0 + max(1, cost_t)

            def has(y: int, title: str = title, now: bool = now, future: int = future) -> bool:
                if y < y0:
                    return (title, y) in ctx.facts.titles
                return now if y == y0 else y >= future

            name = name_of(ctx.rs, title)
            if now and not (held_now or counts) and y0 >= start:
                verb = "quyết định công nhận" if met else "đạt"
                gaps.append(Gap(f"cần {verb} {name} năm {y0}{' (đã đạt tiêu chuẩn)' if met else ''}", 0))
            zw = first_year(lambda win, has=has, c=c: sum(has(y) for y in win) >= c)
            what = f"{c} lần đạt {name} trong giai đoạn đó"
        else:
            continue
        if zw is None:
            gaps.append(Gap(f"cần {what}", IMPOSSIBLE))
        elif zw > y0:
            gaps.append(Gap(f"cần {what} ({zw})", zw - y0))
    return gaps


def _within(node: Node, ctx: Ctx, reserved: frozenset[str], start: int) -> Outcome:
    """A count inside the since-award window (its gaps are worked out by ``_since_award_gaps``)."""
    p = node.params
    window = list(range(start, ctx.year + 1))
    period = f"giai đoạn {years_text(window)}" if window else "giai đoạn tính"
    if node.op == "rating_years":
        need = vocab.RATING_RANK[p["level"]]
        hits = [y for y in window if ctx.facts.ratings.get(y, -1) >= need]
        ok = len(hits) >= p["min_count"]
        text = f"Trong {period} có {len(hits)} năm xếp loại {level_text(p['level'])} (yêu cầu ít nhất {p['min_count']})"
        return Outcome(ok, [_reason(ok, text, node, ctx)], reserved=reserved)  # gaps: _since_award_gaps
    if node.op == "holds":
        title, count = p["title"], p["count"]
        counts, _held, inner = (
            title_this_year(ctx, ctx.facts, title, reserved) if window else (False, False, None)
        )
        hits = [y for y in window if (title, y) in ctx.facts.titles or (y == ctx.year and counts)]
        ok = len(hits) >= count
        name = name_of(ctx.rs, title)
        met_only = inner is not None and counts
        note = f" ({same_meeting_note(ctx.rs, ctx.year)})" if met_only else ""
        text = f"Trong {period} có {len(hits)} lần đạt {name}{f' ({years_text(hits)})' if hits else ''} (yêu cầu {count}){note}"
        new_reserved = inner.reserved if (inner is not None and counts and ok) else reserved
        conf = "UNCONFIRMED" if met_only else None
        return Outcome(ok, [_reason(ok, text, node, ctx, confidence=conf)], reserved=new_reserved)
    return evaluate_node(node, ctx, reserved)


def innovation_key(r: InitiativeRecord | ScienceWorkRecord) -> str:
    return f"{r.type}:{r.id}"


def innovation_available(r: InitiativeRecord | ScienceWorkRecord, item_id: str, year: int) -> bool:
    return r.used_for is None or r.used_for == f"{item_id}:{year}"


def innovation_window(node: Node, rs: Any) -> int:
    """Years an innovation may date back (1: the year considered only); 0: no window."""
    return int(rs.resolve(node.params["within_years"]))


def _innovation(node: Node, ctx: Ctx, reserved: frozenset[str]) -> Outcome:
    p = node.params
    pool = node.op
    scope, count = p["scope"], p["count"]
    within = innovation_window(node, ctx.rs)
    need = vocab.SCOPE_RANK[scope]
    first = ctx.year - within + 1 if within else None
    what = "sáng kiến" if pool == "initiative" else "đề tài, công trình khoa học đã nghiệm thu"
    in_pool = [
        r
        for r in ctx.facts.innovations
        if r.type == pool
        and (first is None or first <= r.year)
        and r.year <= ctx.year
        and vocab.SCOPE_RANK[r.scope] >= need
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
    if first is None:
        period = f"đến năm {ctx.year}"
    else:
        period = f"năm {ctx.year}" if within == 1 else f"{first}–{ctx.year}"
    if len(chosen) >= count:
        desc = ", ".join(f"{r.id} (cấp {vocab.SCOPE_LABELS[r.scope]}, năm {r.year})" for r in chosen)
        text = f"Có {what} {desc} được công nhận, chưa dùng để khen thưởng"
        manual = []
        setting = p["within_years"]["setting"] if isinstance(p["within_years"], Mapping) else None
        older = [r for r in chosen if r.year < ctx.year]
        if setting and not within and older:
            manual.append(
                f"[Chưa xác nhận; tùy chọn {setting_name(ctx.rs, setting)} đang tắt] {', '.join(f'{r.id} (năm {r.year})' for r in older)}"
                f" được tính dù công nhận trước năm {ctx.year}: pháp luật không giới hạn thời gian; "
                f"cán bộ đối chiếu quy chế của đơn vị ({_cite(node, ctx)})"
            )
        return Outcome(
            True,
            [_reason(True, text, node, ctx)],
            manual=manual,
            consumes=[r.id for r in chosen],
            reserved=reserved | {innovation_key(r) for r in chosen},
        )
    used = [r for r in in_pool if r not in free]
    used_txt = "; ".join(
        f"{r.id} đã dùng cho {award_name(r.used_for) if r.used_for else 'danh hiệu khác cùng kỳ'}"
        for r in used
    )
    text = (
        f"Không đủ {count} {what} được công nhận từ cấp {vocab.SCOPE_LABELS[scope]} trở lên ({period}) chưa dùng để khen thưởng"
        f" (hiện có {len(chosen)}){f'; {used_txt}' if used_txt else ''}"
    )
    gap = Gap(
        f"cần thêm {count - len(chosen)} {what} được công nhận từ cấp {vocab.SCOPE_LABELS[scope]} trở lên", 0
    )
    return Outcome(False, [_reason(False, text, node, ctx)], reserved=reserved, gaps=[gap])


def _members_with(ctx: Ctx, title: str) -> tuple[list[Facts], int]:
    """Members counted as holding ``title`` in the year, and how many of them only meet its criteria."""
    out = []
    met_only = 0
    for m in ctx.facts.members:
        sub = Ctx(ctx.rs, ctx.year, ctx.as_of, ctx.item, m, ctx.gaps)
        counts, held, _inner = title_this_year(sub, m, title, frozenset())
        if counts:
            out.append(m)
            met_only += not held
    return out, met_only


def _met_only_note(ctx: Ctx, met_only: int) -> str:
    if not met_only:
        return ""
    return (
        f" (trong đó {met_only} thành viên chưa có quyết định công nhận: [Chưa xác nhận; tùy chọn "
        f"{setting_name(ctx.rs, SAME_MEETING)} đang bật] được tính vì đạt tiêu chuẩn năm {ctx.year})"
    )


def _names(members: Sequence[Facts]) -> str:
    return ", ".join(m.name for m in members[:5]) + (
        f" và {len(members) - 5} người khác" if len(members) > 5 else ""
    )


def _unrated(ctx: Ctx) -> tuple[list[Facts], str, Gap | None]:
    """Members without any rating for the year: they block a decision over the members."""
    missing = [m for m in ctx.facts.members if ctx.year not in m.rated_years]
    if not missing:
        return [], "", None
    n = len(ctx.facts.members)
    text = f"{len(missing)}/{n} thành viên chưa xếp loại năm {ctx.year}: {_names(missing)}"
    gap = Gap(
        f"cần kết quả xếp loại năm {ctx.year} của mọi thành viên ({len(missing)} người chưa xếp loại)", 0
    )
    return missing, text, gap


def _member_share(node: Node, ctx: Ctx, reserved: frozenset[str]) -> Outcome:
    p = node.params
    title = p["title"]
    pct = int(ctx.rs.resolve(p["min_pct"]))
    op = ctx.rs.resolve(p.get("op", ">="))
    n = len(ctx.facts.members)
    holders, met_only = _members_with(ctx, title)
    k = len(holders)
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
    text = f"{share} (yêu cầu {req}){_met_only_note(ctx, met_only)}"
    gaps = []
    if not ok:
        extra = next(
            m for m in range(1, n + 1) if (100 * (k + m) > pct * n if op == ">" else 100 * (k + m) >= pct * n)
        )
        gaps.append(Gap(f"cần thêm {extra} thành viên đạt {name}", 0))
    conf = "UNCONFIRMED" if met_only else None
    reasons = [_reason(ok, text, node, ctx, confidence=conf)]
    unrated, utext, ugap = _unrated(ctx)
    if unrated and ugap is not None:  # the share is not decided while some members are not rated
        ok = False
        reasons.append(_reason(False, f"Chưa đủ căn cứ tính tỷ lệ: {utext}", node, ctx))
        gaps.append(ugap)
    return Outcome(ok, reasons, reserved=reserved, gaps=gaps)


def _all_members_rating(node: Node, ctx: Ctx, reserved: frozenset[str]) -> Outcome:
    level = node.params["level"]
    need = vocab.RATING_RANK[level]
    members = ctx.facts.members
    if not members:
        return Outcome(
            False,
            [_reason(False, "Không có danh sách thành viên", node, ctx)],
            reserved=reserved,
            gaps=[Gap("cần danh sách thành viên", 0)],
        )
    unrated, utext, ugap = _unrated(ctx)
    skip = {id(m) for m in unrated}
    bad = [m for m in members if m.ratings.get(ctx.year, -1) < need and id(m) not in skip]
    if not bad and not unrated:
        text = f"100% thành viên ({len(members)}) xếp loại {level_text(level)} năm {ctx.year}"
        return Outcome(True, [_reason(True, text, node, ctx)], reserved=reserved)
    reasons = []
    gaps = []
    if bad:
        text = f"{len(bad)}/{len(members)} thành viên chưa đạt mức xếp loại {level_text(level)} năm {ctx.year}: {_names(bad)}"
        reasons.append(_reason(False, text, node, ctx))
        gaps.append(Gap(f"cần 100% thành viên xếp loại {level_text(level)}", 1))
    if unrated and ugap is not None:
        reasons.append(_reason(False, utext, node, ctx))
        gaps.append(ugap)
    return Outcome(False, reasons, reserved=reserved, gaps=gaps)


def _has_member_with(node: Node, ctx: Ctx, reserved: frozenset[str]) -> Outcome:
    title, need = node.params["title"], node.params["min_count"]
    hits, met_only = _members_with(ctx, title)
    name = name_of(ctx.rs, title)
    ok = len(hits) >= need
    text = f"Có {len(hits)} thành viên đạt {name} năm {ctx.year} (yêu cầu ít nhất {need}){_met_only_note(ctx, met_only)}"
    gaps = [] if ok else [Gap(f"cần thêm {need - len(hits)} thành viên đạt {name}", 0)]
    conf = "UNCONFIRMED" if met_only else None
    return Outcome(ok, [_reason(ok, text, node, ctx, confidence=conf)], reserved=reserved, gaps=gaps)


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
    """Leads its cluster in the year. Several ranks for one year and organiser come from a merger
    (one per predecessor, docs/rules.md): the best rank counts, and the officer confirms it."""
    org = node.params["organiser"]
    label = vocab.ORGANISER_LABELS[org]
    ranks = sorted(r.rank for r in ctx.facts.clusters if r.year == ctx.year and r.organiser == org)
    manual = []
    if len(ranks) > 1:
        manual.append(
            f"Năm {ctx.year} có {len(ranks)} kết quả xếp hạng cụm, khối do {label} tổ chức "
            f"(hạng {', '.join(map(str, ranks))}; đơn vị hợp nhất từ nhiều đơn vị): lấy thứ hạng cao nhất; "
            f"Hội đồng xác nhận thành tích dẫn đầu thuộc về đơn vị sau hợp nhất ({_cite(node, ctx)})"
        )
    if ranks and ranks[0] == 1:
        return Outcome(
            True,
            [_reason(True, f"Dẫn đầu cụm, khối thi đua do {label} tổ chức năm {ctx.year}", node, ctx)],
            manual,
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
        manual,
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
        text = f"[Chưa xác nhận; tùy chọn {setting_name(ctx.rs, rule.setting)} đang tắt] Thời gian công tác tính đến ngày xét từ {months} tháng trở lên ({rule.citation})"
        return Outcome(True, manual=[text])
    if not rule.in_force(ctx.as_of):
        since = f" (áp dụng từ ngày {vn_date(rule.effective_from)})" if rule.effective_from else ""
        text = (
            f"Quy định thời gian công tác tối thiểu {months} tháng chưa có hiệu lực vào ngày xét {vn_date(ctx.as_of)}"
            f"{since}: cán bộ xác nhận thời gian công tác theo quy định đang áp dụng ({rule.citation})"
        )
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
        text = f"Tuyển dụng ngày {vn_date(facts.recruited_on)}: đến ngày xét {vn_date(ctx.as_of)} đã công tác từ {months} tháng trở lên{extra}"
        return Outcome(True, [Reason(ok=True, text=text, citation=rule.citation, confidence=rule.confidence)])
    text = f"Tuyển dụng ngày {vn_date(facts.recruited_on)}: đến ngày xét {vn_date(ctx.as_of)} chưa đủ {months} tháng công tác{extra}"
    wait = next(k for k in range(1, HORIZON) if due <= add_months(ctx.as_of, 12 * k))  # the same review date
    gap = Gap(f"cần đủ {months} tháng công tác (từ ngày {vn_date(due)})", wait)
    return Outcome(
        False, [Reason(ok=False, text=text, citation=rule.citation, confidence=rule.confidence)], gaps=[gap]
    )


def _maternity_reasons(ctx: Ctx) -> list[Reason]:
    rule = ctx.rs.global_rules["maternity_counts_as_work"]
    out = []
    for lv in ctx.facts.leaves:
        if lv.reason == "thai_san" and lv.start <= ctx.as_of and (lv.end is None or lv.end.year >= ctx.year):
            end = vn_date(lv.end) if lv.end else "nay"
            text = f"Nghỉ thai sản từ {vn_date(lv.start)} đến {end}: được tính là thời gian công tác"
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
