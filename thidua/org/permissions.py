"""The access helpers. Every page, export and API call decides what a user may see or change here.

A role held on a unit reaches its whole subtree, from its `valid_from` to its `valid_to` (a grant
outside its dates counts for nothing). Roles that see people and units of their scope:
admin, officer, unit head, council member. Roles that change them: admin and officer. A staff
member sees only their own record. Superusers are system administrators everywhere.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404

from thidua.accounts.models import User
from thidua.audit.models import AuditEntry
from thidua.org.models import Cluster, Person, PersonQuerySet, Role, Unit, UnitQuerySet

READ_ROLES = frozenset({Role.ADMIN, Role.OFFICER, Role.UNIT_HEAD, Role.COUNCIL_MEMBER})
WRITE_ROLES = frozenset({Role.ADMIN, Role.OFFICER})
AUDIT_ROLES = frozenset({Role.ADMIN, Role.OFFICER, Role.UNIT_HEAD})


def _is_authenticated(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_system_admin(user: Any) -> bool:
    return _is_authenticated(user) and bool(user.is_superuser)


def _grants(user: Any) -> list[tuple[str, str]]:
    """(role, unit path) of every grant of the user in force today (`Membership.valid_from/valid_to`):
    one query per request, cached on the user."""
    grants: list[tuple[str, str]] | None = user.__dict__.get("_grants_cache")
    if grants is None:
        grants = list(user.memberships.in_force().values_list("role", "unit__path"))
        user.__dict__["_grants_cache"] = grants
    return grants


def own_person_id(user: Any) -> int | None:
    """The id of the staff record linked to the user's login (`Person.user`); the sign-in backend
    (`thidua.org.backends`) loads it with the user, so this costs no query on a page."""
    if not _is_authenticated(user):
        return None
    try:
        person = user.person
    except ObjectDoesNotExist:
        return None
    return int(person.pk)


def scope_paths(user: Any, roles: frozenset[str] = READ_ROLES) -> list[str]:
    """The unit paths whose subtrees the user reaches with one of `roles`: worked out once per request
    and set of roles, kept on the user object with its grants (a page asks a dozen times: the
    dashboard, the menu, the to-do counts), a fresh list on every call."""
    if not _is_authenticated(user):
        return []
    kept: dict[frozenset[str], tuple[str, ...]] = user.__dict__.setdefault("_scope_paths_cache", {})
    scope = kept.get(roles)
    if scope is None:
        paths = sorted({path for role, path in _grants(user) if role in roles})
        # Drop paths inside another path: fewer OR terms in every scoped query.
        scope = tuple(p for p in paths if not any(p != q and p.startswith(q) for q in paths))
        kept[roles] = scope
    return list(scope)


def access_key(user: Any) -> tuple[Any, ...]:
    """Everything the access helpers read of the user (login, superuser, own record, grants in force):
    two users with the same key see the same; a key that changes drops what was kept under the old one
    (`thidua.core.db.compiled_rows`)."""
    if not _is_authenticated(user):
        return (None,)
    key: tuple[Any, ...] | None = user.__dict__.get("_access_key_cache")
    if key is None:  # once per request, like the grants it is made of
        key = (user.pk, is_system_admin(user), own_person_id(user), tuple(sorted(set(_grants(user)))))
        user.__dict__["_access_key_cache"] = key
    return key


def roles_of(user: Any) -> set[str]:
    if not _is_authenticated(user):
        return set()
    return {role for role, _ in _grants(user)}


def visible_units(user: Any) -> UnitQuerySet:
    if is_system_admin(user):
        return Unit.objects.all()
    return Unit.objects.in_subtrees(scope_paths(user))


def _path_q(prefix: str, paths: list[str]) -> Q:
    query = Q(pk__in=[])
    for path in paths:
        query |= Q(**{f"{prefix}__startswith": path})
    return query


def visible_people(user: Any) -> PersonQuerySet:
    """People in the user's scope (by their current unit), plus the user's own record."""
    if not _is_authenticated(user):
        return Person.objects.none()
    if is_system_admin(user):
        return Person.objects.all()
    query = _path_q("current_unit__path", scope_paths(user))
    person_id = own_person_id(user)
    if person_id:
        query |= Q(pk=person_id)
    return Person.objects.filter(query)


def can_change_unit(user: Any, unit: Unit) -> bool:
    if is_system_admin(user):
        return True
    return any(unit.path.startswith(p) for p in scope_paths(user, WRITE_ROLES))


def can_view_unit(user: Any, unit: Unit) -> bool:
    if is_system_admin(user):
        return True
    return any(unit.path.startswith(p) for p in scope_paths(user))


def can_view_person(user: Any, person: Person) -> bool:
    if not _is_authenticated(user):
        return False
    if is_system_admin(user) or own_person_id(user) == person.pk:
        return True
    unit = person.current_unit
    return unit is not None and can_view_unit(user, unit)


def can_change_person(user: Any, person: Person) -> bool:
    if is_system_admin(user):
        return True
    unit = person.current_unit
    return unit is not None and can_change_unit(user, unit)


def can_import(user: Any) -> bool:
    return is_system_admin(user) or bool(scope_paths(user, WRITE_ROLES))


def get_unit_for_user(user: Any, pk: int, *, write: bool = False) -> Unit:
    """The unit if the user may see it (404 otherwise); PermissionDenied if `write` and not allowed."""
    unit = visible_units(user).filter(pk=pk).first()
    if unit is None:
        raise Http404("Không tìm thấy đơn vị")
    if write and not can_change_unit(user, unit):
        raise PermissionDenied("Bạn không có quyền sửa đơn vị này")
    return unit


def get_person_for_user(user: Any, pk: int, *, write: bool = False) -> Person:
    person = visible_people(user).select_related("current_unit").filter(pk=pk).first()
    if person is None:
        raise Http404("Không tìm thấy nhân sự")
    if write and not can_change_person(user, person):
        raise PermissionDenied("Bạn không có quyền sửa hồ sơ nhân sự này")
    return person


def visible_audit_entries(user: Any) -> Any:
    if is_system_admin(user):
        return AuditEntry.objects.all()
    paths = scope_paths(user, AUDIT_ROLES)
    if not paths:
        return AuditEntry.objects.none()
    return AuditEntry.objects.filter(_path_q("unit_path", paths))


def sees_whole_organisation(user: Any) -> bool:
    """True for system admins and for holders of a read role on a root unit (the whole organisation)."""
    if is_system_admin(user):
        return True
    return any(path.count("/") == 2 for path in scope_paths(user))


def visible_clusters(user: Any) -> models.QuerySet[Cluster]:
    """Clusters organised by a unit in the user's scope, or with a member unit in it."""
    if is_system_admin(user):
        return Cluster.objects.all()
    paths = scope_paths(user)
    if not paths:
        return Cluster.objects.none()
    query = _path_q("organiser_unit__path", paths) | _path_q("memberships__unit__path", paths)
    ids = Cluster.objects.filter(query).values("pk")
    return Cluster.objects.filter(pk__in=ids)


