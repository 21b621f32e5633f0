"""Result entry and review: approved targets prefilled, checklists by label, 95,5 and 95.5, errors next
to their field, no figures before the period starts, the reviewer's corrections and the council's
points with a reason, the score breakdown on the page and in the .xlsx."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from thidua.audit.models import AuditEntry
from thidua.core.errors import DomainError
from thidua.movements import services
from thidua.movements.models import Result
from thidua.movements.tests.samples import YEAR

pytestmark = pytest.mark.django_db
pytest_plugins = ["thidua.movements.tests.fixtures"]

TABLE = {
    "meta": {"id": "bang-du-2026", "title": "Bảng đủ loại năm 2026", "period": {"year": YEAR}},
    "criteria": [
        {
            "code": "I",
            "name": "Nhiệm vụ",
            "max_points": 30,
            "children": [
                {"code": "I.1", "name": "Thu BHXH", "max_points": 10, "method": "target_ratio",
                 "params": {"full_at": 100, "zero_at": 90}},
                {"code": "I.2", "name": "Cải cách hành chính", "max_points": 10, "method": "checklist",
                 "items": [{"id": "a", "name": "Một cửa điện tử", "points": 5},
                           {"id": "b", "name": "Chữ ký số", "points": 5}]},
                {"code": "I.3", "name": "Hội đồng đánh giá", "max_points": 10, "method": "manual"},
            ],
        }
    ],
    "bonus": [{"code": "B.1", "name": "Sáng kiến cấp tỉnh", "per_event": 1, "cap": 2}],
}  # fmt: skip


@pytest.fixture
def table_running(running):
    services.save_scoring_table(actor=None, movement=running, year=YEAR, data=TABLE)
    return running


def _url(movement, unit, period="q1"):
    return f"/phong-trao/{movement.pk}/ket-qua/{YEAR}/{period}/don-vi/{unit.pk}/"


def test_the_form_prefills_approved_targets_and_shows_checklists_by_label(
    client_for, personas, root_officer, org, table_running
):
    registration = services.save_registration(
        actor=personas.officer,
        movement=table_running,
        unit=org.a,
        year=YEAR,
        targets={"I.1": "1.250,5"},
        titles=[],
    )
    services.submit_registration(actor=personas.officer, registration=registration)
    client = client_for(personas.officer)
    assert (
        "I.1.target" not in client.get(_url(table_running, org.a)).context["form"].initial
    )  # not approved yet
    services.approve_registration(actor=root_officer, registration=registration)
    response = client.get(_url(table_running, org.a))
    form = response.context["form"]
    assert form.initial["I.1.target"] == "1.250,5"
    assert "I.3.value" not in form.fields  # the council's points are the reviewer's
    html = response.content.decode()
    assert 'type="checkbox" name="I.2.true_items" value="a"' in html and "Một cửa điện tử" in html
    response = client.post(
        _url(table_running, org.a),
        {
            "I.1.actual": "1.200,25",
            "I.1.target": "1250.5",
            "I.2.true_items": ["a"],
            "B.1.n": "3",
            "submit": "1",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    result = Result.objects.get(unit=org.a)
    assert result.figures["I.2"] == {"true_items": ["a"]}
    assert result.status == Result.Status.SELF_SCORED


def test_errors_stand_next_to_their_field(client_for, personas, org, table_running):
    response = client_for(personas.officer).post(
        _url(table_running, org.a), {"I.1.actual": "95", "I.1.target": "-3", "B.1.n": "1,5"}
    )
    errors = response.context["form"].errors
    assert response.status_code == 200 and "I.1.target" in errors and "B.1.n" in errors
    assert not Result.objects.exists()


def test_no_figures_for_a_period_that_has_not_started(personas, org, table_running):
    with pytest.raises(DomainError, match="Quý IV/2026 chưa bắt đầu \\(từ 01/10/2026\\)"):
        services.save_result(
            actor=personas.officer, movement=table_running, unit=org.a, year=YEAR, period="q4",
            figures={}, today=date(YEAR, 9, 30),
        )  # fmt: skip
    services.save_result(
        actor=personas.officer, movement=table_running, unit=org.a, year=YEAR, period="q4",
        figures={"I.1": {"actual": "95,5", "target": "100"}}, today=date(YEAR, 10, 1),
    )  # fmt: skip


def test_the_reviewer_corrects_a_figure_and_gives_the_councils_points_with_a_reason(
    client_for, personas, root_officer, org, table_running
):
    result = services.save_result(
        actor=personas.officer, movement=table_running, unit=org.a, year=YEAR, period="q1",
        figures={"I.1": {"actual": "100", "target": "100"}, "I.2": {"true_items": ["a", "b"]}, "B.1": {"n": 2}},
    )  # fmt: skip
    services.submit_result(actor=personas.officer, result=result)
    result.refresh_from_db()
    # Criteria 10 + 10 + 0 (no council points yet) = 20, bonus 2: total 22, never shown as the criteria sum.
    assert result.self_score == Decimal("22.00")
    page = client_for(personas.officer).get(f"/phong-trao/ket-qua/{result.pk}/")
    parts = page.context["parts"]
    assert (Decimal(str(parts["earned"])), Decimal(str(parts["bonus"])), Decimal(str(parts["total"]))) == (
        Decimal(20),
        Decimal(2),
        Decimal(22),
    )
    assert "Cộng điểm các tiêu chí" in page.content.decode()
    assert page.context["correction_form"] is None  # the unit does not correct its own figures
    reviewer = client_for(root_officer)
    url = f"/phong-trao/ket-qua/{result.pk}/sua-so-lieu/"
    refused = reviewer.post(url, {"I.1.actual": "100", "I.1.target": "100", "I.3.value": "8,5", "reason": ""})
    assert refused.status_code == 400 and "reason" in refused.context["correction_form"].errors
    done = reviewer.post(
        url,
        {"I.1.actual": "95", "I.1.target": "100", "I.2.true_items": ["a", "b"], "I.3.value": "8,5",
         "B.1.n": "2", "reason": "Số thu đối chiếu với báo cáo quyết toán; điểm hội đồng phiên 15/4"},
    )  # fmt: skip
    assert done.status_code == 302
    result.refresh_from_db()
    assert result.figures["I.1"] == {"actual": "100", "target": "100"}  # the unit's own figures stay
    assert result.review_figures["I.3"] == {"value": "8,5"}
    assert result.review_score == Decimal("5.00") + 10 + Decimal("8.50") + 2
    entry = AuditEntry.objects.get(action="result.corrected")
    assert entry.actor == root_officer and entry.detail["reason"].startswith("Số thu đối chiếu")
    assert entry.detail["changes"]["I.1"] == {
        "before": {"actual": "100", "target": "100"},
        "after": {"actual": "95", "target": "100"},
    }
    with pytest.raises(DomainError, match="Đơn vị không tự duyệt"):
        services.correct_result(
            actor=personas.officer, result=result, corrections={"I.3": {"value": 10}}, reason="x"
        )
    sheet = load_workbook(
        BytesIO(reviewer.get(f"/phong-trao/ket-qua/{result.pk}/", {"format": "xlsx"}).content)
    ).worksheets[0]
    rows = {row[1]: row[3] for row in sheet.iter_rows(values_only=True) if row and row[1]}
    assert (
        rows["Cộng điểm các tiêu chí"] == 23.5 and rows["Cộng điểm thưởng"] == 2 and rows["TỔNG ĐIỂM"] == 25.5
    )


def test_the_excel_template_writes_a_checklist_as_text(client_for, personas, org, table_running):
    result = services.save_result(
        actor=personas.officer, movement=table_running, unit=org.a, year=YEAR, period="q1",
        figures={"I.2": {"true_items": ["a", "b"]}},
    )  # fmt: skip
    response = client_for(personas.officer).get(f"/phong-trao/{table_running.pk}/ket-qua/{YEAR}/q1/mau/")
    assert response.status_code == 200 and result.pk
    sheet = load_workbook(BytesIO(response.content)).worksheets[0]
    assert "a, b" in [c for row in sheet.iter_rows(values_only=True) for c in row]
