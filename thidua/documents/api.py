"""API: the caller's jobs (status, progress, result URL) and endpoints that start the bulk jobs.

Same access helpers and services as the pages: `visible_jobs`, `require_issue`, `issuable_awards`,
`check_decision`, `start_job`.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from thidua.documents.builders.from_db import check_decision
from thidua.documents.jobs import start_job
from thidua.documents.models import CertificateKind, Job
from thidua.documents.permissions import issuable_awards, require_issue, visible_jobs
from thidua.documents.vnwords import parse_number_symbol


class JobSerializer(serializers.ModelSerializer[Job]):
    result_url = serializers.SerializerMethodField()

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "title",
            "status",
            "progress",
            "message",
            "error",
            "params",
            "result_name",
            "result_url",
            "created_at",
            "started_at",
            "finished_at",
        ]

    def get_result_url(self, job: Job) -> str | None:
        if job.status != Job.Status.DONE or not job.result:
            return None
        url = reverse("documents:job_download", args=[job.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class DecisionJobSerializer(serializers.Serializer[dict[str, Any]]):
    decision_number = serializers.CharField(max_length=60)
    decided_on = serializers.DateField(required=False, allow_null=True)
    signer_position = serializers.CharField(max_length=80, required=False, default="", allow_blank=True)
    signer_name = serializers.CharField(max_length=120, required=False, default="", allow_blank=True)
    certificate_kind = serializers.ChoiceField(
        choices=CertificateKind.choices, required=False, allow_blank=True, default=""
    )

    def validate_decision_number(self, value: str) -> str:
        try:
            parse_number_symbol(value)
        except ValueError as error:
            raise serializers.ValidationError(str(error)) from error
        return value.removeprefix("Số:").strip()


class JobViewSet(viewsets.ReadOnlyModelViewSet[Job]):
    """The caller's background jobs (administrators: all). Poll `progress` until `status` is done."""

    serializer_class = JobSerializer

    def get_queryset(self) -> Any:
        return visible_jobs(self.request.user).order_by("-created_at", "-id")

    def _start(self, request: Request, kind: str) -> Response:
        require_issue(request.user)
        payload = DecisionJobSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        check_decision(issuable_awards(request.user), data["decision_number"], data.get("decided_on"))
        params = {
            "decision_number": data["decision_number"],
            "decided_on": data["decided_on"].isoformat() if data.get("decided_on") else None,
            "signer_position": data.get("signer_position") or "",
            "signer_name": data.get("signer_name") or "",
            "certificate_kind": data.get("certificate_kind") or "",
        }
        job = start_job(
            actor=request.user,
            kind=kind,
            params=params,
            title=f"{Job.Kind(kind).label} — {params['decision_number']}",
        )
        return Response(JobSerializer(job, context={"request": request}).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DecisionJobSerializer, responses={201: JobSerializer})
    @action(detail=False, methods=["post"])
    def decision(self, request: Request) -> Response:
        """Start building the decision with its annex list (.docx) from the AwardRecords of a number."""
        return self._start(request, Job.Kind.DECISION_DOCX)

    @extend_schema(request=DecisionJobSerializer, responses={201: JobSerializer})
    @action(detail=False, methods=["post"])
    def certificates(self, request: Request) -> Response:
        """Start printing the certificates (one PDF, a page per recipient) of a decision."""
        return self._start(request, Job.Kind.CERTIFICATES_PDF)
