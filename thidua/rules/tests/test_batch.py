"""The strict contract (issue 10, point 6) on the command line, and the batch's fast path.

- Malformed input of every kind gives exit code 2 and one clear line, never a traceback.
- In a batch, a bad line is reported on its line and never stops the others; ``--summary`` and the full
  results agree on which lines are bad.
- The fast typed decoder accepts and refuses exactly the lines the reference parser does (same
  messages), on mutated lines; accepted lines get the verdicts of the one-case command.
"""

from __future__ import annotations

import copy
import io
import json
import random
import re
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from thidua.rules import evaluate, parse_case
from thidua.rules.batch import run_batch
from thidua.rules.case import CaseError, parse_case_json
from thidua.rules.cli import main
from thidua.rules.fastcase import decode_lines, ruleset_tables
from thidua.rules.tests.gen import random_collective, random_individual
from thidua.rules.tests.helpers import case, htxs, person, rating

REPO = Path(__file__).resolve().parents[3]


def good() -> dict[str, Any]:
    return case(person([rating(2025), htxs(2024)]))


def good_text() -> str:
    return json.dumps(good(), ensure_ascii=False)


DEEP = '{"year": 2025, "subject": ' + "[" * 200 + "]" * 200 + "}"
VERY_DEEP = '{"year": 2025, "subject": ' + "[" * 100_000 + "]" * 100_000 + "}"

MALFORMED: list[tuple[str, bytes, str]] = [
    (
        "repeated key",
        good_text().replace('{"year": 2025', '{"year": 2025, "year": 2024', 1).encode(),
        "year: khóa bị lặp",
    ),
    (
        "repeated key in a record",
        good_text()
        .replace('"type": "rating", "year": 2025', '"type": "rating", "year": 2025, "year": 2023')
        .encode(),
        "subject.records[0].year: khóa bị lặp",
    ),
    ("ISO week date", good_text().replace('"2025-12-15"', '"2025-W51-1"').encode(), "as_of"),
    ("ordinal date", good_text().replace('"2025-12-15"', '"2025-349"').encode(), "as_of"),
    ("date and time", good_text().replace('"2025-12-15"', '"2025-12-15T00:00:00"').encode(), "as_of"),
    ("as_of 9999-12-31", good_text().replace('"2025-12-15"', '"9999-12-31"').encode(), "as_of"),
    (
        "not UTF-8",
        good_text().replace("Cá nhân", "C\udce1 nh\udce2n").encode("utf-8", "surrogateescape"),
        "UTF-8",
    ),
    ("nested too deep", DEEP.encode(), "lồng quá sâu"),
    ("nested far too deep", VERY_DEEP.encode(), "lồng quá sâu"),
    ("5,000-digit integer", ('{"year": ' + "9" * 5000 + "}").encode(), "số nguyên quá dài"),
    ("NaN", good_text().replace('"year": 2025', '"year": NaN', 1).encode(), "NaN"),
    ("infinite number", good_text().replace('"year": 2025', '"year": 1e999', 1).encode(), "vượt giới hạn"),
    (
        "leave by its Python names",
        json.dumps(
            {
                **good(),
                "subject": {
                    **good()["subject"],
                    "records": [{"type": "leave", "start": "2025-01-01", "end": None, "reason": "benh"}],
                },
            }
        ).encode(),
        "subject.records[0].start",
    ),
    ("lone surrogate", good_text().replace("Cá nhân P1", "\\ud800").encode(), "subject.name"),
]


