"""Searching people by name: the same answers on SQLite (regular expressions) and on PostgreSQL (the
full-text column and index of migration org/0009), whatever is typed."""

from __future__ import annotations

import re

import pytest
from django.db import DatabaseError, connection, transaction

from thidua.org.models import Person

NAMES = [
    "H’Hen Niê",
    "Nguyễn-Trần Thị An",
    "Lê Văn A2",
    "Phạm Thị Lan",
    "Ølsen Søren",
]


@pytest.fixture
def people(org):
    for i, name in enumerate(NAMES):
        Person.objects.create(citizen_id=f"00118509990{i}", full_name=name, gender="nu", current_unit=org.a)


def _found(text: str, *, names_only: bool = True) -> list[str]:
    people = Person.objects.filter(citizen_id__startswith="00118509990")
    found = people.search_names(text) if names_only else people.search(text)
    return sorted(p.full_name for p in found)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        # apostrophes: a word starts after one, and a word typed without it finds it too
        ("hen", ["H’Hen Niê"]),
        ("h'hen", ["H’Hen Niê"]),
        ("H’hen nie", ["H’Hen Niê"]),
        ("hhen", ["H’Hen Niê"]),
        ("hhe", ["H’Hen Niê"]),
        ("en", []),
        ("nhen", []),
        # hyphens separate words
        ("tran", ["Nguyễn-Trần Thị An"]),
        ("nguyen-tran an", ["Nguyễn-Trần Thị An"]),
        ("guyen", []),
        # digits inside a name
        ("a2", ["Lê Văn A2"]),
        ("le a", ["Lê Văn A2"]),
        ("a3", []),
        # every word typed is the start of a word, in any order
        ("ph th la", ["Phạm Thị Lan"]),
        ("lan pham", ["Phạm Thị Lan"]),
        ("th", ["Nguyễn-Trần Thị An", "Phạm Thị Lan"]),
        ("thi x", []),
        # a letter the folding keeps (no a-z equivalent) is matched by the regular expression
        ("søren", ["Ølsen Søren"]),
        ("øls s", ["Ølsen Søren"]),
    ],
)
def test_every_word_typed_starts_a_word_of_the_name(people, typed, expected):
    assert _found(typed) == expected
    assert _found(typed, names_only=False) == expected


A_WORDS = ["Lê Văn A2", "Nguyễn-Trần Thị An"]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        # full-text operators are not operators here, only letters: every word must start a word
        ("a:* | b", []),  # two words, a and b: nobody has both
        ("a & !b", []),
        ("a <-> b", []),
        ("x:*A", []),
        ("(a", A_WORDS),
        ("a'", A_WORDS),
        ("'a", A_WORDS),
        ("an & thi", ["Nguyễn-Trần Thị An"]),
        # no word at all: no filter
        ("\\", sorted(NAMES)),
        ("' | '", sorted(NAMES)),
    ],
)
def test_operators_typed_are_only_letters_to_search(people, typed, expected):
    assert _found(typed) == expected


def test_a_lone_apostrophe_searches_nothing_and_fails_nothing(people):
    assert _found("'") == sorted(NAMES)


def test_digits_search_citizen_ids_in_search_and_nobody_in_search_names(people):
    assert _found("2", names_only=False) == []  # no citizen id starts with 2
    assert _found("0011850999", names_only=False) == sorted(NAMES)
    assert _found("2") == []
    assert _found("0011850999") == []


def _ranked(text: str) -> list[tuple[str, int]]:
    """The order the people list shows (`ranked_page`), with each person's relevance group."""
    people = Person.objects.filter(citizen_id__startswith="00118509990").search_names(text)
    found = people.ranked_page(text, 100, 0, 100)
    assert found is not None
    ids, total = found
    assert total == len(ids)
    groups = dict(people.annotate(relevance=people._relevance(text)).values_list("pk", "relevance"))
    names = dict(people.values_list("pk", "full_name"))
    return [(names[pk], groups[pk]) for pk in ids]


def test_ranking_gives_up_beyond_its_limit(people):
    matches = Person.objects.filter(citizen_id__startswith="00118509990").search_names("thi")
    assert matches.ranked_page("thi", 2, 0, 10) is not None
    assert (
        matches.ranked_page("thi", 1, 0, 10) is None
    )  # two match, more than 1: listed in name order instead
    assert matches.ranked_page("'", 10, 0, 10) is None  # no word typed


