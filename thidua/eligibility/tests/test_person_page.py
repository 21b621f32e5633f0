"""GIVEN a person's history WHEN their eligibility page is opened THEN it reads as Vietnamese: the
forecast ("Dự báo năm sau") is a paragraph, not a Python dict; what is missing, the earliest year and
the prize basis are sentences; and the manual checks the law requires are on the page, UNCONFIRMED
ones flagged — Luật 06/2026/QH16 from 01/10/2026 (law.md §0, content unverified) once for every
title, NĐ 152/2025 Đ4 k3 (thematic and one-off awards do not ground higher merit awards) on the
since-award path of Bằng khen của Thủ tướng (Luật 06/2022 Đ73 k1 b)."""

from __future__ import annotations

import html as html_lib
from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest

from thidua.history.models import AwardRecord, Rating

pytestmark = pytest.mark.django_db


def _page(client: Any, person: Any, year: int) -> str:
    response = client.get(f"/xet-khen-thuong/nhan-su/{person.pk}/?nam={year}")
    assert response.status_code == 200
    return html_lib.unescape(response.content.decode())


@pytest.fixture
def career(org: SimpleNamespace) -> Any:
    """An: Bằng khen bộ/tỉnh in 2020, rated HTT 2021-2026, CSTĐCS 2023-2025."""
    AwardRecord.objects.create(
        person=org.an, kind="form", award_id="bang_khen_bo_tinh", year=2020, decided_on=date(2020, 12, 20)
    )
    for y in range(2021, 2027):
        Rating.objects.create(person=org.an, year=y, value="hoan_thanh_tot")
    for y in (2023, 2024, 2025):
        AwardRecord.objects.create(
            person=org.an,
            kind="title",
            award_id="chien_si_thi_dua_co_so",
            year=y,
            decided_on=date(y + 1, 1, 10),
        )
    return org.an


def test_the_forecast_missing_and_earliest_year_read_as_sentences(
    career: Any, personas: SimpleNamespace, client_for: Any
) -> None:
    page = _page(client_for(personas.officer), career, 2025)
    assert "{'year'" not in page and '"year":' not in page and "'eligible'" not in page
    forecast = page.split("<h3>Dự báo năm sau</h3>", 1)[1]
    assert "Năm 2026 (ngày xét 31/12/2026): dự kiến đủ điều kiện Lao động tiên tiến" in forecast
    cstd = page.split('id="ket-qua-chien_si_thi_dua_bo_tinh"', 1)[1].split('<div class="panel', 1)[0]
    assert "Còn thiếu:</strong> Để đạt Chiến sĩ thi đua bộ, ban, ngành, tỉnh còn thiếu:" in cstd
    assert "Thời điểm sớm nhất:</strong> Có thể đạt ngay năm 2025 khi bổ sung" in cstd  # an initiative
    national = page.split('id="ket-qua-chien_si_thi_dua_toan_quoc"', 1)[1].split('<div class="panel', 1)[0]
    assert "Thời điểm sớm nhất:</strong> Sớm nhất năm 2026" in national  # CSTĐ bộ/tỉnh 2025 and 2026 first
    ldtt = page.split('id="ket-qua-lao_dong_tien_tien"', 1)[1].split('<div class="panel', 1)[0]
    assert "Tiền thưởng" in ldtt and "Hệ số 0,3" in ldtt.replace("0.3", "0,3") and "mức lương cơ sở" in ldtt
    assert "Thời điểm sớm nhất" not in ldtt  # eligible now: nothing to wait for


def test_the_newer_law_and_the_thematic_awards_checks_are_on_the_page(
    career: Any, personas: SimpleNamespace, client_for: Any
) -> None:
    page = _page(client_for(personas.officer), career, 2026)  # as_of 31/12/2026, after 01/10/2026
    common = page.split('id="common-checks"', 1)[1].split("</div>", 1)[0]
    assert "Luật 06/2026/QH16" in common and "Chưa xác nhận" in common
    assert page.count("Luật 06/2026/QH16 sửa đổi") == 1  # once, not under every title
    bk = page.split('id="ket-qua-bang_khen_thu_tuong"', 1)[1].split('<div class="panel', 1)[0]
    assert "NĐ 152/2025 Đ4 k3" in bk and "chuyên đề" in bk
    before = _page(client_for(personas.officer), career, 2025)  # as_of 31/12/2025: before the new law
    assert "Luật 06/2026/QH16" not in before
