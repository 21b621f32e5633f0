"""The batch's fast path: case lines decoded by msgspec into typed structs, the contract's checks done
over a whole chunk at once, and the columns of the set-based engine built from the structs.

A line is accepted here only when every check of the reference parser (``case.parse_case_json``:
strict JSON, the pydantic shapes, ``check_case``) is known to pass. Anything the fast path cannot
vouch for (a decoding error, a flagged check, a line whose keys it cannot count) goes to the reference
parser, which gives the verdict and the messages. Both paths therefore accept and refuse the same
lines with the same messages; ``tests/test_batch.py`` checks that on mutated lines.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from operator import attrgetter, is_not, itemgetter
from typing import Annotated, Any, ClassVar, Literal, cast

import msgspec
import numpy as np
import numpy.typing as npt
from msgspec import UNSET, Struct, UnsetType

from thidua.rules import vocab
from thidua.rules.case import (
    MAX_DATE,
    MAX_YEAR,
    MIN_DATE,
    MIN_YEAR,
    Case,
    CaseError,
    candidate_problems,
    parse_case_json,
)
from thidua.rules.columnar import (
    CLUSTER_CODES,
    KIND_CODES,
    LAUNCHER_CODES,
    LEAVE_CODES,
    NO_DATE,
    Columns,
)
from thidua.rules.ruleset import Ruleset, list_rulesets, load_ruleset

I32 = npt.NDArray[np.int32]
I64 = npt.NDArray[np.int64]
B = npt.NDArray[np.bool_]

YearT = Annotated[int, msgspec.Meta(ge=MIN_YEAR, le=MAX_YEAR)]
TextT = Annotated[str, msgspec.Meta(min_length=1)]
RatingT = Literal["khong_hoan_thanh", "hoan_thanh", "hoan_thanh_tot", "hoan_thanh_xuat_sac"]
ScopeT = Literal["co_so", "bo_nganh_tinh", "toan_quoc"]


# --------------------------------------------------------------------------------------------
# The contract's shapes (case.py) as msgspec structs
# --------------------------------------------------------------------------------------------
class _Record(Struct, tag_field="type", forbid_unknown_fields=True, kw_only=True, gc=False):
    code: ClassVar[int] = -1  # position in RECORD_TYPES (set below), read in bulk with attrgetter


class FRating(_Record, tag="rating"):
    year: YearT
    value: RatingT


class FTitle(_Record, tag="title"):
    year: YearT
    id: TextT


class FAward(_Record, tag="award"):
    id: TextT
    date: dt.date


class FInitiative(_Record, tag="initiative"):
    id: TextT
    year: YearT
    scope: ScopeT
    used_for: TextT | None


class FScienceWork(_Record, tag="science_work"):
    id: TextT
    year: YearT
    scope: ScopeT
    used_for: TextT | None


class FDiscipline(_Record, tag="discipline"):
    form: Literal["khien_trach", "canh_cao", "ha_bac_luong", "giang_chuc", "cach_chuc", "buoc_thoi_viec"]
    date: dt.date
    until: dt.date | None


class FPending(_Record, tag="pending"):
    kind: Literal["discipline", "investigation", "complaint"]
    since: dt.date
    until: dt.date | None


class FLeave(_Record, tag="leave"):
    start: dt.date = msgspec.field(name="from")
    end: dt.date | None = msgspec.field(name="to")
    reason: Literal["thai_san", "hoc_tap", "benh", "khac"]


class FClusterRank(_Record, tag="cluster_rank"):
    year: YearT
    rank: Annotated[int, msgspec.Meta(ge=1, le=10_000)]
    organiser: Literal["trung_uong", "bo_nganh_tinh"]


class FMovementLead(_Record, tag="movement_lead"):
    year: YearT
    launched_by: Literal["thu_tuong", "bo_nganh_tinh"]
    years_run: Annotated[int, msgspec.Meta(ge=1, le=100)]


FRecord = (
    FRating
    | FTitle
    | FAward
    | FInitiative
    | FScienceWork
    | FDiscipline
    | FPending
    | FLeave
    | FClusterRank
    | FMovementLead
)
RECORD_TYPES: tuple[type[_Record], ...] = (
    FRating, FTitle, FAward, FInitiative, FScienceWork, FDiscipline, FPending, FLeave, FClusterRank, FMovementLead,
)  # fmt: skip
TYPE_CODE = {cls: i for i, cls in enumerate(RECORD_TYPES)}
for _cls, _code in TYPE_CODE.items():
    _cls.code = _code
RATING_T, TITLE_T, AWARD_T, INIT_T, SCI_T, DISC_T, PEND_T, LEAVE_T, CLUSTER_T, MOVE_T = range(10)
# JSON keys of each record type, "type" included (to count the keys of a line)
RECORD_KEYS = np.array([len(cls.__struct_fields__) + 1 for cls in RECORD_TYPES], dtype=np.int64)


class FMember(Struct, forbid_unknown_fields=True, kw_only=True):
    kind: Literal["individual"]
    id: TextT
    name: TextT
    records: list[FRecord]
    gender: Literal["nam", "nu"] | UnsetType | None = UNSET
    recruited_on: dt.date | UnsetType | None = UNSET


class FSubject(Struct, forbid_unknown_fields=True, kw_only=True):
    kind: Literal["individual", "collective", "household"]
    id: TextT
    name: TextT
    records: list[FRecord]
    gender: Literal["nam", "nu"] | UnsetType | None = UNSET
    recruited_on: dt.date | UnsetType | None = UNSET
    members: list[FMember] | UnsetType | None = UNSET


class FCase(Struct, forbid_unknown_fields=True, kw_only=True):
    year: YearT
    subject: FSubject
    as_of: dt.date | UnsetType | None = UNSET
    ruleset: TextT | UnsetType | None = UNSET
    candidates: list[TextT] | UnsetType | None = UNSET


DECODER = msgspec.json.Decoder(FCase)


def to_case(fc: FCase) -> Case:
    """The pydantic ``Case`` of an accepted line (for the interpreter)."""
    return Case.model_validate(msgspec.to_builtins(fc))


def from_case(case: Case) -> FCase:
    """The struct of a case the reference parser accepted (same fields)."""
    return msgspec.convert(case.model_dump(mode="json", by_alias=True, exclude_unset=True), FCase)


# --------------------------------------------------------------------------------------------
# Counting the keys of each line (repeated keys are invisible once decoded)
# --------------------------------------------------------------------------------------------
def raw_colon_counts(lines: Sequence[bytes], block: bytes) -> I64:
    """Colons written in each line, escaped ones (``\\u003a``) included.

    A JSON object has one colon after each of its keys; the other colons of a line are inside string
    values. So ``colons(line) >= keys written + colons in the decoded strings``, with equality exactly
    when no key is repeated (a repeated key is invisible once decoded) and no escape is fake. The
    decoder's view gives the right-hand side: equal counts prove the line has no repeated key."""
    counts = np.fromiter(map(bytes.count, lines, itertools.repeat(b":")), dtype=np.int64, count=len(lines))
    if b"\\u003" in block:  # rare: colons written as escapes
        counts += np.fromiter(
            (ln.count(b"\\u003a") + ln.count(b"\\u003A") for ln in lines), dtype=np.int64, count=len(lines)
        )
    return counts


