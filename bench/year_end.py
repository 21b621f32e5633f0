"""Year-end bench: propose candidates (engine per case) for a unit of a few hundred people.

Run: .venv/bin/python bench/year_end.py [people]  (uses a throwaway SQLite database)
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import date


def main(count: int = 300) -> None:
    folder = tempfile.mkdtemp()
    os.environ["THIDUA_DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thidua.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)
    from thidua.awards.models import Candidate
    from thidua.awards.services import propose_candidates
    from thidua.history.models import Initiative, Rating
    from thidua.org.models import Person, Position, Unit

    root = Unit.objects.create(code="ROOT", name="Bảo hiểm xã hội Việt Nam")
    Unit.objects.filter(pk=root.pk).update(path=f"/{root.pk}/")
    root.refresh_from_db()
    unit = Unit.objects.create(code="P", name="BHXH tỉnh thử nghiệm", parent=root, depth=1)
    Unit.objects.filter(pk=unit.pk).update(path=f"{root.path}{unit.pk}/")
    unit.refresh_from_db()
    values = ["hoan_thanh_xuat_sac", "hoan_thanh_tot", "hoan_thanh_tot", "hoan_thanh_tot", "hoan_thanh"]
    for i in range(count):
        p = Person.objects.create(
            citizen_id=f"{i:012d}", full_name=f"Nguyễn Văn Thử {i}", gender="nam", current_unit=unit
        )
        Position.objects.create(person=p, unit=unit, started_on=date(2015, 1, 1))
        for y in (2023, 2024, 2025):
            Rating.objects.create(person=p, year=y, value=values[(i + y) % 5])
        if i % 7 == 0:
            Initiative.objects.create(person=p, code=f"SK-{i}", title="Sáng kiến", year=2025, scope="co_so")
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        summary = propose_candidates(actor=None, unit=unit, year=2025)
        elapsed = time.perf_counter() - start
    print(
        f"propose_candidates: {count} people, {elapsed:.2f} s, {len(queries)} queries, "
        f"{Candidate.objects.count()} candidates ({summary.proposed} proposed, {summary.deferred} deferred)"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
