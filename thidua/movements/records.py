"""What the eligibility engine reads from movements (called by the integrator's adapter)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from thidua.movements.models import Movement, MovementLead

# The engine knows two launching levels for a movement lead ("dẫn đầu phong trào thi đua theo
# chuyên đề"): the Prime Minister's movements and those of a ministry, sector or province.
LAUNCHED_BY: dict[str, str] = {
    Movement.Authority.THU_TUONG: "thu_tuong",
    Movement.Authority.BO_NGANH_TINH: "bo_nganh_tinh",
}


def movement_lead_records(unit_ids: Iterable[int], up_to_year: int) -> dict[int, list[dict[str, Any]]]:
    """Case records `{"type": "movement_lead", "year", "launched_by", "years_run"}` per unit id.

    A movement launched by a unit head (not in LAUNCHED_BY) leads to no record: it grants no title
    that the engine evaluates. One query.
    """
    ids = list(unit_ids)
    out: dict[int, list[dict[str, Any]]] = {pk: [] for pk in ids}
    leads = (
        MovementLead.objects.filter(
            unit_id__in=ids, year__lte=up_to_year, movement__authority__in=list(LAUNCHED_BY)
        )
        .select_related("movement")
        .order_by("unit_id", "year", "movement_id")
    )
    for lead in leads:
        out[lead.unit_id].append(
            {
                "type": "movement_lead",
                "year": lead.year,
                "launched_by": LAUNCHED_BY[lead.movement.authority],
                "years_run": lead.movement.years_run,
            }
        )
    return out
