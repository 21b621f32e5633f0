"""The case contract: malformed cases (exit 2, one line per problem naming file, path and value),
the command's output shapes, the shared example cases, the batch command."""

from __future__ import annotations

import copy
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from thidua.rules import CaseError, parse_case
from thidua.rules.cli import main
from thidua.rules.tests.helpers import case, collective, htxs, person, rating

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
LOCAL_EXAMPLES = HERE / "cases"
SHARED_EXAMPLES = REPO.parent / "shared" / "cases" / "examples"


def good() -> dict[str, Any]:
    return case(person([rating(2025), htxs(2024)]))


def mutate(path: list[Any], value: Any) -> dict[str, Any]:
    data = good()
    target = data
    for k in path[:-1]:
        target = target[k]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


def with_records(*records: dict[str, Any], **kw: Any) -> dict[str, Any]:
    data = good()
    data["subject"]["records"].extend(records)
    data.update(kw)
    return data


BAD = [
    (
        with_records({"type": "title", "year": 2024, "id": "chien_si_thi_dua_xa"}),
        "subject.records[2].id",
        "chien_si_thi_dua_xa",
    ),
    (
        with_records({"type": "rating", "year": 2031, "value": "hoan_thanh"}),
        "subject.records[2].year",
        "2031",
    ),
    (with_records({"type": "rating", "year": 2025, "value": "tot"}), "subject.records[2].value", "tot"),
    (
        with_records({"type": "rating", "year": 2023, "value": "hoan_thanh", "note": "x"}),
        "subject.records[2].note",
        "x",
    ),
    (with_records({"type": "medal", "year": 2023}), "subject.records[2].type", "medal"),
    (
        with_records({"type": "rating", "year": 2024, "value": "hoan_thanh"}),
        "subject.records[2].year",
        "2024",
    ),  # duplicate
    (
        with_records({"type": "award", "id": "lao_dong_tien_tien", "date": "2024-01-01"}),
        "subject.records[2].id",
        "lao_dong_tien_tien",
    ),
    (
        with_records({"type": "award", "id": "bang_khen_bo_tinh", "date": "2024-02-30"}),
        "subject.records[2].date",
        "2024-02-30",
    ),
    (
        with_records({"type": "initiative", "id": "S", "year": 2025, "scope": "co_so", "used_for": "abc"}),
        "subject.records[2].used_for",
        "abc",
    ),
    (
        with_records({"type": "initiative", "id": "S", "year": 2025, "scope": "quoc_te", "used_for": None}),
        "subject.records[2].scope",
        "quoc_te",
    ),
    (
        with_records({"type": "initiative", "id": "S", "year": 2025, "scope": "co_so"}),
        "subject.records[2].used_for",
        "",
    ),
    (
        with_records({"type": "leave", "from": "2025-05-01", "to": "2025-04-01", "reason": "benh"}),
        "subject.records[2].to",
        "2025-04-01",
    ),
    (
        with_records({"type": "pending", "kind": "audit", "since": "2025-05-01", "until": None}),
        "subject.records[2].kind",
        "audit",
    ),
    (
        with_records({"type": "discipline", "form": "canh_cao", "date": "2025-05-01", "until": "2025-01-01"}),
        "subject.records[2].until",
        "2025-01-01",
    ),
    (
        with_records({"type": "cluster_rank", "year": 2025, "rank": 1, "organiser": "bo_nganh_tinh"}),
        "subject.records[2].type",
        "cluster_rank",
    ),
    (mutate(["year"], "2025"), "year", '"2025"'),
    (mutate(["year"], 1800), "year", "1800"),
    (mutate(["as_of"], "2024-12-01"), "as_of", "2024-12-01"),
    (mutate(["as_of"], "15/12/2025"), "as_of", "15/12/2025"),
    (mutate(["as_of"], "2023-12-15"), "as_of", "2023-12-15"),  # before 2024: no ruleset, and before the year
    (mutate(["ruleset"], "tdkt-1999"), "ruleset", "tdkt-1999"),
    (mutate(["subject", "kind"], "robot"), "subject.kind", "robot"),
    (mutate(["subject", "kind"], KeyError), "subject.kind", ""),
    (mutate(["subject", "recruited_on"], "2026-01-01"), "subject.recruited_on", "2026-01-01"),
    (mutate(["subject", "gender"], "x"), "subject.gender", '"x"'),
    (mutate(["subject", "members"], []), "subject.members", ""),
    (mutate(["candidates"], ["khong_co"]), "candidates[0]", "khong_co"),
    (mutate(["candidates"], ["tap_the_lao_dong_xuat_sac"]), "candidates[0]", "tap_the_lao_dong_xuat_sac"),
    (mutate(["candidates"], ["huan_chuong_sao_vang"]), "candidates[0]", "huan_chuong_sao_vang"),
    (mutate(["extra"], 1), "extra", "1"),
]


