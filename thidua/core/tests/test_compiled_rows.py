from __future__ import annotations

from django.db.models import Count

from thidua.core.db import compiled_rows
from thidua.org.models import Person


def test_it_reads_fresh_rows_with_the_sql_compiled_once(org):
    def build():
        calls.append(1)
        return (
            Person.objects.filter(full_name__startswith="")
            .order_by()
            .values("gender")
            .annotate(n=Count("pk"))
        )

    calls: list[int] = []
    first = compiled_rows(("test.genders", org.root.pk), build)
    assert sorted(first) == sorted((r["gender"], r["n"]) for r in build())
    Person.objects.filter(pk=org.an.pk).delete()
    assert (
        sum(n for _, n in compiled_rows(("test.genders", org.root.pk), build)) == sum(n for _, n in first) - 1
    )
    assert len(calls) == 2  # once compiled, once for the comparison


def test_a_queryset_that_matches_nothing_gives_no_rows(org):
    assert compiled_rows(("test.none",), lambda: Person.objects.filter(pk__in=[]).values("pk")) == []
