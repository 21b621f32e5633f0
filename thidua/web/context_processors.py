from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from thidua.notices.services import unread_count
from thidua.org.permissions import WRITE_ROLES, can_import, is_system_admin, own_person_id, scope_paths


def _can_set_up(user: Any) -> bool:
    """A writer of a top unit (no query beyond the user's roles, which the menu reads anyway): the
    Thông tin tổ chức page itself checks the organisation's own root."""
    return is_system_admin(user) or any(p.count("/") == 2 for p in scope_paths(user, WRITE_ROLES))


def _unread(request: HttpRequest, user: Any) -> int:
    """The user's unread notices; not counted twice when the page has counted them (the home dashboard)."""
    counted: int | None = getattr(request, "unread_notices", None)
    return counted if counted is not None else unread_count(user)


def nav(request: HttpRequest) -> dict[str, Any]:
    """What the navigation shows; computed lazily, so pages that don't render the menu pay nothing."""
    user = getattr(request, "user", None)
    # Importing and managing accounts and roles: the same people (admins and officers of a subtree).
    return {
        "nav": SimpleLazyObject(
            lambda: {
                "can_import": can_import(user),
                "can_manage": can_import(user),
                "can_read": is_system_admin(user) or bool(scope_paths(user)),
                # the organisation's own details: a writer of its top unit
                "can_set_up": _can_set_up(user),
                "unread_notices": _unread(request, user),
                # the choice of one's own name on the public site needs a staff record
                "has_person": own_person_id(user) is not None,
            }
        )
    }
