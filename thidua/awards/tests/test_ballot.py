"""The council and its ballot as a meeting uses them: thresholds with their basis, quorum from the
organisation, who votes (any member with a login, whatever the role), "agree to all" with
exceptions, written votes with a scan, paper ballots counted by a committee, the term of a council."""

from __future__ import annotations

import io
import json
from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from docx import Document

from thidua.audit.models import AuditEntry
from thidua.awards import services
from thidua.awards.models import AwardSettings, Ballot, BallotVoter, Candidate, Council, CouncilMember
from thidua.awards.tests.helpers import confirmed_candidate, make_council, meeting_with, scan, vote
from thidua.awards.voting import SHARES, Quorum
from thidua.core.errors import DomainError
from thidua.eligibility.models import RuleOptions


def _docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


@pytest.mark.parametrize(
    ("agree", "total", "pct", "rule", "passed"),
    [
        (8, 10, 80, "qua_ban", True),  # exactly 80 %
        (7, 10, 80, "qua_ban", False),
        (9, 10, 90, "qua_ban", True),  # exactly 90 %
        (8, 10, 90, "qua_ban", False),
        (17, 20, 90, "qua_ban", False),  # 85 %
        (18, 20, 90, "qua_ban", True),
        (12, 15, 80, "qua_ban", True),  # 80 % of fifteen
        (11, 15, 80, "qua_ban", False),  # 73.3 %
        (6, 10, None, "qua_ban", True),  # no legal threshold: the council's rule, more than half
        (5, 10, None, "qua_ban", False),
        (6, 9, None, "hai_phan_ba", True),  # a council whose rule is two thirds
        (5, 9, None, "hai_phan_ba", False),
        (0, 0, 80, "qua_ban", False),
    ],
)
def test_it_passes_at_the_exact_boundary(
    agree: int, total: int, pct: int | None, rule: str, passed: bool
) -> None:
    assert services.passes(agree, total, pct, rule) is passed


@pytest.mark.parametrize(
    ("rule", "total", "needed"),
    [("hai_phan_ba", 10, 7), ("hai_phan_ba", 9, 6), ("qua_ban", 10, 6), ("tam_muoi", 7, 6)],
)
def test_the_quorum_is_the_least_count_reaching_its_share(rule: str, total: int, needed: int) -> None:
    assert SHARES[rule].minimum(total) == needed
    assert Quorum(needed, total, rule).ok and not Quorum(needed - 1, total, rule).ok


@pytest.mark.django_db
@pytest.mark.parametrize(("agree", "passed"), [(8, True), (7, False)])
def test_it_counts_against_all_members_not_those_present(
    org: SimpleNamespace,
    personas: SimpleNamespace,
    council: SimpleNamespace,
    history: Any,
    agree: int,
    passed: bool,
) -> None:
    """The assumed 80 %, eight present of ten: all eight agreeing is 8/10 (passes); seven is 70 %."""
    RuleOptions.objects.create(unit=org.root, options={"assume_nd98_vote_thresholds": True})
    cand = confirmed_candidate(org, personas.officer)
    meeting = meeting_with(council, personas.officer, present=8)
    ballot = services.open_ballot(actor=personas.officer, meeting=meeting, candidates=[cand])
    vote(ballot, council, agree=agree, disagree=8 - agree)
    services.close_ballot(actor=personas.officer, ballot=ballot)
    item = ballot.items.get()
    cand.refresh_from_db()
    assert (item.agree, item.passed, cand.vote_passed) == (agree, passed, passed)


