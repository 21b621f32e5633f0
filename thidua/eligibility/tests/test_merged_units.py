"""GIVEN two provinces, each ranked in its own cluster for 2025, merged into one on 01/07/2025 WHEN the
successor is judged for 2025 THEN its case carries both ranks (the history of the units it succeeded)
and is valid: the best rank counts for the Cờ thi đua (Luật 06/2022 Đ26 k1: leading a cluster of a
bộ, ngành, tỉnh), with a manual check naming both ranks for the council (docs/rules.md, "Merged
units keep one history"); the successor's pages and the year-end work on it."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest

from thidua.awards import services as awards
from thidua.awards.models import Candidate
from thidua.eligibility import adapters
from thidua.history.models import Rating
from thidua.movements import services as movement_services
from thidua.movements.models import Movement
from thidua.org import services as org_services
from thidua.org.models import Unit
from thidua.rules import evaluate

pytestmark = pytest.mark.django_db
YEAR = 2025
FLAG = "co_thi_dua_bo_tinh"


@pytest.fixture
def merged(org: SimpleNamespace) -> Unit:
    movement = Movement.objects.create(
        title="Thi đua thường xuyên năm 2025",
        kind=Movement.Kind.REGULAR,
        authority=Movement.Authority.BO_NGANH_TINH,
        launching_unit=org.root,
        start_year=YEAR,
        end_year=YEAR,
        status=Movement.Status.CLOSED,
    )
    # Cluster 1 has two more provinces ahead of Hà Nội, so its rank 3 is a real one (ranks run 1..n).
    others = [
        org_services.create_unit(
            actor=None, code=code, name=name, parent=org.root, kind=Unit.Kind.BHXH_TINH, is_legal_entity=True
        )
        for code, name in (
            ("BHXH-02", "Bảo hiểm xã hội tỉnh Hà Giang"),
            ("BHXH-04", "Bảo hiểm xã hội tỉnh Cao Bằng"),
        )
    ]
    plan = (
        ("Cụm thi đua số 1", [*others, org.a], [(others[0], 1), (others[1], 2), (org.a, 3)]),
        ("Cụm thi đua số 2", [org.b], [(org.b, 1)]),
    )
    for name, members, ranks in plan:
        cluster = org_services.create_cluster(
            actor=None,
            name=name,
            year=YEAR,
            organiser_unit=org.root,
            members=members,
            organiser="bo_nganh_tinh",
        )
        movement_services.record_ranking(
            actor=None, movement=movement, cluster=cluster, year=YEAR, ranks=ranks
        )
    successor = org_services.create_unit(
        actor=None,
        code="BHXH-01-79",
        name="Bảo hiểm xã hội liên tỉnh (sau hợp nhất)",
        parent=org.root,
        kind=Unit.Kind.BHXH_TINH,
        is_legal_entity=True,
    )
    org_services.merge_units(actor=None, units=[org.a, org.b], into=successor, effective_on=date(YEAR, 7, 1))
    Rating.objects.create(unit=successor, year=YEAR, value="hoan_thanh_xuat_sac")
    return successor


def test_the_successor_carries_both_ranks_and_its_case_is_valid(merged: Unit) -> None:
    case = adapters.unit_case(merged, year=YEAR, candidates=[FLAG])
    ranks = sorted(
        r["rank"] for r in case["subject"]["records"] if r["type"] == "cluster_rank" and r["year"] == YEAR
    )
    assert ranks == [1, 3]  # one per predecessor, same year and organiser
    result = evaluate(case, with_forecast=False).results[0]
    assert result.verdict == "eligible"  # the best rank counts (Đ26 k1)
    named = [m for m in result.manual_checks if "thứ hạng cao nhất" in m]
    assert named and ("hạng 1, 3" in named[0] or "hạng 3, 1" in named[0])


def test_the_successors_unit_page_and_year_end_work(
    merged: Unit, personas: SimpleNamespace, client_for: Any
) -> None:
    admin = client_for(personas.admin)
    page = admin.get(f"/xet-khen-thuong/don-vi/{merged.pk}/?nam={YEAR}")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Cờ thi đua của bộ, ban, ngành, tỉnh" in html and "thứ hạng cao nhất" in html
    assert "không hợp lệ" not in html
    summary = awards.propose_candidates(actor=personas.admin, unit=merged, year=YEAR)
    assert summary.problems == ()
    flag = Candidate.objects.get(collective=merged, year=YEAR, award_id=FLAG)
    assert flag.status == Candidate.Status.PROPOSED
