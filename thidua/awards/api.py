"""Year-end API resources under /api/v1/: the same access helpers and services as the pages.

Councils, meetings and secret ballots are in `ballot_api.py`."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from thidua.awards import services
from thidua.awards.filters import AwardFilter, CandidateFilter, DecisionFilter, DossierFilter, RatingFilter
from thidua.awards.models import (
    Candidate,
    Decision,
    Dossier,
)
from thidua.awards.permissions import (
    get_candidate_for_user,
    get_dossier_for_user,
    visible_awards,
    visible_candidates,
    visible_decisions,
    visible_dossiers,
)
from thidua.core.errors import DomainError
from thidua.documents.api import JobSerializer
from thidua.documents.models import Job
from thidua.documents.official import SIGNING_FORMS
from thidua.history.models import AwardRecord, Rating, RatingValue
from thidua.lib.ids import parse_id
from thidua.org.permissions import get_unit_for_user, visible_people, visible_units
from thidua.org.view_helpers import actor_of


# -- ratings -------------------------------------------------------------------------------------
class RatingSerializer(serializers.ModelSerializer[Rating]):
    class Meta:
        model = Rating
        fields = ["id", "person", "unit", "year", "value"]


class RatingGridSerializer(serializers.Serializer[Any]):
    unit = serializers.IntegerField()
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    values = serializers.DictField(
        child=serializers.ChoiceField(choices=RatingValue.choices, allow_blank=True)
    )
    unit_value = serializers.ChoiceField(choices=RatingValue.choices, allow_blank=True, required=False)
    version = serializers.CharField(
        required=False, max_length=64, help_text="Phiên bản của bảng xếp loại đã đọc (`GET ratings/grid/`)"
    )


class GridQuerySerializer(serializers.Serializer[Any]):
    unit = serializers.IntegerField(min_value=1)
    year = serializers.IntegerField(min_value=2000, max_value=2100)


class GridSerializer(serializers.Serializer[Any]):
    unit = serializers.IntegerField()
    year = serializers.IntegerField()
    version = serializers.CharField()
    values = serializers.DictField(child=serializers.CharField())
    unit_value = serializers.CharField(allow_blank=True)


class CapSerializer(serializers.Serializer[Any]):
    enabled = serializers.BooleanField()
    htxs = serializers.IntegerField()
    htt = serializers.IntegerField()
    pct = serializers.IntegerField()
    allowed = serializers.IntegerField()
    over = serializers.BooleanField()
    text = serializers.CharField()


class RatingViewSet(viewsets.ReadOnlyModelViewSet[Rating]):
    """Task-completion ratings of people and collectives in scope; `save` writes a unit's grid."""

    serializer_class = RatingSerializer
    filterset_class = RatingFilter

    def get_queryset(self) -> Any:
        user = self.request.user
        return Rating.objects.filter(
            Q(person__in=visible_people(user)) | Q(unit__in=visible_units(user))
        ).order_by("-year", "id")

    @extend_schema(request=RatingGridSerializer, responses=CapSerializer)
    @action(detail=False, methods=["post"])
    def save(self, request: Request) -> Response:
        data = RatingGridSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        unit = get_unit_for_user(request.user, d["unit"], write=True)
        values: dict[int, str] = {}
        for key, value in d["values"].items():
            person_id = parse_id(key)
            if person_id is None:
                raise DomainError(
                    f"Khóa «{str(key)[:20]}» của values phải là mã nhân sự (số)", field="values"
                )
            values[person_id] = value
        cap = services.save_ratings(
            actor=actor_of(request),
            unit=unit,
            year=d["year"],
            values=values,
            unit_value=d.get("unit_value"),
            version=d.get("version"),
            require_version=True,
        )
        return Response(CapSerializer(cap).data)

    @extend_schema(parameters=[GridQuerySerializer], responses=GridSerializer)
    @action(detail=False, methods=["get"])
    def grid(self, request: Request) -> Response:
        """A unit's grid for a year: person id → rating, the unit's own, and the `version` to send back."""
        query = GridQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        unit = get_unit_for_user(request.user, query.validated_data["unit"])
        year = query.validated_data["year"]
        people = [p.pk for p in services.rated_people(unit, year)]
        values = dict(
            Rating.objects.filter(person_id__in=people, year=year).values_list("person_id", "value")
        )
        own = Rating.objects.filter(unit=unit, year=year).values_list("value", flat=True).first() or ""
        body = {
            "unit": unit.pk,
            "year": year,
            "version": services.grid_version(unit, year, people),
            "values": {str(pid): values.get(pid, "") for pid in people},
            "unit_value": own,
        }
        return Response(GridSerializer(body).data)


