"""State changes of the public site: articles (draft → published → withdrawn), their pictures,
and people withheld from public pages. Each: the actor's permission, one transaction, one audit
entry, the public pages' cache forgotten when what visitors see changes."""

from __future__ import annotations

import re

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from thidua.accounts.models import User
from thidua.audit.services import log
from thidua.core.errors import DomainError
from thidua.core.templatetags.thidua import display_name
from thidua.lib.text import fold
from thidua.movements.models import Movement
from thidua.org.models import Person, Unit
from thidua.org.permissions import can_change_person, can_change_unit, own_person_id
from thidua.portal import honour
from thidua.portal.cache import bump
from thidua.portal.images import check_image
from thidua.portal.models import Article, ArticleImage, Withholding
from thidua.portal.sanitize import MAX_BODY, clean_body, folded_text, image_ids, plain_text

MAX_IMAGES = 20


def _check_unit(actor: User | None, unit: Unit) -> None:
    if not can_change_unit(actor, unit):
        raise PermissionDenied("Bạn chỉ đăng bài cho đơn vị mình và các đơn vị trực thuộc")


def _check_version(article: Article, version: int) -> None:
    if article.version != version:
        raise DomainError(
            "Bài viết đã được người khác cập nhật trong lúc bạn đang sửa. Hãy tải lại trang và thực hiện lại.",
            field="version",
        )


def _lock(article: Article, version: int | None = None) -> Article:
    locked = Article.objects.select_for_update().select_related("unit").get(pk=article.pk)
    if version is not None:
        _check_version(locked, version)
    return locked


def _fields(*, title: str, summary: str, body: str) -> dict[str, str]:
    title = " ".join(title.split())
    summary = " ".join(summary.split())
    if not title:
        raise DomainError("Cần ghi tiêu đề", field="title")
    if len(title) > 200:
        raise DomainError("Tiêu đề dài quá 200 ký tự", field="title")
    if len(summary) > 500:
        raise DomainError("Tóm tắt dài quá 500 ký tự", field="summary")
    cleaned = clean_body(body)
    if len(cleaned) > MAX_BODY:
        raise DomainError(f"Nội dung dài quá {MAX_BODY:,} ký tự".replace(",", "."), field="body")
    return {"title": title, "summary": summary, "body": cleaned}


def byline(actor: User | None) -> str:
    """The author as visitors read it: the person's name, never a login name."""
    if actor is None:
        return "Ban biên tập"
    person = Person.objects.filter(user=actor).values_list("full_name", flat=True).first()
    if person:
        return str(person)
    name = display_name(actor)
    return name if name != actor.get_username() else "Ban biên tập"


def _slug(title: str) -> str:
    return slugify(fold(title))[:120] or "bai-viet"


def _refresh_search(article: Article) -> None:
    article.folded = folded_text(article.title, article.summary, plain_text(article.body))


@transaction.atomic
def create_article(
    *,
    actor: User | None,
    kind: str,
    title: str,
    summary: str,
    body: str,
    unit: Unit,
    movement: Movement | None = None,
) -> Article:
    """A draft for `unit` (the actor's unit or one below)."""
    _check_unit(actor, unit)
    if kind not in Article.Kind.values:
        raise DomainError("Chọn loại bài: tin phong trào hoặc gương điển hình", field="kind")
    fields = _fields(title=title, summary=summary, body=body)
    article = Article(
        kind=kind,
        unit=unit,
        movement=movement,
        author=actor,
        author_name=byline(actor),
        slug=_slug(fields["title"]),
        **fields,
    )
    _refresh_search(article)
    article.save()
    log("article.created", actor=actor, obj=article, unit_path=unit.path, detail={"kind": kind})
    return article


