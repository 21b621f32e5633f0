"""Roles: grant and revoke a role on a unit subtree, with dates; who holds what in my subtree.

A grant is a `Membership` row; a revocation ends it (`valid_to`), so the history of who held what
stays. Who grants: a system admin anything; an admin role anything within its subtree; an officer
every role but the administrator's within theirs (`thidua.org.permissions.can_grant`).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q

from thidua.accounts.models import User
from thidua.audit.services import log
from thidua.core.errors import DomainError
from thidua.org.models import Membership, Role, Unit, UnitQuerySet
from thidua.org.permissions import can_grant, forget_grants, is_system_admin, manageable_units, visible_units


def _check_grant(actor: User | None, user: User, unit: Unit, role: str) -> None:
    if role not in Role.values:
        raise DomainError("Chọn một vai trò", field="role")
    if actor is not None and not can_grant(actor, role, unit):
        if role == Role.ADMIN and can_grant(actor, Role.OFFICER, unit):
            raise PermissionDenied("Chỉ quản trị hệ thống được cấp vai trò quản trị")
        raise PermissionDenied(f"'{unit}' nằm ngoài phạm vi đơn vị bạn được phân quyền")


@transaction.atomic
def grant_role(
    *,
    actor: User | None,
    user: User,
    unit: Unit,
    role: str,
    valid_from: date | None = None,
    valid_to: date | None = None,
    note: str = "",
) -> Membership:
    """`user` holds `role` on `unit` and its subtree from `valid_from` (today if empty) to `valid_to`
    (open if empty). Refuses a unit outside the granter's subtree, an ended unit, a locked account,
    and a grant overlapping the same role on the same unit."""
    _check_grant(actor, user, unit, role)
    if not user.is_active:
        raise DomainError(f"Tài khoản {user.get_username()} đã bị khóa", field="user")
    if unit.valid_to is not None:
        raise DomainError(f"'{unit}' đã ngừng hoạt động từ {unit.valid_to:%d/%m/%Y}", field="unit")
    valid_from = valid_from or date.today()
    if valid_to is not None and valid_to < valid_from:
        raise DomainError("Ngày hết hiệu lực phải từ ngày bắt đầu trở đi", field="valid_to")
    overlapping = Membership.objects.filter(user=user, unit=unit, role=role).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from)
    )
    if valid_to is not None:
        overlapping = overlapping.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=valid_to))
    if overlapping.exists():
        raise DomainError(
            f"{user.get_username()} đã giữ vai trò {Role(role).label} tại '{unit}' trong thời gian này",
            field="role",
        )
    membership = Membership.objects.create(
        user=user, unit=unit, role=role, valid_from=valid_from, valid_to=valid_to, note=note.strip()[:255]
    )
    forget_grants(user)
    log(
        "membership.granted",
        actor=actor,
        obj=user,
        unit_path=unit.path,
        detail={
            "unit": unit.name,
            "role": Role(role).label,
            "period": _period(valid_from, valid_to),
            "note": note,
        },
    )
    return membership


def _period(valid_from: date | None, valid_to: date | None) -> str:
    start = f"từ {valid_from:%d/%m/%Y}" if valid_from else "từ trước"
    return f"{start} đến {valid_to:%d/%m/%Y}" if valid_to else f"{start}, không thời hạn"


@transaction.atomic
def revoke_role(
    *, actor: User | None, membership: Membership, on: date | None = None, reason: str = ""
) -> None:
    """End a grant from `on` (today if empty): it stops counting that day. A grant that has not
    started yet is removed. Nobody revokes their own grants (ask another officer or the admin)."""
    on = on or date.today()
    membership = (
        Membership.objects.select_for_update(of=("self",))
        .select_related("unit", "user")
        .get(pk=membership.pk)
    )
    _check_grant(actor, membership.user, membership.unit, membership.role)
    if actor is not None and actor.pk == membership.user_id and not is_system_admin(actor):
        raise PermissionDenied("Không tự thu hồi quyền của chính mình")
    if membership.valid_to is not None and membership.valid_to < on:
        raise DomainError(f"Quyền này đã hết hiệu lực từ {membership.valid_to:%d/%m/%Y}", field="on")
    unit = membership.unit
    detail = {
        "unit": unit.name,
        "role": membership.get_role_display(),
        "username": membership.user.get_username(),
        "on": on.isoformat(),
        "reason": reason,
    }
    if membership.valid_from is not None and membership.valid_from >= on:
        membership.delete()
    else:
        membership.valid_to = on - timedelta(days=1)
        membership.save(update_fields=["valid_to", "updated_at"])
    forget_grants(membership.user)
    log("membership.revoked", actor=actor, obj=membership.user, unit_path=unit.path, detail=detail)


def holders(actor: User, *, unit: Unit | None = None, include_ended: bool = False) -> list[Membership]:
    """Who holds what on the units the actor sees (or within `unit`'s subtree), grants in force first."""
    units: UnitQuerySet = visible_units(actor)
    if unit is not None:
        units = units.filter(path__startswith=unit.path)
    rows = Membership.objects.filter(unit__in=units).select_related("user", "unit", "user__person")
    if not include_ended:
        rows = rows.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=date.today()))
    return list(rows.order_by("unit__path", "role", "user__username", "-valid_from"))


def grantable_units(actor: User) -> UnitQuerySet:
    """The active units on which the actor may grant roles."""
    return manageable_units(actor).filter(valid_to__isnull=True)
