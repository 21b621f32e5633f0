from thidua.movements import scoring
from thidua.movements.figures import column_for_issue, figure_columns, figures_from_flat, flat_from_figures
from thidua.movements.tests.samples import TABLE


def test_columns_follow_the_scoring_modules_figure_keys():
    columns = figure_columns(scoring.load_table(TABLE))
    assert [c.key for c in columns] == ["I.1.actual", "I.1.target", "I.2.value"]
    assert columns[0].label == "I.1 Thu BHXH so với kế hoạch: số thực hiện"


def test_flat_values_nest_into_figures_and_back():
    columns = figure_columns(scoring.load_table(TABLE))
    figures = figures_from_flat(columns, {"I.1.actual": " 95 ", "I.1.target": 100, "I.2.value": ""})
    assert figures == {"I.1": {"actual": "95", "target": 100}}
    assert flat_from_figures(columns, figures) == {"I.1.actual": "95", "I.1.target": 100}


def test_not_assigned_marks_the_criterion_and_is_scored_out():
    table = scoring.load_table(TABLE)
    columns = figure_columns(table)
    figures = figures_from_flat(columns, {"I.1.actual": "không giao", "I.1.target": 5, "I.2.value": "có"})
    assert figures == {"I.1": {"assigned": False}, "I.2": {"value": "có"}}
    assert scoring.score_unit(table, figures).total == 10  # normalised over the assigned criteria


def test_an_issue_points_at_its_column():
    columns = figure_columns(scoring.load_table(TABLE))
    col = column_for_issue(columns, "I.1.target")
    assert col is not None and col.key == "I.1.target"
    col = column_for_issue(columns, "I.2")
    assert col is not None and col.key == "I.2.value"
