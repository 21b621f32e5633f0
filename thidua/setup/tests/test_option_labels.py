"""GIVEN the rule options page (Tùy chọn quy tắc) and the rules page (Quy định đang áp dụng) WHEN a
person reads them THEN every option value is a Vietnamese label from the ruleset's `choice_labels_vi`
(next to `choices`), never a code such as `break` or `year_after_award`."""

from __future__ import annotations

import copy
import html as html_lib
import re
from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest

from thidua.rules import RulesetError, load_ruleset
from thidua.rules.ruleset import _raw_ruleset, _salary
from thidua.rules.validation import build_ruleset

pytestmark = pytest.mark.django_db


def _text(page: str) -> str:
    """What a person reads: the page without tags, attributes and scripts."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", page))


def _codes() -> list[str]:
    """The codes of every choice of every setting of the rulesets."""
    codes = set()
    for on in (date(2025, 6, 30), date(2026, 1, 1)):
        for spec in load_ruleset(on=on).settings_spec.values():
            codes |= {str(c) for c in spec.choices or () if isinstance(c, str) and c.isidentifier()}
    return sorted(codes)


def test_every_choice_has_a_vietnamese_label() -> None:
    rs = load_ruleset(on=date(2025, 6, 30))
    for spec in rs.settings_spec.values():
        if spec.choices:
            assert [c for c, _ in spec.choice_labels] == list(spec.choices), spec.id
            assert all(label and label != str(c) for c, label in spec.choice_labels), spec.id
    assert (
        rs.settings_spec["chain_gap_policy"].choice_label("break") == "Năm không có danh hiệu làm đứt chuỗi"
    )
    assert {"break", "skip_unrated", "year_after_award", "award_year"} <= set(_codes())


@pytest.mark.parametrize(
    "url", ["/thiet-lap/tuy-chon-quy-tac/", "/xet-khen-thuong/quy-dinh/?ngay=2025-06-30"]
)
def test_no_raw_option_code_on_the_pages(
    url: str, org: SimpleNamespace, personas: SimpleNamespace, client_for: Any
) -> None:
    page = client_for(personas.admin).get(url)
    assert page.status_code == 200
    text = _text(page.content.decode())
    for code in _codes():
        assert not re.search(rf"\b{code}\b", text), (url, code)
    assert "Từ năm sau năm được khen" in text  # the default of since_award_window_starts, as words
    assert "Từ tỷ lệ đó trở lên" in text


def test_a_ruleset_whose_choice_has_no_label_is_refused() -> None:
    raw = copy.deepcopy(_raw_ruleset("tdkt-2024"))
    raw["settings"]["chain_gap_policy"]["choice_labels_vi"].pop("skip_unrated")
    with pytest.raises(RulesetError) as info:
        build_ruleset(raw, source="test.yaml", salary=_salary())
    assert any("skip_unrated" in message for _, message in info.value.problems)