def _colons(values: Sequence[str]) -> I64:
    if ":" not in "".join(values):  # the common case: no colon anywhere in the chunk
        return np.zeros(len(values), dtype=np.int64)
    return np.fromiter(map(_count_colons, values), dtype=np.int64, count=len(values))


def _count_colons(value: str) -> int:
    return value.count(":")


# --------------------------------------------------------------------------------------------
# Rulesets: one code space for every shipped version, and lookup tables for the checks
# --------------------------------------------------------------------------------------------
class _Codes(dict[str, int]):
    def __missing__(self, key: str) -> int:
        return -1


@dataclass
class RulesetTables:
    codes: list[str]
    code_of: _Codes
    rulesets: list[Ruleset]  # with the batch's options
    starts: I64  # effective_from ordinals, sorted
    ends: I64  # effective_to ordinals (NO_DATE when open)
    index_of: dict[str, int]
    title_ok: npt.NDArray[np.bool_]  # [ruleset, code, kind]: a title of that kind
    award_ok: npt.NDArray[np.bool_]  # [ruleset, code, kind]: a form of that kind
    defaults: list[dict[str, list[str]]]  # per ruleset: kind -> items evaluated by default
    candidate_checks: dict[tuple[int, str, tuple[str, ...]], bool]
    used_for_checks: dict[tuple[int, str], tuple[int, int]]


