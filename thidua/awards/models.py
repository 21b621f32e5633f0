"""The history the rules engine reads: ratings, titles and awards, initiatives, discipline, leave.

The year-end workflow (proposals, councils, decisions) writes into these tables; the demo data and
imports fill them for past years. Ids of titles and forms are those of the rulesets
(`lao_dong_tien_tien`, `bang_khen_thu_tuong`, ...).
"""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

from thidua.core.models import TimeStampedModel
from thidua.org.models import Person, Unit


def _one_subject() -> Q:
    return (Q(person__isnull=False) & Q(unit__isnull=True)) | (Q(person__isnull=True) & Q(unit__isnull=False))


class RatingValue(models.TextChoices):
    HOAN_THANH_XUAT_SAC = "hoan_thanh_xuat_sac", "Hoàn thành xuất sắc nhiệm vụ"
    HOAN_THANH_TOT = "hoan_thanh_tot", "Hoàn thành tốt nhiệm vụ"
    HOAN_THANH = "hoan_thanh", "Hoàn thành nhiệm vụ"
    KHONG_HOAN_THANH = "khong_hoan_thanh", "Không hoàn thành nhiệm vụ"


class Rating(TimeStampedModel):
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
    decision = models.ForeignKey(
        "Decision", null=True, blank=True, on_delete=models.PROTECT, related_name="awards"
    )
    prize_note = models.CharField("ghi chú tiền thưởng", max_length=255, blank=True, db_default="")

    class Meta:
        verbose_name = "khen thưởng"
        verbose_name_plural = "lịch sử khen thưởng"
        ordering = ["-year", "-decided_on"]
        constraints = [models.CheckConstraint(condition=_one_subject(), name="award_one_subject")]
        indexes = [models.Index(fields=["person", "year"], name="award_person_year_idx")]

    def __str__(self) -> str:
        return f"{self.award_id} {self.year} — {self.person or self.unit}"


# The rules engine reads `used_for` as "award_id" or "award_id:year" (the case contract).
USED_FOR_VALIDATOR = RegexValidator(
    r"^[a-z][a-z0-9_]*(:\d{4})?$",
    "Ghi mã danh hiệu/hình thức, có thể kèm năm, vd. chien_si_thi_dua_co_so:2024",
)


class Initiative(TimeStampedModel):
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


class Discipline(TimeStampedModel):
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

    class Meta:
        verbose_name = "kỷ luật"
        verbose_name_plural = "kỷ luật"

    def __str__(self) -> str:
        return f"{self.get_form_display()} — {self.person}"


class PendingProceeding(TimeStampedModel):
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


class Leave(TimeStampedModel):
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


# ------------------------------------------------------------------------------------------------
# The year-end workflow: settings, councils and secret ballots, candidates, dossiers, decisions.
# ------------------------------------------------------------------------------------------------
class AwardSettings(TimeStampedModel):
    """The organisation's own year-end settings, one row per root unit (defaults when absent).

    - `htxs_cap_enabled`: check the HTXS cap of NĐ 233/2026 Đ12 k6 (HTXS ≤ 20% of those rated HTT in
      the same unit, 25% when the unit itself is rated HTXS); a warning, not a refusal.
    - `quotas`: {award_id: max % of the people of the unit} enforced on confirming candidates.
    """

    root = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="award_settings")
    htxs_cap_enabled = models.BooleanField("áp dụng giới hạn tỷ lệ HTXS", default=True)
    htxs_cap_pct = models.PositiveSmallIntegerField("giới hạn HTXS (% số HTT)", default=20)
    htxs_cap_pct_excellent_unit = models.PositiveSmallIntegerField(
        "giới hạn HTXS khi đơn vị được xếp loại HTXS (%)", default=25
    )
    quotas = models.JSONField("tỷ lệ tối đa theo danh hiệu (%)", default=dict, blank=True)

    class Meta:
        verbose_name = "thiết lập khen thưởng"
        verbose_name_plural = "thiết lập khen thưởng"

    def __str__(self) -> str:
        return f"Thiết lập khen thưởng — {self.root}"