@pytest.mark.parametrize(("label", "raw", "mention"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_file_exits_2_with_one_clear_line(label, raw, mention, tmp_path):
    f = tmp_path / "case.json"
    f.write_bytes(raw)
    out, err = io.StringIO(), io.StringIO()
    assert main(["check", str(f)], out=out, err=err) == 2, label
    lines = err.getvalue().splitlines()
    if label != "leave by its Python names":  # that one has four problems: one line each
        assert len(lines) == 1, lines
    assert all(ln.startswith(f"{f}: ") for ln in lines) and any(mention in ln for ln in lines), lines
    assert out.getvalue() == ""


def _run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "thidua", "eligibility", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        input=None if stdin is None else stdin.decode(),
        timeout=120,
    )


@pytest.mark.parametrize(
    ("args", "mention"),
    [
        (["--workers", "-1"], "--workers"),
        (["--workers", "1000"], "--workers"),
        (["--workers", "x"], "--workers"),
        (["-o", "/nonexistent-dir/out.jsonl"], "không ghi được"),
        (["-o", "."], "không ghi được"),
    ],
)
def test_batch_command_line_errors_are_one_line(args, mention, tmp_path):
    src = tmp_path / "c.jsonl"
    src.write_text(good_text() + "\n", encoding="utf-8")
    p = _run("batch", str(src), *args)
    assert p.returncode == 2, p.stderr
    lines = p.stderr.splitlines()
    assert len(lines) == 1 and mention in lines[0] and "Traceback" not in p.stderr, p.stderr


def test_the_real_command_never_prints_a_traceback_on_a_malformed_case(tmp_path):
    for label, raw, _mention in MALFORMED:
        f = tmp_path / "c.json"
        f.write_bytes(raw)
        p = _run("check", str(f))
        assert p.returncode == 2 and "Traceback" not in p.stderr and p.stderr.strip(), label


# --- batch: one bad line never stops the good ones -------------------------------------------------
def _batch_lines(
    lines: list[bytes], *, summary: bool, workers: int = 1, chunk_lines: int = 3
) -> tuple[list[Any], str, int]:
    out, err = io.BytesIO(), io.StringIO()
    bad = run_batch(
        io.BytesIO(b"".join(ln + b"\n" for ln in lines)),
        out,
        err,
        source="c.jsonl",
        summary=summary,
        workers=workers,
        chunk_lines=chunk_lines,
    )
    return [json.loads(x) for x in out.getvalue().splitlines()], err.getvalue(), bad


def test_each_bad_line_is_reported_on_its_line_in_both_modes():
    good_line = good_text().encode()
    lines = [good_line]
    for _label, raw, _ in MALFORMED:
        lines += [raw.replace(b"\n", b" "), good_line]
    expected_bad = {2 * i + 2 for i in range(len(MALFORMED))}
    results = {}
    for summary in (True, False):
        rows, err, bad = _batch_lines(lines, summary=summary)
        assert bad == len(MALFORMED) and len(rows) == len(lines)
        assert {r["line"] for r in rows if "line" in r} == expected_bad
        assert all(("id" in r) if summary else ("subject" in r) for r in rows if "line" not in r)
        for n in expected_bad:
            assert re.search(rf"^c\.jsonl:{n}: ", err, re.M), (n, err)
        results[summary] = [(r["line"], r["error"]) for r in rows if "line" in r]
    assert results[True] == results[False]  # the same lines, the same messages


def test_batch_reads_a_file_with_a_bad_byte_and_keeps_going(tmp_path):
    src = tmp_path / "c.jsonl"
    src.write_bytes(good_text().encode() + b"\n" + b'{"year": \xff}\n' + good_text().encode() + b"\n")
    dst = tmp_path / "out.jsonl"
    err = io.StringIO()
    assert (
        main(["batch", str(src), "--summary", "-o", str(dst), "--workers", "1"], out=io.StringIO(), err=err)
        == 2
    )
    rows = [json.loads(x) for x in dst.read_text(encoding="utf-8").splitlines()]
    assert [("line" in r) for r in rows] == [False, True, False]
    assert f"{src}:2: (gốc): không phải văn bản UTF-8" in err.getvalue()


# --- the fast path and the reference parser agree -------------------------------------------------
def _mutations(data: dict[str, Any], rng: random.Random) -> list[str]:
    """Texts of the case, valid and not: reformatted, and with one change each."""
    compact = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    texts = [
        json.dumps(data, ensure_ascii=False),
        json.dumps(data),  # \\u escapes
        compact,
        compact.replace(":", " : ").replace(' : "', ': "'),  # white space between keys and colons
        compact.replace('{"year":', '{"year":2020,"year":', 1),
        compact.replace('"records":[{', '"records":[{"type":"rating","type":"title",', 1),
        compact.replace('"kind":', '"kind":"individual","kind":', 1),
        compact.replace('"name":"', '"name":":', 1),  # a colon inside a name
        compact.replace('"name":"', '"name":"\\u003a', 1),  # an escaped colon
        compact.replace('"name":"', '"na\\u006de":"', 1),  # an escaped key
        compact.replace('{"year":', '{"y\\u0065ar":2021,"year":', 1),  # a repeated key, escaped
        compact.replace(',"year":', ',"year":1' + "0" * 25, 1),
        compact.replace('"as_of":"', '"as_of":"1', 1),
        compact[:-1],
        compact + "x",
    ]
    d = copy.deepcopy(data)
    recs = d["subject"]["records"]
    edits = [
        lambda: d.update(as_of=f"{d['year'] - 1}-12-31"),
        lambda: d.update(as_of="2023-06-30"),
        lambda: d.update(ruleset="tdkt-2024"),
        lambda: d.update(ruleset="khong-co"),
        lambda: d.update(candidates=["lao_dong_tien_tien", "lao_dong_tien_tien"]),
        lambda: d.update(candidates=["huan_chuong_sao_vang"]),
        lambda: d.update(candidates=["giay_khen"]),
        lambda: d.update(candidates=[]),
        lambda: d.update(candidates=None),
        lambda: d["subject"].update(members=[]),
        lambda: d["subject"].update(recruited_on=f"{d['year'] + 1}-01-01"),
        lambda: d["subject"].update(recruited_on="1899-12-31"),
        lambda: d["subject"].update(gender="x"),
        lambda: recs.append({"type": "rating", "year": d["year"] + 1, "value": "hoan_thanh"}),
        lambda: recs.append({"type": "rating", "year": d["year"], "value": "hoan_thanh"}),
        lambda: recs.append({"type": "title", "year": d["year"] - 1, "id": "bang_khen_bo_tinh"}),
        lambda: recs.append({"type": "title", "year": d["year"] - 1, "id": "tap_the_lao_dong_tien_tien"}),
        lambda: recs.append({"type": "title", "year": 1900, "id": "lao_dong_tien_tien"}),
        lambda: recs.append({"type": "award", "id": "lao_dong_tien_tien", "date": "2020-01-01"}),
        lambda: recs.append({"type": "award", "id": "bang_khen_bo_tinh", "date": "2101-01-01"}),
        lambda: recs.append({"type": "award", "id": "bang_khen_bo_tinh", "date": "2020-02-30"}),
        lambda: recs.append(
            {"type": "initiative", "id": "X", "year": 2020, "scope": "co_so", "used_for": "abc"}
        ),
        lambda: recs.append(
            {
                "type": "initiative",
                "id": "X",
                "year": 2020,
                "scope": "co_so",
                "used_for": "bang_khen_bo_tinh:20x",
            }
        ),
        lambda: recs.append(
            {
                "type": "initiative",
                "id": "X:Y",
                "year": 2020,
                "scope": "co_so",
                "used_for": "bang_khen_bo_tinh:2021",
            }
        ),
        lambda: recs.extend(
            [{"type": "initiative", "id": "D", "year": 2020, "scope": "co_so", "used_for": None}] * 2
        ),
        lambda: recs.append(
            {"type": "science_work", "id": "D", "year": 2020, "scope": "co_so", "used_for": None}
        ),
        lambda: recs.append(
            {"type": "discipline", "form": "canh_cao", "date": "2024-05-01", "until": "2024-01-01"}
        ),
        lambda: recs.append({"type": "discipline", "form": "canh_cao", "date": "2030-05-01", "until": None}),
        lambda: recs.append(
            {"type": "pending", "kind": "complaint", "since": "2024-05-01", "until": "2024-01-01"}
        ),
        lambda: recs.append({"type": "leave", "from": "2024-05-01", "to": "2024-01-01", "reason": "benh"}),
        lambda: recs.append({"type": "leave", "from": "2024-05-01", "to": None, "reason": "benh"}),
        lambda: recs.append({"type": "cluster_rank", "year": 2024, "rank": 1, "organiser": "trung_uong"}),
        lambda: recs.append({"type": "cluster_rank", "year": 2024, "rank": 20000, "organiser": "trung_uong"}),
        lambda: recs.append(
            {"type": "movement_lead", "year": 2024, "launched_by": "thu_tuong", "years_run": 3}
        ),
        lambda: recs.append({"type": "rating", "year": 2024.0, "value": "hoan_thanh"}),
        lambda: recs.append({"type": "rating", "year": True, "value": "hoan_thanh"}),
        lambda: recs.append({"type": "rating", "year": 2024, "value": "hoan_thanh", "x": 1}),
        lambda: recs.append({"type": "medal", "year": 2024}),
        lambda: recs.append({"year": 2024, "value": "hoan_thanh"}),
        lambda: d["subject"].update(id=""),
        lambda: d.update(extra=1),
    ]
    if d["subject"]["kind"] == "collective" and d["subject"].get("members"):
        ms = d["subject"]["members"]
        edits += [
            lambda: ms.append(copy.deepcopy(ms[0])),
            lambda: ms[0]["records"].append(
                {"type": "cluster_rank", "year": 2024, "rank": 1, "organiser": "trung_uong"}
            ),
            lambda: ms[0].update(kind="collective"),
            lambda: ms[0].update(members=[]),
            lambda: ms[0]["records"].append({"type": "rating", "year": 2030, "value": "hoan_thanh"}),
        ]
    for edit in rng.sample(edits, 6):
        d = copy.deepcopy(data)
        recs = d["subject"]["records"]
        if d["subject"]["kind"] == "collective" and d["subject"].get("members"):
            ms = d["subject"]["members"]
        edit()
        texts.append(json.dumps(d, ensure_ascii=rng.random() < 0.5))
    return texts


def _reference(line: str, where: str) -> tuple[bool, list[str]]:
    try:
        parse_case_json(line.encode("utf-8", "surrogatepass"), source=where)
    except CaseError as exc:
        return False, exc.lines()
    return True, []


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_fast_path_accepts_and_refuses_exactly_what_the_reference_does(seed):
    rng = random.Random(seed)
    day = date(2025, 12, 15)
    texts: list[str] = []
    for i in range(25):
        data = random_individual(rng, i, 2025, day) if i % 5 else random_collective(rng, i, 2025, day)
        texts += _mutations(data, rng)
    block = b"".join(t.encode("utf-8", "surrogatepass") + b"\n" for t in texts)
    decoded = decode_lines(block, 1, "c.jsonl", ruleset_tables({}), {})
    assert decoded.lines == list(range(1, len(texts) + 1))
    disagreements = []
    for k, text in enumerate(texts):
        ok, messages = _reference(text, f"c.jsonl:{k + 1}")
        fast_ok = decoded.cases[k] is not None
        if ok != fast_ok or (not ok and decoded.errors[k] != messages):
            disagreements.append((k + 1, text[:160], ok, messages[:2], decoded.errors.get(k)))
    assert not disagreements, disagreements[:3]
    assert 0 < len(decoded.errors) < len(texts)


def test_summary_verdicts_are_those_of_the_one_case_command():
    rng = random.Random(8)
    day = date(2025, 12, 15)
    cases = [random_individual(rng, i, 2025, day) for i in range(300)]
    cases += [random_collective(rng, i, 2025, day) for i in range(60)]
    cases += [random_individual(rng, 900 + i, 2024, date(2024, 12, 20)) for i in range(40)]  # another ruleset
    rng.shuffle(cases)
    lines = [json.dumps(c, ensure_ascii=False).encode() for c in cases]
    for workers in (1, 2):
        rows, err, bad = _batch_lines(lines, summary=True, workers=workers, chunk_lines=64)
        assert bad == 0, err
        for data, row in zip(cases, rows, strict=True):
            expected = {r.id: r.verdict for r in evaluate(parse_case(data), with_forecast=False).results}
            assert row == {"id": data["subject"]["id"], "verdicts": expected}


@pytest.mark.parametrize("size", [1, 3, 7, 64, 10_000])
def test_files_are_read_in_blocks_cut_at_newlines(size):
    from thidua.rules.batch import _blocks

    data = b"a\nbb\n" + b"c" * 50 + b"\n\nd"  # a long line, a blank line, no final newline
    blocks = list(_blocks(io.BytesIO(data), size))
    assert b"".join(b for b, _ in blocks) == data + b"\n"
    assert all(b.endswith(b"\n") for b, _ in blocks)
    seen = 1
    for block, first in blocks:
        assert first == seen
        seen += block.count(b"\n")


def test_a_file_in_many_blocks_keeps_line_numbers(tmp_path, monkeypatch):
    import thidua.rules.batch as batch

    monkeypatch.setattr(batch, "CHUNK_BYTES", 300)  # a few lines a block
    lines = [good_text()] * 9
    lines[4] = '{"year": 2025'
    src = tmp_path / "c.jsonl"
    src.write_text("\n".join(lines), encoding="utf-8")  # no final newline
    out, err = io.BytesIO(), io.StringIO()
    with open(src, "rb") as fh:
        assert batch.run_batch(fh, out, err, source="c.jsonl", summary=True, workers=2) == 1
    rows = [json.loads(x) for x in out.getvalue().splitlines()]
    assert len(rows) == 9 and rows[4]["line"] == 5 and all("id" in r for k, r in enumerate(rows) if k != 4)
    assert err.getvalue().startswith("c.jsonl:5: ")
