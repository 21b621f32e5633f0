"""Ratings: the grid through HTTP, the HTXS cap warning and setting, the all-or-nothing import."""

from __future__ import annotations

import io
from datetime import date
from types import SimpleNamespace
from typing import Any

import openpyxl
import pytest

from thidua.audit.models import AuditEntry
from thidua.awards import services
from thidua.awards.models import AwardSettings
from thidua.history.models import Rating
from thidua.org import services as org_services

YEAR = 2025


def _staff(org: SimpleNamespace, n: int) -> list[Any]:
    return [
        org_services.create_person(
            actor=None,
            citizen_id=f"00119{i:07d}",
            full_name=f"Phạm Thị Nhân Viên {i}",
            gender="nu",
            unit=org.a_dept,
            started_on=date(2018, 1, 1),
        )
        for i in range(n)
    ]


def _xlsx(rows: list[list[Any]]) -> io.BytesIO:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Số CCCD", "Họ và tên", "Mức xếp loại"])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "xep-loai.xlsx"
    return out


@pytest.mark.django_db
def test_it_warns_when_htxs_exceeds_20_percent_of_htt(
    org: SimpleNamespace, personas: SimpleNamespace, client_for: Any
) -> None:
    people = _staff(org, 19)
    values = {f"r_{p.pk}": "hoan_thanh_tot" for p in people[:15]}
    values |= {f"r_{p.pk}": "hoan_thanh_xuat_sac" for p in people[15:]}  # 4 HTXS, 15 HTT: cap 3
    client = client_for(personas.officer)
    r = client.post(f"/khen-thuong/xep-loai/{org.a_dept.pk}/{YEAR}/", values, follow=True)
    page = r.content.decode()
    assert "4/3 — vượt giới hạn 20%" in page and "đang bật" in page
    assert Rating.objects.filter(year=YEAR, value="hoan_thanh_xuat_sac").count() == 4
    entry = AuditEntry.objects.get(action="rating.saved")
    assert entry.detail["htxs_cap"] == "4/3 — vượt giới hạn 20%"


@pytest.mark.django_db
def test_it_allows_25_percent_when_the_unit_is_htxs_and_can_be_switched_off(
    org: SimpleNamespace, personas: SimpleNamespace, client_for: Any
) -> None:
    people = _staff(org, 20)
    values = {f"r_{p.pk}": "hoan_thanh_tot" for p in people[:16]}
    values |= {f"r_{p.pk}": "hoan_thanh_xuat_sac" for p in people[16:]}  # 4 HTXS, 16 HTT
    values["unit_value"] = "hoan_thanh_xuat_sac"
    client = client_for(personas.officer)
    page = client.post(f"/khen-thuong/xep-loai/{org.a_dept.pk}/{YEAR}/", values, follow=True).content.decode()
    assert "4/4 — trong giới hạn 25%" in page
    AwardSettings.objects.create(root=org.root, htxs_cap_enabled=False)
    page = client.get(f"/khen-thuong/xep-loai/{org.a_dept.pk}/{YEAR}/").content.decode()
    assert "đang tắt" in page


@pytest.mark.django_db
def test_it_imports_ratings_all_or_nothing(
    org: SimpleNamespace, personas: SimpleNamespace, client_for: Any
) -> None:
    client = client_for(personas.officer)
    url = f"/khen-thuong/xep-loai/{org.a_dept.pk}/{YEAR}/nhap/"
    bad = _xlsx(
        [
            [org.an.citizen_id, "Nguyễn Văn An", "HTXS"],
            ["079088000777", "Lê Văn Cường", "HTT"],  # another province
            [org.an.citizen_id, "Nguyễn Văn An", "xuất sắc lắm"],
        ]
    )
    r = client.post(url, {"file": bad})
    assert r.status_code == 400
    page = r.content.decode()
    assert "Không có người này trong đơn vị" in page and "Trùng với dòng 2" in page
    assert "Không phải mức xếp loại" in page and "xuất sắc lắm" in page
    assert not Rating.objects.exists()
    good = _xlsx([[org.an.citizen_id, "nguyen van an", "Hoàn thành tốt nhiệm vụ"]])
    assert client.post(url, {"file": good}).status_code == 302
    assert Rating.objects.get(person=org.an, year=YEAR).value == "hoan_thanh_tot"
    assert AuditEntry.objects.filter(action="rating.imported").exists()


