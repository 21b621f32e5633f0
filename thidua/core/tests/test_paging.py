"""Paging without counting a whole table (thidua/core/paging.py)."""

import pytest
from django.db import connection

from thidua.core import paging
from thidua.core.db import analyze, analyze_after_commit
from thidua.org.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(org):
    Person.objects.bulk_create(
        [
            Person(citizen_id=f"0010850{i:05d}", full_name=f"Người Số {i}", gender="nam", current_unit=org.a)
            for i in range(12)
        ]
    )
    return Person.objects.order_by("citizen_id")


def test_the_last_page_knows_its_total_without_a_count(people, django_assert_num_queries):
    with django_assert_num_queries(1):
        page = paging.paginate(people, "3", 5)
    assert page.total == 15 and not page.has_next() and len(page) == 5 and page.num_pages == 3
    assert (page.start_index(), page.end_index()) == (11, 15)


def test_a_count_stops_at_its_cap(people):
    page = paging.paginate(people, "1", 5, count_cap=10)
    assert page.has_next() and page.total is None and page.at_least == 10
    assert page.total_text == "hơn 10" and page.num_pages is None
    exact = paging.paginate(people, "1", 5, count_cap=100)
    assert exact.total == 15 and exact.total_text == "15"


def test_pages_stop_at_the_last_one_served(people):
    page = paging.paginate(people, "999", 5, max_page=2)
    assert page.number == 2 and page.at_limit and not page.has_next()
    assert paging.page_number("-1") == 1 and paging.page_number("x") == 1 and paging.page_number("") == 1


def test_the_whole_table_is_shown_as_an_estimate_where_the_database_has_one(people):
    analyze([Person])
    page = paging.paginate(people, "1", 5, count_cap=3, whole_table=True)
    if connection.vendor == "postgresql":
        assert page.estimate == 15 and page.total_text == "khoảng 15"
    else:  # SQLite keeps no estimate: the bounded count answers
        assert paging.estimated_rows(Person) is None and page.at_least == 3


def test_statistics_are_refreshed_after_a_large_write_only(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as small:
        analyze_after_commit([Person], 10)
    with django_capture_on_commit_callbacks(execute=True) as large:
        analyze_after_commit([Person], 5000)
    assert small == [] and len(large) == 1


def test_a_page_of_a_known_total_knows_its_neighbours():
    first = paging.paginate_known(["a", "b"], 1, 2, 5)
    assert (first.has_next(), first.has_previous(), first.num_pages, first.total_text) == (
        True,
        False,
        3,
        "5",
    )
    last = paging.paginate_known(["e"], 3, 2, 5)
    assert (last.has_next(), last.start_index(), last.end_index()) == (False, 5, 5)
    beyond = paging.paginate_known([], 4, 2, 5)
    assert not beyond and not beyond.is_empty_list and not beyond.has_next()
    exact = paging.paginate_known(["c", "d"], 2, 2, 4)
    assert not exact.has_next()


def test_the_planners_estimate_of_matches_is_none_without_postgresql_and_zero_for_nothing(people):
    """The people list chooses how to read a large search by it (`org.views.ORDERED_READ_MATCHES`)."""
    estimate = paging.estimated_matches(people.filter(full_name__startswith="Người"))
    nothing = paging.estimated_matches(people.filter(pk__in=[]))  # no query to explain
    if connection.vendor == "postgresql":
        assert isinstance(estimate, int) and estimate >= 1 and nothing == 0
    else:
        assert estimate is None and nothing is None


def test_the_vietnamese_order_is_the_same_read_from_the_index_or_sorted(people):
    from_index = list(Person.objects.vietnamese_order().values_list("pk", flat=True))
    sorted_ = list(Person.objects.vietnamese_order(from_index=False).values_list("pk", flat=True))
    assert from_index == sorted_ and len(from_index) >= 12
