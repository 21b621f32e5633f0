"""Database maintenance for a large organisation (`thidua maintain`, docs/deploy.md): what PostgreSQL's
autovacuum does in its own time, done now, and the people laid out on disk in the order they are
searched and listed.

A model names the index whose order its rows should follow with a class attribute `physical_order`
(`org.Person`: Vietnamese order); `cluster` rewrites each such table in that order (PostgreSQL's
CLUSTER: the table is locked for the rewrite, about 12 s per million people on a 2-core machine).
Rows written afterwards go where there is room: run it again after large changes, in a quiet hour."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.db import connection


@dataclass
class MaintenanceReport:
    steps: list[tuple[str, float]] = field(default_factory=list)  # (what was done, seconds)


def clustered_models() -> list[tuple[str, str]]:
    """(table, index) of every model that names a `physical_order`."""
    found = []
    for model in apps.get_models():
        index = getattr(model, "physical_order", None)
        if isinstance(index, str):
            found.append((model._meta.db_table, index))
    return found


def maintain(*, cluster: bool = False, progress: Callable[[str], None] | None = None) -> MaintenanceReport:
    """VACUUM ANALYZE the database (PostgreSQL: also merges the GIN indexes' pending lists; SQLite:
    ANALYZE, then VACUUM), and with `cluster`, rewrite each `physical_order` table in that order first.
    Runs outside a transaction (VACUUM cannot run in one)."""
    report = MaintenanceReport()

    def step(label: str, sql: str) -> None:
        if progress is not None:
            progress(label)
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(sql)
        report.steps.append((label, time.perf_counter() - started))

    qn = connection.ops.quote_name
    if connection.vendor == "postgresql":
        if cluster:
            for table, index in clustered_models():
                step(f"Sắp xếp lại bảng {table} theo {index}", f"CLUSTER {qn(table)} USING {qn(index)}")
        step("Dọn và cập nhật thống kê (VACUUM ANALYZE)", "VACUUM ANALYZE")
    else:
        step("Cập nhật thống kê (ANALYZE)", "ANALYZE")
        step("Thu gọn tệp cơ sở dữ liệu (VACUUM)", "VACUUM")
    return report