# -- candidates ----------------------------------------------------------------------------------
class CandidateSerializer(serializers.ModelSerializer[Candidate]):
    subject_name = serializers.CharField(read_only=True)

    class Meta:
        model = Candidate
        fields = [
            "id",
            "unit",
            "year",
            "award_id",
            "kind",
            "person",
            "collective",
            "subject_name",
            "status",
            "source",
            "verdict",
            "engine_result",
            "ruleset_id",
            "note",
            "vote_passed",
            "dossier",
            "appraisal",
            "appraisal_note",
        ]


class ProposeSerializer(serializers.Serializer[Any]):
    unit = serializers.IntegerField()
    year = serializers.IntegerField(min_value=2000, max_value=2100)


class ReasonSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField()


class CandidateViewSet(viewsets.ReadOnlyModelViewSet[Candidate]):
    """Candidates with the engine's output; `propose`, `confirm`, `remove` call the services."""

    serializer_class = CandidateSerializer
    filterset_class = CandidateFilter

    def get_queryset(self) -> Any:
        return visible_candidates(self.request.user).select_related("person", "collective").order_by("id")

    @extend_schema(request=ProposeSerializer, responses=None)
    @action(detail=False, methods=["post"])
    def propose(self, request: Request) -> Response:
        data = ProposeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        unit = get_unit_for_user(request.user, data.validated_data["unit"], write=True)
        s = services.propose_candidates(actor=actor_of(request), unit=unit, year=data.validated_data["year"])
        return Response(
            {"proposed": s.proposed, "deferred": s.deferred, "kept": s.kept, "ruleset": s.ruleset_id}
        )

    @extend_schema(request=None, responses=CandidateSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str) -> Response:
        candidate = get_candidate_for_user(request.user, int(pk), write=True)
        return Response(
            CandidateSerializer(services.confirm_candidate(actor=actor_of(request), candidate=candidate)).data
        )

    @extend_schema(request=ReasonSerializer, responses=CandidateSerializer)
    @action(detail=True, methods=["post"])
    def remove(self, request: Request, pk: str) -> Response:
        candidate = get_candidate_for_user(request.user, int(pk), write=True)
        reason = str(request.data.get("reason", ""))
        return Response(
            CandidateSerializer(
                services.remove_candidate(actor=actor_of(request), candidate=candidate, reason=reason)
            ).data
        )


# -- dossiers and decisions ----------------------------------------------------------------------
class DossierSerializer(serializers.ModelSerializer[Dossier]):
    candidates = CandidateSerializer(many=True, read_only=True)

    class Meta:
        model = Dossier
        fields = [
            "id",
            "unit",
            "appraiser",
            "year",
            "award_id",
            "status",
            "version",
            "meeting",
            "submitted_on",
            "deadline",
            "return_reason",
            "candidates",
        ]


class VersionSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField()


class ReturnSerializer(VersionSerializer):
    reason = serializers.CharField()


class AppraisalVerdictSerializer(serializers.Serializer[Any]):
    candidate = serializers.IntegerField()
    accepted = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class AppraiseSerializer(VersionSerializer):
    verdicts = AppraisalVerdictSerializer(many=True)


class DecideSerializer(VersionSerializer):
    signed_on = serializers.DateField()
    signer_name = serializers.CharField()
    signer_title = serializers.CharField()
    signing_form = serializers.ChoiceField(
        choices=list(SIGNING_FORMS),
        required=False,
        allow_blank=True,
        default="",
        help_text="KT., TM., Q., TL., TUQ. (empty: the head signs; a deputy's title makes it KT.)",
    )
    recipients = serializers.CharField(required=False, allow_blank=True, default="")


