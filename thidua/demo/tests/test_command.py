"""`thidua demo`: what it loads, the accounts it prints, `--once`, the 2025 lineage."""

from __future__ import annotations

from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from conftest import DEMO_PEOPLE, DEMO_SEED
from thidua.accounts.models import User
from thidua.audit.models import AuditEntry
from thidua.demo.generator import generate_people
from thidua.demo.loader import DEMO_PASSWORD
from thidua.demo.organisation import build_org
from thidua.demo.year_end import DEMO_DAY
from thidua.history.models import AwardRecord, Discipline, Leave, PendingProceeding, Rating
from thidua.lib.text import fold, name_sort_key
from thidua.movements.models import Ranking, RankingEntry
from thidua.org.citizen_id import make_citizen_id
from thidua.org.models import Cluster, Membership, Person, Position, ReorgEvent, Role, Unit
from thidua.org.services import create_person, predecessors

pytestmark = pytest.mark.django_db


def test_it_loads_the_bhxh_organisation(demo: str, db: Any) -> None:
    root = Unit.objects.get(code="BHXH-VN")
    assert root.kind == Unit.Kind.CO_QUAN and root.parent is None
    assert Unit.objects.filter(parent=root, kind__in=[Unit.Kind.BAN, Unit.Kind.SU_NGHIEP]).count() == 14
    provinces = Unit.objects.filter(parent=root, kind=Unit.Kind.BHXH_TINH, valid_to__isnull=True)
    assert provinces.count() == 34
    hanoi = Unit.objects.get(code="BHXH-01")
    assert hanoi.name == "Bảo hiểm xã hội thành phố Hà Nội"
    assert hanoi.children.filter(kind=Unit.Kind.PHONG).count() == 9
    assert hanoi.children.filter(kind=Unit.Kind.BHXH_CO_SO).count() >= 3
    for unit in Unit.objects.all():
        assert unit.path.endswith(f"/{unit.pk}/")
        assert unit.path == (unit.parent.path if unit.parent else "/") + f"{unit.pk}/"
        assert unit.name_folded == fold(f"{unit.name} {unit.code} {unit.short_name}")


def test_it_keeps_the_lineage_of_the_merged_provinces(demo: str, db: Any) -> None:
    bac_ninh = Unit.objects.get(code="BHXH-24")
    assert bac_ninh.name == "Bảo hiểm xã hội tỉnh Bắc Ninh"
    lineage = {unit.name: event for unit, event in predecessors(bac_ninh)}
    assert set(lineage) == {"Bảo hiểm xã hội tỉnh Bắc Giang", "Bảo hiểm xã hội tỉnh Bắc Ninh"}
    for event in lineage.values():
        assert event.kind == ReorgEvent.Kind.MERGE and event.decision == "391/QĐ-BTC"
    old = Unit.objects.get(code="BHXH-63-24")
    assert str(old.valid_to) == "2025-03-31"
    rename = ReorgEvent.objects.get(links__successor=bac_ninh, kind=ReorgEvent.Kind.RENAME)
    assert rename.decision == "2286/QĐ-BTC" and str(rename.effective_on) == "2025-07-01"
    assert rename.detail["old_name"] == "Bảo hiểm xã hội khu vực XI"
    # People of the old unit carry their history into the new one.
    moved = Position.objects.filter(unit=old).values_list("person", flat=True)
    assert Person.objects.filter(pk__in=moved, current_unit__path__startswith=bac_ninh.path).count() == len(
        moved
    )
    assert len(predecessors(Unit.objects.get(code="BHXH-37"))) == 3  # Hà Nam, Nam Định, Ninh Bình


def test_it_loads_people_with_positions_history_and_events(demo: str, db: Any) -> None:
    assert Person.objects.count() == DEMO_PEOPLE
    person = Person.objects.order_by("id").first()
    assert person is not None
    assert person.sort_key == name_sort_key(person.full_name)
    assert person.name_folded == fold(person.full_name)
    assert Person.objects.search(fold(person.full_name)).filter(pk=person.pk).exists()
    for p in Person.objects.all():
        open_positions = list(p.positions.filter(ended_on__isnull=True))
        assert len(open_positions) == 1 and open_positions[0].unit_id == p.current_unit_id
    assert Position.objects.filter(ended_on__isnull=False).exists()
    titles = set(Person.objects.values_list("current_title", flat=True))
    assert {"Giám đốc", "Trưởng phòng", "Phó Trưởng phòng", "Chuyên viên"} <= titles
    assert Discipline.objects.exists() and Leave.objects.exists() and PendingProceeding.objects.exists()
    number = AwardRecord.objects.values_list("decision_number", flat=True).first()
    assert number is not None and "/QĐ-" in number


