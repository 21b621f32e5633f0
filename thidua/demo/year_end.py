"""One whole year joined up, for a newcomer: the sector's movement of 2026 from registration to the
decision, through the same services an officer uses.

After `movements.load_seed_scenario` (registrations in January, results and rankings of quý I–III):

1. every BHXH tỉnh reports its figures for the whole year, reviewed and final; each "Cụm thi đua số N"
   of 2026 publishes its yearly ranking: the cluster ranks the year-end reads (with their source);
2. BHXH Việt Nam closes the ratings of 2025, so the year-end pages open on 2026;
3. Hà Nội (the walkthrough's province) rates the people of its own office and itself;
4. the rules engine proposes its candidates; the officer confirms them;
5. Hà Nội's council (Thủ trưởng as chair, the council officer as secretary, the emulation officer as
   member, each through their login) meets and votes on the titles that need a vote;
6. a dossier per title; the titles the unit's head decides are issued by Hà Nội itself (numbered
   decisions, award records, prize money);
7. lower titles first: the decisions of LĐTT and CSTĐCS release the titles that waited for them
   (the unit's TTLĐTT and TTLĐXS, judged on the office and its departments), taken in a second round.

Run twice, it changes nothing. Every date of it falls in December 2026, on or before `DEMO_DAY`, the
day the demo stands on: the year-end of the demo's own year, never after it (the sector holds its
cluster review in January, `criteria-example.yaml`, a deadline the demo's units meet early). Nothing
here reads the clock: the same seed gives the same dates whatever the day the demo is loaded.
"""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from django.db import transaction

from thidua.accounts.models import User
from thidua.awards import services as awards
from thidua.awards.models import Candidate, Council, CouncilMember, Dossier, Meeting
from thidua.awards.services.council import needs_council_vote
from thidua.awards.services.ratings import rated_people
from thidua.demo.movements import SECTOR_TITLE, SECTOR_YEAR, _demo_leaf_figure
from thidua.eligibility.services import ruleset_on
from thidua.history.models import ClosedRatingYear, RatingValue
from thidua.history.years import close_rating_year
from thidua.movements import services
from thidua.movements.models import Movement, Period, Ranking, Result
from thidua.org.models import ClusterMember, Person, Unit

YEAR = SECTOR_YEAR
# The demo's "today": the last day of the year it plays. The year-end below is dated before it:
# yearly results 15/12, the council 18/12, dossiers and decisions 21–23/12 (one working day a round).
DEMO_DAY = date(YEAR, 12, 31)
RESULTS_DAY = date(YEAR, 12, 15)
MEETING_DAY = date(YEAR, 12, 18)
PROVINCE_CODE = "BHXH-01"  # Hà Nội: giamdoc.hanoi, canbo.hanoi, hoidong.hanoi sign in there


def _yearly_results_and_rankings(actor: Any, movement: Movement, log: list[str]) -> int:
    """The whole year's figures of every member (reviewed, final) and each cluster's yearly ranking."""
    table_record = services.table_for(movement, YEAR, None)
    if table_record is None:
        return 0
    table = services.load_table_record(table_record)
    base = table.extra.get("worked_example", {}).get("inputs", {})
    rankings = list(
        Ranking.objects.filter(movement=movement, year=YEAR, period=Period.Q3).select_related("cluster")
    )
    members = ClusterMember.objects.filter(cluster__in=[r.cluster for r in rankings]).select_related("unit")
    units = sorted({m.unit for m in members}, key=lambda u: u.code)
    for unit in units:
        if Result.objects.filter(movement=movement, unit=unit, year=YEAR, period=Period.YEAR).exists():
            continue
        rng = random.Random(f"{unit.code}/nam")
        level = random.Random(unit.code).uniform(0.975, 1.05) * rng.uniform(0.99, 1.01)
        figures = {
            leaf.code: _demo_leaf_figure(leaf, base.get(leaf.code), level, 1.0, rng)
            for leaf in table.leaves()
        }
        result = services.save_result(
            actor=actor, movement=movement, unit=unit, year=YEAR, period=Period.YEAR, figures=figures,
            today=RESULTS_DAY,
        )  # fmt: skip
        services.submit_result(actor=actor, result=result)
        services.review_result(actor=actor, result=result, note="Cụm thẩm định cả năm: thống nhất")
        services.finalise_result(actor=actor, result=result)
    published = 0
    for ranking in rankings:
        yearly = services.compute_ranking(actor=actor, movement=movement, cluster=ranking.cluster, year=YEAR)
        services.publish_ranking(actor=actor, ranking=yearly)
        published += 1
    log.append(
        f"Tổng kết năm {YEAR}: kết quả cả năm của {len(units)} BHXH tỉnh, {published} bảng xếp hạng năm công bố"
    )
    return published


