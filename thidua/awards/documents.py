"""Year-end documents built from the database and rendered by `thidua.documents`: council minutes
(biên bản with the vote results), tờ trình, danh sách, báo cáo thành tích, the decision, its
certificates, the prize list for the accountant and a person's own extract of a decision."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from thidua.awards.models import (
    Ballot,
    BallotItem,
    BallotVoter,
    Candidate,
    CouncilMember,
    Decision,
    Dossier,
    Meeting,
)
from thidua.awards.services.council import needs_council_vote, quorum
from thidua.awards.services.decisions import issuer_symbol, prize_totals
from thidua.core.errors import DomainError
from thidua.documents.builders.decision import (
    DEFAULT_LEGAL_BASES,
    DecisionData,
    Recipient,
    build_decision,
)
from thidua.documents.builders.from_db import UnitNames
from thidua.documents.builders.labels import proper_name
from thidua.documents.docx_render import render_docx
from thidua.documents.models import CertificateKind, DocumentKind
from thidua.documents.official import (
    Annex,
    Block,
    CellText,
    Column,
    OfficialDocument,
    Paragraph,
    Signature,
    Table,
    format_cell,
    signature_block,
    stt_width,
)
from thidua.documents.services import render_certificate_pdf, render_document
from thidua.documents.vnwords import amount_in_words, date_line, date_phrase
from thidua.documents.xlsx_render import MONEY_FORMAT, CellValue, XlsxColumn, XlsxSheet, render_xlsx
from thidua.eligibility.services import ruleset_on
from thidua.history.models import AwardRecord, Initiative, Rating, RatingValue
from thidua.lib.numbers import format_number
from thidua.org.heads import head_of
from thidua.org.models import Person, Unit
from thidua.org.organisation import letterhead
from thidua.rules.names import award_name


def _person_position(person: Person, names: UnitNames) -> str:
    """ "Chuyên viên Phòng Quản lý thu, Bảo hiểm xã hội thành phố Hà Nội": the title and the unit named
    with the units above it up to its province."""
    unit = names.full(person.current_unit)
    return title_with_unit(person.current_title, unit) if unit else person.current_title


def title_with_unit(title: str, unit: str) -> str:
    """The title followed by the unit, the unit's leading noun not repeated when the title ends with it,
    as a clerk writes it: "Phó Trưởng phòng" + "Phòng Chế độ BHXH, …" → "Phó Trưởng phòng Chế độ BHXH, …";
    "Chánh Văn phòng" + "Văn phòng, …" → "Chánh Văn phòng, …"."""
    if not title or not unit:
        return title or unit
    title_words = title.split()
    for n in (2, 1):
        if len(title_words) <= n:
            continue
        tail = " ".join(title_words[-n:])
        head, rest = unit[: len(tail)], unit[len(tail) :]
        if head.casefold() == tail.casefold() and (not rest or rest[0] in " ,"):
            return title + rest
    return f"{title} {unit}"


def award_recipient(
    record: AwardRecord, names: UnitNames | None = None, *, on: date | None = None
) -> Recipient:
    """One annex line: a person with position and unit (named with its province), or a collective by
    its full name with the units above it."""
    names = names or UnitNames()
    title = award_name(record.award_id, on=on)
    if record.person is not None:
        return Recipient(
            record.person.full_name,
            _person_position(record.person, names),
            record.prize_vnd,
            title_name=title,
        )
    assert record.unit is not None
    return Recipient(names.full(record.unit), "", record.prize_vnd, collective=True, title_name=title)


def _issuer(unit: Unit) -> tuple[str, str]:
    """(parent body, issuer) as the organisation's data give them (`thidua.org.organisation`)."""
    return letterhead(unit).parent_body, unit.name


def _place(unit: Unit) -> str:
    return letterhead(unit).place


def _pct(agree: int | None, total: int) -> str:
    if agree is None or total == 0:
        return ""
    return f"{format_number(agree * 100 / total, 1)}%"


def _subject_position(c: Candidate) -> str:
    if c.person is not None:
        unit = c.person.current_unit.name if c.person.current_unit else ""
        return ", ".join(x for x in (c.person.current_title, unit) if x)
    return c.collective.name if c.collective else ""


def _decrees_in_force(meeting: Meeting) -> str:
    """ "Luật Thi đua, khen thưởng số 06/2022/QH15 và Nghị định số 152/2025/NĐ-CP": the law and the
    decree(s) of the ruleset in force on the meeting date."""
    try:
        rs = ruleset_on(meeting.held_on, unit=meeting.council.unit)
    except DomainError:
        return "Luật Thi đua, khen thưởng số 06/2022/QH15"
    decrees = []
    for b in rs.basis:
        start, end = b.get("effective_from"), b.get("effective_to")
        starts = date.fromisoformat(str(start)) if start else None
        ends = date.fromisoformat(str(end)) if end else None
        in_force = (starts is None or starts <= meeting.held_on) and (ends is None or meeting.held_on <= ends)
        if in_force and "NĐ" in str(b.get("number", "")):
            decrees.append(f"Nghị định số {b['number']}")
    return " và ".join(["Luật Thi đua, khen thưởng số 06/2022/QH15", *decrees])


