"""Who may build which documents and see which jobs; built on `thidua.org.permissions`.

Layouts and templates of a unit need a write role (admin, officer) over it; the list exports follow
what the user may see. A job belongs to the user who started it; system administrators see all jobs.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from thidua.documents.models import Job
from thidua.org.models import Unit
from thidua.org.permissions import WRITE_ROLES, is_system_admin, scope_paths


def can_configure_unit(user: Any, unit: Unit) -> bool:
    """Certificate layouts and templates of a unit: admins and officers over it."""
    return is_system_admin(user) or any(unit.path.startswith(p) for p in scope_paths(user, WRITE_ROLES))


def configurable_units(user: Any) -> Any:
    if is_system_admin(user):
        return Unit.objects.filter(valid_to__isnull=True)
    return Unit.objects.in_subtrees(scope_paths(user, WRITE_ROLES)).filter(valid_to__isnull=True)


def visible_jobs(user: Any) -> Any:
    if is_system_admin(user):
        return Job.objects.all()
    if user is None or not user.is_authenticated:
        return Job.objects.none()
    return Job.objects.filter(created_by=user)


def get_job_for_user(user: Any, pk: int) -> Job:
    job: Job | None = visible_jobs(user).filter(pk=pk).first()
    if job is None:
        raise Http404("Không tìm thấy việc")
    return job
