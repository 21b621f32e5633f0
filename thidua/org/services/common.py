"""What every organisation service shares: the permission check, optimistic locking, refused fields."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from thidua.accounts.models import User
from thidua.core.errors import DomainError
from thidua.org.models import Unit
from thidua.org.permissions import can_change_unit, is_system_admin


def require_manage(actor: User | None, unit: Unit | None, message: str) -> None:
    """Refuse unless `actor` manages `unit` (admin or officer over it); `actor` None is the system
    (commands, the demo). `unit` None means the top of the tree: system administrators only."""
    if actor is None:
        return
    if unit is None:
        if not is_system_admin(actor):
            raise PermissionDenied(message)
        return
    if not can_change_unit(actor, unit):
        raise PermissionDenied(message)


def stamp(obj: Any) -> str:
    """The version of a row an edit form was loaded from (its last change time)."""
    return obj.updated_at.isoformat() if getattr(obj, "updated_at", None) else ""


def check_stamp(obj: Any, version: str | None) -> None:
    """Optimistic locking: refuse a change made from a stale copy (`version` None: not checked)."""
    if version is not None and version != stamp(obj):
        raise DomainError(
            "Dữ liệu đã được người khác cập nhật trong lúc bạn đang sửa. Hãy tải lại trang và thực hiện lại.",
            field="version",
        )


def refuse_fields(changes: dict[str, Any], fields: set[str], service: str) -> None:
    """Fields kept consistent by another service cannot be edited as plain fields."""
    refused = sorted(fields & set(changes))
    if refused:
        raise ValueError(f"{', '.join(refused)}: use {service}() to change these")


def diff(before: dict[str, Any], changes: dict[str, Any]) -> dict[str, list[str]]:
    """{field: [old, new]} of the fields that really change, as text (for the audit entry)."""
    return {k: [str(before[k]), str(v)] for k, v in changes.items() if before[k] != v}
