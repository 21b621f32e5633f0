"""Login throttling and API tokens."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from rest_framework.authtoken.models import Token

from thidua.accounts.models import LoginFailure, User
from thidua.audit.services import log

# Failures from one address, over every username it tried, after which that address is "noisy".
ADDRESS_FACTOR = 4


def _recent(ip_address: str | None) -> QuerySet[LoginFailure]:
    since = timezone.now() - timedelta(seconds=settings.LOGIN_LOCK_SECONDS)
    return LoginFailure.objects.filter(created_at__gte=since, ip_address=ip_address or None)


def is_login_locked(username: str, ip_address: str | None) -> bool:
    """True while this username may not sign in from this address (docs/settings.md, «Khóa đăng nhập»).

    Failures count per username AND address together: `LOGIN_MAX_FAILURES` wrong passwords for one
    account from one address lock that account at that address only; the right password from another
    address still works, so nobody can lock an officer out from elsewhere. An address with
    `ADDRESS_FACTOR` × that many failures (over any usernames) is noisy: there, every username that has
    already failed once is locked too, while accounts that have not failed there (colleagues behind the
    same office gateway) still sign in. No rule locks all accounts of an address."""
    recent = _recent(ip_address)
    limit = settings.LOGIN_MAX_FAILURES
    own = recent.filter(username=username.lower()).count()
    if own >= limit:
        return True
    return own > 0 and recent.count() >= limit * ADDRESS_FACTOR


def record_login_failure(username: str, ip_address: str | None) -> None:
    """Count a wrong password (username folded to lower case, max 150 characters) and audit it."""
    name = username.lower()[:150]
    with transaction.atomic():
        LoginFailure.objects.create(username=name, ip_address=ip_address or None)
        log("account.login_failed", actor=None, detail={"username": name, "ip": ip_address})


def clear_login_failures(username: str, ip_address: str | None) -> None:
    """A successful sign-in forgets the failures of that username at that address."""
    LoginFailure.objects.filter(username=username.lower(), ip_address=ip_address or None).delete()


def get_api_token(user: Any) -> Token | None:
    return Token.objects.filter(user=user).first()


@transaction.atomic
def regenerate_api_token(*, actor: User | None, user: User) -> Token:
    """Give `user` a new API token; any previous one stops working. Logs the event, never the key.
    A user renews their own key; a system administrator or the `token` command (`actor` None) any."""
    if actor is not None and actor.pk != user.pk and not (actor.is_active and actor.is_superuser):
        raise PermissionDenied("Chỉ chủ tài khoản hoặc quản trị hệ thống được tạo khóa API")
    existed = Token.objects.filter(user=user).delete()[0] > 0
    token = Token.objects.create(user=user)
    log(
        "account.token_regenerated" if existed else "account.token_created",
        actor=actor,
        obj=user,
        detail={"username": user.get_username()},
    )
    return token