@transaction.atomic
def update_article(
    *,
    actor: User | None,
    article: Article,
    version: int,
    kind: str,
    title: str,
    summary: str,
    body: str,
    unit: Unit,
    movement: Movement | None = None,
    cover: ArticleImage | None = None,
) -> Article:
    """Edit a draft or a published article (a published one changes on the site at once); refuses
    a stale copy (`version`)."""
    locked = _lock(article, version)
    _check_unit(actor, locked.unit)
    _check_unit(actor, unit)
    if locked.status == Article.Status.WITHDRAWN:
        raise DomainError("Bài đã gỡ: chuyển về bản nháp trước khi sửa")
    if cover is not None and cover.article_id != locked.pk:
        raise DomainError("Ảnh đại diện phải là ảnh của bài viết này", field="cover")
    fields = _fields(title=title, summary=summary, body=body)
    if locked.status == Article.Status.PUBLISHED:
        _check_publishable(locked.pk, fields["title"], fields["summary"], fields["body"])
    before = {
        k: getattr(locked, k) for k in ("kind", "title", "summary", "unit_id", "movement_id", "cover_id")
    }
    body_before = locked.body
    locked.kind, locked.unit, locked.movement, locked.cover = kind, unit, movement, cover
    for key, value in fields.items():
        setattr(locked, key, value)
    locked.slug = _slug(locked.title)
    locked.version += 1
    _refresh_search(locked)
    locked.save()
    after = {k: getattr(locked, k) for k in before}
    changed = sorted(k for k in before if before[k] != after[k]) + (
        ["body"] if body_before != locked.body else []
    )
    log("article.updated", actor=actor, obj=locked, unit_path=locked.unit.path, detail={"changed": changed})
    if locked.status == Article.Status.PUBLISHED:
        bump()
    return locked


def _withheld_names(text: str) -> list[str]:
    """Names of withheld people that the (folded) text contains as whole words."""
    found = []
    for name, folded in Withholding.objects.values_list("person__full_name", "person__name_folded"):
        if folded and re.search(rf"(?<!\w){re.escape(folded)}(?!\w)", text):
            found.append(name)
    return sorted(set(found))


def _check_publishable(pk: int, title: str, summary: str, body: str) -> None:
    if not summary:
        raise DomainError("Cần ghi tóm tắt trước khi đăng", field="summary")
    if not plain_text(body):
        raise DomainError("Bài chưa có nội dung", field="body")
    names = _withheld_names(folded_text(title, summary, plain_text(body)))
    if names:
        raise DomainError(
            "Bài viết nêu tên người đã đề nghị không công khai trên trang thông tin: " + ", ".join(names),
            field="body",
        )
    foreign = image_ids(body) - set(ArticleImage.objects.filter(article_id=pk).values_list("pk", flat=True))
    if foreign:
        raise DomainError("Bài viết dùng ảnh không thuộc bài này", field="body")


@transaction.atomic
def publish_article(*, actor: User | None, article: Article, version: int) -> Article:
    """draft → published: shown to visitors from now on."""
    locked = _lock(article, version)
    _check_unit(actor, locked.unit)
    if locked.status != Article.Status.DRAFT:
        raise DomainError(f"Chỉ đăng được bản nháp (bài đang ở trạng thái «{locked.get_status_display()}»)")
    _check_publishable(locked.pk, locked.title, locked.summary, locked.body)
    locked.status = Article.Status.PUBLISHED
    locked.published_at = locked.published_at or timezone.now()
    locked.version += 1
    locked.save(update_fields=["status", "published_at", "version", "updated_at"])
    log("article.published", actor=actor, obj=locked, unit_path=locked.unit.path)
    bump()
    return locked


@transaction.atomic
def withdraw_article(*, actor: User | None, article: Article, version: int, reason: str) -> Article:
    """published → withdrawn: gone from the site, its feed entry and its pictures, at once."""
    locked = _lock(article, version)
    _check_unit(actor, locked.unit)
    if locked.status != Article.Status.PUBLISHED:
        raise DomainError("Chỉ gỡ được bài đang đăng")
    reason = " ".join(reason.split())
    if not reason:
        raise DomainError("Cần ghi lý do gỡ bài", field="reason")
    locked.status = Article.Status.WITHDRAWN
    locked.withdrawn_at = timezone.now()
    locked.withdraw_reason = reason[:300]
    locked.version += 1
    locked.save(update_fields=["status", "withdrawn_at", "withdraw_reason", "version", "updated_at"])
    log("article.withdrawn", actor=actor, obj=locked, unit_path=locked.unit.path, detail={"reason": reason})
    bump()
    return locked


