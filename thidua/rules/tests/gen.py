"""Random individual cases for differential and property tests (plain dicts of the case contract)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

RATINGS = ["khong_hoan_thanh", "hoan_thanh", "hoan_thanh_tot", "hoan_thanh_xuat_sac"]
SCOPES = ["co_so", "bo_nganh_tinh", "toan_quoc"]
TITLES = [
    "lao_dong_tien_tien",
    "chien_si_thi_dua_co_so",
    "chien_si_thi_dua_bo_tinh",
    "chien_si_thi_dua_toan_quoc",
]
AWARDS = ["bang_khen_bo_tinh", "bang_khen_thu_tuong", "giay_khen"]


def _day(rng: random.Random, year: int) -> date:
    return date(year, 1, 1) + timedelta(days=rng.randrange(365))


def random_individual(
    rng: random.Random, i: int, year: int = 2025, as_of: date | None = None
) -> dict[str, Any]:
    """A plausible history of 0..10 years, with edges (gaps, used initiatives, discipline, leave)."""
    as_of = as_of or date(year, 12, 15)
    records: list[dict[str, Any]] = []
    first = year - rng.randrange(0, 11)
    good = rng.random()
    star = rng.random() < 0.15  # a high achiever: long chains of higher titles
    for y in range(first, year + 1):
        if rng.random() < 0.07:
            continue  # a year without rating (gap)
        r = rng.random()
        level = 3 if r < good * 0.4 else 2 if r < 0.85 else 1 if r < 0.97 else 0
        if star:
            level = 3 if r < 0.9 else 2
        records.append({"type": "rating", "year": y, "value": RATINGS[level]})
        if level >= 2 and y < year and rng.random() < 0.85:
            records.append({"type": "title", "year": y, "id": "lao_dong_tien_tien"})
        if level >= 2 and y < year and rng.random() < (0.9 if star else 0.45):
            records.append({"type": "title", "year": y, "id": "chien_si_thi_dua_co_so"})
        if level >= 2 and y < year and rng.random() < (0.5 if star else 0.12):
            records.append({"type": "title", "year": y, "id": "chien_si_thi_dua_bo_tinh"})
    for k in range(rng.choice([2, 3, 4, 5] if star else [0, 0, 1, 1, 2, 3, 4])):
        y = rng.randrange(first - 1, year + 1)
        used: str | None = rng.choice(
            [None, None, None, f"chien_si_thi_dua_co_so:{year}", f"chien_si_thi_dua_co_so:{y}", "bang_khen_bo_tinh",
             f"chien_si_thi_dua_bo_tinh:{year}"]
        )  # fmt: skip
        records.append(
            {
                "type": rng.choice(["initiative", "initiative", "science_work"]),
                "id": f"SK-{i}-{k}",
                "year": y,
                "scope": rng.choice(SCOPES),
                "used_for": used,
            }
        )
    for _ in range(rng.choice([0, 0, 0, 1, 1, 2])):
        y = rng.randrange(first - 3, year + 1)
        d = _day(rng, y)
        if d <= as_of or rng.random() < 0.3:  # a few decided after the evaluation date
            records.append({"type": "award", "id": rng.choice(AWARDS), "date": d.isoformat()})
    if rng.random() < 0.08:
        d = _day(rng, rng.randrange(first - 2, year + 1))
        until = None if rng.random() < 0.2 else (d + timedelta(days=rng.choice([180, 365, 400]))).isoformat()
        if until is not None and rng.random() < 0.3:
            until = f"{d.year + rng.choice([0, 1])}-12-31"  # ends on 31 December: that year does not count
        records.append({"type": "discipline", "form": "khien_trach", "date": d.isoformat(), "until": until})
    if rng.random() < 0.05:
        since = as_of - timedelta(days=rng.randrange(1, 200))
        until = rng.choice(
            [None, (as_of - timedelta(days=1)).isoformat(), (as_of + timedelta(days=20)).isoformat()]
        )
        if until is not None and until < since.isoformat():
            until = None
        records.append({"type": "pending", "kind": "complaint", "since": since.isoformat(), "until": until})
    recruited = None
    if rng.random() < 0.9:
        recruited = as_of - timedelta(days=rng.choice([30, 150, 180, 182, 183, 184, 200, 400, 2000, 4000]))
    if recruited and rng.random() < 0.3:
        start = recruited + timedelta(days=rng.randrange(0, 60))
        if start <= as_of:
            end = start + timedelta(days=rng.randrange(10, 200))
            records.append(
                {
                    "type": "leave",
                    "from": start.isoformat(),
                    "to": end.isoformat() if rng.random() < 0.8 else None,
                    "reason": rng.choice(["thai_san", "hoc_tap", "benh", "khac"]),
                }
            )
    subject: dict[str, Any] = {
        "kind": "individual",
        "id": f"P{i:06d}",
        "name": f"Người {i}",
        "records": records,
    }
    if recruited:
        subject["recruited_on"] = recruited.isoformat()
    return {"year": year, "as_of": as_of.isoformat(), "subject": subject}


def random_collective(
    rng: random.Random, i: int, year: int = 2025, as_of: date | None = None
) -> dict[str, Any]:
    """A unit with its own ratings, titles, cluster ranks, movements, and 0..12 member histories."""
    as_of = as_of or date(year, 12, 15)
    good = rng.random()
    records: list[dict[str, Any]] = []
    for y in range(year - rng.randrange(0, 6), year + 1):
        if rng.random() < 0.05:
            continue
        r = rng.random()
        level = 3 if r < good * 0.7 else 2 if r < 0.9 else 1
        records.append({"type": "rating", "year": y, "value": RATINGS[level]})
        if y < year and level >= 2 and rng.random() < 0.6:
            records.append({"type": "title", "year": y, "id": "tap_the_lao_dong_tien_tien"})
        if y < year and level == 3 and rng.random() < 0.6:
            records.append({"type": "title", "year": y, "id": "tap_the_lao_dong_xuat_sac"})
    for organiser in ("trung_uong", "bo_nganh_tinh"):
        if rng.random() < 0.4:
            y = rng.choice([year, year, year - 1])
            records.append(
                {"type": "cluster_rank", "year": y, "rank": rng.choice([1, 1, 2, 3]), "organiser": organiser}
            )
            if rng.random() < 0.2:  # a merged unit: a second predecessor's rank for the same year
                records.append(
                    {"type": "cluster_rank", "year": y, "rank": rng.choice([1, 2, 4]), "organiser": organiser}
                )
    if rng.random() < 0.2:
        records.append(
            {
                "type": "movement_lead",
                "year": rng.choice([year, year - 1]),
                "launched_by": rng.choice(["thu_tuong", "bo_nganh_tinh"]),
                "years_run": rng.randrange(1, 8),
            }
        )
    if rng.random() < 0.05:
        records.append(
            {
                "type": "pending",
                "kind": "investigation",
                "since": (as_of - timedelta(days=30)).isoformat(),
                "until": None,
            }
        )
    if rng.random() < 0.04:
        d = as_of - timedelta(days=rng.randrange(10, 900))
        records.append(
            {
                "type": "discipline",
                "form": "khien_trach",
                "date": d.isoformat(),
                "until": (d + timedelta(days=365)).isoformat(),
            }
        )
    members = []
    recorded = rng.choice([0.2, 0.5, 0.8, 0.95, 1.0])  # how many members' titles of the year are decided
    for k in range(rng.choice([0, 2, 5, 8, 10, 12])):
        m = random_individual(rng, i * 100 + k, year, as_of)["subject"]
        m["id"] = f"C{i}-M{k}"
        if rng.random() < recorded:
            m["records"].append({"type": "title", "year": year, "id": "lao_dong_tien_tien"})
            if not any(r["type"] == "rating" and r["year"] == year for r in m["records"]):
                m["records"].append({"type": "rating", "year": year, "value": "hoan_thanh_tot"})
        if rng.random() < 0.15:
            m["records"].append({"type": "title", "year": year, "id": "chien_si_thi_dua_co_so"})
        if rng.random() < 0.05:
            m["records"].append(
                {
                    "type": "discipline",
                    "form": rng.choice(["khien_trach", "canh_cao"]),
                    "date": f"{year}-03-01",
                    "until": f"{year}-09-01",
                }
            )
        members.append(m)
    subject = {
        "kind": "collective",
        "id": f"U{i:05d}",
        "name": f"Đơn vị {i}",
        "records": records,
        "members": members,
    }
    return {"year": year, "as_of": as_of.isoformat(), "subject": subject}
