"""Vietnamese names of the titles and forms (ids as in `AwardRecord.award_id`), from the rulesets."""

from __future__ import annotations

from functools import cache

from thidua.rules.ruleset import list_rulesets, load_ruleset


@cache
def _names() -> dict[str, str]:
    """Every item of every ruleset, the newest ruleset's name winning (names rarely change)."""
    names: dict[str, str] = {}
    for info in sorted(list_rulesets(), key=lambda r: r.effective_from):
        names.update({item.id: item.name_vi for item in load_ruleset(info.id).items.values()})
    return names


def award_label(award_id: str) -> str:
    """The Vietnamese name; an id no ruleset knows is shown as is."""
    return _names().get(award_id, award_id)


def certificate_kind(award_id: str) -> str:
    """Which blank a record is printed on: "bang_khen" for the Bằng khen forms, else "giay_khen"."""
    return "bang_khen" if award_id.startswith("bang_khen") else "giay_khen"