def _council(unit: Unit, people: list[Person]) -> Council:
    """Hà Nội's council: the head as chair (giamdoc.hanoi), the council officer as secretary
    (hoidong.hanoi), the emulation officer as member (canbo.hanoi); each votes through their login.
    A seat goes to the staff record linked to the login when there is one (`Person.user`), so the
    persona's seat, record and login agree."""
    logins = {
        u.username: u
        for u in User.objects.filter(username__in=["giamdoc.hanoi", "hoidong.hanoi", "canbo.hanoi"])
    }
    linked = {p.user_id: p for p in Person.objects.filter(user__in=logins.values())}
    taken: set[int] = set()

    def seat(username: str) -> tuple[Person, Any]:
        user = logins.get(username)
        person = linked.get(user.pk) if user is not None else None
        if person is None or person.pk in taken:
            person = next(p for p in people if p.pk not in taken and p.user_id is None)
        taken.add(person.pk)
        return person, user

    chair, chair_user = seat("giamdoc.hanoi")
    secretary, secretary_user = seat("hoidong.hanoi")
    member, member_user = seat("canbo.hanoi")
    return awards.create_council(
        actor=None,
        unit=unit,
        name=f"Hội đồng Thi đua – Khen thưởng {unit.name}",
        term_from=date(YEAR, 1, 1),
        members=[
            (chair, CouncilMember.Role.CHU_TICH, chair_user),
            (secretary, CouncilMember.Role.THU_KY, secretary_user),
            (member, CouncilMember.Role.UY_VIEN, member_user),
        ],
    )


def _vote(council: Council, meeting: Meeting | None, candidates: list[Candidate], log: list[str]) -> Meeting:
    """A secret ballot on `candidates` at the council's meeting (`MEETING_DAY`, held at the first vote)."""
    members = list(council.members.select_related("user"))
    present = [m for m in members if m.user_id is not None]
    if meeting is None:
        meeting = awards.hold_meeting(
            actor=None,
            council=council,
            year=YEAR,
            held_on=MEETING_DAY,
            present=present,
            place="Hà Nội",
        )
    ballot = awards.open_ballot(actor=None, meeting=meeting, candidates=candidates)
    items = list(ballot.items.all())
    for member in present:
        choices = {item.pk: "agree" for item in items}
        awards.cast_votes(actor=member.user, ballot=ballot, member=member, choices=choices)
    awards.close_ballot(actor=None, ballot=ballot)
    log.append(f"Hội đồng {council.unit.name} họp {MEETING_DAY:%d/%m/%Y}, bỏ phiếu kín {len(items)} đề nghị")
    return meeting


def _confirm_proposed(officer: Any, unit: Unit) -> None:
    proposed = Candidate.objects.filter(unit=unit, year=YEAR, status=Candidate.Status.PROPOSED)
    for candidate in proposed.select_related("person", "collective"):
        try:
            awards.confirm_candidate(actor=officer, candidate=candidate)
        except Exception:  # a quota or a rule refuses: the candidate stays proposed, as on the page
            continue


