"""The year-end lists where officers compare: councils, dossiers and decisions. Sorted by their columns,
filtered by unit (with its subtree), year and status with the same FilterSet as the API list and the
.xlsx; each user sees only what the access helpers give; a fixed number of queries whatever the rows."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from thidua.awards.models import Council, Decision, Dossier
from thidua.history.years import year_under_review
from thidua.org import services as org_services
from thidua.org.models import Unit

pytestmark = pytest.mark.django_db
YEAR = 2025
BK, GK, CTD = "bang_khen_bo_tinh", "giay_khen", "co_thi_dua_bo_tinh"


@pytest.fixture
def rows(org: SimpleNamespace) -> SimpleNamespace:
    """Dossiers of A (and its department), B and the root's; a council of A and one of the root; two
    decisions."""
    late = date.today() - timedelta(days=3)
    a_bk = Dossier.objects.create(
        unit=org.a, appraiser=org.root, year=YEAR, award_id=BK, status="submitted", deadline=late
    )
    a_gk = Dossier.objects.create(unit=org.a_dept, appraiser=org.a, year=YEAR, award_id=GK, status="draft")
    b_ctd = Dossier.objects.create(
        unit=org.b, appraiser=org.root, year=YEAR, award_id=CTD, status="appraised"
    )
    old = Dossier.objects.create(unit=org.a, appraiser=org.root, year=YEAR - 1, award_id=BK, status="decided")
    a_council = Council.objects.create(unit=org.a, name="Hội đồng TĐKT Hà Nội", term_from=date(2024, 1, 1))
    root_council = Council.objects.create(
        unit=org.root, name="Hội đồng TĐKT ngành", term_from=date(2020, 1, 1), term_to=date(2024, 12, 31)
    )
    issued = Decision.objects.create(
        unit=org.root, dossier=old, status="issued", number_symbol="15/QĐ-BHXH", signed_on=date(YEAR, 2, 1)
    )
    draft = Decision.objects.create(unit=org.root, dossier=b_ctd, status="draft")
    return SimpleNamespace(
        a_bk=a_bk, a_gk=a_gk, b_ctd=b_ctd, old=old, a_council=a_council, root_council=root_council,
        issued=issued, draft=draft,
    )  # fmt: skip


def _page(client: Any, url: str, **params: Any) -> Any:
    response = client.get(url, params)
    assert response.status_code == 200, response.content.decode()[:500]
    return response


def _ids(response: Any) -> list[int]:
    return [row.pk for row in response.context["page"]]


def test_dossiers_filter_by_unit_with_its_subtree_year_status_title_and_lateness(
    client_for, personas, root_officer, org, rows
):
    url = "/khen-thuong/ho-so/"
    root = client_for(root_officer)
    assert set(_ids(_page(root, url, year=YEAR))) == {rows.a_bk.pk, rows.a_gk.pk, rows.b_ctd.pk}
    assert set(_ids(_page(root, url, year=YEAR, unit=org.a.pk))) == {
        rows.a_bk.pk,
        rows.a_gk.pk,
    }  # + department
    assert set(_ids(_page(root, url, year="", unit=org.a.pk))) == {rows.a_bk.pk, rows.a_gk.pk, rows.old.pk}
    assert _ids(_page(root, url, year=YEAR, status="appraised")) == [rows.b_ctd.pk]
    assert _ids(_page(root, url, year=YEAR, award_id=CTD)) == [rows.b_ctd.pk]
    assert _ids(_page(root, url, year=YEAR, overdue="on")) == [rows.a_bk.pk]
    assert _ids(_page(root, url, year=YEAR, appraiser=org.a.pk)) == [rows.a_gk.pk]
    # Opened without a year: the year under review (an empty year means every year).
    default = _page(root, url)
    assert default.context["filter"].form["year"].value() == str(year_under_review(root_officer))
    # The province's officer sees its own (and what is sent to it), never B's.
    own = _page(client_for(personas.officer), url, year="")
    assert set(_ids(own)) == {rows.a_bk.pk, rows.a_gk.pk, rows.old.pk}
    probe = _page(client_for(personas.officer), url, year="", unit=org.b.pk)  # a unit out of reach
    assert "unit" in probe.context["filter"].form.errors and rows.b_ctd.pk not in _ids(probe)


def test_dossiers_sort_by_title_name_and_deadline_and_export_what_is_shown(
    client_for, root_officer, org, rows
):
    url = "/khen-thuong/ho-so/"
    root = client_for(root_officer)
    by_title = _ids(_page(root, url, year=YEAR, sap_xep="award"))
    assert by_title == [rows.a_bk.pk, rows.b_ctd.pk, rows.a_gk.pk]  # Bằng khen, Cờ thi đua, Giấy khen
    assert _ids(_page(root, url, year=YEAR, sap_xep="-award"))[0] == rows.a_gk.pk
    page = _page(root, url, year=YEAR, sap_xep="award").content.decode()
    assert "Bằng khen của bộ, ban, ngành, tỉnh" in page and f">{BK}<" not in page  # names, never ids
    assert 'aria-sort="ascending"' in page
    sheet = load_workbook(BytesIO(root.get(url, {"year": YEAR, "unit": org.a.pk, "format": "xlsx"}).content))
    values = [row for row in sheet.worksheets[0].iter_rows(values_only=True) if isinstance(row[0], int)]
    assert [(r[1], r[5]) for r in values] == [
        (org.a.name, "Đã trình, chờ thẩm định (quá hạn)"),
        (org.a_dept.name, "Đang lập"),
    ]
    assert str(values[0][2]).startswith("Bằng khen")


def test_councils_filter_by_unit_year_of_term_and_status(client_for, personas, root_officer, org, rows):
    url = "/khen-thuong/hoi-dong/"
    root = client_for(root_officer)
    assert set(_ids(_page(root, url))) == {rows.a_council.pk, rows.root_council.pk}
    assert _ids(_page(root, url, unit=org.a.pk)) == [rows.a_council.pk]
    assert _ids(_page(root, url, status="ended")) == [rows.root_council.pk]
    assert _ids(_page(root, url, status="active")) == [rows.a_council.pk]
    assert set(_ids(_page(root, url, year=2024))) == {rows.a_council.pk, rows.root_council.pk}
    assert _ids(_page(root, url, year=2026)) == [rows.a_council.pk]
    assert _ids(_page(root, url, sap_xep="term_from")) == [rows.root_council.pk, rows.a_council.pk]
    assert _ids(_page(client_for(personas.outsider_officer), url)) == []
    api = client_for(root_officer).get("/api/v1/councils/", {"status": "ended"}).json()
    assert [c["id"] for c in api["results"]] == [rows.root_council.pk]


def test_decisions_filter_by_the_issuing_or_proposing_unit_year_and_status(
    client_for, personas, root_officer, org, rows
):
    url = "/khen-thuong/quyet-dinh/"
    root = client_for(root_officer)
    assert set(_ids(_page(root, url, year=""))) == {rows.issued.pk, rows.draft.pk}
    assert _ids(_page(root, url, year="", unit=org.b.pk)) == [rows.draft.pk]  # proposed by B
    assert _ids(_page(root, url, year="", status="issued")) == [rows.issued.pk]
    assert _ids(_page(root, url, year=YEAR)) == [rows.draft.pk]  # the year of the achievements
    assert _ids(_page(root, url, year="", q="15/QĐ")) == [rows.issued.pk]
    assert _ids(_page(client_for(personas.officer), url, year="")) == [rows.issued.pk]  # A's dossier
    sheet = load_workbook(BytesIO(root.get(url, {"year": "", "sap_xep": "number", "format": "xlsx"}).content))
    numbers = [r[1] for r in sheet.worksheets[0].iter_rows(values_only=True) if isinstance(r[0], int)]
    assert numbers == ["(chưa cấp số)", "15/QĐ-BHXH"]
    api = root.get("/api/v1/decisions/", {"unit": org.b.pk}).json()
    assert [d["id"] for d in api["results"]] == [rows.draft.pk]


def _queries(client: Any, url: str, params: dict[str, Any]) -> int:
    with CaptureQueriesContext(connection) as run:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(run.captured_queries)


def test_the_lists_run_a_fixed_number_of_queries_whatever_the_rows(client_for, root_officer, org, rows):
    client = client_for(root_officer)
    pages = [
        ("/khen-thuong/ho-so/", {"year": ""}),
        ("/khen-thuong/hoi-dong/", {}),
        ("/khen-thuong/quyet-dinh/", {"year": ""}),
    ]
    before = [_queries(client, url, params) for url, params in pages]
    assert max(before) <= 12
    for i in range(8):
        unit = org_services.create_unit(
            actor=None, code=f"BHXH-9{i}", name=f"Bảo hiểm xã hội tỉnh số {i}", parent=org.root,
            kind=Unit.Kind.BHXH_TINH, is_legal_entity=True,
        )  # fmt: skip
        dossier = Dossier.objects.create(unit=unit, appraiser=org.root, year=YEAR, award_id=GK)
        Decision.objects.create(unit=org.root, dossier=dossier)
        Council.objects.create(unit=unit, name=f"Hội đồng số {i}", term_from=date(2025, 1, 1))
    assert [_queries(client, url, params) for url, params in pages] == before


def test_the_candidate_list_filters_by_the_subjects_unit_title_and_status(client_for, personas, org):
    from thidua.awards.models import Candidate

    def candidate(award: str, status: str, **subject: Any) -> Candidate:
        return Candidate.objects.create(
            unit=org.a, year=YEAR, award_id=award, kind="title", status=status, **subject
        )

    an = candidate("lao_dong_tien_tien", "proposed", person=org.an)  # in the department
    collective = candidate("tap_the_lao_dong_tien_tien", "confirmed", collective=org.a)
    url = f"/khen-thuong/de-nghi/{org.a.pk}/{YEAR}/"
    client = client_for(personas.officer)

    def shown(**params: Any) -> list[int]:
        response = client.get(url, params)
        assert response.status_code == 200
        return [c.pk for c, _ in response.context["active"]]

    assert set(shown()) == {an.pk, collective.pk}
    assert shown(subject_unit=org.a_dept.pk) == [an.pk]
    assert set(shown(subject_unit=org.a.pk)) == {an.pk, collective.pk}
    assert shown(status="confirmed") == [collective.pk]
    assert shown(award_id="lao_dong_tien_tien") == [an.pk]
    page = client.get(url).content.decode()
    assert 'value="deferred"' not in page.split('name="status"')[1].split("</select>")[0]
    api = client.get("/api/v1/candidates/", {"subject_unit": org.a_dept.pk}).json()
    assert [c["id"] for c in api["results"]] == [an.pk]


@pytest.mark.parametrize(
    "params",
    [
        {"year": "99999999999"},
        {"year": "abc"},
        {"year": "2025.5"},
        {"unit": "abc", "status": "<script>", "sap_xep": "-;drop"},
        {"unit": "99999999", "page": "x"},
        {"appraiser": "-1", "award_id": "khong_co", "overdue": "maybe"},
        {"q": "x" * 5000},
    ],
)
def test_bad_filters_never_break_a_list(client_for, root_officer, rows, params):
    client = client_for(root_officer)
    for url in (
        "/khen-thuong/ho-so/",
        "/khen-thuong/hoi-dong/",
        "/khen-thuong/quyet-dinh/",
        "/van-ban/viec/",
    ):
        response = client.get(url, params)
        assert response.status_code == 200, (url, params)
    assert client.get("/khen-thuong/hoi-dong/", {"year": "99999"}).context["filter"].form.errors["year"]
    api = client.get("/api/v1/dossiers/", {"year": "99999999999"})
    assert api.status_code == 400 and "year" in api.json()["error"]["fields"]
