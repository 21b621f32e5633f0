"""Writing the generated demo data: bulk inserts in chunks, derived columns computed here.

`bulk_create` bypasses `save()`, so `path`, `depth`, `name_folded` and `sort_key` are computed with the
same functions the models use (`fold`, `name_sort_key`). The reorganisation goes through
`thidua.org.services` (merge and rename keep their lineage and audit entries); everything else is
one audit entry, `demo.loaded`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max, Q
from django.utils import timezone

from thidua.accounts.models import User
from thidua.audit.services import log
from thidua.demo.generator import AwardRow, PersonRow, Tally, generate_collectives, generate_people
from thidua.demo.organisation import ROOT_CODE, ClusterPlan, MergePlan, OrgPlan, RenamePlan, build_org
from thidua.history.models import AwardRecord, Discipline, Initiative, Leave, PendingProceeding, Rating
from thidua.lib.text import fold, name_sort_key, nfc
from thidua.movements.models import Movement, Period, Ranking, RankingEntry
from thidua.org import services
from thidua.org.models import (
    Cluster,
    ClusterMember,
    Membership,
    Organisation,
    Person,
    Position,
    Role,
    Unit,
)
from thidua.rules import load_ruleset

DEMO_PASSWORD = "thidua2026"
BATCH_SIZE = 2000
SQLITE_CACHE_KIB = -131_072  # negative: KiB, as SQLite's PRAGMA cache_size takes it
Row = tuple[Any, ...]
STAFF_TITLES = ("Chuyên viên", "Chuyên viên chính", "Kế toán viên", "Nhân viên")


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    unit_code: str
    superuser: bool = False
    person_title: str = ""  # link the account to the first person of the unit with this title


ACCOUNTS = (
    DemoAccount("admin", Role.ADMIN, ROOT_CODE, superuser=True),
    DemoAccount("canbo.bhxhvn", Role.OFFICER, ROOT_CODE),
    DemoAccount("canbo.hanoi", Role.OFFICER, "BHXH-01"),
    DemoAccount("giamdoc.hanoi", Role.UNIT_HEAD, "BHXH-01", person_title="Giám đốc"),
    DemoAccount("hoidong.hanoi", Role.COUNCIL_MEMBER, "BHXH-01", person_title="Phó Giám đốc"),
    DemoAccount("nhanvien.hanoi", Role.STAFF, "BHXH-01", person_title="*staff"),
)


@dataclass
class LoadResult:
    people: int = 0
    rows: int = 0
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)
    accounts: list[tuple[str, str, str, str]] = field(default_factory=list)  # username, password, role, unit

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


def is_loaded() -> bool:
    return Unit.objects.filter(code=ROOT_CODE).exists()


def load_demo(
    *,
    seed: int = 2026,
    people: int = 5000,
    chunk: int = 5000,
    progress: Callable[[int, int], None] | None = None,
) -> LoadResult:
    """Create the whole demo in one transaction; refuse nothing (the caller checks `is_loaded`)."""
    started = time.perf_counter()
    result = LoadResult()
    with _sqlite_cache(), transaction.atomic():
        plan = build_org(seed)
        units = _create_units(plan, result)
        # BHXH Việt Nam answers to the Ministry of Finance since 01/03/2025 (QĐ 391/QĐ-BTC).
        Organisation.objects.create(root=units[ROOT_CODE], sector="bhxh", parent_body="Bộ Tài chính")
        _reorganise(plan, units)
        _create_clusters(plan, units, result)
        tally = Tally()
        writer = _RawWriter(result)
        for rows in generate_people(plan, people, seed, tally=tally, chunk=chunk):
            writer.people(rows, units)
            result.people += len(rows)
            if progress is not None:
                progress(result.people, people)
        writer.finish()
        _write_collectives(plan, tally, seed, units, result)
        result.accounts = _create_accounts(units)
        result.seconds = time.perf_counter() - started
        log(
            "demo.loaded",
            actor=None,
            obj=units[ROOT_CODE],
            unit_path=units[ROOT_CODE].path,
            detail={"seed": seed, "people": result.people, "rows": result.rows, "counts": result.counts},
        )
    result.seconds = time.perf_counter() - started
    return result


@contextmanager
def _sqlite_cache() -> Iterator[None]:
    """A bigger SQLite page cache while loading (128 MB): index inserts stay in memory at 1,000,000 people."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = {SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


