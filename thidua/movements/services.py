"""State changes of movements. Each function: one transaction, an audit entry, DomainError if refused.

Scores and rankings are computed by the pure module `thidua.movements.scoring`; this module only
feeds it stored figures and tables and stores what it returns.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone

from thidua.audit.services import log
from thidua.core.errors import DomainError
from thidua.movements import scoring
from thidua.movements.models import (
    Evidence,
    Milestone,
    Movement,
    MovementDocument,
    MovementLead,
    Participation,
    Period,
    Ranking,
    RankingEntry,
    Registration,
    Result,
    ScoringTable,
    participating_units,
    period_label,
)
from thidua.movements.validators import normalise_number_symbol, validate_number_symbol
from thidua.org.models import Cluster, ClusterMember, Unit

# Titles a unit may register for itself (tập thể) or for its people (cá nhân): ids of rules.yaml.
COLLECTIVE_TITLES: dict[str, str] = {
    "tap_the_lao_dong_tien_tien": "Tập thể lao động tiên tiến",
    "tap_the_lao_dong_xuat_sac": "Tập thể lao động xuất sắc",
    "co_thi_dua_bo_tinh": "Cờ thi đua của bộ, ban, ngành, tỉnh",
    "co_thi_dua_chinh_phu": "Cờ thi đua của Chính phủ",
    "giay_khen": "Giấy khen",
    "bang_khen_bo_tinh": "Bằng khen của bộ, ban, ngành, tỉnh",
    "bang_khen_thu_tuong": "Bằng khen của Thủ tướng Chính phủ",
}
INDIVIDUAL_TITLES: dict[str, str] = {
    "lao_dong_tien_tien": "Lao động tiên tiến",
    "chien_si_thi_dua_co_so": "Chiến sĩ thi đua cơ sở",
    "chien_si_thi_dua_bo_tinh": "Chiến sĩ thi đua bộ, ban, ngành, tỉnh",
    "chien_si_thi_dua_toan_quoc": "Chiến sĩ thi đua toàn quốc",
    "giay_khen": "Giấy khen",
    "bang_khen_bo_tinh": "Bằng khen của bộ, ban, ngành, tỉnh",
    "bang_khen_thu_tuong": "Bằng khen của Thủ tướng Chính phủ",
}
TITLE_LABELS = {**INDIVIDUAL_TITLES, **COLLECTIVE_TITLES}


def _status_label(model: type[Movement] | type[Registration] | type[Result], status: str) -> str:
    return str(model.Status(status).label)


def _refuse_transition(model: Any, current: str, target: str) -> DomainError:
    return DomainError(
        f"Không thể chuyển từ trạng thái «{_status_label(model, current)}» "
        f"sang «{_status_label(model, target)}»"
    )


def json_safe(data: Any) -> Any:
    """Plain JSON data (dates from YAML become ISO strings, Decimals numbers)."""

    def default(value: Any) -> Any:
        if isinstance(value, Decimal):
            return float(value) if value != value.to_integral_value() else int(value)
        if isinstance(value, date):
            return value.isoformat()
        return str(value)

    return json.loads(json.dumps(data, default=default, ensure_ascii=False))


def scoring_domain_error(exc: scoring.ScoringError, *, field: str | None = None) -> DomainError:
    lines = "; ".join(str(issue) for issue in exc.issues[:20])
    more = f" (và {len(exc.issues) - 20} lỗi khác)" if len(exc.issues) > 20 else ""
    return DomainError(f"{exc.title}: {lines}{more}", field=field)


# -- movements ----------------------------------------------------------------------------------
def _check_movement_fields(
    *,
    kind: str,
    authority: str,
    launching_unit: Unit | None,
    authority_name: str,
    start_year: int,
    end_year: int | None,
    theme: str,
    parent: Movement | None,
) -> None:
    if authority == Movement.Authority.THU_TUONG and launching_unit is not None:
        raise DomainError(
            "Phong trào do Thủ tướng Chính phủ phát động không gắn với đơn vị trong cây tổ chức",
            field="launching_unit",
        )
    if authority != Movement.Authority.THU_TUONG and launching_unit is None and not authority_name.strip():
        raise DomainError(
            "Cần chọn đơn vị phát động hoặc ghi tên người, cơ quan phát động", field="launching_unit"
        )
    if end_year is not None and end_year < start_year:
        raise DomainError("Năm kết thúc phải từ năm bắt đầu trở đi", field="end_year")
    if kind == Movement.Kind.THEMATIC and not theme.strip():
        raise DomainError("Phong trào thi đua theo chuyên đề phải có chủ đề, mục tiêu", field="theme")
    if kind == Movement.Kind.REGULAR and end_year is not None and end_year != start_year:
        raise DomainError("Phong trào thi đua thường xuyên được tổ chức theo từng năm", field="end_year")
    if parent is not None and parent.status == Movement.Status.DRAFT:
        raise DomainError("Không thể thực hiện một phong trào cấp trên còn ở dạng dự thảo", field="parent")


@transaction.atomic
def create_movement(
    *,
    actor: Any,
    title: str,
    kind: str,
    authority: str,
    start_year: int,
    launching_unit: Unit | None = None,
    authority_name: str = "",
    parent: Movement | None = None,
    end_year: int | None = None,
    theme: str = "",
    political_tasks: str = "",
    starts_on: date | None = None,
    ends_on: date | None = None,
) -> Movement:
    """Create a draft movement. Checks the authority, the years and that a thematic one has a theme."""
    title = " ".join(title.split())
    if not title:
        raise DomainError("Tên phong trào không được để trống", field="title")
    if kind == Movement.Kind.REGULAR and end_year is None:
        end_year = start_year
    _check_movement_fields(
        kind=kind,
        authority=authority,
        launching_unit=launching_unit,
        authority_name=authority_name,
        start_year=start_year,
        end_year=end_year,
        theme=theme,
        parent=parent,
    )
    movement = Movement.objects.create(
        title=title,
        kind=kind,
        authority=authority,
        launching_unit=launching_unit,
        authority_name=authority_name.strip(),
        parent=parent,
        start_year=start_year,
        end_year=end_year,
        theme=theme.strip(),
        political_tasks=political_tasks.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
    )
    log(
        "movement.created",
        actor=actor,
        obj=movement,
        unit_path=movement.scope_path,
        detail={"kind": kind, "authority": authority, "years": movement.years_label},
    )
    return movement


@transaction.atomic
def update_movement(*, actor: Any, movement: Movement, **changes: Any) -> Movement:
    """Edit the description of a movement that is not closed."""
    if movement.status == Movement.Status.CLOSED:
        raise DomainError("Phong trào đã kết thúc, không sửa được")
    before = {key: getattr(movement, key) for key in changes}
    for key, value in changes.items():
        setattr(movement, key, value)
    _check_movement_fields(
        kind=movement.kind,
        authority=movement.authority,
        launching_unit=movement.launching_unit,
        authority_name=movement.authority_name,
        start_year=movement.start_year,
        end_year=movement.end_year,
        theme=movement.theme,
        parent=movement.parent,
    )
    if movement.parent_id is not None and movement.parent_id == movement.pk:
        raise DomainError("Phong trào không thể thực hiện chính nó", field="parent")
    movement.save()
    diff = {k: [str(before[k]), str(v)] for k, v in changes.items() if before[k] != v}
    log(
        "movement.updated", actor=actor, obj=movement, unit_path=movement.scope_path, detail={"changes": diff}
    )
    return movement


@transaction.atomic
def add_movement_document(
    *,
    actor: Any,
    movement: Movement,
    kind: str,
    issued_on: date,
    summary: str,
    number_symbol: str = "",
    issuer: str = "",
    signer: str = "",
    file: File[Any] | None = None,
) -> MovementDocument:
    """Attach a document (launching decision, plan, guidance letter, report); validates số, ký hiệu."""
    number_symbol = normalise_number_symbol(number_symbol)
    if number_symbol:
        try:
            validate_number_symbol(number_symbol)
        except ValidationError as exc:
            raise DomainError(exc.messages[0], field="number_symbol") from exc
        if movement.documents.filter(number_symbol=number_symbol, issued_on__year=issued_on.year).exists():
            raise DomainError(f"Văn bản số {number_symbol} đã có trong phong trào", field="number_symbol")
    if not summary.strip():
        raise DomainError("Cần ghi trích yếu văn bản", field="summary")
    document = MovementDocument(
        movement=movement,
        kind=kind,
        number_symbol=number_symbol,
        issued_on=issued_on,
        issuer=issuer.strip(),
        signer=signer.strip(),
        summary=summary.strip(),
    )
    if file is not None:
        document.file.save(file.name or "van-ban", file, save=False)
    document.save()
    log(
        "movement.document_added",
        actor=actor,
        obj=movement,
        unit_path=movement.scope_path,
        detail={"document": str(document), "kind": kind, "summary": document.summary},
    )
    return document


@transaction.atomic
def add_milestone(*, actor: Any, movement: Movement, kind: str, due_on: date, name: str = "") -> Milestone:
    """Add a dated step (registration deadline, self-assessment, cluster review, summary)."""
    if movement.status == Movement.Status.CLOSED:
        raise DomainError("Phong trào đã kết thúc, không thêm mốc thời gian được")
    milestone = Milestone.objects.create(movement=movement, kind=kind, due_on=due_on, name=name.strip())
    log(
        "movement.milestone_added",
        actor=actor,
        obj=movement,
        unit_path=movement.scope_path,
        detail={"milestone": str(milestone)},
    )
    return milestone


@transaction.atomic
def add_participants(
    *,
    actor: Any,
    movement: Movement,
    units: Iterable[Unit],
    include_subtree: bool = False,
    unit_kind: str = "",
) -> list[Participation]:
    """Add participating units (each alone, or with its subtree, optionally only units of one kind)."""
    if movement.status == Movement.Status.CLOSED:
        raise DomainError("Phong trào đã kết thúc, không thêm đơn vị tham gia được")
    added = []
    for unit in units:
        if unit.valid_to is not None:
            raise DomainError(f"Đơn vị «{unit}» đã ngừng hoạt động", field="units")
        part, _ = Participation.objects.update_or_create(
            movement=movement,
            unit=unit,
            defaults={"include_subtree": include_subtree, "unit_kind": unit_kind},
        )
        added.append(part)
    log(
        "movement.participants_added",
        actor=actor,
        obj=movement,
        unit_path=movement.scope_path,
        detail={
            "units": [p.unit.code for p in added],
            "include_subtree": include_subtree,
            "unit_kind": unit_kind,
        },
    )
    return added


def _transition(
    movement: Movement, target: str, action: str, *, actor: Any, detail: dict[str, Any] | None = None
) -> Movement:
    locked = Movement.objects.select_for_update().get(pk=movement.pk)
    if target not in Movement.TRANSITIONS[locked.status]:
        raise _refuse_transition(Movement, locked.status, target)
    before = locked.status
    movement.status = target
    fields = ["status", "updated_at"]
    if target == Movement.Status.LAUNCHED:
        movement.launched_on = movement.launched_on or timezone.localdate()
        fields.append("launched_on")
    if target == Movement.Status.CLOSED:
        movement.closed_on = movement.closed_on or timezone.localdate()
        fields.append("closed_on")
    movement.save(update_fields=fields)
    log(
        action,
        actor=actor,
        obj=movement,
        unit_path=movement.scope_path,
        detail={"from": before, "to": target, **(detail or {})},
    )
    return movement


@transaction.atomic
def launch_movement(*, actor: Any, movement: Movement, launched_on: date | None = None) -> Movement:
    """draft → launched. A movement of a unit needs its launching document (a decision, a plan, or the
    guidance letter implementing a higher movement) and its participants. A movement launched outside
    the organisation tree (Thủ tướng) is recorded for reference and may have no document here."""
    if movement.status == Movement.Status.DRAFT and movement.launching_unit_id:
        kinds = [MovementDocument.Kind.LAUNCH, MovementDocument.Kind.PLAN, MovementDocument.Kind.GUIDANCE]
        if not movement.documents.filter(kind__in=kinds).exists():
            raise DomainError(
                "Cần có văn bản phát động, kế hoạch hoặc văn bản hướng dẫn trước khi phát động phong trào"
            )
        if not movement.participations.exists():
            raise DomainError("Cần xác định đơn vị tham gia trước khi phát động phong trào")
    if launched_on is not None:
        movement.launched_on = launched_on
    return _transition(movement, Movement.Status.LAUNCHED, "movement.launched", actor=actor)


@transaction.atomic
def start_movement(*, actor: Any, movement: Movement) -> Movement:
    """launched → running: registrations are open and results come in."""
    return _transition(movement, Movement.Status.RUNNING, "movement.started", actor=actor)


@transaction.atomic
def open_movement_review(*, actor: Any, movement: Movement) -> Movement:
    """running → under_review: sơ kết/tổng kết, scoring and rankings are finalised."""
    return _transition(movement, Movement.Status.UNDER_REVIEW, "movement.review_opened", actor=actor)


@transaction.atomic
def reopen_movement(*, actor: Any, movement: Movement, reason: str) -> Movement:
    """under_review → running, with a reason."""
    if not reason.strip():
        raise DomainError("Cần ghi lý do mở lại phong trào", field="reason")
    return _transition(
        movement, Movement.Status.RUNNING, "movement.reopened", actor=actor, detail={"reason": reason.strip()}
    )


@transaction.atomic
def close_movement(*, actor: Any, movement: Movement, closed_on: date | None = None) -> Movement:
    """under_review → closed (on `closed_on`, default today). Refused while a ranking is still a draft."""
    if movement.rankings.filter(status=Ranking.Status.DRAFT).exists():
        raise DomainError("Còn bảng xếp hạng chưa công bố: công bố hoặc xóa trước khi kết thúc phong trào")
    movement.closed_on = closed_on
    return _transition(movement, Movement.Status.CLOSED, "movement.closed", actor=actor)


ACTIONS: dict[str, tuple[str, str]] = {
    # action name → (target status, button label)
    "launch": (Movement.Status.LAUNCHED, "Phát động"),
    "start": (Movement.Status.RUNNING, "Bắt đầu triển khai"),
    "review": (Movement.Status.UNDER_REVIEW, "Sơ kết, tổng kết"),
    "reopen": (Movement.Status.RUNNING, "Mở lại"),
    "close": (Movement.Status.CLOSED, "Kết thúc phong trào"),
}


def available_actions(movement: Movement) -> list[tuple[str, str]]:
    """The lifecycle buttons allowed by the current status (permissions are checked by the caller)."""
    allowed = Movement.TRANSITIONS[movement.status]
    out = []
    for name, (target, label) in ACTIONS.items():
        if target in allowed and not (name == "reopen" and movement.status != Movement.Status.UNDER_REVIEW):
            if name == "start" and movement.status == Movement.Status.UNDER_REVIEW:
                continue
            out.append((name, label))
    return out


def run_action(*, actor: Any, movement: Movement, action: str, reason: str = "") -> Movement:
    if action == "launch":
        return launch_movement(actor=actor, movement=movement)
    if action == "start":
        return start_movement(actor=actor, movement=movement)
    if action == "review":
        return open_movement_review(actor=actor, movement=movement)
    if action == "reopen":
        return reopen_movement(actor=actor, movement=movement, reason=reason)
    if action == "close":
        return close_movement(actor=actor, movement=movement)
    raise DomainError("Thao tác không hợp lệ")


@transaction.atomic
def record_movement_leads(
    *, actor: Any, movement: Movement, year: int, leaders: Sequence[tuple[Unit, int]]
) -> list[MovementLead]:
    """At the review of a thematic or ad-hoc movement, record the units that led it in `year`."""
    if movement.kind == Movement.Kind.REGULAR:
        raise DomainError(
            "Phong trào thường xuyên xếp hạng theo cụm, khối; chỉ ghi nhận đơn vị dẫn đầu "
            "cho phong trào chuyên đề, đột xuất"
        )
    if movement.status not in (Movement.Status.UNDER_REVIEW, Movement.Status.CLOSED):
        raise DomainError("Chỉ ghi nhận đơn vị dẫn đầu khi phong trào đang sơ kết, tổng kết")
    if year not in movement.years():
        raise DomainError(
            f"Năm {year} nằm ngoài thời gian của phong trào ({movement.years_label})", field="year"
        )
    MovementLead.objects.filter(movement=movement, year=year).delete()
    leads = [MovementLead.objects.create(movement=movement, unit=u, year=year, rank=r) for u, r in leaders]
    log(
        "movement.leads_recorded",
        actor=actor,
        obj=movement,
        unit_path=movement.scope_path,
        detail={"year": year, "leaders": [[u.code, r] for u, r in leaders]},
    )
    return leads


# -- scoring tables -----------------------------------------------------------------------------
@transaction.atomic
def save_scoring_table(
    *,
    actor: Any,
    movement: Movement,
    year: int,
    data: Mapping[str, Any],
    cluster: Cluster | None = None,
    title: str = "",
) -> ScoringTable:
    """Validate `data` with the scoring module's loader and store it (replacing the table in place)."""
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
    record, created = ScoringTable.objects.update_or_create(
        movement=movement, year=year, cluster=cluster, defaults={"data": plain, "title": title[:300]}
    )
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
def copy_scoring_table(*, actor: Any, source: ScoringTable, year: int) -> ScoringTable:
    """Copy a table to another year (same criteria; the scoring module shifts the period and calendar)."""
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


