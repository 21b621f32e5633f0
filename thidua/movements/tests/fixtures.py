"""Fixtures of the movements Django tests (imported by the test modules; conftest.py belongs to the scoring tests): a BHXH VN movement in which provinces A and B take part, both in
"Cụm thi đua số 1" (year 2026) headed by B, with a two-criterion scoring table.

Personas (besides the shared ones): `root_officer`, emulation officer of BHXH Việt Nam (the level above
both provinces and the cluster's organiser).
"""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest

from conftest import _user
from thidua.movements.tests.samples import TABLE, YEAR


@pytest.fixture
def root_officer(personas: SimpleNamespace, org: SimpleNamespace) -> Any:
    from thidua.org.models import Role

    return _user("canbo.vn", unit=org.root, role=Role.OFFICER)


@pytest.fixture
def cluster(org: SimpleNamespace) -> Any:
    from thidua.org.models import Cluster, ClusterMember

    c = Cluster.objects.create(name="Cụm thi đua số 1", year=YEAR, organiser_unit=org.root, head_unit=org.b)
    ClusterMember.objects.create(cluster=c, unit=org.a)
    ClusterMember.objects.create(cluster=c, unit=org.b)
    return c


@pytest.fixture
def movement(org: SimpleNamespace, personas: SimpleNamespace) -> Any:
    """A draft regular movement of BHXH Việt Nam, with its plan and the provinces as participants."""
    from thidua.movements import services
    from thidua.movements.models import Movement, MovementDocument
    from thidua.org.models import Unit

    m = services.create_movement(
        actor=None,
        title="Thi đua thực hiện thắng lợi nhiệm vụ năm 2026",
        kind=Movement.Kind.REGULAR,
        authority=Movement.Authority.BO_NGANH_TINH,
        launching_unit=org.root,
        start_year=YEAR,
    )
    services.add_movement_document(
        actor=None,
        movement=m,
        kind=MovementDocument.Kind.PLAN,
        number_symbol="12/KH-BHXH",
        issued_on=date(YEAR, 1, 10),
        summary="Kế hoạch phát động thi đua năm 2026",
    )
    services.add_participants(
        actor=None, movement=m, units=[org.root], include_subtree=True, unit_kind=Unit.Kind.BHXH_TINH
    )
    return m


@pytest.fixture
def running(movement: Any, cluster: Any) -> Any:
    """The movement launched and running, with the scoring table of the year."""
    from thidua.movements import services

    services.launch_movement(actor=None, movement=movement)
    services.start_movement(actor=None, movement=movement)
    services.save_scoring_table(actor=None, movement=movement, year=YEAR, data=TABLE)
    return movement
