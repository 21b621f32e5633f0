"""What the public site may show of a movement (chosen by its managers), and results reported late."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from thidua.audit.models import AuditEntry
from thidua.core.errors import DomainError
from thidua.movements import services
from thidua.movements.models import Milestone, MovementDocument, Period
from thidua.movements.tests.samples import YEAR

pytestmark = pytest.mark.django_db
pytest_plugins = ["thidua.movements.tests.fixtures"]


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 10))


def test_a_manager_chooses_the_movement_and_documents_to_show(root_officer, movement):
    plan = movement.documents.get()
    other = services.add_movement_document(
        actor=None,
        movement=movement,
        kind=MovementDocument.Kind.GUIDANCE,
        issued_on=date(YEAR, 2, 1),
        summary="Hướng dẫn nội bộ",
    )

    services.set_movement_publicity(
        actor=root_officer, movement=movement, public=True, public_documents=[plan.pk]
    )

    movement.refresh_from_db()
    plan.refresh_from_db()
    other.refresh_from_db()
    assert movement.is_public and plan.is_public and not other.is_public
    entry = AuditEntry.objects.get(action="movement.publicity_changed")
    assert entry.detail == {"public": [False, True], "documents": [[], [plan.pk]]}


def test_an_officer_of_a_province_cannot_publish_the_sector_movement(personas, movement):
    with pytest.raises(PermissionDenied):
        services.set_movement_publicity(actor=personas.officer, movement=movement, public=True)
    movement.refresh_from_db()
    assert not movement.is_public


def test_a_document_of_another_movement_is_refused(root_officer, movement, org):
    from thidua.movements.models import Movement

    other = services.create_movement(
        actor=None,
        title="Khác",
        kind=Movement.Kind.REGULAR,
        authority="bo_nganh_tinh",
        launching_unit=org.root,
        start_year=YEAR,
    )
    foreign = services.add_movement_document(
        actor=None,
        movement=other,
        kind=MovementDocument.Kind.PLAN,
        issued_on=date(YEAR, 1, 2),
        summary="Kế hoạch khác",
    )
    with pytest.raises(DomainError, match="không thuộc phong trào"):
        services.set_movement_publicity(
            actor=root_officer, movement=movement, public=True, public_documents=[foreign.pk]
        )


def test_the_publicity_page_saves_the_ticks(client_for, root_officer, movement):
    plan = movement.documents.get()
    response = client_for(root_officer).post(
        f"/phong-trao/{movement.pk}/cong-khai/", {"is_public": "on", "public_documents": [str(plan.pk), "x"]}
    )
    assert response.status_code == 302
    movement.refresh_from_db()
    assert movement.is_public
    assert (
        client_for(root_officer).get(f"/phong-trao/{movement.pk}/").content.decode().count("Đang công khai")
        == 1
    )


@pytest.mark.parametrize(
    ("period", "milestones", "expected"),
    [
        (Period.YEAR, [date(YEAR, 12, 10)], date(YEAR, 12, 10)),  # a yearly self-assessment before 31/12
        (Period.YEAR, [date(YEAR, 4, 5), date(YEAR + 1, 1, 10)], date(YEAR + 1, 1, 10)),
        (Period.Q1, [date(YEAR, 4, 5), date(YEAR, 7, 5)], date(YEAR, 4, 5)),
        (Period.Q2, [date(YEAR, 4, 5), date(YEAR, 7, 5)], date(YEAR, 7, 5)),
        (Period.Q3, [date(YEAR, 4, 5)], None),
        (Period.M02, [date(YEAR, 3, 3)], date(YEAR, 3, 3)),
    ],
)
def test_the_deadline_of_a_result_is_the_self_assessment_after_its_period(
    movement, period, milestones, expected
):
    for due in milestones:
        Milestone.objects.create(movement=movement, kind=Milestone.Kind.SELF_ASSESSMENT, due_on=due)
    Milestone.objects.create(movement=movement, kind=Milestone.Kind.REGISTRATION, due_on=date(YEAR, 1, 31))

    assert services.result_deadline(movement, YEAR, period) == expected


def _submit(running: Any, unit: Any, sent: date) -> Any:
    result = services.save_result(
        actor=None,
        movement=running,
        unit=unit,
        year=YEAR,
        period=Period.YEAR,
        figures={"I.1": {"actual": "95", "target": "100"}, "I.2": {"value": "có"}},
    )
    return services.submit_result(actor=None, result=result, submitted_at=_aware(sent))


def test_a_result_sent_after_the_deadline_is_marked_late(running, org):
    Milestone.objects.create(movement=running, kind=Milestone.Kind.SELF_ASSESSMENT, due_on=date(YEAR, 12, 10))

    on_time = _submit(running, org.a, date(YEAR, 12, 10))
    late = _submit(running, org.b, date(YEAR, 12, 11))

    assert (on_time.late, late.late) == (False, True)
    assert late.submitted_at == _aware(date(YEAR, 12, 11))
