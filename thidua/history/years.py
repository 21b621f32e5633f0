"""The year under review, the default of every year-end page: the previous year until its ratings
are closed (`ClosedRatingYear`), then the current year."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from thidua.accounts.models import User
from thidua.audit.services import log
from thidua.core.errors import DomainError
from thidua.history.models import ClosedRatingYear
from thidua.lib.dates import review_year
from thidua.org.models import Unit
from thidua.org.permissions import can_change_unit, scope_paths


def _roots(user: Any) -> list[int]:
    paths = scope_paths(user) if user is not None and getattr(user, "is_authenticated", False) else []
    return sorted({int(p.strip("/").split("/")[0]) for p in paths if p.strip("/")})


def year_under_review(user: Any = None, today: date | None = None) -> int:
    """The previous year, unless the user's organisation (any organisation for no user) closed it."""
    today = today or date.today()
    closed = ClosedRatingYear.objects.filter(year=today.year - 1)
    roots = _roots(user)
    if roots:
        closed = closed.filter(unit_id__in=roots)
    return review_year(today, closed=closed.exists())


@transaction.atomic
def close_rating_year(*, actor: User | None, unit: Unit, year: int) -> ClosedRatingYear:
    """Close the ratings of `year` for the organisation of `unit` (its root): pages move to the next."""
    root = unit if unit.parent_id is None else Unit.objects.get(pk=int(unit.path.strip("/").split("/")[0]))
    if actor is not None and not can_change_unit(actor, root):
        raise PermissionDenied("Chỉ cán bộ thi đua của cơ quan cấp cao nhất khóa sổ xếp loại")
    if year >= date.today().year:
        raise DomainError(f"Năm {year} chưa kết thúc, chưa khóa sổ được", field="year")
    row, created = ClosedRatingYear.objects.get_or_create(unit=root, year=year)
    if not created:
        raise DomainError(f"Năm {year} đã khóa sổ xếp loại")
    log("ratings.year_closed", actor=actor, obj=root, unit_path=root.path, detail={"year": year})
    return row
