"""Whole-table figures computed once for every worker, recomputed when their tables change (core/db.py)."""

import pytest
from django.core.cache import cache
from django.db import connection

from thidua.core.db import cached_rows
from thidua.core.models import SharedFigure
from thidua.org.models import Person

pytestmark = pytest.mark.django_db


def test_a_figure_is_reused_until_its_table_changes(org):
    calls = []

    def compute():
        calls.append(1)
        return [["people", Person.objects.count()]]

    assert cached_rows("test.people", [Person], compute) == [["people", 3]]
    cache.clear()  # another worker: nothing in its memory
    assert cached_rows("test.people", [Person], compute) == [["people", 3]]
    Person.objects.filter(pk=org.an.pk).update(current_title="Chuyên viên chính")
    assert cached_rows("test.people", [Person], compute) == [["people", 3]]
    if connection.vendor == "postgresql":
        # stored for the other workers; computed again only after the table changed
        assert len(calls) == 2 and SharedFigure.objects.filter(name="test.people").exists()
    else:  # SQLite: small databases, counted on every call
        assert len(calls) == 3
