"""Who sees the statistics: users with a reading role (admin, officer, unit head, council member),
within their scope; system administrators everywhere. Who adjusts the statistical forms: officers of
the organisation's root unit and system administrators."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from thidua.org.models import Unit
from thidua.org.permissions import WRITE_ROLES, can_change_unit, is_system_admin, scope_paths, visible_units


def sees_reports(user: Any) -> bool:
    return is_system_admin(user) or bool(scope_paths(user))


def require_reports(user: Any) -> None:
    if not sees_reports(user):
        raise PermissionDenied("Trang thống kê dành cho cán bộ có vai trò quản lý đơn vị")


def scope_units(user: Any) -> QuerySet[Unit]:
    """The units a report may be drawn for: the user's scope roots and the active units below them
    down to one level (the provinces under the whole organisation)."""
    if is_system_admin(user):
        roots = list(Unit.objects.filter(parent__isnull=True).order_by("path"))
    else:
        roots = list(Unit.objects.filter(path__in=scope_paths(user)).order_by("path"))
    ids = [u.pk for u in roots]
    ids += list(Unit.objects.active().filter(parent__in=roots).values_list("pk", flat=True))
    return visible_units(user).filter(pk__in=ids).order_by("path")


def default_unit(user: Any) -> Unit | None:
    return scope_units(user).first()


def organisation_root(user: Any) -> Unit | None:
    """The root unit of the user's organisation (the forms' owner)."""
    unit = default_unit(user)
    if unit is None:
        return None
    ids = unit.ancestor_ids()
    return Unit.objects.get(pk=ids[0]) if ids else unit


def adjusts_forms(user: Any, root: Unit) -> bool:
    return is_system_admin(user) or (
        can_change_unit(user, root) and any(p == root.path for p in scope_paths(user, WRITE_ROLES))
    )
