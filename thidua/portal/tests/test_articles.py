"""Articles: scope of who writes, the draft → published → withdrawn life, stale copies refused,
the safe subset of formatting enforced on the server, pictures checked by their content."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from PIL import Image

from thidua.audit.models import AuditEntry
from thidua.core.errors import DomainError
from thidua.portal import services
from thidua.portal.models import Article

pytestmark = pytest.mark.django_db


def new(actor, unit, body="Nội dung.", **extra):
    fields = {"kind": Article.Kind.NEWS, "title": "Tin thử", "summary": "Tóm tắt", "body": body, **extra}
    return services.create_article(actor=actor, unit=unit, **fields)


def png(width: int = 40, height: int = 30, **save: object) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, "PNG", **save)
    return out.getvalue()


def test_an_officer_publishes_for_their_unit_and_below_only(org, personas):
    assert new(personas.officer, org.a_dept).unit == org.a_dept
    with pytest.raises(PermissionDenied):
        new(personas.officer, org.b)
    with pytest.raises(PermissionDenied):
        new(personas.outsider_officer, org.a)
    with pytest.raises(PermissionDenied):
        new(personas.staff, org.a_dept)


def test_the_life_of_an_article_is_audited(org, personas):
    article = new(personas.officer, org.a)
    article = services.publish_article(actor=personas.officer, article=article, version=article.version)
    assert article.status == Article.Status.PUBLISHED and article.published_at is not None
    with pytest.raises(DomainError, match="Chỉ đăng được bản nháp"):
        services.publish_article(actor=personas.officer, article=article, version=article.version)
    with pytest.raises(DomainError, match="lý do"):
        services.withdraw_article(
            actor=personas.officer, article=article, version=article.version, reason="  "
        )
    article = services.withdraw_article(
        actor=personas.officer, article=article, version=article.version, reason="Sai số liệu"
    )
    with pytest.raises(DomainError, match="chuyển về bản nháp"):
        services.update_article(
            actor=personas.officer, article=article, version=article.version, kind="tin_tuc",
            title="x", summary="y", body="z", unit=org.a,
        )  # fmt: skip
    article = services.redraft_article(actor=personas.officer, article=article, version=article.version)
    assert article.status == Article.Status.DRAFT
    actions = list(
        AuditEntry.objects.filter(object_type="portal.article")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["article.created", "article.published", "article.withdrawn", "article.redrafted"]


def test_an_edit_from_a_stale_copy_is_refused(org, personas):
    article = new(personas.officer, org.a)
    fields = {"kind": "tin_tuc", "title": "Tiêu đề mới", "summary": "", "body": "x", "unit": org.a}
    services.update_article(actor=personas.officer, article=article, version=1, **fields)
    with pytest.raises(DomainError, match="người khác cập nhật"):
        services.update_article(
            actor=personas.officer, article=article, version=1, **{**fields, "title": "Cũ"}
        )
    with pytest.raises(DomainError, match="người khác cập nhật"):
        services.publish_article(actor=personas.officer, article=article, version=1)
    assert Article.objects.get().title == "Tiêu đề mới"


@pytest.mark.parametrize(
    ("typed", "kept", "dropped"),
    [
        (
            '<p onclick="steal()">Xin chào<script>alert(1)</script></p>',
            "<p>Xin chào</p>",
            ["onclick", "script", "alert"],
        ),
        ('<a href="javascript:alert(1)">bấm</a>', "bấm", ["javascript"]),
        ('<a href="https://vss.gov.vn">VSS</a>', 'href="https://vss.gov.vn"', []),
        ('<img src="https://tracker.example/p.gif" alt="x">', "", ["tracker", "<img"]),
        ('<p style="position:fixed">x</p><iframe src="https://a"></iframe>', "<p>x</p>", ["style", "iframe"]),
        ("Dòng một\ndòng hai\n\nĐoạn hai & ba", "<p>Dòng một<br>dòng hai</p><p>Đoạn hai &amp; ba</p>", []),
        ("<b>Đậm</b> trong đoạn", "<p><b>Đậm</b> trong đoạn</p>", []),
    ],
)
def test_the_body_keeps_only_the_safe_subset(org, personas, typed, kept, dropped):
    body = new(personas.officer, org.a, body=typed).body
    assert kept in body
    for bad in dropped:
        assert bad not in body


def test_an_article_naming_a_withheld_person_cannot_be_published(org, personas):
    services.withhold_person(actor=personas.staff, person=org.an)
    article = new(personas.officer, org.a, body="Chúc mừng anh Nguyễn Văn An.")
    with pytest.raises(DomainError, match="Nguyễn Văn An"):
        services.publish_article(actor=personas.officer, article=article, version=article.version)
    # a name that only contains the withheld one is fine ("Nguyễn Văn Anh")
    other = new(personas.officer, org.a, body="Chúc mừng chị Nguyễn Văn Anh.")
    services.publish_article(actor=personas.officer, article=other, version=other.version)


def test_pictures_are_checked_by_content_and_stored_without_metadata(org, personas, media, settings):
    article = new(personas.officer, org.a)
    picture = services.add_image(actor=personas.officer, article=article, content=png(), alt="Lễ trao thưởng")
    assert (picture.content_type, picture.width, picture.height) == ("image/png", 40, 30)

    exif = Image.Exif()
    exif[0x0110] = "Máy ảnh bí mật"  # camera model
    out = io.BytesIO()
    Image.new("RGB", (20, 20), (0, 0, 255)).save(out, "JPEG", exif=exif)
    photo = services.add_image(
        actor=personas.officer, article=article, content=out.getvalue(), alt="Ảnh chụp"
    )
    with photo.file.open("rb") as handle:
        assert not Image.open(handle).getexif()

    with pytest.raises(DomainError, match="không phải là ảnh"):
        services.add_image(actor=personas.officer, article=article, content=b"<svg onload=alert(1)>", alt="x")
    with pytest.raises(DomainError, match="Chỉ nhận ảnh JPEG, PNG hoặc WebP"):
        out = io.BytesIO()
        Image.new("RGB", (5, 5)).save(out, "GIF")
        services.add_image(actor=personas.officer, article=article, content=out.getvalue(), alt="x")
    with pytest.raises(DomainError, match="quá lớn"):
        services.add_image(actor=personas.officer, article=article, content=png(9000, 2), alt="x")
    settings.PORTAL_IMAGE_MAX_BYTES = 100
    with pytest.raises(DomainError, match="vượt giới hạn"):
        services.add_image(actor=personas.officer, article=article, content=png(), alt="x")
    with pytest.raises(DomainError, match="mô tả"):
        services.add_image(actor=personas.officer, article=article, content=png(), alt=" ")


def test_a_picture_shows_to_visitors_once_its_article_is_published(
    org, personas, media, client_for, django_capture_on_commit_callbacks
):
    article = new(personas.officer, org.a)
    picture = services.add_image(actor=personas.officer, article=article, content=png(), alt="Ảnh")
    url = f"/anh/{picture.pk}/"
    assert Client().get(url).status_code == 404
    assert client_for(personas.officer).get(url).status_code == 200  # the writer previews it
    assert client_for(personas.outsider_officer).get(url).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_article(actor=personas.officer, article=article, version=article.version)
    response = Client().get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["Content-Security-Policy"] == "default-src 'none'"


def test_an_article_may_only_show_its_own_pictures(org, personas, media):
    first = new(personas.officer, org.a)
    picture = services.add_image(actor=personas.officer, article=first, content=png(), alt="Ảnh")
    second = new(personas.officer, org.a, body=f'<p>Xem</p><img src="/anh/{picture.pk}/" alt="Ảnh">')
    with pytest.raises(DomainError, match="ảnh không thuộc bài này"):
        services.publish_article(actor=personas.officer, article=second, version=second.version)


# -- the officers' pages -------------------------------------------------------------------------
def test_the_writing_pages_are_for_officers(org, personas, client_for):
    assert Client().get("/quan-ly-tin/").status_code == 302
    assert client_for(personas.staff).get("/quan-ly-tin/").status_code == 403
    assert client_for(personas.head).get("/quan-ly-tin/viet-bai/").status_code == 403
    article = new(personas.officer, org.a)
    assert client_for(personas.outsider_officer).get(f"/quan-ly-tin/{article.pk}/").status_code == 404
    assert "Tin thử" in client_for(personas.officer).get("/quan-ly-tin/").content.decode()


def test_writing_publishing_and_a_stale_form_through_the_pages(org, personas, client_for):
    client = client_for(personas.officer)
    response = client.post(
        "/quan-ly-tin/viet-bai/",
        {
            "kind": "tin_tuc",
            "title": "Tin từ trang",
            "summary": "Tóm tắt",
            "body": "Đoạn một.",
            "unit": org.a.pk,
        },
    )
    article = Article.objects.get(title="Tin từ trang")
    assert response["Location"] == f"/quan-ly-tin/{article.pk}/"
    form = {
        "kind": "tin_tuc",
        "title": "Sửa lần một",
        "summary": "Tóm tắt",
        "body": "Đoạn.",
        "unit": org.a.pk,
        "version": 1,
    }
    client.post(f"/quan-ly-tin/{article.pk}/", form)
    stale = client.post(f"/quan-ly-tin/{article.pk}/", {**form, "title": "Sửa từ bản cũ"}).content.decode()
    assert "người khác cập nhật" in stale and Article.objects.get().title == "Sửa lần một"
    assert "Bản xem trước" in client.get(f"/quan-ly-tin/{article.pk}/xem-truoc/").content.decode()
    client.post(f"/quan-ly-tin/{article.pk}/dang/", {"version": 2})
    assert Article.objects.get().status == Article.Status.PUBLISHED
    client.post(
        f"/quan-ly-tin/{article.pk}/dang/", {"version": "x"}
    )  # a double click: refused, no error page
    assert client.post(f"/quan-ly-tin/{article.pk}/la/", {"version": 3}).status_code == 404


def test_the_byline_is_a_name_never_a_login(org, personas):
    assert new(personas.officer, org.a).author_name == "Ban biên tập"  # a login without a name
    personas.officer.first_name, personas.officer.last_name = "Hoa", "Phạm Thị"
    personas.officer.save()
    assert new(personas.officer, org.a).author_name == "Phạm Thị Hoa"
    assert new(personas.admin, org.a).author_name == "Ban biên tập"