def _names(members: list[CouncilMember]) -> str:
    return ", ".join(m.person.full_name for m in members)


RESULT_COLUMNS = [
    Column("STT", 12, "center"),
    Column("Họ và tên / Tập thể", 35),
    Column("Danh hiệu, hình thức", 30),
    Column("Đồng ý", 18, "right"),
    Column("Không đồng ý", 18, "right"),
    Column("Tỷ lệ", 16, "right"),
    Column("Ngưỡng", 18, "right"),
    Column("Kết quả", 18),
]
"""Widths in mm (165 in all, the A4 text width): "STT", "Đồng ý" and "Ngưỡng" stay on one line at 11 pt."""


def _result_blocks(ballot: Ballot) -> list[Block]:
    """The tally of a closed ballot as a table, then the basis of each threshold applied."""
    on = ballot.meeting.held_on
    items = sorted(
        ballot.items.select_related("candidate__person", "candidate__collective"),
        key=lambda i: (award_name(i.candidate.award_id, on=on), i.pk),
    )
    rows: list[list[CellText]] = [
        [
            n,
            item.candidate.subject_name,
            award_name(item.candidate.award_id, on=on),
            item.agree,
            item.disagree,
            _pct(item.agree, ballot.member_count),
            ("quá 1/2" if item.threshold.strict else f"từ {item.threshold.short}"),
            "Đạt" if item.passed else "Không đạt",
        ]
        for n, item in enumerate(items, start=1)
    ]
    bases: dict[str, None] = {}
    for item in items:
        note = f"{item.threshold_label}: {item.threshold_basis}"
        if item.threshold_kind == BallotItem.ThresholdKind.ASSUMED:
            note += " (chưa xác nhận, áp dụng theo thiết lập của tổ chức)"
        bases[note] = None
    return [
        Table(columns=RESULT_COLUMNS, rows=rows, font_size=11),
        Paragraph(
            "Tỷ lệ tính trên tổng số thành viên Hội đồng. Ngưỡng áp dụng: " + "; ".join(bases) + ".",
            italic=True,
        ),
    ]


def _ballot_intro(ballot: Ballot, n: int, written: list[str], *, committee: bool = True) -> list[Block]:
    head = f"{n}. Cuộc bỏ phiếu #{ballot.pk} ({ballot.get_mode_display().lower()})"
    if ballot.reason:
        head += f" — bỏ phiếu lại, lý do: {ballot.reason}"
    blocks: list[Block] = [Paragraph(head + ".", bold=True)]
    if ballot.mode == Ballot.Mode.PAPER:
        invalid = (ballot.returned or 0) - (ballot.valid or 0)
        blocks.append(
            Paragraph(
                f"Số phiếu phát ra: {ballot.issued}; số phiếu thu vào: {ballot.returned}; số phiếu hợp lệ: "
                f"{ballot.valid}; số phiếu không hợp lệ: {invalid}."
            )
        )
    else:
        voters = BallotVoter.objects.filter(ballot=ballot).count()
        blocks.append(Paragraph(f"Số thành viên đã bỏ phiếu: {voters}/{ballot.member_count}."))
    blocks.append(
        Paragraph(
            f"Phiếu gửi bằng văn bản đã nhận: {', '.join(written)}."
            if written
            else "Không có phiếu gửi bằng văn bản."
        )
    )
    if ballot.closed_early:
        blocks.append(
            Paragraph(
                f"Chủ tịch Hội đồng kết thúc bỏ phiếu trước khi mọi thành viên có mặt bỏ phiếu. Lý do: {ballot.close_reason}."
            )
        )
    if committee and ballot.counting_committee:
        blocks.append(Paragraph(f"Ban kiểm phiếu: {', '.join(ballot.counting_committee)}."))
    return blocks


def _written_names(ballot: Ballot) -> list[str]:
    return list(
        BallotVoter.objects.filter(ballot=ballot, in_writing=True)
        .order_by("member_id")
        .values_list("member__person__full_name", flat=True)
    )


def _committee_table(names: list[str]) -> Table:
    rows: list[list[CellText]] = [
        [n, name, "Trưởng ban" if n == 1 else "Thành viên", ""] for n, name in enumerate(names, start=1)
    ]
    return Table(
        columns=[
            Column("STT", 12, "center"),
            Column("Họ và tên", 65),
            Column("Nhiệm vụ", 40),
            Column("Chữ ký", 48),
        ],
        rows=rows,
        font_size=12,
    )


