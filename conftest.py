"""Shared fixtures: a small organisation and one persona per role.

Personas: `admin` (system admin), `officer` (emulation officer of province A), `head` (unit head of
province A), `council` (council member of province A), `staff` (a staff member of province A, linked to
a person), `outsider_officer` (officer of province B). Units: root BHXH Việt Nam (an organisation of the
BHXH sector) → province A (with a department) and province B.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from io import StringIO
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import transaction
from django.test import Client

PASSWORD = "mat-khau-thu-nghiem-2026"


@pytest.fixture(autouse=True)
def _fast_hasher(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_organisation_cache() -> Iterator[None]:
    """Organisations are cached per root id; a rolled-back test must not leak its own to the next."""
    from thidua.org.kinds import clear_cache

    clear_cache()
    yield
    clear_cache()


@pytest.fixture(autouse=True)
def _fresh_public_cache() -> Iterator[None]:
    """The public site keeps whole pages in the "public" cache: no test sees another test's pages."""
    from django.core.cache import caches

    caches["public"].clear()
    yield
    caches["public"].clear()


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> Any:
    """Uploaded and generated files go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def org(db: Any) -> SimpleNamespace:
    from thidua.org import services
    from thidua.org.models import Organisation, Unit

    root = services.create_unit(
        actor=None,
        code="BHXH-VN",
        name="Bảo hiểm xã hội Việt Nam",
        kind=Unit.Kind.CO_QUAN,
        symbol="BHXH",
        place_name="Hà Nội",
        is_legal_entity=True,
    )
    Organisation.objects.create(root=root, sector="bhxh", parent_body="Bộ Tài chính")
    a = services.create_unit(
        actor=None,
        code="BHXH-01",
        name="Bảo hiểm xã hội thành phố Hà Nội",
        parent=root,
        kind=Unit.Kind.BHXH_TINH,
        is_legal_entity=True,
        province_code="01",
    )
    a_dept = services.create_unit(
        actor=None, code="BHXH-01-THU", name="Phòng Quản lý thu", parent=a, kind=Unit.Kind.PHONG
    )
    b = services.create_unit(
        actor=None,
        code="BHXH-79",
        name="Bảo hiểm xã hội Thành phố Hồ Chí Minh",
        parent=root,
        kind=Unit.Kind.BHXH_TINH,
        is_legal_entity=True,
        province_code="79",
    )
    an = services.create_person(
        actor=None,
        citizen_id="001085012345",
        full_name="Nguyễn Văn An",
        gender="nam",
        unit=a_dept,
        title="Chuyên viên",
        date_of_birth=date(1985, 4, 2),
        started_on=date(2010, 1, 1),
    )
    binh = services.create_person(
        actor=None,
        citizen_id="001190012346",
        full_name="Trần Thị Bình",
        gender="nu",
        unit=a,
        title="Phó Giám đốc",
        date_of_birth=date(1990, 7, 9),
        started_on=date(2015, 3, 1),
    )
    cuong = services.create_person(
        actor=None,
        citizen_id="079088000777",
        full_name="Lê Văn Cường",
        gender="nam",
        unit=b,
        title="Chuyên viên",
        date_of_birth=date(1988, 1, 20),
        started_on=date(2012, 6, 1),
    )
    return SimpleNamespace(root=root, a=a, a_dept=a_dept, b=b, an=an, binh=binh, cuong=cuong)


def _user(
    username: str, *, unit: Any = None, role: str | None = None, person: Any = None, superuser: bool = False
) -> Any:
    from thidua.accounts.models import User
    from thidua.org.models import Membership

    user = User.objects.create(
        username=username,
        password=make_password(PASSWORD),
        is_superuser=superuser,
        is_staff=superuser,
    )
    if person is not None:
        person.user = user
        person.save(update_fields=["user"])
    if unit is not None and role is not None:
        Membership.objects.create(user=user, unit=unit, role=role)
    return user


@pytest.fixture
def personas(org: SimpleNamespace) -> SimpleNamespace:
    from thidua.org.models import Role

    return SimpleNamespace(
        admin=_user("admin", superuser=True),
        officer=_user("canbo.hn", unit=org.a, role=Role.OFFICER),
        head=_user("thutruong.hn", unit=org.a, role=Role.UNIT_HEAD),
        council=_user("hoidong.hn", unit=org.a, role=Role.COUNCIL_MEMBER),
        staff=_user("an.nv", unit=org.a_dept, role=Role.STAFF, person=org.an),
        outsider_officer=_user("canbo.hcm", unit=org.b, role=Role.OFFICER),
    )


@pytest.fixture
def client_for() -> Any:
    def make(user: Any) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


# One small demo (300 people) loaded once for the module that asks for it, rolled back afterwards.
DEMO_PEOPLE = 300
DEMO_SEED = 7


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[str]:
    """Load the demo; yields the command's output. Tests using it also need `db`."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = StringIO()
        call_command("demo", people=DEMO_PEOPLE, seed=DEMO_SEED, stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)
