from __future__ import annotations

import pytest
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


def test_on_postgresql_the_query_is_prepared_once_with_its_values_quoted(org):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's; the rows are checked on both databases above")
    quote = "O'Brien %s"  # a quote and a percent sign in a value: quoted by psycopg, not interpolated
    build = lambda: Person.objects.filter(full_name=quote).values("pk")  # noqa: E731
    assert compiled_rows(("test.prepared", quote), build) == []
    assert compiled_rows(("test.prepared", quote), build) == []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", ["%O''Brien %%s%"]
        )
        assert cursor.fetchone()[0] == 1
        # Django's own queries are not prepared (psycopg's automatic preparing stays off)
        for _ in range(10):
            list(Person.objects.filter(pk=org.an.pk).values("pk"))
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        assert cursor.fetchone()[0] == 1


def test_its_queries_are_counted_and_logged_like_the_orms(org, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    build = lambda: Person.objects.filter(full_name="Nobody").values("pk")  # noqa: E731
    with django_assert_num_queries(2):
        assert compiled_rows(("test.counted",), build) == []
        assert compiled_rows(("test.counted",), build) == []
    with CaptureQueriesContext(connection) as captured:
        compiled_rows(("test.counted",), build)
    [query] = captured.captured_queries
    assert "Nobody" in query["sql"] and Person._meta.db_table in query["sql"]


def test_compile_sql_gives_the_sql_of_the_read_database_or_none_for_nothing(org):
    from thidua.core.db import compile_sql

    assert compile_sql(Person.objects.filter(pk__in=[])) is None
    compiled = compile_sql(Person.objects.filter(full_name="An").values("pk"))
    assert compiled is not None
    sql, params = compiled
    assert Person._meta.db_table in sql and params == ("An",)
