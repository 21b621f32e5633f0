"""Emulation movements (phong trào thi đua): launch, registration, results, scoring tables, rankings.

The scoring arithmetic is not here: it lives in the pure module `thidua.movements.scoring`; these
models store its inputs (tables as validated JSON, figures) and its outputs (scores, rankings).
Statuses change only through `thidua.movements.services`.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import Q

from thidua.core.models import TimeStampedModel
from thidua.core.versioning import Versioned
from thidua.movements.validators import validate_number_symbol
from thidua.org.kinds import describe, kinds_for_unit
from thidua.org.models import Cluster, Unit, UnitQuerySet

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


class Period(models.TextChoices):
    """A reporting period inside a year: the year itself, a quarter or a month."""

    YEAR = "nam", "Cả năm"
    Q1 = "q1", "Quý I"
    Q2 = "q2", "Quý II"
    Q3 = "q3", "Quý III"
    Q4 = "q4", "Quý IV"
    M01 = "t01", "Tháng 1"
    M02 = "t02", "Tháng 2"
    M03 = "t03", "Tháng 3"
    M04 = "t04", "Tháng 4"
    M05 = "t05", "Tháng 5"
    M06 = "t06", "Tháng 6"
    M07 = "t07", "Tháng 7"
    M08 = "t08", "Tháng 8"
    M09 = "t09", "Tháng 9"
    M10 = "t10", "Tháng 10"
    M11 = "t11", "Tháng 11"
    M12 = "t12", "Tháng 12"


def period_label(period: str, year: int) -> str:
    """ "Năm 2026", "Quý II/2026", "Tháng 3/2026"."""
    if period == Period.YEAR:
        return f"Năm {year}"
    return f"{Period(period).label}/{year}"


def period_start(period: str, year: int) -> date:
    """The first day of a period: 1 January for the year, the quarter's or the month's first day."""
    if period.startswith("t"):
        return date(year, int(period[1:]), 1)
    if period.startswith("q"):
        return date(year, int(period[1:]) * 3 - 2, 1)
    return date(year, 1, 1)


def period_order(period: str) -> int:
    """Chronological sort key: months, then quarters at their end month, then the year."""
    if period.startswith("t"):
        return int(period[1:]) * 10
    if period.startswith("q"):
        return int(period[1:]) * 30 + 5
    return 1000


class MovementQuerySet(models.QuerySet["Movement"]):
    def running_in(self, year: int) -> MovementQuerySet:
        return self.filter(start_year__lte=year).filter(Q(end_year__isnull=True) | Q(end_year__gte=year))


class Movement(TimeStampedModel):
    """A phong trào thi đua launched by an authority, possibly implementing a parent movement.

    The Prime Minister's movements sit outside the organisation tree: `authority` says the level,
    `authority_name` who (e.g. "Thủ tướng Chính phủ"), `launching_unit` is empty. A unit's movement has
    `launching_unit` set; its officers manage it.

    Status transitions (services): draft → launched (`launch_movement`, needs a launching document),
    launched → running (`start_movement`), running → under_review (`open_movement_review`),
    under_review → closed (`close_movement`); under_review → running (`reopen_movement`, with a reason).
    """

    class Kind(models.TextChoices):
        REGULAR = "thuong_xuyen", "Thi đua thường xuyên"
        THEMATIC = "chuyen_de", "Thi đua theo chuyên đề"
        AD_HOC = "dot_xuat", "Thi đua đột xuất"

    class Authority(models.TextChoices):
        THU_TUONG = "thu_tuong", "Thủ tướng Chính phủ"
        BO_NGANH_TINH = "bo_nganh_tinh", "Bộ trưởng, thủ trưởng ngành, Chủ tịch UBND tỉnh"
        THU_TRUONG_DON_VI = "thu_truong_don_vi", "Thủ trưởng cơ quan, đơn vị"

    class Status(models.TextChoices):
        DRAFT = "draft", "Dự thảo"
        LAUNCHED = "launched", "Đã phát động"
        RUNNING = "running", "Đang triển khai"
        UNDER_REVIEW = "under_review", "Đang sơ kết, tổng kết"
        CLOSED = "closed", "Đã kết thúc"

    TRANSITIONS: dict[str, tuple[str, ...]] = {
        "draft": ("launched",),
        "launched": ("running",),
        "running": ("under_review",),
        "under_review": ("closed", "running"),
        "closed": (),
    }

    title = models.CharField("tên phong trào", max_length=300)
    kind = models.CharField("hình thức", max_length=15, choices=Kind.choices, default=Kind.REGULAR)
    authority = models.CharField("cấp phát động", max_length=20, choices=Authority.choices)
    authority_name = models.CharField("người, cơ quan phát động", max_length=200, blank=True)
    launching_unit = models.ForeignKey(
        Unit,
        verbose_name="đơn vị phát động",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="launched_movements",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="thực hiện phong trào",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    theme = models.TextField("chủ đề, mục tiêu", blank=True)
    political_tasks = models.TextField("nhiệm vụ chính trị phục vụ", blank=True)
    start_year = models.PositiveSmallIntegerField("từ năm")
    end_year = models.PositiveSmallIntegerField("đến năm", null=True, blank=True)
    starts_on = models.DateField("ngày bắt đầu", null=True, blank=True)
    ends_on = models.DateField("ngày kết thúc", null=True, blank=True)
    status = models.CharField("trạng thái", max_length=15, choices=Status.choices, default=Status.DRAFT)
    launched_on = models.DateField("ngày phát động", null=True, blank=True)
    closed_on = models.DateField("ngày kết thúc phong trào", null=True, blank=True)
    is_public = models.BooleanField(
        "công khai trên trang thông tin",
        default=False,
        help_text="Tóm tắt, mốc thời gian, văn bản được đánh dấu công khai và bảng xếp hạng đã công bố "
        "hiện trên trang thông tin công khai (khi phong trào đã phát động)",
    )

    objects = MovementQuerySet.as_manager()

    class Meta:
        verbose_name = "phong trào thi đua"
        verbose_name_plural = "phong trào thi đua"
        ordering = ["-start_year", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__isnull=True) | Q(end_year__gte=models.F("start_year")),
                name="movement_valid_years",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def years_label(self) -> str:
        if self.end_year is None:
            return f"từ {self.start_year}"
        if self.end_year == self.start_year:
            return str(self.start_year)
        return f"{self.start_year}–{self.end_year}"

    @property
    def years_run(self) -> int:
        """Number of years the movement runs (an open-ended one: up to the current year)."""
        return len(self.years())

    @property
    def launcher_label(self) -> str:
        if self.authority_name:
            return self.authority_name
        if self.launching_unit_id and self.launching_unit is not None:
            return self.launching_unit.name
        return self.get_authority_display()

    @property
    def scope_path(self) -> str:
        """Audit scope: the launching unit's subtree (empty for movements launched outside the tree)."""
        return self.launching_unit.path if self.launching_unit is not None else ""

    def years(self) -> list[int]:
        """The years of the movement; an open-ended movement runs up to the current year."""
        last = self.end_year or max(self.start_year, date.today().year)
        return list(range(self.start_year, last + 1))