def load_year_end(actor: Any = None) -> list[str]:
    """The year-end of 2026 on the demo organisation (see the module docstring)."""
    log: list[str] = []
    movement = Movement.objects.filter(title=SECTOR_TITLE).first()
    unit = Unit.objects.filter(code=PROVINCE_CODE, valid_to__isnull=True).first()
    if movement is None or unit is None or unit.parent is None:
        return ["Bỏ qua tổng kết năm: chưa có phong trào năm của ngành hoặc BHXH Hà Nội."]
    if Council.objects.filter(unit=unit).exists():
        return []
    # Hà Nội's emulation officer acts for the unit (the audit log names them), as on the pages.
    officer = User.objects.filter(username="canbo.hanoi").first()
    with transaction.atomic():
        if movement.status == Movement.Status.RUNNING:
            _yearly_results_and_rankings(actor, movement, log)
        root = Unit.objects.get(pk=int(unit.path.strip("/").split("/")[0]))
        if not ClosedRatingYear.objects.filter(unit=root, year=YEAR - 1).exists():
            close_rating_year(actor=None, unit=root, year=YEAR - 1)
        # The unit is judged as a collective on its office and its departments (not on its BHXH cơ
        # sở, collectives of their own): each grid rates its own people, the office rates the unit.
        people = list(Person.objects.of_unit(unit, YEAR, reach="collective").vietnamese_order())
        if len(people) < 3:
            return [*log, "Bỏ qua tổng kết năm: BHXH Hà Nội có quá ít nhân sự."]
        rng = random.Random(f"xep-loai-{YEAR}")
        values: dict[int, str] = {
            p.pk: RatingValue.HOAN_THANH_XUAT_SAC if rng.random() < 0.15 else RatingValue.HOAN_THANH_TOT
            for p in people
        }
        separate = unit.separate_sub_units()
        grids = [
            unit,
            *Unit.objects.filter(path__startswith=unit.path, valid_to__isnull=True).exclude(pk=unit.pk),
        ]
        for grid in grids:
            if any(grid.path.startswith(path) for path in separate):
                continue
            own = {p.pk for p in rated_people(grid, YEAR)}
            if own or grid == unit:
                awards.save_ratings(
                    actor=officer,
                    unit=grid,
                    year=YEAR,
                    values={pk: v for pk, v in values.items() if pk in own},
                    unit_value=RatingValue.HOAN_THANH_XUAT_SAC if grid == unit else None,
                )
        summary = awards.propose_candidates(actor=officer, unit=unit, year=YEAR)
        log.append(
            f"BHXH Hà Nội: xếp loại {len(people)} người năm {YEAR}, {summary.proposed} đề xuất của bộ quy tắc, "
            f"{summary.waiting} chờ quyết định danh hiệu thấp hơn"
        )
        council = _council(unit, people)
        rs = ruleset_on(date(YEAR, 12, 31), unit=unit)
        meeting: Meeting | None = None
        decided = 0
        # Titles are decided lower first (law.md §2: "consecutive" counts lower titles awarded): the
        # first round decides LĐTT and CSTĐCS; their decisions release the titles that waited for them
        # (the unit's TTLĐTT, TTLĐXS once its members' LĐTT is decided), which the next round takes.
        for round_no in (1, 2, 3):
            _confirm_proposed(officer, unit)
            confirmed = list(
                Candidate.objects.filter(
                    unit=unit, year=YEAR, status=Candidate.Status.CONFIRMED, dossier__isnull=True
                ).select_related("person", "collective", "unit")
            )
            # A title already put in a dossier in an earlier round keeps that one dossier (one a year per
            # title): its candidates left out there (below the ballot's threshold) stay where they are.
            filed = set(Dossier.objects.filter(unit=unit, year=YEAR).values_list("award_id", flat=True))
            confirmed = [c for c in confirmed if c.award_id not in filed]
            if not confirmed:
                break
            voted = [c for c in confirmed if needs_council_vote(rs, c.award_id)]
            if voted:
                meeting = _vote(council, meeting, voted, log)
            for award_id in sorted({c.award_id for c in confirmed}):
                needs_vote = needs_council_vote(rs, award_id)
                dossier = awards.create_dossier(
                    actor=officer,
                    unit=unit,
                    year=YEAR,
                    award_id=award_id,
                    meeting=meeting if needs_vote else None,
                )
                if awards.dossier_route(dossier).own_unit:
                    awards.issue_decision(
                        actor=officer,
                        dossier=dossier,
                        version=dossier.version,
                        signed_on=date(YEAR, 12, 20 + round_no),
                        signer_name="Hoàng Thị Oanh",
                        signer_title="Giám đốc",
                        recipients="Như Điều 2;\nLưu: VT, TĐKT.",
                    )
                    decided += 1
                else:
                    awards.submit_dossier(
                        actor=officer,
                        dossier=dossier,
                        version=dossier.version,
                        on=date(YEAR, 12, 20 + round_no),
                    )
            waiting = Candidate.objects.filter(unit=unit, year=YEAR, status=Candidate.Status.WAITING).count()
            log.append(
                f"BHXH Hà Nội, lượt {round_no}: {len(confirmed)} đề nghị được xác nhận"
                + (f", {waiting} vẫn chờ quyết định danh hiệu thấp hơn" if waiting else "")
            )
        log.append(
            f"BHXH Hà Nội: {Dossier.objects.filter(unit=unit, year=YEAR).count()} hồ sơ đề nghị, {decided} quyết "
            f"định do Giám đốc ban hành, các hồ sơ còn lại trình BHXH Việt Nam thẩm định"
        )
    return log
