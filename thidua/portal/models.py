"""The public site's own records: articles (news and exemplary stories) with their images, the
public projection of the honour board, and the people withheld from public pages."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from thidua.core.models import TimeStampedModel
from thidua.documents.builders.labels import proper_name
from thidua.history.models import AwardRecord
from thidua.movements.models import Movement
from thidua.org.models import Person, Unit
from thidua.rules.names import award_name


class ArticleQuerySet(models.QuerySet["Article"]):
    def published(self) -> ArticleQuerySet:
        return self.filter(status=Article.Status.PUBLISHED)


class Article(TimeStampedModel):
    """A piece for the public site written by an officer for their unit's subtree.

    Transitions (`thidua.portal.services`): draft → published (`publish_article`), published →
    withdrawn (`withdraw_article`, with a reason), withdrawn → draft (`redraft_article`). Only a
    published article is ever shown to visitors. `body` is stored sanitised (an allow-list of tags,
    `thidua.portal.sanitize`); `version` refuses edits made from a stale copy.
    """

    class Kind(models.TextChoices):
        NEWS = "tin_tuc", "Tin phong trào"
        STORY = "guong", "Gương điển hình"

    class Status(models.TextChoices):
        DRAFT = "draft", "Bản nháp"
        PUBLISHED = "published", "Đã đăng"
        WITHDRAWN = "withdrawn", "Đã gỡ"

    kind = models.CharField("loại bài", max_length=8, choices=Kind.choices, default=Kind.NEWS)
    title = models.CharField("tiêu đề", max_length=200)
    slug = models.SlugField("đường dẫn", max_length=120, allow_unicode=False)
    summary = models.CharField("tóm tắt", max_length=500)
    body = models.TextField("nội dung")
    unit = models.ForeignKey(
        Unit, verbose_name="đơn vị đăng", on_delete=models.PROTECT, related_name="articles"
    )
    movement = models.ForeignKey(
        Movement,
        verbose_name="phong trào liên quan",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
    )
    cover = models.ForeignKey(
        "ArticleImage",
        verbose_name="ảnh đại diện",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    author_name = models.CharField("tác giả", max_length=120)
    status = models.CharField("trạng thái", max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField("đăng lúc", null=True, blank=True)
    withdrawn_at = models.DateTimeField("gỡ lúc", null=True, blank=True)
    withdraw_reason = models.CharField("lý do gỡ", max_length=300, blank=True)
    version = models.PositiveIntegerField("phiên bản", default=1)
    folded = models.TextField(editable=False, default="")

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = "bài viết"
        verbose_name_plural = "bài viết"
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["status", "kind", "-published_at"], name="article_public_idx")]

    def __str__(self) -> str:
        return self.title


class ArticleImage(TimeStampedModel):
    """A picture of an article, checked by its content (type, size, dimensions) and re-encoded
    without its metadata (`thidua.portal.images`); served only with its published article."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="images")
    file = models.FileField("tệp ảnh", upload_to="portal/anh/%Y/")
    alt = models.CharField("mô tả ảnh (cho người không xem được ảnh)", max_length=200)
    content_type = models.CharField(max_length=20)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField("dung lượng (byte)")

    class Meta:
        verbose_name = "ảnh bài viết"
        verbose_name_plural = "ảnh bài viết"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.alt


class HonourEntry(models.Model):
    """One line of the honour board (bảng vàng): a collective or a person honoured by an issued
    decision, as the public may see it. Nothing private is copied here (no citizen id, birth date or
    contact); rows follow the decisions and revocations (`thidua.portal.honour`); a withheld person's
    rows are `hidden`."""

    class Subject(models.TextChoices):
        PERSON = "person", "Cá nhân"
        UNIT = "unit", "Tập thể"

    record = models.OneToOneField(AwardRecord, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    subject = models.CharField("đối tượng", max_length=6, choices=Subject.choices)
    name = models.CharField("tên", max_length=255)
    award_id = models.CharField("danh hiệu / hình thức", max_length=80)
    level = models.CharField("cấp khen thưởng", max_length=10)
    level_rank = models.PositiveSmallIntegerField(default=9)
    year = models.PositiveSmallIntegerField("năm thành tích")
    decided_on = models.DateField("ngày quyết định")
    decision_number = models.CharField("số quyết định", max_length=60, blank=True)
    decided_by = models.CharField("cấp quyết định", max_length=255, blank=True)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    unit_name = models.CharField("đơn vị", max_length=255, blank=True)
    province = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    province_name = models.CharField("tỉnh, thành phố", max_length=120, blank=True)
    hidden = models.BooleanField("không công khai", default=False)
    sort_key = models.CharField(max_length=255, editable=False, default="")
    folded = models.CharField(max_length=600, editable=False, default="")

    class Meta:
        verbose_name = "dòng bảng vàng"
        verbose_name_plural = "bảng vàng"
        ordering = ["-year", "level_rank", "award_id", "sort_key"]
        indexes = [
            # the board's order within a year (and the year's filters): no sort at a million rows
            models.Index(
                fields=["year", "level_rank", "award_id", "sort_key", "id"],
                name="honour_board_order_idx",
                condition=Q(hidden=False),
            ),
            models.Index(
                fields=["year", "award_id"], name="honour_year_award_idx", condition=Q(hidden=False)
            ),
            models.Index(fields=["province", "year"], name="honour_province_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} — {self.title_name} {self.year}"

    @property
    def title_name(self) -> str:
        """The award's name as its decision writes it: "Bằng khen của Bảo hiểm xã hội Việt Nam", not the
        rulesets' generic "Bằng khen của bộ, ban, ngành, tỉnh" (the issuer is the deciding body)."""
        return proper_name(award_name(self.award_id), self.decided_by)


class Withholding(TimeStampedModel):
    """A person not named on public pages (honour board, search): by their own choice or an
    officer's decision. Set and lifted through `thidua.portal.services` (audited)."""

    class Source(models.TextChoices):
        SELF = "self", "Theo nguyện vọng của cá nhân"
        OFFICER = "officer", "Theo quyết định của cán bộ quản lý"

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="withholding")
    source = models.CharField("theo", max_length=8, choices=Source.choices)
    note = models.CharField("lý do", max_length=300, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "không công khai tên"
        verbose_name_plural = "không công khai tên"

    def __str__(self) -> str:
        return f"{self.person} ({self.get_source_display()})"
