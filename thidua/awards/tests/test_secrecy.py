"""The secret ballot against every user: no sequence of actions open to the officer, the chair, a
member or an administrator reveals how an identified member voted (rules in docs/year-end.md,
"Secrecy of the ballot")."""

from __future__ import annotations

import io
import re
import threading
from collections.abc import Callable
from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, models, transaction
from docx import Document

from thidua.accounts.models import User
from thidua.audit.models import AuditEntry
from thidua.awards import services
from thidua.awards.models import Ballot, BallotCount, BallotItem, BallotVoter, Candidate, CouncilMember
from thidua.awards.tests.helpers import confirmed_candidate, make_council, meeting_with, scan, vote
from thidua.core.errors import DomainError


def _docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def _open(org: SimpleNamespace, personas: SimpleNamespace, council: SimpleNamespace, **kw: Any) -> Ballot:
    cand = confirmed_candidate(org, personas.officer)
    meeting = meeting_with(council, personas.officer, present=kw.pop("present", 10))
    return services.open_ballot(actor=personas.officer, meeting=meeting, candidates=[cand], **kw)


# -- rule 1: the sealed box ------------------------------------------------------------------------
VOTER_MODELS = (CouncilMember, User)


def test_no_table_holds_both_a_voter_and_a_choice_or_a_count() -> None:
    for model in apps.get_models():
        fields = [f for f in model._meta.get_fields() if isinstance(f, models.Field)]
        names = {f.name for f in fields}
        has_choice = bool(names & {"choice", "agree", "disagree"}) or any(
            f.choices and {"agree", "disagree"} <= set(dict(f.choices)) for f in fields
        )
        has_voter = any(isinstance(f, models.ForeignKey) and f.related_model in VOTER_MODELS for f in fields)
        assert not (has_choice and has_voter), model
    box = {f.name for f in BallotCount._meta.get_fields()}
    assert box == {"item", "agree", "disagree"}  # no voter, no time, no key of its own
    voter = {f.name for f in BallotVoter._meta.get_fields()}
    assert voter == {"id", "ballot", "member", "in_writing", "scan"}  # no choice, no time


@pytest.mark.django_db
def test_a_vote_adds_one_voter_row_and_one_audit_entry_and_nothing_else(
    org: SimpleNamespace, personas: SimpleNamespace, council: SimpleNamespace, history: Any
) -> None:
    """No row per choice: neither the order nor the keys of stored rows can say who chose what."""
    ballot = _open(org, personas, council)
    item = ballot.items.get()

    def counts() -> dict[str, int]:
        return {m._meta.label: m._default_manager.count() for m in apps.get_models()}

    before = counts()
    services.cast_votes(
        actor=council.users[0], ballot=ballot, member=council.members[0], choices={item.pk: "agree"}
    )
    after = counts()
    grown = {label: after[label] - before[label] for label in after if after[label] != before[label]}
    assert grown == {"awards.BallotVoter": 1, "audit.AuditEntry": 1}
    box = BallotCount.objects.get(item=item)
    assert (box.agree, box.disagree) == (1, 0)
    entry = AuditEntry.objects.get(action="ballot.voted")
    assert entry.detail == {"member": "Thành viên Hội đồng Số 0", "in_writing": False}


# -- rule 2: nothing before the count -------------------------------------------------------------
def _normalise(text: str) -> str:
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)
    text = re.sub(r"\b[A-Za-z0-9]{64}\b", "TOKEN", text)  # CSRF tokens, masked anew on every page
    return re.sub(r"\d{2}:\d{2}(:\d{2})?", "hh:mm", text)  # times of day in the audit log


