"""Whole-table figures computed once for every worker, recomputed when their tables change (core/db.py)."""

import pytest
from django.db import connection

from thidua.core.db import cached_rows, forget_figures, tables_version
from thidua.core.models import SharedFigure
from thidua.org.models import Person


def _publish_statistics() -> None:
    """Ask PostgreSQL to publish this session's write counters now, at the end of this statement (it
    otherwise waits up to about ten seconds when it published less than a second ago)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_stat_force_next_flush()")


@pytest.mark.django_db(transaction=True)
def test_a_figure_is_reused_until_its_table_changes(org):
    calls = []

    def compute():
        calls.append(1)
        return [["people", Person.objects.count()]]

    _publish_statistics()
    assert cached_rows("test.people", [Person], compute) == [["people", 3]]
    forget_figures()  # another worker: nothing in its memory
    assert cached_rows("test.people", [Person], compute) == [["people", 3]]
    Person.objects.filter(pk=org.an.pk).update(current_title="Chuyên viên chính")
    Person.objects.filter(pk=org.binh.pk).delete()
    _publish_statistics()
    assert cached_rows("test.people", [Person], compute) == [["people", 2]]
    if connection.vendor == "postgresql":
        # stored for the other workers; computed again only after the table changed
        assert len(calls) == 2 and SharedFigure.objects.filter(name="test.people").exists()
    else:  # SQLite: small databases, counted on every call
        assert len(calls) == 3


@pytest.mark.django_db
def test_a_transaction_that_wrote_computes_its_own_figures(org):
    # (pytest's transaction has written the fixture's rows)
    assert tables_version([Person]) is None
    assert cached_rows("test.own", [Person], lambda: [[Person.objects.count()]]) == [[3]]
    assert not SharedFigure.objects.filter(name="test.own").exists()
