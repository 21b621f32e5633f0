"""Decisions: the register never repeats a number, prize money with the stacking rule and totals,
revocation with its legal ground, and each person's own file."""

from __future__ import annotations

import threading
from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction

from thidua.audit.models import AuditEntry
from thidua.awards import services
from thidua.awards.models import RegisterEntry
from thidua.awards.tests.helpers import CSTDCS, YEAR, submitted_dossier
from thidua.core.errors import DomainError
from thidua.history.models import AwardRecord


def _issue(
    org: SimpleNamespace, council: SimpleNamespace, personas: SimpleNamespace, root_officer: Any
) -> Any:
    dossier, cand = submitted_dossier(org, council, personas.officer)
    services.appraise_dossier(actor=root_officer, dossier=dossier, version=2, verdicts={cand.pk: (True, "")})
    return services.issue_decision(
        actor=root_officer,
        dossier=dossier,
        version=3,
        signed_on=date(2026, 7, 3),
        signer_name="Nguyễn Văn Tổng",
        signer_title="Giám đốc",
    )


@pytest.mark.django_db
def test_it_numbers_in_sequence_per_unit_year_and_type(org: SimpleNamespace) -> None:
    with transaction.atomic():
        numbers = [
            services.allocate_number(
                unit=org.root, year=2026, doc_type="QĐ", issued_on=date(2026, 1, 2)
            ).number_symbol
            for _ in range(3)
        ]
        other = services.allocate_number(unit=org.a, year=2026, doc_type="QĐ", issued_on=date(2026, 1, 2))
        next_year = services.allocate_number(
            unit=org.root, year=2027, doc_type="QĐ", issued_on=date(2027, 1, 2)
        )
    assert numbers == ["01/QĐ-BHXH", "02/QĐ-BHXH", "03/QĐ-BHXH"]
    assert other.number == 1 and next_year.number == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        RegisterEntry.objects.create(
            unit=org.root,
            year=2026,
            doc_type="QĐ",
            number=2,
            number_symbol="02/QĐ-BHXH",
            issued_on=date(2026, 1, 2),
        )


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_it_never_duplicates_numbers_under_concurrency(org: SimpleNamespace) -> None:
    taken: list[int] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            for _ in range(5):
                with transaction.atomic():
                    entry = services.allocate_number(
                        unit=org.root, year=2026, doc_type="QĐ", issued_on=date(2026, 1, 2)
                    )
                    taken.append(entry.number)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(taken) == list(range(1, 21))


@pytest.mark.django_db
def test_it_issues_pays_and_totals(
    org: SimpleNamespace,
    personas: SimpleNamespace,
    council: SimpleNamespace,
    history: Any,
    root_officer: Any,
    client_for: Any,
) -> None:
    decision = _issue(org, council, personas, root_officer)
    award = decision.awards.get()
    assert award.prize_vnd == 2_530_000  # 1.0 × 2,530,000 from 1 July 2026
    totals = services.prize_totals(decision)
    assert [(t.unit, t.count, t.total_vnd) for t in totals] == [("Phòng Quản lý thu", 1, 2_530_000)]
    page = client_for(root_officer).get(f"/khen-thuong/quyet-dinh/{decision.pk}/").content.decode()
    assert "01/QĐ-BHXH" in page and "Phòng Quản lý thu" in page
    assert AuditEntry.objects.get(action="decision.issued").detail["total_vnd"] == 2_530_000


def _earlier_title(org: SimpleNamespace, award_id: str, decided_on: date, prize_vnd: int | None) -> None:
    """A title An already holds for the year under decision (with its prize, or None: imported without)."""
    AwardRecord.objects.create(
        person=org.an, kind="title", award_id=award_id, year=YEAR, decided_on=decided_on, prize_vnd=prize_vnd
    )


