"""The council (Hội đồng TĐKT): members, meetings with quorum, and the secret ballot.

The secrecy rules (docs/year-end.md, "Secrecy of the ballot"), each enforced here:

1. **Sealed box.** An on-screen vote adds one to a counter per candidate (`BallotCount`) and writes
   THAT the member voted (`BallotVoter`), in one transaction: no row per vote, no time, no key that
   leads from one to the other.
2. **Nothing before the count.** The counters are read only by `close_ballot`; items carry agree /
   disagree / passed only once the ballot is closed. A cancelled ballot is never counted.
3. **Closing.** When every member present has voted, whoever runs the ballot closes it. Before that,
   only the chair may, with a reason, and only when the ballots reach the quorum of the meeting.
   No tally is shown over fewer than `MIN_BALLOTS` ballots.
4. **Same voters.** A candidate who already has a tally may be put to a new ballot only with a
   recorded reason, and the new tally is counted only if exactly the same members voted as in every
   earlier tally of that candidate: comparing two tallies of different groups would give away the
   choices of the members in one group and not the other.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q

from thidua.accounts.models import User
from thidua.audit.services import log
from thidua.awards.models import (
    Attendance,
    Ballot,
    BallotCount,
    BallotItem,
    BallotVoter,
    Candidate,
    Council,
    CouncilMember,
    Meeting,
)
from thidua.awards.services.common import settings_for
from thidua.awards.voting import DEFAULT_COUNCIL_RULE, MIN_BALLOTS, SHARES, Quorum, reaches
from thidua.core.errors import DomainError
from thidua.core.uploads import check_scan
from thidua.eligibility.services import ruleset_on
from thidua.org.models import Person, Unit
from thidua.org.permissions import can_change_unit, own_person_id
from thidua.rules import Ruleset
from thidua.rules.names import award_name

AGREE, DISAGREE = "agree", "disagree"
CHOICES = {AGREE: "Đồng ý", DISAGREE: "Không đồng ý"}


# -- who -----------------------------------------------------------------------------------------
def member_for(user: Any, council: Council) -> CouncilMember | None:
    """The seat of the logged-in user on `council`: the member whose login is the user, or whose
    staff record is the user's (whatever roles the login holds)."""
    if not getattr(user, "is_authenticated", False):
        return None
    query = Q(user=user)
    person_id = own_person_id(user)
    if person_id is not None:
        query |= Q(person_id=person_id)
    return council.members.filter(query).select_related("person").first()


def runs_council(user: User | None, council: Council) -> bool:
    """May run the council's meetings and ballots: an officer of the unit, the chair or the secretary
    (None: the system itself, e.g. a command)."""
    if user is None or can_change_unit(user, council.unit):
        return True
    seat = member_for(user, council)
    return seat is not None and seat.role in (CouncilMember.Role.CHU_TICH, CouncilMember.Role.THU_KY)


def _require_runner(user: User | None, council: Council) -> None:
    if not runs_council(user, council):
        raise DomainError(
            "Chỉ cán bộ thi đua của đơn vị, Chủ tịch hoặc Thư ký Hội đồng được điều hành phiên họp"
        )


def _is_chair(user: User | None, council: Council) -> bool:
    seat = member_for(user, council) if user is not None else None
    return seat is not None and seat.role == CouncilMember.Role.CHU_TICH


# -- council and meetings ------------------------------------------------------------------------
def check_term(term_from: date, term_to: date | None) -> None:
    if term_to is not None and term_to < term_from:
        raise DomainError(
            f"Nhiệm kỳ kết thúc ({term_to:%d/%m/%Y}) trước khi bắt đầu ({term_from:%d/%m/%Y})",
            field="term_to",
        )