class Council(TimeStampedModel):
    """A Hội đồng thi đua – khen thưởng of a unit for a term (nhiệm kỳ)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="councils")
    name = models.CharField("tên hội đồng", max_length=255)
    term_from = models.DateField("nhiệm kỳ từ")
    term_to = models.DateField("nhiệm kỳ đến", null=True, blank=True)

    class Meta:
        verbose_name = "hội đồng thi đua – khen thưởng"
        verbose_name_plural = "hội đồng thi đua – khen thưởng"
        ordering = ["-term_from"]

    def __str__(self) -> str:
        return self.name


class CouncilMember(TimeStampedModel):
    """A member of a council with a role; `user` is the login through which the member votes."""

    class Role(models.TextChoices):
        CHU_TICH = "chu_tich", "Chủ tịch"
        PHO_CHU_TICH = "pho_chu_tich", "Phó Chủ tịch"
        THU_KY = "thu_ky", "Thư ký"
        UY_VIEN = "uy_vien", "Ủy viên"

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="council_seats")
    user = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="council_seats"
    )
    role = models.CharField("vai trò", max_length=15, choices=Role.choices, default=Role.UY_VIEN)

    class Meta:
        verbose_name = "thành viên hội đồng"
        verbose_name_plural = "thành viên hội đồng"
        constraints = [models.UniqueConstraint(fields=["council", "person"], name="council_member_unique")]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"


class Meeting(TimeStampedModel):
    """A council meeting (phiên họp xét khen thưởng) for a year, with its attendance.

    Quorum: at least two thirds of all members present (Bắc Ninh QĐ 86/2025 Đ8 k4, an example
    regulation; absent members vote in writing).
    """

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="meetings")
    year = models.PositiveSmallIntegerField("năm xét")
    held_on = models.DateField("ngày họp")
    place = models.CharField("địa điểm", max_length=255, blank=True)

    class Meta:
        verbose_name = "phiên họp hội đồng"
        verbose_name_plural = "phiên họp hội đồng"
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"{self.council} — {self.held_on:%d/%m/%Y}"


class Attendance(models.Model):
    """Whether a member attended a meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(CouncilMember, on_delete=models.CASCADE, related_name="attendance")
    present = models.BooleanField("có mặt", default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="attendance_unique")]

    def __str__(self) -> str:
        return f"{self.member} — {'có mặt' if self.present else 'vắng mặt'}"


class Ballot(TimeStampedModel):
    """A secret ballot (bỏ phiếu kín) of a meeting over a list of candidates.

    Transitions: open → closed. Votes are accepted only while open; the tallies are computed,
    stored on the items and shown only once closed. `member_count` (the denominator: ALL members
    of the council, NĐ 98/2023 Đ30 k7) is fixed when the ballot opens.
    """

    class Status(models.TextChoices):
        OPEN = "open", "Đang bỏ phiếu"
        CLOSED = "closed", "Đã kiểm phiếu"

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="ballots")
    status = models.CharField("trạng thái", max_length=10, choices=Status.choices, default=Status.OPEN)
    member_count = models.PositiveSmallIntegerField("tổng số thành viên hội đồng")

    class Meta:
        verbose_name = "cuộc bỏ phiếu"
        verbose_name_plural = "cuộc bỏ phiếu"

    def __str__(self) -> str:
        return f"Bỏ phiếu #{self.pk} — {self.meeting}"


