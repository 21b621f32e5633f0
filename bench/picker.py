"""Time the people and unit picker's searches: `python bench/picker.py --people 1000000`.

Loads the demo with N people into a new SQLite file (or uses the database given by --database-url,
loading the demo there if it is empty; a loaded demo is reused), then times the searches the picker
sends while an officer types, for the head-office officer (the whole organisation) and a province's
officer, and prints the median and the slowest of each (milliseconds, 20 rows at most per search).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

QUERIES = ["n", "ng", "nguyen", "nguyen van", "nguyen van a", "an", "thi hoa", "tung", "xyz", "le thi thu ha"]
UNIT_QUERIES = ["bhxh", "tuyen quang", "phong thu", "ha noi"]


def _thidua() -> str:
    return str(Path(sys.executable).with_name("thidua"))


def _prepare(url: str, people: int) -> None:
    env = {**os.environ, "THIDUA_DATABASE_URL": url}
    subprocess.run([_thidua(), "migrate", "-v0"], env=env, check=True)
    started = time.perf_counter()
    subprocess.run(
        [_thidua(), "demo", "--once", "--people", str(people), "-v0"],
        env=env,
        check=True,
        capture_output=True,
    )
    print(f"demo ready in {time.perf_counter() - started:.0f} s", flush=True)


def _time(call: object, repeat: int) -> tuple[float, float, int]:
    times = []
    rows = 0
    for _ in range(repeat):
        started = time.perf_counter()
        found, _more = call()  # type: ignore[operator]
        times.append((time.perf_counter() - started) * 1000)
        rows = len(found)
    return statistics.median(times), max(times), rows


def run(url: str, repeat: int) -> None:
    os.environ["THIDUA_DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thidua.settings")
    import django

    django.setup()
    from thidua.accounts.models import User
    from thidua.org import pickers
    from thidua.org.models import Person

    total = Person.objects.count()
    print(f"{total:,} people, {connection_vendor()}", flush=True)
    for username in ("canbo.bhxhvn", "canbo.hanoi"):
        user = User.objects.get(username=username)
        people_pool = pickers.people_pool(user)
        unit_pool = pickers.unit_pool(user)
        print(f"\n{username}: median / slowest ms (rows)")
        for q in QUERIES:
            med, worst, rows = _time(lambda q=q, pool=people_pool: pickers.search_people(pool, q), repeat)
            label = pickers.person_items  # the labels of 20 rows: one more query
            started = time.perf_counter()
            found, _ = pickers.search_people(people_pool, q)
            label(found)
            with_labels = (time.perf_counter() - started) * 1000
            print(
                f"  person {q!r:<18} {med:7.1f} / {worst:7.1f} ms ({rows:>2}); with labels {with_labels:6.1f} ms"
            )
        for q in UNIT_QUERIES:
            med, worst, rows = _time(lambda q=q, pool=unit_pool: pickers.search_units(pool, q), repeat)
            print(f"  unit   {q!r:<18} {med:7.1f} / {worst:7.1f} ms ({rows:>2})")


def connection_vendor() -> str:
    from django.db import connection

    return str(connection.vendor)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--database-url", help="a database to use (the demo is loaded there if empty)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    if args.database_url:
        _prepare(args.database_url, args.people)
        run(args.database_url, args.repeat)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.sqlite3"
        _prepare(url, args.people)
        run(url, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
