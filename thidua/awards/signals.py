"""What the year-end workflow tells the apps above it, without importing them (docs/architecture.md).

Sent inside the service's transaction, after the history rows are written: a receiver's writes
(the public honour board, the pre-aggregated statistics) commit or roll back with the decision.

- `awards_granted(sender=Decision, decision, awards)`: a decision was issued; `awards` are the new
  `history.AwardRecord` rows it granted.
- `award_revoked(sender=AwardRecord, award)`: an award was annulled (Luật 06/2022 Đ93); `award` has
  its `revoked_on` set.
"""

from __future__ import annotations

from django.dispatch import Signal

awards_granted = Signal()
award_revoked = Signal()
