"""Rulesets as data: loading, validation with paths, settings, the "rules in force" view."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest

from thidua.rules import RulesetError, load_ruleset
from thidua.rules.ruleset import _raw_ruleset, _salary, merge
from thidua.rules.validation import build_ruleset


def raw() -> dict[str, Any]:
    return copy.deepcopy(_raw_ruleset("tdkt-2025-08"))


def item(doc: dict[str, Any], ident: str) -> dict[str, Any]:
    return next(x for x in doc["items"] if x["id"] == ident)


def broken(edit) -> list[tuple[str, str]]:
    doc = raw()
    edit(doc)
    with pytest.raises(RulesetError) as info:
        build_ruleset(doc, source="test.yaml", salary=_salary())
    return info.value.problems


def test_all_shipped_rulesets_load():
    for rid in ("tdkt-2024", "tdkt-2025-07", "tdkt-2025-08"):
        rs = load_ruleset(rid)
        assert rs.items["lao_dong_tien_tien"].citation.startswith("Luật 06/2022")


def _set(path: list[Any], value: Any):
    def edit(doc: dict[str, Any]) -> None:
        target: Any = doc
        for k in path[:-1]:
            target = (
                item({"items": target}, k) if isinstance(target, list) and isinstance(k, str) else target[k]
            )
        target[path[-1]] = value

    return edit


@pytest.mark.parametrize(
    ("edit", "path_part"),
    [
        (
            _set(
                [
                    "items",
                    "lao_dong_tien_tien",
                    "prerequisites",
                    "individual",
                    "any_of",
                    0,
                    "all_of",
                    0,
                    "rating_at_least",
                    "level",
                ],
                "gioi",
            ),
            "rating_at_least.level",
        ),
        (
            _set(
                [
                    "items",
                    "chien_si_thi_dua_bo_tinh",
                    "prerequisites",
                    "individual",
                    "all_of",
                    0,
                    "consecutive",
                    "title",
                ],
                "khong_co",
            ),
            "consecutive.title",
        ),
        (
            _set(
                [
                    "items",
                    "chien_si_thi_dua_bo_tinh",
                    "prerequisites",
                    "individual",
                    "all_of",
                    0,
                    "consecutive",
                    "count",
                ],
                0,
            ),
            "consecutive.count",
        ),
        (_set(["items", "chien_si_thi_dua_co_so", "confidence"], "MAYBE"), "confidence"),
        (
            _set(["items", "lao_dong_tien_tien", "prize", "coefficients", "individual"], "abc"),
            "prize.coefficients.individual",
        ),
        (
            _set(
                [
                    "items",
                    "tap_the_lao_dong_tien_tien",
                    "prerequisites",
                    "collective",
                    "all_of",
                    2,
                    "member_share",
                    "min_pct",
                ],
                {"setting": "khong_co"},
            ),
            "member_share.min_pct",
        ),
        (_set(["settings", "ttldtt_min_ldtt_pct", "default"], 170), "settings.ttldtt_min_ldtt_pct.default"),
        (_set(["effective_from"], "2025-13-01"), "effective_from"),
        (
            _set(["items", "lao_dong_tien_tien", "prerequisites", "individual"], {"bogus": 1}),
            "prerequisites.individual",
        ),
        (
            _set(
                ["items", "lao_dong_tien_tien", "prerequisites", "individual"],
                {"member_share": {"title": "lao_dong_tien_tien", "min_pct": 50}},
            ),
            "member_share",
        ),
        (
            _set(
                ["items", "lao_dong_tien_tien", "prerequisites", "individual"],
                {"meets": "lao_dong_tien_tien"},
            ),
            "prerequisites",
        ),  # cycle
    ],
)
def test_validation_reports_the_path(edit, path_part):
    problems = broken(edit)
    assert any(path_part in p for p, _ in problems), problems


def test_validation_reports_every_problem():
    def edit(doc):
        item(doc, "lao_dong_tien_tien")["confidence"] = "X"
        item(doc, "chien_si_thi_dua_co_so")["confidence"] = "Y"
        del doc["global_rules"]["min_service"]

    problems = broken(edit)
    assert len(problems) >= 3
    assert any(p == "global_rules.min_service" for p, _ in problems)


def test_merge_by_id_and_remove():
    base = {"items": [{"id": "a", "x": 1, "y": {"p": 1}}, {"id": "b"}], "k": 1}
    over = {"items": [{"id": "a", "y": {"q": 2}}, {"id": "b", "remove": True}, {"id": "c"}], "k": 2}
    assert merge(base, over) == {"items": [{"id": "a", "x": 1, "y": {"p": 1, "q": 2}}, {"id": "c"}], "k": 2}


def test_settings_are_validated():
    rs = load_ruleset("tdkt-2025-08")
    with pytest.raises(ValueError, match="khong_co"):
        rs.with_settings({"khong_co": True})
    with pytest.raises(ValueError, match="chain_gap_policy"):
        rs.with_settings({"chain_gap_policy": "maybe"})
    assert rs.with_settings({"ttldtt_min_ldtt_pct": 50}).settings["ttldtt_min_ldtt_pct"] == 50
    assert rs.settings["ttldtt_min_ldtt_pct"] == 70  # the original is unchanged


def test_unconfirmed_settings_are_off_by_default():
    for rid in ("tdkt-2024", "tdkt-2025-07", "tdkt-2025-08"):
        rs = load_ruleset(rid)
        for spec in rs.settings_spec.values():
            if spec.confidence == "UNCONFIRMED" and spec.type == "bool":
                assert rs.settings[spec.id] is False, (rid, spec.id)
            if spec.confidence == "UNCONFIRMED" and spec.type == "int":
                assert rs.settings[spec.id] == 0, (rid, spec.id)  # 0: the unconfirmed limit is not applied


def test_rules_in_force_page():
    rs = load_ruleset(on=date(2025, 12, 15))
    rows = {r["id"]: r for r in rs.rules_in_force()}
    for ident in (
        "lao_dong_tien_tien", "chien_si_thi_dua_co_so", "chien_si_thi_dua_bo_tinh", "chien_si_thi_dua_toan_quoc",
        "tap_the_lao_dong_tien_tien", "tap_the_lao_dong_xuat_sac", "co_thi_dua_bo_tinh", "co_thi_dua_chinh_phu",
        "bang_khen_bo_tinh", "bang_khen_thu_tuong", "huan_chuong_lao_dong_hang_ba",
    ):  # fmt: skip
        assert rows[ident]["enabled"], ident
        assert rows[ident]["criteria"], ident
    assert rows["huan_chuong_sao_vang"]["enabled"] is False
    assert "Đ23" in rows["chien_si_thi_dua_co_so"]["criteria"]["individual"]
    assert "tùy chọn ttldtt_min_ldtt_pct" not in rows["tap_the_lao_dong_tien_tien"]["criteria"]["collective"]
    assert "Từ 70%" in rows["tap_the_lao_dong_tien_tien"]["criteria"]["collective"]
    assert rows["bang_khen_thu_tuong"]["prize_coefficients"] == {
        "individual": 3.5,
        "collective": 7.0,
        "household": 5.25,
    }


def test_a_threshold_is_a_data_change():
    from thidua.rules import evaluate
    from thidua.rules.tests.helpers import case, collective, htxs, member, rating, title

    members = [member([rating(2025), title(2025, "lao_dong_tien_tien")], i) for i in range(6)]
    members += [member([rating(2025, "hoan_thanh")], 10 + i) for i in range(4)]
    members[0]["records"].append(title(2025, "chien_si_thi_dua_co_so"))
    data = case(collective([htxs(2025)], members), candidates=["tap_the_lao_dong_xuat_sac"])
    assert evaluate(data, with_forecast=False).results[0].verdict == "not_eligible"  # 60% < 70%

    doc = raw()
    share = item(doc, "tap_the_lao_dong_xuat_sac")["prerequisites"]["collective"]["all_of"][3]
    share["member_share"]["min_pct"] = 60
    custom = build_ruleset(doc, source="custom.yaml", salary=_salary())
    assert evaluate(data, ruleset=custom, with_forecast=False).results[0].verdict == "eligible"


def test_every_shipped_setting_has_a_short_vietnamese_name_and_reasons_use_it():
    """A reason names a setting by its label ("Bình xét cùng kỳ"), never by its code."""
    from thidua.rules import evaluate
    from thidua.rules.render import setting_name

    for rid in ("tdkt-2024", "tdkt-2025-07", "tdkt-2025-08"):
        rs = load_ruleset(rid)
        for key, spec in rs.settings_spec.items():
            assert spec.label_vi and "_" not in spec.label_vi, (rid, key)
            assert setting_name(rs, key) == f"“{spec.label_vi}”"
    case = {
        "as_of": "2026-01-15",
        "year": 2025,
        "subject": {
            "kind": "individual",
            "id": "P1",
            "name": "Trần Văn Hùng",
            "recruited_on": "2015-08-01",
            "records": [{"type": "rating", "year": 2025, "value": "hoan_thanh_xuat_sac"}],
        },
        "candidates": ["lao_dong_tien_tien", "chien_si_thi_dua_co_so"],
    }
    texts = [
        text
        for result in evaluate(case, with_forecast=False).results
        for text in [*result.manual_checks, *(r.text for r in result.reasons)]
    ]
    marked = [t for t in texts if "tùy chọn" in t]
    assert marked, texts  # the UNCONFIRMED readings are named ...
    codes = [k for k in load_ruleset("tdkt-2025-08").settings_spec if any(k in t for t in texts)]
    assert codes == []  # ... and never by their code
