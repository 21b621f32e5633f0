"""Property tests (hypothesis): invariants of the interpreter over generated histories."""

from __future__ import annotations

import copy
import random
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from thidua.rules import evaluate, parse_case
from thidua.rules.tests.gen import random_collective, random_individual

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


units = st.integers(0, 10**9).map(lambda seed: random_collective(random.Random(seed), seed % 1000))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(units)
def test_units_pending_never_eligible_and_fewer_members_titles_never_help(data):
    before = verdicts(data)
    pend = copy.deepcopy(data)
    pend["subject"]["records"].append(
        {"type": "pending", "kind": "complaint", "since": "2025-02-01", "until": None}
    )
    assert "eligible" not in verdicts(pend).values()
    fewer = copy.deepcopy(data)
    for m in fewer["subject"]["members"]:
        m["records"] = [r for r in m["records"] if not (r["type"] == "title" and r["year"] == 2025)]
    for item, v in verdicts(fewer).items():
        if v == "eligible":
            assert before[item] == "eligible", item


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 3000)
    | st.sampled_from(["", "x", "2025-12-15", "co_so", "title"]),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(["type", "year", "id", "value"]), inner, max_size=3)
    ),
    max_leaves=6,
)


@settings(max_examples=150, deadline=None)
@given(cases, st.sampled_from(["year", "as_of", "ruleset", "candidates", "subject"]), json_values)
def test_any_malformed_field_is_a_case_error_never_a_crash(data, field, value):
    from thidua.rules import CaseError

    data = copy.deepcopy(data)
    data[field] = value
    try:
        evaluate(parse_case(data), with_forecast=False)
    except CaseError as exc:
        assert exc.problems and all(isinstance(p[0], str) for p in exc.problems)


@settings(max_examples=150, deadline=None)
@given(
    cases,
    st.integers(0, 50),
    st.sampled_from(["type", "year", "id", "value", "date", "scope", "used_for", "until", "from", "to"]),
    json_values,
)
def test_any_malformed_record_is_a_case_error_never_a_crash(data, pick, key, value):
    from thidua.rules import CaseError

    data = copy.deepcopy(data)
    recs = data["subject"]["records"]
    if not recs:
        return
    recs[pick % len(recs)][key] = value
    try:
        evaluate(parse_case(data), with_forecast=False)
    except CaseError as exc:
        assert any(p[0].startswith("subject.records[") for p in exc.problems), exc.problems
