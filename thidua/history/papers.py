"""A person's or a collective's báo cáo thành tích data (`AchievementData`) from their history, for the
documents layer to print; access is checked by the caller."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import Count

from thidua.documents.builders.achievement import AchievementData, AwardLine, RatingLine
from thidua.documents.builders.from_db import header_name, issuing_unit, parent_body, place_of
from thidua.history.models import AwardRecord, RatingValue
from thidua.org.heads import head_of
from thidua.org.models import Person, Unit
from thidua.org.organisation import current_organisation
from thidua.rules.names import award_name


def _award_lines(records: Iterable[AwardRecord]) -> list[AwardLine]:
    return [
        AwardLine(
            year=r.year,
            name=award_name(r.award_id),
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


def _head_name(unit: Unit | None, on: date | None) -> str:
    head = head_of(unit, on) if unit is not None else None
    return head.name if head is not None else ""


def _d(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def person_achievement(
    person: Person, *, proposed_award: str = "", on: date | None = None, personal_data: bool = True
) -> AchievementData:
    """Section I from the person's record, II.3 from ratings, III from AwardRecords (revoked left out).
    Without `personal_data` (a reader who does not manage the person) the birth date is left blank."""
    unit = person.current_unit
    issuer = issuing_unit(unit) if unit is not None else None
    if issuer is None:
        organisation = current_organisation()
        issuer = organisation.root if organisation is not None else None
    awards = person.awards.filter(revoked_on__isnull=True).order_by("year", "decided_on")
    facts = [
        ("Họ và tên (ghi đầy đủ bằng chữ in thường, không viết tắt)", person.full_name),
        ("Sinh ngày, tháng, năm", _d(person.date_of_birth) if personal_data else ""),
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
        issuer=header_name(issuer.name) if issuer else "",
        parent_body=parent_body(issuer) if issuer else "",
        place=place_of(issuer) if issuer else "",
        on=on,
        proposed_award=proposed_award,
        facts=facts,
        initiatives=[
            f"{i.title} (mã {i.code}, năm {i.year}, phạm vi {i.get_scope_display().lower()})"
            for i in person.initiatives.order_by("year", "code")
        ],
        ratings=_rating_lines(person.ratings.order_by("year")),
        awards=_award_lines(awards),
        confirmer_name=_head_name(issuer, on),
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
        parent_body=parent_body(issuer),
        place=place_of(issuer),
        on=on,
        proposed_award=proposed_award,
        facts=facts,
        signer_name=_head_name(unit, on),
        ratings=_rating_lines(unit.ratings.order_by("year")),
        awards=_award_lines(unit.awards.filter(revoked_on__isnull=True).order_by("year", "decided_on")),
    )
