"""The awards app's signals, received: the honour board follows each decision and revocation."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from thidua.awards.signals import award_revoked, awards_granted
from thidua.portal import honour


@receiver(awards_granted, dispatch_uid="portal.honour_granted_awards")
def _honour_granted(sender: Any, awards: list[Any], **kwargs: Any) -> None:
    honour.refresh(a.pk for a in awards)


@receiver(award_revoked, dispatch_uid="portal.unhonour_revoked_award")
def _unhonour_revoked(sender: Any, award: Any, **kwargs: Any) -> None:
    honour.refresh([award.pk])