class BallotItem(models.Model):
    """One candidate on a ballot, with the threshold of its title and, once closed, the tally."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="items")
    candidate = models.ForeignKey("Candidate", on_delete=models.PROTECT, related_name="ballot_items")
    threshold_pct = models.PositiveSmallIntegerField("ngưỡng đồng ý (% tổng số thành viên)", null=True)
    agree = models.PositiveSmallIntegerField("số phiếu đồng ý", null=True)
    disagree = models.PositiveSmallIntegerField("số phiếu không đồng ý", null=True)
    passed = models.BooleanField("đạt", null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ballot", "candidate"], name="ballot_item_unique")]

    def __str__(self) -> str:
        return f"{self.candidate} — {self.ballot}"


class BallotVoter(models.Model):
    """THAT a member voted on a ballot (in the room or in writing), never how: no choice, no time."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="voters")
    member = models.ForeignKey(CouncilMember, on_delete=models.PROTECT, related_name="+")
    in_writing = models.BooleanField("phiếu gửi bằng văn bản", default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ballot", "member"], name="ballot_voter_unique")]

    def __str__(self) -> str:
        return f"{self.member} đã bỏ phiếu"


def _random_id() -> str:
    import secrets

    return secrets.token_hex(16)


class BallotVote(models.Model):
    """One anonymous choice on one ballot item: no voter, no timestamp, a random key.

    Rows of one member are inserted in a shuffled batch with the others' rows already there, and the
    whole box is reshuffled when the ballot closes, so neither keys nor order lead back to a voter.
    """

    class Choice(models.TextChoices):
        AGREE = "agree", "Đồng ý"
        DISAGREE = "disagree", "Không đồng ý"

    id = models.CharField(primary_key=True, max_length=32, default=_random_id, editable=False)
    item = models.ForeignKey(BallotItem, on_delete=models.CASCADE, related_name="votes")
    choice = models.CharField(max_length=10, choices=Choice.choices)

    def __str__(self) -> str:
        return "Phiếu kín"


class Candidate(TimeStampedModel):
    """A person or collective proposed for a title or form by a unit for a year.

    The engine proposes (`source=engine`, status `proposed`, or `deferred` while proceedings are
    pending); an officer confirms or removes (with a reason); an officer may add one the engine
    did not propose (`source=manual`, with a justification). Transitions:
    proposed → confirmed | removed; confirmed → removed; removed → confirmed; deferred stays
    apart until re-evaluated. `engine_result` and `ruleset_id` keep the engine's output.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Đề xuất"
        CONFIRMED = "confirmed", "Đã xác nhận"
        REMOVED = "removed", "Đã loại"
        DEFERRED = "deferred", "Chưa xét (đang có vụ việc)"

    class Source(models.TextChoices):
        ENGINE = "engine", "Theo kết quả xét tự động"
        MANUAL = "manual", "Bổ sung ngoài kết quả xét tự động"

    class Appraisal(models.TextChoices):
        PENDING = "pending", "Chưa thẩm định"
        ACCEPTED = "accepted", "Đồng ý"
        REJECTED = "rejected", "Không đồng ý"

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="candidates")
    year = models.PositiveSmallIntegerField("năm thành tích")
    award_id = models.CharField("danh hiệu / hình thức", max_length=80)
    kind = models.CharField("loại", max_length=5, choices=AwardRecord.Kind.choices)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="candidacies"
    )
    collective = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="candidacies"
    )
    status = models.CharField("trạng thái", max_length=10, choices=Status.choices)
    source = models.CharField("nguồn", max_length=6, choices=Source.choices, default=Source.ENGINE)
    verdict = models.CharField("kết quả xét tự động", max_length=12, blank=True)
    engine_result = models.JSONField("lý do xét tự động", default=dict, blank=True)
    ruleset_id = models.CharField("bộ quy tắc", max_length=40, blank=True)
    note = models.TextField("lý do loại / giải trình bổ sung", blank=True)
    vote_passed = models.BooleanField("đạt tỷ lệ phiếu", null=True)
    dossier = models.ForeignKey(
        "Dossier", null=True, blank=True, on_delete=models.SET_NULL, related_name="candidates"
    )
    appraisal = models.CharField(
        "thẩm định", max_length=10, choices=Appraisal.choices, default=Appraisal.PENDING
    )
    appraisal_note = models.TextField("ý kiến thẩm định", blank=True)

    class Meta:
        verbose_name = "đề nghị khen thưởng"
        verbose_name_plural = "danh sách đề nghị"
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(collective__isnull=True))
                | (Q(person__isnull=True) & Q(collective__isnull=False)),
                name="candidate_one_subject",
            ),
            models.UniqueConstraint(
                fields=["unit", "year", "award_id", "person"],
                condition=Q(person__isnull=False),
                name="candidate_person_unique",
            ),
            models.UniqueConstraint(
                fields=["unit", "year", "award_id", "collective"],
                condition=Q(collective__isnull=False),
                name="candidate_collective_unique",
            ),
        ]
        indexes = [models.Index(fields=["unit", "year", "award_id"], name="candidate_round_idx")]

    def __str__(self) -> str:
        return f"{self.award_id} {self.year} — {self.subject_name}"

    @property
    def subject_name(self) -> str:
        return str(self.person or self.collective)

    @property
    def is_person(self) -> bool:
        return self.person_id is not None


class Dossier(TimeStampedModel):
    """A proposal dossier (hồ sơ đề nghị) of a unit for one title or form and year.

    Transitions: draft → submitted; submitted → returned | appraised; returned → submitted;
    appraised → decided. Every change checks `version` (optimistic locking) and increments it.
    `appraiser` is the level above that appraises (thẩm định); never the unit itself.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Đang lập"
        SUBMITTED = "submitted", "Đã trình, chờ thẩm định"
        RETURNED = "returned", "Trả lại để bổ sung"
        APPRAISED = "appraised", "Đã thẩm định"
        DECIDED = "decided", "Đã có quyết định"

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="dossiers")
    appraiser = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="dossiers_to_appraise")
    year = models.PositiveSmallIntegerField("năm thành tích")
    award_id = models.CharField("danh hiệu / hình thức", max_length=80)
    status = models.CharField("trạng thái", max_length=10, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField("phiên bản", default=1)
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="dossiers"
    )
    submitted_on = models.DateField("ngày trình", null=True, blank=True)
    deadline = models.DateField("hạn thẩm định", null=True, blank=True)
    return_reason = models.TextField("lý do trả lại", blank=True)

    class Meta:
        verbose_name = "hồ sơ đề nghị khen thưởng"
        verbose_name_plural = "hồ sơ đề nghị khen thưởng"
        ordering = ["-year", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "award_id"], name="dossier_unique"),
            models.CheckConstraint(condition=~Q(unit=models.F("appraiser")), name="dossier_not_self"),
        ]

    def __str__(self) -> str:
        return f"Hồ sơ {self.award_id} {self.year} — {self.unit}"

    @property
    def is_overdue(self) -> bool:
        """Waiting for appraisal past its deadline."""
        from datetime import date

        return (
            self.status == self.Status.SUBMITTED
            and self.deadline is not None
            and self.deadline < date.today()
        )


