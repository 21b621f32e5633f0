"""Year-end documents built from the database and rendered by `thidua.documents`: council minutes
(biên bản with the vote results), tờ trình, danh sách, báo cáo thành tích, and the decision."""

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
from thidua.awards.services.council import quorum
from thidua.awards.services.decisions import prize_totals
from thidua.core.errors import DomainError
from thidua.documents.builders.decision import DEFAULT_LEGAL_BASES, DecisionData, Recipient, build_decision
from thidua.documents.builders.from_db import header_name
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
)
from thidua.documents.services import render_certificate_pdf, render_decision, render_yearend
from thidua.documents.vnwords import date_line
from thidua.eligibility.services import ruleset_on
from thidua.history.models import AwardRecord
from thidua.lib.numbers import format_number
from thidua.org.models import Unit
from thidua.rules.names import award_name

PLACE_DEFAULT = "Hà Nội"


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


def _issuer(unit: Unit) -> tuple[str, str]:
    parent = unit.parent.name if unit.parent else ""
    return parent, unit.name


def _place(unit: Unit) -> str:
    return unit.place_name or PLACE_DEFAULT


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


def _list_table(candidates: list[Candidate]) -> Table:
    rows: list[list[CellText]] = [
        [i, c.subject_name, _subject_position(c)] for i, c in enumerate(candidates, start=1)
    ]
    columns = [Column("STT", 12, "center"), Column("Họ và tên / Tập thể", 55), Column("Chức vụ, đơn vị", 80)]
    return Table(columns=columns, rows=rows)


def _dossier_candidates(dossier: Dossier) -> list[Candidate]:
    return list(dossier.candidates.select_related("person__current_unit", "collective").order_by("id"))


def submission_document(dossier: Dossier) -> OfficialDocument:
    """Tờ trình đề nghị khen thưởng (NĐ 152/2025 Mẫu số 01), with the list in an annex."""
    parent, issuer = _issuer(dossier.unit)
    name = award_name(dossier.award_id)
    candidates = _dossier_candidates(dossier)
    vote = ""
    if dossier.meeting is not None:
        vote = (
            f" Hội đồng Thi đua – Khen thưởng đã họp ngày {dossier.meeting.held_on:%d/%m/%Y} và biểu quyết "
            "bằng phiếu kín (có biên bản kèm theo)."
        )
    return OfficialDocument(
        parent_body=parent,
        issuer=issuer,
        number_symbol="      /TTr-" + (dossier.unit.symbol or "BHXH"),
        place=_place(dossier.unit),
        date=dossier.submitted_on,
        type_label="Tờ trình",
        title=f"Về việc đề nghị công nhận, tặng {name} năm {dossier.year}",
        addressees=[dossier.appraiser.name],
        body=[
            Paragraph(
                f"Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022 và kết quả bình xét thi đua năm "
                f"{dossier.year}, {dossier.unit.name} đề nghị {dossier.appraiser.name} xem xét, công nhận, tặng "
                f"{name} cho {len(candidates)} cá nhân, tập thể (có danh sách kèm theo).{vote}"
            ),
            Paragraph(
                "Hồ sơ gồm: tờ trình; danh sách; biên bản họp Hội đồng kèm kết quả bỏ phiếu; báo cáo thành tích."
            ),
        ],
        recipients=["Như trên", "Lưu: VT, TĐKT"],
        signature=Signature(position="Thủ trưởng đơn vị", signer_name=""),
        annexes=[
            Annex(title=f"Danh sách đề nghị {name} năm {dossier.year}", blocks=[_list_table(candidates)])
        ],
    )


def list_document(dossier: Dossier) -> OfficialDocument:
    """Danh sách đề nghị, with the engine's verdict and the vote result of each candidate."""
    parent, issuer = _issuer(dossier.unit)
    name = award_name(dossier.award_id)
    rows: list[list[CellText]] = []
    for i, c in enumerate(_dossier_candidates(dossier), start=1):
        source = "Theo xét tự động" if c.source == Candidate.Source.ENGINE else "Bổ sung, có giải trình"
        vote = {True: "Đạt", False: "Không đạt", None: "—"}[c.vote_passed]
        rows.append([i, c.subject_name, _subject_position(c), source, vote])
    return OfficialDocument(
        parent_body=parent,
        issuer=issuer,
        number_symbol="",
        place=_place(dossier.unit),
        date=dossier.submitted_on,
        type_label="Danh sách",
        title=f"Đề nghị công nhận, tặng {name} năm {dossier.year}",
        body=[
            Table(
                columns=[
                    Column("STT", 12, "center"),
                    Column("Họ và tên / Tập thể", 45),
                    Column("Chức vụ, đơn vị", 55),
                    Column("Căn cứ đề nghị", 30),
                    Column("Bỏ phiếu", 20),
                ],
                rows=rows,
            )
        ],
    )