def minutes_document(meeting: Meeting) -> OfficialDocument:
    """Biên bản họp Hội đồng: attendance, quorum, and for each closed ballot its figures, the written
    votes actually received, and the tally per candidate against the threshold applied (with its
    basis); cancelled ballots are named, never counted. Signed by the secretary and the chair, with
    the counting committee's signatures. Who voted how is not known and not printed."""
    council = meeting.council
    parent, issuer = _issuer(council.unit)
    members = list(council.members.select_related("person").order_by("id"))
    attendance = {a.member_id: a.present for a in meeting.attendance.all()}
    q = quorum(meeting)
    present = [m for m in members if attendance.get(m.pk)]
    absent = [m for m in members if not attendance.get(m.pk)]
    chair = next((m for m in members if m.role == CouncilMember.Role.CHU_TICH), None)
    secretary = next((m for m in members if m.role == CouncilMember.Role.THU_KY), None)
    body: list[Block] = [
        Paragraph(f"Thời gian: ngày {meeting.held_on:%d/%m/%Y}. Địa điểm: {meeting.place or issuer}."),
        Paragraph(
            f"Chủ trì: {chair.person.full_name if chair else '…'}, Chủ tịch Hội đồng. "
            f"Thư ký: {secretary.person.full_name if secretary else '…'}."
        ),
        Paragraph(
            f"Thành phần: {q.present}/{q.total} thành viên Hội đồng có mặt ({_names(present)})"
            + (f"; vắng mặt: {_names(absent)}" if absent else "")
            + f". Phiên họp {'đủ' if q.ok else 'không đủ'} điều kiện biểu quyết "
            f"({q.share.label.lower()} có mặt)."
        ),
        Paragraph(
            f"Nội dung: căn cứ {_decrees_in_force(meeting)}, Hội đồng xét đề nghị khen thưởng năm "
            f"{meeting.year} và biểu quyết bằng phiếu kín. Tỷ lệ phiếu đồng ý tính trên tổng số thành viên "
            "Hội đồng; thành viên vắng mặt gửi phiếu bằng văn bản."
        ),
        Paragraph("Kết quả bỏ phiếu:", bold=True),
    ]
    ballots = list(meeting.ballots.exclude(status=Ballot.Status.OPEN).order_by("id"))
    committee: list[str] = []
    n = 0
    for ballot in ballots:
        if ballot.status == Ballot.Status.CANCELLED:
            body.append(
                Paragraph(
                    f"Cuộc bỏ phiếu #{ballot.pk} đã hủy, không kiểm phiếu. Lý do: {ballot.close_reason}."
                )
            )
            continue
        n += 1
        body.extend(_ballot_intro(ballot, n, _written_names(ballot)))
        body.extend(_result_blocks(ballot))
        committee += [name for name in ballot.counting_committee if name not in committee]
    if n == 0:
        body.append(Paragraph("Chưa có cuộc bỏ phiếu nào đã kiểm phiếu."))
    if committee:
        body.append(Paragraph("Ban kiểm phiếu ký xác nhận kết quả kiểm phiếu:", bold=True))
        body.append(_committee_table(committee))
    body.append(Paragraph("Biên bản lập xong trong phiên họp và được thông qua trước Hội đồng.", italic=True))
    return OfficialDocument(
        parent_body=parent,
        issuer=issuer,
        number_symbol="      /BB-HĐTĐKT",
        place=_place(council.unit),
        date=meeting.held_on,
        type_label="Biên bản",
        title=f"Họp {council.name} xét khen thưởng năm {meeting.year}",
        body=body,
        confirmation=Signature(
            position="Thư ký Hội đồng", signer_name=secretary.person.full_name if secretary else ""
        ),
        signature=Signature(
            position="Chủ tịch Hội đồng", signer_name=chair.person.full_name if chair else ""
        ),
    )


def count_report_document(ballot: Ballot) -> OfficialDocument:
    """Biên bản kiểm phiếu of a closed ballot: the counting committee, the ballots (issued, returned,
    valid on paper; cast on screen and in writing), the tally per candidate, signed by the head of
    the committee (or, without one, the chair) with the committee's signatures."""
    meeting = ballot.meeting
    council = meeting.council
    parent, issuer = _issuer(council.unit)
    q = quorum(meeting)
    members = list(council.members.select_related("person").order_by("id"))
    chair = next((m for m in members if m.role == CouncilMember.Role.CHU_TICH), None)
    secretary = next((m for m in members if m.role == CouncilMember.Role.THU_KY), None)
    committee = list(ballot.counting_committee)
    body: list[Block] = [
        Paragraph(
            f"Hôm nay, ngày {meeting.held_on:%d/%m/%Y}, tại phiên họp {council.name} xét khen thưởng năm "
            f"{meeting.year}, căn cứ {_decrees_in_force(meeting)}."
        ),
        Paragraph(
            f"Ban kiểm phiếu gồm: {', '.join(committee)}."
            if committee
            else "Kết quả được kiểm trên hệ thống khi kết thúc bỏ phiếu, không có Ban kiểm phiếu riêng."
        ),
        Paragraph(f"Tổng số thành viên Hội đồng: {ballot.member_count}; có mặt: {q.present}."),
    ]
    body.extend(_ballot_intro(ballot, 1, _written_names(ballot), committee=False)[1:])
    body.append(Paragraph("Kết quả kiểm phiếu:", bold=True))
    body.extend(_result_blocks(ballot))
    if committee:
        body.append(_committee_table(committee))
    signer = (
        Signature(position="Trưởng ban kiểm phiếu", signer_name=committee[0])
        if committee
        else Signature(position="Chủ tịch Hội đồng", signer_name=chair.person.full_name if chair else "")
    )
    return OfficialDocument(
        parent_body=parent,
        issuer=issuer,
        number_symbol="      /BB-KP",
        place=_place(council.unit),
        date=meeting.held_on,
        type_label="Biên bản",
        title=f"Kiểm phiếu bỏ phiếu kín đề nghị khen thưởng năm {meeting.year}",
        body=body,
        confirmation=Signature(
            position="Thư ký Hội đồng", signer_name=secretary.person.full_name if secretary else ""
        ),
        signature=signer,
    )