def test_it_stores_the_people_the_seed_determines(demo: str, db: Any) -> None:
    """Same seed, same people: the first rows in the database are the generator's first people."""
    plan = build_org(DEMO_SEED)
    expected = [p for rows in generate_people(plan, DEMO_PEOPLE, DEMO_SEED) for p in rows][:25]
    stored = Person.objects.order_by("id").values_list("citizen_id", "full_name", "gender", "date_of_birth")[
        :25
    ]
    assert list(stored) == [(p.citizen_id, p.full_name, p.gender, p.date_of_birth) for p in expected]


def test_it_records_clusters_with_heads_and_past_rankings(demo: str, db: Any) -> None:
    cum5 = Cluster.objects.get(name="Cụm thi đua số 5", year=2026)
    assert cum5.organiser == Cluster.Organiser.BO_NGANH_TINH and cum5.organiser_unit.code == "BHXH-VN"
    assert cum5.head_unit is not None and cum5.head_unit.name == "Bảo hiểm xã hội tỉnh Quảng Ninh"
    assert set(cum5.members.values_list("province_code", flat=True)) == {"25", "22", "24", "19", "33", "37"}
    cum8 = Cluster.objects.get(name="Cụm thi đua số 8", year=2025)
    assert cum8.head_unit is not None and cum8.head_unit.code == "BHXH-75"
    assert set(Cluster.objects.values_list("year", flat=True)) == {2021, 2022, 2023, 2024, 2025, 2026}
    # The ranks of 2021–2025: published yearly rankings of the sector's regular movement of each year.
    for cluster in Cluster.objects.filter(year__lte=2025, name__startswith="Cụm thi đua số"):
        ranking = Ranking.objects.get(cluster=cluster, period="nam", status="published")
        assert ranking.movement.kind == "thuong_xuyen" and ranking.year == cluster.year
        ranks = sorted(ranking.entries.values_list("rank", flat=True))
        assert ranks == list(range(1, cluster.members.count() + 1))
    # 2026 is ranked by the year-end of the demo (scored results, not recorded ranks).
    assert not RankingEntry.objects.filter(ranking__year=2026, total__isnull=True).exists()