def achievement_reports(dossier: Dossier) -> OfficialDocument:
    """Báo cáo thành tích (NĐ 152/2025 Mẫu số 05), one annex per candidate, drafted from the engine's
    reasons: the candidate completes and signs it."""
    parent, issuer = _issuer(dossier.unit)
    name = award_name(dossier.award_id)
    annexes = []
    for c in _dossier_candidates(dossier):
        reasons = [r["text"] for r in c.engine_result.get("reasons", []) if r.get("ok")]
        blocks: list[str | Paragraph] = [
            Paragraph(f"Họ và tên / Tập thể: {c.subject_name}"),
            Paragraph(f"Chức vụ, đơn vị: {_subject_position(c)}"),
            Paragraph("Thành tích đạt được (căn cứ xét):", bold=True),
            *[Paragraph(f"- {r}") for r in reasons],
        ]
        if c.note and c.source == Candidate.Source.MANUAL:
            blocks.append(Paragraph(f"Giải trình bổ sung: {c.note}"))
        annexes.append(Annex(title=f"Báo cáo thành tích đề nghị {name} năm {dossier.year}", blocks=blocks))
    return OfficialDocument(
        parent_body=parent,
        issuer=issuer,
        number_symbol="",
        place=_place(dossier.unit),
        date=dossier.submitted_on,
        type_label="Báo cáo",
        title=f"Thành tích của các cá nhân, tập thể đề nghị {name} năm {dossier.year}",
        body=[Paragraph(f"Gồm {len(annexes)} báo cáo thành tích kèm theo.")],
        annexes=annexes,
    )


def decision_data(decision: Decision) -> DecisionData:
    """The year-end decision as the documents app's `DecisionData`: issued by the decision's unit,
    signed by its signer, Nơi nhận as recorded, one annex line per award (revoked ones included:
    this is the decision as signed)."""
    dossier = decision.dossier
    unit = decision.unit
    awards = list(
        decision.awards.select_related("person__current_unit", "unit__parent").order_by(
            "unit__path", "person__sort_key", "id"
        )
    )
    position = decision.signer_title or "Giám đốc"
    kind = awards[0].kind if awards else dossier.candidates.values_list("kind", flat=True).first()
    is_title = kind == AwardRecord.Kind.TITLE
    copies_to = [line.strip() for line in decision.recipients.splitlines() if line.strip()]
    totals = prize_totals(decision)
    split = "; ".join(f"{t.unit}: {format_cell(t.total_vnd)} đồng" for t in totals)
    data = DecisionData(
        parent_body=unit.parent.name if unit.parent else "",
        issuer=header_name(unit.name),
        number_symbol=decision.number_symbol,
        date=decision.signed_on,
        place=_place(unit),
        signer=Signature(position=position, signer_name=decision.signer_name),
        authority=f"{position} {unit.name}",
        title_id=dossier.award_id,
        title_name=award_name(dossier.award_id, on=decision.signed_on),
        title_kind="title" if is_title else "form",
        year=dossier.year,
        recipients=[award_recipient(a) for a in awards],
        proposer=dossier.unit.name if dossier.unit_id != unit.pk else "Hội đồng Thi đua - Khen thưởng",
        legal_bases=(*DEFAULT_LEGAL_BASES, "Căn cứ kết quả thẩm định hồ sơ đề nghị khen thưởng"),
        money_notes=[f"Trong đó: {split}."] if len(totals) > 1 else [],
    )
    return replace(data, copies_to=copies_to) if copies_to else data


def decision_document(decision: Decision) -> OfficialDocument:
    """The decision with its annex list, built by `thidua.documents.builders.decision`."""
    return build_decision(decision_data(decision))


def decision_docx(decision: Decision) -> bytes:
    """The decision as .docx: the organisation's uploaded decision template when it has one
    (looked up from the deciding unit to the root), else the NĐ 30 layout."""
    return render_decision(decision_data(decision), unit=decision.unit)


def certificate_records(decision: Decision) -> list[dict[str, str]]:
    """One record per award of the decision not revoked, for `render_certificates`."""
    name = award_name(decision.dossier.award_id, on=decision.signed_on)
    place = _place(decision.unit)
    records = []
    for i, a in enumerate(
        decision.awards.select_related("person__current_unit", "unit").order_by("id"), start=1
    ):
        if a.revoked_on is not None:
            continue
        if a.person is not None:
            recipient = f"{'Bà' if a.person.gender == 'nu' else 'Ông'} {a.person.full_name}"
            where = ", ".join(
                x
                for x in (a.person.current_title, a.person.current_unit.name if a.person.current_unit else "")
                if x
            )
        else:
            recipient, where = (a.unit.name if a.unit else ""), ""
        records.append(
            {
                "recipient": recipient,
                "position_unit": where,
                "achievement": f"Đạt danh hiệu {name} năm {a.year}"
                if a.kind == "title"
                else f"{name}: đã có thành tích năm {a.year}",
                "place_date": date_line(place, decision.signed_on) if decision.signed_on else "",
                "decision": f"Quyết định số {decision.number_symbol}",
                "book_number": f"Số sổ: {decision.entry.number if decision.entry else ''}/{i}",
            }
        )
    return records


def certificate_kind_of(decision: Decision) -> str:
    """The blank the decision's certificates are printed on: Bằng khen forms on a Bằng khen."""
    return (
        CertificateKind.BANG_KHEN
        if decision.dossier.award_id.startswith("bang_khen")
        else CertificateKind.GIAY_KHEN
    )


def certificates_pdf(decision: Decision) -> bytes:
    """On the organisation's calibrated blank layout (documents app), else the shipped one."""
    return render_certificate_pdf(
        certificate_records(decision), unit=decision.unit, kind=certificate_kind_of(decision)
    )


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
    return render_yearend(DocumentKind.COUNCIL_MINUTES, minutes_document(meeting), unit=meeting.council.unit)


def dossier_docx(slug: str, dossier: Dossier) -> bytes:
    """A document of `DOSSIER_DOCUMENTS` as .docx, through the dossier unit's template of its kind
    when there is one, else the NĐ 30 layout."""
    _, build = DOSSIER_DOCUMENTS[slug]
    return render_yearend(DOSSIER_KINDS[slug], build(dossier), unit=dossier.unit)


def docx(doc: OfficialDocument) -> bytes:
    return render_docx(doc)