def _bulk(model: type[models.Model], objs: list[models.Model], result: LoadResult) -> None:
    if not objs:
        return
    model._default_manager.bulk_create(objs, batch_size=BATCH_SIZE)
    label = model._meta.model_name or ""
    result.counts[label] = result.counts.get(label, 0) + len(objs)
    result.rows += len(objs)


def _create_units(plan: OrgPlan, result: LoadResult) -> dict[str, Unit]:
    """Units level by level (parents first), with `path` and `depth` set once the ids are known."""
    units: dict[str, Unit] = {}
    level = [u for u in plan.units if u.parent is None]
    depth = 0
    while level:
        objs = [
            Unit(
                code=u.code,
                name=nfc(u.name),
                short_name=u.short_name,
                kind=u.kind,
                parent=units[u.parent] if u.parent else None,
                is_legal_entity=u.is_legal_entity,
                province_code=u.province_code,
                place_name=u.place_name,
                symbol=u.symbol,
                valid_from=u.valid_from,
                depth=depth,
            )
            for u in level
        ]
        for obj in objs:
            obj.derive_fields()
        Unit.objects.bulk_create(objs, batch_size=BATCH_SIZE)
        for obj in objs:
            parent_path = obj.parent.path if obj.parent else "/"
            obj.path = f"{parent_path}{obj.pk}/"
            units[obj.code] = obj
        Unit.objects.bulk_update(objs, ["path"], batch_size=BATCH_SIZE)
        result.rows += len(objs)
        codes = {u.code for u in level}
        level = [u for u in plan.units if u.parent in codes]
        depth += 1
    result.counts["unit"] = len(units)
    return units


def _reorganise(plan: OrgPlan, units: dict[str, Unit]) -> None:
    """The 2025 reorganisation through the org services, so lineage is real: 63 → 34 khu vực → 34 tỉnh."""
    for step in plan.reorgs:
        if isinstance(step, MergePlan):
            services.merge_units(
                actor=None,
                units=[units[code] for code in step.units],
                into=units[step.into],
                effective_on=step.effective_on,
                decision=step.decision,
                transfer_people=False,
            )
        elif isinstance(step, RenamePlan):
            unit = units[step.unit]
            services.rename_unit(
                actor=None,
                unit=unit,
                new_name=step.new_name,
                effective_on=step.effective_on,
                decision=step.decision,
            )
            unit.kind = step.new_kind
            Unit.objects.filter(pk=unit.pk).update(kind=step.new_kind)
    for unit in units.values():
        unit.refresh_from_db(fields=["valid_to", "name", "name_folded", "kind"])


def _create_clusters(plan: OrgPlan, units: dict[str, Unit], result: LoadResult) -> None:
    clusters = [
        Cluster(
            name=c.name,
            year=c.year,
            organiser=Cluster.Organiser.BO_NGANH_TINH,
            organiser_unit=units[ROOT_CODE],
            head_unit=units[c.head],
        )
        for c in plan.clusters
    ]
    _bulk(Cluster, list(clusters), result)
    members: list[models.Model] = [
        ClusterMember(cluster=cluster, unit=units[code])
        for cluster, c in zip(clusters, plan.clusters, strict=True)
        for code in c.members
    ]
    _bulk(ClusterMember, members, result)
    _record_past_rankings(plan, clusters, units, result)


