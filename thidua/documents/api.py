"""API: the caller's jobs (status, progress, result URL). The apps that build large documents start
them (for example `POST /api/v1/decisions/{id}/docx_job/`); all are read here."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from rest_framework import serializers, viewsets

from thidua.documents.filters import JobFilter
from thidua.documents.models import Job
from thidua.documents.permissions import visible_jobs


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


class JobViewSet(viewsets.ReadOnlyModelViewSet[Job]):
    """The caller's background jobs (administrators: all). Poll `progress` until `status` is done."""

    serializer_class = JobSerializer
    filterset_class = JobFilter

    def get_queryset(self) -> Any:
        return visible_jobs(self.request.user).order_by("-created_at", "-id")
