from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from thidua.audit.models import AuditEntry
from thidua.org import services

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def _at(entry_filter: dict[str, str], when: datetime) -> None:
    AuditEntry.objects.filter(**entry_filter).update(created_at=when)


def test_it_shows_labels_and_a_readable_detail(org, personas, client_for):
    services.transfer_person(actor=personas.admin, person=org.an, unit=org.a, on=datetime(2025, 7, 1).date())
    response = client_for(personas.officer).get("/nhat-ky/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Điều chuyển nhân sự" in html
    assert ">person.transferred<" not in html
    assert "Sang đơn vị" in html and "01/07/2025" in html
    assert "{&#x27;" not in html and "{'" not in html  # no raw JSON / dict
    assert f'href="/to-chuc/nhan-su/{org.an.pk}/"' in html


def test_it_filters_by_action_and_date_range(org, personas, client_for):
    _at({"action": "unit.created"}, datetime(2025, 1, 10, 9, 0, tzinfo=HCM))
    _at({"action": "person.created"}, datetime(2025, 3, 5, 23, 30, tzinfo=HCM))
    client = client_for(personas.admin)

    response = client.get("/nhat-ky/", {"action": "person.created"})
    assert {e.action for e in response.context["page"]} == {"person.created"}

    response = client.get("/nhat-ky/", {"date_from": "01/03/2025", "date_to": "05/03/2025"})
    assert {e.action for e in response.context["page"]} == {
        "person.created"
    }  # 23:30 local time is still 05/03
    assert 'value="01/03/2025"' in response.content.decode()

    response = client.get("/nhat-ky/", {"date_to": "31/01/2025"})
    assert {e.action for e in response.context["page"]} == {"unit.created"}


def test_it_shows_only_entries_in_scope(org, personas, client_for):
    response = client_for(personas.officer).get("/nhat-ky/")
    reprs = {e.object_repr for e in response.context["page"]}
    assert "Nguyễn Văn An" in reprs
    assert "Lê Văn Cường" not in reprs


def test_it_lists_entries_in_a_bounded_number_of_queries(
    org, personas, client_for, django_assert_max_num_queries
):
    client = client_for(personas.admin)
    with django_assert_max_num_queries(6):
        client.get("/nhat-ky/")


def test_an_invalid_date_is_reported_in_vietnamese(personas, client_for):
    response = client_for(personas.admin).get("/nhat-ky/", {"date_from": "32/13/2025"})
    assert response.status_code == 200
    assert "Ngày không hợp lệ" in response.content.decode()


def test_it_names_awards_and_formats_amounts_never_codes(org, personas, client_for):
    from thidua.audit.services import log

    log(
        "decision.issued",
        actor=personas.officer,
        obj=org.a,
        unit_path=org.a.path,
        detail={"award": "chien_si_thi_dua_co_so", "total_vnd": 43010000, "closed_early": False},
    )
    html = client_for(personas.officer).get("/nhat-ky/").content.decode()
    assert "Chiến sĩ thi đua cơ sở" in html and "43.010.000" in html
    assert "chien_si_thi_dua_co_so" not in html and "total_vnd" not in html
