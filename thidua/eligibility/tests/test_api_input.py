"""GIVEN raw input to the eligibility API WHEN it is malformed in any of the ways the case contract
refuses (repeated keys, bad UTF-8, NaN, a 5,000-digit integer, deep nesting, dates out of range, ISO
week dates) THEN the answer is a 400 naming the problem in Vietnamese, never a 500 or a traceback;
the contract's decoder (`thidua.rules.case.decode_json`) reads the body before `parse_case`."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

import pytest

pytestmark = pytest.mark.django_db
URL = "/api/v1/eligibility/check/"
GOOD = {
    "year": 2025,
    "subject": {
        "kind": "individual",
        "id": "X1",
        "name": "Người thử",
        "records": [{"type": "rating", "year": 2025, "value": "hoan_thanh_tot"}],
    },
    "candidates": ["lao_dong_tien_tien"],
}


def _post(client: Any, body: bytes) -> Any:
    return client.post(URL, body, content_type="application/json")


@pytest.fixture
def client(personas: SimpleNamespace, client_for: Any) -> Any:
    return client_for(personas.officer)


def test_a_good_case_is_evaluated(client: Any) -> None:
    response = _post(client, json.dumps(GOOD).encode())
    assert response.status_code == 200 and response.json()["results"][0]["verdict"] == "eligible"


@pytest.mark.parametrize(
    ("body", "path", "says"),
    [
        (b'{"year": 2025, "year": 2024}', "year", "khóa bị lặp"),
        (
            json.dumps(GOOD).replace('"name"', '"name": "A", "name"', 1).encode(),
            "subject.name",
            "khóa bị lặp",
        ),
        (b'{"year": 20\xff25}', "(gốc)", "UTF-8"),
        (b'{"year": NaN}', "(gốc)", "NaN"),
        (b'{"year": ' + b"9" * 5000 + b"}", "(gốc)", "số nguyên"),
        (b"[" * 5000 + b"]" * 5000, "(gốc)", "lồng quá sâu"),
        (b"year=2025", "(gốc)", "JSON không hợp lệ"),
        (b"", "(gốc)", "JSON không hợp lệ"),
        (json.dumps({**GOOD, "as_of": "9999-12-31"}).encode(), "as_of", ""),
        (json.dumps({**GOOD, "as_of": "2025-W01-1"}).encode(), "as_of", ""),
    ],
)
def test_malformed_input_is_a_400_naming_the_problem(client: Any, body: bytes, path: str, says: str) -> None:
    response = _post(client, body)
    assert response.status_code == 400, response.content[:300]
    error = response.json()["error"]
    assert error["message"] == "Hồ sơ xét không hợp lệ"
    assert path in error["fields"], error["fields"]
    assert says in " ".join(error["fields"][path])


@pytest.mark.parametrize(
    "query",
    [
        "year=0",
        "year=99999999999",
        "year=abc",
        "as_of=9999-12-31",
        "as_of=2025-W01-1",
        "as_of=2025-02-30",
    ],
)
def test_bad_query_values_are_400_not_500(client: Any, org: SimpleNamespace, query: str) -> None:
    for url in (f"/api/v1/eligibility/people/{org.an.pk}/", f"/api/v1/eligibility/units/{org.a.pk}/"):
        response = client.get(f"{url}?{query}")
        assert response.status_code == 400, (url, query, response.content[:200])
        assert response.json()["error"]["message"]
    assert client.get("/api/v1/eligibility/rules/?date=2025-W01-1").status_code == 400
