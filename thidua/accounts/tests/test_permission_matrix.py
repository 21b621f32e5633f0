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
# Managing pages: admins and officers; 403 for the other roles. Inside A: A's officer (and the admin);
# A's head and council member see the object but may not change it (403); the others do not see it (404).
MANAGERS_PAGE = status(anonymous=302, admin=200, province_a=403, staff=403, outsider_officer=200) | {
    "officer": 200
}
MANAGE_A = status(anonymous=302, admin=200, province_a=403, staff=404, outsider_officer=404) | {
    "officer": 200
}
MANAGE_B = status(anonymous=302, admin=200, province_a=404, staff=404, outsider_officer=200)
ACCOUNT_NAMES = {
    "admin": "admin",
    "officer": "canbo.hn",
    "head": "thutruong.hn",
    "council": "hoidong.hn",
    "staff": "an.nv",
    "outsider_officer": "canbo.hcm",
}
# Accounts an officer manages: those tied only to units of their subtree (never a system admin's).
ACCOUNTS_SEEN = {
    "admin": set(ACCOUNT_NAMES) - {"admin"},
    "officer": {"officer", "head", "council", "staff"},
    "head": set(),
    "council": set(),
    "staff": set(),
    "outsider_officer": {"outsider_officer"},
}
ROLES_SEEN = {**ACCOUNTS_SEEN, "admin": set(ACCOUNT_NAMES) - {"admin"}}
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
    # --- Issue 11: officers run their own organisation (pages of managing; inside and outside A) ---
    *[
        Target(f"manage_{name}", url, MANAGERS_PAGE)
        for name, url in [
            ("unit_create", lambda o: "/to-chuc/don-vi/moi/"),
            ("person_create", lambda o: "/to-chuc/nhan-su/moi/"),
            ("cluster_create", lambda o: "/to-chuc/cum-thi-dua/moi/"),
            ("cluster_copy", lambda o: "/to-chuc/cum-thi-dua/sao-chep/"),
            ("account_list", lambda o: "/to-chuc/tai-khoan/"),
            ("role_list", lambda o: "/to-chuc/phan-quyen/"),
        ]
    ],
    Target(
        "manage_unit_create_under_a",
        lambda o: f"/to-chuc/don-vi/moi/?cap-tren={o.a.pk}",
        MANAGE_A | {"staff": 403},  # creating is for managers: refused before looking at the parent
    ),
    *[
        Target(f"manage_{name}_a", url, MANAGE_A)
        for name, url in [
            ("unit_edit", lambda o: f"/to-chuc/don-vi/{o.a_dept.pk}/sua/"),
            ("unit_rename", lambda o: f"/to-chuc/don-vi/{o.a_dept.pk}/to-chuc-lai/doi-ten/"),
            ("unit_move", lambda o: f"/to-chuc/don-vi/{o.a_dept.pk}/to-chuc-lai/chuyen/"),
            ("unit_merge", lambda o: f"/to-chuc/don-vi/{o.a_dept.pk}/to-chuc-lai/sap-nhap/"),
            ("unit_split", lambda o: f"/to-chuc/don-vi/{o.a_dept.pk}/to-chuc-lai/chia-tach/"),
            ("unit_dissolve", lambda o: f"/to-chuc/don-vi/{o.a_dept.pk}/to-chuc-lai/giai-the/"),
            ("person_edit", lambda o: f"/to-chuc/nhan-su/{o.binh.pk}/sua/"),
            ("person_transfer", lambda o: f"/to-chuc/nhan-su/{o.binh.pk}/dieu-chuyen/"),
            ("person_end_service", lambda o: f"/to-chuc/nhan-su/{o.binh.pk}/thoi-cong-tac/"),
            ("person_add_position", lambda o: f"/to-chuc/nhan-su/{o.binh.pk}/qua-trinh/them/"),
            ("person_account", lambda o: f"/to-chuc/nhan-su/{o.binh.pk}/tai-khoan/"),
        ]
    ],
    *[
        Target(f"manage_{name}_b", url, MANAGE_B)
        for name, url in [
            ("unit_edit", lambda o: f"/to-chuc/don-vi/{o.b.pk}/sua/"),
            ("unit_merge", lambda o: f"/to-chuc/don-vi/{o.b.pk}/to-chuc-lai/sap-nhap/"),
            ("person_edit", lambda o: f"/to-chuc/nhan-su/{o.cuong.pk}/sua/"),
            ("person_transfer", lambda o: f"/to-chuc/nhan-su/{o.cuong.pk}/dieu-chuyen/"),
        ]
    ],
    Target(
        "account_detail_staff_of_a",
        lambda o: f"/to-chuc/tai-khoan/{o.staff_user.pk}/",
        status(anonymous=302, admin=200, province_a=403, staff=403, outsider_officer=404) | {"officer": 200},
    ),
    Target(
        "pick_person",
        lambda o: "/to-chuc/chon/nhan-su/?q=van",
        PAGE_EVERYONE,
        rows=html_contains(PEOPLE),
        universe=frozenset(ALL_PEOPLE),
        # people in scope only; the staff member picks nobody (their own record is not a pool)
        visible={**{k: v - {"binh"} for k, v in PEOPLE_SEEN.items()}, "staff": {"an"}},
    ),
    Target(
        "pick_unit",
        lambda o: "/to-chuc/chon/don-vi/?q=bao+hiem&ca_ngung=1",
        PAGE_EVERYONE,
        rows=html_contains({k: v for k, v in UNIT_NAMES.items() if k != "a_dept"}),
        universe=frozenset(ALL_UNITS - {"a_dept"}),
        visible={k: v - {"a_dept"} for k, v in UNITS_SEEN.items()},
    ),
    Target(
        "pick_person_within_another_province",
        lambda o: f"/to-chuc/chon/nhan-su/?q=van&trong={o.b.pk}",
        status(anonymous=302, admin=200, province_a=404, staff=404, outsider_officer=200),
    ),
    Target(
        "cluster_edit_a",
        lambda o: f"/to-chuc/cum-thi-dua/{o.cluster_a.pk}/sua/",
        MANAGE_A,
    ),
    Target(
        "api_accounts",
        lambda o: "/api/v1/accounts/",
        API_EVERYONE,
        rows=api_rows("username", ACCOUNT_NAMES),
        universe=frozenset(ACCOUNT_NAMES),
        visible=ACCOUNTS_SEEN,
    ),
    Target(
        "api_account_staff_of_a",
        lambda o: f"/api/v1/accounts/{o.staff_user.pk}/",
        status(anonymous=401, admin=200, province_a=404, staff=404, outsider_officer=404) | {"officer": 200},
    ),
    Target(
        "api_roles",
        lambda o: "/api/v1/roles/",
        API_EVERYONE,
        rows=api_rows("username", ACCOUNT_NAMES),
        universe=frozenset(ACCOUNT_NAMES),
        visible=ROLES_SEEN,
    ),
    Target("api_clusters", lambda o: "/api/v1/clusters/", API_EVERYONE),
    Target(
        "api_cluster_a",
        lambda o: f"/api/v1/clusters/{o.cluster_a.pk}/",
        status(anonymous=401, admin=200, province_a=200, staff=404, outsider_officer=404),
    ),
]

