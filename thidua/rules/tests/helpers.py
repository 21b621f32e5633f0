"""Small builders for table tests: records and cases as plain dicts of the contract."""

from __future__ import annotations

from typing import Any

from thidua.rules import CaseResult, TitleResult, evaluate


def rating(year: int, value: str = "hoan_thanh_tot") -> dict[str, Any]:
    return {"type": "rating", "year": year, "value": value}


def htxs(year: int) -> dict[str, Any]:
    return rating(year, "hoan_thanh_xuat_sac")


def title(year: int, ident: str) -> dict[str, Any]:
    return {"type": "title", "year": year, "id": ident}


def award(ident: str, day: str) -> dict[str, Any]:
    return {"type": "award", "id": ident, "date": day}


def initiative(
    ident: str, year: int, scope: str = "co_so", used_for: str | None = None, kind: str = "initiative"
) -> dict[str, Any]:
    return {"type": kind, "id": ident, "year": year, "scope": scope, "used_for": used_for}


def pending(since: str, until: str | None = None, kind: str = "discipline") -> dict[str, Any]:
    return {"type": "pending", "kind": kind, "since": since, "until": until}


def discipline(day: str, until: str | None, form: str = "khien_trach") -> dict[str, Any]:
    return {"type": "discipline", "form": form, "date": day, "until": until}


def leave(start: str, end: str | None, reason: str) -> dict[str, Any]:
    return {"type": "leave", "from": start, "to": end, "reason": reason}


def person(
    records: list[dict[str, Any]], *, ident: str = "P1", recruited_on: str | None = "2010-01-01"
) -> dict[str, Any]:
    s: dict[str, Any] = {"kind": "individual", "id": ident, "name": f"Cá nhân {ident}", "records": records}
    if recruited_on:
        s["recruited_on"] = recruited_on
    return s


def member(records: list[dict[str, Any]], i: int) -> dict[str, Any]:
    return {"kind": "individual", "id": f"M{i}", "name": f"Thành viên {i}", "records": records}


def collective(records: list[dict[str, Any]], members: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    s: dict[str, Any] = {"kind": "collective", "id": "T1", "name": "Phòng A", "records": records}
    if members is not None:
        s["members"] = members
    return s


def case(
    subject: dict[str, Any],
    *,
    year: int = 2025,
    as_of: str = "2025-12-15",
    candidates: list[str] | None = None,
) -> dict[str, Any]:
    c: dict[str, Any] = {"year": year, "as_of": as_of, "subject": subject}
    if candidates is not None:
        c["candidates"] = candidates
    return c


def run(data: dict[str, Any], options: dict[str, Any] | None = None) -> CaseResult:
    return evaluate(data, options=options, with_forecast=False)


def result(data: dict[str, Any], item: str, options: dict[str, Any] | None = None) -> TitleResult:
    data = {**data, "candidates": [item]}
    (r,) = run(data, options).results
    return r


def verdict(data: dict[str, Any], item: str, options: dict[str, Any] | None = None) -> str:
    return result(data, item, options).verdict
