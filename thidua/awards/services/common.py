"""Helpers shared by the year-end services: settings of the organisation, working days, versions.

The ruleset of a unit on a day is `thidua.eligibility.services.ruleset_on(day, unit=unit)`: the one
ruleset with the organisation's one set of options."""

from __future__ import annotations

from datetime import date
from typing import Any

from thidua.awards.models import AwardSettings
from thidua.core import versioning
from thidua.lib import workdays
from thidua.org.models import Unit


def root_of(unit: Unit) -> Unit:
    ids = unit.ancestor_ids()
    return Unit.objects.get(pk=ids[0]) if ids else unit


def settings_for(unit: Unit) -> AwardSettings:
    """The organisation's settings (those of the root unit); unsaved defaults when none exist."""
    root = root_of(unit)
    found = AwardSettings.objects.filter(root=root).first()
    return found if found is not None else AwardSettings(root=root)


def add_working_days(start: date, days: int) -> date:
    """`days` working days after `start`: weekends and the public holidays of `thidua.lib.holidays`
    are skipped."""
    return workdays.add_working_days(start, days)


def check_version(obj: Any, version: int) -> None:
    """Optimistic locking of dossiers: refuse a change made from a stale copy (`thidua.core.versioning`)."""
    versioning.check_version(obj.version, version, what="Hồ sơ")
