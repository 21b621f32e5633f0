"""How many people each unit has (by gender): the home dashboard's figures and a unit's head count,
without counting a million rows on every page.

The whole table is counted once (`SELECT unit.path, gender, count(*) … GROUP BY`, a few hundred
rows out) and kept until a person or a unit changes (`thidua.core.db.cached_rows`: the
key is made of PostgreSQL's own write counters of the two tables, so any write, by a service, an
import, the demo's COPY or plain SQL, is seen by every web worker within seconds). On SQLite
(small databases) the figures are counted on every call.

Summing units' counts gives a scope's figures: a role reaches whole subtrees, and people are in
a scope by their current unit (`thidua.org.permissions.visible_people`).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db import connection
from django.db.models import Count

from thidua.core.db import cached_rows
from thidua.org.models import Person, Unit
from thidua.org.permissions import is_system_admin, own_person_id, scope_paths


def _count() -> list[list[Any]]:
    rows = Person.objects.order_by().values_list("current_unit__path", "gender").annotate(n=Count("id"))
    return [[path, gender, n] for path, gender, n in rows]


def unit_gender_counts() -> list[list[Any]]:
    """[path of the current unit or None, gender, people] for the whole table: one row per unit and
    gender, read as kept (shared by the process's callers: never changed)."""
    return cached_rows("org.headcount", [Person, Unit], _count)


def subtree_count(unit: Unit) -> int:
    """People whose current unit is `unit` or a unit under it."""
    if connection.vendor != "postgresql":
        return Person.objects.filter(current_unit__path__startswith=unit.path).count()
    return sum(n for path, _, n in unit_gender_counts() if path and path.startswith(unit.path))


def scope_counts(user: Any) -> tuple[dict[str, int], dict[str, int]]:
    """({gender: people}, {unit path: people}) of the people `user` sees (`visible_people`)."""
    admin = is_system_admin(user)
    paths = scope_paths(user)
    by_gender: dict[str, int] = defaultdict(int)
    by_path: dict[str, int] = defaultdict(int)
    if admin or paths:
        prefixes = tuple(paths)
        for path, gender, n in unit_gender_counts():
            if path is not None and (admin or path.startswith(prefixes)):
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