CASES = [
    pytest.param(target, persona, id=f"{target.name}-{persona}") for target in MATRIX for persona in PERSONAS
]


@pytest.fixture
def targets(org, personas) -> SimpleNamespace:
    """The organisation plus what the targets of issue 11 name: the staff member's account, a cluster
    organised by province A."""
    from thidua.org import services

    cluster = services.create_cluster(
        actor=None, name="Khối phòng", year=2026, organiser_unit=org.a, members=[org.a_dept]
    )
    return SimpleNamespace(**vars(org), staff_user=personas.staff, cluster_a=cluster)


@pytest.mark.parametrize(("target", "persona"), CASES)
def test_matrix(target: Target, persona: str, targets, personas, client_for) -> None:
    org = targets
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


# --- Writes (issue 11): every persona tries each change, on objects inside and outside their subtree.
# Expected: the status, and whether the change was written (only on success; nothing on a refusal).


@dataclass(frozen=True)
class Write:
    name: str
    method: str
    url: Callable[[SimpleNamespace], str]
    data: Callable[[SimpleNamespace], dict[str, Any]]
    status: dict[str, int]
    written: Callable[[SimpleNamespace], bool]


def _api(*, admin: int, officer: int, head: int, staff: int, outsider: int) -> dict[str, int]:
    return {
        "anonymous": 401,
        "admin": admin,
        "officer": officer,
        "head": head,
        "council": head,
        "staff": staff,
        "outsider_officer": outsider,
    }