def _record_past_rankings(
    plan: OrgPlan, clusters: list[Cluster], units: dict[str, Unit], result: LoadResult
) -> None:
    """The ranks of the years before ThiĐua: for each reviewed year, the sector's regular movement
    (closed) and a published yearly ranking per cluster, ranks only (as `record_ranking` stores them).
    They are the one source of cluster ranks the year-end reads."""
    years = sorted({c.year for c in plan.clusters if c.ranks})
    movements = {
        year: Movement(
            title=f"Thi đua thực hiện nhiệm vụ chính trị năm {year} của ngành BHXH",
            kind=Movement.Kind.REGULAR,
            authority=Movement.Authority.BO_NGANH_TINH,
            authority_name="Tổng Giám đốc Bảo hiểm xã hội Việt Nam",
            launching_unit=units[ROOT_CODE],
            start_year=year,
            end_year=year,
            status=Movement.Status.CLOSED,
            launched_on=date(year, 1, 15),
            closed_on=date(year + 1, 1, 20),
        )
        for year in years
    }
    _bulk(Movement, list(movements.values()), result)
    published = timezone.make_aware(datetime(2000, 1, 20, 9, 0))
    rankings: list[tuple[Ranking, ClusterPlan]] = [
        (
            Ranking(
                movement=movements[c.year],
                cluster=cluster,
                year=c.year,
                period=Period.YEAR,
                status=Ranking.Status.PUBLISHED,
                published_on=published.replace(year=c.year + 1),
                notes=["Ghi nhận kết quả xếp hạng (chấm điểm ngoài hệ thống)"],
            ),
            c,
        )
        for cluster, c in zip(clusters, plan.clusters, strict=True)
        if c.ranks
    ]
    _bulk(Ranking, [r for r, _ in rankings], result)
    entries: list[models.Model] = [
        RankingEntry(ranking=ranking, unit=units[code], rank=rank)
        for ranking, c in rankings
        for code, rank in zip(c.members, c.ranks or (), strict=True)
    ]
    _bulk(RankingEntry, entries, result)


@lru_cache(maxsize=4096)
def demo_prize(award_id: str, subject_kind: str, decided_on: date) -> int | None:
    """The prize of an award of the generated history: the ruleset's coefficient × the base salary on
    the decision day (the same-period rule of NĐ 152/2025 Đ49, which the year-end applies, is not
    applied to the generated history)."""
    try:
        ruleset = load_ruleset(on=decided_on)
    except KeyError:
        return None
    if award_id not in ruleset.items:
        return None
    try:
        return ruleset.prize_vnd(award_id, subject_kind, decided_on)
    except LookupError:
        return None


def _award(row: AwardRow, *, person: Person | None = None, unit: Unit | None = None) -> AwardRecord:
    return AwardRecord(
        prize_vnd=demo_prize(
            row.award_id, "individual" if person is not None else "collective", row.decided_on
        ),
        person=person,
        unit=unit,
        kind=row.kind,
        award_id=row.award_id,
        year=row.year,
        decided_on=row.decided_on,
        decision_number=row.decision_number,
        decided_by=row.decided_by,
    )


def _column(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)
    return str(field.column)


