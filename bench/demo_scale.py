"""Time `thidua demo` on a fresh database: `python bench/demo_scale.py 100000 1000000`.

Each size runs `thidua migrate` and `thidua demo --people N` in a new SQLite file (or in the empty
database given by --database-url) and prints people, rows, seconds and rows per second as the
command reports them, plus the wall-clock time including start-up.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _thidua() -> str:
    return str(Path(sys.executable).with_name("thidua"))


def measure(people: int, database_url: str | None, chunk: int) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        url = database_url or f"sqlite:///{tmp}/bench.sqlite3"
        env = {**os.environ, "THIDUA_DATABASE_URL": url}
        subprocess.run([_thidua(), "migrate", "-v0"], env=env, check=True)
        started = time.perf_counter()
        done = subprocess.run(
            [_thidua(), "demo", "--people", str(people), "--chunk", str(chunk), "-v0"],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        wall = time.perf_counter() - started
        summary = next((line for line in done.stdout.splitlines() if line.startswith("Đã nạp")), "")
        size = Path(tmp, "bench.sqlite3").stat().st_size if database_url is None else 0
        rows = re.search(r"([\d.]+) dòng trong", summary)
        return (
            f"{people:>9,} nhân sự | {rows.group(1) if rows else '?':>12} dòng | {wall:7.1f} s (cả khởi động) | "
            f"{size / 2**20:7.0f} MiB | {summary}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("sizes", nargs="*", type=int, default=[10_000, 100_000])
    parser.add_argument("--database-url", help="an EMPTY database to use instead of a new SQLite file")
    parser.add_argument("--chunk", type=int, default=10_000)
    args = parser.parse_args(argv)
    for people in args.sizes:
        print(measure(people, args.database_url, args.chunk), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
