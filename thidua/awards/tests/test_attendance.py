"""Correcting attendance after a meeting is opened: a reason, an audit entry, and no change once the
votes are counted."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from thidua.audit.models import AuditEntry
from thidua.awards import services
from thidua.awards.tests.helpers import confirmed_candidate, meeting_with, vote
from thidua.core.errors import DomainError


@pytest.mark.django_db
def test_it_corrects_attendance_with_a_reason(
    org: SimpleNamespace, personas: SimpleNamespace, council: SimpleNamespace, client_for: Any
) -> None:
    meeting = meeting_with(council, personas.officer, present=6)  # 6/10: below 2/3
    client = client_for(personas.officer)
    assert "Sửa danh sách có mặt" in client.get(f"/khen-thuong/phien-hop/{meeting.pk}/").content.decode()
    eight = [m.pk for m in council.members[:8]]
    r = client.post(
        f"/khen-thuong/phien-hop/{meeting.pk}/co-mat/", {"present": eight, "reason": ""}, follow=True
    )
    assert "Cần ghi lý do" in r.content.decode()
    r = client.post(
        f"/khen-thuong/phien-hop/{meeting.pk}/co-mat/",
        {"present": eight, "reason": "Hai thành viên đến muộn, đã ký danh sách"},
        follow=True,
    )
    assert (
        "Đã sửa danh sách có mặt" in r.content.decode()
        and "8/10 thành viên có mặt — đủ 2/3" in r.content.decode()
    )
    assert services.quorum(meeting).ok
    entry = AuditEntry.objects.get(action="meeting.attendance_corrected")
    assert entry.detail["now_present"] == ["Thành viên Hội đồng Số 6", "Thành viên Hội đồng Số 7"]
    assert entry.detail["now_absent"] == [] and entry.detail["reason"].startswith("Hai thành viên")
    assert entry.actor == personas.officer
    r = client_for(personas.outsider_officer).post(
        f"/khen-thuong/phien-hop/{meeting.pk}/co-mat/", {"present": eight, "reason": "x"}
    )
    assert r.status_code == 404


@pytest.mark.django_db
def test_it_refuses_corrections_that_break_a_ballot(
    org: SimpleNamespace, personas: SimpleNamespace, council: SimpleNamespace, history: Any
) -> None:
    cand = confirmed_candidate(org, personas.officer)
    meeting = meeting_with(council, personas.officer)
    ballot = services.open_ballot(actor=personas.officer, meeting=meeting, candidates=[cand])
    vote(ballot, council, 1, 0)  # member 0 voted in person
    with pytest.raises(DomainError, match="đã bỏ phiếu trực tiếp"):
        services.correct_attendance(
            actor=personas.officer, meeting=meeting, present=council.members[1:], reason="nhầm"
        )
    with pytest.raises(DomainError, match="không đủ 2/3"):
        services.correct_attendance(
            actor=personas.officer, meeting=meeting, present=council.members[:6], reason="nhầm"
        )
    vote(ballot, council, 10, 0, start=1)
    services.close_ballot(actor=personas.officer, ballot=ballot)
    with pytest.raises(DomainError, match="đã kiểm phiếu"):
        services.correct_attendance(
            actor=personas.officer, meeting=meeting, present=council.members, reason="nhầm"
        )
    assert not AuditEntry.objects.filter(action="meeting.attendance_corrected").exists()
