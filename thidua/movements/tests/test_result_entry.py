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


def _api(client, url, data):
    import json

    return client.post(url, json.dumps(data), content_type="application/json")


def test_the_api_corrects_figures_and_gives_the_councils_points_through_the_same_service(
    client_for, personas, root_officer, org, table_running
):
    result = services.save_result(
        actor=personas.officer, movement=table_running, unit=org.a, year=YEAR, period="q1",
        figures={"I.1": {"actual": "100", "target": "100"}, "I.2": {"true_items": ["a"]}},
    )  # fmt: skip
    services.submit_result(actor=personas.officer, result=result)
    correct, points = f"/api/v1/results/{result.pk}/correct/", f"/api/v1/results/{result.pk}/council-points/"
    unit_side = _api(client_for(personas.officer), points, {"points": {"I.3": 9}, "reason": "tự chấm"})
    assert unit_side.status_code == 403
    assert "Chỉ cụm hoặc cấp trên" in unit_side.json()["error"]["message"]
    reviewer = client_for(root_officer)
    no_reason = _api(reviewer, correct, {"corrections": {"I.1": {"actual": 95, "target": 100}}, "reason": ""})
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["error"]["fields"]
    not_a_number = _api(
        reviewer,
        correct,
        {"corrections": {"I.1": {"actual": "chín lăm", "target": 100}}, "reason": "Đối chiếu"},
    )
    assert not_a_number.status_code == 400
    message = not_a_number.json()["error"]["fields"]["corrections.I.1.actual"][0]
    assert message.startswith("I.1 Thu BHXH") and "«chín lăm»" in message
    done = _api(
        reviewer,
        correct,
        {"corrections": {"I.1": {"actual": "95,5", "target": 100}}, "reason": "Đối chiếu quyết toán"},
    )
    assert done.status_code == 200, done.json()
    assert Decimal(done.json()["review_score"]) == Decimal("5.50") + 5
    assert Decimal(str(done.json()["score_detail"]["total"])) == Decimal("10.5")
    result.refresh_from_db()
    assert result.figures["I.1"] == {"actual": "100", "target": "100"}  # the unit's own figures stay
    assert result.review_figures["I.1"] == {"actual": "95,5", "target": 100}
    wrong_code = _api(reviewer, points, {"points": {"I.1": 5, "I.9": 1}, "reason": "Biên bản họp 15/4"})
    fields = wrong_code.json()["error"]["fields"]
    assert wrong_code.status_code == 400 and set(fields) == {"points.I.1", "points.I.9"}
    assert (
        "không phải tiêu chí do hội đồng chấm điểm (các tiêu chí do hội đồng chấm: I.3)"
        in fields["points.I.1"][0]
    )
    assert (
        "không phải là số"
        in _api(reviewer, points, {"points": {"I.3": "tám"}, "reason": "Biên bản"}).json()["error"]["fields"][
            "points.I.3"
        ][0]
    )
    too_many = _api(reviewer, points, {"points": {"I.3": "15"}, "reason": "Biên bản họp 15/4"})
    assert too_many.status_code == 400 and too_many.json()["error"]["fields"]["points.I.3"][0].startswith(
        "I.3"
    )
    read = Result.objects.get(pk=result.pk).version
    stale = _api(reviewer, points, {"points": {"I.3": "8,5"}, "reason": "Biên bản", "version": read - 1})
    assert stale.status_code == 400 and "version" in stale.json()["error"]["fields"]
    given = _api(
        reviewer, points, {"points": {"I.3": "8,5"}, "reason": "Biên bản họp hội đồng 15/4", "version": read}
    )
    assert given.status_code == 200 and given.json()["version"] == read + 1
    result.refresh_from_db()
    assert result.review_figures["I.3"] == {"value": "8,5"}
    assert result.review_score == Decimal("5.50") + 5 + Decimal("8.50")
    entries = AuditEntry.objects.filter(action="result.corrected", actor=root_officer).order_by("pk")
    assert [e.detail["reason"] for e in entries] == ["Đối chiếu quyết toán", "Biên bản họp hội đồng 15/4"]
    assert entries[1].detail["changes"] == {"I.3": {"before": None, "after": {"value": "8,5"}}}


def test_the_correction_endpoints_are_described_in_the_openapi_schema(client_for, root_officer):
    schema = client_for(root_officer).get("/api/v1/schema/", {"format": "json"}).json()
    for path, body in (
        ("/api/v1/results/{id}/correct/", "ResultCorrection"),
        ("/api/v1/results/{id}/council-points/", "CouncilPoints"),
    ):
        post = schema["paths"][path]["post"]
        assert post["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(body)
        assert "ResultScored" in str(post["responses"]["200"])
    assert set(schema["components"]["schemas"]["ResultCorrection"]["required"]) == {"corrections", "reason"}


def test_council_points_above_the_criterion_maximum_are_refused_next_to_their_field(
    client_for, personas, root_officer, org, table_running
):
    result = services.save_result(
        actor=personas.officer, movement=table_running, unit=org.a, year=YEAR, period="q1",
        figures={"I.1": {"actual": "100", "target": "100"}},
    )  # fmt: skip
    services.submit_result(actor=personas.officer, result=result)
    refused = client_for(root_officer).post(
        f"/phong-trao/ket-qua/{result.pk}/sua-so-lieu/",
        {"I.1.actual": "100", "I.1.target": "100", "I.3.value": "12", "reason": "Biên bản họp"},
    )
    assert refused.status_code == 400
    assert refused.context["correction_form"].errors["I.3.value"] == ["điểm hội đồng chấm phải từ 0 đến 10"]
    result.refresh_from_db()
    assert result.review_figures == {} and not AuditEntry.objects.filter(action="result.corrected").exists()
