"""Results: figures, self-score, review, explanation, final score (scores by the scoring module), evidence."""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.base import File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from thidua.accounts.models import User
from thidua.audit.services import log
from thidua.core.errors import DomainError
from thidua.core.versioning import bump, check_version
from thidua.lib.numbers import format_number, parse_number
from thidua.lib.workdays import working_days_left
from thidua.movements import scoring
from thidua.movements.figures import Column, column_for_issue, figure_columns
from thidua.movements.models import (
    Evidence,
    Milestone,
    Movement,
    Period,
    Result,
    ScoringTable,
    participating_units,
    period_label,
    period_order,
    period_start,
)
from thidua.movements.services.common import (
    DEADLINES_REFUSED,
    RESULT_REFUSED,
    check_open,
    check_participates,
    check_reviewer,
    check_unit_officer,
    json_safe,
    refuse_transition,
    scoring_domain_error,
)
from thidua.movements.services.tables import (
    load_table_record,
    require_table,
)
from thidua.notices.models import Notice
from thidua.notices.services import notify_unit
from thidua.org.models import Unit
from thidua.org.permissions import is_system_admin, require


# -- results ------------------------------------------------------------------------------------
def period_end(year: int, period: str) -> date:
    """The last day of a reporting period: 31/12 for the year, the quarter's or the month's last day."""
    if period.startswith("q"):
        month = int(period[1:]) * 3
    elif period.startswith("t"):
        month = int(period[1:])
    else:
        month = 12
    return date(year, month, calendar.monthrange(year, month)[1])


def result_deadline(movement: Movement, year: int, period: str) -> date | None:
    """When a unit's self-assessment of a period is due: the first self-assessment milestone in the
    three months after the period's end; for the year, else the last one of the year (a yearly
    self-assessment held before 31/12). None when the movement sets no such milestone."""
    due = movement.milestones.filter(kind=Milestone.Kind.SELF_ASSESSMENT)
    end = period_end(year, period)
    after = due.filter(due_on__gte=end, due_on__lte=end + timedelta(days=92)).order_by("due_on").first()
    if after is not None:
        return after.due_on
    if period == Period.YEAR:
        within = due.filter(due_on__year=year).order_by("-due_on").first()
        if within is not None:
            return within.due_on
    return None


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
            "earned": score.earned,
            "assigned_max": score.assigned_max,
            "base_max": score.base_max,
            "bonus_items": {code: item.points for code, item in score.bonus_items.items()},
            "penalty_items": {code: item.points for code, item in score.penalty_items.items()},
            "base": score.base,
            "bonus": score.bonus,
            "penalty": score.penalty,
            "total": score.total,
            "notes": list(score.notes),
        }
    )
    return detail


WHAT = "Kết quả thi đua"


def _lock(result: Result, version: int | None) -> Result:
    """The result's row, locked, after the optimistic-locking check; raises the version of `result`."""
    locked = Result.objects.select_for_update().get(pk=result.pk)
    check_version(locked.version, version, what=WHAT)
    result.version = locked.version + 1
    return locked


@transaction.atomic
def save_result(
    *,
    actor: User | None,
    movement: Movement,
    unit: Unit,
    year: int,
    period: str,
    figures: Mapping[str, Any],
    today: date | None = None,
    version: int | None = None,
    require_version: bool = False,
) -> Result:
    """Create or edit a unit's figures for a period (while draft). Validated against the scoring table;
    refused for a period that has not started.

    `version` is the version the caller's form or API read (0: no result yet); a stale one is refused
    (`thidua.core.versioning`). `require_version` (the API) refuses an edit that does not say."""
    check_unit_officer(actor, unit, RESULT_REFUSED)
    check_open(movement)
    check_participates(movement, unit)
    if period not in Period.values:
        raise DomainError("Kỳ báo cáo không hợp lệ", field="period")
    if year not in movement.years():
        raise DomainError(
            f"Năm {year} nằm ngoài thời gian của phong trào ({movement.years_label})", field="year"
        )
    starts = period_start(period, year)
    if starts > (today or date.today()):
        raise DomainError(
            f"Kỳ {period_label(period, year)} chưa bắt đầu (từ {starts:%d/%m/%Y}): chưa nhận số liệu",
            field="period",
        )
    record = require_table(movement, unit, year)
    figures = json_safe(figures)
    issues = scoring.validate_figures(load_table_record(record), figures, unit=unit.name)
    if issues:
        raise scoring_domain_error(scoring.FiguresError(issues), field="figures")
    result, created = Result.objects.select_for_update().get_or_create(
        movement=movement, unit=unit, year=year, period=period
    )
    check_version(0 if created else result.version, version, what=WHAT, required=require_version)
    if result.status != Result.Status.DRAFT:
        raise DomainError(
            f"Kết quả đang ở trạng thái «{result.get_status_display()}», không sửa số liệu được"
        )
    result.figures = figures
    if not created:
        bump(result)
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
def submit_result(
    *, actor: User | None, result: Result, version: int | None = None, submitted_at: datetime | None = None
) -> Result:
    """draft → self_scored: the unit's own score, computed by the scoring module; marked late after
    the self-assessment deadline (`result_deadline`). `submitted_at` records a paper report entered
    after the fact (default: now)."""
    check_unit_officer(actor, result.unit, RESULT_REFUSED)
    locked = _lock(result, version)
    if locked.status != Result.Status.DRAFT:
        raise refuse_transition(Result, locked.status, Result.Status.SELF_SCORED)
    if not result.figures:
        raise DomainError("Chưa nhập số liệu nào")
    score = _score(require_table(result.movement, result.unit, result.year), result.figures, result.unit)
    deadline = result_deadline(result.movement, result.year, result.period)
    result.self_score = score.total
    result.score_detail = _score_detail(score)
    result.status = Result.Status.SELF_SCORED
    result.submitted_at = submitted_at or timezone.now()
    result.late = deadline is not None and timezone.localdate(result.submitted_at) > deadline
    result.save(
        update_fields=[
            "self_score",
            "score_detail",
            "status",
            "submitted_at",
            "late",
            "version",
            "updated_at",
        ]
    )
    log(
        "result.self_scored",
        actor=actor,
        obj=result,
        unit_path=result.unit.path,
        detail={
            "self_score": str(score.total),
            "late": result.late,
            "deadline": deadline.isoformat() if deadline else None,
        },
    )
    return result