def ruleset_tables(options: Mapping[str, Any] | None) -> RulesetTables:
    infos = list_rulesets()
    rulesets = []
    for info in infos:
        rs = load_ruleset(info.id)
        rulesets.append(rs.with_settings(rs.applicable(options)))
    codes = list(dict.fromkeys(i for rs in rulesets for i in rs.items))
    code_of = _Codes({c: i for i, c in enumerate(codes)})
    kinds = vocab.SUBJECT_KINDS
    title_ok = np.zeros((len(rulesets), len(codes), len(kinds)), dtype=np.bool_)
    award_ok = np.zeros_like(title_ok)
    for r, rs in enumerate(rulesets):
        for item in rs.items.values():
            table = title_ok if item.kind == "title" else award_ok
            for k in item.subjects:
                table[r, code_of[item.id], KIND_CODES[k]] = True
    return RulesetTables(
        codes=codes,
        code_of=code_of,
        rulesets=rulesets,
        starts=np.array([rs.effective_from.toordinal() for rs in rulesets], dtype=np.int64),
        ends=np.array(
            [rs.effective_to.toordinal() if rs.effective_to else NO_DATE for rs in rulesets], dtype=np.int64
        ),
        index_of={rs.id: i for i, rs in enumerate(rulesets)},
        title_ok=title_ok,
        award_ok=award_ok,
        defaults=[{k: [it.id for it in rs.candidates_for(k)] for k in kinds} for rs in rulesets],
        candidate_checks={},
        used_for_checks={},
    )


# --------------------------------------------------------------------------------------------
# A chunk of accepted lines: checks and columns
# --------------------------------------------------------------------------------------------
def _ordinals(days: Sequence[Any], missing: int) -> I64:
    """Date ordinals; ``missing`` for None or an absent field."""
    try:
        return np.fromiter(map(_TO_ORDINAL, days), dtype=np.int64, count=len(days))
    except TypeError:  # some None or absent
        return np.asarray(
            [d.toordinal() if d.__class__ is dt.date else missing for d in days], dtype=np.int64
        )


_TO_ORDINAL = dt.date.toordinal


def _col(values: Any, n: int) -> I64:
    return np.fromiter(values, dtype=np.int64, count=n)


def _take(items: list[Any], idx: I64) -> list[Any]:
    if idx.size > 1:
        return list(itemgetter(*idx.tolist())(items))
    return [items[int(i)] for i in idx]


def _given_flags(values: list[Any]) -> I64:
    """1 where a field was written (even as null), 0 where it was absent."""
    return np.fromiter(map(is_not, values, itertools.repeat(UNSET)), dtype=np.int64, count=len(values))


def _year_ordinal(years: I64, month_day: str) -> I64:
    """Ordinals of ``YYYY-01-01`` (month_day "01-01") or ``YYYY-12-31`` ("12-31"), vectorised."""
    start = (years - 1970).astype("datetime64[Y]").astype("datetime64[D]").astype(np.int64)
    if month_day == "12-31":
        start = (years - 1969).astype("datetime64[Y]").astype("datetime64[D]").astype(np.int64) - 1
    out: I64 = start + _EPOCH
    return out


_EPOCH = dt.date(1970, 1, 1).toordinal()


def _dups1(key: I64) -> B:
    """Which entries share their key with another entry."""
    out = np.zeros(key.size, dtype=np.bool_)
    if key.size < 2:
        return out
    order = np.argsort(key, kind="stable")
    ks = key[order]
    same = ks[1:] == ks[:-1]
    if same.any():
        out[order[1:][same]] = True
        out[order[:-1][same]] = True
    return out


def _dups(*keys: I64) -> B:
    """Which entries repeat an earlier entry with the same keys (several int64 columns)."""
    n = keys[0].size
    out = np.zeros(n, dtype=np.bool_)
    if n < 2:
        return out
    order = np.lexsort(keys[::-1])
    same = np.ones(n - 1, dtype=np.bool_)
    for k in keys:
        ks = k[order]
        same &= ks[1:] == ks[:-1]
    if same.any():
        out[order[1:][same]] = True
        out[order[:-1][same]] = True
    return out


