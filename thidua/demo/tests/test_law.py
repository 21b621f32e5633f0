"""Over the loaded demo, nobody holds a title the law would not have granted.

Each rule is re-checked from the database rows alone (ratings, awards, initiatives, positions,
discipline, proceedings, clusters), independently of the generator's own logic (law.md §2, §3.5, §8).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from typing import Any

import pytest

from thidua.history.models import AwardRecord, Discipline, Initiative, PendingProceeding, Rating, RatingValue
from thidua.movements.models import RankingEntry
from thidua.org.models import Cluster, Position, Unit

pytestmark = pytest.mark.django_db

HTXS = RatingValue.HOAN_THANH_XUAT_SAC
AT_LEAST_HTT = {RatingValue.HOAN_THANH_XUAT_SAC, RatingValue.HOAN_THANH_TOT}
AT_LEAST_HT = AT_LEAST_HTT | {RatingValue.HOAN_THANH}
INDIVIDUAL = (
    "lao_dong_tien_tien",
    "chien_si_thi_dua_co_so",
    "chien_si_thi_dua_bo_tinh",
    "bang_khen_bo_tinh",
)
COLLECTIVE = ("tap_the_lao_dong_tien_tien", "tap_the_lao_dong_xuat_sac", "co_thi_dua_bo_tinh")


class _History:
    def __init__(self) -> None:
        self.rating: dict[tuple[int, int], str] = {
            (p, y): v
            for p, y, v in Rating.objects.filter(person__isnull=False).values_list(
                "person_id", "year", "value"
            )
        }
        self.unit_rating: dict[tuple[int, int], str] = {
            (u, y): v
            for u, y, v in Rating.objects.filter(unit__isnull=False).values_list("unit_id", "year", "value")
        }
        self.held: set[tuple[int, str, int]] = set()
        self.person_awards = list(
            AwardRecord.objects.filter(person__isnull=False).values_list(
                "person_id", "award_id", "kind", "year", "decided_on"
            )
        )
        for p, award_id, _kind, year, _day in self.person_awards:
            self.held.add((p, award_id, year))
        self.unit_awards = list(
            AwardRecord.objects.filter(unit__isnull=False).values_list("unit_id", "award_id", "year")
        )
        self.consumed: dict[tuple[int, str], list[tuple[str, int]]] = defaultdict(list)
        for p, scope, year, used_for in Initiative.objects.exclude(used_for="").values_list(
            "person_id", "scope", "year", "used_for"
        ):
            self.consumed[(p, used_for)].append((scope, year))
        self.disciplines = list(Discipline.objects.values_list("person_id", "form", "decided_on", "until"))
        self.proceedings = list(PendingProceeding.objects.values_list("person_id", "since", "until"))
        self.paths = dict(Unit.objects.values_list("id", "path"))
        self.root = Unit.objects.get(parent__isnull=True).pk
        self.positions: dict[int, list[tuple[int, date, date | None]]] = defaultdict(list)
        for p, u, start, end in Position.objects.values_list(
            "person_id", "unit_id", "started_on", "ended_on"
        ):
            self.positions[p].append((u, start, end))

    def collectives_on(self, person: int, day: date) -> list[int]:
        """The units whose members the person counts among on `day`: their unit and its ancestors below the root."""
        for unit, start, end in self.positions[person]:
            if start <= day and (end is None or end >= day):
                ids = [int(part) for part in self.paths[unit].strip("/").split("/")]
                return [i for i in ids if i != self.root]
        return []


def _individual_violations(h: _History) -> list[str]:
    bad = []
    for p, award_id, kind, y, decided_on in h.person_awards:
        where = f"{award_id} {y} (nhân sự {p})"
        rating = h.rating.get((p, y))
        if award_id == "lao_dong_tien_tien" and rating not in AT_LEAST_HTT:
            bad.append(f"{where}: xếp loại {rating}, cần từ hoàn thành tốt trở lên")
        if award_id == "chien_si_thi_dua_co_so":
            if (p, "lao_dong_tien_tien", y) not in h.held:
                bad.append(f"{where}: không có Lao động tiên tiến cùng năm")
            used = h.consumed.get((p, f"chien_si_thi_dua_co_so:{y}"), [])
            if rating != HTXS and not any(scope == "co_so" and year <= y for scope, year in used):
                bad.append(f"{where}: không HTXS và không có sáng kiến cơ sở đã dùng cho năm này")
        if award_id == "chien_si_thi_dua_bo_tinh":
            if not all((p, "chien_si_thi_dua_co_so", y - k) in h.held for k in range(3)):
                bad.append(f"{where}: không đủ 3 năm liền Chiến sĩ thi đua cơ sở")
            used = h.consumed.get((p, f"chien_si_thi_dua_bo_tinh:{y}"), [])
            if not any(scope == "bo_nganh_tinh" and year <= y for scope, year in used):
                bad.append(f"{where}: không có sáng kiến cấp bộ, ngành, tỉnh đã dùng cho năm này")
        if award_id == "bang_khen_bo_tinh":
            if kind != AwardRecord.Kind.FORM:
                bad.append(f"{where}: Bằng khen phải là hình thức khen thưởng")
            if not (
                (p, "chien_si_thi_dua_co_so", y) in h.held and (p, "chien_si_thi_dua_co_so", y - 1) in h.held
            ):
                bad.append(f"{where}: không đủ 2 năm liền Chiến sĩ thi đua cơ sở")
            if not date(y + 1, 1, 1) <= decided_on <= date(y + 1, 3, 31):
                bad.append(f"{where}: quyết định ngày {decided_on}, ngoài quý I năm sau")
        for person, _form, start, until in h.disciplines:
            if person == p and start <= date(y, 12, 31) and (until is None or until >= date(y, 1, 1)):
                bad.append(f"{where}: đang chịu kỷ luật trong năm")
        for person, since, until in h.proceedings:
            if person == p and since <= decided_on and (until is None or until >= decided_on):
                bad.append(f"{where}: đang có vụ việc chưa kết luận khi quyết định")
    # Every initiative is used once, for an award that exists.
    for (p, used_for), uses in h.consumed.items():
        award_id, year = used_for.split(":")
        if (p, award_id, int(year)) not in h.held:
            bad.append(f"sáng kiến của nhân sự {p} ghi dùng cho {used_for} nhưng không có khen thưởng đó")
        if len(uses) > 1 and award_id == "chien_si_thi_dua_co_so":
            bad.append(f"nhân sự {p}: {len(uses)} sáng kiến cùng dùng cho {used_for}")
    return bad


def _collective_violations(h: _History) -> list[str]:
    members: Counter[tuple[int, int]] = Counter()
    ldtt: Counter[tuple[int, int]] = Counter()
    below_ht: Counter[tuple[int, int]] = Counter()
    cstdcs: Counter[tuple[int, int]] = Counter()
    serious: Counter[tuple[int, int]] = Counter()
    for (p, y), value in h.rating.items():
        disciplined = any(
            person == p and form != Discipline.Form.KHIEN_TRACH and start.year == y
            for person, form, start, _ in h.disciplines
        )
        for unit in h.collectives_on(p, date(y, 12, 31)):
            members[(unit, y)] += 1
            ldtt[(unit, y)] += (p, "lao_dong_tien_tien", y) in h.held
            cstdcs[(unit, y)] += (p, "chien_si_thi_dua_co_so", y) in h.held
            below_ht[(unit, y)] += value not in AT_LEAST_HT
            serious[(unit, y)] += disciplined
    leaders = set(
        RankingEntry.objects.filter(
            rank=1,
            ranking__status="published",
            ranking__period="nam",
            ranking__cluster__organiser=Cluster.Organiser.BO_NGANH_TINH,
        ).values_list("unit_id", "ranking__year")
    )
    bad = []
    for u, award_id, y in h.unit_awards:
        where = f"{award_id} {y} (đơn vị {u})"
        key = (u, y)
        rating = h.unit_rating.get(key)
        share_ok = members[key] > 0 and ldtt[key] >= 0.7 * members[key]
        if award_id == "tap_the_lao_dong_tien_tien" and not (
            rating in AT_LEAST_HTT and share_ok and serious[key] == 0
        ):
            bad.append(
                f"{where}: xếp loại {rating}, {ldtt[key]}/{members[key]} LĐTT, {serious[key]} bị kỷ luật"
            )
        if award_id == "tap_the_lao_dong_xuat_sac" and not (
            rating == HTXS and share_ok and below_ht[key] == 0 and cstdcs[key] >= 1
        ):
            bad.append(
                f"{where}: xếp loại {rating}, {ldtt[key]}/{members[key]} LĐTT, "
                f"{below_ht[key]} dưới mức hoàn thành, {cstdcs[key]} CSTĐCS"
            )
        if award_id == "co_thi_dua_bo_tinh" and key not in leaders:
            bad.append(f"{where}: không dẫn đầu cụm thi đua năm đó")
    return bad


def test_nobody_holds_a_title_the_law_would_not_grant(demo: str, db: Any) -> None:
    history = _History()
    assert _individual_violations(history) == []
    assert _collective_violations(history) == []
    # Not vacuous: every title and form occurs in the demo.
    granted = Counter(a[1] for a in history.person_awards) + Counter(a[1] for a in history.unit_awards)
    for award_id in (*INDIVIDUAL, *COLLECTIVE):
        assert granted[award_id] > 0, award_id


def test_htxs_stays_within_twenty_percent_of_htt(demo: str, db: Any) -> None:
    counts = Counter(Rating.objects.filter(person__isnull=False).values_list("year", "value").order_by())
    for year in range(2021, 2026):
        good = counts[(year, RatingValue.HOAN_THANH_TOT)]
        assert 0 < counts[(year, HTXS)] <= 0.2 * good


def test_the_check_catches_a_title_granted_against_the_law(demo: str, db: Any) -> None:
    """The checker is not blind: plant unlawful titles and see each one reported."""
    weak = Rating.objects.filter(person__isnull=False, value=RatingValue.HOAN_THANH).first()
    assert weak is not None and weak.person is not None
    AwardRecord.objects.create(
        person=weak.person,
        kind="title",
        award_id="lao_dong_tien_tien",
        year=weak.year,
        decided_on=date(2026, 1, 9),
    )
    AwardRecord.objects.create(
        person=weak.person,
        kind="form",
        award_id="bang_khen_bo_tinh",
        year=weak.year,
        decided_on=date(2026, 6, 1),
    )
    loser = RankingEntry.objects.filter(rank=2, ranking__period="nam").select_related("ranking").first()
    assert loser is not None
    AwardRecord.objects.create(
        unit=loser.unit,
        kind="title",
        award_id="co_thi_dua_bo_tinh",
        year=loser.ranking.year,
        decided_on=date(2026, 1, 9),
    )
    history = _History()
    individual = _individual_violations(history)
    assert any(v.startswith(f"lao_dong_tien_tien {weak.year} (nhân sự {weak.person.pk})") for v in individual)
    assert any(v.startswith(f"bang_khen_bo_tinh {weak.year} (nhân sự {weak.person.pk})") for v in individual)
    assert any(
        v.startswith(f"co_thi_dua_bo_tinh {loser.ranking.year} (đơn vị {loser.unit.pk})")
        for v in _collective_violations(history)
    )