def _surfaces(
    ballot: Ballot, council: SimpleNamespace, personas: SimpleNamespace, client_for: Callable[[Any], Any]
) -> dict[str, str]:
    """Everything the app shows about the ballot and its meeting, to every kind of user."""
    superuser = User.objects.get(username="superadmin")
    meeting = ballot.meeting
    chair, secretary, member = council.users[0], council.users[1], council.users[5]
    pages = {
        "ballot": f"/khen-thuong/bo-phieu/{ballot.pk}/",
        "meeting": f"/khen-thuong/phien-hop/{meeting.pk}/",
        "council": f"/khen-thuong/hoi-dong/{meeting.council_id}/",
        "hub": "/khen-thuong/",
        "audit": "/nhat-ky/",
        "candidates": f"/khen-thuong/de-nghi/{ballot.items.get().candidate.unit_id}/{meeting.year}/",
        "api-ballot": f"/api/v1/ballots/{ballot.pk}/",
        "api-ballots": "/api/v1/ballots/",
        "api-meeting": f"/api/v1/meetings/{meeting.pk}/",
        "api-candidates": "/api/v1/candidates/",
        "admin-candidates": "/quan-tri/awards/candidate/",
        "admin-meetings": "/quan-tri/awards/meeting/",
    }
    out = {}
    for who, user in {
        "officer": personas.officer,
        "chair": chair,
        "secretary": secretary,
        "member": member,
        "superuser": superuser,
    }.items():
        client = client_for(user)
        for name, url in pages.items():
            r = client.get(url)
            out[f"{who} {name}"] = f"{r.status_code} {_normalise(r.content.decode())}"
        out[f"{who} minutes"] = _docx_text(
            client.get(f"/khen-thuong/phien-hop/{meeting.pk}/bien-ban.docx").content
        )
    out["admin ballot items"] = str(client_for(superuser).get("/quan-tri/awards/ballotitem/").status_code)
    out["admin ballot box"] = str(client_for(superuser).get("/quan-tri/awards/ballotcount/").status_code)
    return out


def _rows() -> dict[str, list[tuple[Any, ...]]]:
    """Every stored row of every table, but the counters of the sealed box (and the clock time of
    the writes, the same in both worlds but for the microseconds the test takes)."""
    dump = {}
    for model in apps.get_models():
        if model._meta.app_label == "sessions":  # the logins of the test clients
            continue
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if not getattr(f, "auto_now", False)
            and not getattr(f, "auto_now_add", False)
            and f.name != "last_login"  # wall clock
        ]
        if model is BallotCount:
            fields = ["item_id"]
        rows = model._default_manager.order_by("pk").values_list(*fields)
        dump[model._meta.label] = [tuple(str(v) for v in row) for row in rows]
    return dump


def _reset_sequences() -> None:
    """Ids given inside a rolled back world are given again in the next (PostgreSQL sequences do not
    roll back by themselves)."""
    sql = connection.ops.sequence_reset_sql(no_style(), list(apps.get_models()))
    with connection.cursor() as cursor:
        for statement in sql:
            cursor.execute(statement)


@pytest.mark.django_db
def test_nothing_the_app_shows_or_stores_depends_on_a_choice_while_the_ballot_is_open(
    org: SimpleNamespace,
    personas: SimpleNamespace,
    council: SimpleNamespace,
    history: Any,
    client_for: Any,
    media: Any,
) -> None:
    """Two worlds that differ only in how member 5 voted (and how the absent member 9 voted in
    writing): every page, API answer, minutes, audit log and admin page, for the officer, the chair,
    the secretary, a member and a superuser, and every stored row but the two counters, are the same."""
    User.objects.create_superuser("superadmin", password="x")
    ballot = _open(org, personas, council, present=9)
    item = ballot.items.get()
    vote(ballot, council, 3, 1)  # members 0-3 before: 3 agree, 1 disagree
    worlds = []
    for choice in ("agree", "disagree"):
        with transaction.atomic():
            services.cast_votes(
                actor=council.users[5], ballot=ballot, member=council.members[5], choices={item.pk: choice}
            )
            services.cast_votes(
                actor=council.users[1],
                ballot=ballot,
                member=council.members[9],
                choices={item.pk: choice},
                in_writing=True,
                scan=scan(),
            )
            BallotVoter.objects.filter(in_writing=True).update(scan="ballots/written/same.pdf")
            box = BallotCount.objects.get(item=item)
            worlds.append(
                (_surfaces(ballot, council, personas, client_for), _rows(), (box.agree, box.disagree))
            )
            transaction.set_rollback(True)
        _reset_sequences()
    (seen_a, rows_a, box_a), (seen_b, rows_b, box_b) = worlds
    assert box_a == (5, 1) and box_b == (3, 3)  # the worlds do differ, in the sealed box only
    for key in seen_a:
        assert seen_a[key] == seen_b[key], key
    for label in rows_a:
        assert rows_a[label] == rows_b[label], label
    assert seen_a["admin ballot box"] == "404" and seen_a["admin ballot items"] == "404"
    assert seen_a["member api-ballot"].startswith("200") and '"agree":null' in seen_a["member api-ballot"]
    assert seen_a["superuser ballot"].startswith("200")


