"""Read the database into the builders' plain data. Callers pass querysets already scoped by the
access helpers (`visible_people`, `issuable_awards`…); nothing here widens them."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from thidua.audit.models import AuditEntry
from thidua.audit.services import action_label
from thidua.awards.models import AwardRecord, RatingValue
from thidua.core.errors import DomainError
from thidua.documents.builders.achievement import AchievementData, AwardLine, RatingLine
from thidua.documents.builders.decision import DecisionData, Recipient
from thidua.documents.builders.labels import award_label
from thidua.documents.builders.lists import AuditRow, PersonRow, UnitRow
from thidua.documents.official import Signature
from thidua.org.models import Person, Unit
from thidua.org.tree import UnitNode


class DocumentError(DomainError):
    """A document cannot be built from these data; the message is for the user, in Vietnamese."""


def _ids(path: str) -> list[int]:
    return [int(part) for part in path.strip("/").split("/") if part]


def common_unit(units: Iterable[Unit]) -> Unit | None:
    """The deepest unit containing all of `units` (by their tree paths)."""
    paths = [_ids(u.path) for u in units if u is not None]
    if not paths:
        return None
    prefix = paths[0]
    for ids in paths[1:]:
        n = 0
        while n < min(len(prefix), len(ids)) and prefix[n] == ids[n]:
            n += 1
        prefix = prefix[:n]
    return Unit.objects.filter(pk=prefix[-1]).first() if prefix else None


def issuing_unit(unit: Unit) -> Unit:
    """The nearest unit that can sign a decision: itself or an ancestor with legal personality, else the root."""
    chain = {u.pk: u for u in Unit.objects.filter(pk__in=_ids(unit.path))}
    for pk in reversed(_ids(unit.path)):
        candidate = chain.get(pk)
        if candidate is not None and (candidate.is_legal_entity or candidate.parent_id is None):
            return candidate
    return unit


def ancestors_first(unit: Unit) -> list[Unit]:
    """The unit and its ancestors, nearest first (for settings inherited down the tree)."""
    chain = {u.pk: u for u in Unit.objects.filter(pk__in=_ids(unit.path))}
    return [chain[pk] for pk in reversed(_ids(unit.path)) if pk in chain]


def place_of(unit: Unit) -> str:
    """The place name printed before the date: the unit's own setting, else read from its name."""
    if unit.place_name:
        return unit.place_name
    name = unit.name
    for marker in ("thành phố ", "Thành phố ", "tỉnh ", "Tỉnh "):
        if marker in name:
            return name.rsplit(marker, 1)[1].strip()
    return "Hà Nội"


def header_name(name: str) -> str:
    """The issuer as printed in the header: a long "Bảo hiểm xã hội …" breaks after those words,
    as NĐ 30 headers do ("BẢO HIỂM XÃ HỘI" / "THÀNH PHỐ HÀ NỘI")."""
    head = "Bảo hiểm xã hội "
    if name.startswith(head) and len(name) > 24:
        return head.strip() + "\n" + name[len(head) :]
    return name


def _parent_body(unit: Unit) -> str:
    parent = unit.parent
    return parent.name if parent is not None else ""


def award_recipient(record: AwardRecord) -> Recipient:
    """One annex line: a person with position and current unit, or a collective with its parent."""
    if record.person is not None:
        person = record.person
        unit = person.current_unit.name if person.current_unit else ""
        position = ", ".join(part for part in (person.current_title, unit) if part)
        return Recipient(person.full_name, position, record.prize_vnd)
    assert record.unit is not None
    parent = record.unit.parent.name if record.unit.parent else ""
    return Recipient(record.unit.name, parent, record.prize_vnd, collective=True)


def check_decision(awards: Any, number: str, decided_on: date | None = None) -> int:
    """How many scoped records a decision has, before a job is started; `DocumentError` when there
    are none or the number was used on several dates (then `decided_on` must say which)."""
    records = awards.filter(decision_number=number.strip(), revoked_on__isnull=True)
    if decided_on is not None:
        records = records.filter(decided_on=decided_on)
    dates = sorted(set(records.values_list("decided_on", flat=True)))
    if not dates:
        raise DocumentError(f"Không có khen thưởng nào theo quyết định số “{number}” trong phạm vi của bạn")
    if len(dates) > 1:
        listed = ", ".join(d.strftime("%d/%m/%Y") for d in dates)
        raise DocumentError(
            f"Số quyết định “{number}” có ở nhiều ngày ({listed}); hãy chọn ngày ban hành quyết định"
        )
    count: int = records.count()
    return count


