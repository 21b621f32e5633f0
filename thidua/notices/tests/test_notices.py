"""Notices: the inbox, mail after the commit with absolute links, the events that send them."""

from datetime import date

import pytest
from django.core import mail
from django.db import transaction

from thidua.audit.models import AuditEntry
from thidua.notices.models import Notice
from thidua.notices.services import notify_unit

pytestmark = pytest.mark.django_db
pytest_plugins = ["thidua.movements.tests.fixtures"]


def test_mail_waits_for_the_commit_and_carries_an_absolute_link(
    personas, org, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://thidua.example.vn"
    personas.officer.email = "canbo.hn@example.vn"
    personas.officer.save()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify_unit(org.a, kind=Notice.Kind.MOVEMENT, title="Phong trào mới", url="/phong-trao/1/")
    assert len(mail.outbox) == 0 and len(callbacks) == 1  # nothing mailed inside the transaction
    callbacks[0]()
    assert mail.outbox[0].to == ["canbo.hn@example.vn"]
    assert "https://thidua.example.vn/phong-trao/1/" in mail.outbox[0].body
    assert Notice.objects.get(recipient=personas.officer).mailed


def test_a_rolled_back_change_leaves_no_notice_and_no_mail(personas, org):
    with pytest.raises(RuntimeError), transaction.atomic():
        notify_unit(org.a, kind=Notice.Kind.MOVEMENT, title="Không xảy ra")
        raise RuntimeError
    assert not Notice.objects.exists() and not mail.outbox


def test_the_inbox_shows_only_ones_own_notices_and_opening_marks_read(client_for, personas, org):
    notify_unit(org.a, kind=Notice.Kind.REGISTRATION, title="Đăng ký đã được duyệt", url="/phong-trao/")
    notify_unit(org.b, kind=Notice.Kind.REGISTRATION, title="Của đơn vị khác")
    client = client_for(personas.officer)
    page = client.get("/thong-bao/").content.decode()
    assert "Đăng ký đã được duyệt" in page and "Của đơn vị khác" not in page
    assert "Thông báo <span" in client.get("/").content.decode()  # the unread count in the navigation
    mine = Notice.objects.get(recipient=personas.officer)
    other = Notice.objects.exclude(recipient=personas.officer).get()
    assert client.get(f"/thong-bao/{other.pk}/").status_code == 404
    response = client.get(f"/thong-bao/{mine.pk}/")
    assert response.status_code == 302 and response["Location"] == "/phong-trao/"
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_the_events_that_notify_the_unit(client_for, personas, root_officer, org, movement, cluster):
    from thidua.movements import services
    from thidua.movements.tests.samples import GOOD, TABLE, YEAR

    services.launch_movement(actor=None, movement=movement)
    launched = Notice.objects.get(recipient=personas.officer, kind=Notice.Kind.MOVEMENT)
    assert movement.title in launched.title and launched.url == f"/phong-trao/{movement.pk}/"
    services.start_movement(actor=None, movement=movement)
    services.save_scoring_table(actor=None, movement=movement, year=YEAR, data=TABLE)
    registration = services.save_registration(
        actor=personas.officer, movement=movement, unit=org.a, year=YEAR, targets={"I.1": 100}, titles=[]
    )
    services.submit_registration(actor=personas.officer, registration=registration)
    services.return_registration(actor=root_officer, registration=registration, reason="Thiếu chỉ tiêu I.2")
    returned = Notice.objects.filter(recipient=personas.officer, kind=Notice.Kind.REGISTRATION).get()
    assert "bị trả lại" in returned.title and "Thiếu chỉ tiêu I.2" in returned.body
    result = services.save_result(
        actor=personas.officer, movement=movement, unit=org.a, year=YEAR, period="nam", figures=GOOD
    )
    services.submit_result(actor=personas.officer, result=result)
    services.review_result(actor=root_officer, result=result, note="Thống nhất")
    reviewed = Notice.objects.get(recipient=personas.officer, kind=Notice.Kind.RESULT)
    assert "10,00 điểm" in reviewed.title and reviewed.url == f"/phong-trao/ket-qua/{result.pk}/"
    # The home page starts with the counts of what waits.
    home = client_for(root_officer).get("/")
    assert any(t["label"] == "Đăng ký thi đua chờ duyệt" for t in home.context["todo"]) is False  # returned
    services.submit_registration(actor=personas.officer, registration=registration)
    home = client_for(root_officer).get("/")
    assert {"label": "Đăng ký thi đua chờ duyệt", "count": 1} in [
        {k: t[k] for k in ("label", "count")} for t in home.context["todo"]
    ]


def test_registration_deadline_notices_come_once_near_and_once_passed(personas, org, running):
    from thidua.movements import services
    from thidua.movements.models import Milestone

    Milestone.objects.create(movement=running, kind=Milestone.Kind.REGISTRATION, due_on=date(2026, 1, 30))
    assert services.notify_registration_deadlines(actor=None, today=date(2026, 1, 20)) == 0  # 8 working days
    assert services.notify_registration_deadlines(actor=None, today=date(2026, 1, 27)) >= 1
    assert services.notify_registration_deadlines(actor=None, today=date(2026, 1, 28)) == 0  # already told
    assert services.notify_registration_deadlines(actor=None, today=date(2026, 2, 2)) >= 1  # passed
    titles = list(Notice.objects.filter(recipient=personas.officer).values_list("title", flat=True))
    assert any("hạn 30/01/2026" in t for t in titles) and any("đã quá hạn (30/01/2026)" in t for t in titles)


def test_result_deadline_notices_come_once_a_day_while_near_or_passed_until_the_unit_reports(
    personas, org, running
):
    from io import StringIO

    from django.core.management import call_command

    from thidua.movements import services
    from thidua.movements.models import Milestone
    from thidua.movements.tests.samples import GOOD

    Milestone.objects.create(movement=running, kind=Milestone.Kind.SELF_ASSESSMENT, due_on=date(2026, 12, 10))
    assert services.notify_result_deadlines(actor=None, today=date(2026, 11, 30)) == 0  # 8 working days
    assert services.notify_result_deadlines(actor=None, today=date(2026, 12, 7)) == 2  # A and B, 3 days
    assert services.notify_result_deadlines(actor=None, today=date(2026, 12, 7)) == 0  # once a day
    near = Notice.objects.get(recipient=personas.officer, kind=Notice.Kind.DEADLINE)
    assert near.title == ("Kết quả thi đua Năm 2026 hạn 10/12/2026, còn 3 ngày làm việc — " + running.title)
    assert near.url == f"/phong-trao/{running.pk}/ket-qua/2026/nam/don-vi/{org.a.pk}/"
    result = services.save_result(
        actor=personas.outsider_officer, movement=running, unit=org.b, year=2026, period="nam", figures=GOOD
    )
    assert services.notify_result_deadlines(actor=None, today=date(2026, 12, 8)) == 2  # a draft is not sent
    services.submit_result(actor=personas.outsider_officer, result=result)
    out = StringIO()
    call_command("send_reminders", today="2026-12-14", stdout=out)  # B has reported: A alone is told
    assert "1 thông báo hạn tự chấm điểm, gửi kết quả" in out.getvalue()
    deadlines = Notice.objects.filter(kind=Notice.Kind.DEADLINE)
    passed = deadlines.filter(recipient=personas.officer).order_by("-pk").first()
    assert passed is not None and "đã quá hạn 2 ngày làm việc (hạn 10/12/2026)" in passed.title
    assert deadlines.filter(recipient=personas.officer).count() == 3
    assert deadlines.filter(recipient=personas.outsider_officer).count() == 2
    assert services.notify_result_deadlines(actor=None, today=date(2027, 1, 12)) == 0  # a month after
    assert set(
        AuditEntry.objects.filter(action="notices.deadlines").values_list("detail__results", flat=True)
    ) == {2, 1}


def test_a_quarterly_deadline_reaches_the_units_missing_that_quarter_and_no_other_period(
    personas, org, running
):
    """The deadline of a period is `result_deadline`'s: the first self-assessment milestone in the
    three months after the period ends (the year: the last one of the year). A quarter counts once a
    unit reports it; months nobody reports are never asked for."""
    from thidua.movements import services
    from thidua.movements.models import Milestone
    from thidua.movements.tests.samples import GOOD

    Milestone.objects.create(movement=running, kind=Milestone.Kind.SELF_ASSESSMENT, due_on=date(2026, 10, 15))
    Milestone.objects.create(movement=running, kind=Milestone.Kind.SELF_ASSESSMENT, due_on=date(2026, 12, 10))
    result = services.save_result(
        actor=personas.officer, movement=running, unit=org.a, year=2026, period="q3", figures=GOOD
    )
    services.submit_result(actor=personas.officer, result=result)
    assert services.notify_result_deadlines(actor=None, today=date(2026, 10, 13)) == 1  # B, for quý III
    told = Notice.objects.get(kind=Notice.Kind.DEADLINE)
    assert told.recipient == personas.outsider_officer
    assert told.title.startswith("Kết quả thi đua Quý III/2026 hạn 15/10/2026, còn 2 ngày làm việc")
    assert told.url == f"/phong-trao/{running.pk}/ket-qua/2026/q3/don-vi/{org.b.pk}/"
    # The year is due on 10/12: near it both units are told about the year (quý III is more than a
    # month past its deadline: no longer recalled).
    assert services.notify_result_deadlines(actor=None, today=date(2026, 12, 8)) == 2
    titles = set(Notice.objects.filter(kind=Notice.Kind.DEADLINE).values_list("title", flat=True))
    assert not any("Tháng" in t or "Quý I/" in t or "Quý II/" in t for t in titles)
