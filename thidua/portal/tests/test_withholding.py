"""Names kept off the public pages: a person's own choice (only they lift it), an officer's decision
(only an officer in charge lifts it), audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from thidua.audit.models import AuditEntry
from thidua.core.errors import DomainError
from thidua.portal import services
from thidua.portal.models import HonourEntry, Withholding

pytestmark = pytest.mark.django_db


def test_a_person_chooses_for_themselves_on_their_own_page(site, personas, client_for):
    client = client_for(personas.staff)  # the login of Nguyễn Văn An
    assert "Tên của bạn đang hiện" in client.get("/tai-khoan/cong-khai-ten/").content.decode()
    client.post(f"/khong-cong-khai/{site.an.pk}/", {"withhold": "1", "note": "Lý do riêng", "back": "mine"})
    withholding = Withholding.objects.get(person=site.an)
    assert withholding.source == Withholding.Source.SELF and withholding.note == "Lý do riêng"
    assert not HonourEntry.objects.filter(person=site.an, hidden=False).exists()
    assert AuditEntry.objects.filter(action="publicity.withheld").count() == 1

    # the officer cannot override the person's own choice
    with pytest.raises(DomainError, match="chỉ chính họ"):
        services.release_person(actor=site.officer, person=site.an)
    client.post(f"/khong-cong-khai/{site.an.pk}/", {"withhold": "0", "back": "mine"})
    assert not Withholding.objects.exists()
    assert HonourEntry.objects.filter(person=site.an, hidden=False).exists()


def test_an_officer_withholds_someone_in_their_scope(site, personas, client_for):
    client = client_for(site.officer)
    assert "Trần Thị Bình" in client.get("/khong-cong-khai/?q=tran+thi+binh").content.decode()
    client.post(f"/khong-cong-khai/{site.binh.pk}/", {"withhold": "1", "note": "Bảo vệ an toàn"})
    assert Withholding.objects.get(person=site.binh).source == Withholding.Source.OFFICER
    with pytest.raises(PermissionDenied):
        services.withhold_person(actor=personas.outsider_officer, person=site.an)
    assert (
        client_for(personas.outsider_officer)
        .post(f"/khong-cong-khai/{site.an.pk}/", {"withhold": "1"})
        .status_code
        == 404
    )
    assert client_for(personas.staff).get("/khong-cong-khai/").status_code == 403
    with pytest.raises(DomainError, match="cán bộ quản lý"):
        services.release_person(actor=personas.staff, person=site.binh)
    services.release_person(actor=site.officer, person=site.binh)
    assert not Withholding.objects.exists()


def test_a_login_without_a_staff_record_has_no_choice_page(personas, client_for):
    assert client_for(personas.officer).get("/tai-khoan/cong-khai-ten/").status_code == 404


def test_the_officer_is_shown_published_articles_that_name_a_withheld_person(site, personas, client_for):
    services.withhold_person(actor=personas.staff, person=site.an)
    assert services.articles_naming(site.an) == [site.story]
    html = client_for(site.officer).get("/khong-cong-khai/").content.decode()
    assert "Bài đang đăng nêu tên người này" in html and site.story.title in html


def test_the_menu_offers_the_choice_only_to_accounts_with_a_staff_record(personas, client_for):
    assert "/tai-khoan/cong-khai-ten/" in client_for(personas.staff).get("/").content.decode()
    assert "/tai-khoan/cong-khai-ten/" not in client_for(personas.officer).get("/").content.decode()
