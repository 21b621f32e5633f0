"""The history the rules engine reads: ratings, titles and awards, initiatives, discipline, leave,
pending proceedings.

The year-end workflow (`thidua.awards`) writes into these tables when a decision is issued; the demo
data and imports fill them for past years. Ids of titles and forms are those of the rulesets
(`lao_dong_tien_tien`, `bang_khen_thu_tuong`, ...).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

from thidua.core.models import TimeStampedModel
from thidua.core.versioning import Versioned
from thidua.org.models import Person, Unit
from thidua.rules.names import award_name


def _one_subject() -> Q:
    return (Q(person__isnull=False) & Q(unit__isnull=True)) | (Q(person__isnull=True) & Q(unit__isnull=False))


class RatingValue(models.TextChoices):
    HOAN_THANH_XUAT_SAC = "hoan_thanh_xuat_sac", "Hoàn thành xuất sắc nhiệm vụ"
    HOAN_THANH_TOT = "hoan_thanh_tot", "Hoàn thành tốt nhiệm vụ"
    HOAN_THANH = "hoan_thanh", "Hoàn thành nhiệm vụ"
    KHONG_HOAN_THANH = "khong_hoan_thanh", "Không hoàn thành nhiệm vụ"


class Rating(TimeStampedModel, Versioned):
    """A task-completion rating (xếp loại chất lượng) of a person or a collective for a year."""

    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="ratings"
    )
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="ratings")
    year = models.PositiveSmallIntegerField("năm")
    value = models.CharField("mức xếp loại", max_length=20, choices=RatingValue.choices)

    class Meta:
        verbose_name = "xếp loại"
        verbose_name_plural = "xếp loại"
        constraints = [
            models.CheckConstraint(condition=_one_subject(), name="rating_one_subject"),
            models.UniqueConstraint(
                fields=["person", "year"], condition=Q(person__isnull=False), name="rating_person_year"
            ),
            models.UniqueConstraint(
                fields=["unit", "year"], condition=Q(unit__isnull=False), name="rating_unit_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person or self.unit} {self.year}: {self.get_value_display()}"


class RevocationClause(models.TextChoices):
    """Luật 06/2022 Đ93 k2: the grounds on which a decision is annulled and the award recovered."""

    A = "a", "Gian dối trong kê khai thành tích (Đ93 k2 a)"
    B = "b", "Cung cấp thông tin sai, làm giả hồ sơ (Đ93 k2 b)"
    C = "c", "Thẩm định, xét, đề nghị khen thưởng trái pháp luật (Đ93 k2 c)"
    D = "d", "Vi phạm làm mất tiêu chuẩn trong thời gian tính thành tích (Đ93 k2 d)"


class AwardRecord(TimeStampedModel):
    """A title (for a year) or a commendation form (on a decision date) granted to a person or collective.

    Revoked records stay, marked with the revocation (Luật 06/2022 Đ93).
    """

    class Kind(models.TextChoices):
        TITLE = "title", "Danh hiệu thi đua"
        FORM = "form", "Hình thức khen thưởng"

    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE, related_name="awards")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="awards")
    kind = models.CharField("loại", max_length=5, choices=Kind.choices)
    award_id = models.CharField("danh hiệu / hình thức", max_length=80, db_index=True)
    year = models.PositiveSmallIntegerField("năm thành tích")
    decided_on = models.DateField("ngày quyết định")
    decision_number = models.CharField("số quyết định", max_length=60, blank=True)
    decided_by = models.CharField("cấp quyết định", max_length=255, blank=True)
    prize_vnd = models.PositiveBigIntegerField("tiền thưởng (đồng)", null=True, blank=True)
    revoked_on = models.DateField("ngày thu hồi", null=True, blank=True)
    revocation_ground = models.CharField("căn cứ thu hồi", max_length=255, blank=True)
    revocation_clause = models.CharField(
        "trường hợp thu hồi (Luật Đ93 k2)",
        max_length=1,
        choices=RevocationClause.choices,
        blank=True,
        db_default="",
    )
    # db_default: bulk loaders (the demo's raw COPY) write AwardRecord rows without these columns.
    revocation_decision = models.CharField("số quyết định thu hồi", max_length=60, blank=True, db_default="")
    prize_note = models.CharField("ghi chú tiền thưởng", max_length=255, blank=True, db_default="")
    # A past award brought in (import or form): where the person worked then, when it was elsewhere.
    received_at = models.CharField("nơi công tác khi được khen", max_length=255, blank=True, db_default="")

    class Meta:
        verbose_name = "khen thưởng"
        verbose_name_plural = "lịch sử khen thưởng"
        ordering = ["-year", "-decided_on"]
        constraints = [models.CheckConstraint(condition=_one_subject(), name="award_one_subject")]
        indexes = [models.Index(fields=["person", "year"], name="award_person_year_idx")]

    def __str__(self) -> str:
        return f"{award_name(self.award_id)} {self.year} — {self.person or self.unit}"


class DecisionScan(TimeStampedModel):
    """The scanned decision of a past award (PDF, JPEG or PNG), checked by its content when uploaded
    and served only to who may see the award's person or unit (`history.views.decision_scan`)."""

    award = models.OneToOneField(AwardRecord, on_delete=models.CASCADE, related_name="scan")
    file = models.FileField("tệp quyết định", upload_to="history/decisions/")
    original_name = models.CharField("tên tệp tải lên", max_length=200)
    content_type = models.CharField("loại tệp", max_length=40)
    size = models.PositiveIntegerField("dung lượng (byte)")
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "bản chụp quyết định"
        verbose_name_plural = "bản chụp quyết định"

    def __str__(self) -> str:
        return self.original_name