@pytest.mark.django_db
def test_the_threshold_shown_is_the_one_applied_with_its_basis(
    org: SimpleNamespace, personas: SimpleNamespace, council: SimpleNamespace, history: Any, client_for: Any
) -> None:
    """Under NĐ 152 the NĐ 98 threshold is unconfirmed and off by default (law.md §10): the council's
    rule applies and says so; before July 2025 NĐ 98 Đ30 k7 applies as law."""
    cand = confirmed_candidate(org, personas.officer)
    ballot = services.open_ballot(
        actor=personas.officer, meeting=meeting_with(council, personas.officer), candidates=[cand]
    )
    item = ballot.items.get()
    assert (item.threshold_pct, item.threshold_kind) == (None, "council")
    assert item.threshold_label == "Quá 1/2 tổng số thành viên" and "Quy chế Hội đồng" in item.threshold_basis
    page = client_for(council.users[2]).get(f"/khen-thuong/bo-phieu/{ballot.pk}/").content.decode()
    assert "ngưỡng: quá 1/2 tổng số thành viên" in page and "Quy chế Hội đồng" in page
    services.cancel_ballot(actor=personas.officer, ballot=ballot, reason="Thử")

    early = services.hold_meeting(
        actor=personas.officer,
        council=council.council,
        year=2025,
        held_on=date(2025, 6, 20),
        present=council.members,
    )
    ballot = services.open_ballot(actor=personas.officer, meeting=early, candidates=[cand])
    item = ballot.items.get()
    assert (item.threshold_pct, item.threshold_kind, item.threshold_basis) == (80, "law", "NĐ 98/2023 Đ30 k7")


@pytest.mark.django_db
def test_the_year_end_reads_the_organisation_options_and_nothing_else(
    org: SimpleNamespace, personas: SimpleNamespace, council: SimpleNamespace, history: Any, client_for: Any
) -> None:
    """One ruleset, one set of options: the candidates' engine result and the rules page agree."""
    cand = confirmed_candidate(org, personas.officer)
    assert cand.engine_result["vote_threshold_pct"] is None
    RuleOptions.objects.create(unit=org.root, options={"assume_nd98_vote_thresholds": True})
    services.propose_candidates(actor=personas.officer, unit=org.a, year=2025)
    cand.refresh_from_db()
    assert cand.engine_result["vote_threshold_pct"] == 80


@pytest.mark.django_db
def test_the_quorum_follows_the_organisation_setting(
    org: SimpleNamespace, personas: SimpleNamespace, council: SimpleNamespace, history: Any
) -> None:
    cand = confirmed_candidate(org, personas.officer)
    AwardSettings.objects.create(root=org.root, council_quorum="tam_muoi")  # 80 % for award sessions
    meeting = meeting_with(council, personas.officer, present=7)
    with pytest.raises(DomainError, match="7/10 thành viên có mặt — không đủ 80%"):
        services.open_ballot(actor=personas.officer, meeting=meeting, candidates=[cand])
    meeting = meeting_with(council, personas.officer, present=8)
    assert services.quorum(meeting).text == "8/10 thành viên có mặt — đủ 80%"
    services.open_ballot(actor=personas.officer, meeting=meeting, candidates=[cand])


@pytest.mark.django_db
def test_it_refuses_a_ballot_without_quorum(
    org: SimpleNamespace, personas: SimpleNamespace, council: SimpleNamespace, history: Any
) -> None:
    cand = confirmed_candidate(org, personas.officer)
    meeting = meeting_with(council, personas.officer, present=6)
    with pytest.raises(DomainError, match="6/10"):
        services.open_ballot(actor=personas.officer, meeting=meeting, candidates=[cand])


@pytest.mark.django_db
def test_it_lets_each_member_vote_once_and_only_for_themselves(
    org: SimpleNamespace,
    personas: SimpleNamespace,
    council: SimpleNamespace,
    history: Any,
    client_for: Any,
    media: Any,
) -> None:
    cand = confirmed_candidate(org, personas.officer)
    meeting = meeting_with(council, personas.officer, present=9)
    ballot = services.open_ballot(actor=personas.officer, meeting=meeting, candidates=[cand])
    item = ballot.items.get()
    m0, m2, absent = council.members[0], council.members[2], council.members[9]
    with pytest.raises(DomainError, match="tự bỏ phiếu"):
        services.cast_votes(actor=council.users[0], ballot=ballot, member=m2, choices={item.pk: "agree"})
    services.cast_votes(actor=council.users[0], ballot=ballot, member=m0, choices={item.pk: "agree"})
    with pytest.raises(DomainError, match="đã bỏ phiếu"):
        services.cast_votes(actor=council.users[0], ballot=ballot, member=m0, choices={item.pk: "disagree"})
    with pytest.raises(DomainError, match="Thư ký"):  # an ordinary member cannot enter written votes
        services.cast_votes(
            actor=council.users[2],
            ballot=ballot,
            member=absent,
            choices={item.pk: "agree"},
            in_writing=True,
            scan=scan(),
        )
    with pytest.raises(DomainError, match="văn bản"):  # the absent member votes in writing
        services.cast_votes(actor=council.users[9], ballot=ballot, member=absent, choices={item.pk: "agree"})
    with pytest.raises(DomainError, match="bản chụp"):
        services.cast_votes(
            actor=council.users[1], ballot=ballot, member=absent, choices={item.pk: "agree"}, in_writing=True
        )
    page = client_for(council.users[3]).get(f"/khen-thuong/bo-phieu/{ballot.pk}/").content.decode()
    assert "kết quả chỉ có khi kiểm phiếu" in page and "Gửi phiếu" in page
    vote(ballot, council, 9, 0, start=1)
    services.close_ballot(actor=personas.officer, ballot=ballot)
    with pytest.raises(DomainError, match="đã kết thúc"):
        services.cast_votes(
            actor=council.users[3], ballot=ballot, member=council.members[3], choices={item.pk: "agree"}
        )