@transaction.atomic
def review_result(
    *,
    actor: User | None,
    result: Result,
    note: str,
    corrections: Mapping[str, Any] | None = None,
    version: int | None = None,
) -> Result:
    """self_scored → reviewed, by the cluster or the level above: remarks and corrected figures."""
    check_reviewer(actor, result.unit, result.year)
    locked = _lock(result, version)
    if locked.status != Result.Status.SELF_SCORED:
        raise refuse_transition(Result, locked.status, Result.Status.REVIEWED)
    if not note.strip():
        raise DomainError("Cần ghi ý kiến thẩm định", field="note")
    # Corrections made before the review (`correct_result`) stay; these are added over them.
    result.review_figures = json_safe({**locked.review_figures, **dict(corrections or {})})
    score = _score(
        require_table(result.movement, result.unit, result.year), result.scoring_figures(), result.unit
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
    notify_unit(
        result.unit,
        kind=Notice.Kind.RESULT,
        title=f"Kết quả {result.period_label} đã được thẩm định: {format_number(score.total, 2)} điểm — "
        f"{result.movement.title}",
        body=f"Ý kiến thẩm định: {result.review_note}",
        url=reverse("movements:result_detail", args=[result.pk]),
    )
    return result


def figure_issues(result: Result, figures: Mapping[str, Any]) -> list[scoring.Issue]:
    """What the scoring module finds wrong in `figures` for the result's table (for field errors), and
    the council's points outside 0 – the criterion's maximum (the module would cap them silently)."""
    table = load_table_record(require_table(result.movement, result.unit, result.year))
    clean = json_safe(figures)
    return [
        *scoring.validate_figures(table, clean, unit=result.unit.name),
        *_judged_out_of_range(table, clean),
    ]


def _judged_out_of_range(table: scoring.ScoringTable, figures: Mapping[str, Any]) -> list[scoring.Issue]:
    issues = []
    for leaf in table.leaves():
        node = figures.get(leaf.code)
        if leaf.method != "manual" or not isinstance(node, Mapping):
            continue
        key = "value" if "value" in node else "points"
        points = parse_number(node.get(key))
        if points is not None and not 0 <= points <= leaf.max_points:
            issues.append(
                scoring.Issue(
                    f"{leaf.code}.{key}",
                    f"điểm hội đồng chấm phải từ 0 đến {format_number(leaf.max_points, None)}",
                    node.get(key),
                )
            )
    return issues


def result_columns(result: Result) -> list[Column]:
    """The figure columns of the result's scoring table (what a unit reports, a reviewer corrects)."""
    return figure_columns(load_table_record(require_table(result.movement, result.unit, result.year)))


def correction_issues(
    result: Result, corrections: Mapping[str, Any], *, prefix: str = "corrections"
) -> dict[str, list[str]]:
    """What the scoring module finds wrong in `corrections` over the result's figures, by field:
    `{"<prefix>.<code>.<key>": ["<criterion>: <value> — <why>"]}` (`<prefix>.<code>` for "points")."""
    columns = result_columns(result)
    out: dict[str, list[str]] = {}
    for issue in figure_issues(result, {**result.scoring_figures(), **json_safe(dict(corrections))}):
        column = column_for_issue(columns, issue.path.rsplit(" / ", 1)[-1])
        if column is None:
            out.setdefault(prefix, []).append(str(issue))
            continue
        field = f"{prefix}.{column.code}" if prefix == "points" else f"{prefix}.{column.key}"
        value = f"«{issue.value}» — " if issue.show_value and issue.value is not None else ""
        out.setdefault(field, []).append(f"{column.label}: {value}{issue.message}")
    return out


@transaction.atomic
def correct_result(
    *,
    actor: User | None,
    result: Result,
    corrections: Mapping[str, Any],
    reason: str,
    version: int | None = None,
) -> Result:
    """The reviewer corrects figures or enters the council's points for judged criteria, with a reason.

    Allowed from self-scored until final, by the cluster or the level above (never the unit itself).
    The corrections go over the unit's own figures (which stay as reported), the result is scored
    again, and the audit entry keeps each changed figure before and after, with the reason."""
    check_reviewer(actor, result.unit, result.year)
    locked = Result.objects.select_for_update().get(pk=result.pk)
    check_version(locked.version, version, what=WHAT)
    if locked.status not in (Result.Status.SELF_SCORED, Result.Status.REVIEWED, Result.Status.EXPLAINED):
        raise DomainError(
            f"Kết quả đang ở trạng thái «{locked.get_status_display()}», không sửa số liệu được"
        )
    if not reason.strip():
        raise DomainError("Cần ghi lý do sửa số liệu", field="reason")
    before = locked.scoring_figures()
    clean = json_safe(dict(corrections))
    changed = {code: value for code, value in clean.items() if before.get(code) != value}
    if not changed:
        raise DomainError("Không có số liệu nào thay đổi")
    issues = figure_issues(locked, {**before, **changed})
    if issues:
        raise scoring_domain_error(scoring.FiguresError(issues), field="figures")
    locked.review_figures = {**locked.review_figures, **changed}
    score = _score(
        require_table(locked.movement, locked.unit, locked.year), locked.scoring_figures(), locked.unit
    )
    locked.review_score = score.total
    locked.score_detail = _score_detail(score)
    bump(locked)
    locked.save(update_fields=["review_figures", "review_score", "score_detail", "version", "updated_at"])
    log(
        "result.corrected",
        actor=actor,
        obj=locked,
        unit_path=locked.unit.path,
        detail={
            "reason": reason.strip(),
            "changes": {
                code: {"before": before.get(code), "after": value} for code, value in changed.items()
            },
            "review_score": str(score.total),
        },
    )
    return locked


@transaction.atomic
def explain_result(
    *, actor: User | None, result: Result, explanation: str, version: int | None = None
) -> Result:
    """reviewed → explained: the unit answers the reviewer's remarks."""
    check_unit_officer(actor, result.unit, RESULT_REFUSED)
    locked = _lock(result, version)
    if locked.status != Result.Status.REVIEWED:
        raise refuse_transition(Result, locked.status, Result.Status.EXPLAINED)
    if not explanation.strip():
        raise DomainError("Cần nhập nội dung giải trình", field="explanation")
    result.explanation = explanation.strip()
    result.status = Result.Status.EXPLAINED
    result.save(update_fields=["explanation", "status", "version", "updated_at"])
    log("result.explained", actor=actor, obj=result, unit_path=result.unit.path)
    return result


@transaction.atomic
def finalise_result(
    *,
    actor: User | None,
    result: Result,
    corrections: Mapping[str, Any] | None = None,
    note: str = "",
    version: int | None = None,
) -> Result:
    """reviewed | explained → final: the official score (after the explanation, corrections may change)."""
    check_reviewer(actor, result.unit, result.year)
    locked = _lock(result, version)
    if locked.status not in (Result.Status.REVIEWED, Result.Status.EXPLAINED):
        raise refuse_transition(Result, locked.status, Result.Status.FINAL)
    if corrections is not None:
        result.review_figures = json_safe({**result.review_figures, **corrections})
    score = _score(
        require_table(result.movement, result.unit, result.year), result.scoring_figures(), result.unit
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
    *,
    actor: User | None,
    result: Result,
    file: File[Any],
    description: str,
    criterion_code: str = "",
    public: bool = False,
) -> Evidence:
    """Attach a proof file to a result (while the unit may still change or explain it). The file is
    seen by the unit, the levels above and the reviewers only, unless `public`."""
    check_unit_officer(actor, result.unit, RESULT_REFUSED)
    if result.status == Result.Status.FINAL:
        raise DomainError("Kết quả đã có điểm chính thức, không bổ sung minh chứng được")
    if not description.strip():
        raise DomainError("Cần mô tả minh chứng", field="description")
    evidence = Evidence(
        result=result, description=description.strip(), criterion_code=criterion_code.strip(), public=public
    )
    evidence.file.save(file.name or "minh-chung", file, save=False)
    evidence.save()
    log(
        "result.evidence_added",
        actor=actor,
        obj=result,
        unit_path=result.unit.path,
        detail={"description": evidence.description, "file": evidence.file.name, "public": public},
    )
    return evidence


@transaction.atomic
def set_evidence_public(*, actor: User | None, evidence: Evidence, public: bool) -> Evidence:
    """Make an evidence file public (anyone who sees the result) or restricted again, by the unit's officers."""
    from thidua.movements.permissions import can_act_for_unit

    if actor is not None and not can_act_for_unit(actor, evidence.result.unit):
        raise PermissionDenied("Chỉ cán bộ của đơn vị đổi chế độ xem của minh chứng")
    Evidence.objects.filter(pk=evidence.pk).update(public=public)
    evidence.public = public
    log(
        "result.evidence_visibility",
        actor=actor,
        obj=evidence.result,
        unit_path=evidence.result.unit.path,
        detail={"description": evidence.description, "public": public},
    )
    return evidence


# -- deadlines ------------------------------------------------------------------------------------
NEAR_DUE_WORKING_DAYS = 3
PASSED_DAYS = 31  # days after a deadline during which the units that have not reported are told


def unreported_units(movement: Movement, year: int, period: str) -> list[Unit]:
    """Participating units that have not sent their result of the period (none yet, or still a draft)."""
    sent = (
        Result.objects.filter(movement=movement, year=year, period=period)
        .exclude(status=Result.Status.DRAFT)
        .values("unit_id")
    )
    return list(participating_units(movement).exclude(pk__in=sent))


def _due_text(left: int, due: date) -> str:
    if left < 0:
        return f"đã quá hạn {-left} ngày làm việc (hạn {due:%d/%m/%Y})"
    if left == 0:
        return f"hết hạn hôm nay ({due:%d/%m/%Y})"
    return f"hạn {due:%d/%m/%Y}, còn {left} ngày làm việc"


def _reported_periods(movement: Movement, year: int) -> list[str]:
    """The periods the movement's units report for `year`: the year itself, and every period some unit
    has already sent a result for (a movement reporting by quarter shows it by its first results)."""
    sent = set(Result.objects.filter(movement=movement, year=year).values_list("period", flat=True))
    return sorted({Period.YEAR, *sent}, key=period_order)


@transaction.atomic
def notify_result_deadlines(*, actor: User | None, today: date) -> int:
    """Tell the officers of each participating unit that has not sent its result (self-scored) of a
    period when that period's deadline (`result_deadline`, from the self-assessment milestones) is at
    most three working days away or has passed (for a month after): once per unit, period and day.
    Periods considered: the year, and the periods some unit already reports. Returns the number of
    notices written; one audit entry when any."""
    require(actor, is_system_admin(actor), DEADLINES_REFUSED)
    written = 0
    milestones = Milestone.objects.filter(
        kind=Milestone.Kind.SELF_ASSESSMENT,
        movement__status__in=[Movement.Status.LAUNCHED, Movement.Status.RUNNING],
        due_on__gte=today - timedelta(days=PASSED_DAYS),
        due_on__lte=today + timedelta(days=21),
    ).select_related("movement")
    told: list[dict[str, Any]] = []
    done: set[tuple[int, int, str]] = set()
    for milestone in milestones.order_by("due_on", "pk"):
        left = working_days_left(today, milestone.due_on)
        if left > NEAR_DUE_WORKING_DAYS:
            continue
        movement = milestone.movement
        years = sorted({milestone.due_on.year - 1, milestone.due_on.year} & set(movement.years()))
        for year in years:
            for period in _reported_periods(movement, year):
                if (movement.pk, year, period) in done:
                    continue
                if result_deadline(movement, year, period) != milestone.due_on:
                    continue
                done.add((movement.pk, year, period))
                label = period_label(period, year)
                when = _due_text(left, milestone.due_on)
                units = unreported_units(movement, year, period)
                for unit in units:
                    written += len(
                        notify_unit(
                            unit,
                            kind=Notice.Kind.DEADLINE,
                            title=f"Kết quả thi đua {label} {when} — {movement.title}",
                            body=f"{unit.name} chưa tự chấm điểm, gửi kết quả {label}.",
                            url=reverse("movements:result_edit", args=[movement.pk, year, period, unit.pk]),
                            key=f"result-deadline-{movement.pk}-{year}-{period}-{unit.pk}-{today.isoformat()}",
                        )
                    )
                if units:
                    told.append(
                        {"movement": movement.pk, "period": label, "units": len(units), "days_left": left}
                    )
    if written:
        log(
            "notices.deadlines",
            actor=actor,
            detail={"today": today.isoformat(), "results": written, "told": told},
        )
    return written
