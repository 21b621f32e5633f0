"""The demo's public site: the honour board built from the demo's issued decisions, a few articles
written by the demo officer (published, one draft, one withdrawn) with generated pictures, and one
person who asked not to be named, so a newcomer sees a living site and what stays private.

The texts are the demo's own (the seed scenario's letter 856/BHXH-TĐKT retold, figures from the
demo data); people and numbers are invented. Idempotent: nothing is added when articles exist.
"""

from __future__ import annotations

import io
from datetime import datetime

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from PIL import Image, ImageDraw

from thidua.accounts.models import User
from thidua.demo.extensions import after_load
from thidua.history.models import Initiative
from thidua.lib.numbers import format_number
from thidua.movements.models import Movement
from thidua.org.models import Unit
from thidua.portal import honour, services
from thidua.portal.models import Article, HonourEntry
from thidua.rules.names import award_name

ROOT_CODE = "BHXH-VN"
OFFICER = "canbo.bhxhvn"


def banner(colour: tuple[int, int, int], accent: tuple[int, int, int]) -> bytes:
    """A 1200×630 picture (the size pages share): stripes and a five-pointed star, no text."""
    image = Image.new("RGB", (1200, 630), colour)
    draw = ImageDraw.Draw(image)
    for i in range(0, 1200, 80):
        draw.polygon(
            [(i, 630), (i + 40, 630), (i + 340, 0), (i + 300, 0)],
            fill=tuple(min(255, c + 18) for c in colour),
        )
    cx, cy, outer, inner = 600, 300, 190, 76
    import math

    points = []
    for k in range(10):
        radius = outer if k % 2 == 0 else inner
        angle = -math.pi / 2 + k * math.pi / 5
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    draw.polygon(points, fill=accent)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _aware(year: int, month: int, day: int) -> datetime:
    return timezone.make_aware(datetime(year, month, day, 8, 30))


def _publish(actor: User, article: Article, when: datetime) -> Article:
    article = services.publish_article(actor=actor, article=article, version=article.version)
    Article.objects.filter(pk=article.pk).update(published_at=when, updated_at=when)  # the demo's calendar
    return article


