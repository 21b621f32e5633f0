"""How many people each unit has (by gender): the home dashboard's figures and a unit's head count,
without counting a million rows on every page.

The whole table is counted once (`SELECT unit.path, gender, count(*) … GROUP BY`, a few hundred
rows out) and kept in the cache under a key made of PostgreSQL's own write counters for the people
and units tables (`pg_stat_user_tables`: rows inserted, updated, deleted). Any write to a person or
a unit, by a service, an import, the demo's COPY or plain SQL, changes the key, so every web worker sees new figures at
its next request without being told (PostgreSQL publishes a session's counters when its
transaction ends and the session goes idle, within about a second; a transaction that wrote people
keeps figures of its own). A ceiling
of `MAX_AGE` seconds bounds the figures' age even if the statistics were switched off. On SQLite
(small databases) the figures are counted on every call.

Summing units' counts gives a scope's figures: a role reaches whole subtrees, and people are in
a scope by their current unit (`thidua.org.permissions.visible_people`).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import Count

from thidua.org.models import Person, Unit
from thidua.org.permissions import is_system_admin, own_person_id, scope_paths

MAX_AGE = 600
# The tables' published counters, this transaction's own writes not yet published, and the
# transaction's id if it wrote anything (its figures are its own until it commits).
VERSION_SQL = """
SELECT s.relid, s.n_tup_ins, s.n_tup_upd, s.n_tup_del, x.n_tup_ins, x.n_tup_upd, x.n_tup_del,
       pg_current_xact_id_if_assigned()
FROM pg_stat_user_tables s JOIN pg_stat_xact_user_tables x ON x.relid = s.relid
WHERE s.relid IN (%s::regclass, %s::regclass) ORDER BY s.relid
"""
Counts = dict[tuple[str | None, str], int]


def _version() -> str | None:
    """The people table's write counters, or None where there are none to read."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(VERSION_SQL, [Person._meta.db_table, Unit._meta.db_table])
        rows = cursor.fetchall()
    return "-".join(str(v) for row in rows for v in row) or "none"


def _count() -> Counts:
    rows = Person.objects.order_by().values_list("current_unit__path", "gender").annotate(n=Count("id"))
    return {(path, gender): n for path, gender, n in rows}


def unit_gender_counts() -> Counts:
    """(path of the current unit or None, gender) → people, for the whole table."""
    version = _version()
    if version is None:
        return _count()
    key = f"org:headcount:{version}"
    counts: Counts | None = cache.get(key)
    if counts is None:
        counts = _count()
        cache.set(key, counts, MAX_AGE)
    return counts


def subtree_count(unit: Unit) -> int:
    """People whose current unit is `unit` or a unit under it."""
    if connection.vendor != "postgresql":
        return Person.objects.filter(current_unit__path__startswith=unit.path).count()
    return sum(n for (path, _), n in unit_gender_counts().items() if path and path.startswith(unit.path))


def scope_counts(user: Any) -> tuple[dict[str, int], dict[str, int]]:
    """({gender: people}, {unit path: people}) of the people `user` sees (`visible_people`)."""
    admin = is_system_admin(user)
    paths = scope_paths(user)
    by_gender: dict[str, int] = defaultdict(int)
    by_path: dict[str, int] = defaultdict(int)
    if admin or paths:
        for (path, gender), n in unit_gender_counts().items():
            if path is not None and (admin or any(path.startswith(p) for p in paths)):
                by_gender[gender] += n
                by_path[path] += n
            elif admin:
                by_gender[gender] += n
    own = own_person_id(user)
    if not admin and own is not None:
        person = Person.objects.filter(pk=own).values_list("current_unit__path", "gender").first()
        if person is not None and not (person[0] and any(person[0].startswith(p) for p in paths)):
            by_gender[person[1]] += 1
    return dict(by_gender), dict(by_path)