@pytest.mark.django_db
def test_it_pays_only_the_highest_title_of_the_same_period(
    org: SimpleNamespace, personas: SimpleNamespace, council: SimpleNamespace, history: Any, root_officer: Any
) -> None:
    _earlier_title(org, "lao_dong_tien_tien", date(2026, 1, 5), 710_000)
    decision = _issue(org, council, personas, root_officer)
    award = decision.awards.get()
    assert award.prize_vnd == 2_530_000 - 710_000
    assert "chênh lệch" in award.prize_note


@pytest.mark.django_db
def test_a_lower_title_is_not_paid_again_beneath_a_higher_one_of_the_year_whose_prize_was_not_recorded(
    org: SimpleNamespace, personas: SimpleNamespace, council: SimpleNamespace, history: Any, root_officer: Any
) -> None:
    """NĐ 152/2025 Đ49 (law.md §5, CONFIRMED): titles of the same period pay only the highest. An
    imported Chiến sĩ thi đua cấp bộ of the year without its prize (3.0 × base salary) still counts:
    the Chiến sĩ thi đua cơ sở (1.0) decided after it pays nothing."""
    _earlier_title(org, "chien_si_thi_dua_bo_tinh", date(2026, 3, 2), None)
    award = _issue(org, council, personas, root_officer).awards.get()
    assert award.prize_vnd == 0
    assert "không chi thêm" in award.prize_note and "(NĐ 152/2025 Đ49)" in award.prize_note
    assert "tính theo hệ số" in award.prize_note  # the earlier prize was not recorded: estimated


def test_the_prize_rule_is_cited_from_the_ruleset_in_force_on_the_decision_day() -> None:
    from thidua.rules import load_ruleset

    def cited(on: date) -> str:
        return load_ruleset(on=on).global_rules["prize_highest_of_period"].citation

    assert cited(date(2026, 1, 5)) == "NĐ 152/2025 Đ49"
    assert cited(date(2025, 3, 1)).startswith("NĐ 98/2023")  # before NĐ 152/2025 took effect


@pytest.mark.django_db
def test_a_lower_title_without_a_recorded_prize_counts_at_its_own_amount(
    org: SimpleNamespace, personas: SimpleNamespace, council: SimpleNamespace, history: Any, root_officer: Any
) -> None:
    _earlier_title(org, "lao_dong_tien_tien", date(2026, 1, 5), None)  # 0.3 × 2,340,000 rounded up: 710,000
    award = _issue(org, council, personas, root_officer).awards.get()
    assert award.prize_vnd == 2_530_000 - 710_000  # the period's total: the higher title's prize
    assert "tính theo hệ số" in award.prize_note


@pytest.mark.django_db
def test_it_revokes_with_a_legal_ground_and_lists_what_to_recover(
    org: SimpleNamespace,
    personas: SimpleNamespace,
    council: SimpleNamespace,
    history: Any,
    root_officer: Any,
    client_for: Any,
) -> None:
    decision = _issue(org, council, personas, root_officer)
    award = decision.awards.get()
    url = f"/khen-thuong/khen-thuong/{award.pk}/thu-hoi/"
    assert client_for(personas.officer).get(url).status_code == 403  # the province did not award it
    page = client_for(root_officer).get(url).content.decode()
    assert "2530000" in page.replace(".", "") and "Bằng chứng nhận và khung Chiến sĩ thi đua cơ sở" in page
    assert "Tiền thưởng: 2.530.000 đồng" in page  # Vietnamese notation, not 2530000
    r = client_for(root_officer).post(
        url,
        {
            "clause": "b",
            "revoked_on": "2026-09-01",
            "decision_number": "15/QĐ-BHXH",
            "note": "Hồ sơ sáng kiến không đúng",
        },
    )
    assert r.status_code == 302
    award.refresh_from_db()
    assert award.revoked_on == date(2026, 9, 1) and award.revocation_clause == "b"
    assert "Đ93 k2 b" in award.revocation_ground
    entry = AuditEntry.objects.get(action="award.revoked")
    assert entry.detail["money_vnd"] == 2_530_000
    mine = client_for(personas.staff).get("/khen-thuong/cua-toi/").content.decode()
    assert "đã thu hồi" in mine
    with pytest.raises(DomainError, match="đã bị thu hồi"):
        services.revoke_award(
            actor=root_officer, award=award, clause="a", revoked_on=date(2026, 9, 2), decision_number="x"
        )