@after_load
@transaction.atomic
def publish_demo_site() -> list[str]:
    lines = [
        f"Bảng vàng: {format_number(honour.rebuild())} dòng (quyết định đã ban hành, trừ danh hiệu đại trà)"
    ]
    root = Unit.objects.filter(code=ROOT_CODE).first()
    actor = User.objects.filter(username=OFFICER).first()
    if root is None or actor is None or Article.objects.exists():
        return lines
    movements = {m.title: m for m in Movement.objects.filter(is_public=True)}
    poor = next(
        (m for t, m in movements.items() if "vì người nghèo" in t and m.launching_unit_id == root.pk), None
    )
    regular = next((m for t, m in movements.items() if "năm 2026" in t), None)

    letter = services.create_article(
        actor=actor,
        kind=Article.Kind.NEWS,
        title="BHXH Việt Nam đẩy mạnh các phong trào thi đua do Thủ tướng Chính phủ phát động",
        summary="Công văn 856/BHXH-TĐKT ngày 21/3/2019 yêu cầu BHXH các tỉnh, thành phố và đơn vị trực thuộc "
        "gắn phong trào thi đua với nhiệm vụ chính trị của ngành.",
        body=(
            "Bảo hiểm xã hội Việt Nam đã gửi BHXH các tỉnh, thành phố và các đơn vị trực thuộc Công văn số "
            "856/BHXH-TĐKT ngày 21/3/2019 về việc đẩy mạnh thực hiện các phong trào thi đua do Thủ tướng Chính phủ "
            "phát động.\n\n"
            "Các đơn vị được yêu cầu tăng cường lãnh đạo, chỉ đạo và tuyên truyền để cán bộ, công chức, viên chức và "
            "người lao động hiểu rõ vai trò của thi đua, khen thưởng; coi thi đua yêu nước là động lực hoàn thành "
            "nhiệm vụ chính trị được giao.\n\n"
            "<h2>Chỉ tiêu cụ thể, gắn với nhiệm vụ của ngành</h2>\n"
            "<ul><li>Xây dựng chỉ tiêu thi đua cụ thể theo từng phong trào và từng đơn vị;</li>"
            "<li>Phối hợp với Ban Thi đua - Khen thưởng địa phương;</li>"
            "<li>Chủ động tổ chức các đợt thi đua chuyên đề, đột xuất.</li></ul>\n\n"
            "Ba phong trào được nêu: «Cả nước chung tay xây dựng nông thôn mới», «Cả nước chung tay vì người nghèo - "
            "Không để ai bị bỏ lại phía sau» và «Doanh nghiệp Việt Nam hội nhập và phát triển»."
        ),
        unit=root,
        movement=poor,
    )
    picture = services.add_image(
        actor=actor,
        article=letter,
        content=banner((179, 38, 30), (255, 213, 79)),
        alt="Ngôi sao vàng trên nền đỏ, biểu trưng phong trào thi đua",
    )
    letter = services.update_article(
        actor=actor, article=letter, version=letter.version, kind=letter.kind, title=letter.title,
        summary=letter.summary, body=letter.body, unit=root, movement=poor, cover=picture,
    )  # fmt: skip
    _publish(actor, letter, _aware(2019, 3, 27))
    lines.append(f"Tin đã đăng: {letter.title}")

    star = (
        HonourEntry.objects.filter(subject=HonourEntry.Subject.PERSON, hidden=False)
        .order_by("-year", "level_rank", "award_id", "pk")
        .select_related("person", "unit")
        .first()
    )
    if star is not None and star.person is not None:
        initiative = Initiative.objects.filter(person=star.person).order_by("-year").first()
        work = (
            f"sáng kiến «{initiative.title}»"
            if initiative
            else "những giải pháp cải tiến trong công việc hằng ngày"
        )
        name = award_name(star.award_id)
        story = services.create_article(
            actor=actor,
            kind=Article.Kind.STORY,
            title=f"{star.name}: {name} năm {star.year}",
            summary=f"Gương điển hình của {star.unit_name or star.province_name}: bền bỉ phục vụ người tham gia "
            f"bảo hiểm xã hội, bảo hiểm y tế và lan tỏa {work}.",
            body=(
                f"{star.name} công tác tại {star.unit_name}. Năm {star.year}, đồng chí được tặng {name} "
                f"theo Quyết định số {star.decision_number}.\n\n"
                f"Điểm nổi bật là {work}, giúp rút ngắn thời gian giải quyết hồ sơ và giảm phiền hà cho người dân. "
                "Đồng nghiệp đánh giá cao tinh thần sẵn sàng hướng dẫn, chia sẻ kinh nghiệm.\n\n"
                "<blockquote>Mỗi hồ sơ được giải quyết đúng hẹn là một người dân yên tâm hơn với chính sách.</blockquote>\n\n"
                "(Bài viết mẫu của dữ liệu minh họa: nhân vật và nội dung là giả định.)"
            ),
            unit=root,
        )
        cover = services.add_image(
            actor=actor,
            article=story,
            content=banner((11, 87, 208), (255, 213, 79)),
            alt="Ngôi sao vàng trên nền xanh",
        )
        story = services.update_article(
            actor=actor, article=story, version=story.version, kind=story.kind, title=story.title,
            summary=story.summary, body=story.body, unit=root, cover=cover,
        )  # fmt: skip
        _publish(actor, story, _aware(star.year + 1, 4, 10))
        lines.append(f"Gương điển hình đã đăng: {story.title}")

    if regular is not None:
        clusters = regular.rankings.order_by().values("cluster").distinct().count()
        launch = services.create_article(
            actor=actor,
            kind=Article.Kind.NEWS,
            title="Phát động phong trào thi đua thực hiện thắng lợi nhiệm vụ năm 2026",
            summary=f"BHXH các tỉnh, thành phố ký giao ước thi đua theo {format_number(clusters)} cụm; kết quả "
            "chấm điểm từng quý được công bố công khai.",
            body=(
                "Đầu năm 2026, Bảo hiểm xã hội Việt Nam phát động phong trào thi đua thực hiện thắng lợi nhiệm vụ "
                "chính trị năm 2026 trong toàn ngành.\n\n"
                "BHXH các tỉnh, thành phố đăng ký chỉ tiêu thi đua, tự chấm điểm theo quý; cụm thi đua thẩm định "
                "chéo và công bố xếp hạng. Xem bảng xếp hạng đã công bố trên trang phong trào.\n\n"
                "(Bảng chấm điểm dùng trong dữ liệu minh họa là ví dụ, không phải bảng chính thức của ngành.)"
            ),
            unit=root,
            movement=regular,
        )
        _publish(actor, launch, _aware(2026, 1, 12))
        lines.append(f"Tin đã đăng: {launch.title}")

    year = HonourEntry.objects.order_by("-year").values_list("year", flat=True).first()
    if year is not None:
        counts = dict(
            HonourEntry.objects.filter(year=year)
            .values_list("subject")
            .annotate(n=Count("id"))
            .values_list("subject", "n")
        )
        summary = services.create_article(
            actor=actor,
            kind=Article.Kind.NEWS,
            title=f"Tôn vinh tập thể, cá nhân tiêu biểu năm {year}",
            summary=f"{format_number(counts.get('unit', 0))} lượt tập thể và {format_number(counts.get('person', 0))} lượt "
            f"cá nhân được khen thưởng theo các quyết định đã ban hành, đăng trên bảng vàng.",
            body=(
                f"Các quyết định khen thưởng thành tích năm {year} đã được ban hành. Danh sách tập thể, cá nhân "
                'được khen thưởng đăng trên <a href="/bang-vang/">bảng vàng</a>, tra cứu được theo cấp khen thưởng, '
                "danh hiệu và tỉnh, thành phố.\n\n"
                "Theo quy định, tên người đã đề nghị không công khai sẽ không hiện trên bảng vàng."
            ),
            unit=root,
        )
        _publish(actor, summary, _aware(year + 1, 3, 2))
        lines.append(f"Tin đã đăng: {summary.title}")

    services.create_article(
        actor=actor,
        kind=Article.Kind.NEWS,
        title="(Bản nháp) Kế hoạch tuyên truyền điển hình tiên tiến năm 2027",
        summary="Bản nháp chưa đăng: khách truy cập không thấy.",
        body="Nội dung đang soạn.",
        unit=root,
    )
    wrong = services.create_article(
        actor=actor,
        kind=Article.Kind.NEWS,
        title="Thông báo lịch họp Hội đồng (đăng nhầm)",
        summary="Bài đã gỡ: khách truy cập không thấy.",
        body="Thông báo nội bộ.",
        unit=root,
    )
    wrong = _publish(actor, wrong, _aware(2026, 2, 1))
    services.withdraw_article(
        actor=actor, article=wrong, version=wrong.version, reason="Thông tin nội bộ, đăng nhầm"
    )
    lines.append("Một bản nháp và một bài đã gỡ (không hiện trên trang thông tin)")

    shy = (
        HonourEntry.objects.filter(
            subject=HonourEntry.Subject.PERSON, hidden=False, person__isnull=False, person__user__isnull=True
        )
        .exclude(person_id=star.person_id if star and star.person_id else 0)
        .order_by("pk")
        .select_related("person")
        .first()
    )
    if shy is not None and shy.person is not None:
        services.withhold_person(
            actor=actor, person=shy.person, note="Cá nhân đề nghị không công khai tên (dữ liệu mẫu)"
        )
        lines.append(f"Không công khai tên: {shy.person.full_name} (theo đề nghị, minh họa)")
    return lines