@transaction.atomic
def create_council(
    *,
    actor: User | None,
    unit: Unit,
    name: str,
    term_from: date,
    term_to: date | None = None,
    members: Iterable[tuple[Person, str, Any]] = (),
    vote_rule: str = DEFAULT_COUNCIL_RULE,
) -> Council:
    """Create a council with its members `(person, role, user or None)`: one chair, one seat per person,
    a term that does not end before it starts, and the council's own vote rule (quy chế) for titles
    the law gives no threshold (default: more than half of all members)."""
    if actor is not None and not can_change_unit(actor, unit):
        raise DomainError("Bạn không có quyền thành lập Hội đồng của đơn vị này")
    name = name.strip()
    if not name:
        raise DomainError("Cần tên Hội đồng", field="name")
    check_term(term_from, term_to)
    if vote_rule not in SHARES:
        raise DomainError("Tỷ lệ theo quy chế Hội đồng không hợp lệ", field="vote_rule")
    members = list(members)
    roles = [role for _, role, _ in members]
    if roles.count(CouncilMember.Role.CHU_TICH) > 1:
        raise DomainError("Hội đồng chỉ có một Chủ tịch")
    if roles.count(CouncilMember.Role.THU_KY) > 1:
        raise DomainError("Hội đồng chỉ có một Thư ký")
    if any(role not in CouncilMember.Role.values for role in roles):
        raise DomainError("Vai trò trong Hội đồng không hợp lệ", field="members")
    if len({p.pk for p, _, _ in members}) != len(members):
        raise DomainError("Một người chỉ giữ một vị trí trong hội đồng")
    council = Council.objects.create(
        unit=unit, name=name, term_from=term_from, term_to=term_to, vote_rule=vote_rule
    )
    for person, role, user in members:
        CouncilMember.objects.create(council=council, person=person, role=role, user=user)
    log(
        "council.created",
        actor=actor,
        obj=council,
        unit_path=unit.path,
        detail={
            "members": [f"{p.full_name} ({CouncilMember.Role(r).label})" for p, r, _ in members],
            "term": f"{term_from:%d/%m/%Y} – {term_to:%d/%m/%Y}" if term_to else f"từ {term_from:%d/%m/%Y}",
            "vote_rule": SHARES[vote_rule].label,
        },
    )
    return council


def quorum(meeting: Meeting) -> Quorum:
    """Members present against the quorum the organisation had when the meeting was held."""
    rows = list(meeting.attendance.values_list("present", flat=True))
    return Quorum(present=sum(rows), total=len(rows), rule=meeting.quorum_rule)


@transaction.atomic
def hold_meeting(
    *,
    actor: User | None,
    council: Council,
    year: int,
    held_on: date,
    present: Iterable[CouncilMember],
    place: str = "",
) -> Meeting:
    """Open a meeting with its attendance (members not listed in `present` are absent), within the
    council's term; the quorum is the organisation's (`AwardSettings.council_quorum`), kept on the meeting."""
    _require_runner(actor, council)
    if held_on < council.term_from or (council.term_to is not None and held_on > council.term_to):
        raise DomainError(f"Ngày họp {held_on:%d/%m/%Y} nằm ngoài nhiệm kỳ của Hội đồng", field="held_on")
    present_ids = {m.pk for m in present}
    members = list(council.members.all())
    if not members:
        raise DomainError("Hội đồng chưa có thành viên")
    if not present_ids <= {m.pk for m in members}:
        raise DomainError("Có người dự họp không phải thành viên hội đồng")
    meeting = Meeting.objects.create(
        council=council,
        year=year,
        held_on=held_on,
        place=place.strip(),
        quorum_rule=settings_for(council.unit).council_quorum,
    )
    Attendance.objects.bulk_create(
        [Attendance(meeting=meeting, member=m, present=m.pk in present_ids) for m in members]
    )
    log(
        "meeting.held",
        actor=actor,
        obj=meeting,
        unit_path=council.unit.path,
        detail={"year": year, "quorum": quorum(meeting).text},
    )
    return meeting


@transaction.atomic
def correct_attendance(
    *, actor: User | None, meeting: Meeting, present: Iterable[CouncilMember], reason: str
) -> Meeting:
    """Correct who was present at an opened meeting, with a reason. Refused once a ballot of the
    meeting is closed (the minutes are final), when an open ballot would lose its quorum, when a
    member who voted in person would become absent, or one who sent a written vote present.
    Logs the members whose attendance changed."""
    _require_runner(actor, meeting.council)
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
    voters = dict(
        BallotVoter.objects.filter(ballot__meeting=meeting, ballot__status=Ballot.Status.OPEN).values_list(
            "member_id", "in_writing"
        )
    )
    for a in changed:
        if a.present and voters.get(a.member_id) is False:
            raise DomainError(
                f"{a.member.person.full_name} đã bỏ phiếu trực tiếp tại phiên họp: không ghi vắng mặt được"
            )
        if not a.present and voters.get(a.member_id) is True:
            raise DomainError(f"{a.member.person.full_name} đã gửi phiếu bằng văn bản: không ghi có mặt được")
    after = Quorum(present=len(present_ids), total=len(rows), rule=meeting.quorum_rule)
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


