"""Scoring tables: validated by the scoring module, stored per movement, year and cluster."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml
from django.db import transaction

from thidua.accounts.models import User
from thidua.audit.services import log
from thidua.core.errors import DomainError
from thidua.core.versioning import bump, check_version, current_version
from thidua.lib.text import excerpt, load_untrusted_yaml
from thidua.movements import scoring, scoring_xlsx
from thidua.movements.models import (
    Movement,
    ScoringTable,
)
from thidua.movements.services.common import (
    check_manager,
    json_safe,
    scoring_domain_error,
)
from thidua.org.models import Cluster, ClusterMember, Unit

# -- scoring tables -----------------------------------------------------------------------------
TABLE = "Bảng chấm điểm"


@transaction.atomic
def save_scoring_table(
    *,
    actor: User | None,
    movement: Movement,
    year: int,
    data: Mapping[str, Any],
    cluster: Cluster | None = None,
    title: str = "",
    version: int | None = None,
    require_version: bool = False,
) -> ScoringTable:
    """Validate `data` with the scoring module's loader and store it (replacing the table in place).

    `version` is the version of the table the caller meant to replace (0: none for that year and
    cluster); a table created or changed meanwhile is refused (`thidua.core.versioning`)."""
    check_manager(actor, movement)
    if movement.status == Movement.Status.CLOSED:
        raise DomainError("Phong trào đã kết thúc, không sửa bảng chấm điểm được")
    if cluster is not None and cluster.year != year:
        raise DomainError(
            f"{cluster.name} là cụm của năm {cluster.year}, không phải năm {year}", field="cluster"
        )
    if not isinstance(data, Mapping):
        raise DomainError("Nội dung bảng chấm điểm phải là một bảng (mapping) YAML/JSON", field="data")
    try:
        table = scoring.load_table(json_safe(data))
    except scoring.TableError as exc:
        raise scoring_domain_error(exc, field="data") from exc
    plain = json_safe(scoring.table_to_dict(table))
    title = title.strip() or str(table.meta.get("title") or f"Bảng chấm điểm năm {year}")
    existing = (
        ScoringTable.objects.select_for_update().filter(movement=movement, year=year, cluster=cluster).first()
    )
    if existing is not None and version == 0:
        where = f", {cluster.name}" if cluster is not None else " (mọi cụm, khối)"
        raise DomainError(
            f"Đã có bảng chấm điểm năm {year}{where}: «{existing.title}». Mở bảng đó và chọn «Thay bảng "
            "này» để thay (tránh ghi đè bảng người khác vừa lưu).",
            field="version",
        )
    check_version(current_version(existing), version, what=TABLE, required=require_version)
    if existing is None:
        record = ScoringTable.objects.create(
            movement=movement, year=year, cluster=cluster, data=plain, title=title[:300]
        )
        created = True
    else:
        record, created = existing, False
        record.data, record.title = plain, title[:300]
        bump(record)
        record.save()
    log(
        "scoring_table.saved",
        actor=actor,
        obj=record,
        unit_path=movement.scope_path,
        detail={
            "movement": movement.pk,
            "year": year,
            "cluster": cluster.name if cluster else None,
            "created": created,
            "criteria": len(table.leaves()),
        },
    )
    return record


@transaction.atomic
def copy_scoring_table(*, actor: User | None, source: ScoringTable, year: int) -> ScoringTable:
    """Copy a table to another year (same criteria; the scoring module shifts the period and calendar)."""
    check_manager(actor, source.movement)
    if year == source.year:
        raise DomainError("Chọn một năm khác năm của bảng gốc", field="year")
    if year not in source.movement.years():
        raise DomainError(
            f"Năm {year} nằm ngoài thời gian của phong trào ({source.movement.years_label})", field="year"
        )
    cluster: Cluster | None = None
    if source.cluster is not None:
        cluster = Cluster.objects.filter(
            organiser_unit=source.cluster.organiser_unit, name=source.cluster.name, year=year
        ).first()
        if cluster is None:
            raise DomainError(f"Chưa có {source.cluster.name} của năm {year}", field="year")
    table = scoring.copy_table(load_table_record(source), period=year)
    record = save_scoring_table(
        actor=actor, movement=source.movement, year=year, data=scoring.table_to_dict(table), cluster=cluster
    )
    log(
        "scoring_table.copied",
        actor=actor,
        obj=record,
        unit_path=source.movement.scope_path,
        detail={"from": source.pk, "from_year": source.year, "to_year": year},
    )
    return record


_TABLE_CACHE: dict[tuple[int, str], scoring.ScoringTable] = {}


def load_table_record(record: ScoringTable) -> scoring.ScoringTable:
    """The stored table as the scoring module's object, cached per row version (tables are read often)."""
    key = (record.pk, record.updated_at.isoformat() if record.updated_at else "")
    table = _TABLE_CACHE.get(key)
    if table is None:
        if len(_TABLE_CACHE) > 64:
            _TABLE_CACHE.clear()
        table = _TABLE_CACHE[key] = scoring.load_table(record.data)
    return table


def cluster_of(unit: Unit, year: int) -> Cluster | None:
    """The unit's cụm/khối of `year` (the first by name when it belongs to several)."""
    member = (
        ClusterMember.objects.filter(unit=unit, cluster__year=year)
        .select_related("cluster")
        .order_by("cluster__name")
        .first()
    )
    return member.cluster if member else None


def table_for(movement: Movement, year: int, cluster: Cluster | None) -> ScoringTable | None:
    """The cluster's own table for the year, else the movement's table for every cluster."""
    tables = ScoringTable.objects.filter(movement=movement, year=year)
    if cluster is not None:
        own = tables.filter(cluster=cluster).first()
        if own is not None:
            return own
    return tables.filter(cluster__isnull=True).first()


def require_table(movement: Movement, unit: Unit, year: int) -> ScoringTable:
    record = table_for(movement, year, cluster_of(unit, year))
    if record is None:
        raise DomainError(f"Phong trào chưa có bảng chấm điểm năm {year}")
    return record


def parse_table_file(name: str, content: bytes) -> Any:
    """YAML/JSON text or an .xlsx workbook in the scoring module's layout, as plain table data."""
    if name.lower().endswith(".xlsx"):
        try:
            return scoring.table_to_dict(scoring_xlsx.table_from_xlsx(content))
        except scoring.TableError as exc:
            raise scoring_domain_error(exc, field="file") from exc
    try:
        return load_untrusted_yaml(content.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise DomainError("Không đọc được nội dung: tệp phải là văn bản UTF-8", field="file") from exc
    except yaml.YAMLError as exc:
        raise DomainError(f"Không đọc được nội dung YAML: {excerpt(exc, 300)}", field="file") from exc
    except ValueError as exc:
        raise DomainError(f"Không đọc được nội dung YAML: {exc}", field="file") from exc
