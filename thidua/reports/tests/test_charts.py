"""The SVG charts: named, escaped, Vietnamese numbers, no inline style (CSP), nothing for no data."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from thidua.reports import charts

SVG = "{http://www.w3.org/2000/svg}"


def test_a_bar_chart_is_valid_svg_with_a_title_and_escaped_labels():
    svg = charts.bar_chart([("<script>alert(1)</script> & co", 1234567), ("B", 5)], title="Số lượt")
    root = ET.fromstring(svg)
    assert root.get("role") == "img" and root.findtext(f"{SVG}title") == "Số lượt"
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "1.234.567" in svg
    assert "style=" not in svg


def test_column_and_line_charts_parse_and_show_their_values():
    columns = charts.column_chart(
        ["2024", "2025"], [("Cơ sở", [3, 4]), ("Bộ, tỉnh", [1, 0])], title="Theo năm"
    )
    ET.fromstring(columns)
    assert "Cơ sở — 2025: 4" in columns and ">4<" in columns  # the 2025 column's total
    lines = charts.line_chart(["Q1", "Q2"], [("A", [1, None]), ("B", [2, 1])], title="Hạng", invert=True)
    ET.fromstring(lines)
    assert "A — Q1: 1" in lines and "B — Q2: 1" in lines


def test_no_data_draws_nothing():
    assert charts.bar_chart([], title="x") == ""
    assert charts.bar_chart([("A", 0)], title="x") == ""
    assert charts.column_chart(["2025"], [("A", [0])], title="x") == ""
    assert charts.line_chart(["2025"], [("A", [None])], title="x") == ""


def test_shares_are_written_with_a_decimal_comma():
    svg = charts.bar_chart([("Nữ", 66.67)], title="Tỷ lệ", places=1, suffix="%", max_value=100)
    assert "66,7%" in svg
