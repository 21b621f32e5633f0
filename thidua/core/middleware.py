"""Middleware of the whole site: the health check, request ids and access lines, security headers."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import patch_cache_control

from thidua.core.logging import REQUEST_ID

HEALTH_PATH = "/healthz"
# A request id handed in by the proxy (nginx's $request_id) is kept when it looks like one.
_INCOMING_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

access_log = logging.getLogger("thidua.access")
health_log = logging.getLogger("thidua.health")

Handler = Callable[[HttpRequest], HttpResponse]


def database_answers() -> bool:
    """True when the database runs a trivial query."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        health_log.exception("Cơ sở dữ liệu không trả lời kiểm tra sức khỏe")
        return False
    return True


class HealthCheckMiddleware:
    """`GET /healthz`: 200 when the database answers, 503 when not. First in the chain: no host check,
    no HTTPS redirect, no session, no login (load balancers and systemd call it on 127.0.0.1)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.rstrip("/") != HEALTH_PATH:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return JsonResponse({"status": "error", "message": "Chỉ hỗ trợ GET"}, status=405)
        if database_answers():
            response = JsonResponse({"status": "ok", "database": "ok"})
        else:
            response = JsonResponse(
                {"status": "error", "database": "Không kết nối được cơ sở dữ liệu"}, status=503
            )
        response["Cache-Control"] = "no-store"
        return response


class RequestIdMiddleware:
    """Gives each request an id (the proxy's X-Request-ID when sane, else a new one), makes it part of
    every log line of the request, returns it in `X-Request-ID`, and logs one access line."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if _INCOMING_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = REQUEST_ID.set(request_id)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            user = getattr(request, "user", None)
            # The path only: a query string may hold a citizen id someone searched for.
            access_log.info(
                "%s %s %s %dms user=%s",
                request.method,
                request.path,
                response.status_code,
                (time.monotonic() - started) * 1000,
                user.pk if user is not None and user.is_authenticated else "-",
            )
            return response
        finally:
            REQUEST_ID.reset(token)


class SecurityHeadersMiddleware:
    """Content-Security-Policy on every answer; `Cache-Control: no-store` on what a signed-in user sees
    and on the API (people's records, citizen ids: no copy in a shared browser's or proxy's cache)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = settings.CONTENT_SECURITY_POLICY
        user = getattr(request, "user", None)
        personal = (user is not None and user.is_authenticated) or request.path.startswith("/api/")
        if personal and "no-store" not in response.get("Cache-Control", ""):
            patch_cache_control(response, no_store=True, private=True)
        return response


class PublishWritesMiddleware:
    """After a request that may have written (POST, PUT, PATCH, DELETE), has PostgreSQL publish its
    session's write counters before the answer leaves, so that the user's next page, on whichever
    worker, sees their own write in the figures kept by those counters (`thidua.core.db.cached_rows`:
    the home dashboard's units to rate, its head counts). Left alone, PostgreSQL publishes them
    within a second, or up to about ten when it published less than a second before: the user
    rated a unit and the dashboard still counted it among the units to rate.

    `pg_stat_force_next_flush()` (PostgreSQL 15 and later) flushes at the end of this statement, the
    view's transactions being over; nothing is done on SQLite (its figures are counted on every
    call), on an older server, or when the request never opened the database."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method not in ("GET", "HEAD", "OPTIONS") and publishes_writes():
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_stat_force_next_flush()")
            except DatabaseError:  # the answer stands; the figures catch up within seconds
                health_log.warning("Không đẩy được số đếm ghi của PostgreSQL", exc_info=True)
        return response


def publishes_writes() -> bool:
    """Whether this request's database session can publish its write counters on demand."""
    return (
        connection.vendor == "postgresql"
        and connection.connection is not None
        and connection.pg_version >= 150000  # type: ignore[attr-defined]
        and not connection.in_atomic_block
    )