def count_report_docx(ballot: Ballot) -> bytes:
    return render_docx(count_report_document(ballot))


# -- the dossier's papers: tờ trình, danh sách, báo cáo thành tích ---------------------------------------


def _head_signature(unit: Unit, on: date | None = None) -> Signature:
    """The unit's head as recorded in its positions (name and title); "THỦ TRƯỞNG ĐƠN VỊ" with room for
    a name written by hand when nobody holds the post."""
    head = head_of(unit, on)
    if head is None:
        return Signature(position="Thủ trưởng đơn vị", signer_name="")
    return signature_block(head.title, head.name)


def _office(unit: Unit, on: date | None = None) -> str:
    """ "Giám đốc Bảo hiểm xã hội Việt Nam": the head's office of `unit`, or the unit when unknown."""
    head = head_of(unit, on)
    return f"{head.title} {unit.name}" if head is not None else unit.name


def _counted(candidates: list[Candidate]) -> str:
    collectives = sum(1 for c in candidates if c.collective_id)
    people = len(candidates) - collectives
    parts = []
    if collectives:
        parts.append(f"{format_number(collectives)} tập thể")
    if people:
        parts.append(f"{format_number(people)} cá nhân")
    return " và ".join(parts) or "0 cá nhân"


def _decider(dossier: Dossier) -> Unit:
    """The unit whose head decides: the dossier's own unit for a title it decides itself (Luật 06/2022
    Đ80 k1), else the level above that appraises and decides or forwards."""
    from thidua.awards.services.dossiers import dossier_route

    return dossier.unit if dossier_route(dossier).own_unit else dossier.appraiser


COUNCIL = "Hội đồng Thi đua - Khen thưởng"


def _council_chair(dossier: Dossier) -> str | None:
    """The chair of the council that voted on the dossier (None without a meeting or a chair)."""
    if dossier.meeting is None:
        return None
    chair = (
        dossier.meeting.council.members.filter(role=CouncilMember.Role.CHU_TICH)
        .select_related("person")
        .first()
    )
    return chair.person.full_name if chair is not None else None


def _submission_ref(dossier: Dossier) -> str:
    day = (
        f" {date_phrase(dossier.submitted_on)}" if dossier.submitted_on else " ngày      tháng      năm      "
    )
    if _decider(dossier).pk == dossier.unit_id and _council_chair(dossier) is not None:
        return f"Tờ trình số      /TTr-HĐTĐKT{day} của {COUNCIL} {dossier.unit.name}"
    return f"Tờ trình số      /TTr-{issuer_symbol(dossier.unit)}{day} của {dossier.unit.name}"


def _subject_line(c: Candidate, names: UnitNames) -> tuple[str, str]:
    """(name, position and unit) of a candidate as the papers print them."""
    if c.person is not None:
        return c.person.full_name, _person_position(c.person, names)
    return names.full(c.collective), ""


def _list_tables(
    candidates: list[Candidate], names: UnitNames, *, details: bool, voted: bool = True
) -> list[Block]:
    """Collectives and individuals in tables of their own, numbered from 1 each; with `details` the
    ground of the proposal and the council's vote ("Không bỏ phiếu" when the title is not `voted`:
    the law puts it to no secret ballot)."""
    blocks: list[Block] = []
    groups = [
        ("Tập thể", [c for c in candidates if c.collective_id]),
        ("Cá nhân", [c for c in candidates if c.person_id]),
    ]
    groups = [(label, group) for label, group in groups if group]
    stt = stt_width(len(candidates), 12 if details else 13)
    for index, (label, group) in enumerate(groups, start=1):
        if len(groups) > 1:
            blocks.append(Paragraph(f"{index}. {label}", bold=True, indent=False, keep_with_next=True))
        rows: list[list[CellText]] = []
        for i, c in enumerate(group, start=1):
            name, position = _subject_line(c, names)
            row: list[CellText] = [i, name] if c.collective_id else [i, name, position]
            if details:
                row.append(
                    "Đủ tiêu chuẩn" if c.source == Candidate.Source.ENGINE else "Bổ sung, có giải trình"
                )
                unvoted = "Chưa bỏ phiếu" if voted else "Không bỏ phiếu"
                row.append({True: "Đạt", False: "Không đạt", None: unvoted}[c.vote_passed])
            rows.append(row)
        extra = 60.0 if details else 0.0
        if label == "Tập thể":
            columns = [Column("STT", stt, "center"), Column("Tên tập thể", 165 - stt - extra)]
        else:
            columns = [
                Column("STT", stt, "center"),
                Column("Họ và tên", 45),
                Column("Chức vụ, đơn vị công tác", 165 - stt - 45 - extra),
            ]
        if details:
            columns += [Column("Căn cứ đề nghị", 32), Column("Kết quả bỏ phiếu", 28, "center")]
        blocks.append(Table(columns=columns, rows=rows, font_size=12 if details else 13))
    if not groups:
        blocks.append(Paragraph("Không có tập thể, cá nhân nào trong hồ sơ.", italic=True))
    return blocks