def test_it_creates_one_account_per_role(demo: str, db: Any, settings: Any) -> None:
    # The demo was loaded before the fast test hasher was switched on.
    settings.PASSWORD_HASHERS = [
        *settings.PASSWORD_HASHERS,
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    expected = {
        "admin": (Role.ADMIN, "BHXH-VN"),
        "canbo.bhxhvn": (Role.OFFICER, "BHXH-VN"),
        "canbo.hanoi": (Role.OFFICER, "BHXH-01"),
        "giamdoc.hanoi": (Role.UNIT_HEAD, "BHXH-01"),
        "hoidong.hanoi": (Role.COUNCIL_MEMBER, "BHXH-01"),
    }
    admin = User.objects.get(username="admin")
    for username, (role, code) in expected.items():
        user = User.objects.get(username=username)
        assert list(user.memberships.values_list("role", "unit__code")) == [(role, code)]
        assert user.password == admin.password  # the same demo password
        assert username in demo
    assert authenticate(username="admin", password=DEMO_PASSWORD) == admin
    assert User.objects.get(username="admin").is_superuser
    head = User.objects.get(username="giamdoc.hanoi")
    assert head.person is not None and head.person.current_title == "Giám đốc"
    staff = User.objects.get(username="nhanvien.hanoi")
    membership = Membership.objects.get(user=staff)
    assert membership.role == Role.STAFF
    assert staff.person is not None and staff.person.current_unit_id == membership.unit_id
    assert membership.unit.path.startswith(Unit.objects.get(code="BHXH-01").path)
    assert "Tài khoản mẫu" in demo and DEMO_PASSWORD in demo and len(DEMO_PASSWORD) >= 8


def test_it_writes_one_audit_entry_for_the_load(demo: str, db: Any) -> None:
    entry = AuditEntry.objects.get(action="demo.loaded")
    assert entry.detail["people"] == DEMO_PEOPLE
    assert not AuditEntry.objects.filter(action__startswith="person.").exists()
    assert Rating.objects.filter(unit__isnull=False).exists()


def test_people_can_be_added_after_the_bulk_load(demo: str, db: Any) -> None:
    """The ids allocated by the loader leave the id sequence usable (PostgreSQL)."""
    unit = Unit.objects.get(code="BHXH-01")
    person = create_person(
        actor=None,
        citizen_id=make_citizen_id("001", "nu", 1995, 999_999),
        full_name="Lê Thị Thu Hà",
        gender="nu",
        unit=unit,
        date_of_birth=date(1995, 3, 8),
    )
    assert person.pk > max(Person.objects.exclude(pk=person.pk).values_list("pk", flat=True))
    assert person.sort_key == name_sort_key("Lê Thị Thu Hà")


def test_once_does_nothing_when_loaded(demo: str, db: Any) -> None:
    before = (Person.objects.count(), AwardRecord.objects.count(), User.objects.count())
    out = StringIO()
    call_command("demo", once=True, stdout=out)
    assert "đã có" in out.getvalue()
    # make run prints the demo accounts every time, not only on the first load.
    assert "canbo.hanoi" in out.getvalue() and "thidua2026" in out.getvalue()
    assert (Person.objects.count(), AwardRecord.objects.count(), User.objects.count()) == before
    with pytest.raises(CommandError):
        call_command("demo", stdout=StringIO())


def test_the_demo_council_seats_the_personas_staff_records(demo: str, db: Any) -> None:
    """The council personas hold a seat through the staff record linked to their login."""
    from thidua.awards.models import Council
    from thidua.awards.services.council import member_for

    council = Council.objects.get(unit__code="BHXH-01", unit__valid_to__isnull=True)
    for username, role in (("giamdoc.hanoi", "chu_tich"), ("hoidong.hanoi", "thu_ky")):
        user = User.objects.get(username=username)
        seat = member_for(user, council)
        assert seat is not None and seat.role == role
        assert seat.person == user.person  # the login's own staff record
    title = User.objects.get(username="hoidong.hanoi").person.current_title
    assert title.startswith(("Phó", "Trưởng"))  # a leader's record (Phó Giám đốc in a full demo)


def test_one_whole_year_is_joined_up_from_registration_to_the_decision(demo: str, db: Any) -> None:
    from thidua.awards.models import Candidate, Council, Decision, Dossier
    from thidua.eligibility.adapters import movement_sources
    from thidua.history.years import year_under_review
    from thidua.movements.models import Registration

    hanoi = Unit.objects.get(code="BHXH-01", valid_to__isnull=True)
    assert Registration.objects.filter(unit=hanoi, year=2026, status="approved").exists()
    assert Ranking.objects.filter(year=2026, period="nam", status="published").count() == 8
    # 2025 closed: the year-end pages open on the year being judged (on the demo's own day, not the
    # clock's: in 2028 the clock's previous year is 2027).
    assert year_under_review(today=DEMO_DAY) == 2026
    council = Council.objects.get(unit=hanoi)
    ballot = council.meetings.get().ballots.get()
    assert ballot.status == "closed" and all(item.passed for item in ballot.items.all())
    assert Candidate.objects.filter(unit=hanoi, year=2026, status="confirmed").exists()
    decided = Dossier.objects.filter(unit=hanoi, year=2026, status="decided")
    assert decided.exists() and Decision.objects.filter(dossier__in=decided).count() == decided.count()
    assert AwardRecord.objects.filter(year=2026, decision_link__isnull=False).exists()
    # Lower titles first (law.md §2; Luật 06/2022 Đ28: the share counts members' LĐTT awarded): the
    # unit's TTLĐTT waited for its members' LĐTT decision and was decided after it.
    own = Decision.objects.filter(dossier__unit=hanoi, dossier__year=2026)
    ldtt = own.get(dossier__award_id="lao_dong_tien_tien")
    ttldtt = own.get(dossier__award_id="tap_the_lao_dong_tien_tien")
    assert ttldtt.signed_on is not None and ldtt.signed_on is not None and ttldtt.signed_on > ldtt.signed_on
    assert not Candidate.objects.filter(unit=hanoi, year=2026, status="waiting").exists()
    # The collective titles stand on the published yearly ranking, shown with its source.
    fed = movement_sources([hanoi], year=2026)[hanoi.pk]
    assert any(f.record["type"] == "cluster_rank" and "năm 2026" in f.source for f in fed)
    assert "Một năm trọn vẹn 2026" in demo


def test_the_year_end_is_dated_in_the_demos_year_before_its_day(demo: str, db: Any) -> None:
    """No date of the year-end after the demo's day (31/12/2026), none in 2027: the council meets, then
    the dossiers are submitted and the decisions signed, in that order."""
    from thidua.awards.models import Decision, Dossier, Meeting, RegisterEntry

    meetings = list(Meeting.objects.filter(year=2026).values_list("held_on", flat=True))
    decisions = [
        d for d in Decision.objects.filter(dossier__year=2026).values_list("signed_on", flat=True) if d
    ]
    submitted = [d for d in Dossier.objects.filter(year=2026).values_list("submitted_on", flat=True) if d]
    assert Decision.objects.filter(dossier__year=2026).count() == len(decisions)  # every one signed
    awarded = list(AwardRecord.objects.filter(year=2026).values_list("decided_on", flat=True))
    registered = list(RegisterEntry.objects.filter(year=2026).values_list("issued_on", flat=True))
    assert meetings and decisions and submitted and awarded and registered
    for day in [*meetings, *decisions, *submitted, *awarded, *registered]:
        assert date(2026, 1, 1) <= day <= DEMO_DAY
    assert max(meetings) < min(decisions) and max(meetings) < min(submitted)
    assert not RegisterEntry.objects.filter(year=2027).exists()
