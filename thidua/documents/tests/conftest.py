"""Fixtures of the Django-side document tests. Nothing here is autouse, so the pure renderer tests
still run without Django (`pytest thidua/documents -p no:django`)."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest


@pytest.fixture
def awards(org: SimpleNamespace) -> SimpleNamespace:
    """Decision 07/QĐ-BHXH of province A (Giấy khen to An and Bình, 300.000 đồng each), the same number
    reused by province B for Cường, and a title history for An."""
    from thidua.history.models import AwardRecord, Rating

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


def make_decision(
    unit: Any,
    records: list[Any],
    *,
    number: str,
    signed_on: date,
    signer_name: str = "",
    appraiser: Any = None,
) -> Any:
    """An issued year-end Decision granting `records` (its dossier decided), without the workflow."""
    from thidua.awards.models import Decision, DecisionAward, Dossier

    dossier = Dossier.objects.create(
        unit=unit,
        appraiser=appraiser or unit.parent or unit,
        year=records[0].year,
        award_id=records[0].award_id,
        status=Dossier.Status.DECIDED,
    )
    decision = Decision.objects.create(
        unit=unit,
        dossier=dossier,
        status=Decision.Status.ISSUED,
        number_symbol=number,
        signed_on=signed_on,
        signer_name=signer_name,
        signer_title="Giám đốc",
    )
    for record in records:
        DecisionAward.objects.create(decision=decision, award=record)
    return decision


@pytest.fixture
def decision(org: SimpleNamespace, awards: SimpleNamespace) -> Any:
    """Province A's decision 07/QĐ-BHXH (An and Bình), signed by Trần Văn Bình."""
    return make_decision(
        org.a,
        [awards.an, awards.binh],
        number="07/QĐ-BHXH",
        signed_on=date(2026, 1, 5),
        signer_name="Trần Văn Bình",
    )
