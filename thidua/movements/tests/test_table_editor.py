"""Scoring without YAML: the criteria tree as a form (add, move, remove), parameters in Vietnamese,
checklist items by label, errors next to their row, preview on sample figures, save."""

import pytest

from thidua.movements import table_editor
from thidua.movements.models import ScoringTable
from thidua.movements.tests.samples import TABLE

pytestmark = pytest.mark.django_db
pytest_plugins = ["thidua.movements.tests.fixtures"]


def _post(rows, **extra):
    data = {"rows": str(len(rows))}
    for i, r in enumerate(rows):
        data.update(
            {
                f"r{i}-depth": str(r.depth),
                f"r{i}-code": r.code,
                f"r{i}-name": r.name,
                f"r{i}-max": r.max_points,
                f"r{i}-method": r.method,
                f"r{i}-extra": "{}",
                f"r{i}-item_ids": "{}",
            }
        )
        data.update({f"r{i}-p-{k}": v for k, v in r.params.items()})
    data.update(extra)
    return data


def test_rows_round_trip_and_operations_keep_the_tree():
    rows = table_editor.rows_from_data(TABLE)
    assert [(r.depth, r.code, r.is_parent) for r in rows] == [
        (0, "I", True),
        (1, "I.1", False),
        (1, "I.2", False),
    ]
    assert rows[1].param_fields()[0][1] == "Đạt điểm tối đa khi thực hiện từ (% kế hoạch)"
    data, paths = table_editor.data_from_rows(rows, TABLE)
    assert data["criteria"] == TABLE["criteria"] and paths[2] == "criteria[0].children[1]"
    moved = table_editor.apply(rows, "up:2")
    assert [r.code for r in moved] == ["I", "I.2", "I.1"]
    added = table_editor.apply(rows, "add_child:0")
    assert [(r.depth, r.code) for r in added][-1] == (1, "I.3")
    assert [r.code for r in table_editor.apply(rows, "remove:0")] == []
    assert [r.code for r in table_editor.apply(rows, "down:0")] == ["I", "I.1", "I.2"]  # no sibling below


def test_an_officer_edits_saves_and_previews_without_yaml(client_for, root_officer, running):
    record = ScoringTable.objects.get(movement=running)
    client = client_for(root_officer)
    url = f"/phong-trao/bang-cham-diem/{record.pk}/sua/"
    page = client.get(url)
    assert (
        page.status_code == 200 and "Đạt điểm tối đa khi thực hiện từ (% kế hoạch)" in page.content.decode()
    )
    rows = table_editor.rows_from_data(record.data)
    rows[2].method, rows[2].params = "checklist", {"items": "Một cửa điện tử = 2\nChữ ký số = 2"}
    # Wrong maximum: the message stands next to the row, nothing is saved.
    rows[1].max_points = "5"
    bad = client.post(url, _post(rows, op="save"))
    assert bad.status_code == 400
    errors = {r["row"].code: r["errors"] for r in bad.context["rows"]}
    assert any("Điểm tối đa" in e for e in errors["I"])
    record.refresh_from_db()
    assert record.data["criteria"][0]["children"][1]["method"] == "boolean"
    rows[1].max_points = "6"
    preview = client.post(
        url,
        _post(
            rows,
            op="preview",
            **{"pv-I.1.actual": "95,5", "pv-I.1.target": "100", "pv-I.2.true_items": ["m1"]},
        ),
    )
    assert preview.status_code == 200 and preview.context["preview"] is not None
    # I.1: (95,5 − 90) / (100 − 90) × 6 = 3,30; I.2: the first item ticked, 2 points.
    assert str(preview.context["preview"]["total"]) == "5.30"
    saved = client.post(url, _post(rows, op="save"))
    assert saved.status_code == 302
    record.refresh_from_db()
    items = record.data["criteria"][0]["children"][1]["params"]["items"]
    assert [(i["name"], i["points"]) for i in items] == [("Một cửa điện tử", 2), ("Chữ ký số", 2)]


def test_a_province_officer_cannot_edit_the_sectors_table(client_for, personas, running):
    record = ScoringTable.objects.get(movement=running)
    assert client_for(personas.officer).get(f"/phong-trao/bang-cham-diem/{record.pk}/sua/").status_code in (
        403,
        404,
    )


def test_the_table_xlsx_round_trips_and_prints_on_a4_landscape(client_for, root_officer, running):
    from io import BytesIO

    from openpyxl import load_workbook

    from thidua.movements import scoring
    from thidua.movements.scoring_xlsx import table_from_xlsx

    record = ScoringTable.objects.get(movement=running)
    content = (
        client_for(root_officer)
        .get(f"/phong-trao/bang-cham-diem/{record.pk}/tai-ve/", {"format": "xlsx"})
        .content
    )
    sheet = load_workbook(BytesIO(content))["Tiêu chí"]
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
    assert sheet.print_title_rows == "$1:$1"
    back, stored = table_from_xlsx(content), scoring.load_table(record.data)
    assert (back.criteria, back.bonus, back.penalties) == (stored.criteria, stored.bonus, stored.penalties)