@pytest.mark.django_db
def test_staff_see_only_their_own_file(
    org: SimpleNamespace,
    personas: SimpleNamespace,
    council: SimpleNamespace,
    history: Any,
    root_officer: Any,
    client_for: Any,
) -> None:
    decision = _issue(org, council, personas, root_officer)
    AwardRecord.objects.create(
        person=org.binh, kind="title", award_id="lao_dong_tien_tien", year=YEAR, decided_on=date(2026, 1, 5)
    )
    staff = client_for(personas.staff)
    mine = staff.get("/khen-thuong/cua-toi/").content.decode()
    assert "01/QĐ-BHXH" in mine and "Trần Thị Bình" not in mine
    assert staff.get(f"/khen-thuong/quyet-dinh/{decision.pk}/").status_code == 404
    assert staff.get(f"/khen-thuong/ho-so/{decision.dossier_id}/").status_code == 404
    binh_award = AwardRecord.objects.get(person=org.binh)
    assert staff.get(f"/khen-thuong/khen-thuong/{binh_award.pk}/thu-hoi/").status_code == 404
    assert CSTDCS in {a.award_id for a in AwardRecord.objects.filter(person=org.an)}


@pytest.mark.django_db
def test_it_prints_certificates_for_awards_not_revoked(
    org: SimpleNamespace,
    personas: SimpleNamespace,
    council: SimpleNamespace,
    history: Any,
    root_officer: Any,
    client_for: Any,
) -> None:
    import io

    from pypdf import PdfReader

    from thidua.awards.documents import certificate_records

    decision = _issue(org, council, personas, root_officer)
    records = certificate_records(decision)
    assert records[0]["recipient"] == "Ông Nguyễn Văn An"
    assert records[0]["decision"] == "Quyết định số 01/QĐ-BHXH ngày 03/07/2026"
    assert records[0]["position_unit"].endswith("Phòng Quản lý thu, Bảo hiểm xã hội thành phố Hà Nội")
    assert records[0]["book_number"] == "Số sổ: 1/1"
    r = client_for(root_officer).get(f"/khen-thuong/quyet-dinh/{decision.pk}/chung-nhan.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert len(PdfReader(io.BytesIO(r.content)).pages) == 1
    award = decision.awards.get()
    services.revoke_award(
        actor=root_officer, award=award, clause="a", revoked_on=date(2026, 9, 1), decision_number="9/QĐ-BHXH"
    )
    assert certificate_records(decision) == []


@pytest.mark.django_db
def test_the_decision_form_starts_with_the_issuing_units_head(
    org: SimpleNamespace,
    personas: SimpleNamespace,
    council: SimpleNamespace,
    history: Any,
    root_officer: Any,
    client_for: Any,
) -> None:
    from thidua.org import services as org_services
    from thidua.org.models import Person

    dossier, cand = submitted_dossier(org, council, personas.officer)
    head = Person.objects.create(citizen_id="001080000999", full_name="Lê Văn Thủ Trưởng", gender="nam")
    org_services.transfer_person(
        actor=None, person=head, unit=org.root, on=date(2020, 1, 1), title="Giám đốc"
    )
    services.appraise_dossier(actor=root_officer, dossier=dossier, version=2, verdicts={cand.pk: (True, "")})
    page = client_for(root_officer).get(f"/khen-thuong/ho-so/{dossier.pk}/").content.decode()
    assert 'name="signer_name" value="Lê Văn Thủ Trưởng"' in page
    assert 'name="signer_title" value="Giám đốc"' in page