@pytest.mark.django_db
def test_a_member_whose_login_is_only_staff_sees_and_votes(
    org: SimpleNamespace, personas: SimpleNamespace, history: Any, client_for: Any
) -> None:
    """Issue 12: members whose account has only the staff role got 404 on the ballot."""
    c = make_council(org, personas.officer, 5, role="staff", prefix="nv")
    cand = confirmed_candidate(org, personas.officer)
    meeting = services.hold_meeting(
        actor=personas.officer, council=c.council, year=2025, held_on=date(2025, 12, 10), present=c.members
    )
    ballot = services.open_ballot(actor=personas.officer, meeting=meeting, candidates=[cand])
    member = client_for(c.users[3])
    page = member.get(f"/khen-thuong/bo-phieu/{ballot.pk}/")
    assert page.status_code == 200 and "Gửi phiếu" in page.content.decode()
    assert "Nguyễn Văn An" in page.content.decode() and "Phòng Quản lý thu" in page.content.decode()
    assert member.post(f"/khen-thuong/bo-phieu/{ballot.pk}/phieu/", {}).status_code == 302
    assert BallotVoter.objects.filter(ballot=ballot, member=c.members[3]).exists()
    assert member.get(f"/khen-thuong/phien-hop/{meeting.pk}/").status_code == 200
    assert (
        client_for(personas.staff).get(f"/khen-thuong/bo-phieu/{ballot.pk}/").status_code == 404
    )  # not a member


@pytest.mark.django_db
def test_agree_to_all_then_exceptions_in_one_click(
    org: SimpleNamespace, personas: SimpleNamespace, council: SimpleNamespace, history: Any, client_for: Any
) -> None:
    cand = confirmed_candidate(org, personas.officer)
    other = Candidate.objects.get(person=org.an, year=2025, award_id="lao_dong_tien_tien")
    candidates = [cand, services.confirm_candidate(actor=personas.officer, candidate=other)]
    ballot = services.open_ballot(
        actor=personas.officer, meeting=meeting_with(council, personas.officer), candidates=candidates
    )
    items = list(ballot.items.order_by("id"))
    for i in range(10):
        exceptions = [items[0].pk] if i < 3 else []
        r = client_for(council.users[i]).post(
            f"/khen-thuong/bo-phieu/{ballot.pk}/phieu/", {"disagree": exceptions}
        )
        assert r.status_code == 302
    services.close_ballot(actor=personas.officer, ballot=ballot)
    results = [(i.agree, i.disagree) for i in ballot.items.order_by("id")]
    assert results == [(7, 3), (10, 0)]


