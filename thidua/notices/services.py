"""Sending notices: to the officers of a unit or to chosen logins; mail after the transaction commits.

Apps above (`movements`, `awards`) call `notify_unit` / `notify_users` inside their own services. The
notice rows are written in the caller's transaction (rolled back with it); the mail goes out only
once that transaction commits (`transaction.on_commit`), with absolute links (`THIDUA_SITE_URL`).
A failing mail server never undoes the change that caused the notice.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from thidua.accounts.models import User
from thidua.core.errors import DomainError
from thidua.notices.models import Notice
from thidua.org.models import Membership, Role, Unit

logger = logging.getLogger(__name__)
OFFICER_ROLES = (Role.ADMIN, Role.OFFICER)


def absolute_url(path: str) -> str:
    """The site's address before a path of this site (`THIDUA_SITE_URL`)."""
    if not path or path.startswith(("http://", "https://")):
        return path
    return f"{settings.SITE_URL.rstrip('/')}/{path.lstrip('/')}"


def unit_officers(units: Iterable[Unit]) -> list[User]:
    """Active logins holding an officer or admin role on one of `units` itself (not above it)."""
    ids = [u.pk for u in units]
    user_ids = Membership.objects.filter(unit_id__in=ids, role__in=OFFICER_ROLES).values("user_id")
    return list(User.objects.filter(pk__in=user_ids, is_active=True).order_by("pk"))


def _mail(notice_ids: list[int]) -> None:
    for notice in Notice.objects.filter(pk__in=notice_ids, mailed=False).select_related("recipient"):
        address = notice.recipient.email
        if not address:
            continue
        link = absolute_url(notice.url)
        body = "\n\n".join(
            part for part in (notice.title, notice.body, f"Xem: {link}" if link else "") if part
        )
        try:
            send_mail(f"[ThiĐua] {notice.title[:150]}", body, settings.DEFAULT_FROM_EMAIL, [address])
        except Exception:  # a mail server's failure must not break the page that caused the notice
            logger.exception("Không gửi được thư thông báo %s", notice.pk)
            continue
        Notice.objects.filter(pk=notice.pk).update(mailed=True)


def notify_users(
    users: Iterable[User],
    *,
    kind: str,
    title: str,
    url: str = "",
    body: str = "",
    key: str = "",
    mail: bool = True,
) -> list[Notice]:
    """Write one notice per login (once per `key` when given) and mail them after the commit (unless
    `mail` is off: the caller mails in its own way)."""
    created: list[Notice] = []
    for user in {u.pk: u for u in users}.values():
        if key and Notice.objects.filter(recipient=user, key=key).exists():
            continue
        try:
            with transaction.atomic():
                created.append(
                    Notice.objects.create(
                        recipient=user, kind=kind, title=title[:300], body=body, url=url[:300], key=key[:200]
                    )
                )
        except IntegrityError:  # the same key written meanwhile by another run
            continue
    ids = [n.pk for n in created]
    if ids and mail:
        transaction.on_commit(lambda: _mail(ids))
    return created


def notify_unit(
    units: Unit | Iterable[Unit],
    *,
    kind: str,
    title: str,
    url: str = "",
    body: str = "",
    key: str = "",
    mail: bool = True,
) -> list[Notice]:
    """Notify the officers of a unit (or of several units)."""
    group = [units] if isinstance(units, Unit) else list(units)
    return notify_users(unit_officers(group), kind=kind, title=title, url=url, body=body, key=key, mail=mail)


def unread_count(user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notice.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(*, actor: User, notice: Notice | None = None, all_notices: bool = False) -> int:
    """Mark one of the actor's own notices (or all of them) read. Nobody marks another's notices."""
    qs = Notice.objects.filter(recipient=actor, read_at__isnull=True)
    if notice is not None:
        if notice.recipient_id != actor.pk:
            raise DomainError("Không tìm thấy thông báo")
        qs = qs.filter(pk=notice.pk)
    elif not all_notices:
        return 0
    return qs.update(read_at=timezone.now())
