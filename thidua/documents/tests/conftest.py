"""Fixtures of the Django-side document tests. Nothing here is autouse, so the pure renderer tests
still run without Django (`pytest thidua/documents -p no:django`)."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def awards(org: SimpleNamespace) -> SimpleNamespace:
    """Decision 07/QĐ-BHXH of province A (Giấy khen to An and Bình, 300.000 đồng each), the same number
    reused by province B for Cường, and a title history for An."""
    from thidua.awards.models import AwardRecord, Rating

    def award(**kwargs: Any) -> AwardRecord:
        defaults: dict[str, Any] = {
            "kind": AwardRecord.Kind.FORM,
            "award_id": "giay_khen",
            "year": 2025,
            "decided_on": date(2026, 1, 5),
            "decision_number": "07/QĐ-BHXH",
            "decided_by": "Giám đốc Bảo hiểm xã hội thành phố Hà Nội",
            "prize_vnd": 300_000,
        }
        defaults.update(kwargs)
        return AwardRecord.objects.create(**defaults)

    an = award(person=org.an)
    binh = award(person=org.binh)
    cuong = award(person=org.cuong, decided_on=date(2026, 1, 9), decided_by="Giám đốc BHXH TP.HCM")
    award(
        person=org.an,
        kind=AwardRecord.Kind.TITLE,
        award_id="lao_dong_tien_tien",
        year=2024,
        decided_on=date(2024, 12, 20),
        decision_number="120/QĐ-BHXH",
        prize_vnd=None,
    )
    Rating.objects.create(person=org.an, year=2024, value="hoan_thanh_xuat_sac")
    Rating.objects.create(person=org.an, year=2025, value="hoan_thanh_tot")
    return SimpleNamespace(an=an, binh=binh, cuong=cuong)
