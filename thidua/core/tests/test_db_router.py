"""The read router: which reads go to the replica, and (opt-in) a real PostgreSQL streaming replica.

The real-replica test runs only on PostgreSQL with THIDUA_TEST_REPLICA=host:port naming a streaming
standby of the test server (bench/replica_setup.sh starts one on 127.0.0.1:5433); otherwise it is
reported as skipped with that reason, never passed silently.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import resolve

from thidua.core import db_router
from thidua.core.db_router import REPLICA, ReplicaReadsMiddleware, ReplicaRouter, read_alias, replica_reads


@pytest.fixture
def with_replica(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(db_router, "replica_configured", lambda: True)


def test_without_a_replica_everything_reads_from_the_primary() -> None:
    assert not db_router.replica_configured()
    with replica_reads():
        assert read_alias() == DEFAULT_DB_ALIAS
        assert ReplicaRouter().db_for_read(object) is None


@pytest.mark.django_db(transaction=True)
def test_marked_reads_go_to_the_replica_unless_in_a_transaction_or_after_a_write(with_replica: None) -> None:
    router = ReplicaRouter()
    assert read_alias() == DEFAULT_DB_ALIAS  # not marked
    with replica_reads():
        assert router.db_for_read(object) == REPLICA
        with transaction.atomic():
            assert router.db_for_read(object) is None  # with the writes around it
        assert router.db_for_read(object) == REPLICA
        assert router.db_for_write(object) == DEFAULT_DB_ALIAS
        assert router.db_for_read(object) is None  # read your own writes
    with replica_reads():
        assert router.db_for_read(object) == REPLICA  # a new block starts clean
    assert router.allow_migrate(REPLICA, "org") is False
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "org") is True


def _marked_during(method: str, path: str) -> str:
    seen: list[str] = []
    request = getattr(RequestFactory(), method.lower())(path)
    request.resolver_match = resolve(path)

    def view(_request: Any) -> HttpResponse:
        seen.append(read_alias())
        return HttpResponse()

    middleware = ReplicaReadsMiddleware(view)
    middleware.process_view(request, request.resolver_match.func, (), {})
    middleware(request)
    assert read_alias() == DEFAULT_DB_ALIAS  # unmarked once the request is done
    return seen[0]


def test_the_middleware_marks_get_requests_of_lists_reports_and_public_pages(with_replica: None) -> None:
    assert _marked_during("GET", "/to-chuc/nhan-su/") == REPLICA  # org:person_list
    assert _marked_during("HEAD", "/to-chuc/nhan-su/") == REPLICA
    assert _marked_during("POST", "/to-chuc/nhan-su/") == DEFAULT_DB_ALIAS
    assert _marked_during("GET", "/to-chuc/nhan-su/moi/") == DEFAULT_DB_ALIAS  # a form that writes next
    assert _marked_during("GET", "/bao-cao/") == REPLICA  # reports:*


def test_a_view_can_mark_itself() -> None:
    @db_router.reads_from_replica
    def view() -> None:
        return None

    assert view.reads_from_replica  # type: ignore[attr-defined]


REPLICA_ADDRESS = os.environ.get("THIDUA_TEST_REPLICA", "")


@pytest.fixture
def real_replica(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The `replica` alias connected to the standby, for this test only (a connection made here, as
    Django's test case allows for connections it did not set up; the router told it exists)."""
    if connection.vendor != "postgresql" or not REPLICA_ADDRESS:
        pytest.skip(
            "did not run: needs PostgreSQL and THIDUA_TEST_REPLICA=host:port of a streaming replica "
            "(bench/replica_setup.sh start)"
        )
    host, _, port = REPLICA_ADDRESS.partition(":")
    settings_dict = dict(connections[DEFAULT_DB_ALIAS].settings_dict)  # the test database's name
    settings_dict.update(HOST=host, PORT=port or "5432")
    connections[REPLICA] = connections[DEFAULT_DB_ALIAS].__class__(settings_dict, REPLICA)
    monkeypatch.setattr(db_router, "replica_configured", lambda: True)
    try:
        yield
    finally:
        connections[REPLICA].close()
        del connections[REPLICA]


def _wait_on_replica(code: str) -> float:
    from thidua.org.models import Unit

    started = time.monotonic()
    while not Unit.objects.using(REPLICA).filter(code=code).exists():
        if time.monotonic() - started > 30:
            raise AssertionError(f"the replica did not receive unit {code} in 30 s")
        time.sleep(0.02)
    return time.monotonic() - started


@pytest.mark.django_db(transaction=True)
def test_reads_go_to_a_real_streaming_replica(real_replica: None, client_for, personas, org) -> None:  # type: ignore[no-untyped-def]
    from thidua.org import services
    from thidua.org.models import Unit

    with connections[REPLICA].cursor() as cursor:
        cursor.execute("select pg_is_in_recovery()")
        assert cursor.fetchone() == (True,)  # a standby, not the primary under another name
    unit = services.create_unit(actor=None, code="REPLICA-1", name="Đơn vị thử bản sao", parent=org.root)
    lag = _wait_on_replica(unit.code)
    print(f"replica caught up in {lag * 1000:.0f} ms")
    with replica_reads():
        assert Unit.objects.get(code="REPLICA-1")._state.db == REPLICA
        with transaction.atomic():
            assert Unit.objects.get(code="REPLICA-1")._state.db == DEFAULT_DB_ALIAS
    # A page in REPLICA_READ_VIEWS reads there; a form page does not.
    client = client_for(personas.admin)
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        assert client.get("/to-chuc/nhan-su/").status_code == 200
    assert len(on_replica) > 0
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        assert client.get("/to-chuc/nhan-su/moi/").status_code == 200
    assert len(on_replica) == 0
    # The replica refuses writes: nothing can be written there by mistake.
    with pytest.raises(Exception, match="read-only"), connections[REPLICA].cursor() as cursor:
        cursor.execute("update org_unit set name = 'x' where code = 'REPLICA-1'")
