"""The audit log: written by services inside their transaction, read within the user's scope."""

from datetime import date

import pytest
from django.db import transaction

from thidua.audit.models import AuditEntry
from thidua.audit.services import ACTION_LABELS, action_label, log
from thidua.core.errors import DomainError
from thidua.org import services
from thidua.org.models import Unit


def test_log_records_who_what_which_object_and_detail(org, personas):
    entry = log("unit.updated", actor=personas.officer, obj=org.a, unit_path=org.a.path, detail={"k": "v"})
    entry.refresh_from_db()
    assert entry.actor == personas.officer
    assert entry.actor_name == "canbo.hn"
    assert entry.action == "unit.updated"
    assert (entry.object_type, entry.object_id, entry.object_repr) == ("org.unit", str(org.a.pk), org.a.name)
    assert entry.unit_path == org.a.path
    assert entry.detail == {"k": "v"}
    assert entry.created_at is not None


def test_a_system_action_has_no_actor(db):
    entry = log("import.committed", actor=None)
    assert entry.actor is None
    assert entry.actor_name == "hệ thống"


def test_the_entry_outlives_its_actor(org, personas):
    entry = log("unit.updated", actor=personas.officer, obj=org.a, unit_path=org.a.path)
    personas.officer.delete()
    entry.refresh_from_db()
    assert entry.actor is None
    assert entry.actor_name == "canbo.hn"


def test_a_service_failing_after_logging_leaves_no_audit_entry(org, personas):
    """split_unit creates (and logs) the new units before it finds that people still work in the old one."""
    before = AuditEntry.objects.count()
    with pytest.raises(DomainError, match="còn nhân sự"):
        services.split_unit(
            actor=personas.officer,
            unit=org.a_dept,
            parts=[services.SplitPart("THU-1", "Phòng Thu 1"), services.SplitPart("THU-2", "Phòng Thu 2")],
            effective_on=date(2025, 7, 1),
        )
    assert AuditEntry.objects.count() == before
    assert not Unit.objects.filter(code__in=["THU-1", "THU-2"]).exists()


def test_an_exception_after_log_rolls_the_entry_back(org, personas):
    with pytest.raises(RuntimeError), transaction.atomic():
        services.create_unit(actor=personas.officer, code="TMP", name="Tạm", parent=org.a)
        raise RuntimeError("hỏng giữa chừng")
    assert not AuditEntry.objects.filter(action="unit.created", detail__code="TMP").exists()
    assert not Unit.objects.filter(code="TMP").exists()


def test_services_write_the_right_action_codes(org, personas):
    officer = personas.officer
    unit = services.create_unit(actor=officer, code="BHXH-01-KT", name="Phòng Kế toán", parent=org.a)
    services.rename_unit(
        actor=officer, unit=unit, new_name="Phòng Kế hoạch - Tài chính", effective_on=date(2025, 1, 1)
    )
    services.transfer_person(
        actor=officer, person=org.an, unit=unit, on=date(2025, 2, 1), title="Kế toán viên"
    )
    services.merge_units(actor=officer, units=[org.a_dept], into=unit, effective_on=date(2025, 3, 1))
    services.update_person(actor=officer, person=org.binh, phone="0912345678")

    entries = AuditEntry.objects.filter(actor=officer).order_by("id")
    assert [e.action for e in entries] == [
        "unit.created",
        "unit.renamed",
        "person.transferred",
        "unit.merged",
        "person.updated",
    ]
    transferred = entries.get(action="person.transferred")
    assert transferred.object_id == str(org.an.pk)
    assert transferred.unit_path == unit.path
    assert transferred.detail == {
        "from": "Phòng Quản lý thu",
        "to": "Phòng Kế hoạch - Tài chính",
        "on": "2025-02-01",
        "title": "Kế toán viên",
    }
    merged = entries.get(action="unit.merged")
    assert merged.object_id == str(unit.pk)
    assert merged.detail["merged"] == ["Phòng Quản lý thu"]
    # personal data is masked in the log, which unit heads read too
    assert entries.get(action="person.updated").detail == {"changes": {"phone": ["", "*******678"]}}
    assert all(e.actor_name == "canbo.hn" for e in entries)


def test_every_action_code_written_has_a_vietnamese_label():
    for code in [
        "unit.created",
        "unit.merged",
        "unit.split",
        "unit.renamed",
        "unit.moved",
        "person.transferred",
        "account.login",
        "account.login_failed",
        "account.logout",
        "account.password_changed",
        "account.token_created",
        "account.token_regenerated",
    ]:
        assert code in ACTION_LABELS
        assert action_label(code) != code
    assert action_label("khong.biet") == "khong.biet"


# --- The audit page ------------------------------------------------------------------------------


def test_province_a_never_sees_province_b_entries(org, personas, client_for):
    services.transfer_person(
        actor=personas.outsider_officer,
        person=org.cuong,
        unit=org.b,
        on=date(2025, 1, 1),
        title="Trưởng phòng",
    )
    services.update_unit(actor=personas.officer, unit=org.a, short_name="BHXH HN")

    html_a = client_for(personas.officer).get("/nhat-ky/").content.decode()
    assert "BHXH HN" in html_a
    assert "Lê Văn Cường" not in html_a
    assert "canbo.hcm" not in html_a

    html_b = client_for(personas.outsider_officer).get("/nhat-ky/").content.decode()
    assert "Lê Văn Cường" in html_b
    assert "canbo.hcm" in html_b
    assert "BHXH HN" not in html_b
    assert "Trần Thị Bình" not in html_b


def test_the_page_filters_by_action(org, personas, client_for):
    services.update_unit(actor=personas.officer, unit=org.a, short_name="BHXH HN")
    client = client_for(personas.officer)
    html = client.get("/nhat-ky/?action=unit.updated").content.decode()
    assert "BHXH HN" in html
    assert "Trần Thị Bình" not in html


def test_the_page_does_not_query_per_row(org, personas, client_for, django_assert_max_num_queries):
    for i in range(30):
        services.update_unit(actor=personas.officer, unit=org.a, short_name=f"HN{i}")
    client = client_for(personas.officer)
    with django_assert_max_num_queries(8):
        response = client.get("/nhat-ky/")
    assert response.status_code == 200
    assert response.content.decode().count("canbo.hn") >= 30
