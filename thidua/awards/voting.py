"""The arithmetic of council votes, pure and exact: shares of ALL members compared in integers.

A `Share` is a fraction of the council's whole membership: a quorum (how many must be present), the
council's own vote rule (quy chế) when the law gives a title no threshold, or a legal threshold
("từ 80%"). `reaches(count, total, share)` never rounds: 8/10 reaches 80 %, 7/10 does not, and
"quá 1/2" of 10 needs 6.
"""

from __future__ import annotations

from dataclasses import dataclass

MIN_BALLOTS = 3
"""No tally is ever shown over fewer ballots than this (besides the quorum): a tally of one or two
ballots would tell each voter's choice to whoever knows who voted."""


@dataclass(frozen=True)
class Share:
    """`num/den` of all members; `strict`: more than (quá), else at least (từ)."""

    code: str
    num: int
    den: int
    strict: bool
    short: str
    label: str

    def reached_by(self, count: int, total: int) -> bool:
        if total <= 0:
            return False
        if self.strict:
            return count * self.den > self.num * total
        return count * self.den >= self.num * total

    def minimum(self, total: int) -> int:
        """The smallest count that reaches the share of `total` (0 when total is 0)."""
        if total <= 0:
            return 0
        least = -(-self.num * total // self.den)  # ceil(num × total / den)
        if self.strict and least * self.den == self.num * total:
            least += 1
        return least


SHARES: dict[str, Share] = {
    s.code: s
    for s in (
        Share("qua_ban", 1, 2, True, "quá 1/2", "Quá 1/2 tổng số thành viên"),
        Share("hai_phan_ba", 2, 3, False, "2/3", "Từ 2/3 tổng số thành viên trở lên"),
        Share("ba_phan_tu", 3, 4, False, "3/4", "Từ 3/4 tổng số thành viên trở lên"),
        Share("tam_muoi", 4, 5, False, "80%", "Từ 80% tổng số thành viên trở lên"),
    )
}
SHARE_CHOICES = [(s.code, s.label) for s in SHARES.values()]

DEFAULT_QUORUM = "hai_phan_ba"
"""Two thirds of all members present (Bắc Ninh QĐ 86/2025 Đ8 k4, an example regulation)."""
DEFAULT_COUNCIL_RULE = "qua_ban"
"""More than half of all members agree: the usual rule of a council's quy chế when the law sets none."""


def pct_share(pct: int) -> Share:
    """A legal threshold "từ pct %" of all members."""
    return Share(f"pct_{pct}", pct, 100, False, f"{pct}%", f"Từ {pct}% tổng số thành viên trở lên")


def reaches(count: int, total: int, threshold_pct: int | None, rule: str = DEFAULT_COUNCIL_RULE) -> bool:
    """`count` of `total` members reaches the legal threshold (`threshold_pct`), or, without one,
    the council's own rule."""
    share = pct_share(threshold_pct) if threshold_pct is not None else SHARES[rule]
    return share.reached_by(count, total)


@dataclass(frozen=True)
class Quorum:
    """Members present against the organisation's quorum share."""

    present: int
    total: int
    rule: str = DEFAULT_QUORUM

    @property
    def share(self) -> Share:
        return SHARES[self.rule]

    @property
    def ok(self) -> bool:
        return self.share.reached_by(self.present, self.total)

    @property
    def needed(self) -> int:
        return self.share.minimum(self.total)

    @property
    def text(self) -> str:
        state = "đủ" if self.ok else "không đủ"
        return f"{self.present}/{self.total} thành viên có mặt — {state} {self.share.short}"