@pytest.mark.parametrize(("data", "path", "value"), BAD)
def test_malformed_case_names_field_and_value(data, path, value, tmp_path):
    with pytest.raises(CaseError) as info:
        parse_case(data, source="case.json")
    assert any(p[0] == path for p in info.value.problems), info.value.problems
    f = tmp_path / "case.json"
    f.write_text(json.dumps(data), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert main(["check", str(f)], out=out, err=err) == 2
    lines = err.getvalue().splitlines()
    assert any(ln.startswith(f"{f}: {path}: ") and value in ln for ln in lines), lines
    assert out.getvalue() == ""


def test_every_problem_is_reported_not_just_the_first():
    data = with_records(
        {"type": "rating", "year": 2031, "value": "hoan_thanh"},
        {"type": "title", "year": 2024, "id": "khong_co"},
    )
    with pytest.raises(CaseError) as info:
        parse_case(data)
    assert {p[0] for p in info.value.problems} >= {"subject.records[2].year", "subject.records[3].id"}


def test_invalid_json_exits_2(tmp_path):
    f = tmp_path / "x.json"
    f.write_text("{not json", encoding="utf-8")
    err = io.StringIO()
    assert main(["check", str(f)], out=io.StringIO(), err=err) == 2
    assert err.getvalue().startswith(f"{f}: (gốc): JSON không hợp lệ")


def test_missing_file_exits_2(tmp_path):
    err = io.StringIO()
    assert main(["check", str(tmp_path / "nope.json")], out=io.StringIO(), err=err) == 2


def test_check_one_file_prints_one_document(tmp_path):
    f = tmp_path / "c.json"
    f.write_text(json.dumps(good()), encoding="utf-8")
    out = io.StringIO()
    assert main(["check", str(f)], out=out, err=io.StringIO()) == 0
    doc = json.loads(out.getvalue())
    assert set(doc) >= {"subject", "year", "as_of", "ruleset", "results"}
    assert doc["subject"] == {"kind": "individual", "id": "P1", "name": "Cá nhân P1"}
    for r in doc["results"]:
        assert set(r) >= {
            "id", "name", "verdict", "eligible", "reasons", "manual_checks", "consumes", "authority",
            "vote_threshold_pct", "prize_coefficient", "prize_vnd",
        }  # fmt: skip
        assert r["eligible"] is (r["verdict"] == "eligible")
        assert all({"ok", "text", "citation"} <= set(x) for x in r["reasons"])


def test_check_directory_prints_json_lines_and_exit_2_if_any_is_bad(tmp_path):
    (tmp_path / "a.json").write_text(json.dumps(good()), encoding="utf-8")
    (tmp_path / "b.json").write_text(json.dumps(mutate(["year"], "x")), encoding="utf-8")
    (tmp_path / "a.expected.json").write_text("{}", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert main(["check", str(tmp_path)], out=out, err=err) == 2
    assert len(out.getvalue().splitlines()) == 1
    assert "b.json: year:" in err.getvalue()


def _examples_dir() -> Path:
    return SHARED_EXAMPLES if SHARED_EXAMPLES.is_dir() else LOCAL_EXAMPLES


@pytest.mark.parametrize("directory", [LOCAL_EXAMPLES, SHARED_EXAMPLES], ids=["copy", "shared"])
def test_example_cases(directory):
    if not directory.is_dir():
        pytest.skip(f"{directory} absent (the copy in thidua/rules/tests/cases always runs)")
    import re

    names = sorted(
        p.name[: -len(".json")] for p in directory.glob("*.json") if not p.name.endswith(".expected.json")
    )
    assert len(names) >= 5
    for name in names:
        exp = json.loads((directory / f"{name}.expected.json").read_text(encoding="utf-8"))
        out, err = io.StringIO(), io.StringIO()
        code = main(["check", str(directory / f"{name}.json")], out=out, err=err)
        assert code == exp["exit"], (name, err.getvalue())
        if code:
            assert all(m in err.getvalue() for m in exp.get("stderr_mentions", [])), name
            continue
        by_id = {r["id"]: r for r in json.loads(out.getvalue())["results"]}
        for rid, want in exp["results"].items():
            got = by_id[rid]
            assert got["verdict"] == want["verdict"], (name, rid)
            cites = " ".join(r["citation"] for r in got["reasons"])
            for art in want.get("articles", []):
                assert re.search(rf"(Đ|Điều)\s*{art}(?!\d)", cites), (name, rid, art)
            if "prize_vnd" in want:
                assert got["prize_vnd"] == want["prize_vnd"]


def test_local_copy_of_examples_matches_shared():
    if not SHARED_EXAMPLES.is_dir():
        pytest.skip("shared/ absent")
    for p in SHARED_EXAMPLES.glob("*.json"):
        assert (LOCAL_EXAMPLES / p.name).read_text(encoding="utf-8") == p.read_text(encoding="utf-8"), p.name


def _batch(lines: list[str], *args: str, tmp_path: Path) -> tuple[int, list[Any], str]:
    src = tmp_path / "cases.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    dst = tmp_path / "out.jsonl"
    err = io.StringIO()
    code = main(["batch", str(src), "-o", str(dst), *args], out=io.StringIO(), err=err)
    return code, [json.loads(x) for x in dst.read_text(encoding="utf-8").splitlines()], err.getvalue()


def test_batch_full_and_summary_same_order(tmp_path):
    team = case(collective([htxs(2025)], []), candidates=["bang_khen_bo_tinh"])
    lines = [
        json.dumps(good()),
        json.dumps(case(person([rating(2025, "hoan_thanh")], ident="P2"))),
        json.dumps(team),
    ]
    code, full, _ = _batch(lines, tmp_path=tmp_path)
    assert code == 0 and [r["subject"]["id"] for r in full] == ["P1", "P2", "T1"]
    code, summary, _ = _batch(lines, "--summary", tmp_path=tmp_path)
    assert code == 0
    assert summary[0] == {"id": "P1", "verdicts": {r["id"]: r["verdict"] for r in full[0]["results"]}}
    assert summary[1]["verdicts"]["lao_dong_tien_tien"] == "not_eligible"
    assert summary[2] == {"id": "T1", "verdicts": {"bang_khen_bo_tinh": "not_eligible"}}


def test_batch_bad_line_is_reported_and_does_not_stop_the_others(tmp_path):
    bad = copy.deepcopy(good())
    bad["subject"]["records"][0]["year"] = 2031
    lines = [json.dumps(good()), json.dumps(bad), "{oops", json.dumps(good())]
    code, rows, err = _batch(lines, "--summary", tmp_path=tmp_path)
    assert code == 2
    assert rows[1]["line"] == 2 and "subject.records[0].year" in rows[1]["error"]
    assert rows[2]["line"] == 3
    assert rows[0]["id"] == rows[3]["id"] == "P1"
    assert ":2: subject.records[0].year: 2031" in err


def test_rules_package_does_not_import_django():
    code = "import sys, thidua.rules, thidua.rules.cli, thidua.rules.columnar, thidua.rules.batch; assert 'django' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)


def test_command_entry_point_runs(tmp_path):
    f = tmp_path / "c.json"
    f.write_text(json.dumps(good()), encoding="utf-8")
    p = subprocess.run(
        [sys.executable, "-m", "thidua", "eligibility", "check", str(f)],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["year"] == 2025


def test_set_changes_a_setting_and_rejects_unknown_ones(tmp_path):
    team = case(
        collective([rating(2025)], [member_of(i, i < 5) for i in range(10)]),
        candidates=["tap_the_lao_dong_tien_tien"],
    )
    f = tmp_path / "t.json"
    f.write_text(json.dumps(team), encoding="utf-8")
    out = io.StringIO()
    assert main(["check", str(f)], out=out, err=io.StringIO()) == 0
    assert json.loads(out.getvalue())["results"][0]["verdict"] == "not_eligible"  # 50% < 70%
    out = io.StringIO()
    assert main(["check", str(f), "--set", "ttldtt_min_ldtt_pct=50"], out=out, err=io.StringIO()) == 0
    assert json.loads(out.getvalue())["results"][0]["verdict"] == "eligible"
    err = io.StringIO()
    assert main(["check", str(f), "--set", "khong_co=1"], out=io.StringIO(), err=err) == 2
    assert "khong_co" in err.getvalue()
    err = io.StringIO()
    assert main(["check", str(f), "--set", "chain_gap_policy=maybe"], out=io.StringIO(), err=err) == 2
    assert "chain_gap_policy" in err.getvalue()


def member_of(i: int, ldtt: bool) -> dict[str, Any]:
    recs: list[dict[str, Any]] = [rating(2025, "hoan_thanh_tot" if ldtt else "hoan_thanh")]
    if ldtt:
        recs.append({"type": "title", "year": 2025, "id": "lao_dong_tien_tien"})
    return {"kind": "individual", "id": f"M{i}", "name": f"TV {i}", "records": recs}


def test_batch_summary_with_skip_unrated_falls_back_to_the_interpreter(tmp_path):
    recs = [
        htxs(2022),
        htxs(2024),
        htxs(2025),
        {"type": "title", "year": 2022, "id": "chien_si_thi_dua_co_so"},
    ]
    recs.append({"type": "title", "year": 2024, "id": "chien_si_thi_dua_co_so"})
    recs.append({"type": "title", "year": 2025, "id": "chien_si_thi_dua_co_so"})
    recs.append({"type": "initiative", "id": "S", "year": 2024, "scope": "bo_nganh_tinh", "used_for": None})
    line = json.dumps(case(person(recs)))
    _, plain, _ = _batch([line], "--summary", tmp_path=tmp_path)
    _, skip, _ = _batch([line], "--summary", "--set", "chain_gap_policy=skip_unrated", tmp_path=tmp_path)
    assert plain[0]["verdicts"]["chien_si_thi_dua_bo_tinh"] == "not_eligible"
    assert skip[0]["verdicts"]["chien_si_thi_dua_bo_tinh"] == "eligible"


def test_options_known_only_to_other_ruleset_versions_are_ignored():
    from thidua.rules import evaluate

    data = case(person([rating(2024)]), year=2024, as_of="2024-12-15")
    out = evaluate(data, options={"apply_min_service_rule": True}, with_forecast=False)
    assert out.ruleset == "tdkt-2024"
    with pytest.raises(ValueError, match="khong_co"):
        evaluate(data, options={"khong_co": True})


def test_records_dated_after_the_evaluation_date_are_not_in_effect():
    from thidua.rules import evaluate

    later: list[dict[str, Any]] = [
        {"type": "award", "id": "bang_khen_bo_tinh", "date": "2026-01-10"},
        {"type": "discipline", "form": "canh_cao", "date": "2026-01-05", "until": "2026-12-31"},
        {"type": "pending", "kind": "complaint", "since": "2026-01-02", "until": None},
        {"type": "leave", "from": "2026-01-01", "to": "2026-06-30", "reason": "benh"},
    ]
    out = evaluate(with_records(*later), with_forecast=False)
    assert {r.id: r.verdict for r in out.results}["lao_dong_tien_tien"] == "eligible"


@pytest.mark.parametrize("summary", [True, False])
def test_batch_in_worker_processes_keeps_order_and_line_numbers(summary):
    import random

    from thidua.rules.batch import run_batch
    from thidua.rules.tests.gen import random_individual

    rng = random.Random(5)
    lines = [json.dumps(random_individual(rng, i)) for i in range(23)]
    lines[7] = "{broken"
    lines[15] = json.dumps({**json.loads(lines[15]), "year": "x"})
    text = "\n".join(lines) + "\n"
    results = []
    for workers in (1, 2):
        out, err = io.StringIO(), io.StringIO()
        bad = run_batch(
            io.StringIO(text), out, err, source="c.jsonl", summary=summary, workers=workers, chunk_lines=4
        )
        results.append((out.getvalue(), err.getvalue(), bad))
    assert results[0] == results[1]
    out_text, err_text, bad = results[0]
    rows = [json.loads(x) for x in out_text.splitlines()]
    assert bad == 2 and len(rows) == 23
    assert rows[7]["line"] == 8 and rows[15]["line"] == 16
    assert "c.jsonl:16: year:" in err_text
