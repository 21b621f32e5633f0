"""Deadlines and reminders: what waits for a user (`pending_tasks`), and the daily mail about dossiers
near or past their appraisal deadline (`send_reminders`, run by `thidua send_reminders`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, Exists, F, Min, OuterRef, Q, QuerySet
from django.urls import reverse

from thidua.accounts.models import User
from thidua.audit.services import log
from thidua.awards.models import Ballot, CouncilMember, Dossier, Reminder
from thidua.awards.permissions import visible_dossiers
from thidua.core.db import cached_rows, compiled_rows
from thidua.core.todo import KindCount, kind_case
from thidua.history.models import Rating
from thidua.lib.workdays import is_working_day, working_days_left
from thidua.notices.models import Notice
from thidua.notices.services import absolute_url, notify_unit
from thidua.org.models import Membership, Position, Role, Unit
from thidua.org.permissions import (
    WRITE_ROLES,
    access_key,
    is_system_admin,
    own_person_id,
    require,
    scope_paths,
)
from thidua.rules.names import award_name

NEAR_DUE_WORKING_DAYS = 3


@dataclass(frozen=True)
class Task:
    """One thing waiting for the user. `days_left` counts working days to `due` (negative: overdue)."""

    kind: str  # submit | revise | appraise | decide | rate | vote
    label: str
    url: str
    due: date | None = None
    days_left: int | None = None

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0

    @property
    def due_text(self) -> str:
        if self.days_left is None:
            return ""
        if self.days_left < 0:
            return f"quá hạn {-self.days_left} ngày làm việc"
        if self.days_left == 0:
            return "hết hạn hôm nay"
        return f"còn {self.days_left} ngày làm việc"


def _dossier_kinds(user: Any) -> dict[str, Q]:
    """Which dossiers are the user's task of each kind, as conditions on the rows: the one rule of
    `_dossier_tasks` (listed) and `_dossier_counts` (counted)."""
    if is_system_admin(user):
        changes_unit, changes_appraiser, own = Q(), Q(), Q(pk__in=[])
    else:
        writes = scope_paths(user, WRITE_ROLES)
        changes_unit, changes_appraiser = Q(pk__in=[]), Q(pk__in=[])
        for path in writes:
            changes_unit |= Q(unit__path__startswith=path)
            changes_appraiser |= Q(appraiser__path__startswith=path)
        # The unit's own officers prepare it; an officer of the level above reaches the unit too, but
        # their part starts when the dossier is sent up.
        own = changes_unit & ~changes_appraiser
    return {
        "submit": Q(status=Dossier.Status.DRAFT) & own,
        "revise": Q(status=Dossier.Status.RETURNED) & own,
        # `can_appraise`: the appraising unit's officers, never the dossier's own unit.
        "appraise": Q(status=Dossier.Status.SUBMITTED) & ~Q(appraiser_id=F("unit_id")) & changes_appraiser,
        "decide": Q(status=Dossier.Status.APPRAISED) & changes_appraiser,
    }


def _dossier_tasks(user: Any, year: int, today: date) -> list[Task]:
    kinds = _dossier_kinds(user)
    dossiers = (
        visible_dossiers(user)
        .filter(year=year)
        .annotate(task=kind_case(kinds))
        .filter(task__isnull=False)
        .select_related("unit")
        .order_by("pk")
    )
    tasks = []
    for d in dossiers:
        url = reverse("awards:dossier_detail", args=[d.pk])
        name = award_name(d.award_id)
        if d.task == "submit":
            tasks.append(Task("submit", f"Hoàn thiện, trình hồ sơ {name} của {d.unit.name}", url))
        elif d.task == "revise":
            tasks.append(
                Task("revise", f"Bổ sung hồ sơ {name} của {d.unit.name} bị trả lại: {d.return_reason}", url)
            )
        elif d.task == "appraise":
            left = working_days_left(today, d.deadline) if d.deadline else None
            tasks.append(Task("appraise", f"Thẩm định hồ sơ {name} của {d.unit.name}", url, d.deadline, left))
        else:
            tasks.append(Task("decide", f"Ban hành quyết định {name} của {d.unit.name}", url))
    return tasks


def _dossier_counts(user: Any, year: int, today: date) -> dict[str, KindCount]:
    """`_dossier_tasks` counted by kind, with the one dossier's page and whether one is overdue: one
    query, compiled once per user, year and day (`compiled_rows`)."""
    # Overdue (`working_days_left` < 0): a working day has passed since the deadline, that is the
    # deadline is before the last working day up to today.
    last_working = today
    while not is_working_day(last_working):
        last_working -= timedelta(days=1)

    def grouped() -> QuerySet[Any]:
        kinds = _dossier_kinds(user)
        return (
            visible_dossiers(user)
            .filter(year=year)
            .annotate(task=kind_case(kinds))
            .order_by()
            .values("task")
            .annotate(
                n=Count("pk"), first=Min("pk"), overdue=Count("pk", filter=Q(deadline__lt=last_working))
            )
        )

    counts = {}
    key = ("awards.dossier_tasks", year, last_working, *access_key(user))
    for kind, n, first, overdue in compiled_rows(key, grouped):
        if kind is not None:  # the dossiers of no kind make one group
            url = reverse("awards:dossier_detail", args=[first]) if n == 1 else None
            counts[kind] = KindCount(n, url, kind == "appraise" and overdue > 0)
    return counts


def _unrated_by_unit(year: int) -> dict[int, tuple[str, int]]:
    """unit id → (its path, people holding a post there in `year` with no rating of the year), over
    the whole organisation: one grouped query, kept until a position, a rating or a unit changes
    (at 1,000,000 people it reads every position of the year)."""

    def compute() -> list[list[Any]]:
        rated = Rating.objects.filter(person_id=OuterRef("person_id"), year=year)
        rows = (
            Position.objects.held_during(year)
            .filter(unit__valid_to__isnull=True)
            .exclude(Exists(rated))
            .order_by()
            .values_list("unit_id", "unit__path")
            .annotate(n=Count("id"))
        )
        return [[unit_id, path, n] for unit_id, path, n in rows]

    rows = cached_rows(f"awards.unrated.{year}", [Position, Rating, Unit], compute)
    return {unit_id: (path, n) for unit_id, path, n in rows}


RATING_TASKS = 50  # units listed; the rating pages show the rest


def _units_to_rate(user: Any, year: int) -> dict[int, int]:
    """unit id → people not yet rated, of the units the user rates (write role on the unit)."""
    admin = is_system_admin(user)
    paths = [] if admin else scope_paths(user, WRITE_ROLES)
    if not admin and not paths:
        return {}
    prefixes = tuple(paths)
    return {
        unit_id: n
        for unit_id, (path, n) in _unrated_by_unit(year).items()
        if admin or path.startswith(prefixes)
    }


def _rating_tasks(user: Any, year: int) -> list[Task]:
    """Units the user rates whose people (holding a post there in `year`) are not all rated."""
    missing = _units_to_rate(user, year)
    if not missing:
        return []
    return [
        Task(
            "rate",
            f"Xếp loại năm {year}: còn {missing[u.pk]} người của {u.name} chưa được xếp loại",
            reverse("awards:rating_grid", args=[u.pk, year]),
        )
        for u in Unit.objects.filter(pk__in=missing).order_by("path")[:RATING_TASKS]
    ]


def _open_ballots(user: Any) -> QuerySet[Ballot]:
    """Open on-screen ballots where the user's seat (by login or staff record) is present and has not
    voted; absent members vote in writing through the secretary."""
    query = Q(user=user)
    person_id = own_person_id(user)
    if person_id is not None:
        query |= Q(person_id=person_id)
    seats = CouncilMember.objects.filter(query).values("pk")
    return (
        Ballot.objects.filter(
            status=Ballot.Status.OPEN,
            mode=Ballot.Mode.ELECTRONIC,
            meeting__attendance__member__in=seats,
            meeting__attendance__present=True,
        )
        .exclude(voters__member__in=seats)
        .distinct()
        .order_by("pk")
    )


def _ballot_tasks(user: Any) -> list[Task]:
    return [
        Task(
            "vote",
            f"Bỏ phiếu kín: {b.meeting.council.name}, phiên họp ngày {b.meeting.held_on:%d/%m/%Y}",
            reverse("awards:ballot_detail", args=[b.pk]),
        )
        for b in _open_ballots(user).select_related("meeting__council")
    ]


def pending_tasks(user: Any, year: int, *, today: date | None = None) -> list[Task]:
    """What waits for `user` in `year`, within their scope: dossiers to submit, revise, appraise
    (with the working days left) or decide; units with people not yet rated; open ballots the user,
    as a council member, has not voted in. Overdue first, then the nearest deadline."""
    if not getattr(user, "is_authenticated", False):
        return []
    today = today or date.today()
    tasks = [*_ballot_tasks(user), *_dossier_tasks(user, year, today), *_rating_tasks(user, year)]
    return sorted(tasks, key=lambda t: t.days_left if t.days_left is not None else 10_000)


def pending_task_counts(user: Any, year: int, *, today: date | None = None) -> dict[str, KindCount]:
    """`pending_tasks` counted by kind, with the one task's page when a kind has exactly one (the home
    dashboard): a few queries, whatever the number of tasks."""
    if not getattr(user, "is_authenticated", False):
        return {}
    today = today or date.today()
    counts: dict[str, KindCount] = {}
    # A member's open ballots are a handful: their ids, by a query compiled once per user.
    ballots = compiled_rows(
        ("awards.ballot_tasks", *access_key(user)), lambda: _open_ballots(user).values("pk")
    )
    if ballots:
        n = len(ballots)
        counts["vote"] = KindCount(n, reverse("awards:ballot_detail", args=ballots[0]) if n == 1 else None)
    counts.update(_dossier_counts(user, year, today))
    units = _units_to_rate(user, year)
    if units:
        n = min(len(units), RATING_TASKS)
        url = reverse("awards:rating_grid", args=[next(iter(units)), year]) if n == 1 else None
        counts["rate"] = KindCount(n, url)
    return counts


@dataclass
class ReminderRun:
    """What one `send_reminders` run did (or would do, in a dry run)."""

    considered: int = 0
    mailed: list[tuple[Dossier, int, list[str]]] = field(default_factory=list)
    already: int = 0
    without_recipients: int = 0

    @property
    def summary(self) -> str:
        return (
            f"{len(self.mailed)} hồ sơ được nhắc hạn, {self.already} đã nhắc trong ngày, "
            f"{self.without_recipients} không có người nhận (trong {self.considered} hồ sơ sắp hoặc quá hạn)"
        )


def responsible_emails(unit: Unit) -> list[str]:
    """The officers of the appraising unit itself, with an email address."""
    return sorted(
        set(
            Membership.objects.filter(unit=unit, role__in=[Role.OFFICER, Role.ADMIN], user__is_active=True)
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )


def _message(dossier: Dossier, left: int) -> tuple[str, str]:
    name = award_name(dossier.award_id)
    when = (
        f"đã quá hạn {-left} ngày làm việc"
        if left < 0
        else ("hết hạn hôm nay" if left == 0 else f"còn {left} ngày làm việc")
    )
    assert dossier.deadline is not None
    subject = f"[ThiĐua] Hồ sơ {name} của {dossier.unit.name} {when}"
    body = (
        f"Hồ sơ đề nghị {name} năm {dossier.year} của {dossier.unit.name}, trình "
        f"{dossier.appraiser.name} ngày {dossier.submitted_on:%d/%m/%Y}, có hạn thẩm định "
        f"{dossier.deadline:%d/%m/%Y} ({when}).\n\n"
        f"Xem hồ sơ: {absolute_url(reverse('awards:dossier_detail', args=[dossier.pk]))}\n"
    )
    return subject, body


@transaction.atomic
def send_reminders(*, actor: User | None, today: date, dry_run: bool = False) -> ReminderRun:
    """Mail the officers of the appraising unit about every submitted dossier with at most three
    working days left (or overdue); once per dossier and day (a `Reminder` row). Logs one
    `reminders.sent` entry per run; a dry run writes and mails nothing. It reaches every
    organisation's dossiers: the command (`actor` None) or a system administrator."""
    require(actor, is_system_admin(actor), "Chỉ quản trị hệ thống gửi thư nhắc hạn thẩm định cho mọi đơn vị")
    run = ReminderRun()
    dossiers = Dossier.objects.filter(status=Dossier.Status.SUBMITTED, deadline__isnull=False).select_related(
        "unit", "appraiser"
    )
    sent_today = set(Reminder.objects.filter(sent_on=today).values_list("dossier_id", flat=True))
    for dossier in dossiers.order_by("deadline", "pk"):
        assert dossier.deadline is not None
        left = working_days_left(today, dossier.deadline)
        if left > NEAR_DUE_WORKING_DAYS:
            continue
        run.considered += 1
        if dossier.pk in sent_today:
            run.already += 1
            continue
        emails = responsible_emails(dossier.appraiser)
        if not emails:
            run.without_recipients += 1
            continue
        run.mailed.append((dossier, left, emails))
        if not dry_run:
            Reminder.objects.create(
                dossier=dossier, sent_on=today, recipients="\n".join(emails), days_left=left
            )
            subject, body = _message(dossier, left)
            send_mail(subject, body, None, emails)
    if not dry_run:
        for dossier in dossiers:
            assert dossier.deadline is not None
            left = working_days_left(today, dossier.deadline)
            if left <= NEAR_DUE_WORKING_DAYS:
                # The inbox too (mailed above): once while near, once when passed.
                notify_unit(
                    dossier.appraiser,
                    kind=Notice.Kind.DEADLINE,
                    title=_message(dossier, left)[0].removeprefix("[ThiĐua] "),
                    url=reverse("awards:dossier_detail", args=[dossier.pk]),
                    key=f"dossier-deadline-{dossier.pk}-{'passed' if left < 0 else 'near'}",
                    mail=False,
                )
    if not dry_run:
        log(
            "reminders.sent",
            actor=actor,
            detail={
                "today": today.isoformat(),
                "mailed": [
                    {"dossier": d.pk, "unit": d.unit.name, "days_left": left, "recipients": len(emails)}
                    for d, left, emails in run.mailed
                ],
                "already": run.already,
                "without_recipients": run.without_recipients,
            },
        )
    return run
