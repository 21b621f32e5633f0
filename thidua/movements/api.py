"""API resources for movements, registrations, results and rankings.

Reads go through the access helpers and FilterSets of the pages; writes through the same services
(so an API approval and a page approval are one code path).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from thidua.core.errors import DomainError
from thidua.core.uploads import MOVEMENT_DOCUMENT, UploadRefused, check_upload
from thidua.lib.numbers import parse_number
from thidua.movements import services
from thidua.movements.filters import MovementFilter, RankingFilter, RegistrationFilter, ResultFilter
from thidua.movements.models import (
    Milestone,
    Movement,
    MovementDocument,
    Period,
    Ranking,
    RankingEntry,
    Registration,
    Result,
)
from thidua.movements.permissions import (
    can_act_for_unit,
    can_review_cluster,
    can_review_registration,
    can_review_result,
    get_movement_for_user,
    get_ranking_for_user,
    get_registration_for_user,
    get_result_for_user,
    visible_movements,
    visible_rankings,
    visible_registrations,
    visible_results,
)
from thidua.org.kinds import catalogue
from thidua.org.models import Cluster, Unit
from thidua.org.permissions import get_unit_for_user
from thidua.org.view_helpers import actor_of


class MovementDocumentSerializer(serializers.ModelSerializer[MovementDocument]):
    class Meta:
        model = MovementDocument
        fields = ["id", "kind", "number_symbol", "issued_on", "issuer", "signer", "summary", "file"]
        extra_kwargs = {"kind": {"required": True}}

    def validate_file(self, file: Any) -> Any:
        return _checked_file(file)


def _checked_file(file: Any) -> Any:
    """A document's file, checked by content (PDF or .docx, 10 MB): `thidua.core.uploads`."""
    if file:
        try:
            check_upload(file, MOVEMENT_DOCUMENT)
        except UploadRefused as exc:
            raise serializers.ValidationError(exc.message) from exc
    return file


class MilestoneSerializer(serializers.ModelSerializer[Milestone]):
    class Meta:
        model = Milestone
        fields = ["id", "kind", "name", "due_on"]
        extra_kwargs = {"kind": {"required": True}}


class MovementSerializer(serializers.ModelSerializer[Movement]):
    launcher = serializers.CharField(source="launcher_label", read_only=True)

    class Meta:
        model = Movement
        fields = [
            "id",
            "title",
            "kind",
            "authority",
            "authority_name",
            "launching_unit",
            "launcher",
            "parent",
            "theme",
            "political_tasks",
            "start_year",
            "end_year",
            "starts_on",
            "ends_on",
            "status",
            "launched_on",
            "closed_on",
        ]
        read_only_fields = ["status", "launched_on", "closed_on"]


class MovementDetailSerializer(MovementSerializer):
    documents = MovementDocumentSerializer(many=True, read_only=True)
    milestones = MilestoneSerializer(many=True, read_only=True)

    class Meta(MovementSerializer.Meta):
        fields = [*MovementSerializer.Meta.fields, "documents", "milestones"]


class ParticipantsSerializer(serializers.Serializer[Any]):
    units = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.filter(valid_to__isnull=True), many=True)
    include_subtree = serializers.BooleanField(default=False)
    unit_kind = serializers.CharField(required=False, allow_blank=True, default="", max_length=20)

    def validate_unit_kind(self, value: str) -> str:
        if value and value not in catalogue():
            raise serializers.ValidationError(f"Không có loại đơn vị mã '{value}'.")
        return value


class MovementReasonSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class MovementViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet[Movement]):
    """Movements the caller may see; `?authority=&year=&status=&kind=&q=` as on the page."""

    filterset_class = MovementFilter

    def get_serializer_class(self) -> Any:
        return MovementDetailSerializer if self.action == "retrieve" else MovementSerializer

    def get_queryset(self) -> Any:
        qs = (
            visible_movements(self.request.user)
            .select_related("launching_unit")
            .order_by("-start_year", "title")
        )
        if self.action == "retrieve":
            qs = qs.prefetch_related("documents", "milestones")
        return qs

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        unit = data.get("launching_unit")
        if unit is not None:
            get_unit_for_user(self.request.user, unit.pk, write=True)
        elif not self.request.user.is_superuser:
            raise PermissionDenied("Chỉ quản trị hệ thống tạo phong trào không gắn đơn vị phát động")
        serializer.instance = services.create_movement(actor=actor_of(self.request), **data)

    @extend_schema(request=MovementDocumentSerializer, responses=MovementDocumentSerializer)
    @action(detail=True, methods=["post"])
    def documents(self, request: Request, pk: str) -> Response:
        """Attach a document (số, ký hiệu validated); multipart for a file."""
        movement = get_movement_for_user(request.user, int(pk), write=True)
        body = MovementDocumentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        document = services.add_movement_document(
            actor=actor_of(request), movement=movement, **body.validated_data
        )
        return Response(MovementDocumentSerializer(document).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MilestoneSerializer, responses=MilestoneSerializer)
    @action(detail=True, methods=["post"])
    def milestones(self, request: Request, pk: str) -> Response:
        movement = get_movement_for_user(request.user, int(pk), write=True)
        body = MilestoneSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        milestone = services.add_milestone(actor=actor_of(request), movement=movement, **body.validated_data)
        return Response(MilestoneSerializer(milestone).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ParticipantsSerializer, responses=MovementSerializer)
    @action(detail=True, methods=["post"])
    def participants(self, request: Request, pk: str) -> Response:
        """Add units (alone or with their subtree, optionally of one kind) the caller may see."""
        movement = get_movement_for_user(request.user, int(pk), write=True)
        body = ParticipantsSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        units = [get_unit_for_user(request.user, unit.pk) for unit in body.validated_data["units"]]
        services.add_participants(
            actor=actor_of(request),
            movement=movement,
            units=units,
            include_subtree=body.validated_data["include_subtree"],
            unit_kind=body.validated_data["unit_kind"],
        )
        return Response(MovementSerializer(movement).data)

    @extend_schema(request=MovementReasonSerializer, responses=MovementSerializer)
    @action(detail=True, methods=["post"])
    def launch(self, request: Request, pk: str) -> Response:
        """draft → launched (needs a launching document and participants for a unit's movement)."""
        return self._step(request, pk, "launch")

    @extend_schema(request=MovementReasonSerializer, responses=MovementSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request: Request, pk: str) -> Response:
        """launched → running."""
        return self._step(request, pk, "start")

    @extend_schema(request=MovementReasonSerializer, responses=MovementSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk: str) -> Response:
        """running → under_review (sơ kết, tổng kết)."""
        return self._step(request, pk, "review")

    @extend_schema(request=MovementReasonSerializer, responses=MovementSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str) -> Response:
        """under_review → running, with `reason`."""
        return self._step(request, pk, "reopen")

    @extend_schema(request=MovementReasonSerializer, responses=MovementSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        """under_review → closed."""
        return self._step(request, pk, "close")

    def _step(self, request: Request, pk: str, step: str) -> Response:
        """Lifecycle: launch, start, review, reopen (with `reason`), close."""
        movement = get_movement_for_user(request.user, int(pk), write=True)
        reason = str(request.data.get("reason", ""))
        movement = services.run_action(actor=actor_of(request), movement=movement, action=step, reason=reason)
        return Response(MovementSerializer(movement).data)


class RegistrationSerializer(serializers.ModelSerializer[Registration]):
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = Registration
        fields = [
            "id",
            "movement",
            "unit",
            "unit_name",
            "year",
            "status",
            "targets",
            "titles",
            "note",
            "submitted_on",
            "late",
            "return_reason",
            "approved_on",
            "version",
        ]
        read_only_fields = ["status", "submitted_on", "late", "return_reason", "approved_on"]
        extra_kwargs = {
            "version": {
                "min_value": 0,
                "help_text": "Phiên bản đã đọc (0: chưa có bản đăng ký). Bắt buộc khi sửa bản đã có.",
            }
        }
        validators: list[Any] = []  # the service decides (create or edit the unit's registration)


class RegistrationActionSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(required=False, min_value=0, help_text="Phiên bản đã đọc")


class RegistrationViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet[Registration]):
    """Registrations the caller may see. POST creates or edits a unit's draft (same service as the page)."""

    serializer_class = RegistrationSerializer
    filterset_class = RegistrationFilter

    def get_queryset(self) -> Any:
        return (
            visible_registrations(self.request.user)
            .select_related("unit")
            .order_by("movement", "year", "unit__path")
        )

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        movement = get_movement_for_user(self.request.user, data["movement"].pk)
        if not can_act_for_unit(self.request.user, data["unit"]):
            raise PermissionDenied("Bạn không có quyền đăng ký thi đua cho đơn vị này")
        serializer.instance = services.save_registration(
            actor=actor_of(self.request),
            movement=movement,
            unit=data["unit"],
            year=data["year"],
            targets=data.get("targets") or {},
            titles=data.get("titles") or [],
            note=data.get("note", ""),
            version=data.get("version"),
            require_version=True,
        )

    @extend_schema(request=RegistrationActionSerializer, responses=RegistrationSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        """draft | returned → submitted (the unit)."""
        return self._step(request, pk, "submit")

    @extend_schema(request=RegistrationActionSerializer, responses=RegistrationSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        """submitted → approved (the level above)."""
        return self._step(request, pk, "approve")

    @extend_schema(request=RegistrationActionSerializer, responses=RegistrationSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request: Request, pk: str) -> Response:
        """submitted → returned, with `reason` (the level above)."""
        return self._step(request, pk, "return")

    def _step(self, request: Request, pk: str, step: str) -> Response:
        """submit (the unit), approve or return with `reason` (the level above)."""
        registration = get_registration_for_user(request.user, int(pk))
        body = RegistrationActionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        version = body.validated_data.get("version")
        if step == "submit":
            if not can_act_for_unit(request.user, registration.unit):
                raise PermissionDenied("Bạn không có quyền gửi bản đăng ký này")
            services.submit_registration(actor=actor_of(request), registration=registration, version=version)
        else:
            if not can_review_registration(request.user, registration):
                raise PermissionDenied("Chỉ cấp trên của đơn vị duyệt hoặc trả lại bản đăng ký")
            if step == "approve":
                services.approve_registration(
                    actor=actor_of(request), registration=registration, version=version
                )
            else:
                services.return_registration(
                    actor=actor_of(request),
                    registration=registration,
                    reason=body.validated_data["reason"],
                    version=version,
                )
        return Response(RegistrationSerializer(registration).data)


class ResultSerializer(serializers.ModelSerializer[Result]):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    period = serializers.ChoiceField(choices=Period.choices, default=Period.YEAR)

    class Meta:
        model = Result
        fields = [
            "id",
            "movement",
            "unit",
            "unit_name",
            "year",
            "period",
            "status",
            "figures",
            "self_score",
            "review_figures",
            "review_score",
            "review_note",
            "explanation",
            "final_score",
            "version",
        ]
        extra_kwargs = {
            "version": {
                "min_value": 0,
                "help_text": "Phiên bản đã đọc (0: chưa có kết quả). Bắt buộc khi sửa kết quả đã có.",
            }
        }
        read_only_fields = [
            "status",
            "self_score",
            "review_figures",
            "review_score",
            "review_note",
            "explanation",
            "final_score",
        ]
        validators: list[Any] = []


class ResultActionSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(required=False, allow_blank=True, default="")
    explanation = serializers.CharField(required=False, allow_blank=True, default="")
    corrections = serializers.DictField(required=False, default=dict)
    version = serializers.IntegerField(required=False, min_value=0, help_text="Phiên bản đã đọc")


class ResultCorrectionSerializer(serializers.Serializer[Any]):
    corrections = serializers.DictField(
        help_text="Số liệu sửa, cùng dạng `figures` của kết quả: {mã tiêu chí: {khóa: giá trị}}, ví dụ "
        '{"I.1": {"actual": "95,5", "target": 100}}; số viết 95,5 hoặc 95.5. Đè lên số liệu đơn vị báo '
        "cáo (số liệu gốc vẫn giữ)."
    )
    reason = serializers.CharField(max_length=2000, help_text="Lý do sửa số liệu, căn cứ chấm điểm")
    version = serializers.IntegerField(
        required=False, min_value=0, help_text="Phiên bản kết quả đã đọc (bản cũ hơn bị từ chối)"
    )


class CouncilPointsSerializer(serializers.Serializer[Any]):
    points = serializers.DictField(
        help_text="Điểm hội đồng chấm cho các tiêu chí do hội đồng chấm: {mã tiêu chí: điểm}, ví dụ "
        '{"III.2": "4,5"}; chỉ các tiêu chí chấm theo ý kiến hội đồng (và điểm thưởng, điểm trừ do hội '
        "đồng quyết định) của bảng chấm điểm."
    )
    reason = serializers.CharField(max_length=2000, help_text="Căn cứ: phiên họp, biên bản của hội đồng")
    version = serializers.IntegerField(
        required=False, min_value=0, help_text="Phiên bản kết quả đã đọc (bản cũ hơn bị từ chối)"
    )


class ResultScoredSerializer(ResultSerializer):
    """A result with its score breakdown (criteria, bonus, penalty, total) after a correction."""

    score_detail = serializers.JSONField(read_only=True)

    class Meta(ResultSerializer.Meta):
        fields = [*ResultSerializer.Meta.fields, "score_detail"]


class ResultViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet[Result]):
    """Results: a unit sees its own until the ranking is published; reviewers see their clusters."""

    serializer_class = ResultSerializer
    filterset_class = ResultFilter

    def get_queryset(self) -> Any:
        return (
            visible_results(self.request.user)
            .select_related("unit")
            .order_by("movement", "year", "unit__path")
        )

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        movement = get_movement_for_user(self.request.user, data["movement"].pk)
        if not can_act_for_unit(self.request.user, data["unit"]):
            raise PermissionDenied("Bạn không có quyền nhập kết quả của đơn vị này")
        serializer.instance = services.save_result(
            actor=actor_of(self.request),
            movement=movement,
            unit=data["unit"],
            year=data["year"],
            period=data["period"],
            figures=data.get("figures") or {},
            version=data.get("version"),
            require_version=True,
        )

    @extend_schema(request=ResultActionSerializer, responses=ResultSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        """draft → self_scored (the unit)."""
        return self._step(request, pk, "submit")

    @extend_schema(request=ResultActionSerializer, responses=ResultSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk: str) -> Response:
        """self_scored → reviewed, with `note` and `corrections` (reviewers)."""
        return self._step(request, pk, "review")

    @extend_schema(request=ResultActionSerializer, responses=ResultSerializer)
    @action(detail=True, methods=["post"])
    def explain(self, request: Request, pk: str) -> Response:
        """reviewed → explained, with `explanation` (the unit)."""
        return self._step(request, pk, "explain")

    @extend_schema(request=ResultActionSerializer, responses=ResultSerializer)
    @action(detail=True, methods=["post"])
    def finalise(self, request: Request, pk: str) -> Response:
        """reviewed | explained → final (reviewers)."""
        return self._step(request, pk, "finalise")

    def _step(self, request: Request, pk: str, step: str) -> Response:
        """submit and explain (the unit); review with `note` and `corrections`, finalise (the reviewers)."""
        result = get_result_for_user(request.user, int(pk))
        body = ResultActionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        args = body.validated_data
        version = args.get("version")
        if step in ("submit", "explain"):
            if not can_act_for_unit(request.user, result.unit):
                raise PermissionDenied("Bạn không có quyền cập nhật kết quả của đơn vị này")
            if step == "submit":
                services.submit_result(actor=actor_of(request), result=result, version=version)
            else:
                services.explain_result(
                    actor=actor_of(request), result=result, explanation=args["explanation"], version=version
                )
        else:
            if not can_review_result(request.user, result):
                raise PermissionDenied("Chỉ cụm hoặc cấp trên thẩm định kết quả của đơn vị")
            if step == "review":
                services.review_result(
                    actor=actor_of(request),
                    result=result,
                    note=args["note"],
                    corrections=args["corrections"],
                    version=version,
                )
            else:
                services.finalise_result(
                    actor=actor_of(request),
                    result=result,
                    corrections=args["corrections"] or None,
                    note=args["note"],
                    version=version,
                )
        return Response(ResultSerializer(result).data)

    @extend_schema(request=ResultCorrectionSerializer, responses=ResultScoredSerializer)
    @action(detail=True, methods=["post"])
    def correct(self, request: Request, pk: str) -> Response:
        """The reviewer corrects figures, with a reason (from self-scored until final; the cluster or
        the level above, never the unit). Scored again; the audit keeps each figure before and after.
        An unusable figure is refused under `fields["corrections.<code>.<key>"]`."""
        result = self._reviewed(request, pk)
        body = ResultCorrectionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        return self._correct(
            request, result, data["corrections"], data["reason"], version=data.get("version")
        )

    @extend_schema(request=CouncilPointsSerializer, responses=ResultScoredSerializer)
    @action(detail=True, methods=["post"], url_path="council-points")
    def council_points(self, request: Request, pk: str) -> Response:
        """The council's points for the criteria it judges (`manual` criteria, bonus and penalty items),
        with the reason: the same service as `correct`. A code that is not such a criterion, or points
        that are not a number, are refused under `fields["points.<code>"]`."""
        result = self._reviewed(request, pk)
        body = CouncilPointsSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        judged = {c.code: c for c in services.result_columns(result) if c.judged}
        errors: dict[str, list[str]] = {}
        corrections: dict[str, Any] = {}
        for code, value in body.validated_data["points"].items():
            column = judged.get(str(code))
            if column is None:
                listed = ", ".join(judged) or "bảng chấm điểm không có tiêu chí nào như vậy"
                errors[f"points.{code}"] = [
                    f"«{code}» không phải tiêu chí do hội đồng chấm điểm (các tiêu chí do hội đồng chấm: {listed})"
                ]
            elif parse_number(value) is None:
                errors[f"points.{code}"] = [
                    f"{column.label}: «{str(value)[:40]}» không phải là số (ví dụ: 4,5)"
                ]
            else:
                corrections[column.code] = {column.path[-1]: value}
        if errors:
            raise serializers.ValidationError(errors)
        data = body.validated_data
        return self._correct(
            request, result, corrections, data["reason"], version=data.get("version"), prefix="points"
        )

    def _reviewed(self, request: Request, pk: str) -> Result:
        result = get_result_for_user(request.user, int(pk))
        if not can_review_result(request.user, result):
            raise PermissionDenied(
                "Chỉ cụm hoặc cấp trên sửa số liệu, chấm điểm hội đồng cho kết quả của đơn vị"
            )
        return result

    def _correct(
        self,
        request: Request,
        result: Result,
        corrections: dict[str, Any],
        reason: str,
        *,
        version: int | None,
        prefix: str = "",
    ) -> Response:
        """Through `correct_result`; the scoring module's objections under the field they are about."""
        try:
            corrected = services.correct_result(
                actor=actor_of(request),
                result=result,
                corrections=corrections,
                reason=reason,
                version=version,
            )
        except DomainError as exc:
            if exc.field != "figures":
                raise
            fields = services.correction_issues(result, corrections, prefix=prefix or "corrections")
            if not fields:
                raise
            raise serializers.ValidationError(fields) from exc
        return Response(ResultScoredSerializer(corrected).data)


class RankingEntrySerializer(serializers.ModelSerializer[RankingEntry]):
    unit_code = serializers.CharField(source="unit.code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = RankingEntry
        fields = ["rank", "unit", "unit_code", "unit_name", "total", "base", "bonus", "penalty", "note"]


class RankingSerializer(serializers.ModelSerializer[Ranking]):
    cluster_name = serializers.CharField(source="cluster.name", read_only=True)
    entries = RankingEntrySerializer(many=True, read_only=True)

    class Meta:
        model = Ranking
        fields = [
            "id",
            "movement",
            "cluster",
            "cluster_name",
            "year",
            "period",
            "status",
            "published_on",
            "notes",
            "entries",
        ]


class ComputeRankingSerializer(serializers.Serializer[Any]):
    movement = serializers.IntegerField()
    cluster = serializers.IntegerField()
    year = serializers.IntegerField()
    period = serializers.ChoiceField(choices=Period.choices, default=Period.YEAR)


class RankingViewSet(viewsets.ReadOnlyModelViewSet[Ranking]):
    """Published rankings of visible movements; drafts to the cluster's reviewers."""

    serializer_class = RankingSerializer
    filterset_class = RankingFilter

    def get_queryset(self) -> Any:
        return (
            visible_rankings(self.request.user)
            .select_related("cluster")
            .prefetch_related("entries__unit")
            .order_by("-year", "cluster__name", "period")
        )

    @extend_schema(request=ComputeRankingSerializer, responses=RankingSerializer)
    @action(detail=False, methods=["post"])
    def compute(self, request: Request) -> Response:
        """Score and rank one cluster for one period (a draft, recomputed on each call)."""
        body = ComputeRankingSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        args = body.validated_data
        movement = get_movement_for_user(request.user, args["movement"])
        cluster = get_object_or_404(Cluster.objects.select_related("organiser_unit"), pk=args["cluster"])
        if not can_review_cluster(request.user, cluster):
            raise PermissionDenied("Bạn không có quyền chấm điểm, xếp hạng cụm này")
        ranking = services.compute_ranking(
            actor=actor_of(request),
            movement=movement,
            cluster=cluster,
            year=args["year"],
            period=args["period"],
        )
        return Response(RankingSerializer(ranking).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=RankingSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str) -> Response:
        """Publish (needs every final score); a yearly ranking then feeds the year-end (cluster ranks, leads)."""
        ranking = get_ranking_for_user(request.user, int(pk), write=True)
        services.publish_ranking(actor=actor_of(request), ranking=ranking)
        return Response(RankingSerializer(ranking).data)
