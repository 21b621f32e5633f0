"""Whole-organisation eligibility from the database: demo data of N people in a temporary SQLite file,
then `evaluate_organisation` over the root unit (set-based reads + the columnar engine).

    .venv/bin/python bench/eligibility_db.py [--people 100000]

Prints the load time (not part of the figure), the read time, the engine time and people/s.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--year", type=int, default=2025)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["THIDUA_DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thidua.settings")
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        import django

        django.setup()
        from django.core.management import call_command

        from thidua.demo.loader import load_demo
        from thidua.eligibility import batch
        from thidua.eligibility.services import default_as_of, ruleset_on
        from thidua.org.models import Unit
        from thidua.rules.columnar import evaluate_columns

        call_command("migrate", verbosity=0)
        t0 = time.perf_counter()
        load_demo(people=args.people)
        print(f"demo loaded: {args.people:,} people in {time.perf_counter() - t0:.1f} s (not measured below)")
        root = Unit.objects.get(code="BHXH-VN")
        day = default_as_of(args.year)
        ruleset = ruleset_on(day)
        best_read = best_eval = float("inf")
        for _ in range(3):
            t1 = time.perf_counter()
            ids, cols = batch.organisation_columns(root, year=args.year, as_of=day, codes=list(ruleset.items))
            t2 = time.perf_counter()
            verdicts = evaluate_columns(cols, ruleset=ruleset)
            t3 = time.perf_counter()
            best_read, best_eval = min(best_read, t2 - t1), min(best_eval, t3 - t2)
        n = len(ids)
        total = best_read + best_eval
        print(f"people evaluated: {n:,}; items: {len(verdicts.items)}")
        print(f"read from the database (best of 3): {best_read:.2f} s")
        print(f"columnar engine (best of 3):        {best_eval:.2f} s")
        print(f"total: {total:.2f} s = {n / total:,.0f} people/s ({n / best_eval:,.0f} people/s engine only)")


if __name__ == "__main__":
    main()