class _RawWriter:
    """Plain tuples written with `executemany` (`COPY` on PostgreSQL): too many rows for model instances.

    Person ids are allocated here (after the current maximum), so the child rows need no round trip;
    the PostgreSQL sequence is moved past them at the end (`finish`).
    """

    def __init__(self, result: LoadResult) -> None:
        self.result = result
        self.now = connection.ops.adapt_datetimefield_value(timezone.now())
        self.copy = connection.vendor == "postgresql"  # COPY there, executemany elsewhere
        self.next_person_id = (Person.objects.aggregate(m=Max("id"))["m"] or 0) + 1
        self.sql: dict[str, tuple[str, int]] = {}
        # Names repeat a lot (a few tens of thousands of distinct ones): fold and sort each once.
        self.name_keys: dict[str, tuple[str, str]] = {}

    def day(self, value: date | None) -> date | str | None:
        if value is None:
            return None
        return value if self.copy else value.isoformat()

    def insert(self, model: type[models.Model], fields: tuple[str, ...], rows: Sequence[Row]) -> None:
        if not rows:
            return
        key = model._meta.label
        if key not in self.sql:
            qn = connection.ops.quote_name
            stamped = [f.name for f in model._meta.concrete_fields if f.name in ("created_at", "updated_at")]
            columns = [_column(model, name) for name in (*fields, *stamped)]
            target = f"{qn(model._meta.db_table)} ({', '.join(qn(c) for c in columns)})"
            if not self.copy:
                sql = f"INSERT INTO {target} VALUES ({', '.join(['%s'] * len(columns))})"
            else:
                sql = f"COPY {target} FROM STDIN"
            self.sql[key] = (sql, len(stamped))
        sql, n_stamps = self.sql[key]
        stamps = (self.now,) * n_stamps
        data: list[Any] = [(*row, *stamps) for row in rows]
        with connection.cursor() as cursor:
            if not self.copy:
                for i in range(0, len(data), BATCH_SIZE * 5):
                    cursor.executemany(sql, data[i : i + BATCH_SIZE * 5])
            else:
                # PostgreSQL: COPY is an order of magnitude faster than INSERT for millions of rows.
                with cursor.cursor.copy(sql) as copy:
                    for item in data:
                        copy.write_row(item)
        label = model._meta.model_name or ""
        self.result.counts[label] = self.result.counts.get(label, 0) + len(rows)
        self.result.rows += len(rows)

    def finish(self) -> None:
        statements = connection.ops.sequence_reset_sql(no_style(), [Person])
        if statements:
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)

    def people(self, rows: list[PersonRow], units: dict[str, Unit]) -> None:
        day = self.day
        unit_id = {code: unit.pk for code, unit in units.items()}
        people: list[Row] = []
        positions: list[Row] = []
        ratings: list[Row] = []
        awards: list[Row] = []
        initiatives: list[Row] = []
        disciplines: list[Row] = []
        proceedings: list[Row] = []
        leaves: list[Row] = []
        for row in rows:
            pid = self.next_person_id
            self.next_person_id += 1
            name = nfc(row.full_name)
            keys = self.name_keys.get(name)
            if keys is None:
                keys = self.name_keys[name] = (fold(name), name_sort_key(name))
            people.append(
                (
                    pid,
                    row.citizen_id,
                    name,
                    row.gender,
                    day(row.date_of_birth),
                    day(row.recruited_on),
                    row.email,
                    row.phone,
                    unit_id[row.unit],
                    row.title,
                    *keys,
                    row.direct_worker,
                    row.ethnicity,
                )
            )
            for code, title, start, end in row.positions:
                positions.append((pid, unit_id[code], title, day(start), day(end)))
            for year, value in row.ratings.items():
                ratings.append((pid, year, value))
            for a in row.awards:
                awards.append(
                    (
                        pid,
                        a.kind,
                        a.award_id,
                        a.year,
                        day(a.decided_on),
                        a.decision_number,
                        a.decided_by,
                        "",
                        demo_prize(a.award_id, "individual", a.decided_on),
                    )
                )
            for ini in row.initiatives:
                initiatives.append(
                    (pid, "initiative", ini.code, ini.title, ini.year, ini.scope, ini.used_for)
                )
            for form, decided_on, until in row.disciplines:
                disciplines.append((pid, form, day(decided_on), day(until)))
            for kind, since in row.proceedings:
                proceedings.append((pid, kind, day(since)))
            for reason, start, end in row.leaves:
                leaves.append((pid, reason, day(start), day(end)))
        self.insert(Person, PERSON_FIELDS, people)
        self.insert(Position, ("person", "unit", "title", "started_on", "ended_on"), positions)
        self.insert(Rating, ("person", "year", "value"), ratings)
        self.insert(
            AwardRecord,
            (
                "person",
                "kind",
                "award_id",
                "year",
                "decided_on",
                "decision_number",
                "decided_by",
                "revocation_ground",
                "prize_vnd",
            ),
            awards,
        )
        self.insert(Initiative, ("person", "kind", "code", "title", "year", "scope", "used_for"), initiatives)
        self.insert(Discipline, ("person", "form", "decided_on", "until"), disciplines)
        self.insert(PendingProceeding, ("person", "kind", "since"), proceedings)
        self.insert(Leave, ("person", "reason", "started_on", "ended_on"), leaves)