@dataclass
class Chunk:
    """Accepted cases of a chunk, their columns, and which of them the checks refuse (``bad``)."""

    cases: list[FCase]
    ruleset: I64  # per case: index into tables.rulesets (-1: none)
    bad: B
    columns: Columns | None


def check_and_columns(
    cases: list[FCase], keys: I64, tables: RulesetTables, options: Mapping[str, Any]
) -> Chunk:
    """Run every check of ``check_case`` over the chunk (vectorised where it matters) and build the
    columns. ``keys`` is the raw key count of each line (-1: unknown)."""
    n = len(cases)
    bad = np.zeros(n, dtype=np.bool_)
    year = _col(map(attrgetter("year"), cases), n)
    as_of_raw = list(map(attrgetter("as_of"), cases))
    dec31 = _year_ordinal(year, "12-31")
    as_of = _ordinals(as_of_raw, -1)
    as_of = np.where(as_of < 0, dec31, as_of)
    jan1 = _year_ordinal(year, "01-01")
    lo, hi = MIN_DATE.toordinal(), MAX_DATE.toordinal()
    bad |= (as_of < jan1) | (as_of < lo) | (as_of > hi)
    # ruleset: the one named, or the one in force on as_of
    rs_idx = np.searchsorted(tables.starts, as_of, side="right") - 1
    rs_idx = np.where((rs_idx >= 0) & (as_of <= tables.ends[np.maximum(rs_idx, 0)]), rs_idx, -1)
    named = list(map(attrgetter("ruleset"), cases))
    given_rs = _given_flags(named)
    for i in np.flatnonzero(given_rs).tolist():
        if named[i] is not None:
            rs_idx[i] = tables.index_of.get(named[i], -1)
    bad |= rs_idx < 0
    # expected keys: top level, subject, members, records (compared with the raw count)
    subjects = list(map(attrgetter("subject"), cases))
    cands = list(map(attrgetter("candidates"), cases))
    members = list(map(attrgetter("members"), subjects))
    given_members = _given_flags(members)
    expect = 2 + _given_flags(as_of_raw) + given_rs + _given_flags(cands)
    expect += 4 + _given_flags(list(map(attrgetter("gender"), subjects))) + given_members
    # ... plus the colons inside free-text strings (ids and names; the other strings are checked ids
    # or fixed words without colons)
    expect += _colons(list(map(attrgetter("id"), subjects))) + _colons(
        list(map(attrgetter("name"), subjects))
    )
    subject_recruited = list(map(attrgetter("recruited_on"), subjects))
    expect += _given_flags(subject_recruited)
    # rows: the subjects, then the members of collectives
    kinds = _col(map(KIND_CODES.__getitem__, map(attrgetter("kind"), subjects)), n)
    member_rows: list[FMember] = []
    owner: list[int] = []
    for i in np.flatnonzero(given_members).tolist():
        s = subjects[i]
        ms = s.members
        if ms is None or ms is UNSET:
            continue
        if s.kind != "collective":
            bad[i] = True
        if ms:
            ids = [m.id for m in ms]
            if len(set(ids)) != len(ids):
                bad[i] = True
            member_rows.extend(ms)
            owner.extend([i] * len(ms))
    m = len(member_rows)
    rows: list[FSubject | FMember] = [*subjects, *member_rows]
    nr = n + m
    row_case = np.concatenate([np.arange(n, dtype=np.int64), np.asarray(owner, dtype=np.int64)])
    member_recruited = list(map(attrgetter("recruited_on"), member_rows))
    if m:
        per_member = (
            4 + _given_flags(list(map(attrgetter("gender"), member_rows))) + _given_flags(member_recruited)
        )
        per_member += _colons(list(map(attrgetter("id"), member_rows)))
        per_member += _colons(list(map(attrgetter("name"), member_rows)))
        expect += np.bincount(np.asarray(owner, dtype=np.int64), weights=per_member, minlength=n).astype(
            np.int64
        )
    row_kind = np.concatenate([kinds, np.zeros(m, dtype=np.int64)])
    row_year = year[row_case]
    row_as_of = as_of[row_case]
    row_rs = rs_idx[row_case]
    recruited = _ordinals([*subject_recruited, *member_recruited], -1)
    known = recruited >= 0
    row_bad = known & ((recruited > row_as_of) | (recruited < lo) | (recruited > hi))
    # records, flattened and grouped by type
    rec_lists = list(map(attrgetter("records"), rows))
    lens = _col(map(len, rec_lists), nr)
    recs = list(itertools.chain.from_iterable(rec_lists))
    nrec = len(recs)
    rec_row = np.repeat(np.arange(nr, dtype=np.int64), lens)
    tcode = np.fromiter(map(attrgetter("code"), recs), dtype=np.int64, count=nrec)
    expect += np.bincount(row_case[rec_row], weights=RECORD_KEYS[tcode], minlength=n).astype(np.int64)
    present = np.bincount(tcode, minlength=len(RECORD_TYPES))

    def group(t: int) -> tuple[list[Any], I64]:
        if not present[t]:
            return [], np.zeros(0, dtype=np.int64)
        idx = np.flatnonzero(tcode == t)
        return _take(recs, idx), rec_row[idx]

    def flag(rows_: I64, cond: B) -> None:
        if cond.any():
            row_bad[rows_[cond]] = True

    def years(rs: list[Any], rr: I64) -> I64:
        y = _col(map(attrgetter("year"), rs), len(rs))
        flag(rr, y > row_year[rr])
        return y

    def days(rs: list[Any], name: str) -> I64:
        return _ordinals(list(map(attrgetter(name), rs)), NO_DATE)

    def in_range(rr: I64, d: I64, nullable: bool = False) -> None:
        ok = (d >= lo) & (d <= hi)
        if nullable:
            ok |= d == NO_DATE
        flag(rr, ~ok)

    def dups(rr: I64, *keys: I64) -> None:
        flag(rr, _dups(rr, *keys))

    cols: dict[str, Any] = {}
    # ratings
    rs_, rr = group(RATING_T)
    ry = years(rs_, rr)
    flag(rr, _dups1(rr * 512 + (ry - MIN_YEAR)))
    cols.update(
        rating_subject=rr,
        rating_year=ry,
        rating_value=_col(map(vocab.RATING_RANK.__getitem__, map(attrgetter("value"), rs_)), len(rs_)),
    )
    # titles
    rs_, rr = group(TITLE_T)
    ty = years(rs_, rr)
    tc = _col(map(tables.code_of.__getitem__, map(attrgetter("id"), rs_)), len(rs_))
    flag(rr, (tc < 0) | ~tables.title_ok[np.maximum(row_rs[rr], 0), np.maximum(tc, 0), row_kind[rr]])
    flag(rr, _dups1((rr * 512 + (ty - MIN_YEAR)) * (len(tables.codes) + 1) + (tc + 1)))
    cols.update(title_subject=rr, title_year=ty, title_code=tc)
    # awards (a decision after as_of is not in effect yet: left out, as the interpreter does)
    rs_, rr = group(AWARD_T)
    ad = days(rs_, "date")
    in_range(rr, ad)
    ac = _col(map(tables.code_of.__getitem__, map(attrgetter("id"), rs_)), len(rs_))
    flag(rr, (ac < 0) | ~tables.award_ok[np.maximum(row_rs[rr], 0), np.maximum(ac, 0), row_kind[rr]])
    effective = ad <= row_as_of[rr]
    cols.update(award_subject=rr[effective], award_year=_years(ad[effective]), award_code=ac[effective])
    # initiatives and science works
    inno: dict[str, list[I64]] = {
        k: [] for k in ("subject", "pool", "year", "scope", "used_code", "used_year")
    }
    for pool, t in enumerate((INIT_T, SCI_T)):
        rs_, rr = group(t)
        if not rs_:
            continue
        iy = years(rs_, rr)
        ids = list(map(attrgetter("id"), rs_))
        dups(rr, _col(map(hash, ids), len(rs_)))
        used = list(map(attrgetter("used_for"), rs_))
        has_colon = [u is not None and ":" in u for u in used]
        colons = _colons(ids) + np.asarray(has_colon, dtype=np.int64)
        expect += np.bincount(row_case[rr], weights=colons, minlength=n).astype(np.int64)
        # used_for: "item" or "item:YEAR", checked once per (ruleset, value)
        ucode_l = [-1] * len(used)
        uyear_l = [-1] * len(used)
        rs_of = row_rs[rr].tolist()
        for k in [k for k, u in enumerate(used) if u is not None]:
            u = used[k]
            key = (rs_of[k], u)
            parsed = tables.used_for_checks.get(key)
            if parsed is None:
                parsed = _used_for(u, tables.rulesets[key[0]], tables.code_of) if key[0] >= 0 else (-1, -1)
                tables.used_for_checks[key] = parsed
            if parsed[0] < 0:
                row_bad[rr[k]] = True
                continue
            ucode_l[k], uyear_l[k] = parsed
        ucode = np.asarray(ucode_l, dtype=np.int64)
        uyear = np.asarray(uyear_l, dtype=np.int64)
        inno["subject"].append(rr)
        inno["pool"].append(np.full(len(rs_), pool, dtype=np.int64))
        inno["year"].append(iy)
        inno["scope"].append(_col(map(vocab.SCOPE_RANK.__getitem__, map(attrgetter("scope"), rs_)), len(rs_)))
        inno["used_code"].append(ucode)
        inno["used_year"].append(uyear)
    for name, parts in inno.items():
        cols[f"inno_{name}"] = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
    # discipline (decided after as_of: not in effect yet)
    rs_, rr = group(DISC_T)
    dd, du = days(rs_, "date"), days(rs_, "until")
    in_range(rr, dd)
    in_range(rr, du, nullable=True)
    flag(rr, (du != NO_DATE) & (du < dd))
    effective = dd <= row_as_of[rr]
    cols.update(
        disc_subject=rr[effective],
        disc_until=du[effective],
        disc_date=dd[effective],
        disc_form=_col(map(vocab.DISCIPLINE_RANK.__getitem__, map(attrgetter("form"), rs_)), len(rs_))[
            effective
        ],
    )
    # pending proceedings
    rs_, rr = group(PEND_T)
    ps, pu = days(rs_, "since"), days(rs_, "until")
    in_range(rr, ps)
    in_range(rr, pu, nullable=True)
    flag(rr, (pu != NO_DATE) & (pu < ps))
    cols.update(pend_subject=rr, pend_since=ps, pend_until=pu)
    # leave (individuals only)
    rs_, rr = group(LEAVE_T)
    lf, lt = days(rs_, "start"), days(rs_, "end")
    in_range(rr, lf)
    in_range(rr, lt, nullable=True)
    flag(rr, ((lt != NO_DATE) & (lt < lf)) | (row_kind[rr] != KIND_CODES["individual"]))
    cols.update(
        leave_subject=rr,
        leave_from=lf,
        leave_to=lt,
        leave_reason=_col(map(LEAVE_CODES.__getitem__, map(attrgetter("reason"), rs_)), len(rs_)),
    )
    # cluster ranks and thematic movements (collectives only)
    collective = KIND_CODES["collective"]
    rs_, rr = group(CLUSTER_T)
    cy = years(rs_, rr)
    flag(rr, row_kind[rr] != collective)
    cols.update(
        cluster_subject=rr,
        cluster_year=cy,
        cluster_rank=_col(map(attrgetter("rank"), rs_), len(rs_)),
        cluster_organiser=_col(map(CLUSTER_CODES.__getitem__, map(attrgetter("organiser"), rs_)), len(rs_)),
    )
    rs_, rr = group(MOVE_T)
    my = years(rs_, rr)
    flag(rr, row_kind[rr] != collective)
    cols.update(
        move_subject=rr,
        move_year=my,
        move_launched_by=_col(map(LAUNCHER_CODES.__getitem__, map(attrgetter("launched_by"), rs_)), len(rs_)),
        move_years_run=_col(map(attrgetter("years_run"), rs_), len(rs_)),
    )
    # candidates (memoised: the same list is checked once per ruleset and kind)
    listed = np.fromiter(map(isinstance, cands, itertools.repeat(list)), dtype=np.bool_, count=n)
    for i in np.flatnonzero(listed & (rs_idx >= 0)).tolist():
        asked = cands[i]
        ckey = (int(rs_idx[i]), subjects[i].kind, tuple(asked))
        fine = tables.candidate_checks.get(ckey)
        if fine is None:
            fine = not candidate_problems(asked, subjects[i].kind, tables.rulesets[ckey[0]])
            tables.candidate_checks[ckey] = fine
        bad[i] |= not fine
    if row_bad.any():
        bad[np.unique(row_case[row_bad])] = True
    bad |= (keys >= 0) & (keys != expect)  # -2: already vouched for, not checked
    columns = Columns(
        list(tables.codes),
        row_year.astype(np.int32),
        row_as_of.astype(np.int32),
        recruited.astype(np.int32),
        **{k: np.asarray(v, dtype=np.int32) for k, v in cols.items()},
        kind=row_kind.astype(np.int32),
        member_of=np.concatenate([np.full(n, -1, dtype=np.int64), np.asarray(owner, dtype=np.int64)]).astype(
            np.int32
        ),
    )
    return Chunk(cases, rs_idx, bad, columns)


