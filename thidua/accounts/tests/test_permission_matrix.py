"""The permission matrix: every persona × every page and API resource → status and visible rows.

Declared as a table (one dict per target) and expanded into one test per (target, persona), the
NetBox way. The organisation (see conftest): root BHXH Việt Nam → province A (Hà Nội, with a
department) and province B (TP. Hồ Chí Minh). People: An (A's department; the `staff` persona's own
record), Bình (province A), Cường (province B). Personas of province A: officer, head, council, staff;
of province B: outsider_officer; admin is a system administrator.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client

PERSONAS = ["anonymous", "admin", "officer", "head", "council", "staff", "outsider_officer"]
PROVINCE_A = ("officer", "head", "council")

UNIT_NAMES = {
    "root": "Bảo hiểm xã hội Việt Nam",
    "a": "Bảo hiểm xã hội thành phố Hà Nội",
    "a_dept": "Phòng Quản lý thu",
    "b": "Bảo hiểm xã hội Thành phố Hồ Chí Minh",
}
UNIT_CODES = {"root": "BHXH-VN", "a": "BHXH-01", "a_dept": "BHXH-01-THU", "b": "BHXH-79"}
PEOPLE = {"an": "Nguyễn Văn An", "binh": "Trần Thị Bình", "cuong": "Lê Văn Cường"}


def status(
    *, anonymous: int, admin: int, province_a: int, staff: int, outsider_officer: int
) -> dict[str, int]:
    return {
        "anonymous": anonymous,
        "admin": admin,
        **dict.fromkeys(PROVINCE_A, province_a),
        "staff": staff,
        "outsider_officer": outsider_officer,
    }


PAGE_EVERYONE = status(anonymous=302, admin=200, province_a=200, staff=200, outsider_officer=200)
API_EVERYONE = status(anonymous=401, admin=200, province_a=200, staff=200, outsider_officer=200)


@dataclass(frozen=True)
class Target:
    name: str
    url: Callable[[SimpleNamespace], str]
    status: dict[str, int]
    # What the page or API call shows: how to read it, the universe of rows, and who sees which.
    rows: Callable[[Any], set[str]] | None = None
    universe: frozenset[str] = frozenset()
    visible: dict[str, set[str]] = field(default_factory=dict)


def html_contains(universe: dict[str, str]) -> Callable[[Any], set[str]]:
    def read(response: Any) -> set[str]:
        html = response.content.decode()
        return {key for key, text in universe.items() if text in html}

    return read


def api_rows(field_name: str, universe: dict[str, str]) -> Callable[[Any], set[str]]:
    by_value = {v: k for k, v in universe.items()}

    def read(response: Any) -> set[str]:
        values = [row[field_name] for row in response.json()["results"]]
        assert len(values) == len(set(values))
        return {by_value[v] for v in values}

    return read


ALL_UNITS = {"root", "a", "a_dept", "b"}
ALL_PEOPLE = {"an", "binh", "cuong"}
UNITS_SEEN = {
    "admin": ALL_UNITS,
    **{key: {"a", "a_dept"} for key in PROVINCE_A},
    "staff": set(),
    "outsider_officer": {"b"},
}
PEOPLE_SEEN = {
    "admin": ALL_PEOPLE,
    **{key: {"an", "binh"} for key in PROVINCE_A},
    "staff": {"an"},
    "outsider_officer": {"cuong"},
}
AUDIT_SEEN = {
    "admin": ALL_UNITS | ALL_PEOPLE,
    "officer": {"a", "a_dept", "an", "binh"},
    "head": {"a", "a_dept", "an", "binh"},
    "council": set(),  # council members vote; they do not read the audit log
    "staff": set(),
    "outsider_officer": {"b", "cuong"},
}
# A person detail of province A: its own people and the admin; the staff member sees only their own.
PERSON_A = status(anonymous=302, admin=200, province_a=200, staff=404, outsider_officer=404)
PERSON_B = status(anonymous=302, admin=200, province_a=404, staff=404, outsider_officer=200)

MATRIX = [
    # "/": the public home page for visitors, the work home page for signed-in users
    Target(
        "home",
        lambda o: "/",
        status(anonymous=200, admin=200, province_a=200, staff=200, outsider_officer=200),
    ),
    Target(
        "reports",
        lambda o: "/bao-cao/khen-thuong/",
        status(anonymous=302, admin=200, province_a=200, staff=403, outsider_officer=200),
    ),
    Target(
        "unit_tree",
        lambda o: "/to-chuc/don-vi/?all=1",
        PAGE_EVERYONE,
        rows=html_contains(UNIT_NAMES),
        universe=frozenset(ALL_UNITS),
        visible=UNITS_SEEN,
    ),
    Target("unit_detail_a", lambda o: f"/to-chuc/don-vi/{o.a.pk}/", PERSON_A),
    Target("unit_detail_a_dept", lambda o: f"/to-chuc/don-vi/{o.a_dept.pk}/", PERSON_A),
    Target("unit_detail_b", lambda o: f"/to-chuc/don-vi/{o.b.pk}/", PERSON_B),
    Target(
        "unit_detail_root",
        lambda o: f"/to-chuc/don-vi/{o.root.pk}/",
        status(anonymous=302, admin=200, province_a=404, staff=404, outsider_officer=404),
    ),
    Target(
        "person_list",
        lambda o: "/to-chuc/nhan-su/",
        PAGE_EVERYONE,
        rows=html_contains(PEOPLE),
        universe=frozenset(ALL_PEOPLE),
        visible=PEOPLE_SEEN,
    ),
    Target(
        "person_list_htmx",
        lambda o: "/to-chuc/nhan-su/?q=van",
        PAGE_EVERYONE,
        rows=html_contains(PEOPLE),
        universe=frozenset(ALL_PEOPLE),
        visible={k: v - {"binh"} for k, v in PEOPLE_SEEN.items()},
    ),
    Target(
        "person_list_filtered_by_another_provinces_unit",
        lambda o: f"/to-chuc/nhan-su/?unit={o.b.pk}",
        PAGE_EVERYONE,
        rows=html_contains(PEOPLE),
        universe=frozenset(ALL_PEOPLE),
        # An invalid unit choice is ignored: the list stays within the user's own scope.
        visible={**PEOPLE_SEEN, "admin": {"cuong"}},
    ),
    Target("person_detail_a", lambda o: f"/to-chuc/nhan-su/{o.binh.pk}/", PERSON_A),
    Target("person_detail_b", lambda o: f"/to-chuc/nhan-su/{o.cuong.pk}/", PERSON_B),
    Target(
        "person_detail_own_record",
        lambda o: f"/to-chuc/nhan-su/{o.an.pk}/",
        status(anonymous=302, admin=200, province_a=200, staff=200, outsider_officer=404),
    ),
    Target(
        "audit_log",
        lambda o: "/nhat-ky/",
        PAGE_EVERYONE,
        rows=html_contains(UNIT_NAMES | PEOPLE),
        universe=frozenset(ALL_UNITS | ALL_PEOPLE),
        visible=AUDIT_SEEN,
    ),
    Target(
        "api_units",
        lambda o: "/api/v1/units/",
        API_EVERYONE,
        rows=api_rows("code", UNIT_CODES),
        universe=frozenset(ALL_UNITS),
        visible=UNITS_SEEN,
    ),
    Target(
        "api_people",
        lambda o: "/api/v1/people/",
        API_EVERYONE,
        rows=api_rows("full_name", PEOPLE),
        universe=frozenset(ALL_PEOPLE),
        visible=PEOPLE_SEEN,
    ),
    Target(
        "api_people_search",
        lambda o: "/api/v1/people/?q=nguyen",
        API_EVERYONE,
        rows=api_rows("full_name", PEOPLE),
        universe=frozenset(ALL_PEOPLE),
        visible={k: v & {"an"} for k, v in PEOPLE_SEEN.items()},
    ),
    Target(
        "api_unit_a",
        lambda o: f"/api/v1/units/{o.a.pk}/",
        status(anonymous=401, admin=200, province_a=200, staff=404, outsider_officer=404),
    ),
    Target(
        "api_unit_b",
        lambda o: f"/api/v1/units/{o.b.pk}/",
        status(anonymous=401, admin=200, province_a=404, staff=404, outsider_officer=200),
    ),
    Target(
        "api_person_a",
        lambda o: f"/api/v1/people/{o.binh.pk}/",
        status(anonymous=401, admin=200, province_a=200, staff=404, outsider_officer=404),
    ),
    Target(
        "api_person_b",
        lambda o: f"/api/v1/people/{o.cuong.pk}/",
        status(anonymous=401, admin=200, province_a=404, staff=404, outsider_officer=200),
    ),
    Target(
        "api_person_own_record",
        lambda o: f"/api/v1/people/{o.an.pk}/",
        status(anonymous=401, admin=200, province_a=200, staff=200, outsider_officer=404),
    ),
    Target(
        "api_people_filtered_by_another_provinces_unit",
        lambda o: f"/api/v1/people/?unit={o.b.pk}",
        status(anonymous=401, admin=200, province_a=400, staff=400, outsider_officer=200),
    ),
    Target(
        "api_units_filtered_by_another_provinces_parent",
        lambda o: f"/api/v1/units/?parent={o.b.pk}",
        # Refused like an unknown id, so that ids of other provinces cannot be probed.
        status(anonymous=401, admin=200, province_a=400, staff=400, outsider_officer=200),
    ),
    Target("api_schema", lambda o: "/api/v1/schema/?format=json", API_EVERYONE),
]

CASES = [
    pytest.param(target, persona, id=f"{target.name}-{persona}") for target in MATRIX for persona in PERSONAS
]


@pytest.mark.parametrize(("target", "persona"), CASES)
def test_matrix(target: Target, persona: str, org, personas, client_for) -> None:
    client = Client() if persona == "anonymous" else client_for(getattr(personas, persona))
    url = target.url(org)
    headers = {"HX-Request": "true"} if target.name.endswith("_htmx") else {}
    response = client.get(url, headers=headers)

    expected = target.status[persona]
    assert response.status_code == expected, f"{persona} GET {url}"
    if expected == 302:
        assert re.match(r"^/tai-khoan/dang-nhap/\?next=", response["Location"])
    if url.startswith("/api/") and expected >= 400:
        assert set(response.json()["error"]) == {"code", "message", "fields"}
    if target.rows is not None and expected == 200:
        seen = target.rows(response)
        assert seen <= target.universe
        assert seen == target.visible[persona], f"{persona} sees {sorted(seen)} at {url}"


def test_the_matrix_covers_every_persona_for_every_target() -> None:
    for target in MATRIX:
        assert set(target.status) == set(PERSONAS), target.name
        if target.rows is not None:
            assert set(target.visible) == set(PERSONAS) - {"anonymous"}, target.name