PERSON_FIELDS = (
    "id",
    "citizen_id",
    "full_name",
    "gender",
    "date_of_birth",
    "recruited_on",
    "email",
    "phone",
    "current_unit",
    "current_title",
    "name_folded",
    "sort_key",
    "is_direct_worker",
    "ethnicity",
)


def _write_collectives(
    plan: OrgPlan, tally: Tally, seed: int, units: dict[str, Unit], result: LoadResult
) -> None:
    ratings: list[models.Model] = []
    awards: list[models.Model] = []
    for row in generate_collectives(plan, tally, seed):
        unit = units[row.unit]
        ratings.append(Rating(unit=unit, year=row.year, value=row.rating))
        awards.extend(_award(a, unit=unit) for a in row.awards)
    _bulk(Rating, ratings, result)
    _bulk(AwardRecord, awards, result)


def _create_accounts(units: dict[str, Unit]) -> list[tuple[str, str, str, str]]:
    """One account per role; the unit head and the staff member are linked to their own person records."""
    password = make_password(DEMO_PASSWORD)
    table = []
    for account in ACCOUNTS:
        unit = units[account.unit_code]
        person = None
        if account.person_title == "*staff":
            person = (
                Person.objects.filter(
                    current_unit__path__startswith=unit.path, current_unit__kind=Unit.Kind.PHONG
                )
                .filter(current_title__in=STAFF_TITLES)
                .order_by("id")
                .first()
            )
        elif account.person_title:
            person = (
                Person.objects.filter(
                    current_unit=unit, current_title=account.person_title, user__isnull=True
                )
                .order_by("id")
                .first()
            )
            if person is None:  # a small demo: a leader elsewhere in the unit's subtree
                person = (
                    Person.objects.filter(current_unit__path__startswith=unit.path, user__isnull=True)
                    .filter(Q(current_title__startswith="Phó") | Q(current_title__startswith="Trưởng"))
                    .order_by("id")
                    .first()
                )
        user = User.objects.create(
            username=account.username,
            password=password,
            is_superuser=account.superuser,
            is_staff=account.superuser,
            first_name=person.full_name if person else "",
        )
        if person is not None:
            person.user = user
            person.save(update_fields=["user"])
        member_unit = (
            person.current_unit if account.role == Role.STAFF and person and person.current_unit else unit
        )
        Membership.objects.create(user=user, unit=member_unit, role=account.role)
        label = Role(account.role).label
        if person is not None:
            label = f"{label} ({person.full_name}, {person.current_title})"
        table.append((account.username, DEMO_PASSWORD, label, member_unit.name))
    return table


def demo_accounts_table() -> list[tuple[str, str, str, str]]:
    """The demo accounts as they are in the database (for printing again on later runs)."""
    table = []
    users = User.objects.filter(username__in=[a.username for a in ACCOUNTS]).select_related("person")
    by_name = {u.username: u for u in users}
    for account in ACCOUNTS:
        user = by_name.get(account.username)
        if user is None:
            continue
        membership = user.memberships.select_related("unit").first()
        if membership is None:
            continue
        label = Role(membership.role).label
        person = getattr(user, "person", None)
        if person is not None:
            label = f"{label} ({person.full_name}, {person.current_title})"
        table.append((user.username, DEMO_PASSWORD, label, membership.unit.name))
    return table
