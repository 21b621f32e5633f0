"""Background jobs and the organisation's own document settings (certificate layouts, templates)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from thidua.core.models import TimeStampedModel
from thidua.org.models import Unit


class JobQuerySet(models.QuerySet["Job"]):
    def pending(self) -> JobQuerySet:
        return self.filter(status__in=[Job.Status.QUEUED, Job.Status.RUNNING])


class Job(models.Model):
    """A long piece of user-visible work (a bulk decision, a batch of certificates, a big export).

    Transitions, made only by `thidua.documents.jobs`: queued → running (claimed with a conditional
    UPDATE, so two workers never run one job) → done (with `result`) or failed (with `error`).
    `params` holds primary keys and plain values only, so the job can run in another process.
    """

    class Kind(models.TextChoices):
        DECISION_DOCX = "decision_docx", "Quyết định khen thưởng kèm danh sách (.docx)"
        CERTIFICATES_PDF = "certificates_pdf", "In Giấy khen, Bằng khen (PDF)"
        PEOPLE_XLSX = "people_xlsx", "Danh sách nhân sự (.xlsx)"
        # Registered by the apps that own the work (eligibility/jobs.py, awards/jobs.py).
        ELIGIBILITY_XLSX = "eligibility_xlsx", "Xét điều kiện khen thưởng cả đơn vị (.xlsx)"
        CANDIDATES_PROPOSE = "candidates_propose", "Xét tự động danh sách đề nghị khen thưởng"

    class Status(models.TextChoices):
        QUEUED = "queued", "Đang chờ"
        RUNNING = "running", "Đang chạy"
        DONE = "done", "Đã xong"
        FAILED = "failed", "Lỗi"

    kind = models.CharField("loại việc", max_length=30, choices=Kind.choices)
    status = models.CharField("trạng thái", max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField("tiến độ (%)", default=0)
    message = models.CharField("thông báo", max_length=255, blank=True)
    params = models.JSONField("tham số", default=dict, blank=True)
    title = models.CharField("tên việc", max_length=255, blank=True)
    result = models.FileField("tệp kết quả", upload_to="jobs/%Y/%m/", blank=True)
    result_name = models.CharField("tên tệp tải về", max_length=255, blank=True)
    error = models.TextField("lỗi", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người tạo",
        null=True,
        on_delete=models.SET_NULL,
        related_name="jobs",
    )
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True, db_index=True)
    started_at = models.DateTimeField("bắt đầu lúc", null=True, blank=True)
    finished_at = models.DateTimeField("xong lúc", null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = "việc chạy nền"
        verbose_name_plural = "việc chạy nền"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["created_by", "-created_at"], name="job_owner_recent_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="job_progress_max_100"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class CertificateKind(models.TextChoices):
    GIAY_KHEN = "giay_khen", "Giấy khen"
    BANG_KHEN = "bang_khen", "Bằng khen"


class CertificateLayoutConfig(TimeStampedModel):
    """Where the texts go on an organisation's pre-printed blanks: a `CertificateLayout` as JSON.

    Looked up from the unit that issues the certificates up to the root, so a province may
    calibrate its own blanks and otherwise inherits the sector's layout.
    """

    unit = models.ForeignKey(
        Unit, verbose_name="cơ quan, đơn vị", on_delete=models.CASCADE, related_name="certificate_layouts"
    )
    kind = models.CharField("loại phôi", max_length=12, choices=CertificateKind.choices)
    layout = models.JSONField("bố cục (JSON)")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "bố cục in giấy khen, bằng khen"
        verbose_name_plural = "bố cục in giấy khen, bằng khen"
        constraints = [
            models.UniqueConstraint(fields=["unit", "kind"], name="certificate_layout_unit_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.unit}"


class DocumentKind(models.TextChoices):
    DECISION = "decision", "Quyết định khen thưởng kèm danh sách"
    ACHIEVEMENT_PERSON = "achievement_person", "Báo cáo thành tích cá nhân"
    ACHIEVEMENT_UNIT = "achievement_unit", "Báo cáo thành tích tập thể"
    MOVEMENT_PLAN = "movement_plan", "Kế hoạch phát động phong trào thi đua"
    MOVEMENT_LETTER = "movement_letter", "Công văn phát động phong trào thi đua"
    REGISTRATION_SUMMARY = "registration_summary", "Tổng hợp đăng ký thi đua"
    SUBMISSION = "submission", "Tờ trình đề nghị khen thưởng"
    COUNCIL_MINUTES = "council_minutes", "Biên bản họp Hội đồng thi đua – khen thưởng"
    PROPOSAL_LIST = "proposal_list", "Danh sách đề nghị khen thưởng"
    DOSSIER_ACHIEVEMENT = "dossier_achievement", "Báo cáo thành tích kèm hồ sơ đề nghị khen thưởng"


class DocumentTemplate(TimeStampedModel):
    """An organisation's own .docx for a kind of document, used instead of the built-in layout.

    Its placeholders are checked against the documented fields of the kind when uploaded
    (`services.save_document_template`); looked up from the issuing unit up to the root.
    """

    unit = models.ForeignKey(
        Unit, verbose_name="cơ quan, đơn vị", on_delete=models.CASCADE, related_name="document_templates"
    )
    kind = models.CharField("loại văn bản", max_length=30, choices=DocumentKind.choices)
    file = models.FileField("tệp mẫu (.docx)", upload_to="templates/")
    original_name = models.CharField("tên tệp gốc", max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "mẫu văn bản"
        verbose_name_plural = "mẫu văn bản"
        constraints = [models.UniqueConstraint(fields=["unit", "kind"], name="document_template_unit_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.unit}"