@pytest.mark.django_db
def test_it_lets_only_writers_save_ratings(
    org: SimpleNamespace, personas: SimpleNamespace, client_for: Any
) -> None:
    url = f"/khen-thuong/xep-loai/{org.a_dept.pk}/{YEAR}/"
    assert client_for(personas.head).post(url, {f"r_{org.an.pk}": "hoan_thanh_tot"}).status_code == 403
    assert client_for(personas.outsider_officer).get(url).status_code == 404
    assert client_for(personas.staff).get(url).status_code == 404
    assert not Rating.objects.exists()


@pytest.mark.django_db
def test_only_the_organisation_level_changes_the_settings(
    org: SimpleNamespace, personas: SimpleNamespace, client_for: Any
) -> None:
    from conftest import _user
    from thidua.org.models import Role

    data = {
        "htxs_cap_pct": 20,
        "htxs_cap_pct_excellent_unit": 25,
        "quota_chien_si_thi_dua_co_so": "15",
        "council_quorum": "tam_muoi",
    }  # the cap checkbox left unticked: off
    url = f"/khen-thuong/thiet-lap/{org.a.pk}/"
    assert client_for(personas.officer).post(url, data).status_code == 403
    root_officer = _user("canbo.tw2", unit=org.root, role=Role.OFFICER)
    assert client_for(root_officer).post(url, data).status_code == 302
    settings = AwardSettings.objects.get(root=org.root)
    assert settings.htxs_cap_enabled is False and settings.quotas == {"chien_si_thi_dua_co_so": 15}
    assert settings.council_quorum == "tam_muoi"
    assert AuditEntry.objects.get(action="settings.updated").detail["changes"]["htxs_cap_enabled"] == [
        True,
        False,
    ]
    bad = {**data, "quota_chien_si_thi_dua_co_so": "150"}
    response = client_for(root_officer).post(url, bad)
    assert response.status_code == 400 and "100" in response.content.decode()
    assert AwardSettings.objects.get(root=org.root).quotas == {"chien_si_thi_dua_co_so": 15}


@pytest.mark.django_db
def test_the_hub_lists_the_units_a_user_runs(
    org: SimpleNamespace, personas: SimpleNamespace, client_for: Any
) -> None:
    page = client_for(personas.officer).get("/khen-thuong/?nam=2025").content.decode()
    assert "Phòng Quản lý thu" in page and f"/khen-thuong/xep-loai/{org.a_dept.pk}/2025/" in page
    assert "Thành phố Hồ Chí Minh" not in page
    head = client_for(personas.head).get("/khen-thuong/").content.decode()
    assert "/khen-thuong/xep-loai/" not in head  # reads, does not run the year-end


@pytest.mark.django_db
def test_settings_are_read_only_below_the_top_unit_and_the_service_checks_it(
    org: SimpleNamespace, personas: SimpleNamespace, client_for: Any
) -> None:
    from django.core.exceptions import PermissionDenied

    AwardSettings.objects.update_or_create(root=org.root, defaults={"quotas": {"chien_si_thi_dua_co_so": 15}})
    page = client_for(personas.officer).get(f"/khen-thuong/thiet-lap/{org.a.pk}/").content.decode()
    assert 'name="quota_' not in page and "Lưu</button>" not in page
    assert "Chiến sĩ thi đua cơ sở: 15%" in page and "chien_si_thi_dua_co_so" not in page
    with pytest.raises(PermissionDenied):
        services.update_award_settings(actor=personas.officer, root=org.root, htxs_cap_pct=90)
    assert AwardSettings.objects.get(root=org.root).htxs_cap_pct == 20