def _unit_exists(code: str) -> Callable[[SimpleNamespace], bool]:
    def check(o: SimpleNamespace) -> bool:
        from thidua.org.models import Unit

        return Unit.objects.filter(code=code).exists()

    return check


def _phone_is(pk_name: str, phone: str) -> Callable[[SimpleNamespace], bool]:
    def check(o: SimpleNamespace) -> bool:
        from thidua.org.models import Person

        return Person.objects.get(pk=getattr(o, pk_name).pk).phone == phone

    return check


def _parent_is_b(o: SimpleNamespace) -> bool:
    from thidua.org.models import Unit

    return bool(Unit.objects.get(pk=o.a_dept.pk).parent_id == o.b.pk)


def _dept_head_granted(o: SimpleNamespace) -> bool:
    from thidua.org.models import Membership

    return Membership.objects.filter(user=o.staff_user, unit=o.a_dept, role="unit_head").exists()


def _password_reset(o: SimpleNamespace) -> bool:
    from thidua.accounts.models import User

    return User.objects.get(pk=o.staff_user.pk).must_change_password


def _cluster_has_a(o: SimpleNamespace) -> bool:
    return bool(o.cluster_a.members.filter(pk=o.a.pk).exists())


def _binh_in_dept(o: SimpleNamespace) -> bool:
    from thidua.org.models import Person

    return bool(Person.objects.get(pk=o.binh.pk).current_unit_id == o.a_dept.pk)


def _head_revoked(o: SimpleNamespace) -> bool:
    from thidua.org.models import Membership

    return Membership.objects.get(pk=o.head_grant.pk).valid_to is not None