# -- rule 3: closing -----------------------------------------------------------------------------
@pytest.mark.django_db
def test_the_officer_cannot_close_after_one_vote_and_read_it(
    org: SimpleNamespace, personas: SimpleNamespace, council: SimpleNamespace, history: Any, client_for: Any
) -> None:
    """The attack of issue 12: close after one vote, read the tally beside "Đã bỏ phiếu: 1 (name)"."""
    ballot = _open(org, personas, council)
    vote(ballot, council, 1, 0)
    with pytest.raises(DomainError, match="chỉ Chủ tịch Hội đồng được kết thúc sớm"):
        services.close_ballot(actor=personas.officer, ballot=ballot)
    officer = client_for(personas.officer)
    r = officer.post(f"/khen-thuong/bo-phieu/{ballot.pk}/kiem-phieu/", follow=True)
    assert "chỉ Chủ tịch Hội đồng được kết thúc sớm" in r.content.decode()
    r = officer.post(f"/api/v1/ballots/{ballot.pk}/close/", {}, content_type="application/json")
    assert r.status_code == 400
    ballot.refresh_from_db()
    assert ballot.status == "open" and ballot.items.get().agree is None
    assert not AuditEntry.objects.filter(action="ballot.closed").exists()


@pytest.mark.django_db
def test_only_the_chair_closes_early_with_a_reason_and_a_quorum_of_ballots(
    org: SimpleNamespace, personas: SimpleNamespace, council: SimpleNamespace, history: Any
) -> None:
    ballot = _open(org, personas, council)
    chair, secretary = council.users[0], council.users[1]
    vote(ballot, council, 6, 0)  # 6 of 10 present voted; the quorum is 7 (2/3 of 10)
    with pytest.raises(DomainError, match="chỉ Chủ tịch"):
        services.close_ballot(actor=secretary, ballot=ballot, reason="Hết giờ")
    with pytest.raises(DomainError, match="cần ghi lý do"):
        services.close_ballot(actor=chair, ballot=ballot)
    with pytest.raises(
        DomainError, match=r"Mới có 6 phiếu, ít hơn số thành viên tối thiểu phải có mặt \(7\)"
    ):
        services.close_ballot(actor=chair, ballot=ballot, reason="Hết giờ")
    vote(ballot, council, 7, 0, start=6)
    services.close_ballot(actor=chair, ballot=ballot, reason="Hai thành viên rời phiên họp")
    ballot.refresh_from_db()
    assert ballot.closed_early and ballot.items.get().agree == 7
    entry = AuditEntry.objects.get(action="ballot.closed")
    assert entry.detail["closed_early"] is True and entry.detail["voters"] == 7


@pytest.mark.django_db
def test_no_tally_of_fewer_than_three_ballots_even_when_complete(
    org: SimpleNamespace, personas: SimpleNamespace, history: Any
) -> None:
    """A council of three with two present: complete, quorate, and still too few to keep a secret."""
    c = make_council(org, personas.officer, 3, prefix="nho")
    cand = confirmed_candidate(org, personas.officer)
    meeting = services.hold_meeting(
        actor=personas.officer,
        council=c.council,
        year=2025,
        held_on=date(2025, 12, 10),
        present=c.members[:2],
    )
    ballot = services.open_ballot(actor=personas.officer, meeting=meeting, candidates=[cand])
    vote(ballot, c, 2, 0)
    with pytest.raises(DomainError, match="cần ít nhất 3 phiếu"):
        services.close_ballot(actor=personas.officer, ballot=ballot)
    services.cancel_ballot(actor=personas.officer, ballot=ballot, reason="Chuyển sang bỏ phiếu giấy")
    ballot.refresh_from_db()
    assert ballot.status == "cancelled" and ballot.items.get().agree is None
    assert not BallotCount.objects.exists()  # the box is emptied unread


