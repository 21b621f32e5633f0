"""Accounts of staff members: create one for a person, link or unlink, lock or unlock, reset the password.

An account belongs to the units it is tied to: its staff record's unit and the units of its roles not
yet ended. An officer manages an account only when ALL of those lie in their subtree (so an officer of
a province cannot reset the password of a head-office officer who also holds a role in the province),
and never a system administrator's. A reset gives a one-time password, shown once to the officer; the
user must choose their own at the next sign-in (`User.must_change_password`).
"""

from __future__ import annotations

import re
import secrets
from collections import defaultdict
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from rest_framework.authtoken.models import Token

from thidua.accounts.models import User
from thidua.audit.services import log
from thidua.core.errors import DomainError
from thidua.lib.text import fold
from thidua.org.models import Membership, Person, Role, Unit
from thidua.org.permissions import (
    can_change_unit,
    can_grant,
    is_system_admin,
    manage_scope_paths,
    manageable_units,
    own_person_id,
    scope_paths,
)

PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read aloud or copied by hand
NO_RIGHT = "Tài khoản này nằm ngoài phạm vi đơn vị bạn quản lý"


def one_time_password() -> str:
    """12 random letters and digits in three groups ('k7dq-m2xa-p9ts'): about 59 bits."""
    chars = "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(12))
    return f"{chars[:4]}-{chars[4:8]}-{chars[8:]}"


def account_units(user: User) -> list[Unit]:
    """The units an account is tied to: its staff record's unit and those of its roles not yet ended."""
    units: dict[int, Unit] = {}
    person = Person.objects.filter(user=user).select_related("current_unit").first()
    if person is not None and person.current_unit is not None:
        units[person.current_unit.pk] = person.current_unit
    grants = Membership.objects.filter(user=user).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=date.today())
    )
    for m in grants.select_related("unit"):
        units[m.unit.pk] = m.unit
    return list(units.values())


def can_manage_account(actor: User | None, user: User) -> bool:
    if actor is None or is_system_admin(actor):
        return True
    if user.is_superuser:
        return False
    units = account_units(user)
    if not units or not all(can_change_unit(actor, u) for u in units):
        return False
    admin_units = Membership.objects.in_force().filter(user=user, role=Role.ADMIN).select_related("unit")
    return all(can_grant(actor, Role.ADMIN, m.unit) for m in admin_units)


def require_account(actor: User | None, user: User) -> None:
    if not can_manage_account(actor, user):
        raise PermissionDenied(NO_RIGHT)


def suggest_username(person: Person) -> str:
    """'Nguyễn Văn An' → 'an.nv' (given name, then the initials of the others), unique with a number."""
    words = re.findall(r"[a-z0-9]+", fold(person.full_name))
    if not words:
        base = "nguoidung"
    else:
        base = words[-1] + ("." + "".join(w[0] for w in words[:-1]) if len(words) > 1 else "")
    base = base[:140]
    candidate, n = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        n += 1
        candidate = f"{base}{n}"
    return candidate


def _check_username(username: str) -> str:
    username = username.strip().lower()
    if not re.fullmatch(r"[a-z0-9._-]{3,150}", username):
        raise DomainError(
            "Tên đăng nhập từ 3 ký tự, chỉ gồm chữ không dấu, chữ số và dấu . _ -", field="username"
        )
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(f"Tên đăng nhập '{username}' đã có người dùng", field="username")
    return username


def _person_scope(actor: User | None, person: Person) -> None:
    unit = person.current_unit
    if (
        actor is not None
        and not is_system_admin(actor)
        and (unit is None or not can_change_unit(actor, unit))
    ):
        raise PermissionDenied("Nhân sự này nằm ngoài phạm vi đơn vị bạn quản lý")


@transaction.atomic
def create_account(
    *, actor: User | None, person: Person, username: str = "", email: str = ""
) -> tuple[User, str]:
    """A login for `person` (linked by `Person.user`) with a one-time password, returned once."""
    _person_scope(actor, person)
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.user_id is not None:
        raise DomainError(f"{person.full_name} đã có tài khoản", field="person")
    if person.left_on is not None:
        raise DomainError(f"{person.full_name} đã thôi công tác", field="person")
    username = _check_username(username or suggest_username(person))
    password = one_time_password()
    user = User(
        username=username,
        email=(email or person.email).strip(),
        first_name=person.full_name[:150],
        must_change_password=True,
    )
    user.set_password(password)
    user.save()
    person.user = user
    person.save(update_fields=["user", "updated_at"])
    log(
        "account.created",
        actor=actor,
        obj=user,
        unit_path=person.current_unit.path if person.current_unit else "",
        detail={"username": username, "person": person.full_name},
    )
    return user, password