# The rules engine reads `used_for` as "award_id" or "award_id:year" (the case contract).
USED_FOR_VALIDATOR = RegexValidator(
    r"^[a-z][a-z0-9_]*(:\d{4})?$",
    "Ghi mã danh hiệu/hình thức, có thể kèm năm, vd. chien_si_thi_dua_co_so:2024",
)


class Initiative(TimeStampedModel, Versioned):
    """An initiative (sáng kiến) or an accepted research work, recognised at a scope; used once at most."""

    class Kind(models.TextChoices):
        INITIATIVE = "initiative", "Sáng kiến"
        SCIENCE_WORK = "science_work", "Đề tài, đề án khoa học"

    class Scope(models.TextChoices):
        CO_SO = "co_so", "Cơ sở"
        BO_NGANH_TINH = "bo_nganh_tinh", "Bộ, ngành, tỉnh"
        TOAN_QUOC = "toan_quoc", "Toàn quốc"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="initiatives")
    kind = models.CharField("loại", max_length=12, choices=Kind.choices, default=Kind.INITIATIVE)
    code = models.CharField("mã", max_length=40, unique=True)
    title = models.CharField("tên", max_length=255)
    year = models.PositiveSmallIntegerField("năm công nhận")
    scope = models.CharField("phạm vi", max_length=15, choices=Scope.choices)
    used_for = models.CharField(
        "đã dùng để khen",
        max_length=120,
        blank=True,
        validators=[USED_FOR_VALIDATOR],
        help_text="mã danh hiệu/hình thức đã dùng sáng kiến này, có thể kèm năm, vd. chien_si_thi_dua_co_so:2024",
    )

    class Meta:
        verbose_name = "sáng kiến"
        verbose_name_plural = "sáng kiến"

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Discipline(TimeStampedModel, Versioned):
    """A disciplinary measure and the end of its effect."""

    class Form(models.TextChoices):
        KHIEN_TRACH = "khien_trach", "Khiển trách"
        CANH_CAO = "canh_cao", "Cảnh cáo"
        HA_BAC_LUONG = "ha_bac_luong", "Hạ bậc lương"
        GIANG_CHUC = "giang_chuc", "Giáng chức"
        CACH_CHUC = "cach_chuc", "Cách chức"
        BUOC_THOI_VIEC = "buoc_thoi_viec", "Buộc thôi việc"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="disciplines")
    form = models.CharField("hình thức", max_length=15, choices=Form.choices)
    decided_on = models.DateField("ngày quyết định")
    until = models.DateField("hết hiệu lực", null=True, blank=True)
    decision_number = models.CharField("số quyết định", max_length=60, blank=True, db_default="")

    class Meta:
        verbose_name = "kỷ luật"
        verbose_name_plural = "kỷ luật"

    def __str__(self) -> str:
        return f"{self.get_form_display()} — {self.person}"


class PendingProceeding(TimeStampedModel, Versioned):
    """Proceedings not yet concluded (discipline, investigation, complaint): eligibility is deferred."""

    class Kind(models.TextChoices):
        DISCIPLINE = "discipline", "Đang xem xét kỷ luật"
        INVESTIGATION = "investigation", "Đang điều tra, thanh tra, kiểm tra"
        COMPLAINT = "complaint", "Đang xác minh khiếu nại, tố cáo"

    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="proceedings"
    )
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="proceedings"
    )
    kind = models.CharField("loại", max_length=15, choices=Kind.choices)
    since = models.DateField("từ ngày")
    until = models.DateField("kết thúc", null=True, blank=True)

    class Meta:
        verbose_name = "vụ việc đang xem xét"
        verbose_name_plural = "vụ việc đang xem xét"
        constraints = [models.CheckConstraint(condition=_one_subject(), name="proceeding_one_subject")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.person or self.unit}"


class Leave(TimeStampedModel, Versioned):
    """An absence (maternity leave counts as working time; NĐ 152/2025 Đ4 k5)."""

    class Reason(models.TextChoices):
        THAI_SAN = "thai_san", "Nghỉ thai sản"
        HOC_TAP = "hoc_tap", "Đi học"
        BENH = "benh", "Nghỉ ốm"
        KHAC = "khac", "Khác"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="leaves")
    reason = models.CharField("lý do", max_length=10, choices=Reason.choices)
    started_on = models.DateField("từ ngày")
    ended_on = models.DateField("đến ngày")

    class Meta:
        verbose_name = "thời gian nghỉ"
        verbose_name_plural = "thời gian nghỉ"

    def __str__(self) -> str:
        return f"{self.get_reason_display()} — {self.person}"


class ClosedRatingYear(models.Model):
    """An organisation (its root unit) closed the ratings of a year: the year-end moves to the next.

    Until the previous year is closed, year-end pages open on it (`history.years.year_under_review`).
    """

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="closed_rating_years")
    year = models.PositiveSmallIntegerField("năm")
    closed_at = models.DateTimeField("khóa sổ lúc", auto_now_add=True)

    class Meta:
        verbose_name = "năm đã khóa sổ xếp loại"
        verbose_name_plural = "năm đã khóa sổ xếp loại"
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="closed_rating_year_unique")]

    def __str__(self) -> str:
        return f"{self.unit} — {self.year}"
