"""What waits for a user in the movements ("Việc cần làm"): registrations and results to act on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from thidua.movements.models import Registration, Result
from thidua.movements.permissions import reviewed_clusters, visible_registrations, visible_results
from thidua.org.models import ClusterMember, Unit
from thidua.org.permissions import WRITE_ROLES, is_system_admin, scope_paths

LIMIT = 500  # a dashboard count, not a report: beyond this the lists themselves are the place


@dataclass(frozen=True)
class Todo:
    kind: str  # approve_registration | revise_registration | review_result | explain_result
    label: str
    url: str


class _Reach:
    """`can_review_unit` and `can_act_for_unit` for many rows with a fixed number of queries."""

    def __init__(self, user: Any) -> None:
        self.admin = is_system_admin(user)
        self.writes = scope_paths(user, WRITE_ROLES)
        self.reviewed = set(
            ClusterMember.objects.filter(cluster__in=reviewed_clusters(user)).values_list(
                "unit_id", "cluster__year"
            )
        )

    def acts(self, unit: Unit) -> bool:
        return self.admin or any(unit.path.startswith(p) for p in self.writes)

    def reviews(self, unit: Unit, year: int) -> bool:
        if self.admin or any(unit.path != p and unit.path.startswith(p) for p in self.writes):
            return True
        if any(unit.path.startswith(p) for p in self.writes):
            return False
        return (unit.pk, year) in self.reviewed

    def own(self, unit: Unit, year: int) -> bool:
        """The unit's own officers (who act for it), not those who review it from above."""
        return self.acts(unit) and not self.reviews(unit, year)


def movement_tasks(user: Any) -> list[Todo]:
    """Registrations to approve or revise, results to review or explain, within the user's reach."""
    if not getattr(user, "is_authenticated", False):
        return []
    todos: list[Todo] = []
    reach = _Reach(user)
    registrations = (
        visible_registrations(user)
        .filter(status__in=[Registration.Status.SUBMITTED, Registration.Status.RETURNED])
        .select_related("unit", "movement")[:LIMIT]
    )
    for reg in registrations:
        if reg.status == Registration.Status.SUBMITTED and reach.reviews(reg.unit, reg.year):
            todos.append(
                Todo(
                    "approve_registration",
                    f"Duyệt đăng ký thi đua {reg.year} của {reg.unit.name}",
                    reverse("movements:registration_list", args=[reg.movement_id, reg.year]),
                )
            )
        elif reg.status == Registration.Status.RETURNED and reach.own(reg.unit, reg.year):
            todos.append(
                Todo(
                    "revise_registration",
                    f"Bổ sung đăng ký thi đua {reg.year} bị trả lại ({reg.movement.title})",
                    reverse("movements:registration_edit", args=[reg.movement_id, reg.year, reg.unit_id]),
                )
            )
    results = (
        visible_results(user)
        .filter(status__in=[Result.Status.SELF_SCORED, Result.Status.REVIEWED])
        .select_related("unit", "movement")[:LIMIT]
    )
    for r in results:
        url = reverse("movements:result_detail", args=[r.pk])
        if r.status == Result.Status.SELF_SCORED and reach.reviews(r.unit, r.year):
            todos.append(Todo("review_result", f"Thẩm định kết quả {r.period_label} của {r.unit.name}", url))
        elif r.status == Result.Status.REVIEWED and reach.own(r.unit, r.year):
            todos.append(Todo("explain_result", f"Xem thẩm định, giải trình kết quả {r.period_label}", url))
    return todos