@pytest.mark.django_db
def test_the_scan_is_checked_by_content(
    org: SimpleNamespace, personas: SimpleNamespace, council: SimpleNamespace, history: Any, media: Any
) -> None:
    cand = confirmed_candidate(org, personas.officer)
    ballot = services.open_ballot(
        actor=personas.officer, meeting=meeting_with(council, personas.officer, present=9), candidates=[cand]
    )
    item = ballot.items.get()
    bad = {
        "chỉ nhận tệp PDF, PNG hoặc JPEG": SimpleUploadedFile(
            "phieu.pdf", b"MZ\x90\x00 not a pdf", "application/pdf"
        ),
        "tệp rỗng": SimpleUploadedFile("phieu.pdf", b"", "application/pdf"),
        "lớn hơn giới hạn 10 MB": SimpleUploadedFile(
            "phieu.pdf", b"%PDF-" + b"0" * (11 * 1024 * 1024), "application/pdf"
        ),
    }
    for message, upload in bad.items():
        with pytest.raises(DomainError, match=message):
            services.cast_votes(
                actor=council.users[1],
                ballot=ballot,
                member=council.members[9],
                choices={item.pk: "agree"},
                in_writing=True,
                scan=upload,
            )
    png = SimpleUploadedFile("anh.exe", b"\x89PNG\r\n\x1a\n" + b"0" * 100, "application/octet-stream")
    services.cast_votes(
        actor=council.users[1],
        ballot=ballot,
        member=council.members[9],
        choices={item.pk: "agree"},
        in_writing=True,
        scan=png,
    )
    assert BallotVoter.objects.get(in_writing=True).scan.name.endswith(".png")


@pytest.mark.django_db
def test_a_paper_ballot_is_counted_by_the_committee(
    org: SimpleNamespace,
    personas: SimpleNamespace,
    council: SimpleNamespace,
    history: Any,
    client_for: Any,
    media: Any,
) -> None:
    cand = confirmed_candidate(org, personas.officer)
    meeting = meeting_with(council, personas.officer, present=9)
    ballot = services.open_ballot(actor=personas.officer, meeting=meeting, candidates=[cand], mode="paper")
    item = ballot.items.get()
    with pytest.raises(DomainError, match="Bỏ phiếu giấy"):
        services.cast_votes(
            actor=council.users[0], ballot=ballot, member=council.members[0], choices={item.pk: "agree"}
        )
    secretary = client_for(council.users[1])
    r = secretary.post(
        f"/khen-thuong/bo-phieu/{ballot.pk}/van-ban/",
        {"member": council.members[9].pk, "scan": scan()},
        follow=True,
    )
    assert "Đã ghi phiếu gửi bằng văn bản của Thành viên Hội đồng Số 9" in r.content.decode()
    url = f"/khen-thuong/bo-phieu/{ballot.pk}/ket-qua-giay/"
    form = {
        "issued": "10",
        "returned": "10",
        "valid": "9",
        f"agree_{item.pk}": "8",
        f"disagree_{item.pk}": "2",
        "counting_committee": "Thành viên Hội đồng Số 2\nThành viên Hội đồng Số 3\nThành viên Hội đồng Số 4",
    }
    r = secretary.post(url, form, follow=True)
    assert "8 đồng ý + 2 không đồng ý nhiều hơn số phiếu hợp lệ (9)" in r.content.decode()
    r = secretary.post(url, {**form, "returned": "11"}, follow=True)
    assert "Số phiếu thu vào (11) nhiều hơn số phiếu phát ra (10)" in r.content.decode()
    r = secretary.post(url, {**form, "issued": "mười"}, follow=True)
    assert "Số phiếu phát ra: “mười” không phải số nguyên" in r.content.decode()
    r = secretary.post(url, {**form, "counting_committee": ""}, follow=True)
    assert "Cần ghi họ tên Ban kiểm phiếu" in r.content.decode()
    r = secretary.post(url, {**form, f"disagree_{item.pk}": "1"}, follow=True)
    assert "Đã ghi kết quả kiểm phiếu" in r.content.decode()
    ballot.refresh_from_db()
    item.refresh_from_db()
    assert (ballot.status, ballot.issued, ballot.returned, ballot.valid) == ("closed", 10, 10, 9)
    assert (item.agree, item.disagree, item.passed) == (8, 1, True)
    assert ballot.counting_committee[0] == "Thành viên Hội đồng Số 2"
    report = _docx_text(secretary.get(f"/khen-thuong/bo-phieu/{ballot.pk}/bien-ban-kiem-phieu.docx").content)
    for text in (
        "Số phiếu phát ra: 10; số phiếu thu vào: 10; số phiếu hợp lệ: 9; số phiếu không hợp lệ: 1",
        "TRƯỞNG BAN KIỂM PHIẾU",
        "Thành viên Hội đồng Số 4",
        "Phiếu gửi bằng văn bản đã nhận: Thành viên Hội đồng Số 9",
        "Nghị định số 152/2025/NĐ-CP",
        "Chiến sĩ thi đua cơ sở",
    ):
        assert text in report, text
    entry = AuditEntry.objects.get(action="ballot.closed")
    assert entry.detail["valid"] == 9 and entry.detail["counting_committee"][0] == "Thành viên Hội đồng Số 2"


