"""The one picker (search as you type, scoped, short) and personal data on a need-to-know basis."""

from __future__ import annotations

import re
from datetime import date

import pytest
from rest_framework.authtoken.models import Token

from thidua.audit.models import AuditEntry
from thidua.org import services
from thidua.org.models import Unit
from thidua.org.pickers import LIMIT
from thidua.org.privacy import citizen_id_digest, mask_citizen_id


def options(response) -> list[str]:
    return re.findall(r'data-label="([^"]+)"', response.content.decode())


def test_mask_keeps_the_province_and_the_last_two_digits():
    assert mask_citizen_id("079088000777") == "0790******77"
    assert mask_citizen_id("") == ""


def test_the_person_picker_finds_by_name_without_diacritics_within_scope(org, personas, client_for):
    response = client_for(personas.officer).get("/to-chuc/chon/nhan-su/", {"q": "binh"})
    assert options(response) == ["Trần Thị Bình"]
    html = response.content.decode()
    assert "Phó Giám đốc" in html  # the position
    assert "no-store" in response["Cache-Control"]
    # another province's people are not offered
    assert options(client_for(personas.outsider_officer).get("/to-chuc/chon/nhan-su/", {"q": "binh"})) == []
    assert (
        client_for(personas.officer).get("/to-chuc/chon/nhan-su/", {"q": "a", "trong": org.b.pk}).status_code
        == 404
    )


def test_the_person_picker_shows_the_unit_with_its_province(org, personas, client_for):
    html = client_for(personas.officer).get("/to-chuc/chon/nhan-su/", {"q": "an"}).content.decode()
    assert "Phòng Quản lý thu · Bảo hiểm xã hội thành phố Hà Nội" in html


def test_the_picker_returns_at_most_twenty_and_says_there_are_more(org, personas, client_for):
    for i in range(LIMIT + 5):
        services.create_person(
            actor=None,
            citizen_id=f"0010850{i:05d}",
            full_name=f"Nguyễn Văn Tùng {i}",
            gender="nam",
            unit=org.a,
            date_of_birth=date(1985, 1, 1),
        )
    response = client_for(personas.officer).get("/to-chuc/chon/nhan-su/", {"q": "tung"})
    assert len(options(response)) == LIMIT and "gõ thêm" in response.content.decode()


def test_citizen_ids_are_searched_only_by_who_manages_people(org, personas, client_for):
    assert options(client_for(personas.officer).get("/to-chuc/chon/nhan-su/", {"q": "0011900"})) == [
        "Trần Thị Bình"
    ]
    for persona in ("head", "council"):
        response = client_for(getattr(personas, persona)).get("/to-chuc/chon/nhan-su/", {"q": "0011900"})
        assert options(response) == []
        page = (
            client_for(getattr(personas, persona)).get("/to-chuc/nhan-su/", {"q": "0011900"}).content.decode()
        )
        assert "Trần Thị Bình" not in page  # no probing numbers digit by digit


def test_the_unit_picker_tells_look_alikes_apart(org, personas, client_for):
    old = services.create_unit(
        actor=None, code="BHXH-08", name="BHXH tỉnh Tuyên Quang", parent=org.root, kind=Unit.Kind.BHXH_TINH
    )
    new = services.create_unit(
        actor=None, code="BHXH-08M", name="BHXH tỉnh Tuyên Quang", parent=org.root, kind=Unit.Kind.BHXH_TINH
    )
    services.merge_units(actor=None, units=[old], into=new, effective_on=date(2025, 7, 1))
    client = client_for(personas.admin)
    assert options(client.get("/to-chuc/chon/don-vi/", {"q": "tuyen quang"})) == ["BHXH tỉnh Tuyên Quang"]
    html = client.get("/to-chuc/chon/don-vi/", {"q": "tuyen quang", "ca_ngung": 1}).content.decode()
    assert "BHXH-08M" in html and "ngừng hoạt động từ 30/06/2025" in html
    assert (
        options(client.get("/to-chuc/chon/don-vi/", {"q": "tuyen quang", "nam": 2024}))
        == ["BHXH tỉnh Tuyên Quang"] * 2
    )


