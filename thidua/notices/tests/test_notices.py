"""Notices: the inbox, mail after the commit with absolute links, the events that send them."""

from datetime import date

import pytest
from django.core import mail
from django.db import transaction

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