@pytest.mark.django_db
def test_the_minutes_carry_both_signatures_the_committee_and_only_the_written_votes_received(
    org: SimpleNamespace,
    personas: SimpleNamespace,
    council: SimpleNamespace,
    history: Any,
    client_for: Any,
    media: Any,
) -> None:
    cand = confirmed_candidate(org, personas.officer)
    meeting = meeting_with(council, personas.officer, present=8)  # members 8 and 9 absent
    ballot = services.open_ballot(actor=personas.officer, meeting=meeting, candidates=[cand])
    item = ballot.items.get()
    vote(ballot, council, 7, 1)
    services.cast_votes(
        actor=council.users[1],
        ballot=ballot,
        member=council.members[9],
        choices={item.pk: "agree"},
        in_writing=True,
        scan=scan(),
    )
    services.close_ballot(
        actor=personas.officer,
        ballot=ballot,
        counting_committee=["Thành viên Hội đồng Số 2", "Thành viên Hội đồng Số 3"],
    )
    text = _docx_text(
        client_for(personas.officer).get(f"/khen-thuong/phien-hop/{meeting.pk}/bien-ban.docx").content
    )
    for expected in (
        "THƯ KÝ HỘI ĐỒNG",
        "CHỦ TỊCH HỘI ĐỒNG",
        "Thành viên Hội đồng Số 1",  # the secretary signs
        "Ban kiểm phiếu ký xác nhận",
        "Trưởng ban",
        "Phiếu gửi bằng văn bản đã nhận: Thành viên Hội đồng Số 9.",
        "vắng mặt: Thành viên Hội đồng Số 8, Thành viên Hội đồng Số 9",
        "Nghị định số 152/2025/NĐ-CP",
        "Quá 1/2 tổng số thành viên: Quy chế Hội đồng",
        "Số thành viên đã bỏ phiếu: 9/10",
        "STT",
        "Ngưỡng",
    ):
        assert expected in text, expected
    assert "98/2023" not in text.split("Ngưỡng áp dụng")[0]  # the decree in force in December 2025
    assert "Số 8 (bằng văn bản)" not in text and "gửi phiếu bằng văn bản)" not in text


@pytest.mark.django_db
def test_the_minutes_of_a_2024_meeting_cite_nd_98(
    org: SimpleNamespace, personas: SimpleNamespace, council: SimpleNamespace, client_for: Any
) -> None:
    Council.objects.filter(pk=council.council.pk).update(term_from=date(2024, 1, 1))
    council.council.refresh_from_db()
    meeting = services.hold_meeting(
        actor=personas.officer,
        council=council.council,
        year=2024,
        held_on=date(2024, 12, 10),
        present=council.members,
    )
    text = _docx_text(
        client_for(personas.officer).get(f"/khen-thuong/phien-hop/{meeting.pk}/bien-ban.docx").content
    )
    assert "Nghị định số 98/2023/NĐ-CP" in text and "152/2025" not in text


@pytest.mark.django_db
def test_a_term_cannot_end_before_it_starts(
    org: SimpleNamespace, personas: SimpleNamespace, council: SimpleNamespace, client_for: Any
) -> None:
    with pytest.raises(
        DomainError, match="Nhiệm kỳ kết thúc \\(31/12/2024\\) trước khi bắt đầu \\(01/01/2025\\)"
    ):
        services.create_council(
            actor=personas.officer,
            unit=org.a,
            name="HĐ",
            term_from=date(2025, 1, 1),
            term_to=date(2024, 12, 31),
        )
    r = client_for(personas.officer).post(
        f"/khen-thuong/hoi-dong/tao/{org.a.pk}/",
        {
            "name": "HĐ",
            "term_from": "2025-01-01",
            "term_to": "2024-12-31",
            "chair": org.binh.pk,
            "secretary": org.an.pk,
            "vote_rule": "qua_ban",
        },
    )
    assert r.status_code == 200 and "trước khi bắt đầu" in r.content.decode()
    with pytest.raises(IntegrityError), transaction.atomic():
        Council.objects.filter(pk=council.council.pk).update(term_to=date(2024, 1, 1))
    with pytest.raises(DomainError, match="ngoài nhiệm kỳ"):
        services.hold_meeting(
            actor=personas.officer,
            council=council.council,
            year=2024,
            held_on=date(2024, 12, 1),
            present=council.members,
        )