class DossierViewSet(viewsets.ReadOnlyModelViewSet[Dossier]):
    """Dossiers of the caller's units and those sent to them; every action carries the `version`
    read, and a stale one is refused."""

    serializer_class = DossierSerializer
    filterset_class = DossierFilter

    def get_queryset(self) -> Any:
        return visible_dossiers(self.request.user).prefetch_related("candidates").order_by("id")

    def _version(self, request: Request, serializer: type[serializers.Serializer[Any]]) -> dict[str, Any]:
        data = serializer(data=request.data)
        data.is_valid(raise_exception=True)
        return dict(data.validated_data)

    @extend_schema(request=VersionSerializer, responses=DossierSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        dossier = get_dossier_for_user(request.user, int(pk), write=True)
        d = self._version(request, VersionSerializer)
        dossier = services.submit_dossier(actor=actor_of(request), dossier=dossier, version=d["version"])
        return Response(DossierSerializer(dossier).data)

    @extend_schema(request=ReturnSerializer, responses=DossierSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request: Request, pk: str) -> Response:
        dossier = get_dossier_for_user(request.user, int(pk), write=True)
        d = self._version(request, ReturnSerializer)
        dossier = services.return_dossier(
            actor=actor_of(request), dossier=dossier, version=d["version"], reason=d["reason"]
        )
        return Response(DossierSerializer(dossier).data)

    @extend_schema(request=AppraiseSerializer, responses=DossierSerializer)
    @action(detail=True, methods=["post"])
    def appraise(self, request: Request, pk: str) -> Response:
        dossier = get_dossier_for_user(request.user, int(pk), write=True)
        d = self._version(request, AppraiseSerializer)
        verdicts = {v["candidate"]: (v["accepted"], v["note"]) for v in d["verdicts"]}
        dossier = services.appraise_dossier(
            actor=actor_of(request), dossier=dossier, version=d["version"], verdicts=verdicts
        )
        return Response(DossierSerializer(dossier).data)

    @extend_schema(request=DecideSerializer, responses=None)
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str) -> Response:
        """Issue the numbered decision (appraising unit only); returns its id and number."""
        dossier = get_dossier_for_user(request.user, int(pk), write=True)
        d = self._version(request, DecideSerializer)
        decision = services.issue_decision(
            actor=actor_of(request),
            dossier=dossier,
            version=d["version"],
            signed_on=d["signed_on"],
            signer_name=d["signer_name"],
            signer_title=d["signer_title"],
            signing_form=d["signing_form"],
            recipients=d["recipients"],
        )
        return Response({"id": decision.pk, "number_symbol": decision.number_symbol}, status=201)


class AwardSerializer(serializers.ModelSerializer[AwardRecord]):
    decision = serializers.SerializerMethodField(help_text="the Decision that granted it, if issued here")

    class Meta:
        model = AwardRecord
        fields = [
            "id",
            "person",
            "unit",
            "kind",
            "award_id",
            "year",
            "decided_on",
            "decision",
            "decision_number",
            "decided_by",
            "prize_vnd",
            "prize_note",
            "revoked_on",
            "revocation_clause",
            "revocation_ground",
            "revocation_decision",
        ]

    def get_decision(self, award: AwardRecord) -> int | None:
        link = getattr(award, "decision_link", None)
        return link.decision_id if link is not None else None


class DecisionSerializer(serializers.ModelSerializer[Decision]):
    awards = AwardSerializer(many=True, read_only=True)
    award_id = serializers.CharField(source="dossier.award_id", read_only=True)
    year = serializers.IntegerField(source="dossier.year", read_only=True)
    totals = serializers.SerializerMethodField()

    class Meta:
        model = Decision
        fields = [
            "id",
            "unit",
            "dossier",
            "award_id",
            "year",
            "status",
            "number_symbol",
            "signed_on",
            "signer_name",
            "signer_title",
            "recipients",
            "awards",
            "totals",
        ]

    def get_totals(self, decision: Decision) -> list[dict[str, Any]]:
        return [
            {"unit": t.unit, "count": t.count, "total_vnd": t.total_vnd}
            for t in services.prize_totals(decision)
        ]


class DecisionViewSet(viewsets.ReadOnlyModelViewSet[Decision]):
    serializer_class = DecisionSerializer
    filterset_class = DecisionFilter

    def get_queryset(self) -> Any:
        return visible_decisions(self.request.user).select_related("dossier").order_by("-signed_on", "-id")

    def _job(self, request: Request, kind: str) -> Response:
        job = services.start_decision_job(actor=actor_of(request), decision=self.get_object(), kind=kind)
        return Response(JobSerializer(job, context={"request": request}).data, status=201)

    @extend_schema(request=None, responses={201: JobSerializer})
    @action(detail=True, methods=["post"])
    def docx_job(self, request: Request, pk: str | None = None) -> Response:
        """Start building the decision with its annex list (.docx) as a job; poll the job for progress."""
        return self._job(request, Job.Kind.DECISION_DOCX)

    @extend_schema(request=None, responses={201: JobSerializer})
    @action(detail=True, methods=["post"])
    def certificates_job(self, request: Request, pk: str | None = None) -> Response:
        """Start printing the decision's certificates (one PDF, a page per recipient) as a job."""
        return self._job(request, Job.Kind.CERTIFICATES_PDF)


class AwardViewSet(viewsets.ReadOnlyModelViewSet[AwardRecord]):
    """Awards in scope; a staff member sees only their own."""

    serializer_class = AwardSerializer
    filterset_class = AwardFilter

    def get_queryset(self) -> Any:
        return (
            visible_awards(self.request.user)
            .select_related("decision_link")
            .order_by("-year", "-decided_on", "id")
        )
