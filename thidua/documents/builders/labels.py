"""Which printed blank a title or form goes on (names come from `thidua.rules.names`)."""

from __future__ import annotations

_GENERIC = (
    ("của bộ, ban, ngành, tỉnh", "của {issuer}"),
    ("bộ, ban, ngành, tỉnh", "{issuer}"),
    ("của quân khu, quân đoàn, ĐHQG", "của {issuer}"),
)


def proper_name(name: str, issuer: str) -> str:
    """A title's name as the paper of `issuer` writes it: the rulesets' generic "Bằng khen của bộ, ban,
    ngành, tỉnh" becomes "Bằng khen của Bảo hiểm xã hội Việt Nam"; other names are kept."""
    issuer = " ".join(issuer.split())
    for generic, replacement in _GENERIC:
        if generic in name and issuer:
            return name.replace(generic, replacement.format(issuer=issuer))
    return name


def certificate_kind(award_id: str) -> str:
    """Which blank a record is printed on: "bang_khen" for the Bằng khen forms, else "giay_khen"."""
    return "bang_khen" if award_id.startswith("bang_khen") else "giay_khen"
