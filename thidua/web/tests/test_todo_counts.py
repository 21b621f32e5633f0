""" "Việc cần làm" on the home dashboard is counted in SQL (`movement_task_counts`,
`pending_task_counts`); the lists (`movement_tasks`, `pending_tasks`) build every task. Both must say
the same thing for every persona of the demo, with tasks of every kind in it."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse

from thidua.accounts.models import User
from thidua.awards.models import Dossier
from thidua.awards.services import pending_tasks
from thidua.history.years import year_under_review
from thidua.movements.models import Registration, Result
from thidua.movements.tasks import movement_tasks
from thidua.org.models import Membership
from thidua.web.views import TODO_LABELS, todo_counts

PERSONAS = ["admin", "canbo.bhxhvn", "canbo.hanoi", "giamdoc.hanoi", "hoidong.hanoi", "nhanvien.hanoi"]


def _from_lists(user: Any) -> list[tuple[str, int, str, bool]]:
    """What the dashboard showed when it built every task (the code before the counts)."""
    by_kind: dict[str, list[Any]] = {}
    tasks: list[Any] = [*movement_tasks(user), *pending_tasks(user, year_under_review(user))]
    for t in tasks:
        by_kind.setdefault(t.kind, []).append(t)
    rows = []
    for kind, (label, url_name) in TODO_LABELS.items():
        items = by_kind.get(kind, [])
        if items:
            url = items[0].url if len(items) == 1 else reverse(url_name)
            if url_name == "awards:index" and len(items) > 1:
                url += "#viec-can-lam"
            rows.append((label, len(items), url, any(getattr(i, "overdue", False) for i in items)))
    return rows


def _counted(user: Any) -> list[tuple[str, int, str, bool]]:
    return [
        (r["label"], r["count"], r["url"], r["overdue"])
        for r in todo_counts(user)
        if r["label"] != "Thông báo chưa đọc"
    ]


def _user(username: str) -> User:
    return User.objects.select_related("person").get(username=username)  # grants not yet read


def _spread_statuses() -> None:
    """Tasks of every kind: registrations, results and dossiers of the demo moved to each status,
    in Hà Nội (the province officer's own) and elsewhere, a few of each and some alone (so that the
    single task's own page is used); one appraisal overdue."""
    hanoi = Membership.objects.get(user__username="canbo.hanoi").unit.path

    def spread(rows: Any, statuses: list[Any]) -> None:
        inside = [r for r in rows if r.unit.path.startswith(hanoi)]
        outside = [r for r in rows if not r.unit.path.startswith(hanoi)]
        for group in (inside, outside):
            for row, status in zip(group, statuses, strict=False):
                type(row).objects.filter(pk=row.pk).update(status=status)

    registrations = list(Registration.objects.select_related("unit").order_by("pk"))
    spread(registrations, [Registration.Status.SUBMITTED] * 3 + [Registration.Status.RETURNED])
    results = list(Result.objects.select_related("unit").order_by("pk"))
    spread(results, [Result.Status.SELF_SCORED] + [Result.Status.REVIEWED] * 3)
    dossiers = list(Dossier.objects.select_related("unit").order_by("pk"))
    spread(dossiers, [Dossier.Status.DRAFT, Dossier.Status.RETURNED, Dossier.Status.APPRAISED] * 2)
    submitted = Dossier.objects.filter(status=Dossier.Status.SUBMITTED).order_by("pk")
    for i, d in enumerate(submitted):
        Dossier.objects.filter(pk=d.pk).update(
            deadline=date.today() + timedelta(days=(-10 if i == 0 else 20))
        )


@pytest.mark.parametrize("username", PERSONAS)
def test_the_demo_dashboard_counts_what_the_lists_hold(demo, db, username):
    assert _counted(_user(username)) == _from_lists(_user(username))


@pytest.mark.parametrize("username", PERSONAS)
def test_with_tasks_of_every_kind_the_counts_still_match_the_lists(demo, db, username):
    _spread_statuses()
    assert _counted(_user(username)) == _from_lists(_user(username))


def test_tasks_of_every_kind_are_reached_by_someone(demo, db):
    _spread_statuses()
    kinds = {label for username in PERSONAS for label, *_ in _counted(_user(username))}
    assert len(kinds) >= 6, kinds  # the small demo has no registration or result in Hà Nội


@pytest.mark.parametrize("username", PERSONAS)
def test_the_dashboard_runs_a_fixed_number_of_queries(
    demo, db, username, client, django_assert_max_num_queries
):
    _spread_statuses()
    client.force_login(User.objects.get(username=username))
    client.get("/")
    # Session, user, grants, organisation, units by kind, people (+ own record), provinces or the
    # scope's name, year under review, registrations, results, ballots, dossiers, units to rate,
    # inbox, recent entries (16 on SQLite). On PostgreSQL two reads of the write counters, and the
    # shared figures are computed again inside the test's transaction (with the demo unwritten):
    # 16 queries outside tests (bench/dashboard_cpu.py).
    with django_assert_max_num_queries(16 if connection.vendor == "sqlite" else 18):
        assert client.get("/").status_code == 200


def test_a_change_shows_at_once_the_sql_is_kept_not_the_rows(demo, db):
    before = _counted(_user("canbo.bhxhvn"))  # compiles and keeps the queries of this user
    _spread_statuses()
    after = _counted(_user("canbo.bhxhvn"))
    assert after != before
    assert after == _from_lists(_user("canbo.bhxhvn"))
