"""The access helpers, as a table: who sees which movement, who reviews which unit."""

from datetime import date
from typing import Any

import pytest

from thidua.movements import services
from thidua.movements.permissions import (
    can_manage_movement,
    can_review_cluster,
    can_review_unit,
    visible_movements,
)
from thidua.movements.tests.samples import YEAR

pytestmark = pytest.mark.django_db
pytest_plugins = ["thidua.movements.tests.fixtures"]


def _movement(unit: Any, title: str, *, launch: bool = True, authority: str = "thu_truong_don_vi") -> Any:
    m = services.create_movement(
        actor=None,
        title=title,
        kind="dot_xuat",
        authority=authority,
        authority_name="Thủ tướng Chính phủ" if unit is None else "",
        launching_unit=unit,
        start_year=YEAR,
    )
    if launch:
        if unit is not None:
            services.add_movement_document(
                actor=None, movement=m, kind="phat_dong", issued_on=date(YEAR, 1, 1), summary="Phát động"
            )
            services.add_participants(actor=None, movement=m, units=[unit])
        services.launch_movement(actor=None, movement=m)
    return m


@pytest.fixture
def movements(org):
    return {
        "pm": _movement(None, "Của Thủ tướng", authority="thu_tuong"),
        "root": _movement(org.root, "Của BHXH Việt Nam"),
        "a": _movement(org.a, "Của BHXH Hà Nội"),
        "a_draft": _movement(org.a, "Dự thảo của BHXH Hà Nội", launch=False),
        "b": _movement(org.b, "Của BHXH TP HCM"),
    }


@pytest.mark.parametrize(
    ("persona", "seen"),
    [
        ("admin", {"pm", "root", "a", "a_draft", "b"}),
        ("root_officer", {"pm", "root", "a", "a_draft", "b"}),
        ("officer", {"pm", "root", "a", "a_draft"}),
        ("head", {"pm", "root", "a"}),  # a unit head reads, does not manage drafts
        ("staff", {"pm", "root", "a"}),
        ("outsider_officer", {"pm", "root", "b"}),
    ],
)
def test_who_sees_which_movement(persona, seen, personas, root_officer, movements):
    user = root_officer if persona == "root_officer" else getattr(personas, persona)
    visible = set(visible_movements(user).values_list("pk", flat=True))
    assert visible == {movements[key].pk for key in seen}


def test_who_manages_which_movement(personas, root_officer, movements):
    assert can_manage_movement(personas.officer, movements["a"])
    assert not can_manage_movement(personas.officer, movements["root"])
    assert not can_manage_movement(personas.head, movements["a"])
    assert can_manage_movement(root_officer, movements["a"])
    assert not can_manage_movement(root_officer, movements["pm"])  # outside the tree: administrators only
    assert can_manage_movement(personas.admin, movements["pm"])


def test_who_reviews_which_unit(personas, root_officer, org, cluster):
    assert can_review_unit(root_officer, org.a, YEAR)  # the level above
    assert not can_review_unit(personas.officer, org.a, YEAR)  # never itself
    assert can_review_unit(personas.outsider_officer, org.a, YEAR)  # the cluster head, that year
    assert not can_review_unit(personas.outsider_officer, org.a, YEAR + 1)
    assert not can_review_unit(personas.outsider_officer, org.b, YEAR)  # the head does not review itself
    assert can_review_cluster(root_officer, cluster) and can_review_cluster(
        personas.outsider_officer, cluster
    )
    assert not can_review_cluster(personas.officer, cluster)
