"""Property tests (hypothesis): invariants of the interpreter over generated histories."""

from __future__ import annotations

import copy
import random
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from thidua.rules import evaluate, parse_case
from thidua.rules.tests.gen import random_individual

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def verdicts(data: dict[str, Any], options: dict[str, Any] | None = None) -> dict[str, str]:
    return {r.id: r.verdict for r in evaluate(parse_case(data), options=options, with_forecast=False).results}


cases = st.integers(0, 10**9).map(lambda seed: random_individual(random.Random(seed), seed % 1000))


@SETTINGS
@given(cases, st.sampled_from(["discipline", "investigation", "complaint"]))
def test_adding_pending_proceedings_never_yields_eligible(data, kind):
    before = verdicts(data)
    data = copy.deepcopy(data)
    data["subject"]["records"].append({"type": "pending", "kind": kind, "since": "2025-01-10", "until": None})
    after = verdicts(data)
    assert "eligible" not in after.values()
    for item, v in before.items():
        if v == "eligible":
            assert after[item] == "deferred"
        if v == "not_eligible":
            assert after[item] == "not_eligible"


@SETTINGS
@given(cases, st.integers(0, 1000))
def test_removing_a_title_never_makes_someone_eligible(data, pick):
    titles = [i for i, r in enumerate(data["subject"]["records"]) if r["type"] == "title"]
    if not titles:
        return
    before = verdicts(data)
    data = copy.deepcopy(data)
    del data["subject"]["records"][titles[pick % len(titles)]]
    after = verdicts(data)
    for item, v in after.items():
        if v == "eligible":
            assert before[item] == "eligible", item


@SETTINGS
@given(cases, st.integers(0, 1000))
def test_marking_an_initiative_used_never_makes_someone_eligible(data, pick):
    innos = [
        i for i, r in enumerate(data["subject"]["records"]) if r["type"] in ("initiative", "science_work")
    ]
    if not innos:
        return
    before = verdicts(data)
    data = copy.deepcopy(data)
    data["subject"]["records"][innos[pick % len(innos)]]["used_for"] = "giay_khen"
    after = verdicts(data)
    for item, v in after.items():
        if v == "eligible":
            assert before[item] == "eligible", item


@SETTINGS
@given(cases)
def test_result_invariants(data):
    out = evaluate(parse_case(data))
    for r in out.results:
        assert r.eligible is (r.verdict == "eligible")
        assert r.reasons, r.id
        assert all(x.citation for x in r.reasons)
        if r.verdict == "not_eligible":
            assert any(not x.ok for x in r.reasons)
            assert r.missing
        else:
            assert not r.consumes or len(set(r.consumes)) == len(r.consumes)
        if r.verdict != "eligible":
            assert r.verdict == "deferred" or not r.consumes
        assert r.prize_vnd is None or r.prize_vnd % 10_000 == 0


@SETTINGS
@given(cases)
def test_unconfirmed_settings_on_never_loosen_the_default(data):
    """Turning on the unconfirmed minimum-service checks can only remove eligibility."""
    base = verdicts(data)
    stricter = verdicts(data, {"apply_min_service_rule": True, "min_service_deduct_leave": True})
    for item, v in stricter.items():
        if v == "eligible":
            assert base[item] == "eligible"
