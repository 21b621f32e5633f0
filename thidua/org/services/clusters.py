"""Clusters and blocks (cụm, khối thi đua) per year: create, edit, add and remove members, and copy last
year's following the lineage of merged units, with every change listed for confirmation first.

Who: an officer (or admin) of the organising unit. A member must be a unit of the organiser's subtree
that exists in the cluster's year (not ended before 1 January, not started after 31 December).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction

from thidua.accounts.models import User
from thidua.audit.services import log
from thidua.core.errors import DomainError
from thidua.org.kinds import kind_of
from thidua.org.models import Cluster, ClusterMember, Unit
from thidua.org.services.common import check_stamp, diff, require_manage
from thidua.org.services.units import successors

NO_RIGHT = "Bạn không có quyền với cụm, khối thi đua của đơn vị này"
MIN_YEAR, MAX_YEAR = 2000, 2100


def exists_in_year(unit: Unit, year: int) -> bool:
    return (unit.valid_to is None or unit.valid_to >= date(year, 1, 1)) and (
        unit.valid_from is None or unit.valid_from <= date(year, 12, 31)
    )


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise DomainError(f"Năm phải từ {MIN_YEAR} đến {MAX_YEAR}", field="year")


def _check_members(
    organiser_unit: Unit, year: int, units: Iterable[Unit], field_name: str = "members"
) -> None:
    for unit in units:
        if not unit.path.startswith(organiser_unit.path):
            raise DomainError(
                f"'{unit}' không thuộc {organiser_unit}: chỉ chọn đơn vị trong phạm vi đơn vị tổ chức",
                field=field_name,
            )
        if not exists_in_year(unit, year):
            when = (
                f"đã ngừng hoạt động từ {unit.valid_to:%d/%m/%Y}"
                if unit.valid_to is not None and unit.valid_to < date(year, 1, 1)
                else f"chỉ hoạt động từ {unit.valid_from:%d/%m/%Y}"
            )
            raise DomainError(f"'{unit}' {when}: không còn tồn tại trong năm {year}", field=field_name)


def _check_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise DomainError("Cần nhập tên cụm, khối", field="name")
    if len(name) > 120:
        raise DomainError("Tên cụm, khối dài quá 120 ký tự", field="name")
    return name


@transaction.atomic
def create_cluster(
    *,
    actor: User | None,
    name: str,
    year: int,
    organiser_unit: Unit,
    members: Iterable[Unit] = (),
    head_unit: Unit | None = None,
    kind: str = Cluster.Kind.CUM,
    organiser: str | None = None,
) -> Cluster:
    """A cluster or block of `year` organised by `organiser_unit`, with its members and head unit.
    Its organiser level defaults from the organising unit's kind: a unit of bộ, ngành, tỉnh level
    organises for the Cờ thi đua of that level, any other unit for none."""
    require_manage(actor, organiser_unit, NO_RIGHT)
    if organiser is None:
        level = kind_of(organiser_unit).level
        organiser = Cluster.Organiser.BO_NGANH_TINH if level == "bo_nganh_tinh" else Cluster.Organiser.DON_VI
    name = _check_name(name)
    _check_year(year)
    member_list = list(dict.fromkeys(members))
    _check_members(organiser_unit, year, member_list)
    if head_unit is not None and head_unit not in member_list:
        raise DomainError("Cụm trưởng, khối trưởng phải là một đơn vị thành viên", field="head_unit")
    if Cluster.objects.filter(organiser_unit=organiser_unit, year=year, name=name).exists():
        raise DomainError(f"Đã có '{name}' năm {year}", field="name")
    cluster = Cluster.objects.create(
        name=name,
        year=year,
        organiser_unit=organiser_unit,
        head_unit=head_unit,
        kind=kind,
        organiser=organiser,
    )
    ClusterMember.objects.bulk_create([ClusterMember(cluster=cluster, unit=u) for u in member_list])
    log(
        "cluster.created",
        actor=actor,
        obj=cluster,
        unit_path=organiser_unit.path,
        detail={"members": [u.name for u in member_list], "head": head_unit.name if head_unit else None},
    )
    return cluster


@transaction.atomic
def update_cluster(
    *,
    actor: User | None,
    cluster: Cluster,
    version: str | None = None,
    name: str | None = None,
    kind: str | None = None,
    organiser: str | None = None,
    head_unit: Unit | bool | None = False,
) -> Cluster:
    """Edit the name, kind, level or head unit (`head_unit` False: unchanged; None: no head unit)."""
    require_manage(actor, cluster.organiser_unit, NO_RIGHT)
    cluster = Cluster.objects.select_for_update().get(pk=cluster.pk)
    check_stamp(cluster, version)
    changes: dict[str, object] = {}
    if name is not None:
        name = _check_name(name)
        if (
            Cluster.objects.filter(organiser_unit=cluster.organiser_unit, year=cluster.year, name=name)
            .exclude(pk=cluster.pk)
            .exists()
        ):
            raise DomainError(f"Đã có '{name}' năm {cluster.year}", field="name")
        changes["name"] = name
    if kind is not None:
        changes["kind"] = kind
    if organiser is not None:
        changes["organiser"] = organiser
    if head_unit is not False:
        if isinstance(head_unit, Unit) and not cluster.memberships.filter(unit=head_unit).exists():
            raise DomainError("Cụm trưởng, khối trưởng phải là một đơn vị thành viên", field="head_unit")
        changes["head_unit"] = head_unit
    before = {k: getattr(cluster, k) for k in changes}
    for key, value in changes.items():
        setattr(cluster, key, value)
    cluster.save()
    log(
        "cluster.updated",
        actor=actor,
        obj=cluster,
        unit_path=cluster.organiser_unit.path,
        detail={"changes": diff(before, changes)},
    )
    return cluster


@transaction.atomic
def add_cluster_members(*, actor: User | None, cluster: Cluster, units: Sequence[Unit]) -> list[Unit]:
    """Add units to a cluster (those already in it are refused by name)."""
    require_manage(actor, cluster.organiser_unit, NO_RIGHT)
    if not units:
        raise DomainError("Chọn ít nhất một đơn vị", field="units")
    _check_members(cluster.organiser_unit, cluster.year, units, "units")
    present = set(cluster.memberships.filter(unit__in=units).values_list("unit__name", flat=True))
    if present:
        raise DomainError(f"Đã là thành viên: {', '.join(sorted(present))}", field="units")
    added = list(dict.fromkeys(units))
    ClusterMember.objects.bulk_create([ClusterMember(cluster=cluster, unit=u) for u in added])
    log(
        "cluster.members_added",
        actor=actor,
        obj=cluster,
        unit_path=cluster.organiser_unit.path,
        detail={"members": [u.name for u in added]},
    )
    return added


@transaction.atomic
def remove_cluster_member(*, actor: User | None, cluster: Cluster, unit: Unit) -> None:
    """Take a unit out of a cluster (its published rankings, kept by `movements`, stay as published)."""
    require_manage(actor, cluster.organiser_unit, NO_RIGHT)
    member = cluster.memberships.filter(unit=unit).first()
    if member is None:
        raise DomainError(f"'{unit}' không phải thành viên của {cluster}", field="unit")
    if cluster.head_unit_id == unit.pk:
        cluster.head_unit = None
        cluster.save(update_fields=["head_unit", "updated_at"])
    member.delete()
    log(
        "cluster.member_removed",
        actor=actor,
        obj=cluster,
        unit_path=cluster.organiser_unit.path,
        detail={"unit": unit.name},
    )


# --- Copy last year's -----------------------------------------------------------------------------


@dataclass
class ClusterCopy:
    """One cluster of the source year as it would be created in the target year."""

    source: Cluster
    members: list[Unit] = field(default_factory=list)
    head_unit: Unit | None = None
    changes: list[str] = field(default_factory=list)
    skipped: str = ""  # why the cluster is not copied (it exists already in the target year)


@dataclass
class CopyPlan:
    organiser_unit: Unit
    from_year: int
    to_year: int
    clusters: list[ClusterCopy]

    @property
    def to_create(self) -> list[ClusterCopy]:
        return [c for c in self.clusters if not c.skipped]

    @property
    def change_count(self) -> int:
        return sum(len(c.changes) for c in self.to_create)

    def fingerprint(self) -> str:
        """What the officer confirmed: the copy is refused if the plan differs when it is carried out."""
        data = [
            [c.source.pk, [u.pk for u in c.members], c.head_unit.pk if c.head_unit else None, c.skipped]
            for c in self.clusters
        ]
        return hashlib.sha256(json.dumps([self.to_year, data]).encode()).hexdigest()[:20]


def _heirs(unit: Unit, year: int) -> list[Unit]:
    """The units existing in `year` that `unit` became, following lineage (merger, split) transitively."""
    found = [u for u, _ in successors(unit) if u.pk != unit.pk and exists_in_year(u, year)]
    # Keep the last generation only: a successor that itself ended before the year was skipped above.
    return sorted({u.pk: u for u in found}.values(), key=lambda u: u.name)


def plan_cluster_copy(organiser_unit: Unit, from_year: int, to_year: int) -> CopyPlan:
    """Last year's clusters of `organiser_unit` for `to_year`: members that ended are replaced by the
    units they became (a merged province by the new one), dissolved ones dropped, each change listed."""
    _check_year(from_year)
    _check_year(to_year)
    existing = set(
        Cluster.objects.filter(organiser_unit=organiser_unit, year=to_year).values_list("name", flat=True)
    )
    sources = list(
        Cluster.objects.filter(organiser_unit=organiser_unit, year=from_year)
        .prefetch_related("memberships__unit")
        .select_related("head_unit")
        .order_by("kind", "name")
    )
    plan = CopyPlan(organiser_unit, from_year, to_year, [])
    taken: dict[int, str] = {}  # unit id → the cluster that already took it in this plan
    for source in sources:
        copy = ClusterCopy(source=source)
        if source.name in existing:
            copy.skipped = f"Đã có '{source.name}' năm {to_year}"
            plan.clusters.append(copy)
            continue
        members: dict[int, Unit] = {}
        for m in sorted(source.memberships.all(), key=lambda m: m.unit.name_folded):
            unit = m.unit
            if exists_in_year(unit, to_year):
                members[unit.pk] = unit
                continue
            heirs = [h for h in _heirs(unit, to_year) if h.path.startswith(organiser_unit.path)]
            if not heirs:
                copy.changes.append(f"Bỏ {unit.name}: đã ngừng hoạt động, không có đơn vị kế thừa")
                continue
            for heir in heirs:
                if heir.pk in members:
                    copy.changes.append(f"{unit.name} đã sáp nhập vào {heir.name} (đã có trong cụm)")
                else:
                    members[heir.pk] = heir
                    copy.changes.append(f"{heir.name} thay {unit.name} (đơn vị kế thừa)")
        for pk, unit in list(members.items()):
            if pk in taken:
                copy.changes.append(f"Bỏ {unit.name}: đã thuộc {taken[pk]} năm {to_year}")
                del members[pk]
            else:
                taken[pk] = source.name
        copy.members = list(members.values())
        head = source.head_unit
        if head is not None:
            if head.pk in members:
                copy.head_unit = head
            else:
                heirs = [h for h in _heirs(head, to_year) if h.pk in members]
                copy.head_unit = heirs[0] if len(heirs) == 1 else None
                copy.changes.append(
                    f"Cụm trưởng: {copy.head_unit.name} thay {head.name}"
                    if copy.head_unit
                    else f"Cụm trưởng {head.name} không còn: chọn lại sau khi sao chép"
                )
        plan.clusters.append(copy)
    return plan


@transaction.atomic
def copy_clusters(
    *, actor: User | None, organiser_unit: Unit, from_year: int, to_year: int, fingerprint: str
) -> list[Cluster]:
    """Create the planned clusters of `to_year`, if the plan is still the one the officer confirmed."""
    require_manage(actor, organiser_unit, NO_RIGHT)
    plan = plan_cluster_copy(organiser_unit, from_year, to_year)
    if not plan.to_create:
        raise DomainError(f"Không có cụm, khối nào của năm {from_year} để sao chép", field="from_year")
    if plan.fingerprint() != fingerprint:
        raise DomainError(
            "Danh sách cụm, khối đã thay đổi từ lúc bạn xem trước: hãy xem lại rồi xác nhận",
            field="fingerprint",
        )
    created = []
    for copy in plan.to_create:
        cluster = Cluster.objects.create(
            name=copy.source.name,
            year=to_year,
            kind=copy.source.kind,
            organiser=copy.source.organiser,
            organiser_unit=organiser_unit,
            head_unit=copy.head_unit,
        )
        ClusterMember.objects.bulk_create([ClusterMember(cluster=cluster, unit=u) for u in copy.members])
        created.append(cluster)
    log(
        "cluster.copied",
        actor=actor,
        obj=organiser_unit,
        unit_path=organiser_unit.path,
        detail={
            "from_year": from_year,
            "to_year": to_year,
            "created": [c.name for c in created],
            "changes": [f"{c.source.name}: {x}" for c in plan.to_create for x in c.changes],
        },
    )
    return created
