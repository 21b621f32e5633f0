"""The set-based organisation evaluation agrees with the per-person interpreter, verdict for verdict."""

from __future__ import annotations

import pytest

from thidua.eligibility import adapters
from thidua.eligibility.batch import evaluate_organisation
from thidua.eligibility.services import default_as_of, ruleset_on
from thidua.org.models import Person, Unit
from thidua.rules import evaluate


@pytest.mark.parametrize("year", [2024, 2025])
def test_the_batch_agrees_with_the_interpreter_on_the_demo(demo, db, year):
    root = Unit.objects.get(code="BHXH-VN")
    result = evaluate_organisation(root, year=year)
    assert len(result.person_ids) > 250
    ruleset = ruleset_on(default_as_of(year))
    people = Person.objects.in_bulk(list(map(int, result.person_ids)))
    records = adapters.person_records(list(people.values()), up_to_year=year)
    mismatches = []
    for row, pid in enumerate(result.person_ids):
        person = people[int(pid)]
        case = {"year": year, "subject": adapters.subject_for(person, records.get(person.pk, []))}
        expected = {
            r["id"]: r["verdict"]
            for r in evaluate(case, ruleset=ruleset, with_forecast=False).model_dump(mode="json")["results"]
        }
        for item in result.verdicts.items:
            if item in expected and result.verdicts.verdict(row, item) != expected[item]:
                mismatches.append(
                    (person.full_name, item, result.verdicts.verdict(row, item), expected[item])
                )
    assert mismatches == []
    counts = result.counts()
    assert counts["lao_dong_tien_tien"]["eligible"] > 0
    assert counts["chien_si_thi_dua_co_so"]["eligible"] > 0


def test_the_batch_covers_only_the_subtree(demo, db):
    hanoi = Unit.objects.get(code="BHXH-01")
    result = evaluate_organisation(hanoi, year=2025)
    units = set(
        Person.objects.filter(pk__in=list(map(int, result.person_ids))).values_list(
            "current_unit__path", flat=True
        )
    )
    assert units and all(path.startswith(hanoi.path) for path in units)


def test_a_table_read_by_copy_that_matches_nothing_gives_empty_columns(demo, db):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from thidua.eligibility.batch import _copy_columns, sql_ordinal

    if connection.vendor != "postgresql":
        pytest.skip("COPY is PostgreSQL's; elsewhere the rows are read by the ORM")
    with CaptureQueriesContext(connection) as captured:
        ids, recruited = _copy_columns(
            Person.objects.filter(pk__in=[]), ("recruited_on",), [sql_ordinal("recruited_on", -1)], key="id"
        )
    assert (len(ids), len(recruited)) == (0, 0)
    assert captured.captured_queries == []  # nothing sent: Django knows it matches nothing
    someone = Person.objects.exclude(recruited_on=None).first()
    assert someone is not None and someone.recruited_on is not None
    with CaptureQueriesContext(connection) as captured:
        ids, recruited = _copy_columns(
            Person.objects.filter(pk=someone.pk),
            ("recruited_on",),
            [sql_ordinal("recruited_on", -1)],
            key="id",
        )
    assert list(ids) == [someone.pk]
    assert list(recruited) == [someone.recruited_on.toordinal()]
    assert len(captured.captured_queries) == 1 and "COPY" in captured.captured_queries[0]["sql"]
