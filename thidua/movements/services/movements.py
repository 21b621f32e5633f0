"""Movements: creation, documents, milestones, participants, the lifecycle, leads at the review."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from thidua.accounts.models import User
from thidua.audit.services import log
from thidua.core.errors import DomainError
from thidua.movements.models import (
    Milestone,
    Movement,
    MovementDocument,
    MovementLead,
    Participation,
    Ranking,
    participating_units,
)
from thidua.movements.permissions import can_manage_movement
from thidua.movements.services.common import (
    check_manager,
    refuse_transition,
)
from thidua.movements.validators import normalise_number_symbol, validate_number_symbol
from thidua.notices.models import Notice
from thidua.notices.services import notify_unit
from thidua.org.models import Unit
from thidua.org.permissions import can_change_unit, is_system_admin, require


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
    actor: User | None,
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
    require(
        actor,
        actor is None
        or (can_change_unit(actor, launching_unit) if launching_unit is not None else is_system_admin(actor)),
        "Bạn không có quyền phát động phong trào của đơn vị này"
        if launching_unit is not None
        else "Chỉ quản trị hệ thống tạo phong trào không gắn đơn vị phát động",
    )
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
def update_movement(*, actor: User | None, movement: Movement, **changes: Any) -> Movement:
    """Edit the description of a movement that is not closed."""
    check_manager(actor, movement)
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
    actor: User | None,
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
    check_manager(actor, movement)
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
@transaction.atomic
def add_milestone(
    *, actor: User | None, movement: Movement, kind: str, due_on: date, name: str = ""
) -> Milestone:
    """Add a dated step (registration deadline, self-assessment, cluster review, summary)."""
    check_manager(actor, movement)
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
    actor: User | None,
    movement: Movement,
    units: Iterable[Unit],
    include_subtree: bool = False,
    unit_kind: str = "",
) -> list[Participation]:
    """Add participating units (each alone, or with its subtree, optionally only units of one kind)."""
    check_manager(actor, movement)
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


@transaction.atomic
def set_movement_publicity(
    *, actor: User | None, movement: Movement, public: bool, public_documents: Iterable[int] = ()
) -> Movement:
    """Choose what the public site shows of a movement: the movement itself (its summary, milestones
    and published rankings, once launched) and which of its documents. `actor` None: the system."""
    if actor is not None and not can_manage_movement(actor, movement):
        raise PermissionDenied("Bạn không có quyền quản lý phong trào này")
    locked = Movement.objects.select_for_update().get(pk=movement.pk)
    chosen = set(public_documents)
    documents = list(locked.documents.all())
    unknown = chosen - {d.pk for d in documents}
    if unknown:
        raise DomainError("Văn bản được chọn không thuộc phong trào này", field="public_documents")
    before = (locked.is_public, sorted(d.pk for d in documents if d.is_public))
    locked.is_public = public
    locked.save(update_fields=["is_public", "updated_at"])
    for document in documents:
        if document.is_public != (document.pk in chosen):
            document.is_public = document.pk in chosen
            document.save(update_fields=["is_public", "updated_at"])
    movement.is_public = public
    log(
        "movement.publicity_changed",
        actor=actor,
        obj=locked,
        unit_path=locked.scope_path,
        detail={
            "public": [before[0], public],
            "documents": [before[1], sorted(chosen)],
        },
    )
    return movement


def _transition(
    movement: Movement, target: str, action: str, *, actor: User | None, detail: dict[str, Any] | None = None
) -> Movement:
    locked = Movement.objects.select_for_update().get(pk=movement.pk)
    if target not in Movement.TRANSITIONS[locked.status]:
        raise refuse_transition(Movement, locked.status, target)
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
def launch_movement(*, actor: User | None, movement: Movement, launched_on: date | None = None) -> Movement:
    """draft → launched. A movement of a unit needs its launching document (a decision, a plan, or the
    guidance letter implementing a higher movement) and its participants. A movement launched outside
    the organisation tree (Thủ tướng) is recorded for reference and may have no document here."""
    check_manager(actor, movement)
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
    movement = _transition(movement, Movement.Status.LAUNCHED, "movement.launched", actor=actor)
    notify_unit(
        participating_units(movement),
        kind=Notice.Kind.MOVEMENT,
        title=f"Phong trào «{movement.title}» đã phát động tới đơn vị",
        body=f"{movement.launcher_label} phát động ngày {movement.launched_on:%d/%m/%Y}.",
        url=reverse("movements:detail", args=[movement.pk]),
        key=f"movement-launched-{movement.pk}",
    )
    return movement


@transaction.atomic
def start_movement(*, actor: User | None, movement: Movement) -> Movement:
    """launched → running: registrations are open and results come in."""
    check_manager(actor, movement)
    return _transition(movement, Movement.Status.RUNNING, "movement.started", actor=actor)


@transaction.atomic
def open_movement_review(*, actor: User | None, movement: Movement) -> Movement:
    """running → under_review: sơ kết/tổng kết, scoring and rankings are finalised."""
    check_manager(actor, movement)
    return _transition(movement, Movement.Status.UNDER_REVIEW, "movement.review_opened", actor=actor)


@transaction.atomic
def reopen_movement(*, actor: User | None, movement: Movement, reason: str) -> Movement:
    """under_review → running, with a reason."""
    check_manager(actor, movement)
    if not reason.strip():
        raise DomainError("Cần ghi lý do mở lại phong trào", field="reason")
    return _transition(
        movement, Movement.Status.RUNNING, "movement.reopened", actor=actor, detail={"reason": reason.strip()}
    )


@transaction.atomic
def close_movement(*, actor: User | None, movement: Movement, closed_on: date | None = None) -> Movement:
    """under_review → closed (on `closed_on`, default today). Refused while a ranking is still a draft."""
    check_manager(actor, movement)
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


def run_action(*, actor: User | None, movement: Movement, action: str, reason: str = "") -> Movement:
    check_manager(actor, movement)
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
    *, actor: User | None, movement: Movement, year: int, leaders: Sequence[tuple[Unit, int]]
) -> list[MovementLead]:
    """At the review of a thematic or ad-hoc movement, record the units that led it in `year`."""
    check_manager(actor, movement)
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


def movement_feed_warnings(
    *, kind: str, authority: str, start_year: int | None, end_year: int | None
) -> list[str]:
    """Why a movement set up this way cannot give the year-end a ground for a title (law as data: the
    minimum years come from the ruleset in force at the movement's start)."""
    from thidua.movements.records import feed_warnings, thematic_lead_min_years

    on = date(start_year, 1, 1) if start_year and 2000 <= start_year <= 2100 else None
    return feed_warnings(
        kind=kind,
        authority=authority,
        start_year=start_year,
        end_year=end_year,
        min_years=thematic_lead_min_years(on),
    )