# -- thresholds ----------------------------------------------------------------------------------
def passes(agree: int, total: int, threshold_pct: int | None, rule: str = DEFAULT_COUNCIL_RULE) -> bool:
    """Agreement as a share of ALL members: `agree/total ≥ threshold` (exact, no rounding); without
    a legal threshold, the council's own rule (default: more than half of all members)."""
    return reaches(agree, total, threshold_pct, rule)


def needs_council_vote(rs: Ruleset, award_id: str) -> bool:
    """The law puts this title to the council's secret ballot: its ruleset item carries a vote
    threshold, applied or not (an unconfirmed threshold still says a vote is held)."""
    item = rs.items.get(award_id)
    return item is not None and item.vote_threshold is not None


@dataclass(frozen=True)
class AppliedThreshold:
    pct: int | None
    kind: str
    basis: str


def threshold_for(rs: Ruleset, award_id: str) -> AppliedThreshold:
    """The threshold a ballot applies to a title on the meeting date, with its basis: the ruleset's
    (`law`; `assumed` when the law is unconfirmed and the organisation turned the assumption on),
    else the council's own rule (`council`)."""
    vt = rs.vote_threshold(award_id) if award_id in rs.items else None
    if vt is not None:
        kind = (
            BallotItem.ThresholdKind.ASSUMED
            if vt.confidence == "UNCONFIRMED"
            else BallotItem.ThresholdKind.LAW
        )
        return AppliedThreshold(vt.pct, kind, vt.citation)
    item = rs.items.get(award_id)
    if item is not None and item.vote_threshold is not None:
        citation = item.vote_threshold.citation.split(" (")[0]
        basis = (
            f"Quy chế Hội đồng; ngưỡng {item.vote_threshold.pct}% theo {citation} chưa được xác nhận "
            "theo quy định hiện hành nên không áp dụng"
        )
    else:
        basis = "Quy chế Hội đồng; pháp luật không quy định tỷ lệ phiếu cho danh hiệu, hình thức này"
    return AppliedThreshold(None, BallotItem.ThresholdKind.COUNCIL, basis[:255])


# -- ballots -------------------------------------------------------------------------------------
def _tallied_items(candidate_ids: Iterable[int]) -> list[BallotItem]:
    return list(
        BallotItem.objects.filter(candidate_id__in=list(candidate_ids), ballot__status=Ballot.Status.CLOSED)
        .select_related("ballot__meeting", "candidate__person", "candidate__collective")
        .order_by("ballot_id")
    )


@transaction.atomic
def open_ballot(
    *,
    actor: User | None,
    meeting: Meeting,
    candidates: Iterable[Candidate],
    mode: str = Ballot.Mode.ELECTRONIC,
    reason: str = "",
) -> Ballot:
    """Open a secret ballot on confirmed candidates of the council's unit; needs a quorum.

    Each item keeps the threshold of its title on the meeting date (the ruleset's under the
    organisation's options, or the council's rule) and its basis. A candidate already on an open
    ballot is refused; one who already has a tally needs a `reason` (bỏ phiếu lại)."""
    council = meeting.council
    _require_runner(actor, council)
    if mode not in Ballot.Mode.values:
        raise DomainError("Hình thức bỏ phiếu không hợp lệ", field="mode")
    q = quorum(meeting)
    if not q.ok:
        raise DomainError(f"Phiên họp không đủ số thành viên để biểu quyết ({q.text})")
    candidates = list({c.pk: c for c in candidates}.values())
    if not candidates:
        raise DomainError("Chưa chọn người, tập thể nào để bỏ phiếu")
    unit = council.unit
    for c in candidates:
        if c.status != Candidate.Status.CONFIRMED:
            raise DomainError(f"{c.subject_name}: chỉ bỏ phiếu cho đề nghị đã được xác nhận")
        if c.year != meeting.year or not c.unit.path.startswith(unit.path):
            raise DomainError(f"{c.subject_name}: không thuộc phạm vi xét của hội đồng năm {meeting.year}")
    ids = [c.pk for c in candidates]
    busy = BallotItem.objects.filter(candidate_id__in=ids, ballot__status=Ballot.Status.OPEN).select_related(
        "candidate__person", "candidate__collective"
    )
    if busy:
        raise DomainError(
            f"{', '.join(sorted(i.candidate.subject_name for i in busy))}: đang có cuộc bỏ phiếu chưa kết thúc"
        )
    reason = reason.strip()
    again = _tallied_items(ids)
    if again and not reason:
        names = ", ".join(sorted({i.candidate.subject_name for i in again}))
        raise DomainError(f"{names}: đã có kết quả bỏ phiếu; bỏ phiếu lại cần ghi lý do", field="reason")
    rs = ruleset_on(meeting.held_on, unit=unit)
    ballot = Ballot.objects.create(
        meeting=meeting, member_count=q.total, mode=mode, vote_rule=council.vote_rule, reason=reason
    )
    items = []
    for c in candidates:
        t = threshold_for(rs, c.award_id)
        items.append(
            BallotItem.objects.create(
                ballot=ballot,
                candidate=c,
                threshold_pct=t.pct,
                threshold_kind=t.kind,
                threshold_basis=t.basis,
            )
        )
    if mode == Ballot.Mode.ELECTRONIC:
        BallotCount.objects.bulk_create([BallotCount(item=i) for i in items])
    log(
        "ballot.opened",
        actor=actor,
        obj=ballot,
        unit_path=unit.path,
        detail={
            "candidates": [
                f"{c.subject_name} — {award_name(c.award_id, on=meeting.held_on)}" for c in candidates
            ],
            "members": q.total,
            "mode": Ballot.Mode(mode).label,
            "reason": reason,
            "again": sorted({i.candidate.subject_name for i in again}),
        },
    )
    return ballot


