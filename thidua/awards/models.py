"""The year-end workflow: the organisation's settings, councils and secret ballots, candidates,
dossiers, numbered decisions. Issuing a decision writes the history (`thidua.history`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from thidua.awards.voting import DEFAULT_COUNCIL_RULE, DEFAULT_QUORUM, SHARE_CHOICES, SHARES, Share, pct_share
from thidua.core.models import TimeStampedModel
from thidua.documents.official import SIGNING_FORMS
from thidua.history.models import AwardRecord
from thidua.org.models import Person, Unit
from thidua.rules.names import award_name


# ------------------------------------------------------------------------------------------------
# The year-end workflow: settings, councils and secret ballots, candidates, dossiers, decisions.
# ------------------------------------------------------------------------------------------------
class AwardSettings(TimeStampedModel):
    """The organisation's own year-end settings, one row per root unit (defaults when absent).

    - `htxs_cap_enabled`: check the HTXS cap of NĐ 233/2026 Đ12 k6 (HTXS ≤ 20% of those rated HTT in
      the same unit, 25% when the unit itself is rated HTXS); a warning, not a refusal.
    - `quotas`: {award_id: max % of the people of the unit} enforced on confirming candidates.
    - `council_quorum`: the share of all council members who must be present to vote (default 2/3,
      Bắc Ninh QĐ 86/2025 Đ8 k4, an example regulation).
    """

    root = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="award_settings")
    htxs_cap_enabled = models.BooleanField("áp dụng giới hạn tỷ lệ HTXS", default=True)
    htxs_cap_pct = models.PositiveSmallIntegerField("giới hạn HTXS (% số HTT)", default=20)
    htxs_cap_pct_excellent_unit = models.PositiveSmallIntegerField(
        "giới hạn HTXS khi đơn vị được xếp loại HTXS (%)", default=25
    )
    quotas = models.JSONField("tỷ lệ tối đa theo danh hiệu (%)", default=dict, blank=True)
    council_quorum = models.CharField(
        "số thành viên Hội đồng phải có mặt để biểu quyết",
        max_length=12,
        choices=SHARE_CHOICES,
        default=DEFAULT_QUORUM,
    )

    class Meta:
        verbose_name = "thiết lập khen thưởng"
        verbose_name_plural = "thiết lập khen thưởng"

    def __str__(self) -> str:
        return f"Thiết lập khen thưởng — {self.root}"


class Council(TimeStampedModel):
    """A Hội đồng thi đua – khen thưởng of a unit for a term (nhiệm kỳ).

    `vote_rule` is the council's own rule (quy chế) for a title the law gives no vote threshold:
    by default more than half of all members must agree."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="councils")
    name = models.CharField("tên hội đồng", max_length=255)
    term_from = models.DateField("nhiệm kỳ từ")
    term_to = models.DateField("nhiệm kỳ đến", null=True, blank=True)
    vote_rule = models.CharField(
        "tỷ lệ đồng ý theo quy chế Hội đồng (khi pháp luật không quy định)",
        max_length=12,
        choices=SHARE_CHOICES,
        default=DEFAULT_COUNCIL_RULE,
    )

    class Meta:
        verbose_name = "hội đồng thi đua – khen thưởng"
        verbose_name_plural = "hội đồng thi đua – khen thưởng"
        ordering = ["-term_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_to__isnull=True) | Q(term_to__gte=models.F("term_from")),
                name="council_term_in_order",
            )
        ]

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
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="council_seats",
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

    Quorum: the organisation's share of all members present (`AwardSettings.council_quorum`, kept
    on the meeting when it is held; absent members vote in writing).
    """

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="meetings")
    year = models.PositiveSmallIntegerField("năm xét")
    held_on = models.DateField("ngày họp")
    place = models.CharField("địa điểm", max_length=255, blank=True)
    quorum_rule = models.CharField(
        "số thành viên phải có mặt", max_length=12, choices=SHARE_CHOICES, default=DEFAULT_QUORUM
    )

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
    """A secret ballot (bỏ phiếu kín) of a meeting over a list of candidates, on screen or on paper.

    Transitions: open → closed | cancelled. On screen, the choices go straight into per-candidate
    counters (`BallotCount`, the sealed box) and who voted into `BallotVoter`; nothing links the two.
    The counts reach the items (and anyone) only when the ballot is closed under the rules of
    `services/council.py`; a cancelled ballot never shows a count. On paper, the counting committee's
    figures (issued, returned, valid, agree / disagree per candidate) are recorded at once and close it.
    `member_count` (the denominator: ALL members of the council) is fixed when the ballot opens.
    """

    class Status(models.TextChoices):
        OPEN = "open", "Đang bỏ phiếu"
        CLOSED = "closed", "Đã kiểm phiếu"
        CANCELLED = "cancelled", "Đã hủy (không kiểm phiếu)"

    class Mode(models.TextChoices):
        ELECTRONIC = "electronic", "Bỏ phiếu trên hệ thống"
        PAPER = "paper", "Bỏ phiếu giấy"

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="ballots")
    status = models.CharField("trạng thái", max_length=10, choices=Status.choices, default=Status.OPEN)
    mode = models.CharField("hình thức", max_length=10, choices=Mode.choices, default=Mode.ELECTRONIC)
    member_count = models.PositiveSmallIntegerField("tổng số thành viên hội đồng")
    vote_rule = models.CharField(
        "tỷ lệ theo quy chế Hội đồng", max_length=12, choices=SHARE_CHOICES, default=DEFAULT_COUNCIL_RULE
    )
    reason = models.TextField("lý do bỏ phiếu lại", blank=True)
    closed_early = models.BooleanField("Chủ tịch kết thúc trước khi mọi người có mặt bỏ phiếu", default=False)
    close_reason = models.TextField("lý do kết thúc sớm / hủy", blank=True)
    issued = models.PositiveSmallIntegerField("số phiếu phát ra", null=True, blank=True)
    returned = models.PositiveSmallIntegerField("số phiếu thu vào", null=True, blank=True)
    valid = models.PositiveSmallIntegerField("số phiếu hợp lệ", null=True, blank=True)
    counting_committee = models.JSONField("Ban kiểm phiếu (Trưởng ban trước)", default=list, blank=True)

    class Meta:
        verbose_name = "cuộc bỏ phiếu"
        verbose_name_plural = "cuộc bỏ phiếu"

    def __str__(self) -> str:
        return f"Bỏ phiếu #{self.pk} — {self.meeting}"

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class BallotItem(models.Model):
    """One candidate on a ballot: the threshold applied (with its basis) and, once closed, the tally.

    `threshold_kind`: `law` (a threshold the ruleset gives as in force), `assumed` (an unconfirmed
    threshold applied because the organisation turned the setting on), or `council` (the law gives
    none: the council's own rule, `Ballot.vote_rule`, with `threshold_pct` empty)."""

    class ThresholdKind(models.TextChoices):
        LAW = "law", "Theo quy định"
        ASSUMED = "assumed", "Giả định, chưa xác nhận"
        COUNCIL = "council", "Theo quy chế Hội đồng"

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="items")
    candidate = models.ForeignKey("Candidate", on_delete=models.PROTECT, related_name="ballot_items")
    threshold_pct = models.PositiveSmallIntegerField("ngưỡng đồng ý (% tổng số thành viên)", null=True)
    threshold_kind = models.CharField(
        "căn cứ ngưỡng", max_length=8, choices=ThresholdKind.choices, default=ThresholdKind.COUNCIL
    )
    threshold_basis = models.CharField("căn cứ pháp lý của ngưỡng", max_length=255, blank=True)
    agree = models.PositiveSmallIntegerField("số phiếu đồng ý", null=True)
    disagree = models.PositiveSmallIntegerField("số phiếu không đồng ý", null=True)
    passed = models.BooleanField("đạt", null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ballot", "candidate"], name="ballot_item_unique")]

    def __str__(self) -> str:
        return f"{self.candidate} — {self.ballot}"

    @property
    def threshold(self) -> Share:
        """The share applied: the legal (or assumed) percentage, else the council's rule."""
        if self.threshold_pct is not None:
            return pct_share(self.threshold_pct)
        return SHARES[self.ballot.vote_rule]

    @property
    def threshold_label(self) -> str:
        """ "Từ 80% tổng số thành viên trở lên", "Quá 1/2 tổng số thành viên"."""
        return self.threshold.label


class BallotCount(models.Model):
    """The sealed box of one item of an open on-screen ballot: two counters, no voter, no time, no
    row per vote. Read only by closing (then copied to the item and deleted) and deleted by cancelling."""

    item = models.OneToOneField(BallotItem, primary_key=True, on_delete=models.CASCADE, related_name="box")
    agree = models.PositiveSmallIntegerField(default=0)
    disagree = models.PositiveSmallIntegerField(default=0)

    def __str__(self) -> str:
        return "Hòm phiếu"


def _random_id() -> str:
    """The key of the former per-vote rows (migration 0001 refers to it)."""
    import secrets

    return secrets.token_hex(16)


def _scan_path(instance: BallotVoter, filename: str) -> str:
    """A random name: the stored path says nothing of the member."""
    import secrets
    from pathlib import PurePath

    return f"ballots/written/{secrets.token_hex(16)}{PurePath(filename).suffix.lower()[:6]}"


class BallotVoter(models.Model):
    """THAT a member voted on a ballot (in the room or in writing), never how: no choice, no time.

    A written vote (`in_writing`) of an absent member is entered by the secretary with a scan of the
    paper received, which only the secretary can open again."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="voters")
    member = models.ForeignKey(CouncilMember, on_delete=models.PROTECT, related_name="+")
    in_writing = models.BooleanField("phiếu gửi bằng văn bản", default=False)
    scan = models.FileField("bản chụp phiếu gửi bằng văn bản", upload_to=_scan_path, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ballot", "member"], name="ballot_voter_unique")]

    def __str__(self) -> str:
        return f"{self.member} đã bỏ phiếu"


class Candidate(TimeStampedModel):
    """A person or collective proposed for a title or form by a unit for a year.

    The engine proposes (`source=engine`, status `proposed`, or `deferred` while proceedings are
    pending); an officer confirms or removes (with a reason); an officer may add one the engine
    did not propose (`source=manual`, with a justification). Transitions:
    proposed → confirmed | removed; confirmed → removed; removed → confirmed; deferred stays
    apart until re-evaluated; `waiting` (a higher title that the subject reaches once the lower
    title of the same year is decided: titles are decided lower first, Luật 06/2022 Đ21-Đ22,
    Đ27-Đ28) becomes `proposed` when that decision is issued. `engine_result` and `ruleset_id` keep the engine's output.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Đề xuất"
        CONFIRMED = "confirmed", "Đã xác nhận"
        REMOVED = "removed", "Đã loại"
        DEFERRED = "deferred", "Chưa xét (đang có vụ việc)"
        WAITING = "waiting", "Chờ quyết định danh hiệu thấp hơn"

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
        return f"{award_name(self.award_id)} {self.year} — {self.subject_name}"

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
        return f"Hồ sơ {award_name(self.award_id)} {self.year} — {self.unit}"

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
    signing_form = models.CharField(
        "hình thức ký",
        max_length=5,
        blank=True,
        choices=[(k, v) for k, v in SIGNING_FORMS.items() if k],
        help_text="KT., TM., Q., TL., TUQ.; để trống khi thủ trưởng ký (cấp phó ký là KT.)",
    )
    recipients = models.TextField("nơi nhận (mỗi dòng một nơi)", blank=True)
    awards: models.ManyToManyField[AwardRecord, DecisionAward] = models.ManyToManyField(
        AwardRecord, through="DecisionAward", related_name="+", verbose_name="khen thưởng"
    )

    class Meta:
        verbose_name = "quyết định khen thưởng"
        verbose_name_plural = "quyết định khen thưởng"
        ordering = ["-signed_on", "-id"]

    def __str__(self) -> str:
        return f"Quyết định {self.number_symbol or '(chưa cấp số)'}"


class DecisionAward(models.Model):
    """An award of the history (`history.AwardRecord`) granted by a decision of this workflow; an award
    is granted by one decision at most (past awards imported from elsewhere by none)."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="award_links")
    award = models.OneToOneField(AwardRecord, on_delete=models.PROTECT, related_name="decision_link")

    class Meta:
        verbose_name = "khen thưởng theo quyết định"
        verbose_name_plural = "khen thưởng theo quyết định"

    def __str__(self) -> str:
        return f"{self.decision} — {self.award}"


def granting_unit(award: AwardRecord) -> Unit | None:
    """The unit whose decision granted `award`: the issuing unit of its decision here, else (a past
    award recorded without one) the collective itself or the person's current unit."""
    link = DecisionAward.objects.filter(award=award).select_related("decision__unit").first()
    if link is not None:
        return link.decision.unit
    return award.unit or (award.person.current_unit if award.person else None)
