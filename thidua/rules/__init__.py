"""ThiĐua rules engine: eligibility for emulation titles and commendation forms, as pure Python.

No Django import here or below (a test checks it). Stable public API:

- ``load_ruleset(ruleset_id=None, *, on=None) -> Ruleset``: a shipped ruleset by id, or the one in force
  on a date. ``list_rulesets() -> list[RulesetInfo]``.
- ``Ruleset``: ``items`` (titles and forms: id, name_vi, subjects, citation, confidence, authority,
  vote_threshold, prize), ``settings`` / ``settings_spec`` / ``with_settings(options)``,
  ``rules_in_force()`` (rows for a "rules in force on a date" page, criteria rendered as Vietnamese
  text), ``criteria_text(id, kind)``, ``base_salary_on(date)``, ``prize_vnd(id, kind, on)``.
- ``parse_case(data, *, source="<input>", ruleset=None, options=None) -> Case``: validates the case contract
  (shared/cases/README.md); raises ``CaseError`` whose ``problems`` are ``(path, value, message)``.
- ``evaluate(case, *, ruleset=None, options=None, with_forecast=True) -> CaseResult``: verdicts,
  reasons with citations, manual checks, consumption, authority, vote threshold, prize; plus
  ``missing``, ``earliest_year`` and ``prize_basis`` per result and a ``forecast`` for next year.
  ``.model_dump(mode="json")`` is the contract's output shape (with extra keys).
- Text for pages, in ``thidua.rules.render``: ``forecast_text(forecast)`` and ``missing_text(result)``
  (models or their stored JSON), ``vn_date(day)``.
- Strict JSON for raw input (files, request bodies): ``thidua.rules.case.decode_json(bytes, source)``
  (UTF-8, no repeated keys, bounded depth and integers), then ``parse_case``.
- Batch, set-based, in ``thidua.rules.columnar`` (kept out of this module so that single cases do not
  import numpy): ``Columns`` (columnar records, every ``*_subject`` column an index into the subjects),
  ``evaluate_columns(cols, *, ruleset, options=None, items=None) -> BatchVerdicts``,
  ``cases_to_columns(cases, codes)`` and ``summarise_cases(cases, options)``. JSON Lines in bulk:
  ``thidua.rules.batch.run_batch`` (the fast typed decoder of ``thidua.rules.fastcase``).
- Commands: ``thidua.rules.cli.main(argv) -> int`` (``thidua eligibility check|batch``).

Figures, interpretations and limits: ``docs/rules.md``.
"""

from thidua.rules.case import Case, CaseError, CaseResult, TitleResult, parse_case
from thidua.rules.engine import evaluate
from thidua.rules.ruleset import Item, Ruleset, RulesetError, RulesetInfo, list_rulesets, load_ruleset

__all__ = [
    "Case",
    "CaseError",
    "CaseResult",
    "Item",
    "Ruleset",
    "RulesetError",
    "RulesetInfo",
    "TitleResult",
    "evaluate",
    "list_rulesets",
    "load_ruleset",
    "parse_case",
]
