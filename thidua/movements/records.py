"""What the eligibility engine reads from movements: one source, the published rankings.

A published **yearly** ranking is the record of a movement's year:

- of a regular movement (thi đua thường xuyên) in a cluster of that year → the unit's `cluster_rank`
  (rank 1 = the cluster's leader, read for Cờ thi đua; Luật 06/2022 Đ25 k1-2, Đ26 k1);
- of a thematic or ad-hoc movement launched by the Prime Minister or by a ministry, sector or
  province → a `movement_lead` for each unit ranked first (Luật 06/2022 Đ25 k3, Đ26 k2).

A movement reviewed without a ranking has its leaders recorded by hand (`MovementLead`, the
`record_movement_leads` service); a lead the ranking already gives is not counted twice. Quarterly
and monthly rankings, drafts, and movements launched by a unit head feed nothing.

`engine_records` returns, next to each case record, where it comes from in Vietnamese, so the
candidate list can show the source of a title's ground.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import F

from thidua.movements.models import Movement, MovementLead, Period, Ranking, RankingEntry
from thidua.org.models import Cluster
from thidua.rules.ruleset import Node

# The engine knows two launching levels for a movement lead ("dẫn đầu phong trào thi đua theo
# chuyên đề"): the Prime Minister's movements and those of a ministry, sector or province.
LAUNCHED_BY: dict[str, str] = {
    Movement.Authority.THU_TUONG: "thu_tuong",
    Movement.Authority.BO_NGANH_TINH: "bo_nganh_tinh",
}


@dataclass(frozen=True)
class FedRecord:
    """A case record for the engine and where it comes from (a published ranking or a recorded lead)."""

    unit_id: int
    record: dict[str, Any]
    source: str
    ranking_id: int | None = None
    movement_id: int | None = None


ENGINE_ORGANISERS = (Cluster.Organiser.TRUNG_UONG, Cluster.Organiser.BO_NGANH_TINH)


def _ranking_source(entry: RankingEntry) -> str:
    r = entry.ranking
    when = f", công bố {r.published_on:%d/%m/%Y}" if r.published_on else ""
    return f"Hạng {entry.rank} {r.cluster.name} năm {r.year} — phong trào «{r.movement.title}»{when}"


def engine_records(unit_ids: Iterable[int], up_to_year: int) -> dict[int, list[FedRecord]]:
    """The engine's records from movements for many units at once (two queries)."""
    ids = list(unit_ids)
    out: dict[int, list[FedRecord]] = {pk: [] for pk in ids}
    entries = (
        RankingEntry.objects.filter(
            unit_id__in=ids,
            ranking__status=Ranking.Status.PUBLISHED,
            ranking__period=Period.YEAR,
            ranking__year__lte=up_to_year,
            ranking__cluster__year=F("ranking__year"),
        )
        .select_related("ranking__movement", "ranking__cluster")
        .order_by("ranking__year", "ranking__movement_id", "unit_id")
    )
    from_rankings: set[tuple[int, int, int]] = set()
    for entry in entries:
        ranking, movement = entry.ranking, entry.ranking.movement
        if movement.kind == Movement.Kind.REGULAR:
            if ranking.cluster.organiser not in ENGINE_ORGANISERS:
                # A cluster of a plain unit (a sở's school cluster) earns no Cờ thi đua: Luật 06/2022
                # Đ25, Đ26 k1 name only clusters organised by the Central council or a bộ, ngành, tỉnh.
                continue
            record = {
                "type": "cluster_rank",
                "year": ranking.year,
                "rank": entry.rank,
                "organiser": ranking.cluster.organiser,
            }
        elif entry.rank == 1 and movement.authority in LAUNCHED_BY:
            record = {
                "type": "movement_lead",
                "year": ranking.year,
                "launched_by": LAUNCHED_BY[movement.authority],
                "years_run": movement.years_run,
            }
            from_rankings.add((movement.pk, entry.unit_id, ranking.year))
        else:
            continue
        out[entry.unit_id].append(
            FedRecord(entry.unit_id, record, _ranking_source(entry), ranking.pk, movement.pk)
        )
    leads = (
        MovementLead.objects.filter(
            unit_id__in=ids, year__lte=up_to_year, movement__authority__in=list(LAUNCHED_BY)
        )
        .select_related("movement")
        .order_by("unit_id", "year", "movement_id")
    )
    for lead in leads:
        if (lead.movement_id, lead.unit_id, lead.year) in from_rankings:
            continue
        record = {
            "type": "movement_lead",
            "year": lead.year,
            "launched_by": LAUNCHED_BY[lead.movement.authority],
            "years_run": lead.movement.years_run,
        }
        source = f"Dẫn đầu phong trào «{lead.movement.title}» năm {lead.year} (ghi nhận khi tổng kết)"
        out[lead.unit_id].append(FedRecord(lead.unit_id, record, source, None, lead.movement_id))
    return out


def movement_lead_records(unit_ids: Iterable[int], up_to_year: int) -> dict[int, list[dict[str, Any]]]:
    """Only the `movement_lead` case records per unit id (from rankings and recorded leads)."""
    return {
        uid: [f.record for f in fed if f.record["type"] == "movement_lead"]
        for uid, fed in engine_records(unit_ids, up_to_year).items()
    }


def feed_warnings(
    *, kind: str, authority: str, start_year: int | None, end_year: int | None, min_years: dict[str, int]
) -> list[str]:
    """Why a movement set up this way will not give the engine a ground for a title (empty: it will).

    `min_years` is the ruleset's `{launched_by: minimum years}` of the thematic-movement lead rule.
    """
    if kind == Movement.Kind.REGULAR:
        return []
    if authority not in LAUNCHED_BY:
        return [
            "Phong trào do thủ trưởng cơ quan, đơn vị phát động: đơn vị dẫn đầu không được tính làm căn cứ "
            "xét Cờ thi đua (Luật 06/2022 Đ25 k3, Đ26 k2 chỉ tính phong trào do Thủ tướng Chính phủ hoặc "
            "bộ, ngành, tỉnh phát động). Kết quả xếp hạng vẫn được công bố nhưng không chuyển sang xét "
            "khen thưởng cuối năm."
        ]
    needed = min_years.get(LAUNCHED_BY[authority])
    if needed is None or start_year is None:
        return []
    if end_year is None:
        return [
            f"Phong trào chưa có năm kết thúc: đơn vị dẫn đầu chỉ là căn cứ xét Cờ thi đua khi phong trào "
            f"đã thực hiện từ {needed} năm trở lên."
        ]
    years = end_year - start_year + 1
    if years < needed:
        return [
            f"Phong trào thực hiện {years} năm ({start_year}–{end_year}), dưới {needed} năm: đơn vị dẫn "
            f"đầu sẽ không đủ căn cứ xét Cờ thi đua theo tiêu chí dẫn đầu phong trào chuyên đề."
        ]
    return []


def thematic_lead_min_years(on: date | None = None) -> dict[str, int]:
    """`{launched_by: minimum years}` of the ruleset's thematic-movement lead rule in force `on`."""
    from thidua.rules import load_ruleset

    found: dict[str, int] = {}

    def walk(node: Node) -> None:
        if node.op == "leads_thematic_movement":
            by, years = node.params["launched_by"], int(node.params["min_years"])
            found[by] = min(found.get(by, years), years)
        for child in (*node.children, *node.within):
            walk(child)

    for item in load_ruleset(on=on or date.today()).items.values():
        for root in item.prerequisites.values():
            walk(root)
    return found
