"""Helpers shared by the year-end services: settings of the organisation, the ruleset, working days."""

from __future__ import annotations

from datetime import date
from typing import Any

from thidua.awards.models import AwardSettings
from thidua.core import versioning
from thidua.core.errors import DomainError
from thidua.lib import workdays
from thidua.org.models import Unit
from thidua.rules import Ruleset, load_ruleset


def root_of(unit: Unit) -> Unit:
    ids = unit.ancestor_ids()
    return Unit.objects.get(pk=ids[0]) if ids else unit


def settings_for(unit: Unit) -> AwardSettings:
    """The organisation's settings (those of the root unit); unsaved defaults when none exist."""
    root = root_of(unit)
    found = AwardSettings.objects.filter(root=root).first()
    return found if found is not None else AwardSettings(root=root)


# The year-end applies NĐ 98/2023 Đ30 k7's council thresholds unless the organisation explicitly
# turned them off in its rule options (the "Quy định" page): stricter than a bare majority.
YEAR_END_DEFAULTS: dict[str, Any] = {"assume_nd98_vote_thresholds": True}


def engine_options(unit: Unit) -> dict[str, Any]:
    """The engine options of the organisation (`RuleOptions`, one source for every evaluation)."""
    from thidua.eligibility.services import options_for

    return {**YEAR_END_DEFAULTS, **options_for(unit)}


def ruleset_on(day: date, unit: Unit) -> Ruleset:
    from thidua.eligibility.services import ruleset_on as eligibility_ruleset_on

    try:
        return eligibility_ruleset_on(day, engine_options(unit))
    except KeyError as exc:
        raise DomainError(f"Không có bộ quy tắc nào có hiệu lực ngày {day:%d/%m/%Y}") from exc


def award_name(award_id: str, *, on: date | None = None) -> str:
    try:
        rs = load_ruleset(on=on or date.today())
    except KeyError:
        return award_id
    item = rs.items.get(award_id)
    return item.name_vi if item else award_id


def add_working_days(start: date, days: int) -> date:
    """`days` working days after `start`: weekends and the public holidays of `thidua.lib.holidays`
    are skipped."""
    return workdays.add_working_days(start, days)


def check_version(obj: Any, version: int) -> None:
    """Optimistic locking of dossiers: refuse a change made from a stale copy (`thidua.core.versioning`)."""
    versioning.check_version(obj.version, version, what="Hồ sơ")