def decision_records(awards: Any, number: str, decided_on: date | None = None) -> list[AwardRecord]:
    """The scoped AwardRecords of one decision, recipients in Vietnamese name order."""
    records = awards.filter(decision_number=number.strip(), revoked_on__isnull=True)
    if decided_on is not None:
        records = records.filter(decided_on=decided_on)
    rows = list(
        records.select_related("person__current_unit", "unit__parent", "decision").order_by(
            "unit__path", "person__sort_key", "id"
        )
    )
    if not rows:
        raise DocumentError(f"Không có khen thưởng nào theo quyết định số “{number}” trong phạm vi của bạn")
    dates = {r.decided_on for r in rows}
    if len(dates) > 1:
        listed = ", ".join(sorted(d.strftime("%d/%m/%Y") for d in dates))
        raise DocumentError(
            f"Số quyết định “{number}” có ở nhiều ngày ({listed}); hãy chọn ngày ban hành quyết định"
        )
    return rows


def decision_from_awards(
    records: Sequence[AwardRecord], *, signer_name: str = "", signer_position: str = ""
) -> DecisionData:
    """A `DecisionData` from the AwardRecords sharing a decision number (see `decision_records`).

    When the records come from one decision of the year-end workflow (`AwardRecord.decision`), its
    signer and Nơi nhận are used unless given here; otherwise the signer is "Giám đốc".
    """
    first = records[0]
    issued = (
        first.decision
        if first.decision_id and all(r.decision_id == first.decision_id for r in records)
        else None
    )
    if issued is not None:
        signer_name = signer_name or issued.signer_name
        signer_position = signer_position or issued.signer_title
    signer_position = signer_position or "Giám đốc"
    copies_to = [line.strip() for line in issued.recipients.splitlines() if line.strip()] if issued else []
    units = [r.person.current_unit if r.person is not None else r.unit for r in records]
    scope = common_unit([u for u in units if u is not None])
    issuer = issuing_unit(scope) if scope is not None else None
    issuer_name = issuer.name if issuer else settings.THIDUA_ORG_NAME
    award_ids = [award_id for award_id, _ in Counter(r.award_id for r in records).most_common()]
    data = DecisionData(
        parent_body=_parent_body(issuer) if issuer else "",
        issuer=header_name(issuer_name),
        number_symbol=first.decision_number,
        date=first.decided_on,
        place=place_of(issuer) if issuer else "Hà Nội",
        signer=Signature(position=signer_position, signer_name=signer_name),
        authority=f"{signer_position} {issuer_name}",
        title_id=award_ids[0],
        title_name=" và ".join(award_label(a) for a in award_ids),
        title_kind="title" if first.kind == AwardRecord.Kind.TITLE else "form",
        year=max(r.year for r in records),
        recipients=[award_recipient(r) for r in records],
    )
    return replace(data, copies_to=copies_to) if copies_to else data


def _award_lines(records: Iterable[AwardRecord]) -> list[AwardLine]:
    return [
        AwardLine(
            year=r.year,
            name=award_label(r.award_id),
            decision_number=r.decision_number,
            decided_on=r.decided_on,
            decided_by=r.decided_by,
            is_title=r.kind == AwardRecord.Kind.TITLE,
        )
        for r in records
    ]


def _rating_lines(ratings: Iterable[Any]) -> list[RatingLine]:
    labels = dict(RatingValue.choices)
    return [RatingLine(r.year, labels.get(r.value, r.value)) for r in ratings]