def submission_document(dossier: Dossier) -> OfficialDocument:
    """Tờ trình đề nghị khen thưởng (NĐ 152/2025 Mẫu số 01): addressed to the head of the body that
    decides, collectives and individuals counted apart, signed by the unit's head; the list in an annex."""
    names = UnitNames()
    decider = _decider(dossier)
    name = proper_name(award_name(dossier.award_id, on=dossier.submitted_on), decider.name)
    candidates = _dossier_candidates(dossier)
    addressee = _office(decider, dossier.submitted_on)
    chair = _council_chair(dossier) if decider.pk == dossier.unit_id else None
    # a title the unit decides itself: its council submits to the head; otherwise the unit to the level above
    parent, issuer, proposer = (
        (dossier.unit.name, COUNCIL, f"{COUNCIL} {dossier.unit.name}")
        if chair is not None
        else (dossier.unit.parent.name if dossier.unit.parent else "", dossier.unit.name, dossier.unit.name)
    )
    signature = (
        signature_block("Chủ tịch", chair, form="TM.", body=COUNCIL)
        if chair is not None
        else _head_signature(dossier.unit, dossier.submitted_on)
    )
    vote = ""
    if dossier.meeting is not None:
        vote = (
            f"Ngày {dossier.meeting.held_on:%d/%m/%Y}, Hội đồng Thi đua - Khen thưởng {dossier.unit.name} đã "
            "họp, xét và biểu quyết bằng phiếu kín (có biên bản kèm theo)."
        )
    body: list[Block] = [
        Paragraph(
            f"Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022 và kết quả bình xét thi đua năm "
            f"{dossier.year} của {dossier.unit.name}."
        )
    ]
    if vote:
        body.append(Paragraph(vote))
    body += [
        Paragraph(
            f"{proposer} kính đề nghị {addressee} xem xét, công nhận, tặng {name} năm {dossier.year} "
            f"cho {_counted(candidates)} (có danh sách kèm theo)."
        ),
        Paragraph(
            "Hồ sơ gồm: tờ trình; danh sách đề nghị; biên bản họp Hội đồng Thi đua - Khen thưởng kèm kết quả "
            "bỏ phiếu; báo cáo thành tích."
        ),
        Paragraph(f"Kính trình {addressee} xem xét, quyết định./."),
    ]
    return OfficialDocument(
        parent_body=parent,
        issuer=issuer,
        number_symbol="      /TTr-" + ("HĐTĐKT" if chair is not None else issuer_symbol(dossier.unit)),
        place=_place(dossier.unit),
        date=dossier.submitted_on,
        type_label="Tờ trình",
        title=f"Về việc đề nghị công nhận, tặng {name} năm {dossier.year}",
        addressees=[addressee],
        body=body,
        recipients=["Như trên", "Lưu: VT, TĐKT"],
        signature=signature,
        annexes=[
            Annex(
                title=f"Danh sách đề nghị {name} năm {dossier.year}",
                subtitle=f"(Kèm theo {_submission_ref(dossier)})",
                blocks=_list_tables(candidates, names, details=False),
            )
        ],
    )


def list_document(dossier: Dossier) -> OfficialDocument:
    """Danh sách đề nghị kèm theo tờ trình: numbered, collectives and individuals apart, the ground of
    each proposal and the council's vote, signed by the unit's head."""
    names = UnitNames()
    decider = _decider(dossier)
    name = proper_name(award_name(dossier.award_id, on=dossier.submitted_on), decider.name)
    candidates = _dossier_candidates(dossier)
    rs = ruleset_on(dossier.submitted_on or date(dossier.year, 12, 31), unit=dossier.unit)
    voted = needs_council_vote(rs, dossier.award_id)
    blocks = _list_tables(candidates, names, details=True, voted=voted)
    blocks.append(Paragraph(f"Tổng số: {_counted(candidates)}.", italic=True, indent=False))
    return OfficialDocument(
        parent_body=dossier.unit.parent.name if dossier.unit.parent else "",
        issuer=dossier.unit.name,
        number_symbol="",
        place=_place(dossier.unit),
        date=dossier.submitted_on,
        type_label="Danh sách",
        title=f"Đề nghị công nhận, tặng {name} năm {dossier.year}",
        authority_line="",
        body=[
            Paragraph(f"(Kèm theo {_submission_ref(dossier)})", italic=True, align="center", indent=False),
            *blocks,
        ],
        signature=_head_signature(dossier.unit, dossier.submitted_on),
    )


def _rating_label(value: str) -> str:
    return str(dict(RatingValue.choices).get(value, value))


