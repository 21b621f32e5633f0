"""The year-end settings page: one quota field per title or form, typed "15" or "15,5"; saved through
the service with an audit entry in words; applied where candidates are confirmed; read-only below."""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import pytest

from thidua.audit.display import detail_lines
from thidua.audit.models import AuditEntry
from thidua.awards import services
from thidua.awards.models import AwardSettings, Candidate
from thidua.core.errors import DomainError
from thidua.history.models import Rating

YEAR = 2025
LDTT = "lao_dong_tien_tien"
CSTDCS = "chien_si_thi_dua_co_so"


def _form(**quotas: str) -> dict[str, str]:
    data = {"htxs_cap_enabled": "on", "htxs_cap_pct": "20", "htxs_cap_pct_excellent_unit": "25"}
    data["council_quorum"] = AwardSettings._meta.get_field("council_quorum").default
    return data | {f"quota_{award_id}": value for award_id, value in quotas.items()}


@pytest.mark.django_db
def test_the_form_has_one_named_row_per_title_and_no_json(
    org: SimpleNamespace, root_officer: Any, client_for: Any
) -> None:
    AwardSettings.objects.create(root=org.root, quotas={CSTDCS: 15.5})
    page = client_for(root_officer).get(f"/khen-thuong/thiet-lap/{org.root.pk}/").content.decode()
    assert "Lao động tiên tiến" in page and "Chiến sĩ thi đua cơ sở" in page and "Giấy khen" in page
    assert f'name="quota_{LDTT}"' in page and "<textarea" not in page and "{&quot;" not in page
    assert re.search(rf'name="quota_{CSTDCS}"[^>]*value="15,5"', page)
    assert "Tập thể lao động tiên tiến" not in page  # a quota is a share of people


@pytest.mark.django_db
def test_a_top_officer_saves_quotas_typed_the_vietnamese_way(
    org: SimpleNamespace, root_officer: Any, client_for: Any
) -> None:
    AwardSettings.objects.create(root=org.root, quotas={LDTT: 80})
    url = f"/khen-thuong/thiet-lap/{org.a.pk}/"
    response = client_for(root_officer).post(url, _form(**{CSTDCS: "15,5", "giay_khen": "10", LDTT: ""}))
    assert response.status_code == 302
    assert AwardSettings.objects.get(root=org.root).quotas == {CSTDCS: 15.5, "giay_khen": 10}
    entry = AuditEntry.objects.get(action="settings.updated")
    words = dict(detail_lines(entry.detail, entry.action))["Thay đổi"]
    assert "tỷ lệ tối đa theo danh hiệu: Lao động tiên tiến: 80%" in words
    assert "Chiến sĩ thi đua cơ sở: 15,5%" in words and "Giấy khen: 10%" in words
    assert "chien_si_thi_dua_co_so" not in words


@pytest.mark.parametrize(
    ("typed", "error"),
    [("150", "100"), ("-1", "0"), ("mười", "không phải là số"), ("15,555", "2")],
)
@pytest.mark.django_db
def test_bad_quotas_give_errors_next_to_the_title_and_write_nothing(
    org: SimpleNamespace, root_officer: Any, client_for: Any, typed: str, error: str
) -> None:
    AwardSettings.objects.create(root=org.root, quotas={LDTT: 80})
    url = f"/khen-thuong/thiet-lap/{org.root.pk}/"
    response = client_for(root_officer).post(url, _form(**{CSTDCS: typed, LDTT: "50"}))
    assert response.status_code == 400
    page = response.content.decode()
    assert error in page and "errorlist" in page
    assert AwardSettings.objects.get(root=org.root).quotas == {LDTT: 80}
    assert not AuditEntry.objects.filter(action="settings.updated").exists()


@pytest.mark.django_db
def test_the_service_refuses_bad_quotas_in_words(org: SimpleNamespace, root_officer: Any) -> None:
    with pytest.raises(DomainError, match="Chiến sĩ thi đua cơ sở phải từ 0 đến 100"):
        services.update_award_settings(actor=root_officer, root=org.root, quotas={CSTDCS: 101})
    with pytest.raises(DomainError, match="không phải là số"):
        services.update_award_settings(actor=root_officer, root=org.root, quotas={CSTDCS: "nhiều"})
    assert not AwardSettings.objects.exists()


@pytest.mark.django_db
def test_a_saved_decimal_quota_is_applied_when_confirming(
    org: SimpleNamespace, personas: SimpleNamespace, root_officer: Any, client_for: Any
) -> None:
    Rating.objects.create(person=org.an, year=YEAR, value="hoan_thanh_tot")
    Rating.objects.create(person=org.binh, year=YEAR, value="hoan_thanh_tot")
    url = f"/khen-thuong/thiet-lap/{org.root.pk}/"
    assert client_for(root_officer).post(url, _form(**{LDTT: "50,5"})).status_code == 302
    services.propose_candidates(actor=personas.officer, unit=org.a, year=YEAR)
    first, second = Candidate.objects.filter(award_id=LDTT).order_by("id")
    services.confirm_candidate(actor=personas.officer, candidate=first)
    with pytest.raises(DomainError, match="2/1 — vượt giới hạn 50,5%"):  # 2 people × 50,5 % → 1
        services.confirm_candidate(actor=personas.officer, candidate=second)
    page = client_for(personas.officer).get(f"/khen-thuong/de-nghi/{org.a.pk}/{YEAR}/").content.decode()
    assert "1/1 — trong giới hạn 50,5%" in page


@pytest.mark.django_db
def test_below_the_top_the_page_reads_by_name_and_refuses_a_post(
    org: SimpleNamespace, personas: SimpleNamespace, client_for: Any
) -> None:
    AwardSettings.objects.create(root=org.root, quotas={CSTDCS: 12.5})
    url = f"/khen-thuong/thiet-lap/{org.a.pk}/"
    page = client_for(personas.officer).get(url).content.decode()
    assert "Chiến sĩ thi đua cơ sở: 12,5%" in page and "quota_" not in page
    assert client_for(personas.officer).post(url, _form(**{CSTDCS: "90"})).status_code == 403
    assert client_for(personas.staff).post(url, _form(**{CSTDCS: "90"})).status_code in (403, 404)
    assert AwardSettings.objects.get(root=org.root).quotas == {CSTDCS: 12.5}
