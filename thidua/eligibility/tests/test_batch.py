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