@transaction.atomic
def redraft_article(*, actor: User | None, article: Article, version: int) -> Article:
    """withdrawn → draft: to correct and publish again."""
    locked = _lock(article, version)
    _check_unit(actor, locked.unit)
    if locked.status != Article.Status.WITHDRAWN:
        raise DomainError("Chỉ chuyển về bản nháp bài đã gỡ")
    locked.status = Article.Status.DRAFT
    locked.version += 1
    locked.save(update_fields=["status", "version", "updated_at"])
    log("article.redrafted", actor=actor, obj=locked, unit_path=locked.unit.path)
    return locked


@transaction.atomic
def add_image(*, actor: User | None, article: Article, content: bytes, alt: str) -> ArticleImage:
    """A picture for the article, checked by its content and stored without its metadata."""
    locked = _lock(article)
    _check_unit(actor, locked.unit)
    alt = " ".join(alt.split())
    if not alt:
        raise DomainError("Cần mô tả ngắn nội dung ảnh (cho người không xem được ảnh)", field="alt")
    if locked.images.count() >= MAX_IMAGES:
        raise DomainError(f"Mỗi bài có tối đa {MAX_IMAGES} ảnh", field="image")
    checked = check_image(content)
    image = ArticleImage(
        article=locked,
        alt=alt[:200],
        content_type=checked.content_type,
        width=checked.width,
        height=checked.height,
        size=len(checked.content),
    )
    image.file.save(f"anh-{locked.pk}.{checked.extension}", ContentFile(checked.content), save=False)
    image.save()
    log(
        "article.image_added",
        actor=actor,
        obj=locked,
        unit_path=locked.unit.path,
        detail={"image": image.pk, "bytes": image.size, "type": image.content_type},
    )
    if locked.status == Article.Status.PUBLISHED:
        bump()
    return image


# -- people withheld from public pages -------------------------------------------------------------
def _person_path(person: Person) -> str:
    return person.current_unit.path if person.current_unit else ""


@transaction.atomic
def withhold_person(*, actor: User | None, person: Person, note: str = "") -> Withholding:
    """Keep a person's name off the public pages: at their own request (the person, signed in) or
    by an officer in charge of them."""
    if actor is not None and own_person_id(actor) == person.pk:
        source = Withholding.Source.SELF
    elif can_change_person(actor, person):
        source = Withholding.Source.OFFICER
    else:
        raise PermissionDenied("Bạn không quản lý hồ sơ của người này")
    existing = Withholding.objects.select_for_update().filter(person=person).first()
    if existing is not None:
        return existing
    withholding = Withholding.objects.create(
        person=person, source=source, note=note.strip()[:300], set_by=actor
    )
    honour.set_hidden(person.pk, True)
    log(
        "publicity.withheld",
        actor=actor,
        obj=person,
        unit_path=_person_path(person),
        detail={"source": source, "note": withholding.note},
    )
    return withholding


@transaction.atomic
def release_person(*, actor: User | None, person: Person) -> None:
    """Show the person on public pages again. A person's own choice is lifted only by the person;
    an officer's decision only by an officer in charge of them."""
    withholding = Withholding.objects.select_for_update().filter(person=person).first()
    if withholding is None:
        return
    own = actor is not None and own_person_id(actor) == person.pk
    if withholding.source == Withholding.Source.SELF and not own:
        raise DomainError("Người này đã tự đề nghị không công khai tên: chỉ chính họ được bỏ lựa chọn này")
    if withholding.source == Withholding.Source.OFFICER and not can_change_person(actor, person):
        raise DomainError("Việc không công khai tên do cán bộ quản lý quyết định: chỉ cán bộ quản lý được bỏ")
    withholding.delete()
    honour.set_hidden(person.pk, False)
    log(
        "publicity.released",
        actor=actor,
        obj=person,
        unit_path=_person_path(person),
        detail={"source": withholding.source},
    )


def articles_naming(person: Person) -> list[Article]:
    """Published articles that name the person (whole words, without diacritics): what an officer
    should review when the person is withheld (publishing a new one is refused)."""
    folded = " ".join(re.findall(r"\w+", person.name_folded))
    if not folded:
        return []
    found = Article.objects.published().filter(folded__contains=folded).select_related("unit")
    return [a for a in found if re.search(rf"(?<!\w){re.escape(folded)}(?!\w)", a.folded)]


def is_withheld(person: Person) -> bool:
    return Withholding.objects.filter(person=person).exists()