def get_cluster_for_user(user: Any, pk: int) -> Cluster:
    cluster = visible_clusters(user).select_related("organiser_unit", "head_unit").filter(pk=pk).first()
    if cluster is None:
        raise Http404("Không tìm thấy cụm, khối thi đua")
    return cluster


def forget_grants(user: Any) -> None:
    """Drop the grants cached on `user` (after a grant or a revocation in the same request)."""
    user.__dict__.pop("_grants_cache", None)
    user.__dict__.pop("_scope_paths_cache", None)
    user.__dict__.pop("_access_key_cache", None)


def manage_scope_paths(user: Any) -> list[str]:
    """The unit paths whose subtrees the user manages (admin or officer roles)."""
    return scope_paths(user, WRITE_ROLES)


def manageable_units(user: Any) -> UnitQuerySet:
    """Units the user may change (and under which they may create units, people, accounts and roles)."""
    if is_system_admin(user):
        return Unit.objects.all()
    return Unit.objects.in_subtrees(manage_scope_paths(user))


def manageable_people(user: Any) -> PersonQuerySet:
    if not _is_authenticated(user):
        return Person.objects.none()
    if is_system_admin(user):
        return Person.objects.all()
    return Person.objects.filter(_path_q("current_unit__path", manage_scope_paths(user)))


def grantable_roles(user: Any) -> list[str]:
    """Roles the user may grant within their subtree: everything for a system admin or an admin role;
    an officer grants every role but the administrator's."""
    if is_system_admin(user) or scope_paths(user, frozenset({Role.ADMIN})):
        return list(Role.values)
    if scope_paths(user, WRITE_ROLES):
        return [r for r in Role.values if r != Role.ADMIN]
    return []


def can_grant(user: Any, role: str, unit: Unit) -> bool:
    """May `user` grant `role` on `unit`? An admin role reaches only its own subtree, like the others."""
    if is_system_admin(user):
        return True
    if role == Role.ADMIN:
        paths = scope_paths(user, frozenset({Role.ADMIN}))
    else:
        paths = scope_paths(user, WRITE_ROLES)
    return any(unit.path.startswith(p) for p in paths)


def require(actor: User | None, allowed: bool, message: str) -> None:
    """The services' one refusal: `actor` None is the system (commands, the demo, jobs) and passes;
    a user for whom `allowed` is false is refused with `message` (Vietnamese), before anything is
    written (Django's PermissionDenied: a 403 on pages and the API)."""
    if actor is not None and not allowed:
        raise PermissionDenied(message)


def require_unit_write(actor: User | None, unit: Unit, message: str) -> None:
    """Refuse unless `actor` (None: the system) writes for `unit` (admin or officer over it)."""
    require(actor, actor is None or can_change_unit(actor, unit), message)