def test_the_council_form_sends_no_list_of_people(org, personas, client_for):
    for i in range(200):
        services.create_person(
            actor=None,
            citizen_id=f"0010850{i:05d}",
            full_name=f"Người Thứ {i}",
            gender="nam",
            unit=org.a,
            date_of_birth=date(1985, 1, 1),
        )
    html = client_for(personas.officer).get(f"/khen-thuong/hoi-dong/tao/{org.a.pk}/").content.decode()
    assert "Người Thứ" not in html and html.count("<option") < 10  # the vote rule only, no person
    assert html.count("data-picker data-name") == 4 and len(html) < 30_000


# --- Personal data -----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["head", "council"])
def test_who_does_not_manage_people_sees_the_citizen_id_masked(org, personas, client_for, persona):
    client = client_for(getattr(personas, persona))
    for url in (f"/to-chuc/nhan-su/{org.binh.pk}/", "/to-chuc/nhan-su/"):
        html = client.get(url).content.decode()
        assert org.binh.citizen_id not in html and mask_citizen_id(org.binh.citizen_id) in html
        assert "09/07/1990" not in html
    api = client.get(f"/api/v1/people/{org.binh.pk}/").json()
    assert api["citizen_id"] == "0011******46" and api["date_of_birth"] is None and api["phone"] is None
    assert api["ethnicity"] is None  # sensitive personal data
    sheet = client.get("/van-ban/xuat/nhan-su.xlsx")
    assert "no-store" in sheet["Cache-Control"]
    from io import BytesIO

    from openpyxl import load_workbook

    cells = {
        str(c.value) for row in load_workbook(BytesIO(sheet.content)).worksheets[0].iter_rows() for c in row
    }
    assert org.binh.citizen_id not in cells and "0011******46" in cells
    assert not AuditEntry.objects.filter(action="person.personal_data_viewed").exists()


def test_who_manages_people_sees_them_in_full_and_it_is_logged(org, personas, client_for):
    client = client_for(personas.officer)
    response = client.get(f"/to-chuc/nhan-su/{org.binh.pk}/")
    html = response.content.decode()
    assert org.binh.citizen_id in html and "09/07/1990" in html
    assert "no-store" in response["Cache-Control"]
    entry = AuditEntry.objects.get(action="person.personal_data_viewed")
    assert entry.actor == personas.officer and entry.object_id == str(org.binh.pk)
    assert org.binh.citizen_id not in str(entry.detail)
    token = Token.objects.create(user=personas.officer)
    api = client.get(f"/api/v1/people/{org.binh.pk}/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.json()["citizen_id"] == org.binh.citizen_id and "no-store" in api["Cache-Control"]
    assert AuditEntry.objects.filter(action="person.personal_data_viewed").count() == 2
    listed = client.get("/api/v1/people/").json()["results"]
    assert all("*" in row["citizen_id"] and row["date_of_birth"] is None for row in listed)


def test_a_search_by_citizen_id_is_not_logged_in_clear(org, personas, client_for):
    client_for(personas.officer).get("/van-ban/xuat/nhan-su.xlsx", {"q": org.binh.citizen_id})
    entry = AuditEntry.objects.get(action="document.exported")
    assert org.binh.citizen_id not in str(entry.detail)
    assert citizen_id_digest(org.binh.citizen_id) in entry.detail["query"]


def test_the_staff_member_sees_their_own_record_in_full(org, personas, client_for):
    html = client_for(personas.staff).get(f"/to-chuc/nhan-su/{org.an.pk}/").content.decode()
    assert org.an.citizen_id in html


def test_the_eligibility_api_does_not_reveal_the_citizen_id(org, personas, client_for):
    head = client_for(personas.head).get(f"/api/v1/eligibility/people/{org.binh.pk}/", {"year": 2025})
    assert head.status_code == 200 and org.binh.citizen_id not in head.content.decode()
    officer = client_for(personas.officer).get(f"/api/v1/eligibility/people/{org.binh.pk}/", {"year": 2025})
    assert org.binh.citizen_id in officer.content.decode()
    unit = client_for(personas.head).get(f"/api/v1/eligibility/units/{org.a.pk}/", {"year": 2025})
    assert org.binh.citizen_id not in unit.content.decode() and org.an.citizen_id not in unit.content.decode()