class MovementDocument(TimeStampedModel):
    """A document of a movement: the launching decision, plan, guidance letter, report."""

    class Kind(models.TextChoices):
        LAUNCH = "phat_dong", "Văn bản phát động"
        PLAN = "ke_hoach", "Kế hoạch"
        GUIDANCE = "huong_dan", "Hướng dẫn, đôn đốc"
        REPORT = "bao_cao", "Báo cáo sơ kết, tổng kết"

    movement = models.ForeignKey(Movement, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField("loại", max_length=12, choices=Kind.choices, default=Kind.LAUNCH)
    number_symbol = models.CharField(
        "số, ký hiệu", max_length=60, blank=True, validators=[validate_number_symbol]
    )
    issued_on = models.DateField("ngày ban hành")
    issuer = models.CharField("cơ quan ban hành", max_length=200, blank=True)
    signer = models.CharField("người ký", max_length=200, blank=True)
    summary = models.CharField("trích yếu", max_length=500)
    file = models.FileField("tệp đính kèm", upload_to="movements/documents/%Y/", blank=True)
    is_public = models.BooleanField("công khai", default=False)

    class Meta:
        verbose_name = "văn bản phong trào"
        verbose_name_plural = "văn bản phong trào"
        ordering = ["issued_on", "id"]

    def __str__(self) -> str:
        head = f"Số {self.number_symbol}" if self.number_symbol else self.get_kind_display()
        return f"{head} ngày {self.issued_on:%d/%m/%Y}"


class Milestone(TimeStampedModel):
    """A dated step of a movement (deadline to register, self-assessment, cluster review, summary)."""

    class Kind(models.TextChoices):
        REGISTRATION = "dang_ky", "Hạn đăng ký thi đua"
        SELF_ASSESSMENT = "tu_cham", "Hạn đơn vị tự chấm điểm"
        CLUSTER_REVIEW = "cum_cham", "Cụm chấm chéo, bình xét"
        MID_REVIEW = "so_ket", "Sơ kết"
        FINAL_REVIEW = "tong_ket", "Tổng kết"
        OTHER = "khac", "Mốc khác"

    movement = models.ForeignKey(Movement, on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField("loại mốc", max_length=10, choices=Kind.choices, default=Kind.OTHER)
    name = models.CharField("nội dung", max_length=200, blank=True)
    due_on = models.DateField("thời hạn")

    class Meta:
        verbose_name = "mốc thời gian"
        verbose_name_plural = "mốc thời gian"
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"{self.name or self.get_kind_display()} — {self.due_on:%d/%m/%Y}"


class Participation(models.Model):
    """Who takes part: one unit, or (with `include_subtree`) the units below it, optionally of one kind."""

    movement = models.ForeignKey(Movement, on_delete=models.CASCADE, related_name="participations")
    unit = models.ForeignKey(Unit, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="+")
    include_subtree = models.BooleanField("cả các đơn vị trực thuộc", default=False)
    # A code of `thidua/org/sectors.yaml` (empty: every kind).
    unit_kind = models.CharField("chỉ loại đơn vị", max_length=20, blank=True, default="")

    class Meta:
        verbose_name = "đơn vị tham gia"
        verbose_name_plural = "đơn vị tham gia"
        constraints = [models.UniqueConstraint(fields=["movement", "unit"], name="participation_unique")]

    def __str__(self) -> str:
        return f"{self.unit}{' và đơn vị trực thuộc' if self.include_subtree else ''}"

    def get_unit_kind_display(self) -> str:
        """The label of `unit_kind` in the organisation of the participating unit."""
        return describe(self.unit_kind, kinds_for_unit(self.unit)).label if self.unit_kind else ""


def participating_units(movement: Movement) -> UnitQuerySet:
    """Active units taking part in `movement` (one query; subtrees resolved by path prefix)."""
    query = Q(pk__in=[])
    for part in movement.participations.select_related("unit"):
        if part.include_subtree:
            sub = Q(path__startswith=part.unit.path) & ~Q(pk=part.unit_id)
            if part.unit_kind:
                sub &= Q(kind=part.unit_kind)
            query |= sub
        else:
            query |= Q(pk=part.unit_id)
    return Unit.objects.filter(query).filter(valid_to__isnull=True).order_by("path")


class ScoringTable(TimeStampedModel, Versioned):
    """A scoring table (bảng chấm điểm) of a movement for one year and one cluster (or all clusters).

    `data` is the plain form written by `scoring.table_to_dict` after `scoring.load_table` accepted it,
    so it always loads again. Edited through `services.save_scoring_table`.
    """

    movement = models.ForeignKey(Movement, on_delete=models.CASCADE, related_name="scoring_tables")
    year = models.PositiveSmallIntegerField("năm")
    cluster = models.ForeignKey(
        Cluster,
        verbose_name="cụm, khối (để trống: áp dụng mọi cụm)",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="scoring_tables",
    )
    title = models.CharField("tên bảng", max_length=300)
    data = models.JSONField("nội dung bảng", default=dict)

    class Meta:
        verbose_name = "bảng chấm điểm"
        verbose_name_plural = "bảng chấm điểm"
        ordering = ["-year", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["movement", "year", "cluster"], name="scoring_table_unique_cluster"
            ),
            models.UniqueConstraint(
                fields=["movement", "year"],
                condition=Q(cluster__isnull=True),
                name="scoring_table_unique_default",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Registration(TimeStampedModel, Versioned):
    """A unit's đăng ký thi đua for one year of a movement: targets per criterion and titles aimed for.

    `targets`: {criterion code: target value}; `titles`: [{"award": id, "subject": "unit" | person name}].

    Status transitions (services): draft → submitted (`submit_registration`), returned → submitted,
    submitted → returned (`return_registration`, with a reason), submitted → approved
    (`approve_registration`, by the level above the unit, never by the unit itself).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Đang soạn"
        SUBMITTED = "submitted", "Đã gửi"
        RETURNED = "returned", "Trả lại để bổ sung"
        APPROVED = "approved", "Đã duyệt"

    movement = models.ForeignKey(Movement, on_delete=models.CASCADE, related_name="registrations")
    unit = models.ForeignKey(
        Unit, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="registrations"
    )
    year = models.PositiveSmallIntegerField("năm")
    status = models.CharField("trạng thái", max_length=10, choices=Status.choices, default=Status.DRAFT)
    targets = models.JSONField("chỉ tiêu đăng ký", default=dict, blank=True)
    titles = models.JSONField("danh hiệu đăng ký", default=list, blank=True)
    note = models.TextField("ghi chú", blank=True)
    submitted_on = models.DateTimeField("gửi lúc", null=True, blank=True)
    late = models.BooleanField("gửi quá hạn", default=False)
    return_reason = models.TextField("lý do trả lại", blank=True)
    approved_on = models.DateTimeField("duyệt lúc", null=True, blank=True)

    class Meta:
        verbose_name = "đăng ký thi đua"
        verbose_name_plural = "đăng ký thi đua"
        ordering = ["movement", "year", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["movement", "unit", "year"], name="registration_unique"),
        ]

    def __str__(self) -> str:
        return f"Đăng ký thi đua {self.year} — {self.unit}"


class Result(TimeStampedModel, Versioned):
    """A unit's figures (kết quả) for one period of a movement, and their scores.

    `figures` maps criterion, bonus and penalty codes to figures in the scoring module's shape; the
    reviewer's corrections go to `review_figures`. Scores are computed by the scoring module at each step.

    Status transitions (services): draft → self_scored (`submit_result`: the unit scores itself),
    self_scored → reviewed (`review_result`, by the cluster or the level above, with remarks),
    reviewed → explained (`explain_result`, the unit answers), reviewed | explained → final
    (`finalise_result`). A unit sees only its own results until the cluster ranking is published.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Đang nhập"
        SELF_SCORED = "self_scored", "Đã tự chấm"
        REVIEWED = "reviewed", "Đã thẩm định"
        EXPLAINED = "explained", "Đã giải trình"
        FINAL = "final", "Điểm chính thức"

    movement = models.ForeignKey(Movement, on_delete=models.CASCADE, related_name="results")
    unit = models.ForeignKey(Unit, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="results")
    year = models.PositiveSmallIntegerField("năm")
    period = models.CharField("kỳ", max_length=3, choices=Period.choices, default=Period.YEAR)
    status = models.CharField("trạng thái", max_length=12, choices=Status.choices, default=Status.DRAFT)
    figures = models.JSONField("số liệu", default=dict, blank=True)
    self_score = models.DecimalField("điểm tự chấm", max_digits=7, decimal_places=2, null=True, blank=True)
    review_figures = models.JSONField("số liệu sau thẩm định", default=dict, blank=True)
    review_score = models.DecimalField(
        "điểm thẩm định", max_digits=7, decimal_places=2, null=True, blank=True
    )
    review_note = models.TextField("ý kiến thẩm định", blank=True)
    explanation = models.TextField("giải trình của đơn vị", blank=True)
    final_score = models.DecimalField(
        "điểm chính thức", max_digits=7, decimal_places=2, null=True, blank=True
    )
    score_detail = models.JSONField("chi tiết điểm", default=dict, blank=True)
    submitted_at = models.DateTimeField("tự chấm, gửi lúc", null=True, blank=True)
    late = models.BooleanField("gửi quá hạn", default=False)

    class Meta:
        verbose_name = "kết quả thi đua"
        verbose_name_plural = "kết quả thi đua"
        ordering = ["movement", "year", "period", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["movement", "unit", "year", "period"], name="result_unique"),
        ]

    def __str__(self) -> str:
        return f"Kết quả {period_label(self.period, self.year)} — {self.unit}"

    @property
    def period_label(self) -> str:
        return period_label(self.period, self.year)

    @property
    def current_score(self) -> Decimal | None:
        for value in (self.final_score, self.review_score, self.self_score):
            if value is not None:
                return value
        return None

    def scoring_figures(self) -> dict[str, Any]:
        """The figures that count now: the reviewer's corrections over the unit's own figures."""
        return {**self.figures, **self.review_figures}


class Evidence(TimeStampedModel):
    """A file proving a result (minh chứng), optionally for one criterion."""

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="evidence")
    criterion_code = models.CharField("tiêu chí", max_length=40, blank=True)
    description = models.CharField("mô tả", max_length=300)
    file = models.FileField("tệp", upload_to="movements/evidence/%Y/")
    # Evidence often holds personal data: only the unit, the levels above it and the result's reviewers
    # fetch it, unless the unit's officer makes it public (`movements.permissions.can_see_evidence`).
    public = models.BooleanField("công khai", default=False)

    class Meta:
        verbose_name = "minh chứng"
        verbose_name_plural = "minh chứng"
        ordering = ["criterion_code", "id"]

    def __str__(self) -> str:
        return self.description


class Ranking(TimeStampedModel):
    """The ranking of one cluster in a movement for one period, computed by the scoring module.

    Status transitions (services): draft → published (`publish_ranking`, needs every member's final
    score). `compute_ranking` may recompute a draft. A published yearly ranking is what the year-end
    reads (`thidua.movements.records`): cluster ranks of a regular movement, leaders of a thematic one.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Dự thảo"
        PUBLISHED = "published", "Đã công bố"

    movement = models.ForeignKey(Movement, on_delete=models.CASCADE, related_name="rankings")
    cluster = models.ForeignKey(
        Cluster, verbose_name="cụm, khối", on_delete=models.CASCADE, related_name="rankings"
    )
    year = models.PositiveSmallIntegerField("năm")
    period = models.CharField("kỳ", max_length=3, choices=Period.choices, default=Period.YEAR)
    status = models.CharField("trạng thái", max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_on = models.DateTimeField("công bố lúc", null=True, blank=True)
    notes = models.JSONField("ghi chú", default=list, blank=True)

    class Meta:
        verbose_name = "bảng xếp hạng"
        verbose_name_plural = "bảng xếp hạng"
        ordering = ["-year", "cluster__name", "period"]
        constraints = [
            models.UniqueConstraint(fields=["movement", "cluster", "year", "period"], name="ranking_unique"),
        ]

    def __str__(self) -> str:
        return f"Xếp hạng {self.cluster.name} — {period_label(self.period, self.year)}"

    @property
    def period_label(self) -> str:
        return period_label(self.period, self.year)


class RankingEntry(models.Model):
    """One unit's place in a ranking (1 = leader; equal units share a rank).

    The scores are empty for a ranking recorded from a year scored outside the system (`record_ranking`).
    """

    ranking = models.ForeignKey(Ranking, on_delete=models.CASCADE, related_name="entries")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    rank = models.PositiveSmallIntegerField("hạng")
    total = models.DecimalField("tổng điểm", max_digits=7, decimal_places=2, null=True, blank=True)
    base = models.DecimalField("điểm cơ bản", max_digits=7, decimal_places=2, null=True, blank=True)
    bonus = models.DecimalField("điểm thưởng", max_digits=7, decimal_places=2, null=True, blank=True)
    penalty = models.DecimalField("điểm trừ", max_digits=7, decimal_places=2, null=True, blank=True)
    note = models.CharField("ghi chú", max_length=500, blank=True)

    class Meta:
        ordering = ["rank", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["ranking", "unit"], name="ranking_entry_unique")]

    def __str__(self) -> str:
        return f"{self.rank}. {self.unit}"


class MovementLead(models.Model):
    """A unit recognised as leading (dẫn đầu) a thematic movement in a year, at the movement's review.

    For a movement reviewed without a ranking; read by the engine through `thidua.movements.records`.
    """

    movement = models.ForeignKey(Movement, on_delete=models.CASCADE, related_name="leads")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="movement_leads")
    year = models.PositiveSmallIntegerField("năm")
    rank = models.PositiveSmallIntegerField("thứ hạng", default=1)
    recorded_at = models.DateTimeField("ghi nhận lúc", auto_now_add=True)

    class Meta:
        verbose_name = "đơn vị dẫn đầu phong trào"
        verbose_name_plural = "đơn vị dẫn đầu phong trào"
        ordering = ["-year", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["movement", "unit", "year"], name="movement_lead_unique")
        ]

    def __str__(self) -> str:
        return f"{self.unit} dẫn đầu {self.movement} ({self.year})"
