"""``thidua eligibility batch``: JSON Lines in, one result per line out, same order."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import IO, Any

from thidua.rules.case import Case, CaseError, decode_json, parse_case
from thidua.rules.engine import evaluate


def parse_lines(lines: Iterable[str], source: str, err: IO[str]) -> list[Case | dict[str, Any]]:
    """Parse each line; a malformed line becomes ``{"line": N, "error": ...}`` and is reported on ``err``."""
    out: list[Case | dict[str, Any]] = []
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{source}:{n}"
        try:
            out.append(parse_case(decode_json(line, where), source=where))
        except CaseError as exc:
            for msg in exc.lines():
                err.write(msg + "\n")
            out.append({"line": n, "error": "; ".join(msg.split(": ", 1)[1] for msg in exc.lines())})
    return out


def run_batch(src: IO[str], dst: IO[str], err: IO[str], *, source: str, summary: bool) -> int:
    """Evaluate every line; return the number of malformed lines."""
    from thidua.rules.columnar import summarise_cases

    parsed = parse_lines(src, source, err)
    cases = [c for c in parsed if isinstance(c, Case)]
    verdicts = summarise_cases(cases) if summary else None
    bad = 0
    i = 0
    for item in parsed:
        if not isinstance(item, Case):
            bad += 1
            dst.write(json.dumps(item, ensure_ascii=False) + "\n")
            continue
        if verdicts is not None:
            row: dict[str, Any] = {"id": item.subject.id, "verdicts": verdicts[i]}
        else:
            row = evaluate(item).model_dump(mode="json")
        i += 1
        dst.write(json.dumps(row, ensure_ascii=False) + "\n")
    return bad