def test_a_ranked_page_is_a_slice_of_the_whole_ranking_with_the_count_of_every_match(people):
    matches = Person.objects.filter(citizen_id__startswith="00118509990").search_names("a")
    whole, total = matches.ranked_page("a", 10, 0, 10) or ([], 0)
    assert total == len(whole) == 2
    assert matches.ranked_page("a", 10, 1, 1) == (whole[1:], 2)
    assert matches.ranked_page("a", 10, 0, 1) == (whole[:1], 2)
    assert matches.ranked_page("a", 10, 5, 1) == ([], 2)  # past the end: no ids, still the count


def test_the_relevance_of_whole_words_matches_on_both_databases(people):
    # "thi" is a whole word of both names: the same group, then Vietnamese order (An before Lan)
    assert _ranked("thi") == [("Nguyễn-Trần Thị An", 2), ("Phạm Thị Lan", 2)]
    assert _ranked("hhen") == [("H’Hen Niê", 2)]
    assert _ranked("hen nie") == [("H’Hen Niê", 2)]
    assert _ranked("hhe") == [("H’Hen Niê", 3)]
    assert _ranked("pham thi lan") == [("Phạm Thị Lan", 0)]
    assert _ranked("pham th") == [("Phạm Thị Lan", 1)]
    # the groups in order: the name itself, then a name starting with the text, then the rest
    assert _ranked("le van a") == [("Lê Văn A2", 1)]
    assert _ranked("a") == [("Lê Văn A2", 3), ("Nguyễn-Trần Thị An", 3)]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_postgresql_answers_a_name_search_from_the_full_text_index(people):
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")  # a handful of rows: the planner would read them all
        try:
            plan = Person.objects.search_names("nguyen van hung").order_by().explain()
        finally:
            cursor.execute("RESET enable_seqscan")
    assert "person_name_search" in plan
    assert "~" not in plan  # no regular expression left for a-z words


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_postgresql_keys_are_every_prefix_of_every_word(people):
    with connection.cursor() as cursor:
        cursor.execute("SELECT name_search::text FROM org_person WHERE full_name = %s", ["H’Hen Niê"])
        (vector,) = cursor.fetchone()
    assert vector == "'h' 'h.' 'he' 'hen' 'hen.' 'hh' 'hhe' 'hhen' 'hhen.' 'n' 'ni' 'nie' 'nie.'"


def test_a_user_who_sees_nobody_searches_and_finds_nobody(people, client_for):
    """No grant in force and no staff record: the scope can hold nobody (no query to run), the page says so."""
    from thidua.accounts.models import User

    loner = User.objects.create(username="khong.quyen")
    client = client_for(loner)
    for url in ("/to-chuc/nhan-su/?q=an", "/to-chuc/nhan-su/?q=nguyen+van", "/to-chuc/nhan-su/?q=h"):
        response = client.get(url)
        assert response.status_code == 200
        assert "Không tìm thấy ai." in response.content.decode()


@pytest.mark.parametrize("word", ["a:*", "a|b", "!b", "a<->b", "(a", "b)", "a'b", "x&y", "\\a"])
def test_only_letters_and_digits_reach_the_full_text_query(word):
    """The tokens written into `to_tsquery`, for any word (not only those `name_words` leaves)."""
    from thidua.lib.text import name_search_tokens

    tokens = name_search_tokens(word)
    assert tokens
    assert all(re.fullmatch(r"[a-z0-9]+", token) for token in tokens)


def _pending_tuples(cursor) -> int:  # type: ignore[no-untyped-def]
    cursor.execute("SELECT pending_tuples FROM pgstatginindex('person_name_search')")
    return int(cursor.fetchone()[0])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_postgresql_name_search_index_keeps_a_short_pending_list_merged_after_a_bulk_load(org):
    """Every search reads the index's pending list whole: it is bounded (org.0011) and merged at the
    end of a bulk load (`analyze`, which the import and the demo call)."""
    from thidua.core.db import analyze

    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'person_name_search'")
        assert cursor.fetchone()[0] == ["gin_pending_list_limit=512"]
        try:
            with transaction.atomic():  # not installed, or not ours to install (not a trusted extension)
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pgstattuple")
                _pending_tuples(cursor)
        except DatabaseError:
            pytest.skip(
                "pgstattuple (PostgreSQL's contrib) is not available: the pending list cannot be read"
            )
        people = [
            Person(
                citizen_id=f"0011850980{i:02d}",
                full_name=f"Trần Thị Thu Hà {i}",
                gender="nu",
                current_unit=org.a,
            )
            for i in range(40)
        ]
        for person in people:
            person.derive_fields()  # as the import does (bulk writes skip save())
        Person.objects.bulk_create(people)
        assert _pending_tuples(cursor) >= 40
        analyze([Person])
        assert _pending_tuples(cursor) == 0
    assert Person.objects.search_names("tran thi thu ha 17").count() == 1