def _lock_open(ballot: Ballot) -> Ballot:
    locked = Ballot.objects.select_for_update().select_related("meeting__council__unit").get(pk=ballot.pk)
    if locked.status != Ballot.Status.OPEN:
        raise DomainError("Cuộc bỏ phiếu đã kết thúc")
    return locked


def _check_choices(ballot: Ballot, choices: Mapping[int, str]) -> dict[int, str]:
    items = set(ballot.items.values_list("pk", flat=True))
    if set(choices) != items:
        raise DomainError("Phiếu phải có ý kiến cho tất cả người, tập thể trong danh sách", field="choices")
    if any(c not in CHOICES for c in choices.values()):
        raise DomainError("Ý kiến chỉ là Đồng ý hoặc Không đồng ý", field="choices")
    return dict(choices)


def _drop_in_box(
    ballot: Ballot, member: CouncilMember, choices: dict[int, str], in_writing: bool, scan: Any
) -> None:
    """The voter row and the counters in the same transaction; nothing else is written."""
    voter = BallotVoter(ballot=ballot, member=member, in_writing=in_writing)
    if scan is not None:
        voter.scan.save(f"phieu.{check_scan(scan, field='scan', label='Bản chụp phiếu')}", scan, save=False)
    try:
        with transaction.atomic():
            voter.save()
    except IntegrityError as exc:
        raise DomainError(f"{member.person.full_name} đã bỏ phiếu") from exc
    if choices:
        agree = [pk for pk, c in choices.items() if c == AGREE]
        disagree = [pk for pk, c in choices.items() if c == DISAGREE]
        BallotCount.objects.filter(item_id__in=agree).update(agree=F("agree") + 1)
        BallotCount.objects.filter(item_id__in=disagree).update(disagree=F("disagree") + 1)


@transaction.atomic
def cast_votes(
    *,
    actor: User | None,
    ballot: Ballot,
    member: CouncilMember,
    choices: Mapping[int, str],
    in_writing: bool = False,
    scan: UploadedFile | None = None,
) -> None:
    """Record one member's ballot on screen: a choice (agree/disagree) for every item, once.

    In the room the member votes through their own login and must be present. A written vote of an
    absent member is entered by the council's secretary with a scan of the paper received (PDF,
    PNG or JPEG, checked by content). Logs `ballot.voted` with the member's name and nothing about
    the choices."""
    ballot = _lock_open(ballot)
    council = ballot.meeting.council
    if ballot.mode != Ballot.Mode.ELECTRONIC:
        raise DomainError("Bỏ phiếu giấy: Ban kiểm phiếu ghi kết quả, không bỏ phiếu trên hệ thống")
    if member.council_id != council.pk:
        raise DomainError("Người này không phải thành viên hội đồng")
    present = Attendance.objects.filter(meeting=ballot.meeting, member=member, present=True).exists()
    if in_writing:
        _check_written(actor, council, present)
        if scan is None:
            raise DomainError("Cần đính kèm bản chụp phiếu gửi bằng văn bản", field="scan")
    else:
        seat = member_for(actor, council)
        if seat is None or seat.pk != member.pk:
            raise DomainError("Mỗi thành viên chỉ tự bỏ phiếu của mình")
        if not present:
            raise DomainError("Thành viên vắng mặt gửi phiếu bằng văn bản qua Thư ký hội đồng")
        scan = None
    checked = _check_choices(ballot, choices)
    _drop_in_box(ballot, member, checked, in_writing, scan)
    log(
        "ballot.voted",
        actor=actor,
        obj=ballot,
        unit_path=council.unit.path,
        detail={"member": member.person.full_name, "in_writing": in_writing},
    )