def _years(ordinals: I64) -> I64:
    if not ordinals.size:
        return ordinals
    days = ordinals - dt.date(1970, 1, 1).toordinal()
    out: I64 = days.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
    return out


def _used_for(value: str, rs: Ruleset, code_of: Mapping[str, int]) -> tuple[int, int]:
    """(item code, year or -1) of a valid ``used_for``; (-1, -1) when the reference refuses it."""
    ident, sep, year = value.partition(":")
    if ident not in rs.items:
        return -1, -1
    if not sep:
        return code_of[ident], -1
    if year.isdigit() and len(year) <= 4 and MIN_YEAR <= int(year) <= MAX_YEAR:
        return code_of[ident], int(year)
    return -1, -1


@dataclass
class Decoded:
    """The lines of a block: for each non-blank line (``lines``: its number), the accepted struct or
    None, the reference parser's problems for the refused ones (by position), and the columns of the
    accepted cases, in order (``chunk``)."""

    lines: list[int]
    cases: list[FCase | None]
    errors: dict[int, list[str]]
    chunk: Chunk | None


def decode_lines(
    block: bytes, first_line: int, source: str, tables: RulesetTables, options: Mapping[str, Any]
) -> Decoded:
    """Decode every non-blank line of ``block``, its lines numbered from ``first_line``."""
    raw = block.split(b"\n")
    if raw and not raw[-1]:  # the block ends with a newline: no line after it
        raw.pop()
    if all(map(bytes.strip, raw)):  # the common case: no blank line
        lines = raw
        numbers = list(range(first_line, first_line + len(raw)))
    else:
        keep = [i for i, ln in enumerate(raw) if ln.strip()]
        lines = [raw[i] for i in keep]
        numbers = [first_line + i for i in keep]
    keys = raw_colon_counts(lines, block)
    try:
        structs: list[FCase | None] = list(map(DECODER.decode, lines))
        good = list(range(len(lines)))
    except (msgspec.DecodeError, msgspec.ValidationError):
        structs = []
        for ln in lines:
            try:
                structs.append(DECODER.decode(ln))
            except (msgspec.DecodeError, msgspec.ValidationError):
                structs.append(None)
        good = [k for k, fc in enumerate(structs) if fc is not None]
    chunk = None
    if good:
        accepted = structs if len(good) == len(structs) else [structs[k] for k in good]
        chunk = check_and_columns(cast(list[FCase], accepted), keys[np.asarray(good)], tables, options)
        for j in np.flatnonzero(chunk.bad).tolist():
            structs[good[j]] = None
    out = Decoded(numbers, structs, {}, chunk)
    if chunk is not None and len(good) == len(structs) and not chunk.bad.any():
        return out
    # every line the fast path did not accept: the reference parser decides (and says why)
    for k, fc in enumerate(structs):
        if fc is not None:
            continue
        where = f"{source}:{numbers[k]}"
        try:
            case = parse_case_json(lines[k], source=where, options=options)
        except CaseError as exc:
            out.errors[k] = exc.lines()
            continue
        try:
            structs[k] = from_case(case)
        except (msgspec.ValidationError, TypeError, ValueError):  # the two shapes disagree: never guess
            out.errors[k] = [
                f"{where}: (gốc): không xét được hồ sơ này theo lô (lỗi nội bộ); dùng lệnh check"
            ]
    kept = [fc for fc in structs if fc is not None]
    out.chunk = None
    if kept:
        n_keys = np.full(len(kept), -2, dtype=np.int64)  # already vouched for: no key check
        out.chunk = check_and_columns(kept, n_keys, tables, options)
        out.chunk.bad[:] = False
    return out
