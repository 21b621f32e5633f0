"""Councils, meetings and secret ballots under /api/v1/: the same access helpers and services as the
pages (`services/council.py`), so the same secrecy rules.

A ballot shows who has voted (names), never a choice linked to a member; agree / disagree / passed
are null until the ballot is closed."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from thidua.awards import services
from thidua.awards.filters import CouncilFilter
from thidua.awards.models import Ballot, BallotItem, BallotVoter, Council, CouncilMember, Meeting
from thidua.awards.permissions import (
    get_ballot_for_user,
    get_council_for_user,
    get_meeting_for_user,
    visible_candidates,
    visible_councils,
)
from thidua.awards.services.council import AGREE, DISAGREE, member_for
from thidua.awards.voting import SHARE_CHOICES
from thidua.core.errors import DomainError
from thidua.lib.ids import parse_id
from thidua.org.permissions import get_unit_for_user, visible_people
from thidua.org.view_helpers import actor_of
from thidua.rules.names import award_name


# -- councils ------------------------------------------------------------------------------------
class CouncilMemberSerializer(serializers.ModelSerializer[CouncilMember]):
    name = serializers.CharField(source="person.full_name", read_only=True)

    class Meta:
        model = CouncilMember
        fields = ["id", "person", "name", "role"]


class CouncilSerializer(serializers.ModelSerializer[Council]):
    members = CouncilMemberSerializer(many=True, read_only=True)
    vote_rule_label = serializers.CharField(source="get_vote_rule_display", read_only=True)

    class Meta:
        model = Council
        fields = ["id", "unit", "name", "term_from", "term_to", "vote_rule", "vote_rule_label", "members"]


class NewMemberSerializer(serializers.Serializer[Any]):
    person = serializers.IntegerField()
    role = serializers.ChoiceField(choices=CouncilMember.Role.choices)


class NewCouncilSerializer(serializers.Serializer[Any]):
    unit = serializers.IntegerField()
    name = serializers.CharField(max_length=255)
    term_from = serializers.DateField()
    term_to = serializers.DateField(required=False, allow_null=True, default=None)
    vote_rule = serializers.ChoiceField(choices=SHARE_CHOICES, default="qua_ban")
    members = NewMemberSerializer(many=True)


class CouncilViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet[Council]):
    """Councils of the caller's units and those the caller sits on; POST creates one with its members
    (each votes through the login linked to their staff record)."""

    serializer_class = CouncilSerializer
    filterset_class = CouncilFilter

    def get_queryset(self) -> Any:
        return visible_councils(self.request.user).prefetch_related("members__person").order_by("id")

    @extend_schema(request=NewCouncilSerializer, responses={201: CouncilSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = NewCouncilSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        unit = get_unit_for_user(request.user, d["unit"], write=True)
        wanted = [m["person"] for m in d["members"]]
        people = {p.pk: p for p in visible_people(request.user).filter(pk__in=wanted).select_related("user")}
        missing = [pk for pk in wanted if pk not in people]
        if missing:
            raise DomainError(f"Không tìm thấy nhân sự mã {', '.join(map(str, missing))}", field="members")
        members = [
            (people[m["person"]], m["role"], getattr(people[m["person"]], "user", None)) for m in d["members"]
        ]
        council = services.create_council(
            actor=actor_of(request),
            unit=unit,
            name=d["name"],
            term_from=d["term_from"],
            term_to=d["term_to"],
            members=members,
            vote_rule=d["vote_rule"],
        )
        return Response(CouncilSerializer(council).data, status=201)


# -- meetings ------------------------------------------------------------------------------------
class MeetingSerializer(serializers.ModelSerializer[Meeting]):
    present = serializers.SerializerMethodField()
    absent = serializers.SerializerMethodField()
    quorum = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = ["id", "council", "year", "held_on", "place", "quorum_rule", "present", "absent", "quorum"]

    def _names(self, meeting: Meeting, present: bool) -> list[str]:
        rows = (
            meeting.attendance.filter(present=present).select_related("member__person").order_by("member_id")
        )
        return [a.member.person.full_name for a in rows]

    def get_present(self, meeting: Meeting) -> list[str]:
        return self._names(meeting, True)

    def get_absent(self, meeting: Meeting) -> list[str]:
        return self._names(meeting, False)

    def get_quorum(self, meeting: Meeting) -> str:
        return services.quorum(meeting).text


class NewMeetingSerializer(serializers.Serializer[Any]):
    council = serializers.IntegerField()
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    held_on = serializers.DateField()
    place = serializers.CharField(required=False, allow_blank=True, default="", max_length=255)
    present = serializers.ListField(child=serializers.IntegerField(), help_text="ids of the members present")


class MeetingViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet[Meeting]):
    """Meetings of visible councils with attendance and quorum; POST holds one."""

    serializer_class = MeetingSerializer

    def get_queryset(self) -> Any:
        return Meeting.objects.filter(council__in=visible_councils(self.request.user)).order_by("id")

    @extend_schema(request=NewMeetingSerializer, responses={201: MeetingSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = NewMeetingSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        council = get_council_for_user(request.user, d["council"])
        members = {m.pk: m for m in council.members.all()}
        if not set(d["present"]) <= set(members):
            raise DomainError("Có người dự họp không phải thành viên hội đồng", field="present")
        meeting = services.hold_meeting(
            actor=actor_of(request),
            council=council,
            year=d["year"],
            held_on=d["held_on"],
            place=d["place"],
            present=[members[pk] for pk in d["present"]],
        )
        return Response(MeetingSerializer(meeting).data, status=201)


# -- ballots -------------------------------------------------------------------------------------
class BallotItemSerializer(serializers.ModelSerializer[BallotItem]):
    subject_name = serializers.CharField(source="candidate.subject_name", read_only=True)
    award_id = serializers.CharField(source="candidate.award_id", read_only=True)
    award_name = serializers.SerializerMethodField()
    threshold_label = serializers.CharField(read_only=True)
    agree = serializers.SerializerMethodField()
    disagree = serializers.SerializerMethodField()
    passed = serializers.SerializerMethodField()

    class Meta:
        model = BallotItem
        fields = [
            "id",
            "candidate",
            "subject_name",
            "award_id",
            "award_name",
            "threshold_pct",
            "threshold_kind",
            "threshold_label",
            "threshold_basis",
            "agree",
            "disagree",
            "passed",
        ]

    def get_award_name(self, item: BallotItem) -> str:
        return award_name(item.candidate.award_id, on=item.ballot.meeting.held_on)

    def get_agree(self, item: BallotItem) -> int | None:
        return item.agree if item.ballot.is_closed else None

    def get_disagree(self, item: BallotItem) -> int | None:
        return item.disagree if item.ballot.is_closed else None

    def get_passed(self, item: BallotItem) -> bool | None:
        return item.passed if item.ballot.is_closed else None


class BallotSerializer(serializers.ModelSerializer[Ballot]):
    items = BallotItemSerializer(many=True, read_only=True)
    voted = serializers.SerializerMethodField(help_text="Những thành viên đã bỏ phiếu (không kèm lựa chọn)")
    in_writing = serializers.SerializerMethodField(help_text="Những thành viên đã gửi phiếu bằng văn bản")

    class Meta:
        model = Ballot
        fields = [
            "id",
            "meeting",
            "status",
            "mode",
            "member_count",
            "reason",
            "closed_early",
            "close_reason",
            "issued",
            "returned",
            "valid",
            "counting_committee",
            "items",
            "voted",
            "in_writing",
        ]

    def _voters(self, ballot: Ballot) -> list[BallotVoter]:
        return list(BallotVoter.objects.filter(ballot=ballot).select_related("member__person"))

    def get_voted(self, ballot: Ballot) -> list[str]:
        return sorted(v.member.person.full_name for v in self._voters(ballot))

    def get_in_writing(self, ballot: Ballot) -> list[str]:
        return sorted(v.member.person.full_name for v in self._voters(ballot) if v.in_writing)


class OpenBallotSerializer(serializers.Serializer[Any]):
    meeting = serializers.IntegerField()
    candidates = serializers.ListField(child=serializers.IntegerField(), min_length=1)
    mode = serializers.ChoiceField(choices=Ballot.Mode.choices, default=Ballot.Mode.ELECTRONIC)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)


class VoteSerializer(serializers.Serializer[Any]):
    """Either every choice (`choices`: {item id: agree|disagree}) or "agree to all" with exceptions
    (`agree_all_except`: the item ids the member does not agree with)."""

    choices = serializers.DictField(child=serializers.ChoiceField(choices=[AGREE, DISAGREE]), required=False)
    agree_all_except = serializers.ListField(child=serializers.IntegerField(), required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("choices" in attrs) == ("agree_all_except" in attrs):
            raise serializers.ValidationError("Gửi một trong hai: choices hoặc agree_all_except")
        return attrs


class WrittenVoteSerializer(serializers.Serializer[Any]):
    member = serializers.IntegerField()
    scan = serializers.FileField(help_text="PDF, PNG hoặc JPEG, tối đa 10 MB")
    agree_all_except = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        default=list,
        help_text="on-screen ballots: the items the member does not agree with",
    )


class CloseSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)
    counting_committee = serializers.ListField(
        child=serializers.CharField(max_length=120), required=False, default=list
    )


class PaperCountSerializer(serializers.Serializer[Any]):
    item = serializers.IntegerField()
    agree = serializers.IntegerField(min_value=0)
    disagree = serializers.IntegerField(min_value=0)


class PaperTallySerializer(serializers.Serializer[Any]):
    issued = serializers.IntegerField(min_value=0)
    returned = serializers.IntegerField(min_value=0)
    valid = serializers.IntegerField(min_value=0)
    counts = PaperCountSerializer(many=True)
    counting_committee = serializers.ListField(child=serializers.CharField(max_length=120), min_length=1)


class CancelSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=1000)


def _choices(ballot: Ballot, d: dict[str, Any]) -> dict[int, str]:
    if "choices" in d:
        choices: dict[int, str] = {}
        for key, value in d["choices"].items():
            item = parse_id(key)
            if item is None:
                raise DomainError(
                    f"Khóa «{str(key)[:20]}» của choices phải là mã mục bỏ phiếu (số)", field="choices"
                )
            choices[item] = value
        return choices
    items = set(ballot.items.values_list("pk", flat=True))
    exceptions = set(d.get("agree_all_except", []))
    if not exceptions <= items:
        raise DomainError("agree_all_except có mã không thuộc cuộc bỏ phiếu", field="agree_all_except")
    return {pk: (DISAGREE if pk in exceptions else AGREE) for pk in items}


class BallotViewSet(viewsets.ReadOnlyModelViewSet[Ballot]):
    """Ballots of visible councils. POST opens one; `vote` casts the caller's own ballot; `written`
    (secretary) enters an absent member's written vote with its scan; `close` counts an on-screen
    ballot; `tally` records a paper ballot's count; `cancel` drops it uncounted."""

    serializer_class = BallotSerializer
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    def get_queryset(self) -> Any:
        return (
            Ballot.objects.filter(meeting__council__in=visible_councils(self.request.user))
            .select_related("meeting")
            .order_by("id")
        )

    def _ballot(self, request: Request, pk: str) -> Ballot:
        return get_ballot_for_user(request.user, int(pk))

    def _out(self, ballot: Ballot) -> Response:
        ballot.refresh_from_db()
        return Response(BallotSerializer(ballot).data)

    @extend_schema(request=OpenBallotSerializer, responses={201: BallotSerializer})
    def create(self, request: Request) -> Response:
        data = OpenBallotSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        meeting = get_meeting_for_user(request.user, d["meeting"])
        found = list(visible_candidates(request.user).filter(pk__in=d["candidates"]).select_related("unit"))
        if len(found) != len(set(d["candidates"])):
            raise DomainError("Có mã đề nghị không tìm thấy", field="candidates")
        ballot = services.open_ballot(
            actor=actor_of(request), meeting=meeting, candidates=found, mode=d["mode"], reason=d["reason"]
        )
        return Response(BallotSerializer(ballot).data, status=201)

    @extend_schema(request=VoteSerializer, responses=BallotSerializer)
    @action(detail=True, methods=["post"])
    def vote(self, request: Request, pk: str) -> Response:
        ballot = self._ballot(request, pk)
        member = member_for(request.user, ballot.meeting.council)
        if member is None:
            raise PermissionDenied("Bạn không phải thành viên hội đồng")
        data = VoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.cast_votes(
            actor=actor_of(request),
            ballot=ballot,
            member=member,
            choices=_choices(ballot, data.validated_data),
        )
        return self._out(ballot)

    @extend_schema(request={"multipart/form-data": WrittenVoteSerializer}, responses=BallotSerializer)
    @action(detail=True, methods=["post"])
    def written(self, request: Request, pk: str) -> Response:
        ballot = self._ballot(request, pk)
        data = WrittenVoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        member = ballot.meeting.council.members.filter(pk=d["member"]).select_related("person").first()
        if member is None:
            raise DomainError("Người này không phải thành viên hội đồng", field="member")
        if ballot.mode == Ballot.Mode.PAPER:
            services.receive_written_vote(
                actor=actor_of(request), ballot=ballot, member=member, scan=d["scan"]
            )
        else:
            services.cast_votes(
                actor=actor_of(request),
                ballot=ballot,
                member=member,
                choices=_choices(ballot, {"agree_all_except": d["agree_all_except"]}),
                in_writing=True,
                scan=d["scan"],
            )
        return self._out(ballot)

    @extend_schema(request=CloseSerializer, responses=BallotSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        ballot = self._ballot(request, pk)
        data = CloseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        services.close_ballot(
            actor=actor_of(request),
            ballot=ballot,
            reason=d["reason"],
            counting_committee=d["counting_committee"],
        )
        return self._out(ballot)

    @extend_schema(request=PaperTallySerializer, responses=BallotSerializer)
    @action(detail=True, methods=["post"])
    def tally(self, request: Request, pk: str) -> Response:
        ballot = self._ballot(request, pk)
        data = PaperTallySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        counts = {c["item"]: (c["agree"], c["disagree"]) for c in d["counts"]}
        if len(counts) != len(d["counts"]):
            raise DomainError("Một người, tập thể được ghi hai lần", field="counts")
        services.record_paper_tally(
            actor=actor_of(request),
            ballot=ballot,
            tally=services.PaperTally(
                issued=d["issued"], returned=d["returned"], valid=d["valid"], counts=counts
            ),
            counting_committee=d["counting_committee"],
        )
        return self._out(ballot)

    @extend_schema(request=CancelSerializer, responses=BallotSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        ballot = self._ballot(request, pk)
        data = CancelSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.cancel_ballot(actor=actor_of(request), ballot=ballot, reason=data.validated_data["reason"])
        return self._out(ballot)