# -- rule 4: re-ballots with the same voters ------------------------------------------------------
@pytest.mark.django_db
def test_a_reballot_needs_a_reason_and_the_same_voters(
    org: SimpleNamespace, personas: SimpleNamespace, council: SimpleNamespace, history: Any
) -> None:
    """Ballot 1: all ten vote. Ballot 2 of the same candidate without member 9: its tally minus
    ballot 1's would be member 9's choice, so it is not counted until member 9 votes too."""
    ballot = _open(org, personas, council)
    cand = ballot.items.get().candidate
    meeting = ballot.meeting
    vote(ballot, council, 8, 2)
    services.close_ballot(actor=personas.officer, ballot=ballot)
    with pytest.raises(DomainError, match="bỏ phiếu lại cần ghi lý do"):
        services.open_ballot(actor=personas.officer, meeting=meeting, candidates=[cand])
    again = services.open_ballot(
        actor=personas.officer, meeting=meeting, candidates=[cand], reason="Bổ sung minh chứng sáng kiến"
    )
    assert AuditEntry.objects.get(action="ballot.opened", object_id=str(again.pk)).detail["reason"]
    with pytest.raises(DomainError, match="đang có cuộc bỏ phiếu chưa kết thúc"):
        services.open_ballot(actor=personas.officer, meeting=meeting, candidates=[cand], reason="x")
    vote(again, council, 9, 0)  # member 9 has not voted again
    with pytest.raises(DomainError, match="chỉ Chủ tịch"):
        services.close_ballot(actor=personas.officer, ballot=again)
    with pytest.raises(DomainError, match="còn thiếu phiếu của Thành viên Hội đồng Số 9"):
        services.close_ballot(actor=council.users[0], ballot=again, reason="Thành viên số 9 ra về")
    assert again.items.get().agree is None
    vote(again, council, 10, 0, start=9)
    services.close_ballot(actor=personas.officer, ballot=again)
    assert again.items.get().agree == 10


@pytest.mark.django_db
def test_an_early_close_then_a_full_reballot_is_not_counted(
    org: SimpleNamespace, personas: SimpleNamespace, council: SimpleNamespace, history: Any
) -> None:
    """Ballot 1 closed early by the chair with 8 voters; ballot 2 with all 10 would give the
    choices of members 8 and 9 together: refused; the chair cancels it instead."""
    ballot = _open(org, personas, council)
    cand = ballot.items.get().candidate
    vote(ballot, council, 8, 0)
    services.close_ballot(actor=council.users[0], ballot=ballot, reason="Hai thành viên ra ngoài")
    again = services.open_ballot(
        actor=personas.officer, meeting=ballot.meeting, candidates=[cand], reason="Hai thành viên đã trở lại"
    )
    vote(again, council, 10, 0)
    with pytest.raises(
        DomainError, match="có thêm phiếu của Thành viên Hội đồng Số 8, Thành viên Hội đồng Số 9"
    ):
        services.close_ballot(actor=personas.officer, ballot=again)
    services.cancel_ballot(actor=council.users[0], ballot=again, reason="Không kiểm được theo quy tắc bí mật")
    assert AuditEntry.objects.get(action="ballot.cancelled").detail == {
        "reason": "Không kiểm được theo quy tắc bí mật",
        "voters": 10,
    }


