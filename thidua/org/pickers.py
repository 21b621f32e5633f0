"""The one search-as-you-type picker of people and units: the searches behind it and the labels it shows.

A result shows the name, the position and the unit with its province (a unit: its parent, its province
and, for an ended unit, since when), so two "BHXH tỉnh Tuyên Quang" (the old one and the merged one)
cannot be confused. A search returns at most `LIMIT` rows and stays indexed at 1,000,000 people: the
folded full name is matched by prefix on its index first, word starts fill the rest, and the final
few rows are put in Vietnamese order in memory (`bench/picker.py` measures it).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import F, Q

from thidua.lib.text import fold, query_words
from thidua.org.kinds import catalogue
from thidua.org.models import Person, PersonQuerySet, Unit, UnitQuerySet
from thidua.org.permissions import (
    READ_ROLES,
    WRITE_ROLES,
    is_system_admin,
    manageable_people,
    manageable_units,
    own_person_id,
    scope_paths,
    visible_people,
    visible_units,
)

LIMIT = 20


@dataclass(frozen=True)
class Item:
    """One row of a picker: the value submitted, the name shown, and what tells look-alikes apart."""

    pk: int
    label: str
    detail: str
    ended: bool = False


def _prefix_q(field: str, needle: str) -> Q:
    """`field` starts with `needle`, in a form the database answers from the field's index.

    PostgreSQL: LIKE 'x%' (Django adds a pattern-ops index to indexed text columns). SQLite: LIKE
    with ESCAPE does not use an index, a range on the binary order does (folded text is ASCII-like)."""
    if connection.vendor == "postgresql":
        return Q(**{f"{field}__startswith": needle})
    return Q(**{f"{field}__gte": needle, f"{field}__lt": needle + "\U0010ffff"})


def _ancestors(units: Sequence[Unit], user: Any = None) -> dict[int, Unit]:
    """The ancestors of `units` (only those `user` may see, if given: a name outside one's scope is
    not shown, as on the unit pages)."""
    ids = {pk for u in units for pk in u.ancestor_ids()}
    if not ids:
        return {}
    base = visible_units(user) if user is not None else Unit.objects.all()
    rows = base.filter(pk__in=ids).only("pk", "name", "kind", "depth", "path")
    return {a.pk: a for a in rows}


def province_names(units: Iterable[Unit], ancestors: dict[int, Unit] | None = None) -> dict[int, str]:
    """unit id → the name of its province-level unit (the nearest ancestor whose kind is of province
    level, else of ministry or province level, else its first-level ancestor), for units below that
    level; one query (none if `ancestors` given)."""
    units = list(units)
    if ancestors is None:
        ancestors = _ancestors(units)
    levels = {code: k.level for code, k in catalogue().items()}  # unit kinds are data (sectors.yaml)
    result: dict[int, str] = {}
    for unit in units:
        chain = [ancestors[pk] for pk in unit.ancestor_ids() if pk in ancestors]
        if levels.get(unit.kind) in ("tinh", "bo_nganh_tinh"):
            continue  # the unit is itself of province level
        province = next((a for a in reversed(chain) if levels.get(a.kind) == "tinh"), None)
        province = province or next(
            (a for a in reversed(chain) if levels.get(a.kind) == "bo_nganh_tinh"), None
        )
        province = province or next((a for a in chain if a.depth == 1), None)
        if province is not None and province.pk != unit.pk:
            result[unit.pk] = province.name
    return result


def unit_where(unit: Unit, provinces: dict[int, str]) -> str:
    """'Phòng Quản lý thu · BHXH thành phố Hà Nội': a unit and its province, when it has one above it."""
    province = provinces.get(unit.pk)
    return f"{unit.name} · {province}" if province and province != unit.name else unit.name


def person_items(people: Sequence[Person], user: Any = None) -> list[Item]:
    units = [p.current_unit for p in people if p.current_unit is not None]
    provinces = province_names(units, _ancestors(units, user))
    items = []
    for p in people:
        parts = [p.current_title] if p.current_title else []
        if p.current_unit is not None:
            parts.append(unit_where(p.current_unit, provinces))
        if p.left_on is not None:
            parts.append(f"thôi công tác từ {p.left_on:%d/%m/%Y}")
        items.append(Item(p.pk, p.full_name, " — ".join(parts), ended=p.left_on is not None))
    return items


def unit_items(units: Sequence[Unit], user: Any = None) -> list[Item]:
    ancestors = _ancestors(units, user)
    provinces = province_names(units, ancestors)
    items = []
    for u in units:
        parts = [u.code]
        parent = ancestors[u.parent_id].name if u.parent_id in ancestors else ""
        if parent:
            parts.append(f"thuộc {parent}")
        province = provinces.get(u.pk)
        if province and province != parent:
            parts.append(province)
        if u.valid_to is not None:
            parts.append(f"ngừng hoạt động từ {u.valid_to:%d/%m/%Y}")
        elif u.valid_from is not None:
            parts.append(f"hoạt động từ {u.valid_from:%d/%m/%Y}")
        items.append(Item(u.pk, u.name, " · ".join(parts), ended=u.valid_to is not None))
    return items


def people_pool(
    user: Any, *, within: Unit | None = None, manage: bool = False, ended: bool = False
) -> PersonQuerySet:
    """The people a picker may offer: those the user sees (or manages), in service unless `ended`,
    within `within`'s subtree if given. A form validates its choice against the same pool.

    Written as "current unit among these units" (not a join on the unit path) so that the database
    reads the people of the scope through the index on their unit instead of scanning everyone."""
    paths = scope_paths(user, WRITE_ROLES if manage else READ_ROLES)
    if is_system_admin(user):
        pool = Person.objects.all()
    elif paths and all(p.count("/") == 2 for p in paths):
        # a whole organisation (roles on root units): nearly everyone matches, a scan finds 20 fast
        pool = manageable_people(user) if manage else visible_people(user)
    else:
        units = manageable_units(user) if manage else visible_units(user)
        query = Q(current_unit__in=units.values("pk"))
        own = None if manage else own_person_id(user)
        if own is not None:
            query |= Q(pk=own)
        pool = Person.objects.filter(query)
    if within is not None:
        pool = pool.filter(current_unit__in=Unit.objects.filter(path__startswith=within.path).values("pk"))
    if not ended:
        pool = pool.in_service()
    return pool


def unit_pool(
    user: Any,
    *,
    within: Unit | None = None,
    manage: bool = False,
    ended: bool = False,
    year: int | None = None,
) -> UnitQuerySet:
    """The units a picker may offer: seen (or managed), active unless `ended` (or existing in `year`)."""
    pool = manageable_units(user) if manage else visible_units(user)
    if within is not None:
        pool = pool.filter(path__startswith=within.path)
    if year is not None:
        pool = pool.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=date(year, 1, 1))).filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=date(year, 12, 31))
        )
    elif not ended:
        pool = pool.filter(valid_to__isnull=True)
    return pool


def search_people(
    pool: PersonQuerySet, text: str, *, citizen_ids: bool = False, limit: int = LIMIT
) -> tuple[list[Person], bool]:
    """At most `limit` people of `pool` matching `text`, and whether there are more.

    Names: the whole folded text as a prefix of the full name first (the index answers it), then
    every word starting a word of the name. Digits search citizen ids only when `citizen_ids` (the
    caller manages the pool: nobody else may probe numbers)."""
    needle = fold(text)
    words = query_words(text)
    if not words:
        return [], False
    pool = pool.select_related("current_unit")
    if needle.replace(" ", "").isdigit():
        if not citizen_ids:
            return [], False
        found = list(pool.filter(citizen_id__startswith=needle.replace(" ", "")).order_by()[: limit + 1])
    else:
        prefix = pool.filter(_prefix_q("name_folded", needle))
        # SQLite reads its binary-ordered index in order; on PostgreSQL a collation-ordered sort of
        # every match would cost more than it gives.
        prefix = prefix.order_by() if connection.vendor == "postgresql" else prefix.order_by("name_folded")
        found = list(prefix[: limit + 1])
        if len(found) <= limit:
            seen = [p.pk for p in found]
            # no ORDER BY: the first matches found will do (sorting every match would scan them all)
            more = pool.search_names(needle).exclude(pk__in=seen).order_by()
            found += list(more[: limit + 1 - len(found)])
    has_more = len(found) > limit
    found = sorted(found[:limit], key=lambda p: (p.sort_key, p.pk))
    return found, has_more


def search_units(pool: UnitQuerySet, text: str, *, limit: int = LIMIT) -> tuple[list[Unit], bool]:
    """At most `limit` units of `pool` whose name, code or short name has every word; active first."""
    if not query_words(text):
        return [], False
    ordered = pool.search(text).order_by(F("valid_to").desc(nulls_first=True), "depth", "name_folded")
    found = list(ordered[: limit + 1])
    found.sort(key=lambda u: (u.valid_to is not None, u.depth, u.name_folded))
    return found[:limit], len(found) > limit