def _report_lines(c: Candidate, year: int) -> list[str]:
    """What the records say about a candidate, in plain words, and hints in brackets for what only the
    author can write (the engine's reasoning is not a report of achievements)."""
    lines: list[str] = []
    if c.person is not None:
        ratings = {r.year: r.value for r in Rating.objects.filter(person=c.person, year__gte=year - 2)}
        awards = AwardRecord.objects.filter(person=c.person, revoked_on__isnull=True, year__lt=year)
        initiatives = list(
            Initiative.objects.filter(person=c.person, year__gte=year - 2).order_by("year", "code")
        )
    else:
        ratings = {r.year: r.value for r in Rating.objects.filter(unit=c.collective, year__gte=year - 2)}
        awards = AwardRecord.objects.filter(unit=c.collective, revoked_on__isnull=True, year__lt=year)
        initiatives = []
    lines.append(
        f"- Kết quả thực hiện nhiệm vụ năm {year}: [Nêu các nhiệm vụ được giao, kết quả nổi bật, số liệu so "
        "với kế hoạch]."
    )
    if ratings:
        rated = "; ".join(f"năm {y}: {_rating_label(v)}" for y, v in sorted(ratings.items()))
        lines.append(f"- Xếp loại chất lượng: {rated}.")
    else:
        lines.append(f"- Xếp loại chất lượng: [Ghi kết quả xếp loại năm {year}].")
    if initiatives:
        listed = "; ".join(f"“{i.title}” (năm {i.year})" for i in initiatives)
        lines.append(f"- Sáng kiến, giải pháp được công nhận: {listed}.")
    elif c.person is not None:
        lines.append("- Sáng kiến, giải pháp: [Ghi sáng kiến được công nhận, nếu có].")
    earlier = list(awards.order_by("-year", "-decided_on")[:4])
    if earlier:
        listed = "; ".join(
            f"{award_name(a.award_id, on=a.decided_on)} năm {a.year}"
            + (f" (Quyết định số {a.decision_number})" if a.decision_number else "")
            for a in earlier
        )
        lines.append(f"- Hình thức khen thưởng đã nhận: {listed}.")
    if c.source == Candidate.Source.MANUAL and c.note.strip():
        lines.append(f"- Lý do đề nghị: {c.note.strip()}")
    return lines


def achievement_reports(dossier: Dossier) -> OfficialDocument:
    """Báo cáo thành tích of the dossier (NĐ 152/2025 Mẫu số 05, in short): one compact document, a short
    section per candidate with what the records show and bracketed hints for the author to complete;
    signed by the unit's head."""
    names = UnitNames()
    decider = _decider(dossier)
    name = proper_name(award_name(dossier.award_id, on=dossier.submitted_on), decider.name)
    body: list[Block] = [
        Paragraph(
            f"{dossier.unit.name} báo cáo thành tích của {_counted(_dossier_candidates(dossier))} đề nghị "
            f"công nhận, tặng {name} năm {dossier.year} như sau:"
        )
    ]
    for index, c in enumerate(_dossier_candidates(dossier), start=1):
        subject, position = _subject_line(c, names)
        heading = f"{index}. {subject}" + (f", {position}" if position else "")
        body.append(Paragraph(heading, bold=True, indent=False, keep_with_next=True))
        body += [Paragraph(line, indent=False) for line in _report_lines(c, dossier.year)]
    return OfficialDocument(
        parent_body=dossier.unit.parent.name if dossier.unit.parent else "",
        issuer=dossier.unit.name,
        number_symbol="",
        place=_place(dossier.unit),
        date=dossier.submitted_on,
        type_label="Báo cáo",
        title=f"Thành tích của tập thể, cá nhân đề nghị công nhận, tặng {name} năm {dossier.year}",
        body=body,
        signature=_head_signature(dossier.unit, dossier.submitted_on),
    )


def _dossier_candidates(dossier: Dossier) -> list[Candidate]:
    """Collectives (in tree order), then individuals (in name order), as the lists print them."""
    candidates = list(dossier.candidates.select_related("person__current_unit", "collective"))
    return sorted(
        candidates,
        key=lambda c: (
            c.person_id is not None,
            c.collective.path if c.collective else "",
            c.person.sort_key if c.person else "",
            c.pk,
        ),
    )


# -- the decision --------------------------------------------------------------------------------------


def decision_signature(decision: Decision) -> Signature:
    """Who signs, in the form recorded with the decision (a deputy signs KT. for the head)."""
    head_title = ""
    if decision.signing_form in ("Q.", "TL.", "TUQ."):
        head = head_of(decision.unit, decision.signed_on)
        head_title = head.title if head is not None else "Giám đốc"
    return signature_block(
        decision.signer_title or "Giám đốc",
        decision.signer_name,
        form=decision.signing_form,
        head_title=head_title,
        body=decision.unit.name,
    )


