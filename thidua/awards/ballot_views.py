"""Meeting and secret ballot pages: thin views over `services/council.py`.

Who voted is shown (names); how anyone voted never is. Counts appear only on a closed ballot."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from thidua.awards import documents, services
from thidua.awards.forms import OpenBallotForm, ScanForm, committee_lines
from thidua.awards.models import Ballot, BallotItem, BallotVoter, Candidate, CouncilMember
from thidua.awards.permissions import get_ballot_for_user, get_meeting_for_user
from thidua.awards.services.council import AGREE, DISAGREE, member_for, runs_council
from thidua.core.errors import DomainError
from thidua.core.http import download
from thidua.lib.numbers import parse_number
from thidua.org.view_helpers import actor_of
from thidua.rules.names import award_name


def subject_unit(c: Candidate) -> str:
    """Where a candidate works: the person's unit, or the collective's parent unit."""
    if c.person is not None:
        return c.person.current_unit.name if c.person.current_unit else c.unit.name
    if c.collective is not None and c.collective.parent is not None:
        return c.collective.parent.name
    return ""


def _candidate_rows(items: list[BallotItem], on: date) -> list[dict[str, Any]]:
    """Ballot items as the paper shows them: grouped by title, then by name."""
    rows = [
        {
            "item": i,
            "name": i.candidate.subject_name,
            "award": award_name(i.candidate.award_id, on=on),
            "unit": subject_unit(i.candidate),
        }
        for i in items
    ]
    return sorted(rows, key=lambda r: (r["award"], r["unit"], r["name"]))


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk)
    unit = meeting.council.unit
    confirmed = list(
        Candidate.objects.filter(
            unit__path__startswith=unit.path,
            year=meeting.year,
            status=Candidate.Status.CONFIRMED,
            dossier__isnull=True,
        )
        .select_related("person__current_unit", "collective__parent", "unit")
        .order_by("award_id", "id")
    )
    busy = set(
        BallotItem.objects.filter(candidate__in=confirmed, ballot__status=Ballot.Status.OPEN).values_list(
            "candidate_id", flat=True
        )
    )
    tallied = set(
        BallotItem.objects.filter(candidate__in=confirmed, ballot__status=Ballot.Status.CLOSED).values_list(
            "candidate_id", flat=True
        )
    )
    rows = [
        {
            "candidate": c,
            "award": award_name(c.award_id, on=meeting.held_on),
            "unit": subject_unit(c),
            "again": c.pk in tallied,
            "busy": c.pk in busy,
            "name": c.subject_name,
        }
        for c in confirmed
    ]
    runs = runs_council(actor_of(request), meeting.council)
    closed = meeting.ballots.filter(status=Ballot.Status.CLOSED).exists()
    context = {
        "meeting": meeting,
        "quorum": services.quorum(meeting),
        "attendance": meeting.attendance.select_related("member__person").order_by("member_id"),
        "ballots": meeting.ballots.order_by("id"),
        "rows": sorted(rows, key=lambda r: (str(r["award"]), str(r["unit"]), str(r["name"]))),
        "can_write": runs,
        "can_correct": runs and not closed,
    }
    return render(request, "awards/meeting_detail.html", context)


@login_required
@require_POST
def meeting_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct who was present (with a reason), through `correct_attendance`."""
    meeting = get_meeting_for_user(request.user, pk)
    members = {m.pk: m for m in meeting.council.members.all()}
    present = [members[int(v)] for v in request.POST.getlist("present") if v.isdigit() and int(v) in members]
    try:
        services.correct_attendance(
            actor=actor_of(request), meeting=meeting, present=present, reason=request.POST.get("reason", "")
        )
        messages.success(request, "Đã sửa danh sách có mặt")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("awards:meeting_detail", pk=meeting.pk)


@login_required
def meeting_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk)
    return download(documents.minutes_docx(meeting), f"bien-ban-hop-{meeting.held_on:%Y%m%d}.docx")


