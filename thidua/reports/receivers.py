"""The awards app's signals, received: the pre-aggregated counts follow each decision and revocation."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from thidua.awards.signals import award_revoked, awards_granted
from thidua.reports import tally


@receiver(awards_granted, dispatch_uid="reports.count_granted_awards")
def _count_granted(sender: Any, awards: list[Any], **kwargs: Any) -> None:
    tally.add_awards(a.pk for a in awards)


@receiver(award_revoked, dispatch_uid="reports.uncount_revoked_award")
def _uncount_revoked(sender: Any, award: Any, **kwargs: Any) -> None:
    tally.remove_awards([award.pk])
