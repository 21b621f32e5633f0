"""The honour board names an award as its decision does: "Bằng khen của Bảo hiểm xã hội Việt Nam", never
the rulesets' generic "Bằng khen của bộ, ban, ngành, tỉnh"."""

from __future__ import annotations

import re
from datetime import date
from types import SimpleNamespace

import pytest
from django.test import Client

from thidua.history.models import AwardRecord
from thidua.reports.tests.workflow import record_issued

pytestmark = pytest.mark.django_db


def test_the_board_names_the_bang_khen_after_its_issuer(org: SimpleNamespace) -> None:
    record = AwardRecord.objects.create(
        person=org.an,
        kind=AwardRecord.Kind.FORM,
        award_id="bang_khen_bo_tinh",
        year=2025,
        decided_on=date(2026, 1, 10),
        decision_number="12/QĐ-BHXH",
        decided_by="Bảo hiểm xã hội Việt Nam",
    )
    record_issued(org.a, org.root, [record], number="12/QĐ-BHXH")  # the board shows issued decisions
    html = Client().get("/bang-vang/?nam=2025").content.decode()
    cells = re.findall(r'<td data-label="Danh hiệu">(.*?)</td>', html)
    assert cells == ["Bằng khen của Bảo hiểm xã hội Việt Nam"]  # the filter above keeps the generic name