def decision_data(decision: Decision) -> DecisionData:
    """The year-end decision as the documents app's `DecisionData`: issued by the decision's unit,
    signed as recorded, Nơi nhận as recorded, one annex line per award (revoked ones included: this
    is the decision as signed), units named with their province."""
    dossier = decision.dossier
    unit = decision.unit
    names = UnitNames()
    awards = list(
        decision.awards.select_related("person__current_unit", "unit").order_by(
            "unit__path", "person__sort_key", "id"
        )
    )
    signer = decision_signature(decision)
    kind = awards[0].kind if awards else dossier.candidates.values_list("kind", flat=True).first()
    is_title = kind == AwardRecord.Kind.TITLE
    copies_to = [line.strip() for line in decision.recipients.splitlines() if line.strip()]
    totals = prize_totals(decision)
    split = "; ".join(f"{t.unit}: {format_cell(t.total_vnd)} đồng" for t in totals)
    title_name = proper_name(award_name(dossier.award_id, on=decision.signed_on), unit.name)
    recipients = [award_recipient(a, names, on=decision.signed_on) for a in awards]
    recipients = [replace(r, title_name=proper_name(r.title_name, unit.name)) for r in recipients]
    proposer = (
        _office(dossier.unit, decision.signed_on)
        if dossier.unit_id != unit.pk
        else f"Hội đồng Thi đua - Khen thưởng {unit.name}"
    )
    data = DecisionData(
        parent_body=letterhead(unit).parent_body,
        issuer=unit.name,
        number_symbol=decision.number_symbol,
        date=decision.signed_on,
        place=_place(unit),
        signer=signer,
        authority=f"{signer.office} {unit.name}",
        title_id=dossier.award_id,
        title_name=title_name,
        title_kind="title" if is_title else "form",
        year=dossier.year,
        recipients=recipients,
        proposer=proposer,
        legal_bases=(
            *DEFAULT_LEGAL_BASES,
            "Căn cứ kết quả thẩm định hồ sơ đề nghị khen thưởng"
            if dossier.unit_id != unit.pk
            else f"Căn cứ kết quả bình xét thi đua, khen thưởng năm {dossier.year}",
        ),
        money_notes=[f"Trong đó: {split}."] if len(totals) > 1 else [],
    )
    return replace(data, copies_to=copies_to) if copies_to else data


def decision_document(decision: Decision) -> OfficialDocument:
    """The decision with its annex list, built by `thidua.documents.builders.decision`."""
    return build_decision(decision_data(decision))


def decision_docx(decision: Decision) -> bytes:
    """The decision as .docx: the organisation's uploaded decision template when it has one
    (looked up from the deciding unit to the root), else the NĐ 30 layout."""
    from thidua.documents.services import render_decision

    return render_decision(decision_data(decision), unit=decision.unit)


def decision_extract(decision: Decision, award: AwardRecord) -> OfficialDocument:
    """A person's own extract of the decision (trích quyết định): the decision as signed, its annex
    reduced to that person's line. The number, date, signer and wording are the decision's."""
    data = decision_data(decision)
    names = UnitNames()
    mine = award_recipient(award, names, on=decision.signed_on)
    mine = replace(mine, title_name=proper_name(mine.title_name, decision.unit.name))
    document = build_decision(data)
    annex = build_decision(replace(data, recipients=[mine], money_notes=[])).annexes[0]
    # the line keeps its number in the decision's list
    same_kind = [r for r in data.recipients if r.collective == mine.collective]
    number = next((i for i, r in enumerate(same_kind, start=1) if r == mine), 1)
    annex = replace(
        annex,
        blocks=[
            replace(b, rows=[[number, *row[1:]] for row in b.rows]) if isinstance(b, Table) else b
            for b in annex.blocks
        ],
    )
    return replace(
        document,
        annexes=[
            Annex(
                label="Trích Phụ lục",
                title=annex.title,
                subtitle=annex.subtitle,
                blocks=annex.blocks,
            )
        ],
    )


# -- certificates --------------------------------------------------------------------------------------


def _certificate_record(decision: Decision, a: AwardRecord, names: UnitNames) -> dict[str, str]:
    name = proper_name(award_name(a.award_id, on=decision.signed_on), decision.unit.name)
    if a.person is not None:
        recipient = f"{'Bà' if a.person.gender == 'nu' else 'Ông'} {a.person.full_name}"
        where = _person_position(a.person, names)
    else:
        recipient, where = names.full(a.unit), ""
    achievement = (
        f"Đạt danh hiệu {name} năm {a.year}"
        if a.kind == AwardRecord.Kind.TITLE
        else f"Đã có thành tích xuất sắc trong thực hiện nhiệm vụ năm {a.year}"
    )
    entry = decision.entry
    return {
        "recipient": recipient,
        "position_unit": where,
        "achievement": achievement,
        "place_date": date_line(_place(decision.unit), decision.signed_on) if decision.signed_on else "",
        "decision": f"Quyết định số {decision.number_symbol}"
        + (f" ngày {decision.signed_on:%d/%m/%Y}" if decision.signed_on else ""),
        "book_number": "",
        "_entry": str(entry.number) if entry else "",
    }


def certificate_records(decision: Decision, *, only: AwardRecord | None = None) -> list[dict[str, str]]:
    """One record per award of the decision not revoked, for `render_certificates`; the register
    number is "Số sổ: <decision's register number>/<line of the annex>", all of one width so the
    numbers line up on the blanks. `only` keeps one award (a person's own certificate)."""
    names = UnitNames()
    awards = list(decision.awards.select_related("person__current_unit", "unit").order_by("id"))
    width = len(str(len(awards)))
    records = []
    for i, a in enumerate(awards, start=1):
        if a.revoked_on is not None or (only is not None and a.pk != only.pk):
            continue
        record = _certificate_record(decision, a, names)
        entry = record.pop("_entry")
        record["book_number"] = f"Số sổ: {entry}/{i:0{width}d}" if entry else f"Số sổ: {i:0{width}d}"
        records.append(record)
    return records