PAGE_WRITE_A = {
    "anonymous": 302,
    "admin": 302,
    "officer": 302,
    "head": 403,
    "council": 403,
    "staff": 404,
    "outsider_officer": 404,
}
WRITES = [
    Write(
        "api_unit_create_in_a",
        "post",
        lambda o: "/api/v1/units/",
        lambda o: {"code": "BHXH-01-X", "name": "Phòng X", "parent": o.a.pk},
        # a parent outside the caller's subtree is refused like an unknown id, naming the field
        _api(admin=201, officer=201, head=400, staff=400, outsider=400),
        _unit_exists("BHXH-01-X"),
    ),
    Write(
        "api_unit_create_in_b",
        "post",
        lambda o: "/api/v1/units/",
        lambda o: {"code": "BHXH-79-X", "name": "Phòng X", "parent": o.b.pk},
        _api(admin=201, officer=400, head=400, staff=400, outsider=201),
        _unit_exists("BHXH-79-X"),
    ),
    Write(
        "api_person_patch_a",
        "patch",
        lambda o: f"/api/v1/people/{o.binh.pk}/",
        lambda o: {"phone": "0900000001"},
        _api(admin=200, officer=200, head=403, staff=404, outsider=404),
        _phone_is("binh", "0900000001"),
    ),
    Write(
        "api_person_patch_b",
        "patch",
        lambda o: f"/api/v1/people/{o.cuong.pk}/",
        lambda o: {"phone": "0900000002"},
        _api(admin=200, officer=404, head=404, staff=404, outsider=200),
        _phone_is("cuong", "0900000002"),
    ),
    Write(
        "api_unit_move_out_of_a",
        "post",
        lambda o: f"/api/v1/units/{o.a_dept.pk}/move/",
        lambda o: {"new_parent": o.b.pk, "effective_on": "2026-01-01"},
        _api(admin=200, officer=400, head=403, staff=404, outsider=404),
        _parent_is_b,
    ),
    Write(
        "api_role_grant_in_a",
        "post",
        lambda o: "/api/v1/roles/",
        lambda o: {"user": o.staff_user.pk, "unit": o.a_dept.pk, "role": "unit_head"},
        _api(admin=201, officer=201, head=400, staff=400, outsider=400),
        _dept_head_granted,
    ),
    Write(
        "api_password_reset_staff_of_a",
        "post",
        lambda o: f"/api/v1/accounts/{o.staff_user.pk}/reset_password/",
        lambda o: {},
        _api(admin=200, officer=200, head=404, staff=404, outsider=404),
        _password_reset,
    ),
    Write(
        "api_cluster_members_a",
        "post",
        lambda o: f"/api/v1/clusters/{o.cluster_a.pk}/members/",
        lambda o: {"units": [o.a.pk]},
        _api(admin=200, officer=200, head=403, staff=404, outsider=404),
        _cluster_has_a,
    ),
    Write(
        "page_person_transfer_a",
        "post",
        lambda o: f"/to-chuc/nhan-su/{o.binh.pk}/dieu-chuyen/",
        lambda o: {"unit": o.a_dept.pk, "title": "Trưởng phòng", "on": "2026-01-02"},
        PAGE_WRITE_A,
        _binh_in_dept,
    ),
    Write(
        "page_role_revoke_in_a",
        "post",
        lambda o: f"/to-chuc/phan-quyen/{o.head_grant.pk}/thu-hoi/",
        lambda o: {"on": "2026-01-02"},
        {**PAGE_WRITE_A, "head": 403, "council": 403, "staff": 403},
        _head_revoked,
    ),
]

WRITE_CASES = [
    pytest.param(write, persona, id=f"{write.name}-{persona}") for write in WRITES for persona in PERSONAS
]


@pytest.mark.parametrize(("write", "persona"), WRITE_CASES)
def test_write_matrix(write: Write, persona: str, targets, personas, client_for) -> None:
    import json

    from rest_framework.authtoken.models import Token

    o = targets
    o.head_grant = personas.head.memberships.get()
    url = write.url(o)
    headers: dict[str, str] = {}
    client = Client()
    if persona != "anonymous":
        user = getattr(personas, persona)
        if url.startswith("/api/"):
            headers["HTTP_AUTHORIZATION"] = f"Token {Token.objects.create(user=user).key}"
        else:
            client = client_for(user)
    body = write.data(o)
    if url.startswith("/api/"):
        response = getattr(client, write.method)(
            url, json.dumps(body), content_type="application/json", **headers
        )
    else:
        response = client.post(url, body)
    expected = write.status[persona]
    assert response.status_code == expected, (
        f"{persona} {write.method.upper()} {url}: {response.content[:300]!r}"
    )
    success = expected in (200, 201) or (expected == 302 and persona != "anonymous")
    assert write.written(o) == success, f"{persona}: written={write.written(o)}"
    if url.startswith("/api/") and expected >= 400:
        error = response.json()["error"]
        assert set(error) == {"code", "message", "fields"}
        if expected == 400:
            assert error["fields"], "a 400 names the field"


def test_the_write_matrix_covers_every_persona() -> None:
    for write in WRITES:
        assert set(write.status) == set(PERSONAS), write.name
