"""The one lookup of the Vietnamese names of titles and forms, by their ruleset ids.

Every page, document, export and audit entry that names a title or form asks here; the names are the
rulesets' own (`name_vi`, the legal wording). An id no ruleset knows reads as its words, so a page never
shows a raw id such as `chien_si_thi_dua_co_so`.
"""

from __future__ import annotations

from datetime import date
from functools import cache

from thidua.rules.ruleset import list_rulesets, load_ruleset


@cache
def _newest_names() -> dict[str, str]:
    """Every item of every shipped ruleset; the newest ruleset's name wins (names rarely change)."""
    names: dict[str, str] = {}
    for info in sorted(list_rulesets(), key=lambda r: r.effective_from):
        names.update({item.id: item.name_vi for item in load_ruleset(info.id).items.values()})
    return names


def readable(award_id: str) -> str:
    """An unknown id as words: 'abc_xyz' → 'Abc xyz'."""
    words = award_id.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def award_name(award_id: str, *, on: date | None = None) -> str:
    """The name of a title or form: as the ruleset in force on `on` words it (when given and known),
    else as the newest ruleset does, else the id made readable. "id:2024" (an initiative's `used_for`)
    reads "… năm 2024"."""
    award_id, _, year = award_id.partition(":")
    if year:
        return f"{award_name(award_id, on=on)} năm {year}"
    if on is not None:
        try:
            item = load_ruleset(on=on).items.get(award_id)
        except KeyError:  # no ruleset in force that day
            item = None
        if item is not None:
            return item.name_vi
    return _newest_names().get(award_id) or readable(award_id)


def award_choices() -> list[tuple[str, str]]:
    """(id, name) of every title and form the shipped rulesets know, in name order (for a select)."""
    return sorted(_newest_names().items(), key=lambda item: item[1])
