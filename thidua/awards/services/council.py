"""The council (Hội đồng TĐKT): members, meetings with quorum, and the secret ballot.

Secrecy: a member's participation is a `BallotVoter` row; their choices are `BallotVote` rows with a
random key, no voter and no timestamp, inserted in a shuffled batch, and the whole box is reshuffled
(re-keyed, re-inserted in random order) when the ballot closes. Audit entries say who voted, never how.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Q

from thidua.audit.services import log
from thidua.awards.models import (
    Attendance,
    Ballot,
    BallotItem,
    BallotVote,
    BallotVoter,
    Candidate,
    Council,
    CouncilMember,
    Meeting,
)
from thidua.awards.services.common import ruleset_on
from thidua.core.errors import DomainError
from thidua.org.models import Person, Unit

_rng = random.SystemRandom()


@transaction.atomic
def create_council(
    *,
    actor: Any,
    unit: Unit,
    name: str,
    term_from: date,
    term_to: date | None = None,
    members: Iterable[tuple[Person, str, Any]] = (),
) -> Council:
    """Create a council with its members `(person, role, user or None)`; one chair at most."""
    members = list(members)
    roles = [role for _, role, _ in members]
    if roles.count(CouncilMember.Role.CHU_TICH) > 1:
        raise DomainError("Hội đồng chỉ có một Chủ tịch")
    if len({p.pk for p, _, _ in members}) != len(members):
        raise DomainError("Một người chỉ giữ một vị trí trong hội đồng")
    council = Council.objects.create(unit=unit, name=name, term_from=term_from, term_to=term_to)
    for person, role, user in members:
        CouncilMember.objects.create(council=council, person=person, role=role, user=user)
    log(
        "council.created",
        actor=actor,
        obj=council,
        unit_path=unit.path,
        detail={"members": [f"{p.full_name} ({CouncilMember.Role(r).label})" for p, r, _ in members]},
    )
    return council


@dataclass(frozen=True)
class Quorum:
    present: int
    total: int

    @property
    def ok(self) -> bool:
        return self.total > 0 and self.present * 3 >= self.total * 2

    @property
    def text(self) -> str:
        state = "đủ" if self.ok else "không đủ"
        return f"{self.present}/{self.total} thành viên có mặt — {state} 2/3"


@transaction.atomic
def hold_meeting(
    *,
    actor: Any,
    council: Council,
    year: int,
    held_on: date,
    present: Iterable[CouncilMember],
    place: str = "",
) -> Meeting:
    """Open a meeting with its attendance (members not listed in `present` are absent)."""
    present_ids = {m.pk for m in present}
    members = list(council.members.all())
    if not present_ids <= {m.pk for m in members}:
        raise DomainError("Có người dự họp không phải thành viên hội đồng")
    meeting = Meeting.objects.create(council=council, year=year, held_on=held_on, place=place)
    Attendance.objects.bulk_create(
        [Attendance(meeting=meeting, member=m, present=m.pk in present_ids) for m in members]
    )
    q = quorum(meeting)
    log(
        "meeting.held",
        actor=actor,
        obj=meeting,
        unit_path=council.unit.path,
        detail={"year": year, "quorum": q.text},
    )
    return meeting


@transaction.atomic
def correct_attendance(
    *, actor: Any, meeting: Meeting, present: Iterable[CouncilMember], reason: str
) -> Meeting:
    """Correct who was present at an opened meeting, with a reason. Refused once a ballot of the
    meeting is closed (the minutes are final), when an open ballot would lose its quorum, or when a
    member who voted in person would become absent. Logs the members whose attendance changed."""
    reason = reason.strip()
    if not reason:
        raise DomainError("Cần ghi lý do sửa danh sách có mặt", field="reason")
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.ballots.filter(status=Ballot.Status.CLOSED).exists():
        raise DomainError("Phiên họp đã kiểm phiếu: không sửa được danh sách có mặt")
    present_ids = {m.pk for m in present}
    rows = list(meeting.attendance.select_related("member__person"))
    if not present_ids <= {a.member_id for a in rows}:
        raise DomainError("Có người dự họp không phải thành viên hội đồng")
    changed = [a for a in rows if a.present != (a.member_id in present_ids)]
    voted_in_person = set(
        BallotVoter.objects.filter(ballot__meeting=meeting, in_writing=False).values_list(
            "member_id", flat=True
        )
    )
    for a in changed:
        if a.present and a.member_id in voted_in_person:
            raise DomainError(
                f"{a.member.person.full_name} đã bỏ phiếu trực tiếp tại phiên họp: không ghi vắng mặt được"
            )
    after = Quorum(present=len(present_ids), total=len(rows))
    if not after.ok and meeting.ballots.filter(status=Ballot.Status.OPEN).exists():
        raise DomainError(f"Đang bỏ phiếu: sau khi sửa chỉ còn {after.text}")
    for a in changed:
        a.present = not a.present
        a.save(update_fields=["present"])
    log(
        "meeting.attendance_corrected",
        actor=actor,
        obj=meeting,
        unit_path=meeting.council.unit.path,
        detail={
            "reason": reason,
            "now_present": [a.member.person.full_name for a in changed if a.present],
            "now_absent": [a.member.person.full_name for a in changed if not a.present],
            "quorum": after.text,
        },
    )
    return meeting


def quorum(meeting: Meeting) -> Quorum:
    rows = list(meeting.attendance.values_list("present", flat=True))
    return Quorum(present=sum(rows), total=len(rows))


def passes(agree: int, total: int, threshold_pct: int | None) -> bool:
    """Agreement as a share of ALL members: `agree/total ≥ threshold` (exact, no rounding);
    without a legal threshold, a majority of all members (more than half)."""
    if total <= 0:
        return False
    if threshold_pct is None:
        return agree * 2 > total
    return agree * 100 >= threshold_pct * total


@transaction.atomic
def open_ballot(*, actor: Any, meeting: Meeting, candidates: Iterable[Candidate]) -> Ballot:
    """Open a secret ballot on confirmed candidates of the council's unit; needs a quorum.

    Each item keeps the vote threshold of its title on the meeting date (the ruleset's, under the
    organisation's settings)."""
    q = quorum(meeting)
    if not q.ok:
        raise DomainError(f"Phiên họp không đủ số thành viên để biểu quyết ({q.text})")
    candidates = list(candidates)
    if not candidates:
        raise DomainError("Chưa chọn người, tập thể nào để bỏ phiếu")
    unit = meeting.council.unit
    for c in candidates:
        if c.status != Candidate.Status.CONFIRMED:
            raise DomainError(f"{c.subject_name}: chỉ bỏ phiếu cho đề nghị đã được xác nhận")
        if c.year != meeting.year or not c.unit.path.startswith(unit.path):
            raise DomainError(f"{c.subject_name}: không thuộc phạm vi xét của hội đồng năm {meeting.year}")
    rs = ruleset_on(meeting.held_on, unit)
    ballot = Ballot.objects.create(meeting=meeting, member_count=q.total)
    for c in candidates:
        vt = rs.vote_threshold(c.award_id) if c.award_id in rs.items else None
        BallotItem.objects.create(ballot=ballot, candidate=c, threshold_pct=vt.pct if vt else None)
    log(
        "ballot.opened",
        actor=actor,
        obj=ballot,
        unit_path=unit.path,
        detail={"candidates": [str(c) for c in candidates], "members": q.total},
    )
    return ballot


def member_for(user: Any, council: Council) -> CouncilMember | None:
    """The seat of `user` in `council`: a member whose login is `user`, or whose staff record is linked
    to `user` (`Person.user`). Council membership does not depend on the user's roles."""
    if not getattr(user, "is_authenticated", False):
        return None
    return council.members.filter(Q(user=user) | Q(person__user=user)).select_related("person").first()


def is_member_login(user: Any, member: CouncilMember) -> bool:
    """True when `user` is the login of `member` (its own, or the one linked to its staff record)."""
    user_id = getattr(user, "pk", None)
    if user_id is None:
        return False
    return user_id in (member.user_id, member.person.user_id)


@transaction.atomic
def cast_votes(
    *,
    actor: Any,
    ballot: Ballot,
    member: CouncilMember,
    choices: Mapping[int, str],
    in_writing: bool = False,
) -> None:
    """Record one member's ballot: a choice (agree/disagree) for every item, once.

    In the room the member votes through their own login and must be present; a written vote of an
    absent member is entered by the council's secretary. Logs `ballot.voted` with the member's name
    and nothing about the choices."""
    ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
    if ballot.status != Ballot.Status.OPEN:
        raise DomainError("Cuộc bỏ phiếu đã kết thúc")
    council = ballot.meeting.council
    if member.council_id != council.pk:
        raise DomainError("Người này không phải thành viên hội đồng")
    attendance = Attendance.objects.filter(meeting=ballot.meeting, member=member).first()
    present = bool(attendance and attendance.present)
    if in_writing:
        secretary = member_for(actor, council)
        if secretary is None or secretary.role != CouncilMember.Role.THU_KY:
            raise DomainError("Chỉ Thư ký hội đồng được nhập phiếu bằng văn bản")
        if present:
            raise DomainError("Thành viên có mặt tại phiên họp tự bỏ phiếu, không gửi phiếu bằng văn bản")
    else:
        if not is_member_login(actor, member):
            raise DomainError("Mỗi thành viên chỉ tự bỏ phiếu của mình")
        if not present:
            raise DomainError("Thành viên vắng mặt gửi phiếu bằng văn bản qua Thư ký hội đồng")
    items = list(ballot.items.all())
    if set(choices) != {i.pk for i in items}:
        raise DomainError("Phiếu phải có ý kiến cho tất cả người, tập thể trong danh sách")
    valid = set(BallotVote.Choice.values)
    if any(c not in valid for c in choices.values()):
        raise DomainError("Ý kiến chỉ là Đồng ý hoặc Không đồng ý")
    if BallotVoter.objects.filter(ballot=ballot, member=member).exists():
        raise DomainError(f"{member.person.full_name} đã bỏ phiếu")
    BallotVoter.objects.create(ballot=ballot, member=member, in_writing=in_writing)
    votes = [BallotVote(item_id=item_id, choice=choice) for item_id, choice in choices.items()]
    _rng.shuffle(votes)
    BallotVote.objects.bulk_create(votes)
    log(
        "ballot.voted",
        actor=actor,
        obj=ballot,
        unit_path=council.unit.path,
        detail={"member": member.person.full_name, "in_writing": in_writing},
    )


@transaction.atomic
def close_ballot(*, actor: Any, ballot: Ballot) -> Ballot:
    """Count the votes, store each item's tally and whether it reached its threshold (share of ALL
    members), mark the candidates, then reshuffle the ballot box."""
    ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
    if ballot.status != Ballot.Status.OPEN:
        raise DomainError("Cuộc bỏ phiếu đã kết thúc")
    results = []
    for item in ballot.items.select_related("candidate"):
        agree = item.votes.filter(choice=BallotVote.Choice.AGREE).count()
        disagree = item.votes.filter(choice=BallotVote.Choice.DISAGREE).count()
        item.agree, item.disagree = agree, disagree
        item.passed = passes(agree, ballot.member_count, item.threshold_pct)
        item.save(update_fields=["agree", "disagree", "passed"])
        Candidate.objects.filter(pk=item.candidate_id).update(vote_passed=item.passed)
        results.append(
            {
                "candidate": str(item.candidate),
                "agree": agree,
                "disagree": disagree,
                "members": ballot.member_count,
                "threshold_pct": item.threshold_pct,
                "passed": item.passed,
            }
        )
    _reshuffle(ballot)
    ballot.status = Ballot.Status.CLOSED
    ballot.save(update_fields=["status", "updated_at"])
    log(
        "ballot.closed",
        actor=actor,
        obj=ballot,
        unit_path=ballot.meeting.council.unit.path,
        detail={"voters": ballot.voters.count(), "results": results},
    )
    return ballot


def _reshuffle(ballot: Ballot) -> None:
    rows = list(BallotVote.objects.filter(item__ballot=ballot).values_list("item_id", "choice"))
    BallotVote.objects.filter(item__ballot=ballot).delete()
    _rng.shuffle(rows)
    BallotVote.objects.bulk_create([BallotVote(item_id=i, choice=c) for i, c in rows])
