"""Movement statistics against a hand count: participation, registration and reporting on time,
and the rankings over time."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from thidua.movements import services
from thidua.movements.models import Milestone, Movement, Period
from thidua.movements.tests.samples import FAIR, GOOD, YEAR
from thidua.reports import stats

pytestmark = pytest.mark.django_db
pytest_plugins = ["thidua.movements.tests.fixtures"]


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 9))


def test_participation_and_on_time_counts(org, running):
    Milestone.objects.create(movement=running, kind=Milestone.Kind.REGISTRATION, due_on=date(YEAR, 1, 31))
    Milestone.objects.create(movement=running, kind=Milestone.Kind.SELF_ASSESSMENT, due_on=date(YEAR, 12, 10))
    # A registers on time, B late; A reports its year late, B on time.
    for unit, sent in ((org.a, date(YEAR, 1, 20)), (org.b, date(YEAR, 2, 3))):
        registration = services.save_registration(
            actor=None, movement=running, unit=unit, year=YEAR, targets={"I.1": 100}, titles=[]
        )
        services.submit_registration(actor=None, registration=registration, submitted_on=_at(sent))
    for unit, figures, sent in ((org.a, GOOD, date(YEAR, 12, 12)), (org.b, FAIR, date(YEAR, 12, 1))):
        result = services.save_result(
            actor=None, movement=running, unit=unit, year=YEAR, period=Period.YEAR, figures=figures
        )
        services.submit_result(actor=None, result=result, submitted_at=_at(sent))

    report = stats.movements_report(Movement.objects.all(), org.root, YEAR)
    line = report.sections[0].rows[0]
    # 2 provinces take part, both registered (100%), 1 on time (50%); 2 results, 1 on time (50%)
    assert line == [running.title, 2, 2, Decimal("100.0"), 1, Decimal("50.0"), 2, 1, Decimal("50.0")]
    # seen from province A only
    assert stats.movements_report(Movement.objects.all(), org.a, YEAR).sections[0].rows[0][1:] == [
        1,
        1,
        Decimal("100.0"),
        1,
        Decimal("100.0"),
        1,
        0,
        Decimal("0.0"),
    ]


def test_rankings_over_time_of_a_cluster(org, running, cluster, root_officer):
    for period, (a_figures, b_figures) in ((Period.Q1, (GOOD, FAIR)), (Period.Q2, (FAIR, GOOD))):
        for unit, figures in ((org.a, a_figures), (org.b, b_figures)):
            result = services.save_result(
                actor=None, movement=running, unit=unit, year=YEAR, period=period, figures=figures
            )
            services.submit_result(actor=None, result=result)
            services.review_result(actor=root_officer, result=result, note="Khớp số liệu")
            services.finalise_result(actor=root_officer, result=result)
        ranking = services.compute_ranking(
            actor=root_officer, movement=running, cluster=cluster, year=YEAR, period=period
        )
        services.publish_ranking(actor=root_officer, ranking=ranking)

    from thidua.movements.models import Ranking

    section = stats.ranking_history(Ranking.objects.all(), running, cluster.pk)
    assert section is not None
    assert [c.header for c in section.columns] == ["Đơn vị", "Quý I/2026", "Quý II/2026"]
    # Q1: A 10 points, B 7 → A first; Q2 the other way round. Latest rank first.
    assert section.rows == [[org.b.name, 2, 1], [org.a.name, 1, 2]]
    assert "<svg" in section.chart
