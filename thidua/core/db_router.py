"""Reads from a PostgreSQL read replica, when one is configured (THIDUA_DATABASE_REPLICA_URL).

The replica is the `replica` database alias (a streaming standby: read-only, a fraction of a second
behind). Nothing reads from it unless the code asks: the GET and HEAD requests of the views named in
settings.REPLICA_READ_VIEWS (the lists, reports and public pages, whose answers may be a moment old)
or marked `@reads_from_replica` (`ReplicaReadsMiddleware`), and any block of code in
`with replica_reads():`. Inside such a block `ReplicaRouter` sends a read to the replica unless

- the primary is in a transaction (`atomic`): the read belongs with the writes around it;
- something was written earlier in the block (read your own writes: the rest goes to the primary).

Writes always go to the primary; migrations run only there. Without a replica alias the router
answers nothing and Django uses `default`, so development, the tests and a single server are
unchanged.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"

P = ParamSpec("P")
R = TypeVar("R")


@dataclass
class _Reads:
    wrote: bool = False


_marked: contextvars.ContextVar[_Reads | None] = contextvars.ContextVar("thidua_replica_reads", default=None)


def replica_configured() -> bool:
    return REPLICA in connections.settings


@contextmanager
def replica_reads() -> Iterator[None]:
    """Reads inside the block may go to the replica (see the module's rules)."""
    token = _marked.set(_Reads())
    try:
        yield
    finally:
        _marked.reset(token)


def reads_from_replica(view: Callable[P, R]) -> Callable[P, R]:
    """A view whose reads may go to the replica (a list, a report, a public page): its GET and HEAD
    requests, through `ReplicaReadsMiddleware`."""
    view.reads_from_replica = True  # type: ignore[attr-defined]
    return view


def _marked_view(request: HttpRequest, view: Any) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if getattr(view, "reads_from_replica", False):
        return True
    match = request.resolver_match
    if match is None:
        return False
    names: list[str] = list(getattr(settings, "REPLICA_READ_VIEWS", []))
    return match.view_name in names or any(f"{ns}:*" in names for ns in match.namespaces)


class ReplicaReadsMiddleware:
    """Marks the reads of the views named in settings.REPLICA_READ_VIEWS ("app:name", or "app:*" for a
    whole namespace) or decorated `@reads_from_replica`, for their GET and HEAD requests."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            return self.get_response(request)
        finally:
            token = getattr(request, "_replica_token", None)
            if token is not None:
                _marked.reset(token)

    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: Any) -> None:
        if replica_configured() and _marked_view(request, view):
            request._replica_token = _marked.set(_Reads())  # type: ignore[attr-defined]


def read_alias() -> str:
    """Where a read made now goes: `replica` or `default`."""
    state = _marked.get()
    if state is None or state.wrote or not replica_configured():
        return DEFAULT_DB_ALIAS
    if connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return DEFAULT_DB_ALIAS
    return REPLICA


class ReplicaRouter:
    """Django database router (settings.DATABASE_ROUTERS)."""

    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        alias = read_alias()
        return alias if alias == REPLICA else None

    def db_for_write(self, model: type[Any], **hints: Any) -> str:
        state = _marked.get()
        if state is not None:
            state.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return (
            True  # the same data on both: a row read from the replica may be linked to one from the primary
        )

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db != REPLICA