def _require_table(movement: Movement, unit: Unit, year: int) -> ScoringTable:
    record = table_for(movement, year, cluster_of(unit, year))
    if record is None:
        raise DomainError(f"Phong trào chưa có bảng chấm điểm năm {year}")
    return record


# -- registrations --------------------------------------------------------------------------------
def _check_participates(movement: Movement, unit: Unit) -> None:
    if not participating_units(movement).filter(pk=unit.pk).exists():
        raise DomainError(f"{unit} không thuộc danh sách đơn vị tham gia phong trào", field="unit")


def _check_open(movement: Movement) -> None:
    if movement.status not in (Movement.Status.LAUNCHED, Movement.Status.RUNNING):
        raise DomainError(
            f"Phong trào đang ở trạng thái «{movement.get_status_display()}», không nhận đăng ký, số liệu"
        )


def registration_deadline(movement: Movement, year: int) -> date | None:
    milestone = (
        movement.milestones.filter(kind=Milestone.Kind.REGISTRATION, due_on__year=year)
        .order_by("due_on")
        .first()
    )
    return milestone.due_on if milestone else None


def _clean_targets(movement: Movement, unit: Unit, year: int, targets: Mapping[str, Any]) -> dict[str, Any]:
    record = table_for(movement, year, cluster_of(unit, year))
    codes = {c.code for c in load_table_record(record).leaves()} if record else None
    clean: dict[str, Any] = {}
    problems = []
    for code, value in targets.items():
        code = str(code).strip()
        if codes is not None and code not in codes:
            problems.append(f"{code}: không có tiêu chí này trong bảng chấm điểm")
            continue
        number = scoring.to_decimal(value)
        if number is None or number < 0:
            problems.append(f"{code}: chỉ tiêu «{value}» phải là số không âm")
            continue
        clean[code] = json_safe(number)
    if problems:
        raise DomainError("Chỉ tiêu không hợp lệ: " + "; ".join(problems), field="targets")
    return clean