def _check_written(actor: User | None, council: Council, present: bool) -> None:
    seat = member_for(actor, council) if actor is not None else None
    if seat is None or seat.role != CouncilMember.Role.THU_KY:
        raise DomainError("Chỉ Thư ký hội đồng được nhập phiếu bằng văn bản")
    if present:
        raise DomainError("Thành viên có mặt tại phiên họp tự bỏ phiếu, không gửi phiếu bằng văn bản")


@transaction.atomic
def receive_written_vote(
    *, actor: User | None, ballot: Ballot, member: CouncilMember, scan: UploadedFile
) -> None:
    """A paper ballot: the secretary records that an absent member's written vote was received, with
    its scan; the Ban kiểm phiếu counts it with the others."""
    ballot = _lock_open(ballot)
    council = ballot.meeting.council
    if ballot.mode != Ballot.Mode.PAPER:
        raise DomainError("Bỏ phiếu trên hệ thống: nhập cả ý kiến của phiếu gửi bằng văn bản")
    if member.council_id != council.pk:
        raise DomainError("Người này không phải thành viên hội đồng")
    present = Attendance.objects.filter(meeting=ballot.meeting, member=member, present=True).exists()
    _check_written(actor, council, present)
    _drop_in_box(ballot, member, {}, True, scan)
    log(
        "ballot.voted",
        actor=actor,
        obj=ballot,
        unit_path=council.unit.path,
        detail={"member": member.person.full_name, "in_writing": True},
    )


def voter_ids(ballot: Ballot) -> set[int]:
    """The members whose ballots a tally counts: on screen, those who voted; on paper, the members
    present (the ballots are handed out in the room) and the written votes received."""
    voters = set(BallotVoter.objects.filter(ballot=ballot).values_list("member_id", flat=True))
    if ballot.mode == Ballot.Mode.PAPER:
        voters |= set(ballot.meeting.attendance.filter(present=True).values_list("member_id", flat=True))
    return voters


def _check_same_voters(ballot: Ballot, voters: set[int]) -> None:
    """Rule 4: every tally of a candidate comes from the same members."""
    items = ballot.items.values_list("candidate_id", flat=True)
    earlier = [i for i in _tallied_items(items) if i.ballot_id != ballot.pk]
    if not earlier:
        return
    names = dict(
        CouncilMember.objects.filter(council=ballot.meeting.council_id).values_list("pk", "person__full_name")
    )
    seen: set[int] = set()
    for item in earlier:
        if item.ballot_id in seen:
            continue
        seen.add(item.ballot_id)
        before = voter_ids(item.ballot)
        if before == voters:
            continue
        missing = sorted(names.get(pk, "?") for pk in before - voters)
        extra = sorted(names.get(pk, "?") for pk in voters - before)
        parts = [f"còn thiếu phiếu của {', '.join(missing)}" if missing else ""]
        parts.append(f"có thêm phiếu của {', '.join(extra)}" if extra else "")
        raise DomainError(
            f"{item.candidate.subject_name} đã có kết quả bỏ phiếu ngày {item.ballot.meeting.held_on:%d/%m/%Y} "
            "(cuộc bỏ phiếu #"
            f"{item.ballot_id}). Để giữ bí mật phiếu, kết quả bỏ phiếu lại chỉ được kiểm khi đúng những thành viên "
            f"đó bỏ phiếu: {'; '.join(p for p in parts if p)}. Hãy chờ đủ phiếu hoặc hủy cuộc bỏ phiếu này."
        )