def certificate_kind_of(decision: Decision) -> str:
    """The blank the decision's certificates are printed on: Bằng khen forms on a Bằng khen."""
    return (
        CertificateKind.BANG_KHEN
        if decision.dossier.award_id.startswith("bang_khen")
        else CertificateKind.GIAY_KHEN
    )


def certificates_pdf(decision: Decision, *, only: AwardRecord | None = None) -> bytes:
    """On the organisation's calibrated blank layout (documents app), else the shipped one."""
    return render_certificate_pdf(
        certificate_records(decision, only=only), unit=decision.unit, kind=certificate_kind_of(decision)
    )


# -- the prize list for the accountant -----------------------------------------------------------------


def prize_list(decision: Decision) -> XlsxSheet:
    """The decision's recipients and amounts for the accountant: numbered rows (collectives, then
    individuals), amounts in đồng with a number format, the total and its words, signatures of the
    preparer, the chief accountant and the head of the unit."""
    names = UnitNames()
    awards = list(
        decision.awards.select_related("person__current_unit", "unit").order_by(
            "unit__path", "person__sort_key", "id"
        )
    )
    awards.sort(key=lambda a: a.person_id is not None)  # collectives first, as in the annex
    rows: list[list[CellValue]] = []
    total = 0
    for i, a in enumerate(awards, start=1):
        if a.person is not None:
            who, where = a.person.full_name, _person_position(a.person, names)
        else:
            who, where = names.full(a.unit), "Tập thể"
        amount = 0 if a.revoked_on is not None else (a.prize_vnd or 0)
        note = f"Đã thu hồi ngày {a.revoked_on:%d/%m/%Y}" if a.revoked_on else a.prize_note
        rows.append([i, who, where, award_name(a.award_id, on=decision.signed_on), amount, None, note])
        total += amount
    signature = decision_signature(decision)
    date_text = (
        date_line(_place(decision.unit), decision.signed_on)
        if decision.signed_on
        else f"{_place(decision.unit)}, ngày      tháng      năm      "
    )
    head = head_of(decision.unit, decision.signed_on)
    columns = [
        XlsxColumn("STT", 7, align="center"),
        XlsxColumn("Họ và tên / Tập thể", 26, wrap=True),
        XlsxColumn("Chức vụ, đơn vị công tác", 40, wrap=True),
        XlsxColumn("Danh hiệu, hình thức", 24, wrap=True),
        XlsxColumn("Số tiền (đồng)", 15, MONEY_FORMAT, align="right"),
        XlsxColumn("Ký nhận", 14),
        XlsxColumn("Ghi chú", 22, wrap=True),
    ]
    return XlsxSheet(
        "Danh sách chi thưởng",
        columns,
        rows,
        title_rows=[
            decision.unit.name.upper(),
            "DANH SÁCH CHI TIỀN THƯỞNG",
            f"(Kèm theo Quyết định số {decision.number_symbol}"
            + (f" ngày {decision.signed_on:%d/%m/%Y}" if decision.signed_on else "")
            + f" của {signature.office} {decision.unit.name})",
        ],
        total_row=[None, "Tổng cộng", None, None, total, None, None],
        footer_rows=[f"Bằng chữ: {amount_in_words(total)}."],
        date_line=date_text,
        signatures=[
            ("NGƯỜI LẬP BIỂU", ""),
            ("KẾ TOÁN TRƯỞNG", ""),
            ("THỦ TRƯỞNG ĐƠN VỊ", head.name if head is not None else ""),
        ],
    )


def prize_list_xlsx(decision: Decision) -> bytes:
    return render_xlsx(prize_list(decision))


# -- which template kind each paper uses ----------------------------------------------------------------

DOSSIER_DOCUMENTS = {
    "to-trinh": ("Tờ trình", submission_document),
    "danh-sach": ("Danh sách đề nghị", list_document),
    "bao-cao-thanh-tich": ("Báo cáo thành tích", achievement_reports),
}

DOSSIER_KINDS = {
    "to-trinh": DocumentKind.SUBMISSION,
    "danh-sach": DocumentKind.PROPOSAL_LIST,
    "bao-cao-thanh-tich": DocumentKind.DOSSIER_ACHIEVEMENT,
}
"""The organisation's template kind of each dossier document (`DocumentTemplate`)."""


def minutes_docx(meeting: Meeting) -> bytes:
    """The minutes as .docx: the council's unit's `council_minutes` template (looked up to the root)
    when there is one, else the NĐ 30 layout."""
    return render_document(DocumentKind.COUNCIL_MINUTES, minutes_document(meeting), unit=meeting.council.unit)


def dossier_docx(slug: str, dossier: Dossier) -> bytes:
    """A document of `DOSSIER_DOCUMENTS` as .docx, through the dossier unit's template of its kind
    when there is one, else the NĐ 30 layout."""
    _, build = DOSSIER_DOCUMENTS[slug]
    return render_document(DOSSIER_KINDS[slug], build(dossier), unit=dossier.unit)


def extract_docx(decision: Decision, award: AwardRecord) -> bytes:
    """A person's extract of the decision, in the built-in layout (an organisation's decision template
    lists every recipient; an extract lists one)."""
    return render_docx(decision_extract(decision, award))


def docx(doc: OfficialDocument) -> bytes:
    return render_docx(doc)