class Reminder(models.Model):
    """A deadline reminder mailed about `dossier` on `sent_on` (`thidua send_reminders`): at most one
    per dossier and day, so running the command twice a day mails nobody twice."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="reminders")
    sent_on = models.DateField("ngày nhắc")
    recipients = models.TextField("người nhận (mỗi dòng một địa chỉ)", blank=True)
    days_left = models.SmallIntegerField("số ngày làm việc còn lại")

    class Meta:
        verbose_name = "nhắc hạn hồ sơ"
        verbose_name_plural = "nhắc hạn hồ sơ"
        constraints = [models.UniqueConstraint(fields=["dossier", "sent_on"], name="reminder_once_a_day")]

    def __str__(self) -> str:
        return f"Nhắc hạn {self.dossier} ngày {self.sent_on:%d/%m/%Y}"


class DocumentRegister(models.Model):
    """A unit's register (sổ văn bản) for a year and a document type: the last number given."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="registers")
    year = models.PositiveSmallIntegerField("năm")
    doc_type = models.CharField("loại văn bản", max_length=10)
    last_number = models.PositiveIntegerField("số cuối", default=0)

    class Meta:
        verbose_name = "sổ văn bản"
        verbose_name_plural = "sổ văn bản"
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "doc_type"], name="register_unique"),
        ]

    def __str__(self) -> str:
        return f"Sổ {self.doc_type} {self.year} — {self.unit}"


class RegisterEntry(TimeStampedModel):
    """One number taken in a register: never reused, never duplicated."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="register_entries")
    year = models.PositiveSmallIntegerField("năm")
    doc_type = models.CharField("loại văn bản", max_length=10)
    number = models.PositiveIntegerField("số")
    number_symbol = models.CharField("số, ký hiệu", max_length=60)
    issued_on = models.DateField("ngày ban hành")
    summary = models.CharField("trích yếu", max_length=500, blank=True)

    class Meta:
        verbose_name = "số văn bản đã cấp"
        verbose_name_plural = "số văn bản đã cấp"
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "doc_type", "number"], name="register_entry_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.number_symbol


class Decision(TimeStampedModel):
    """A commendation decision (quyết định khen thưởng) issued from an appraised dossier.

    Transitions: draft → issued. On issue: numbered in the issuing unit's register, the awards
    enter the history (AwardRecord rows with prize money), initiatives are marked used.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Dự thảo"
        ISSUED = "issued", "Đã ban hành"

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="decisions")
    dossier = models.OneToOneField(Dossier, on_delete=models.PROTECT, related_name="decision")
    status = models.CharField("trạng thái", max_length=10, choices=Status.choices, default=Status.DRAFT)
    entry = models.OneToOneField(
        RegisterEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="decision"
    )
    number_symbol = models.CharField("số, ký hiệu", max_length=60, blank=True)
    signed_on = models.DateField("ngày ký", null=True, blank=True)
    signer_name = models.CharField("người ký", max_length=120, blank=True)
    signer_title = models.CharField("chức vụ người ký", max_length=120, blank=True)
    recipients = models.TextField("nơi nhận (mỗi dòng một nơi)", blank=True)

    class Meta:
        verbose_name = "quyết định khen thưởng"
        verbose_name_plural = "quyết định khen thưởng"
        ordering = ["-signed_on", "-id"]

    def __str__(self) -> str:
        return f"Quyết định {self.number_symbol or '(chưa cấp số)'}"