def _d(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def person_achievement(
    person: Person, *, proposed_award: str = "", on: date | None = None
) -> AchievementData:
    """Section I from the person's record, II.3 from ratings, III from AwardRecords (revoked left out)."""
    unit = person.current_unit
    issuer = issuing_unit(unit) if unit is not None else None
    awards = person.awards.filter(revoked_on__isnull=True).order_by("year", "decided_on")
    facts = [
        ("Họ và tên (ghi đầy đủ bằng chữ in thường, không viết tắt)", person.full_name),
        ("Sinh ngày, tháng, năm", _d(person.date_of_birth)),
        ("Giới tính", person.get_gender_display()),
        ("Đơn vị công tác", unit.name if unit else ""),
        ("Chức vụ (Đảng, chính quyền, đoàn thể)", person.current_title),
        ("Ngày tuyển dụng", _d(person.recruited_on)),
    ]
    described = ", ".join(
        part for part in (person.full_name, person.current_title, unit.name if unit else "") if part
    )
    return AchievementData(
        subject_name=person.full_name,
        subject_line=f"Họ tên, chức vụ và đơn vị công tác: {described}",
        collective=False,
        issuer=header_name(issuer.name if issuer else settings.THIDUA_ORG_NAME),
        parent_body=_parent_body(issuer) if issuer else "",
        place=place_of(issuer) if issuer else "Hà Nội",
        on=on,
        proposed_award=proposed_award,
        facts=facts,
        initiatives=[
            f"{i.title} (mã {i.code}, năm {i.year}, phạm vi {i.get_scope_display().lower()})"
            for i in person.initiatives.order_by("year", "code")
        ],
        ratings=_rating_lines(person.ratings.order_by("year")),
        awards=_award_lines(awards),
    )


def unit_achievement(unit: Unit, *, proposed_award: str = "", on: date | None = None) -> AchievementData:
    """The collective's report: its place in the tree and size, ratings and awards of the unit itself."""
    issuer = issuing_unit(unit.parent) if unit.parent is not None else unit
    people = Person.objects.filter(current_unit__path__startswith=unit.path).count()
    children = unit.children.filter(valid_to__isnull=True).aggregate(n=Count("id"))["n"]
    facts = [
        ("Tên tập thể", unit.name),
        ("Đơn vị cấp trên", unit.parent.name if unit.parent else ""),
        ("Loại đơn vị", unit.get_kind_display()),
        ("Số đơn vị trực thuộc", str(children)),
        ("Tổng số cán bộ, công chức, viên chức, người lao động", str(people)),
    ]
    if unit.valid_from:
        facts.append(("Hoạt động từ", _d(unit.valid_from)))
    return AchievementData(
        subject_name=unit.name,
        collective=True,
        issuer=header_name(issuer.name),
        parent_body=_parent_body(issuer),
        place=place_of(issuer),
        on=on,
        proposed_award=proposed_award,
        facts=facts,
        ratings=_rating_lines(unit.ratings.order_by("year")),
        awards=_award_lines(unit.awards.filter(revoked_on__isnull=True).order_by("year", "decided_on")),
    )


def person_rows(people: Any) -> Iterable[PersonRow]:
    for p in people.select_related("current_unit").iterator(chunk_size=2000):
        yield PersonRow(
            full_name=p.full_name,
            citizen_id=p.citizen_id,
            gender=p.get_gender_display(),
            date_of_birth=p.date_of_birth,
            title=p.current_title,
            unit=p.current_unit.name if p.current_unit else "",
        )


def unit_rows(roots: Sequence[UnitNode]) -> list[UnitRow]:
    """The nodes of `org.tree.build_tree` depth first, as the tree page shows them."""
    nodes: list[UnitNode] = []

    def walk(node: UnitNode) -> None:
        nodes.append(node)
        for child in node.children:
            walk(child)

    for root in roots:
        walk(root)
    names = {n.unit.pk: n.unit.name for n in nodes}
    missing = {n.unit.parent_id for n in nodes if n.unit.parent_id and n.unit.parent_id not in names}
    names.update(Unit.objects.filter(pk__in=missing).values_list("pk", "name"))
    return [
        UnitRow(
            depth=n.unit.depth,
            name=n.unit.name,
            code=n.unit.code,
            kind=n.unit.get_kind_display(),
            parent=names.get(n.unit.parent_id or 0, ""),
            valid_to=n.unit.valid_to,
            people=n.total_people,
        )
        for n in nodes
    ]


def audit_rows(entries: Any) -> Iterable[AuditRow]:
    for e in entries.order_by("-created_at", "-id").iterator(chunk_size=2000):
        assert isinstance(e, AuditEntry)
        # Excel has no time zones: local time, naive
        at = timezone.localtime(e.created_at).replace(tzinfo=None)
        detail = json.dumps(e.detail, ensure_ascii=False) if e.detail else ""
        yield AuditRow(at, e.actor_name, action_label(e.action), e.object_repr, detail)