@login_required
@require_POST
def ballot_open(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk)
    pool = Candidate.objects.filter(unit__path__startswith=meeting.council.unit.path, year=meeting.year)
    form = OpenBallotForm(request.POST, candidates=[(c.pk, str(c.pk)) for c in pool])
    if not form.is_valid():
        messages.error(request, "Chưa chọn người, tập thể nào để bỏ phiếu")
        return redirect("awards:meeting_detail", pk=meeting.pk)
    d = form.cleaned_data
    try:
        ballot = services.open_ballot(
            actor=actor_of(request),
            meeting=meeting,
            candidates=list(
                pool.filter(pk__in=d["candidates"]).select_related("unit", "person", "collective")
            ),
            mode=d["mode"] or Ballot.Mode.ELECTRONIC,
            reason=d["reason"],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("awards:meeting_detail", pk=meeting.pk)
    return redirect("awards:ballot_detail", pk=ballot.pk)


def _state(ballot: Ballot, user: Any) -> dict[str, Any]:
    council = ballot.meeting.council
    me = member_for(user, council)
    voters = list(
        BallotVoter.objects.filter(ballot=ballot).select_related("member__person").order_by("member__id")
    )
    voted = {v.member_id for v in voters}
    attendance = list(ballot.meeting.attendance.select_related("member__person").order_by("member_id"))
    present = [a.member for a in attendance if a.present]
    absent = [a.member for a in attendance if not a.present]
    return {
        "me": me,
        "voters": voters,
        "voted": voted,
        "present": present,
        "absent": absent,
        "waiting": [m for m in present if m.pk not in voted],
        "written": [v for v in voters if v.in_writing],
        "written_pending": [m for m in absent if m.pk not in voted],
    }


@login_required
def ballot_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The ballot paper for a member, written votes for the secretary, the count for whoever runs
    the ballot, the tally once closed."""
    ballot = get_ballot_for_user(request.user, pk)
    council = ballot.meeting.council
    items = list(
        ballot.items.select_related(
            "candidate__person__current_unit", "candidate__collective__parent", "candidate__unit"
        )
    )
    state = _state(ballot, request.user)
    me = state["me"]
    is_open = ballot.status == Ballot.Status.OPEN
    electronic = ballot.mode == Ballot.Mode.ELECTRONIC
    context = {
        "ballot": ballot,
        "rows": _candidate_rows(items, ballot.meeting.held_on),
        "closed": ballot.is_closed,
        "is_open": is_open,
        "electronic": electronic,
        "quorum": services.quorum(ballot.meeting),
        "can_vote": is_open
        and electronic
        and me is not None
        and me.pk not in state["voted"]
        and any(m.pk == me.pk for m in state["present"]),
        "i_voted": me is not None and me.pk in state["voted"],
        "is_secretary": me is not None and me.role == CouncilMember.Role.THU_KY,
        "is_chair": me is not None and me.role == CouncilMember.Role.CHU_TICH,
        "can_run": is_open and runs_council(actor_of(request), council),
        "scan_form": ScanForm(),
        **state,
    }
    return render(request, "awards/ballot_detail.html", context)


def _exceptions(post: QueryDict, ballot: Ballot) -> dict[int, str]:
    """ "Đồng ý tất cả" then exceptions: every item agrees unless its box (`disagree` = item id) is ticked."""
    ticked = {int(v) for v in post.getlist("disagree") if v.isdigit()}
    return {pk: (DISAGREE if pk in ticked else AGREE) for pk in ballot.items.values_list("pk", flat=True)}


@login_required
@require_POST
def ballot_vote(request: HttpRequest, pk: int) -> HttpResponse:
    ballot = get_ballot_for_user(request.user, pk)
    member = member_for(request.user, ballot.meeting.council)
    if member is None:
        raise PermissionDenied("Bạn không phải thành viên hội đồng")
    try:
        services.cast_votes(
            actor=actor_of(request), ballot=ballot, member=member, choices=_exceptions(request.POST, ballot)
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Đã ghi nhận phiếu của bạn.")
    return redirect("awards:ballot_detail", pk=ballot.pk)


@login_required
@require_POST
def ballot_written(request: HttpRequest, pk: int) -> HttpResponse:
    """The secretary enters an absent member's written vote with its scan."""
    ballot = get_ballot_for_user(request.user, pk)
    council = ballot.meeting.council
    member = council.members.filter(pk=request.POST.get("member") or 0).select_related("person").first()
    form = ScanForm(request.POST, request.FILES)
    try:
        if member is None:
            raise DomainError("Chọn thành viên đã gửi phiếu bằng văn bản", field="member")
        if not form.is_valid():
            raise DomainError("Cần đính kèm bản chụp phiếu gửi bằng văn bản", field="scan")
        scan = form.cleaned_data["scan"]
        if ballot.mode == Ballot.Mode.PAPER:
            services.receive_written_vote(actor=actor_of(request), ballot=ballot, member=member, scan=scan)
        else:
            services.cast_votes(
                actor=actor_of(request),
                ballot=ballot,
                member=member,
                choices=_exceptions(request.POST, ballot),
                in_writing=True,
                scan=scan,
            )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Đã ghi phiếu gửi bằng văn bản của {member.person.full_name}.")
    return redirect("awards:ballot_detail", pk=ballot.pk)


@login_required
def ballot_scan(request: HttpRequest, pk: int, voter_pk: int) -> HttpResponse:
    """The scan of a written vote: it shows the member's choices, so only the council's secretary
    (who entered it) may open it again."""
    ballot = get_ballot_for_user(request.user, pk)
    me = member_for(request.user, ballot.meeting.council)
    if me is None or me.role != CouncilMember.Role.THU_KY:
        raise Http404("Không tìm thấy tệp")
    voter = BallotVoter.objects.filter(ballot=ballot, pk=voter_pk, in_writing=True).first()
    if voter is None or not voter.scan:
        raise Http404("Không tìm thấy tệp")
    with voter.scan.open("rb") as f:
        content = f.read()
    extension = voter.scan.name.rsplit(".", 1)[-1]
    return download(content, f"phieu-van-ban-{ballot.pk}-{voter.pk}.{extension}")


@login_required
@require_POST
def ballot_close(request: HttpRequest, pk: int) -> HttpResponse:
    ballot = get_ballot_for_user(request.user, pk)
    try:
        services.close_ballot(
            actor=actor_of(request),
            ballot=ballot,
            reason=request.POST.get("reason", ""),
            counting_committee=committee_lines(request.POST.get("counting_committee", "")),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Đã kiểm phiếu.")
    return redirect("awards:ballot_detail", pk=ballot.pk)


@login_required
@require_POST
def ballot_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    ballot = get_ballot_for_user(request.user, pk)
    try:
        services.cancel_ballot(actor=actor_of(request), ballot=ballot, reason=request.POST.get("reason", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Đã hủy cuộc bỏ phiếu; không có kết quả nào được kiểm.")
    return redirect("awards:ballot_detail", pk=ballot.pk)


def _count(post: QueryDict, name: str, label: str) -> int:
    raw = post.get(name, "").strip()
    value = parse_number(raw) if raw else None
    if value is None or value != int(value):
        raise DomainError(f"{label}: “{raw}” không phải số nguyên", field=name)
    return int(value)


@login_required
@require_POST
def ballot_tally(request: HttpRequest, pk: int) -> HttpResponse:
    """The counting committee's figures of a paper ballot."""
    ballot = get_ballot_for_user(request.user, pk)
    post = request.POST
    try:
        counts = {}
        for item in ballot.items.select_related("candidate__person", "candidate__collective"):
            name = item.candidate.subject_name
            counts[item.pk] = (
                _count(post, f"agree_{item.pk}", f"{name}, số phiếu đồng ý"),
                _count(post, f"disagree_{item.pk}", f"{name}, số phiếu không đồng ý"),
            )
        tally = services.PaperTally(
            issued=_count(post, "issued", "Số phiếu phát ra"),
            returned=_count(post, "returned", "Số phiếu thu vào"),
            valid=_count(post, "valid", "Số phiếu hợp lệ"),
            counts=counts,
        )
        services.record_paper_tally(
            actor=actor_of(request),
            ballot=ballot,
            tally=tally,
            counting_committee=committee_lines(post.get("counting_committee", "")),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Đã ghi kết quả kiểm phiếu.")
    return redirect("awards:ballot_detail", pk=ballot.pk)


@login_required
def ballot_count_report(request: HttpRequest, pk: int) -> HttpResponse:
    """Biên bản kiểm phiếu (.docx) of a closed ballot."""
    ballot = get_ballot_for_user(request.user, pk)
    if not ballot.is_closed:
        raise Http404("Cuộc bỏ phiếu chưa kiểm phiếu")
    return download(documents.count_report_docx(ballot), f"bien-ban-kiem-phieu-{ballot.pk}.docx")