@transaction.atomic
def link_account(*, actor: User | None, person: Person, user: User) -> Person:
    """Link an existing login to a staff record (a council member's login, say, so they can vote)."""
    _person_scope(actor, person)
    require_account(actor, user)
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.user_id is not None:
        raise DomainError(f"{person.full_name} đã có tài khoản", field="person")
    other = Person.objects.filter(user=user).first()
    if other is not None:
        raise DomainError(f"Tài khoản {user.get_username()} đã gắn với hồ sơ {other.full_name}", field="user")
    person.user = user
    person.save(update_fields=["user", "updated_at"])
    log(
        "account.linked",
        actor=actor,
        obj=user,
        unit_path=person.current_unit.path if person.current_unit else "",
        detail={"username": user.get_username(), "person": person.full_name},
    )
    return person


@transaction.atomic
def unlink_account(*, actor: User | None, person: Person) -> Person:
    """Detach the login from the staff record (the login itself stays, with its roles)."""
    _person_scope(actor, person)
    person = Person.objects.select_for_update(of=("self",)).select_related("user").get(pk=person.pk)
    if person.user is None:
        raise DomainError(f"{person.full_name} chưa có tài khoản", field="person")
    user = person.user
    require_account(actor, user)
    if actor is not None and user.pk == actor.pk:
        raise DomainError("Không tự gỡ tài khoản của chính mình", field="person")
    person.user = None
    person.save(update_fields=["user", "updated_at"])
    log(
        "account.unlinked",
        actor=actor,
        obj=user,
        unit_path=person.current_unit.path if person.current_unit else "",
        detail={"username": user.get_username(), "person": person.full_name},
    )
    return person


def _scope_path(user: User) -> str:
    units = account_units(user)
    return units[0].path if len(units) == 1 else ""


@transaction.atomic
def set_account_active(*, actor: User | None, user: User, active: bool, reason: str = "") -> User:
    """Lock (`active` False) or unlock an account. A locked account cannot sign in nor use its API key."""
    require_account(actor, user)
    if actor is not None and user.pk == actor.pk:
        raise DomainError("Không tự khóa tài khoản của chính mình", field="user")
    if user.is_active == active:
        raise DomainError("Tài khoản đã " + ("mở" if active else "khóa") + " rồi", field="user")
    user.is_active = active
    user.save(update_fields=["is_active"])
    log(
        "account.activated" if active else "account.deactivated",
        actor=actor,
        obj=user,
        unit_path=_scope_path(user),
        detail={"username": user.get_username(), "reason": reason},
    )
    return user


@transaction.atomic
def reset_password(*, actor: User | None, user: User) -> str:
    """A new one-time password for `user` (returned once, never logged); they must change it at the
    next sign-in. Refused for an account outside the actor's subtree and for the actor's own."""
    require_account(actor, user)
    if actor is not None and user.pk == actor.pk:
        raise DomainError("Đổi mật khẩu của chính mình ở mục Đổi mật khẩu", field="user")
    password = one_time_password()
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    Token.objects.filter(user=user).delete()  # an API key made under the old password stops working
    log(
        "account.password_reset",
        actor=actor,
        obj=user,
        unit_path=_scope_path(user),
        detail={"username": user.get_username()},
    )
    return password


def manageable_accounts(actor: User, *, q: str = "") -> list[User]:
    """Accounts the actor may manage, tied to units of their subtree (the accounts page), in a few
    queries whatever their number; `q` searches the login name or the staff member's name."""
    units = manageable_units(actor)
    person_rows = Person.objects.filter(current_unit__in=units, user__isnull=False)
    if q:
        person_rows = person_rows.filter(
            Q(user__username__icontains=q.strip()) | Q(pk__in=Person.objects.search_names(q))
        )
    ids = set(person_rows.values_list("user_id", flat=True))
    grant_rows = Membership.objects.filter(unit__in=units).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=date.today())
    )
    if q:
        grant_rows = grant_rows.filter(
            Q(user__username__icontains=q.strip()) | Q(user__person__in=Person.objects.search_names(q))
        )
    ids |= set(grant_rows.values_list("user_id", flat=True))
    users = list(
        User.objects.filter(pk__in=ids).select_related("person", "person__current_unit").order_by("username")
    )
    if is_system_admin(actor):
        return users
    paths: dict[int, set[str]] = defaultdict(set)
    admin_paths: dict[int, set[str]] = defaultdict(set)
    for user_id, path in Person.objects.filter(user_id__in=ids).values_list("user_id", "current_unit__path"):
        if path:
            paths[user_id].add(path)
    grants = Membership.objects.filter(user_id__in=ids).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=date.today())
    )
    for user_id, path, role in grants.values_list("user_id", "unit__path", "role"):
        paths[user_id].add(path)
        if role == Role.ADMIN:
            admin_paths[user_id].add(path)
    write = manage_scope_paths(actor)
    admin = scope_paths(actor, frozenset({Role.ADMIN}))

    def inside(path: str, scope: list[str]) -> bool:
        return any(path.startswith(p) for p in scope)

    return [
        u
        for u in users
        if not u.is_superuser
        and all(inside(p, write) for p in paths[u.pk])
        and all(inside(p, admin) for p in admin_paths[u.pk])
    ]


def is_own(actor: User, person: Person) -> bool:
    return own_person_id(actor) == person.pk
