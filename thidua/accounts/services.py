"""Login throttling and API tokens."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from thidua.accounts.models import LoginFailure, User
from thidua.audit.services import log


def is_login_locked(username: str, ip_address: str | None) -> bool:
    """True when too many recent failures came for this username, or from this address."""
    since = timezone.now() - timedelta(seconds=settings.LOGIN_LOCK_SECONDS)
    recent = LoginFailure.objects.filter(created_at__gte=since)
    limit = settings.LOGIN_MAX_FAILURES
    by_user = recent.filter(username=username.lower()).count() >= limit
    by_ip = bool(ip_address) and recent.filter(ip_address=ip_address).count() >= limit * 4
    return by_user or by_ip


def record_login_failure(username: str, ip_address: str | None) -> None:
    with transaction.atomic():
        LoginFailure.objects.create(username=username.lower(), ip_address=ip_address or None)
        log("account.login_failed", actor=None, detail={"username": username, "ip": ip_address})


def clear_login_failures(username: str) -> None:
    LoginFailure.objects.filter(username=username.lower()).delete()


def get_api_token(user: Any) -> Token | None:
    return Token.objects.filter(user=user).first()


@transaction.atomic
def regenerate_api_token(*, actor: Any, user: User) -> Token:
    """Give `user` a new API token; any previous one stops working. Logs the event, never the key."""
    existed = Token.objects.filter(user=user).delete()[0] > 0
    token = Token.objects.create(user=user)
    log(
        "account.token_regenerated" if existed else "account.token_created",
        actor=actor,
        obj=user,
        detail={"username": user.get_username()},
    )
    return token