@pytest.mark.django_db
def test_it_hides_the_ballot_from_another_province(
    org: SimpleNamespace, personas: SimpleNamespace, council: SimpleNamespace, history: Any, client_for: Any
) -> None:
    cand = confirmed_candidate(org, personas.officer)
    ballot = services.open_ballot(
        actor=personas.officer, meeting=meeting_with(council, personas.officer), candidates=[cand]
    )
    assert client_for(personas.outsider_officer).get(f"/khen-thuong/bo-phieu/{ballot.pk}/").status_code == 404
    r = client_for(personas.council).post(f"/khen-thuong/bo-phieu/{ballot.pk}/kiem-phieu/", follow=True)
    assert "Chỉ cán bộ thi đua của đơn vị, Chủ tịch hoặc Thư ký" in r.content.decode()
    r = client_for(personas.council).post(
        f"/khen-thuong/bo-phieu/{ballot.pk}/huy/", {"reason": "x"}, follow=True
    )
    assert "Chỉ cán bộ thi đua" in r.content.decode()
    ballot.refresh_from_db()
    assert ballot.status == Ballot.Status.OPEN


@pytest.mark.django_db
def test_it_creates_a_council_with_roles_through_the_page(
    org: SimpleNamespace, personas: SimpleNamespace, client_for: Any
) -> None:
    url = f"/khen-thuong/hoi-dong/tao/{org.a.pk}/"
    data = {
        "name": "Hội đồng TĐKT",
        "term_from": "2025-01-01",
        "chair": org.binh.pk,
        "secretary": org.binh.pk,
        "vote_rule": "hai_phan_ba",
    }
    assert client_for(personas.officer).post(url, data).status_code == 200  # one seat per person
    data["secretary"] = org.an.pk
    r = client_for(personas.officer).post(url, data)
    assert r.status_code == 302
    members = {m.person_id: (m.role, m.user_id) for m in CouncilMember.objects.all()}
    assert members == {org.binh.pk: ("chu_tich", None), org.an.pk: ("thu_ky", personas.staff.pk)}
    council = Council.objects.get()
    assert council.vote_rule == "hai_phan_ba"
    assert (
        AuditEntry.objects.get(action="council.created").detail["vote_rule"]
        == "Từ 2/3 tổng số thành viên trở lên"
    )
    assert client_for(personas.head).get(url).status_code == 403


# -- the API -------------------------------------------------------------------------------------
def _post(client: Any, url: str, data: Any) -> Any:
    return client.post(url, json.dumps(data), content_type="application/json")


