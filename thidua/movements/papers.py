"""Fill the movement documents' data (`builders.movement`) from a Movement, its documents,
milestones, participants, scoring table and registrations. Reads only; access is checked by the
views (the movements app's permission helpers) before these are called."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from django.db.models import F

from thidua.documents.builders.from_db import header_name, place_of
from thidua.documents.builders.movement import (
    CriterionLine,
    DocumentRef,
    MilestoneLine,
    PlanData,
    RegistrationLine,
    RegistrationSummaryData,
)
from thidua.documents.official import Signature, signature_block
from thidua.lib.numbers import format_number
from thidua.movements.models import (
    Movement,
    MovementDocument,
    Registration,
    ScoringTable,
    participating_units,
)
from thidua.movements.services import load_table_record
from thidua.org.heads import head_of
from thidua.org.models import Unit
from thidua.org.organisation import letterhead, place_from_name
from thidua.rules.names import award_name

__all__ = ["plan_from_movement", "registration_summary_from_db", "signature_for"]

# The place before the date on a paper of a movement launched outside the tree (no launching unit).
# NĐ 30/2020 Phụ lục I (địa danh): a central body writes the name of the province or city where it
# has its seat; the Government and the ministries sit in the capital, Hà Nội (Hiến pháp 2013 Đ13,
# Luật Thủ đô). A body named by `authority_name` that names its province ("UBND tỉnh Đắk Lắk")
# writes that province instead (`place_from_name`).
CENTRAL_SEAT = "Hà Nội"


def outside_place(movement: Movement) -> str:
    """The place of a movement launched outside the tree: the province its launcher's name names,
    else the seat of the central bodies (`CENTRAL_SEAT`)."""
    return place_from_name(movement.authority_name) or CENTRAL_SEAT


_OWN_NUMBER_KINDS = {
    False: (MovementDocument.Kind.PLAN, MovementDocument.Kind.LAUNCH),
    True: (MovementDocument.Kind.LAUNCH,),
}


def _points(value: Decimal | int | None) -> str:
    return format_number(value, None)


def _ref(document: MovementDocument) -> DocumentRef:
    return DocumentRef(
        number_symbol=document.number_symbol,
        issued_on=document.issued_on,
        issuer=document.issuer,
        summary=document.summary,
        kind_label=document.get_kind_display(),
    )


def signature_for(
    unit: Unit | None, *, prefix: str = "", position: str = "", signer_name: str = ""
) -> Signature:
    """The signature block (`signature_block`): "KT. GIÁM ĐỐC" / "PHÓ GIÁM ĐỐC" whether the position
    given is the head's or the deputy's own, "TM. <collective>", Q., TL., TUQ. With nothing given, the
    unit's head as recorded in its positions signs."""
    head = head_of(unit) if unit is not None else None
    if not position and not signer_name and head is not None and prefix in ("", "TM."):
        position, signer_name = head.title, head.name
    position = position or (head.title if head is not None else "Giám đốc")
    return signature_block(
        position,
        signer_name,
        form=prefix,
        head_title=head.title if head is not None and prefix in ("Q.", "TL.", "TUQ.") else "",
        body=unit.name if unit is not None else "",
    )


def _scoring_table(movement: Movement) -> ScoringTable | None:
    return (
        ScoringTable.objects.filter(movement=movement)
        .order_by(
            "-year", F("cluster_id").asc(nulls_first=True)
        )  # the latest year, the table for every cluster first
        .first()
    )


def _unit_label(unit: Unit) -> str:
    return unit.name