def _clean_committee(committee: Sequence[str], *, required: bool) -> list[str]:
    names = []
    for raw in committee:
        name = " ".join(str(raw).split())
        if name and name not in names:
            names.append(name[:120])
    if required and not names:
        raise DomainError("Cần ghi họ tên Ban kiểm phiếu (Trưởng ban trước)", field="counting_committee")
    if len(names) > 15:
        raise DomainError("Ban kiểm phiếu có quá nhiều người", field="counting_committee")
    return names


def _finish(ballot: Ballot, tallies: dict[int, tuple[int, int]]) -> list[dict[str, Any]]:
    results = []
    for item in ballot.items.select_related("candidate__person", "candidate__collective").order_by("id"):
        agree, disagree = tallies[item.pk]
        item.agree, item.disagree = agree, disagree
        item.passed = passes(agree, ballot.member_count, item.threshold_pct, ballot.vote_rule)
        item.save(update_fields=["agree", "disagree", "passed"])
        Candidate.objects.filter(pk=item.candidate_id).update(vote_passed=item.passed)
        results.append(
            {
                "candidate": item.candidate.subject_name,
                "award": award_name(item.candidate.award_id, on=ballot.meeting.held_on),
                "agree": agree,
                "disagree": disagree,
                "members": ballot.member_count,
                "threshold": item.threshold_pct,
                "passed": item.passed,
            }
        )
    return results


@transaction.atomic
def close_ballot(
    *, actor: User | None, ballot: Ballot, reason: str = "", counting_committee: Sequence[str] = ()
) -> Ballot:
    """Count an on-screen ballot (rules 2-4 of the module): store each item's tally and whether it
    reached its threshold (share of ALL members), mark the candidates, empty the sealed box."""
    ballot = _lock_open(ballot)
    council = ballot.meeting.council
    if ballot.mode != Ballot.Mode.ELECTRONIC:
        raise DomainError("Bỏ phiếu giấy: ghi kết quả kiểm phiếu của Ban kiểm phiếu")
    _require_runner(actor, council)
    voters = voter_ids(ballot)
    present = set(ballot.meeting.attendance.filter(present=True).values_list("member_id", flat=True))
    waiting = present - voters
    reason = reason.strip()
    q = quorum(ballot.meeting)
    if waiting:
        if not _is_chair(actor, council):
            raise DomainError(
                f"Còn {len(waiting)} thành viên có mặt chưa bỏ phiếu: chỉ Chủ tịch Hội đồng được kết thúc sớm"
            )
        if not reason:
            raise DomainError("Kết thúc trước khi mọi người có mặt bỏ phiếu cần ghi lý do", field="reason")
        if len(voters) < q.needed:
            raise DomainError(
                f"Mới có {len(voters)} phiếu, ít hơn số thành viên tối thiểu phải có mặt ({q.needed}): "
                "chưa kiểm phiếu được"
            )
    if len(voters) < MIN_BALLOTS:
        raise DomainError(
            f"Mới có {len(voters)} phiếu: cần ít nhất {MIN_BALLOTS} phiếu để kiểm mà vẫn giữ bí mật phiếu"
        )
    _check_same_voters(ballot, voters)
    committee = _clean_committee(counting_committee, required=False)
    boxes = {b.item_id: (b.agree, b.disagree) for b in BallotCount.objects.filter(item__ballot=ballot)}
    results = _finish(ballot, boxes)
    BallotCount.objects.filter(item__ballot=ballot).delete()
    ballot.status = Ballot.Status.CLOSED
    ballot.closed_early = bool(waiting)
    ballot.close_reason = reason if waiting else ""
    ballot.counting_committee = committee
    ballot.save(update_fields=["status", "closed_early", "close_reason", "counting_committee", "updated_at"])
    log(
        "ballot.closed",
        actor=actor,
        obj=ballot,
        unit_path=council.unit.path,
        detail={
            "voters": len(voters),
            "in_writing": BallotVoter.objects.filter(ballot=ballot, in_writing=True).count(),
            "closed_early": bool(waiting),
            "reason": ballot.close_reason,
            "results": results,
        },
    )
    return ballot


@dataclass(frozen=True)
class PaperTally:
    """What the Ban kiểm phiếu counted: ballots issued, returned, valid, and per item (agree, disagree)."""

    issued: int
    returned: int
    valid: int
    counts: Mapping[int, tuple[int, int]]


