"""GIVEN the organisation's rule options page (Quy định › Tùy chọn quy tắc) WHEN an administrator
opens and saves it THEN every reading law.md marks UNCONFIRMED shows "Chưa xác nhận" and starts off,
and the four "within N years" windows the law does not state (issue 10: CSTĐCS Luật 06/2022 Đ23,
CSTĐ bộ/tỉnh Đ22, CSTĐ toàn quốc Đ21, Bằng khen Đ74 k1 d) are whole numbers where 0 is "không giới hạn"."""

from __future__ import annotations

import re
from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest

from thidua.eligibility.models import RuleOptions
from thidua.eligibility.services import ruleset_on
from thidua.rules import load_ruleset

pytestmark = pytest.mark.django_db
URL = "/thiet-lap/tuy-chon-quy-tac/"
WINDOWS = (
    "cstdcs_initiative_window_years",
    "cstd_bo_tinh_initiative_window_years",
    "cstd_toan_quoc_initiative_window_years",
    "bk_bo_tinh_initiative_window_years",
)


def _rows(html: str) -> dict[str, str]:
    """Each option's row of the form, by setting id."""
    return {
        m.group(2): m.group(0)
        for m in re.finditer(
            r'<div class="form-row[^"]*" data-confidence="(\w+)">.*?name="opt_(\w+)".*?</div>', html, re.S
        )
    }


def _form(html: str) -> dict[str, str]:
    """The form as the browser would send it unchanged (checked boxes, selected options, values)."""
    data: dict[str, str] = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        if not name or name.group(1) == "csrfmiddlewaretoken":
            continue
        if 'type="checkbox"' in tag:
            if "checked" in tag:
                data[name.group(1)] = "on"
            continue
        value = re.search(r'value="([^"]*)"', tag)
        data[name.group(1)] = value.group(1) if value else ""
    for name, body in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        data[name] = chosen.group(1) if chosen else ""
    return {k: v.replace("&gt;", ">").replace("&lt;", "<") for k, v in data.items()}


def test_every_unconfirmed_option_is_marked_and_off_and_windows_are_numbers(
    org: SimpleNamespace, personas: SimpleNamespace, client_for: Any
) -> None:
    page = client_for(personas.admin).get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    rows = _rows(html)
    ruleset = load_ruleset(on=date.today())
    assert set(rows) == set(ruleset.settings_spec)
    for key, spec in ruleset.settings_spec.items():
        if spec.confidence != "UNCONFIRMED":
            continue
        assert "Chưa xác nhận" in rows[key], key
        if spec.type == "bool":
            assert "checked" not in rows[key] and "Mặc định: Tắt" in rows[key], key
    for key in WINDOWS:
        assert 'type="number"' in rows[key] and 'value="0"' in rows[key], key
        assert "Mặc định: Không giới hạn" in rows[key] and "0 (hoặc để trống) = không giới hạn" in rows[key]


def test_a_window_saves_as_a_number_and_0_or_blank_is_no_window(
    org: SimpleNamespace, personas: SimpleNamespace, client_for: Any
) -> None:
    admin = client_for(personas.admin)
    data = _form(admin.get(URL).content.decode())
    data.update({"opt_cstdcs_initiative_window_years": "1", "opt_bk_bo_tinh_initiative_window_years": ""})
    assert admin.post(URL, data).status_code == 302
    saved = RuleOptions.objects.get(unit=org.root).options
    assert saved == {"cstdcs_initiative_window_years": 1}  # the others keep the default: 0
    rs = ruleset_on(date(2025, 12, 31), unit=org.a)
    assert (
        rs.settings["cstdcs_initiative_window_years"] == 1
        and rs.settings["bk_bo_tinh_initiative_window_years"] == 0
    )
    # The rules page shows the organisation's value, not the default.
    rules = admin.get("/xet-khen-thuong/quy-dinh/?ngay=2025-12-31").content.decode()
    assert "1 năm" in rules and "Không giới hạn" in rules
    data["opt_cstdcs_initiative_window_years"] = "-1"
    refused = admin.post(URL, data)
    assert refused.status_code == 400 and RuleOptions.objects.get(unit=org.root).options == saved