def _clean_titles(titles: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    clean = []
    problems = []
    for item in titles:
        award = str(item.get("award", "")).strip()
        subject = str(item.get("subject", "unit")).strip() or "unit"
        count = item.get("count", 1)
        allowed = COLLECTIVE_TITLES if subject == "unit" else INDIVIDUAL_TITLES
        if award not in allowed:
            who = "tập thể đơn vị" if subject == "unit" else "cá nhân"
            problems.append(f"«{award}» không phải danh hiệu, hình thức đăng ký cho {who}")
            continue
        if not isinstance(count, int) or count < 1:
            problems.append(f"{award}: số lượng phải là số nguyên dương")
            continue
        clean.append({"award": award, "subject": subject, "count": count})
    if problems:
        raise DomainError("Danh hiệu đăng ký không hợp lệ: " + "; ".join(problems), field="titles")
    return clean


@transaction.atomic
def save_registration(
    *,
    actor: Any,
    movement: Movement,
    unit: Unit,
    year: int,
    targets: Mapping[str, Any],
    titles: Sequence[Mapping[str, Any]],
    note: str = "",
) -> Registration:
    """Create or edit a unit's registration (while draft or returned). Targets are checked against the
    year's scoring table; titles against the collective/individual titles."""
    _check_open(movement)
    _check_participates(movement, unit)
    if year not in movement.years():
        raise DomainError(
            f"Năm {year} nằm ngoài thời gian của phong trào ({movement.years_label})", field="year"
        )
    registration, created = Registration.objects.select_for_update().get_or_create(
        movement=movement, unit=unit, year=year
    )
    if registration.status not in (Registration.Status.DRAFT, Registration.Status.RETURNED):
        raise DomainError(
            f"Bản đăng ký đang ở trạng thái «{registration.get_status_display()}», không sửa được"
        )
    registration.targets = _clean_targets(movement, unit, year, targets)
    registration.titles = _clean_titles(titles)
    registration.note = note.strip()
    registration.save()
    log(
        "registration.saved",
        actor=actor,
        obj=registration,
        unit_path=unit.path,
        detail={"created": created, "targets": len(registration.targets), "titles": registration.titles},
    )
    return registration


@transaction.atomic
def submit_registration(
    *, actor: Any, registration: Registration, submitted_on: datetime | None = None
) -> Registration:
    """draft | returned → submitted; marks it late after the registration deadline of the year.

    `submitted_on` records a paper registration entered after the fact (default: now).
    """
    locked = Registration.objects.select_for_update().get(pk=registration.pk)
    if locked.status not in (Registration.Status.DRAFT, Registration.Status.RETURNED):
        raise _refuse_transition(Registration, locked.status, Registration.Status.SUBMITTED)
    if not registration.targets and not registration.titles:
        raise DomainError("Bản đăng ký chưa có chỉ tiêu hoặc danh hiệu nào")
    deadline = registration_deadline(registration.movement, registration.year)
    now = submitted_on or timezone.now()
    registration.status = Registration.Status.SUBMITTED
    registration.submitted_on = now
    registration.late = deadline is not None and timezone.localdate(now) > deadline
    registration.save(update_fields=["status", "submitted_on", "late", "updated_at"])
    log(
        "registration.submitted",
        actor=actor,
        obj=registration,
        unit_path=registration.unit.path,
        detail={"late": registration.late, "deadline": deadline.isoformat() if deadline else None},
    )
    return registration


def _check_reviewer(actor: Any, unit: Unit, year: int) -> None:
    from thidua.movements.permissions import can_review_unit

    if actor is not None and not can_review_unit(actor, unit, year):
        raise DomainError(
            "Đơn vị không tự duyệt, thẩm định cho chính mình: việc này do cấp trên hoặc cụm thực hiện"
        )


@transaction.atomic
def return_registration(*, actor: Any, registration: Registration, reason: str) -> Registration:
    """submitted → returned, with the reason the unit must address."""
    if not reason.strip():
        raise DomainError("Cần ghi lý do trả lại", field="reason")
    _check_reviewer(actor, registration.unit, registration.year)
    locked = Registration.objects.select_for_update().get(pk=registration.pk)
    if locked.status != Registration.Status.SUBMITTED:
        raise _refuse_transition(Registration, locked.status, Registration.Status.RETURNED)
    registration.status = Registration.Status.RETURNED
    registration.return_reason = reason.strip()
    registration.save(update_fields=["status", "return_reason", "updated_at"])
    log(
        "registration.returned",
        actor=actor,
        obj=registration,
        unit_path=registration.unit.path,
        detail={"reason": registration.return_reason},
    )
    return registration


@transaction.atomic
def approve_registration(*, actor: Any, registration: Registration) -> Registration:
    """submitted → approved, by the level above the unit (never the unit itself)."""
    _check_reviewer(actor, registration.unit, registration.year)
    locked = Registration.objects.select_for_update().get(pk=registration.pk)
    if locked.status != Registration.Status.SUBMITTED:
        raise _refuse_transition(Registration, locked.status, Registration.Status.APPROVED)
    registration.status = Registration.Status.APPROVED
    registration.approved_on = timezone.now()
    registration.save(update_fields=["status", "approved_on", "updated_at"])
    log("registration.approved", actor=actor, obj=registration, unit_path=registration.unit.path)
    return registration


def unregistered_units(movement: Movement, year: int) -> list[Unit]:
    """Participating units with no submitted or approved registration for `year`."""
    done = Registration.objects.filter(
        movement=movement,
        year=year,
        status__in=[Registration.Status.SUBMITTED, Registration.Status.APPROVED],
    ).values("unit_id")
    return list(participating_units(movement).exclude(pk__in=done))


# -- results ------------------------------------------------------------------------------------
def _score(record: ScoringTable, figures: Mapping[str, Any], unit: Unit) -> scoring.UnitScore:
    try:
        return scoring.score_unit(load_table_record(record), figures, unit=unit.name)
    except scoring.FiguresError as exc:
        raise scoring_domain_error(exc, field="figures") from exc


def _score_detail(score: scoring.UnitScore) -> dict[str, Any]:
    detail: dict[str, Any] = json_safe(
        {
            "leaves": {code: leaf.points for code, leaf in score.leaves.items()},
            "subtotals": dict(score.subtotals),
            "base": score.base,
            "bonus": score.bonus,
            "penalty": score.penalty,
            "total": score.total,
            "notes": list(score.notes),
        }
    )
    return detail


@transaction.atomic
def save_result(
    *, actor: Any, movement: Movement, unit: Unit, year: int, period: str, figures: Mapping[str, Any]
) -> Result:
    """Create or edit a unit's figures for a period (while draft). Validated against the scoring table."""
    _check_open(movement)
    _check_participates(movement, unit)
    if period not in Period.values:
        raise DomainError("Kỳ báo cáo không hợp lệ", field="period")
    if year not in movement.years():
        raise DomainError(
            f"Năm {year} nằm ngoài thời gian của phong trào ({movement.years_label})", field="year"
        )
    record = _require_table(movement, unit, year)
    figures = json_safe(figures)
    issues = scoring.validate_figures(load_table_record(record), figures, unit=unit.name)
    if issues:
        raise scoring_domain_error(scoring.FiguresError(issues), field="figures")
    result, created = Result.objects.select_for_update().get_or_create(
        movement=movement, unit=unit, year=year, period=period
    )
    if result.status != Result.Status.DRAFT:
        raise DomainError(
            f"Kết quả đang ở trạng thái «{result.get_status_display()}», không sửa số liệu được"
        )
    result.figures = figures
    result.save()
    log(
        "result.saved",
        actor=actor,
        obj=result,
        unit_path=unit.path,
        detail={"created": created, "period": period_label(period, year), "codes": sorted(figures)},
    )
    return result


@transaction.atomic
def submit_result(*, actor: Any, result: Result) -> Result:
    """draft → self_scored: the unit's own score, computed by the scoring module."""
    locked = Result.objects.select_for_update().get(pk=result.pk)
    if locked.status != Result.Status.DRAFT:
        raise _refuse_transition(Result, locked.status, Result.Status.SELF_SCORED)
    if not result.figures:
        raise DomainError("Chưa nhập số liệu nào")
    score = _score(_require_table(result.movement, result.unit, result.year), result.figures, result.unit)
    result.self_score = score.total
    result.score_detail = _score_detail(score)
    result.status = Result.Status.SELF_SCORED
    result.save(update_fields=["self_score", "score_detail", "status", "updated_at"])
    log(
        "result.self_scored",
        actor=actor,
        obj=result,
        unit_path=result.unit.path,
        detail={"self_score": str(score.total)},
    )
    return result


@transaction.atomic
def review_result(
    *, actor: Any, result: Result, note: str, corrections: Mapping[str, Any] | None = None
) -> Result:
    """self_scored → reviewed, by the cluster or the level above: remarks and corrected figures."""
    _check_reviewer(actor, result.unit, result.year)
    locked = Result.objects.select_for_update().get(pk=result.pk)
    if locked.status != Result.Status.SELF_SCORED:
        raise _refuse_transition(Result, locked.status, Result.Status.REVIEWED)
    if not note.strip():
        raise DomainError("Cần ghi ý kiến thẩm định", field="note")
    result.review_figures = json_safe(dict(corrections or {}))
    score = _score(
        _require_table(result.movement, result.unit, result.year), result.scoring_figures(), result.unit
    )
    result.review_score = score.total
    result.review_note = note.strip()
    result.score_detail = _score_detail(score)
    result.status = Result.Status.REVIEWED
    result.save()
    log(
        "result.reviewed",
        actor=actor,
        obj=result,
        unit_path=result.unit.path,
        detail={
            "self_score": str(result.self_score),
            "review_score": str(score.total),
            "corrections": result.review_figures,
        },
    )
    return result


@transaction.atomic
def explain_result(*, actor: Any, result: Result, explanation: str) -> Result:
    """reviewed → explained: the unit answers the reviewer's remarks."""
    locked = Result.objects.select_for_update().get(pk=result.pk)
    if locked.status != Result.Status.REVIEWED:
        raise _refuse_transition(Result, locked.status, Result.Status.EXPLAINED)
    if not explanation.strip():
        raise DomainError("Cần nhập nội dung giải trình", field="explanation")
    result.explanation = explanation.strip()
    result.status = Result.Status.EXPLAINED
    result.save(update_fields=["explanation", "status", "updated_at"])
    log("result.explained", actor=actor, obj=result, unit_path=result.unit.path)
    return result


@transaction.atomic
def finalise_result(
    *, actor: Any, result: Result, corrections: Mapping[str, Any] | None = None, note: str = ""
) -> Result:
    """reviewed | explained → final: the official score (after the explanation, corrections may change)."""
    _check_reviewer(actor, result.unit, result.year)
    locked = Result.objects.select_for_update().get(pk=result.pk)
    if locked.status not in (Result.Status.REVIEWED, Result.Status.EXPLAINED):
        raise _refuse_transition(Result, locked.status, Result.Status.FINAL)
    if corrections is not None:
        result.review_figures = json_safe({**result.review_figures, **corrections})
    score = _score(
        _require_table(result.movement, result.unit, result.year), result.scoring_figures(), result.unit
    )
    result.final_score = score.total
    result.score_detail = _score_detail(score)
    if note.strip():
        result.review_note = f"{result.review_note}\n{note.strip()}".strip()
    result.status = Result.Status.FINAL
    result.save()
    log(
        "result.finalised",
        actor=actor,
        obj=result,
        unit_path=result.unit.path,
        detail={"final_score": str(score.total)},
    )
    return result


@transaction.atomic
def add_evidence(
    *, actor: Any, result: Result, file: File[Any], description: str, criterion_code: str = ""
) -> Evidence:
    """Attach a proof file to a result (while the unit may still change or explain it)."""
    if result.status == Result.Status.FINAL:
        raise DomainError("Kết quả đã có điểm chính thức, không bổ sung minh chứng được")
    if not description.strip():
        raise DomainError("Cần mô tả minh chứng", field="description")
    evidence = Evidence(result=result, description=description.strip(), criterion_code=criterion_code.strip())
    evidence.file.save(file.name or "minh-chung", file, save=False)
    evidence.save()
    log(
        "result.evidence_added",
        actor=actor,
        obj=result,
        unit_path=result.unit.path,
        detail={"description": evidence.description, "file": evidence.file.name},
    )
    return evidence


# -- rankings -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RankingInput:
    members: list[Unit]
    results: dict[int, Result]


def _ranking_input(movement: Movement, cluster: Cluster, year: int, period: str) -> RankingInput:
    members = list(
        participating_units(movement).filter(cluster_memberships__cluster=cluster).order_by("path").distinct()
    )
    results = {
        r.unit_id: r
        for r in Result.objects.filter(movement=movement, year=year, period=period, unit__in=members).exclude(
            status=Result.Status.DRAFT
        )
    }
    return RankingInput(members, results)


@transaction.atomic
def compute_ranking(
    *, actor: Any, movement: Movement, cluster: Cluster, year: int, period: str = "nam"
) -> Ranking:
    """Score every member of the cluster with the current figures and rank them (a draft ranking).

    Units without submitted figures are left out and listed in the ranking's notes.
    """
    if cluster.year != year:
        raise DomainError(
            f"{cluster.name} là cụm của năm {cluster.year}, không phải năm {year}", field="cluster"
        )
    record = table_for(movement, year, cluster)
    if record is None:
        raise DomainError(f"Phong trào chưa có bảng chấm điểm năm {year}")
    ranking, _ = Ranking.objects.select_for_update().get_or_create(
        movement=movement, cluster=cluster, year=year, period=period
    )
    if ranking.status == Ranking.Status.PUBLISHED:
        raise DomainError("Bảng xếp hạng đã công bố, không tính lại được")
    data = _ranking_input(movement, cluster, year, period)
    if not data.results:
        raise DomainError(f"Chưa có đơn vị nào của {cluster.name} nộp kết quả {period_label(period, year)}")
    table = load_table_record(record)
    # The scoring module names units in its messages and notes: the unit's name, with its code when
    # two members share a name.
    names = [u.name for u in data.members]
    label = {u.pk: u.name if names.count(u.name) == 1 else f"{u.name} ({u.code})" for u in data.members}
    by_name = {label[u.pk]: u for u in data.members}
    figures = {
        label[u.pk]: data.results[u.pk].scoring_figures() for u in data.members if u.pk in data.results
    }
    try:
        scores = scoring.score_cluster(table, figures)
    except scoring.FiguresError as exc:
        raise scoring_domain_error(exc) from exc
    tie_break, manual = scoring.tie_break_from_table(table)
    ranked = scoring.rank(scores, tie_break=tie_break or scoring.DEFAULT_TIE_BREAK)
    ranking.entries.all().delete()
    RankingEntry.objects.bulk_create(
        RankingEntry(
            ranking=ranking,
            unit=by_name[r.unit],
            rank=r.rank,
            total=r.score.total,
            base=r.score.base,
            bonus=r.score.bonus,
            penalty=r.score.penalty,
            note=r.note[:500],
        )
        for r in ranked
    )
    notes = [f"Chưa nộp kết quả: {u.name}" for u in data.members if u.pk not in data.results]
    notes += [
        f"Chưa có điểm chính thức: {data.results[u.pk].unit.name}"
        for u in data.members
        if u.pk in data.results and data.results[u.pk].status != Result.Status.FINAL
    ]
    if manual and any(r.shares_rank_with for r in ranked):
        notes.append("Còn đơn vị đồng hạng; tiêu chí phụ do hội đồng quyết định: " + "; ".join(manual))
    ranking.notes = notes
    ranking.save(update_fields=["notes", "updated_at"])
    log(
        "ranking.computed",
        actor=actor,
        obj=ranking,
        unit_path=cluster.organiser_unit.path,
        detail={"ranks": [[r.unit, r.rank, str(r.score.total)] for r in ranked], "notes": notes},
    )
    return ranking


@transaction.atomic
def publish_ranking(*, actor: Any, ranking: Ranking) -> Ranking:
    """draft → published. Needs every member's final score. The yearly ranking of a regular movement
    writes `ClusterMember.rank` for the cluster's year (what the rules engine reads for Cờ thi đua)."""
    locked = Ranking.objects.select_for_update().get(pk=ranking.pk)
    if locked.status != Ranking.Status.DRAFT:
        raise DomainError("Bảng xếp hạng đã được công bố")
    data = _ranking_input(ranking.movement, ranking.cluster, ranking.year, ranking.period)
    missing = [
        u.name
        for u in data.members
        if u.pk not in data.results or data.results[u.pk].status != Result.Status.FINAL
    ]
    if missing:
        raise DomainError("Chưa có điểm chính thức của: " + ", ".join(missing))
    entries = list(ranking.entries.select_related("unit"))
    stale = [
        e.unit.name
        for e in entries
        if data.results.get(e.unit_id) and data.results[e.unit_id].final_score != e.total
    ]
    if stale or len(entries) != len(data.members):
        raise DomainError("Điểm đã thay đổi sau lần tính xếp hạng gần nhất: hãy tính lại trước khi công bố")
    writes_ranks = (
        ranking.movement.kind == Movement.Kind.REGULAR
        and ranking.period == Period.YEAR
        and ranking.cluster.year == ranking.year
    )
    if writes_ranks:
        # ClusterMember.rank holds one ranking per cluster and year: the first regular movement's.
        other = (
            Ranking.objects.filter(
                cluster=ranking.cluster,
                year=ranking.year,
                period=Period.YEAR,
                status=Ranking.Status.PUBLISHED,
                movement__kind=Movement.Kind.REGULAR,
            )
            .exclude(movement=ranking.movement)
            .select_related("movement")
            .first()
        )
        if other is not None:
            raise DomainError(
                f"{ranking.cluster.name} đã có xếp hạng năm {ranking.year} công bố theo phong trào "
                f"«{other.movement.title}»"
            )
    ranking.status = Ranking.Status.PUBLISHED
    ranking.published_on = timezone.now()
    ranking.save(update_fields=["status", "published_on", "updated_at"])
    if writes_ranks:
        for entry in entries:
            ClusterMember.objects.filter(cluster=ranking.cluster, unit=entry.unit).update(rank=entry.rank)
    log(
        "ranking.published",
        actor=actor,
        obj=ranking,
        unit_path=ranking.cluster.organiser_unit.path,
        detail={
            "ranks": [[e.unit.code, e.rank, str(e.total)] for e in entries],
            "cluster_member_rank_written": writes_ranks,
        },
    )
    return ranking
