"""Deadlines and reminders: working days with public holidays, the "Việc cần làm" panel
(`pending_tasks`) and `thidua send_reminders`."""

from __future__ import annotations

from datetime import date
from io import StringIO
from types import SimpleNamespace
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command

from thidua.audit.models import AuditEntry
from thidua.awards import services
from thidua.awards.models import Reminder
from thidua.awards.tests.helpers import CSTDCS, YEAR, confirmed_candidate, meeting_with, submitted_dossier
from thidua.lib.workdays import add_working_days, working_days_left


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (date(2025, 12, 12), 20, date(2026, 1, 12)),  # 01/01/2026 is off
        (date(2026, 1, 5), 20, date(2026, 2, 2)),
        (date(2026, 2, 12), 3, date(2026, 2, 24)),  # Tết Bính Ngọ 16-20/02/2026
        (date(2025, 4, 25), 3, date(2025, 5, 2)),  # 30/04 and 01/05/2025
        (date(2025, 8, 29), 1, date(2025, 9, 3)),  # Quốc khánh 01-02/09/2025
    ],
)
def test_it_adds_working_days_skipping_weekends_and_holidays(start: date, days: int, expected: date) -> None:
    assert add_working_days(start, days) == expected


@pytest.mark.parametrize(
    ("today", "deadline", "left"),
    [
        (date(2026, 1, 7), date(2026, 1, 12), 3),
        (date(2026, 1, 12), date(2026, 1, 12), 0),
        (date(2026, 1, 13), date(2026, 1, 12), -1),
        (date(2026, 1, 19), date(2026, 1, 12), -5),
        (date(2025, 12, 31), date(2026, 1, 2), 1),
    ],
)
def test_it_counts_working_days_left(today: date, deadline: date, left: int) -> None:
    assert working_days_left(today, deadline) == left


@pytest.mark.django_db
def test_pending_tasks_follow_the_user_and_the_step(
    org: SimpleNamespace,
    personas: SimpleNamespace,
    council: SimpleNamespace,
    history: Any,
    root_officer: Any,
) -> None:
    """GIVEN a dossier submitted 12/12/2025 (due 12/01/2026), an open ballot and an unrated person
    WHEN each user asks THEN each sees only what waits for them."""
    dossier, _ = submitted_dossier(org, council, personas.officer)
    # The province's officer: Bình (in org.a) and the council members are not rated.
    officer_tasks = services.pending_tasks(personas.officer, YEAR, today=date(2026, 1, 7))
    assert [t.kind for t in officer_tasks if t.kind != "rate"] == []
    rate = [t for t in officer_tasks if t.kind == "rate"]
    assert rate and "chưa được xếp loại" in rate[0].label
    # The level above appraises: 3 working days left on 07/01/2026, overdue on 13/01/2026.
    (task,) = [
        t for t in services.pending_tasks(root_officer, YEAR, today=date(2026, 1, 7)) if t.kind != "rate"
    ]
    assert (task.kind, task.due, task.days_left, task.overdue) == ("appraise", date(2026, 1, 12), 3, False)
    assert task.due_text == "còn 3 ngày làm việc" and task.url == f"/khen-thuong/ho-so/{dossier.pk}/"
    (task,) = [
        t for t in services.pending_tasks(root_officer, YEAR, today=date(2026, 1, 13)) if t.kind != "rate"
    ]
    assert task.overdue and task.due_text == "quá hạn 1 ngày làm việc"
    # Returned: back to the province to revise.
    services.return_dossier(actor=root_officer, dossier=dossier, version=2, reason="Thiếu báo cáo")
    (task,) = [t for t in services.pending_tasks(personas.officer, YEAR) if t.kind != "rate"]
    assert task.kind == "revise" and "Thiếu báo cáo" in task.label
    assert [t for t in services.pending_tasks(root_officer, YEAR) if t.kind != "rate"] == []
    # A staff member has nothing to do.
    assert services.pending_tasks(personas.staff, YEAR) == []


@pytest.mark.django_db
def test_pending_tasks_list_open_ballots_until_the_member_votes(
    org: SimpleNamespace, personas: SimpleNamespace, council: SimpleNamespace, history: Any, client_for: Any
) -> None:
    cand = confirmed_candidate(org, personas.officer)
    ballot = services.open_ballot(
        actor=personas.officer, meeting=meeting_with(council, personas.officer, present=9), candidates=[cand]
    )
    assert services.pending_tasks(council.users[9], YEAR) == []  # absent: votes in writing
    member = council.users[2]
    (task,) = services.pending_tasks(member, YEAR)
    assert task.kind == "vote" and task.url == f"/khen-thuong/bo-phieu/{ballot.pk}/"
    page = client_for(member).get(f"/khen-thuong/?nam={YEAR}").content.decode()
    assert "Việc cần làm" in page and "Bỏ phiếu kín: Hội đồng Thi đua" in page
    item = ballot.items.get()
    services.cast_votes(actor=member, ballot=ballot, member=council.members[2], choices={item.pk: "agree"})
    assert services.pending_tasks(member, YEAR) == []
    assert [t.kind for t in services.pending_tasks(council.users[3], YEAR)] == ["vote"]
    services.cancel_ballot(actor=personas.officer, ballot=ballot, reason="Chuyển sang bỏ phiếu giấy")
    services.open_ballot(actor=personas.officer, meeting=ballot.meeting, candidates=[cand], mode="paper")
    assert services.pending_tasks(council.users[3], YEAR) == []  # on paper: nothing to do on screen


