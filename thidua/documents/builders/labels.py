"""Vietnamese names of the titles and forms (ids as in `AwardRecord.award_id`).

The names the pages show (`thidua.awards.labels`) first, so a document and the page agree; the
rulesets' names for ids that list does not have; else the id made readable.
"""

from __future__ import annotations

from functools import cache

from thidua.awards.labels import AWARD_LABELS
from thidua.awards.labels import award_label as page_label
from thidua.rules.ruleset import list_rulesets, load_ruleset


@cache
def _names() -> dict[str, str]:
    """Every item of every ruleset, the newest ruleset's name winning (names rarely change)."""
    names: dict[str, str] = {}
    for info in sorted(list_rulesets(), key=lambda r: r.effective_from):
        names.update({item.id: item.name_vi for item in load_ruleset(info.id).items.values()})
    return names


def award_label(award_id: str) -> str:
    if award_id in AWARD_LABELS:
        return AWARD_LABELS[award_id]
    return _names().get(award_id) or page_label(award_id)


def certificate_kind(award_id: str) -> str:
    """Which blank a record is printed on: "bang_khen" for the Bằng khen forms, else "giay_khen"."""
    return "bang_khen" if award_id.startswith("bang_khen") else "giay_khen"
