"""The public site and the statistics at scale: rebuild times, report times, page times.

    .venv/bin/python bench/public_reports.py [--people 20000] [--extra-years 5]
    .venv/bin/python bench/public_reports.py --database-url postgres://…/db --existing

Without --existing: loads the demo (N people, years 2021–2025) in a temporary SQLite file (or in the
EMPTY database given). --extra-years copies the history that many years back (2021 → 2016…), so a
1,000,000-person demo carries 10 years of awards. Then prints, each measured as wall time:
- `rebuild_counts` and `rebuild_honour_board` (the full recomputations);
- the delta of one decision of 100 awards (what issuing adds to the request);
- each statistics report for the whole organisation over all years, and for one province;
- public pages uncached (the first visitor) and cached (every next one), with the queries they run.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def timed(label: str, action: Callable[[], Any], runs: int = 1) -> Any:
    best = float("inf")
    result = None
    for _ in range(runs):
        started = time.perf_counter()
        result = action()
        best = min(best, time.perf_counter() - started)
    print(f"  {label:<62} {best * 1000:10.1f} ms", flush=True)
    return result


def copy_years_back(years: int) -> int:
    """Copy the person awards `years` years back (bench only): 10 years of history from the demo's 5."""
    from django.db import connection

    from thidua.history.models import AwardRecord

    table = connection.ops.quote_name(AwardRecord._meta.db_table)
    shift = (
        f"decided_on - INTERVAL '{years} years'"
        if connection.vendor == "postgresql"
        else f"date(decided_on, '-{years} years')"
    )
    now = "CURRENT_TIMESTAMP"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (person_id, unit_id, kind, award_id, year, decided_on, decision_number, decided_by, "
            f"prize_vnd, revoked_on, revocation_ground, revocation_clause, revocation_decision, prize_note, created_at, updated_at) "
            f"SELECT person_id, unit_id, kind, award_id, year - {years}, {shift}, decision_number, decided_by, prize_vnd, "
            f"NULL, '', '', '', '', {now}, {now} FROM {table} WHERE year >= 2021"
        )
        return int(cursor.rowcount)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--extra-years", type=int, default=0)
    parser.add_argument("--database-url", help="an EMPTY database (or, with --existing, a loaded one)")
    parser.add_argument("--existing", action="store_true", help="the database already holds the demo")
    parser.add_argument(
        "--skip-rebuild", action="store_true", help="with --existing: counts and board are built"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["THIDUA_DATABASE_URL"] = args.database_url or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thidua.settings")
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        import django

        django.setup()
        from django.core.cache import caches
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client

        from thidua.history.models import AwardRecord
        from thidua.org.models import Person, Unit
        from thidua.portal import honour
        from thidua.portal.models import HonourEntry
        from thidua.reports import stats, tally
        from thidua.reports.models import AwardTally

        if not args.existing:
            call_command("migrate", verbosity=0)
            started = time.perf_counter()
            with open(os.devnull, "w") as quiet:
                call_command("demo", people=args.people, verbosity=0, stdout=quiet)
            print(
                f"demo of {args.people:,} people loaded in {time.perf_counter() - started:.0f} s (not measured)"
            )
            if args.extra_years:
                print(f"copied {copy_years_back(args.extra_years):,} awards {args.extra_years} years back")
        people = Person.objects.count()
        awards = AwardRecord.objects.count()
        years = sorted(set(AwardRecord.objects.values_list("year", flat=True).distinct()))
        print(
            f"database: {connection.vendor}, {people:,} people, {awards:,} awards, years {years[0]}–{years[-1]}"
        )

        if not args.skip_rebuild:
            print("rebuilds")
            rows = timed("rebuild_counts (AwardTally from the whole history)", tally.rebuild)
            board = timed("rebuild_honour_board (issued decisions, shown titles)", honour.rebuild)
            print(
                f"  → {rows:,} tally rows, {board:,} honour-board rows, {HonourEntry.objects.count():,} stored"
            )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # what autovacuum does after a bulk change
                cursor.execute("ANALYZE")

        ids = list(
            AwardRecord.objects.filter(year=years[-1]).order_by("?").values_list("pk", flat=True)[:100]
        )
        print("one decision of 100 awards (the work added to issuing)")
        timed(
            "tally.add_awards(100) then remove_awards(100)",
            lambda: (tally.add_awards(ids), tally.remove_awards(ids)),
        )
        timed("honour.refresh(100 awards)", lambda: honour.refresh(ids))

        root = Unit.objects.get(code="BHXH-VN")
        province = Unit.objects.get(code="BHXH-01")
        print(
            f"reports, whole organisation {years[0]}–{years[-1]} ({AwardTally.objects.count():,} tally rows)"
        )
        whole = stats.Filters(root, years[0], years[-1])

        def report(name: str, filters: stats.Filters) -> Callable[[], Any]:
            return lambda: getattr(stats, name)(filters)

        def recount() -> Any:
            caches["default"].clear()
            return stats.shares_report(whole)

        for name in ("awards_report", "units_report", "shares_report", "prize_report"):
            timed(f"{name} (root)", report(name, whole), runs=3)
        timed("shares_report (root, workforce counted again: cache cleared)", recount)
        part = stats.Filters(province, years[0], years[-1])
        for name in ("awards_report", "units_report"):
            timed(f"{name} (BHXH thành phố Hà Nội)", report(name, part), runs=3)

        print("public pages (anonymous visitor): first visit / every next visit")
        client = Client()
        client.get("/tin-tuc/?warm-up")  # template loading and compilation, once per process
        for url in (
            "/",
            f"/bang-vang/?nam={years[-1]}",
            "/bang-vang/?q=nguyen+van",
            "/tim-kiem/?q=nguyen+thi+hoa",
            "/nguon-tin.xml",
            "/sitemap.xml",
        ):
            caches["public"].clear()
            counted = [0]

            def visit(url: str = url) -> Any:
                return client.get(url)

            def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
                counted[0] += 1  # noqa: B023 (used at once)
                return execute(sql, params, many, context)

            with connection.execute_wrapper(count):
                timed(f"{url} first", visit)
                first = counted[0]
                timed(f"{url} next (cached)", visit, runs=20)
            print(f"    queries: first visit {first}, the next 20 visits {counted[0] - first}")


if __name__ == "__main__":
    main()