@pytest.mark.django_db
def test_the_awards_page_shows_the_deadline_of_a_dossier_to_appraise(
    org: SimpleNamespace,
    personas: SimpleNamespace,
    council: SimpleNamespace,
    history: Any,
    root_officer: Any,
    client_for: Any,
) -> None:
    submitted_dossier(org, council, personas.officer)
    page = client_for(root_officer).get(f"/khen-thuong/?nam={YEAR}").content.decode()
    assert "Thẩm định hồ sơ Chiến sĩ thi đua cơ sở" in page
    assert "hạn 12/01/2026" in page and "quá hạn" in page


def _mail_officer(root_officer: Any) -> None:
    root_officer.email = "canbo.tw@bhxh.gov.vn"
    root_officer.save(update_fields=["email"])


@pytest.mark.django_db
def test_send_reminders_mails_once_a_day(
    org: SimpleNamespace, personas: SimpleNamespace, council: SimpleNamespace, history: Any, root_officer: Any
) -> None:
    dossier, _ = submitted_dossier(org, council, personas.officer)  # due 12/01/2026
    _mail_officer(root_officer)
    out = StringIO()
    call_command("send_reminders", "--today", "2026-01-06", stdout=out)  # 4 working days left
    assert "0 hồ sơ được nhắc hạn" in out.getvalue() and not mail.outbox

    out = StringIO()
    call_command("send_reminders", "--today", "2026-01-07", "--dry-run", stdout=out)
    assert out.getvalue().startswith("(chạy thử, không gửi) 07/01/2026: 1 hồ sơ được nhắc hạn")
    assert not mail.outbox and not Reminder.objects.exists()
    assert AuditEntry.objects.filter(action="reminders.sent").count() == 1  # the 06/01 run only

    out = StringIO()
    call_command("send_reminders", "--today", "2026-01-07", stdout=out)
    assert out.getvalue().strip() == (
        "07/01/2026: 1 hồ sơ được nhắc hạn, 0 đã nhắc trong ngày, 0 không có người nhận "
        "(trong 1 hồ sơ sắp hoặc quá hạn)"
    )
    (message,) = mail.outbox
    assert message.to == ["canbo.tw@bhxh.gov.vn"]
    assert "còn 3 ngày làm việc" in message.subject and "12/01/2026" in message.body
    reminder = Reminder.objects.get()
    assert (reminder.dossier, reminder.sent_on, reminder.days_left) == (dossier, date(2026, 1, 7), 3)
    entry = AuditEntry.objects.filter(action="reminders.sent").latest("pk")
    assert entry.detail["mailed"][0]["dossier"] == dossier.pk and entry.actor is None

    out = StringIO()
    call_command("send_reminders", "--today", "2026-01-07", stdout=out)  # the same day again
    assert "0 hồ sơ được nhắc hạn, 1 đã nhắc trong ngày" in out.getvalue()
    assert len(mail.outbox) == 1 and AuditEntry.objects.filter(action="reminders.sent").count() == 3

    call_command("send_reminders", "--today", "2026-01-14", stdout=StringIO())  # overdue, a new day
    assert len(mail.outbox) == 2 and "quá hạn 2 ngày làm việc" in mail.outbox[1].subject


@pytest.mark.django_db
def test_send_reminders_skips_dossiers_already_appraised(
    org: SimpleNamespace, personas: SimpleNamespace, council: SimpleNamespace, history: Any, root_officer: Any
) -> None:
    dossier, cand = submitted_dossier(org, council, personas.officer)
    _mail_officer(root_officer)
    services.appraise_dossier(actor=root_officer, dossier=dossier, version=2, verdicts={cand.pk: (True, "")})
    out = StringIO()
    call_command("send_reminders", "--today", "2026-01-14", stdout=out)
    assert "trong 0 hồ sơ" in out.getvalue() and not mail.outbox
    assert dossier.award_id == CSTDCS


@pytest.mark.django_db
def test_send_reminders_refuses_a_bad_date() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Ngày không hợp lệ"):
        call_command("send_reminders", "--today", "07/01/2026", stdout=StringIO())
