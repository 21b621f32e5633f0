"""Which printed blank a title or form goes on (names come from `thidua.rules.names`)."""

from __future__ import annotations


def certificate_kind(award_id: str) -> str:
    """Which blank a record is printed on: "bang_khen" for the Bằng khen forms, else "giay_khen"."""
    return "bang_khen" if award_id.startswith("bang_khen") else "giay_khen"