@transaction.atomic
def record_paper_tally(
    *, actor: User | None, ballot: Ballot, tally: PaperTally, counting_committee: Sequence[str]
) -> Ballot:
    """Record the counting committee's result of a paper ballot (kiểm phiếu) and close it. The figures
    must add up: valid ≤ returned ≤ issued ≤ members, agree + disagree ≤ valid for each candidate;
    the ballots returned must reach the quorum of the meeting."""
    ballot = _lock_open(ballot)
    council = ballot.meeting.council
    if ballot.mode != Ballot.Mode.PAPER:
        raise DomainError("Cuộc bỏ phiếu trên hệ thống được kiểm phiếu tự động khi kết thúc")
    _require_runner(actor, council)
    committee = _clean_committee(counting_committee, required=True)
    figures = {"issued": tally.issued, "returned": tally.returned, "valid": tally.valid}
    labels = {"issued": "Số phiếu phát ra", "returned": "Số phiếu thu vào", "valid": "Số phiếu hợp lệ"}
    for key, value in figures.items():
        if value < 0:
            raise DomainError(f"{labels[key]}: không được âm ({value})", field=key)
    if tally.issued > ballot.member_count:
        raise DomainError(
            f"Số phiếu phát ra ({tally.issued}) nhiều hơn tổng số thành viên Hội đồng ({ballot.member_count})",
            field="issued",
        )
    if tally.returned > tally.issued:
        raise DomainError(
            f"Số phiếu thu vào ({tally.returned}) nhiều hơn số phiếu phát ra ({tally.issued})",
            field="returned",
        )
    if tally.valid > tally.returned:
        raise DomainError(
            f"Số phiếu hợp lệ ({tally.valid}) nhiều hơn số phiếu thu vào ({tally.returned})", field="valid"
        )
    q = quorum(ballot.meeting)
    if tally.returned < max(q.needed, MIN_BALLOTS):
        raise DomainError(
            f"Số phiếu thu vào ({tally.returned}) ít hơn số tối thiểu để kiểm phiếu ({max(q.needed, MIN_BALLOTS)})",
            field="returned",
        )
    items = {i.pk: i for i in ballot.items.select_related("candidate__person", "candidate__collective")}
    if set(tally.counts) != set(items):
        raise DomainError("Cần ghi số phiếu đồng ý, không đồng ý cho tất cả người, tập thể", field="counts")
    for pk, (agree, disagree) in tally.counts.items():
        name = items[pk].candidate.subject_name
        if agree < 0 or disagree < 0:
            raise DomainError(f"{name}: số phiếu không được âm", field="counts")
        if agree + disagree > tally.valid:
            raise DomainError(
                f"{name}: {agree} đồng ý + {disagree} không đồng ý nhiều hơn số phiếu hợp lệ ({tally.valid})",
                field="counts",
            )
    _check_same_voters(ballot, voter_ids(ballot))
    results = _finish(ballot, dict(tally.counts))
    ballot.issued, ballot.returned, ballot.valid = tally.issued, tally.returned, tally.valid
    ballot.counting_committee = committee
    ballot.status = Ballot.Status.CLOSED
    ballot.save(update_fields=["issued", "returned", "valid", "counting_committee", "status", "updated_at"])
    log(
        "ballot.closed",
        actor=actor,
        obj=ballot,
        unit_path=council.unit.path,
        detail={**figures, "counting_committee": committee, "results": results},
    )
    return ballot


@transaction.atomic
def cancel_ballot(*, actor: User | None, ballot: Ballot, reason: str) -> Ballot:
    """Cancel an open ballot without counting it (e.g. it cannot be counted under the secrecy rules):
    the sealed box is emptied unread, no result ever exists. Needs a reason."""
    ballot = _lock_open(ballot)
    council = ballot.meeting.council
    _require_runner(actor, council)
    reason = reason.strip()
    if not reason:
        raise DomainError("Cần ghi lý do hủy cuộc bỏ phiếu", field="reason")
    BallotCount.objects.filter(item__ballot=ballot).delete()
    ballot.status = Ballot.Status.CANCELLED
    ballot.close_reason = reason
    ballot.save(update_fields=["status", "close_reason", "updated_at"])
    log(
        "ballot.cancelled",
        actor=actor,
        obj=ballot,
        unit_path=council.unit.path,
        detail={"reason": reason, "voters": BallotVoter.objects.filter(ballot=ballot).count()},
    )
    return ballot