def plan_from_movement(
    movement: Movement,
    *,
    letter: bool = False,
    signer: Signature | None = None,
    on: date | None = None,
    number_symbol: str | None = None,
) -> PlanData:
    """The launching plan (or letter) of `movement` from what is recorded about it.

    Number: the movement's own plan or launching document when recorded (a letter takes only the
    launching document), else blank for the officer. Cited in section I: the parent movement's
    documents, and the movement's own guidance documents dated on or before the plan.
    """
    unit = movement.launching_unit
    documents = list(movement.documents.all())
    own = next(
        (d for kind in _OWN_NUMBER_KINDS[letter] for d in documents if d.kind == kind and d.number_symbol),
        None,
    )
    day = on or (own.issued_on if own else None) or movement.launched_on
    references: list[DocumentRef] = []
    parent = movement.parent
    if parent is not None:
        references.extend(_ref(d) for d in parent.documents.all())
    references.extend(
        _ref(d)
        for d in documents
        if d is not own and d.kind == MovementDocument.Kind.GUIDANCE and (day is None or d.issued_on <= day)
    )
    criteria: list[CriterionLine] = []
    base_max = bonus_max = ""
    record = _scoring_table(movement)
    if record is not None:
        table = load_table_record(record)
        criteria = [CriterionLine(c.code, c.name, _points(c.max_points)) for c in table.criteria]
        base_max = _points(table.base_max) if table.base_max else ""
        bonus_max = _points(table.bonus_max)
    registrations = Registration.objects.filter(movement=movement).only("titles")
    titles = sorted(
        {
            award_name(item.get("award", ""))
            for reg in registrations
            for item in reg.titles
            if item.get("award")
        }
    )
    units = [_unit_label(u) for u in participating_units(movement)]
    issuer = header_name(unit.name) if unit is not None else movement.launcher_label
    parent_body = letterhead(unit).parent_body if unit is not None else ""
    place = place_of(unit) if unit is not None else outside_place(movement)
    milestones = [MilestoneLine(m.name or m.get_kind_display(), m.due_on) for m in movement.milestones.all()]
    return PlanData(
        issuer=issuer,
        parent_body=parent_body,
        place=place,
        date=day,
        title=movement.title,
        signer=signer or signature_for(unit),
        letter=letter,
        number_symbol=number_symbol if number_symbol is not None else (own.number_symbol if own else ""),
        symbol=unit.symbol if unit is not None else "",
        theme=movement.theme,
        political_tasks=movement.political_tasks,
        launcher=movement.launcher_label,
        parent_title=parent.title if parent is not None else "",
        parent_launcher=parent.launcher_label if parent is not None else "",
        references=references,
        criteria=criteria,
        base_max=base_max,
        bonus_max=bonus_max,
        units=units,
        starts_on=movement.starts_on,
        ends_on=movement.ends_on,
        years_label=movement.years_label,
        milestones=milestones,
        titles=titles,
    )


def _titles(registration: Registration) -> tuple[list[str], list[tuple[str, int]]]:
    unit_titles: list[str] = []
    people: dict[str, int] = {}
    for item in registration.titles:
        label = award_name(item.get("award", ""))
        if item.get("subject") == "unit":
            unit_titles.append(label)
        else:
            try:
                count = int(item.get("count", 1))
            except (TypeError, ValueError):
                count = 1
            people[label] = people.get(label, 0) + count
    return unit_titles, list(people.items())


def registration_summary_from_db(
    movement: Movement,
    year: int,
    registrations: Sequence[Registration],
    missing: Sequence[Unit],
    *,
    deadline: date | None = None,
    signer: Signature | None = None,
    on: date | None = None,
) -> RegistrationSummaryData:
    """The summary of the given registrations (already filtered to what the user may see) and of
    the participating units with no submitted or approved registration."""
    unit = movement.launching_unit
    lines = []
    codes: set[str] = set()
    for reg in registrations:
        unit_titles, people = _titles(reg)
        targets = [(str(code), str(value)) for code, value in reg.targets.items()]
        codes.update(code for code, _ in targets)
        lines.append(
            RegistrationLine(
                unit=reg.unit.name,
                status=reg.get_status_display(),
                submitted_on=reg.submitted_on.date() if reg.submitted_on else None,
                late=reg.late,
                targets=targets,
                unit_titles=unit_titles,
                people_titles=people,
            )
        )
    criteria: list[tuple[str, str]] = []
    record = (
        ScoringTable.objects.filter(movement=movement, year=year)
        .order_by(F("cluster_id").asc(nulls_first=True))
        .first()
    )
    if record is not None and codes:
        criteria = [(c.code, c.name) for c in load_table_record(record).walk() if c.code in codes]
    return RegistrationSummaryData(
        issuer=header_name(unit.name) if unit is not None else movement.launcher_label,
        parent_body=letterhead(unit).parent_body if unit is not None else "",
        place=place_of(unit) if unit is not None else outside_place(movement),
        date=on,
        movement_title=movement.title,
        year=year,
        lines=lines,
        missing=[u.name for u in missing],
        signer=signer or signature_for(unit),
        symbol=unit.symbol if unit is not None else "",
        deadline=deadline,
        criteria=criteria,
    )
