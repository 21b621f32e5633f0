"""Benchmark of ``thidua eligibility batch CASES.jsonl --summary``: prints figures, asserts nothing.

    .venv/bin/python bench/eligibility_jsonl.py [--people 200000] [--workers 0] [--full 20000]

- writes ``--people`` case lines (JSON Lines, streamed to a temporary file): individuals with 0-10
  years of varied history (ratings, titles, awards, initiatives used or not, discipline, pending,
  leave), drawn from a pool of generated histories with a unique id per line, and 1 line in 100 a unit
  with up to 12 member histories; "people" counts individuals and members;
- floor, measured in the same run right before each command: one process reads the file, parses
  each line with orjson and touches every record once (what any reader of this file must at least pay);
- the command as a user runs it (a subprocess, default workers, then ``--workers 1``): wall time,
  CPU time of all its processes, people per second, ratio to the floor (wall and CPU: on a shared
  machine the CPU ratio is the stable one), peak memory of the process tree (sampled from /proc);
- verdicts: a sample of lines evaluated one by one (the ``check`` command's engine) must give the
  same verdicts as the batch output;
- full results (no ``--summary``) on ``--full`` lines: lines per second and peak memory (streamed).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import orjson

from thidua.rules import evaluate, parse_case
from thidua.rules.tests.gen import random_collective, random_individual

AS_OF = date(2025, 12, 15)
POOL = 4_000


def write_cases(path: Path, n: int, seed: int = 7) -> int:
    """``n`` lines; returns the number of people (individuals and members)."""
    rng = random.Random(seed)
    pool: list[tuple[str, int]] = []
    for i in range(POOL):
        if i % 100 == 99:
            data = random_collective(rng, i, AS_OF.year, AS_OF)
            people = len(data["subject"]["members"])
        else:
            data = random_individual(rng, i, AS_OF.year, AS_OF)
            people = 1
        data["subject"]["id"] = "__ID__"
        pool.append((json.dumps(data, ensure_ascii=False), people))
    total = 0
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            text, people = pool[i % POOL]
            fh.write(text.replace("__ID__", f"S{i:09d}", 1) + "\n")
            total += people
    return total


def floor_seconds(path: Path) -> tuple[float, float]:
    """(wall, CPU) seconds of: orjson parse of every line plus one pass over every record."""
    t0, c0 = time.perf_counter(), time.process_time()
    touched = 0
    with open(path, "rb") as fh:
        for line in fh:
            case = orjson.loads(line)
            subject = case["subject"]
            for r in subject["records"]:
                touched += len(r)
            for m in subject.get("members") or ():
                for r in m["records"]:
                    touched += len(r)
    return time.perf_counter() - t0, time.process_time() - c0


class PeakRss:
    """Peak resident memory of a process and its descendants, sampled from /proc."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _tree(self, pid: int) -> list[int]:
        out = [pid]
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as fh:
                    for child in fh.read().split():
                        out += self._tree(int(child))
        except OSError:
            pass
        return out

    def _rss(self, pid: int) -> int:
        try:
            with open(f"/proc/{pid}/status", encoding="ascii") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1]) * 1024
        except OSError:
            pass
        return 0

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, sum(self._rss(p) for p in self._tree(self.pid)))
            time.sleep(0.02)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def run_command(args: list[str]) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds of the process and its workers, peak RSS bytes) of
    ``thidua eligibility ARGS``."""
    cmd = [sys.executable, "-m", "thidua", "eligibility", *args]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, cwd=Path(__file__).resolve().parent.parent)
    rss = PeakRss(proc.pid)
    _, err = proc.communicate()
    wall = time.perf_counter() - t0
    peak = rss.stop()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode:
        print(f"    exit {proc.returncode}: {err.decode()[:300]}")
    return wall, cpu, peak


def same_verdicts(cases: Path, out: Path, sample: int) -> tuple[int, int]:
    """Lines whose batch verdicts equal the one-case engine's, out of a sample."""
    with open(cases, encoding="utf-8") as a, open(out, encoding="utf-8") as b:
        pairs = list(zip(a, b, strict=True))
    picked = random.Random(1).sample(pairs, min(sample, len(pairs)))
    same = 0
    for line, row in picked:
        want = {r.id: r.verdict for r in evaluate(parse_case(json.loads(line)), with_forecast=False).results}
        got: dict[str, Any] = json.loads(row)
        same += got == {"id": json.loads(line)["subject"]["id"], "verdicts": want}
    return same, len(picked)


def mb(n: int) -> str:
    return f"{n / 2**20:,.0f} MB"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--people", type=int, default=200_000, help="case lines to write")
    ap.add_argument("--workers", type=int, default=0, help="--workers of the command (0: one per CPU)")
    ap.add_argument("--full", type=int, default=20_000, help="lines for the full-result run (0: skip)")
    ap.add_argument("--sample", type=int, default=300, help="lines checked against the one-case engine")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="thidua-bench-") as tmp:
        cases = Path(tmp) / "cases.jsonl"
        out = Path(tmp) / "out.jsonl"
        t0 = time.perf_counter()
        people = write_cases(cases, args.people)
        size = cases.stat().st_size
        print(
            f"{args.people:,} lines, {people:,} people, {mb(size)} of JSON Lines "
            f"({size / args.people:,.0f} bytes a line; written in {time.perf_counter() - t0:.1f} s)"
        )
        for workers in dict.fromkeys([args.workers, 1]):
            # the floor right before the command, so that both see the same machine load
            floor, floor_cpu = min(floor_seconds(cases) for _ in range(2))
            wall, cpu, peak = run_command(
                ["batch", str(cases), "--summary", "-o", str(out), "--workers", str(workers)]
            )
            label = f"--workers {workers}" + (" (one per CPU)" if workers == 0 else "")
            print(
                f"floor (orjson parse + one pass over every record, one process, best of 2): "
                f"{floor:.2f} s wall, {floor_cpu:.2f} s CPU = {people / floor:,.0f} people/s"
            )
            print(
                f"batch --summary {label}: {wall:.2f} s wall = {people / wall:,.0f} people/s "
                f"({args.people / wall:,.0f} lines/s); {cpu:.2f} s CPU in all its processes; "
                f"ratio to the floor {wall / floor:.2f}x wall, {cpu / floor_cpu:.2f}x CPU; peak RSS {mb(peak)}"
            )
        same, checked = same_verdicts(cases, out, args.sample)
        print(f"verdicts equal to the one-case engine on {same}/{checked} sampled lines")
        if args.full:
            small = Path(tmp) / "small.jsonl"
            with open(cases, encoding="utf-8") as src, open(small, "w", encoding="utf-8") as dst:
                for _ in range(min(args.full, args.people)):
                    dst.write(src.readline())
            n = min(args.full, args.people)
            wall, _cpu, peak = run_command(
                ["batch", str(small), "-o", str(out), "--workers", str(args.workers)]
            )
            print(
                f"batch (full results, {n:,} lines, --workers {args.workers}): {wall:.2f} s = {n / wall:,.0f} lines/s; peak RSS {mb(peak)}"
            )
    load = os.getloadavg()
    print(
        f"load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} on {os.cpu_count()} CPUs (other jobs inflate wall times)"
    )


if __name__ == "__main__":
    main()