@pytest.mark.django_db
def test_a_reballot_in_another_meeting_with_other_members_present_is_not_counted(
    org: SimpleNamespace, personas: SimpleNamespace, council: SimpleNamespace, history: Any
) -> None:
    ballot = _open(org, personas, council)
    cand = ballot.items.get().candidate
    vote(ballot, council, 10, 0)
    services.close_ballot(actor=personas.officer, ballot=ballot)
    second = services.hold_meeting(
        actor=personas.officer,
        council=council.council,
        year=2025,
        held_on=date(2025, 12, 12),
        present=council.members[:9],
    )
    again = services.open_ballot(
        actor=personas.officer, meeting=second, candidates=[cand], reason="Xem xét lại", mode="paper"
    )
    item = again.items.get()
    tally = services.PaperTally(issued=9, returned=9, valid=9, counts={item.pk: (9, 0)})
    with pytest.raises(DomainError, match="còn thiếu phiếu của Thành viên Hội đồng Số 9"):
        services.record_paper_tally(
            actor=personas.officer, ballot=again, tally=tally, counting_committee=["A"]
        )


@pytest.mark.django_db
def test_attendance_is_frozen_once_a_ballot_is_counted(
    org: SimpleNamespace, personas: SimpleNamespace, council: SimpleNamespace, history: Any
) -> None:
    """The set of members present cannot be moved between a tally and a re-ballot."""
    ballot = _open(org, personas, council)
    vote(ballot, council, 10, 0)
    services.close_ballot(actor=personas.officer, ballot=ballot)
    with pytest.raises(DomainError, match="đã kiểm phiếu"):
        services.correct_attendance(
            actor=personas.officer, meeting=ballot.meeting, present=council.members[:9], reason="nhầm"
        )


# -- the written vote's scan ---------------------------------------------------------------------
@pytest.mark.django_db
def test_only_the_secretary_opens_the_scan_of_a_written_vote(
    org: SimpleNamespace,
    personas: SimpleNamespace,
    council: SimpleNamespace,
    history: Any,
    client_for: Any,
    media: Any,
) -> None:
    """The scan shows an identified member's choices: not the officer, the chair or a superuser."""
    User.objects.create_superuser("superadmin", password="x")
    ballot = _open(org, personas, council, present=9)
    item = ballot.items.get()
    services.cast_votes(
        actor=council.users[1],
        ballot=ballot,
        member=council.members[9],
        choices={item.pk: "agree"},
        in_writing=True,
        scan=scan(),
    )
    voter = BallotVoter.objects.get(in_writing=True)
    assert "Số 9" not in voter.scan.name and voter.scan.name.endswith(".pdf")
    url = f"/khen-thuong/bo-phieu/{ballot.pk}/van-ban/{voter.pk}/"
    assert client_for(council.users[1]).get(url).status_code == 200
    for user in (
        personas.officer,
        council.users[0],
        council.users[9],
        User.objects.get(username="superadmin"),
    ):
        assert client_for(user).get(url).status_code == 404


# -- concurrency ---------------------------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent transactions need PostgreSQL")
def test_concurrent_votes_are_neither_lost_nor_doubled(
    org: SimpleNamespace, personas: SimpleNamespace, council: SimpleNamespace, history: Any
) -> None:
    """Ten members vote at once, each twice (a double click): ten ballots, ten counts, ten refusals."""
    ballot = _open(org, personas, council)
    items = list(ballot.items.values_list("pk", flat=True))
    start = threading.Barrier(20)
    refused: list[str] = []
    errors: list[BaseException] = []

    def worker(i: int) -> None:
        try:
            start.wait()
            services.cast_votes(
                actor=council.users[i],
                ballot=Ballot.objects.get(pk=ballot.pk),
                member=CouncilMember.objects.get(pk=council.members[i].pk),
                choices={pk: ("agree" if i % 3 else "disagree") for pk in items},
            )
        except DomainError as exc:
            refused.append(exc.message)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i % 10,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(refused) == 10 and all("đã bỏ phiếu" in m for m in refused)
    assert BallotVoter.objects.filter(ballot=ballot).count() == 10
    box = BallotCount.objects.get(item_id=items[0])
    assert (box.agree, box.disagree) == (6, 4)  # members 1,2,4,5,7,8 agree; 0,3,6,9 disagree
    services.close_ballot(actor=personas.officer, ballot=ballot)
    assert BallotItem.objects.get(pk=items[0]).agree == 6
    # 6/10: more than half (the council's rule, no threshold in force under NĐ 152 by default)
    assert Candidate.objects.get(pk=BallotItem.objects.get(pk=items[0]).candidate_id).vote_passed is True