@pytest.mark.django_db
def test_the_api_runs_a_council_from_creation_to_the_count(
    org: SimpleNamespace, personas: SimpleNamespace, history: Any, client_for: Any, media: Any
) -> None:
    c = make_council(org, personas.officer, 5, role="staff", prefix="api")
    officer = client_for(personas.officer)
    r = _post(
        officer,
        "/api/v1/councils/",
        {
            "unit": org.a.pk,
            "name": "Hội đồng mới",
            "term_from": "2026-01-01",
            "term_to": "2025-01-01",
            "members": [{"person": m.person_id, "role": m.role} for m in c.members],
        },
    )
    assert r.status_code == 400 and "trước khi bắt đầu" in r.json()["error"]["message"]
    r = _post(
        client_for(personas.outsider_officer),
        "/api/v1/councils/",
        {"unit": org.a.pk, "name": "X", "term_from": "2025-01-01", "members": []},
    )
    assert r.status_code == 404
    r = _post(
        officer,
        "/api/v1/meetings/",
        {
            "council": c.council.pk,
            "year": 2025,
            "held_on": "2025-12-10",
            "present": [m.pk for m in c.members[:4]],
        },
    )
    assert r.status_code == 201 and r.json()["quorum"] == "4/5 thành viên có mặt — đủ 2/3"
    meeting_id = r.json()["id"]
    cand = confirmed_candidate(org, personas.officer)
    r = _post(officer, "/api/v1/ballots/", {"meeting": meeting_id, "candidates": [cand.pk]})
    assert r.status_code == 201
    ballot = r.json()
    item = ballot["items"][0]
    assert item["award_name"] == "Chiến sĩ thi đua cơ sở" and item["threshold_kind"] == "council"
    url = f"/api/v1/ballots/{ballot['id']}/"
    for i in range(4):
        body = {"agree_all_except": [item["id"]] if i == 0 else []}
        r = _post(client_for(c.users[i]), url + "vote/", body)
        assert r.status_code == 200, r.content
        assert r.json()["items"][0]["agree"] is None
    r = client_for(c.users[1]).post(
        url + "written/", {"member": c.members[4].pk, "scan": scan(), "agree_all_except": [item["id"]]}
    )
    assert r.status_code == 200 and r.json()["in_writing"] == ["Thành viên Hội đồng Số 4"]
    r = _post(officer, url + "close/", {"counting_committee": ["Thành viên Hội đồng Số 2"]})
    assert r.status_code == 200
    body = r.json()
    assert (body["status"], body["items"][0]["agree"], body["items"][0]["disagree"]) == ("closed", 3, 2)
    assert body["items"][0]["passed"] is True  # 3/5: more than half
    schema = client_for(personas.officer).get("/api/v1/schema/", {"format": "json"}).json()
    for path in (
        "/api/v1/councils/",
        "/api/v1/meetings/",
        "/api/v1/ballots/",
        "/api/v1/ballots/{id}/vote/",
        "/api/v1/ballots/{id}/written/",
        "/api/v1/ballots/{id}/close/",
        "/api/v1/ballots/{id}/tally/",
        "/api/v1/ballots/{id}/cancel/",
    ):
        assert "post" in schema["paths"][path], path


@pytest.mark.django_db
def test_the_api_records_a_paper_tally_with_the_same_checks(
    org: SimpleNamespace, personas: SimpleNamespace, council: SimpleNamespace, history: Any, client_for: Any
) -> None:
    cand = confirmed_candidate(org, personas.officer)
    meeting = meeting_with(council, personas.officer)
    officer = client_for(personas.officer)
    r = _post(officer, "/api/v1/ballots/", {"meeting": meeting.pk, "candidates": [cand.pk], "mode": "paper"})
    ballot = r.json()
    item = ballot["items"][0]["id"]
    url = f"/api/v1/ballots/{ballot['id']}/tally/"
    body = {
        "issued": 10,
        "returned": 5,
        "valid": 5,
        "counts": [{"item": item, "agree": 5, "disagree": 0}],
        "counting_committee": ["Nguyễn Văn Kiểm"],
    }
    r = _post(officer, url, body)
    assert r.status_code == 400 and "ít hơn số tối thiểu để kiểm phiếu (7)" in r.json()["error"]["message"]
    r = _post(
        officer,
        url,
        {**body, "returned": 10, "valid": 10, "counts": [{"item": item, "agree": 8, "disagree": 2}]},
    )
    assert r.status_code == 200 and r.json()["items"][0]["agree"] == 8 and r.json()["valid"] == 10
    r = _post(officer, url, body)
    assert r.status_code == 400 and "đã kết thúc" in r.json()["error"]["message"]


@pytest.mark.django_db
def test_a_councils_members_are_chosen_among_its_own_agency_not_the_provinces_below(org, client_for):
    from conftest import _user
    from thidua.org.models import Role, Unit

    Unit.objects.filter(pk=org.a.pk).update(is_legal_entity=True)
    officer = _user("canbo.vn.council", unit=org.root, role=Role.OFFICER)
    form = client_for(officer).get(f"/khen-thuong/hoi-dong/tao/{org.root.pk}/").context["form"]
    names = {label for _, label in form.fields["chair"].choices}
    assert org.an.full_name not in names  # Hà Nội is a legal entity with its own council
