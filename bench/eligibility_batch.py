"""Benchmark of the eligibility engine: prints figures, asserts nothing.

    .venv/bin/python bench/eligibility_batch.py [--people N] [--years 10] [--jsonl N]

- batch: N synthetic individuals with ``--years`` of history (ratings, titles, awards, initiatives,
  discipline, pending proceedings, leave), every individual title and form of the ruleset in force,
  set-based (thidua.rules.columnar); people per second;
- floor: one polars group-by pass over the same rating and title records (what any columnar
  engine must at least pay to read them), and the ratio batch / floor;
- single case: median latency of ``evaluate()`` on a 10-year history, with and without forecast;
- JSON Lines: the batch's path in this process (fast typed decoding + set-based summary) on
  ``--jsonl`` copies of one case; ``bench/eligibility_jsonl.py`` measures the command itself on varied
  cases, with its floor and memory.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from thidua.rules import evaluate, load_ruleset, parse_case
from thidua.rules.batch import run_batch
from thidua.rules.columnar import NO_DATE, Columns, evaluate_columns

YEAR = 2025
AS_OF = date(YEAR, 12, 15)


def synthetic(n: int, years: int, codes: list[str], seed: int = 1) -> Columns:
    rng = np.random.default_rng(seed)
    code = {c: i for i, c in enumerate(codes)}
    subj = np.repeat(np.arange(n, dtype=np.int32), years)
    yr = np.tile(np.arange(YEAR - years + 1, YEAR + 1, dtype=np.int32), n)
    good = rng.random(n)[subj]
    r = rng.random(subj.shape[0])
    value = np.where(r < good * 0.4, 3, np.where(r < 0.85, 2, np.where(r < 0.97, 1, 0))).astype(np.int32)
    keep = rng.random(subj.shape[0]) > 0.03  # a few years without rating
    rs_, ry, rv = subj[keep], yr[keep], value[keep]
    past = (ry < YEAR) & (rv >= 2)
    u = rng.random(rs_.shape[0])
    t_ldtt = past & (u < 0.85)
    t_cs = past & (rng.random(rs_.shape[0]) < np.where(rv == 3, 0.8, 0.2))
    t_bt = t_cs & (rng.random(rs_.shape[0]) < 0.15)
    title_subject = np.concatenate([rs_[t_ldtt], rs_[t_cs], rs_[t_bt]])
    title_year = np.concatenate([ry[t_ldtt], ry[t_cs], ry[t_bt]])
    title_code = np.concatenate(
        [
            np.full(int(t_ldtt.sum()), code["lao_dong_tien_tien"]),
            np.full(int(t_cs.sum()), code["chien_si_thi_dua_co_so"]),
            np.full(int(t_bt.sum()), code["chien_si_thi_dua_bo_tinh"]),
        ]
    ).astype(np.int32)
    n_aw = n // 6
    award_subject = rng.integers(0, n, n_aw, dtype=np.int32)
    award_year = rng.integers(YEAR - years, YEAR + 1, n_aw, dtype=np.int32)
    award_code = rng.choice(
        [code["bang_khen_bo_tinh"], code["bang_khen_thu_tuong"]], n_aw, p=[0.8, 0.2]
    ).astype(np.int32)
    n_in = n // 2
    inno_used = rng.random(n_in) < 0.3
    inno = {
        "inno_subject": rng.integers(0, n, n_in, dtype=np.int32),
        "inno_pool": (rng.random(n_in) < 0.2).astype(np.int32),
        "inno_year": rng.integers(YEAR - years + 1, YEAR + 1, n_in, dtype=np.int32),
        "inno_scope": rng.choice([0, 1, 2], n_in, p=[0.7, 0.25, 0.05]).astype(np.int32),
        "inno_used_code": np.where(inno_used, code["chien_si_thi_dua_co_so"], -1).astype(np.int32),
        "inno_used_year": np.where(inno_used, YEAR - 1, -1).astype(np.int32),
    }
    n_d = n // 100
    d_until = AS_OF.toordinal() - rng.integers(-200, 3000, n_d)
    n_p = n // 100
    p_since = AS_OF.toordinal() - rng.integers(1, 300, n_p)
    n_l = n // 20
    l_from = AS_OF.toordinal() - rng.integers(10, 2000, n_l)
    return Columns(
        codes=codes,
        year=np.full(n, YEAR, dtype=np.int32),
        as_of=np.full(n, AS_OF.toordinal(), dtype=np.int32),
        recruited_on=(AS_OF.toordinal() - rng.integers(30, 12000, n)).astype(np.int32),
        rating_subject=rs_,
        rating_year=ry,
        rating_value=rv,
        title_subject=title_subject,
        title_year=title_year,
        title_code=title_code,
        award_subject=award_subject,
        award_year=award_year,
        award_code=award_code,
        disc_subject=rng.integers(0, n, n_d, dtype=np.int32),
        disc_until=np.where(rng.random(n_d) < 0.1, NO_DATE, d_until).astype(np.int32),
        disc_date=(d_until - rng.integers(180, 400, n_d)).astype(np.int32),
        disc_form=rng.integers(0, 3, n_d, dtype=np.int32),
        pend_subject=rng.integers(0, n, n_p, dtype=np.int32),
        pend_since=p_since.astype(np.int32),
        pend_until=np.where(rng.random(n_p) < 0.7, NO_DATE, AS_OF.toordinal() - 1).astype(np.int32),
        leave_subject=rng.integers(0, n, n_l, dtype=np.int32),
        leave_from=l_from.astype(np.int32),
        leave_to=(l_from + rng.integers(5, 200, n_l)).astype(np.int32),
        leave_reason=rng.integers(0, 4, n_l, dtype=np.int32),
        **inno,
    )


def with_units(cols: Columns, size: int, seed: int = 2) -> Columns:
    """Group the people into units of ``size`` members: one collective row per unit (its own ratings
    and titles for 6 years, cluster ranks), every person a member of one unit."""
    rng = np.random.default_rng(seed)
    n = cols.n
    u = max(1, n // size)
    units = np.arange(n, n + u, dtype=np.int32)
    years = 6
    subj = np.repeat(units, years)
    yr = np.tile(np.arange(YEAR - years + 1, YEAR + 1, dtype=np.int32), u)
    val = rng.choice([1, 2, 3], subj.shape[0], p=[0.05, 0.55, 0.4]).astype(np.int32)
    past = (yr < YEAR) & (val == 3) & (rng.random(subj.shape[0]) < 0.6)
    code = {c: i for i, c in enumerate(cols.codes)}
    n_cl = u // 3
    cl_subject = rng.choice(units, n_cl, replace=False)
    return Columns(
        codes=cols.codes,
        year=np.concatenate([cols.year, np.full(u, YEAR, dtype=np.int32)]),
        as_of=np.concatenate([cols.as_of, np.full(u, AS_OF.toordinal(), dtype=np.int32)]),
        recruited_on=np.concatenate([cols.recruited_on, np.full(u, -1, dtype=np.int32)]),
        rating_subject=np.concatenate([cols.rating_subject, subj]),
        rating_year=np.concatenate([cols.rating_year, yr]),
        rating_value=np.concatenate([cols.rating_value, val]),
        title_subject=np.concatenate([cols.title_subject, subj[past]]),
        title_year=np.concatenate([cols.title_year, yr[past]]),
        title_code=np.concatenate(
            [cols.title_code, np.full(int(past.sum()), code["tap_the_lao_dong_xuat_sac"], dtype=np.int32)]
        ),
        award_subject=cols.award_subject,
        award_year=cols.award_year,
        award_code=cols.award_code,
        inno_subject=cols.inno_subject,
        inno_pool=cols.inno_pool,
        inno_year=cols.inno_year,
        inno_scope=cols.inno_scope,
        inno_used_code=cols.inno_used_code,
        inno_used_year=cols.inno_used_year,
        disc_subject=cols.disc_subject,
        disc_until=cols.disc_until,
        disc_date=cols.disc_date,
        disc_form=cols.disc_form,
        pend_subject=cols.pend_subject,
        pend_since=cols.pend_since,
        pend_until=cols.pend_until,
        leave_subject=cols.leave_subject,
        leave_from=cols.leave_from,
        leave_to=cols.leave_to,
        leave_reason=cols.leave_reason,
        cluster_subject=cl_subject,
        cluster_year=np.full(n_cl, YEAR, dtype=np.int32),
        cluster_rank=rng.integers(1, 5, n_cl, dtype=np.int32),
        cluster_organiser=rng.integers(0, 2, n_cl, dtype=np.int32),
        kind=np.concatenate([np.zeros(n, dtype=np.int32), np.ones(u, dtype=np.int32)]),
        member_of=np.concatenate(
            [n + np.arange(n, dtype=np.int32) // size, np.full(u, -1, dtype=np.int32)]
        ).astype(np.int32),
    )


def typical_case() -> dict[str, object]:
    records: list[dict[str, object]] = []
    for y in range(YEAR - 9, YEAR + 1):
        records.append(
            {"type": "rating", "year": y, "value": "hoan_thanh_xuat_sac" if y % 2 else "hoan_thanh_tot"}
        )
        if y < YEAR:
            records.append({"type": "title", "year": y, "id": "lao_dong_tien_tien"})
            if y % 2:
                records.append({"type": "title", "year": y, "id": "chien_si_thi_dua_co_so"})
    records.append({"type": "award", "id": "bang_khen_bo_tinh", "date": "2019-05-20"})
    records.append({"type": "initiative", "id": "SK-1", "year": YEAR, "scope": "co_so", "used_for": None})
    records.append(
        {"type": "initiative", "id": "SK-2", "year": YEAR - 1, "scope": "bo_nganh_tinh", "used_for": None}
    )
    subject = {
        "kind": "individual",
        "id": "001085000001",
        "name": "Nguyễn Văn A",
        "recruited_on": "2012-03-01",
    }
    return {"year": YEAR, "as_of": AS_OF.isoformat(), "subject": {**subject, "records": records}}


def floor_seconds(cols: Columns) -> float:
    import polars as pl

    ratings = pl.DataFrame({"s": cols.rating_subject, "y": cols.rating_year, "v": cols.rating_value})
    titles = pl.DataFrame({"s": cols.title_subject, "y": cols.title_year, "c": cols.title_code})
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        ratings.group_by("s").agg(
            pl.col("v").min().alias("vmin"), pl.col("v").max().alias("vmax"), pl.col("y").max(), pl.len()
        )
        titles.group_by("s").agg(pl.col("c").max(), pl.col("y").max(), pl.len())
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--people", type=int, default=200_000)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--jsonl", type=int, default=5_000)
    ap.add_argument("--single-runs", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=3, help="batch runs; the best is reported")
    ap.add_argument(
        "--unit-size", type=int, default=20, help="people per unit for the whole-organisation run (0: skip)"
    )
    args = ap.parse_args()

    rs = load_ruleset(on=AS_OF)
    t0 = time.perf_counter()
    cols = synthetic(args.people, args.years, list(rs.items))
    gen = time.perf_counter() - t0
    n_records = sum(
        len(getattr(cols, f)) for f in ("rating_subject", "title_subject", "award_subject", "inno_subject")
    )
    print(
        f"ruleset {rs.id}; {args.people:,} people x {args.years} years; {n_records:,} records (generated in {gen:.1f} s)"
    )

    walls, cpus = [], []
    for _ in range(args.repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        bv = evaluate_columns(cols, ruleset=rs)
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    batch, cpu = min(walls), min(cpus)
    print(
        f"batch (set-based, {len(bv.items)} individual titles and forms, best of {args.repeat}): "
        f"{batch:.2f} s = {args.people / batch:,.0f} people/s (CPU time {cpu:.2f} s = {args.people / cpu:,.0f} people/s)"
    )
    for item, c in bv.counts().items():
        print(f"    {item:32s} {c}")
    floor = floor_seconds(cols)
    print(
        f"floor (polars group-by over ratings + titles, best of 3): {floor:.3f} s; ratio batch/floor = {batch / floor:.1f}x"
    )

    if args.unit_size:
        org = with_units(cols, args.unit_size)
        units = org.n - cols.n
        t0, c0 = time.perf_counter(), time.process_time()
        ov = evaluate_columns(org, ruleset=rs)
        wall, cpu_org = time.perf_counter() - t0, time.process_time() - c0
        print(
            f"whole organisation ({cols.n:,} people in {units:,} units of {args.unit_size}; "
            f"{len(ov.items)} individual and collective titles and forms): {wall:.2f} s wall, {cpu_org:.2f} s CPU"
        )
        for item, c in ov.counts().items():
            if "collective" in rs.items[item].subjects:
                print(f"    {item:32s} {c}")
    print(
        f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (other jobs inflate wall times)"
    )

    case = parse_case(typical_case())
    times = []
    for _ in range(args.single_runs):
        t0 = time.perf_counter()
        evaluate(case)
        times.append(time.perf_counter() - t0)
    nf = []
    for _ in range(args.single_runs):
        t0 = time.perf_counter()
        evaluate(case, with_forecast=False)
        nf.append(time.perf_counter() - t0)
    raw = json.dumps(typical_case())
    pe = []
    for _ in range(args.single_runs):
        t0 = time.perf_counter()
        evaluate(parse_case(json.loads(raw)))
        pe.append(time.perf_counter() - t0)
    ms = 1000.0
    print(
        f"single case, 10-year history, {len(evaluate(case).results)} items: median {statistics.median(times) * ms:.2f} ms "
        f"(p95 {sorted(times)[int(0.95 * len(times))] * ms:.2f} ms); without forecast {statistics.median(nf) * ms:.2f} ms; "
        f"parse + evaluate {statistics.median(pe) * ms:.2f} ms"
    )

    if args.jsonl:
        line = json.dumps(typical_case(), ensure_ascii=False)
        text = "\n".join(line.replace("001085000001", f"{i:012d}") for i in range(args.jsonl))
        src, dst, err = io.BytesIO(text.encode()), io.BytesIO(), io.StringIO()
        t0 = time.perf_counter()
        run_batch(src, dst, err, source="bench.jsonl", summary=True, workers=1)
        jl = time.perf_counter() - t0
        print(
            f"JSON Lines --summary ({args.jsonl:,} lines: parse + set-based): {jl:.2f} s = {args.jsonl / jl:,.0f} lines/s"
        )


if __name__ == "__main__":
    main()
