"""The demo gives a newcomer a living public site: past decisions issued, articles published (and
a draft and a withdrawn one kept away), the honour board and the statistics filled."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from thidua.awards.models import Decision
from thidua.portal.models import Article, HonourEntry, Withholding
from thidua.reports.models import AwardTally

pytestmark = pytest.mark.django_db


def test_the_demo_publishes_a_living_site(demo: str, db: Any) -> None:
    assert "Quyết định khen thưởng năm 2025 (đã ban hành)" in demo
    assert Decision.objects.filter(status=Decision.Status.ISSUED, dossier__year=2025).exists()
    assert AwardTally.objects.exists()
    published = list(Article.objects.published().values_list("title", flat=True))
    assert len(published) >= 3
    hidden = list(Article.objects.exclude(status=Article.Status.PUBLISHED).values_list("title", flat=True))
    assert len(hidden) == 2

    client = Client()
    home = client.get("/").content.decode()
    for title in published[:3]:
        assert (
            title in home
            or title
            in client.get("/tin-tuc/").content.decode() + client.get("/guong-dien-hinh/").content.decode()
        )
    board = client.get("/bang-vang/").content.decode()
    assert HonourEntry.objects.filter(hidden=False).exists() and "Bảng vàng năm 2025" in board
    withheld = Withholding.objects.select_related("person").get()
    assert (
        withheld.person.full_name
        not in client.get("/bang-vang/?nam=2025&q=" + withheld.person.full_name)
        .content.decode()
        .split("lượt khen thưởng")[1]
    )
    for title in hidden:
        assert title not in home
    assert "Ngành BHXH chung tay vì người nghèo" in client.get("/thong-tin-phong-trao/").content.decode()
