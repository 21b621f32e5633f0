"""Decisions: numbering in the register, issuing (history, initiatives, prize money), revocation."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import F

from thidua.accounts.models import User
from thidua.audit.services import log
from thidua.awards.models import (
    Candidate,
    Decision,
    DecisionAward,
    DocumentRegister,
    Dossier,
    RegisterEntry,
    granting_unit,
)
from thidua.awards.services.candidates import release_waiting
from thidua.awards.signals import award_revoked, awards_granted
from thidua.core.errors import DomainError
from thidua.documents.jobs import start_job
from thidua.documents.models import Job
from thidua.documents.official import SIGNING_FORMS
from thidua.documents.vnwords import format_number_symbol
from thidua.eligibility.adapters import person_case
from thidua.eligibility.services import ruleset_on
from thidua.history.models import AwardRecord, Initiative, RevocationClause
from thidua.lib.numbers import format_number
from thidua.org.models import Unit
from thidua.org.organisation import letterhead
from thidua.org.permissions import can_change_unit
from thidua.rules import CaseError, Ruleset, evaluate
from thidua.rules.names import award_name


def issuer_symbol(unit: Unit) -> str:
    """The issuing body's abbreviation in its document numbers (07/QĐ-SGDĐT): the unit's own, else its
    organisation's (`thidua.org.organisation.letterhead`); "" when none is set, never another body's."""
    return letterhead(unit).symbol


def allocate_number(
    *, unit: Unit, year: int, doc_type: str, issued_on: date, summary: str = ""
) -> RegisterEntry:
    """Take the next number of `unit`'s register for `year` and `doc_type`, under a row lock
    (select_for_update) so that concurrent issues never get the same number. Call inside the
    issuing transaction: a rolled-back issue gives its number back."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("allocate_number must run inside a transaction")
    symbol = issuer_symbol(unit)
    if not symbol:
        raise DomainError(
            f"{unit.name} chưa có ký hiệu trên văn bản (chữ viết tắt trong số văn bản, ví dụ QĐ-…): "
            "hãy khai báo ký hiệu của đơn vị hoặc của tổ chức trước khi ban hành."
        )
    DocumentRegister.objects.get_or_create(unit=unit, year=year, doc_type=doc_type)
    register = DocumentRegister.objects.select_for_update().get(unit=unit, year=year, doc_type=doc_type)
    register.last_number += 1
    register.save(update_fields=["last_number"])
    return RegisterEntry.objects.create(
        unit=unit,
        year=year,
        doc_type=doc_type,
        number=register.last_number,
        number_symbol=format_number_symbol(register.last_number, doc_type, symbol),
        issued_on=issued_on,
        summary=summary[:500],
    )


def _subject_kind(c: Candidate) -> str:
    return "individual" if c.person_id else "collective"


def _paid_for(a: AwardRecord, kind: str, on: date, rs: Ruleset) -> tuple[int, bool]:
    """What an earlier title of the period counts as paid, and whether that is the recorded figure: a
    title recorded without its prize (imported history, `prize_vnd` empty) counts at its own amount,
    coefficient × the base salary on its decision day (on `on` if none is known for that day), so
    that a higher title the history holds is never paid again beneath a lower one (NĐ 152/2025 Đ49)."""
    if a.prize_vnd is not None:
        return a.prize_vnd, True
    if a.award_id not in rs.items:
        return 0, False
    try:
        own = rs.prize_vnd(a.award_id, kind, a.decided_on)
    except LookupError:  # before the base salary schedule
        own = rs.prize_vnd(a.award_id, kind, on)
    return own or 0, False


def _prize(
    c: Candidate, on: date, paid: dict[tuple[str, int], list[AwardRecord]], rs: Ruleset
) -> tuple[int | None, str]:
    """Prize money for one candidate: coefficient × base salary on the decision date, rounded up to
    10,000 VND (the ruleset's arithmetic). Titles of the same period pay only the highest (NĐ
    152/2025 Đ49; law.md §5, CONFIRMED): a person's Lao động tiên tiến and Chiến sĩ thi đua cơ sở of
    one year are not both paid. When the subject already holds a title for the year, only the
    difference, if any, is paid: nothing for a lower title decided after a higher one, the difference
    for a higher title decided after a lower one (the period's total is the highest title's prize)."""
    amount = rs.prize_vnd(c.award_id, _subject_kind(c), on) if c.award_id in rs.items else None
    if amount is None or c.kind != AwardRecord.Kind.TITLE:
        return amount, ""
    key = (f"p{c.person_id}" if c.person_id else f"u{c.collective_id}", c.year)
    earlier = [a for a in paid.get(key, []) if a.award_id != c.award_id]
    if not earlier:
        return amount, ""
    rule = rs.global_rules.get("prize_highest_of_period")
    cited = f" ({rule.citation})" if rule is not None else ""
    counted = [_paid_for(a, _subject_kind(c), on, rs) for a in earlier]
    already = sum(n for n, _ in counted)
    estimated = (
        "" if all(recorded for _, recorded in counted) else ", tính theo hệ số vì hồ sơ không ghi tiền thưởng"
    )
    names = ", ".join(award_name(a.award_id) for a in earlier)
    if len(names) > 120:  # the note is 255 characters at most (`AwardRecord.prize_note`)
        names = names[:119] + "…"
    if already >= amount:
        pay, note = (
            0,
            f"Cùng kỳ đã được khen {names} với mức thưởng cao hơn hoặc bằng{estimated}: không chi thêm",
        )
    else:
        pay = amount - already
        note = f"Cùng kỳ đã được khen {names} ({format_number(already)} đồng{estimated}): chi phần chênh lệch"
    note += cited
    return pay, note if len(note) <= 255 else note[:254] + "…"


@transaction.atomic
def issue_decision(
    *,
    actor: User | None,
    dossier: Dossier,
    version: int,
    signed_on: date,
    signer_name: str,
    signer_title: str,
    recipients: str = "",
    signing_form: str = "",
) -> Decision:
    """appraised → decided: a numbered decision of the appraising unit for the accepted candidates;
    or draft → decided by the unit itself when its head decides the title (`dossier_route`,
    Luật 06/2022 Đ80 k1), every candidate of the dossier then being accepted.

    Writes AwardRecord rows (the history the engine reads next year) with prize money, marks the
    initiatives each award consumed as used, logs `decision.issued` with the totals."""
    from thidua.awards.services.dossiers import _lock, dossier_route

    dossier = _lock(dossier, version)
    route = dossier_route(dossier)
    own_unit = dossier.status == Dossier.Status.DRAFT
    if own_unit:
        if not route.own_unit:
            raise DomainError(
                f"{award_name(dossier.award_id)} do {route.authority.label} quyết định "
                f"({route.authority.citation}): hãy trình hồ sơ lên {dossier.appraiser.name}"
            )
        unit = dossier.unit
    elif dossier.status == Dossier.Status.APPRAISED:
        unit = dossier.appraiser
    else:
        raise DomainError("Chỉ ra quyết định cho hồ sơ đã thẩm định")
    if not can_change_unit(actor, unit):
        raise DomainError("Bạn không có quyền ban hành quyết định của đơn vị này")
    if not signer_name.strip() or not signer_title.strip():
        raise DomainError("Cần ghi người ký và chức vụ người ký")
    if signing_form not in SIGNING_FORMS:
        raise DomainError("Hình thức ký phải là KT., TM., Q., TL. hoặc TUQ.", field="signing_form")
    if own_unit:
        dossier.candidates.update(
            appraisal=Candidate.Appraisal.ACCEPTED,
            appraisal_note=f"Thủ trưởng đơn vị quyết định theo thẩm quyền ({route.authority.citation})",
        )
    accepted = list(
        dossier.candidates.filter(appraisal=Candidate.Appraisal.ACCEPTED).select_related(
            "person", "collective", "unit"
        )
    )
    if not accepted:
        raise DomainError("Không có người, tập thể nào được đồng ý qua thẩm định")
    name = award_name(dossier.award_id, on=signed_on)
    entry = allocate_number(
        unit=unit,
        year=signed_on.year,
        doc_type="QĐ",
        issued_on=signed_on,
        summary=f"Về việc công nhận, tặng {name} năm {dossier.year}",
    )
    decision = Decision.objects.create(
        unit=unit,
        dossier=dossier,
        status=Decision.Status.ISSUED,
        entry=entry,
        number_symbol=entry.number_symbol,
        signed_on=signed_on,
        signer_name=signer_name.strip(),
        signer_title=signer_title.strip(),
        signing_form=signing_form,
        recipients=recipients.strip(),
    )
    paid: dict[tuple[str, int], list[AwardRecord]] = defaultdict(list)
    people = [c.person_id for c in accepted if c.person_id]
    units = [c.collective_id for c in accepted if c.collective_id]
    for a in AwardRecord.objects.filter(
        kind=AwardRecord.Kind.TITLE, year=dossier.year, revoked_on__isnull=True
    ).filter(person_id__in=people) | AwardRecord.objects.filter(
        kind=AwardRecord.Kind.TITLE, year=dossier.year, revoked_on__isnull=True, unit_id__in=units
    ):
        paid[(f"p{a.person_id}" if a.person_id else f"u{a.unit_id}", a.year)].append(a)
    total = 0
    rs = ruleset_on(signed_on, unit=unit)
    granted: list[AwardRecord] = []
    for c in accepted:
        amount, note = _prize(c, signed_on, paid, rs)
        record = AwardRecord.objects.create(
            person=c.person,
            unit=c.collective,
            kind=c.kind,
            award_id=c.award_id,
            year=c.year,
            decided_on=signed_on,
            decision_number=entry.number_symbol,
            decided_by=unit.name,
            prize_vnd=amount,
            prize_note=note,
        )
        DecisionAward.objects.create(decision=decision, award=record)
        granted.append(record)
        total += amount or 0
        consumes = _consumed(c)
        if consumes and c.person_id:
            # a new version: a correction form opened on the person's page before is then refused
            Initiative.objects.filter(person_id=c.person_id, code__in=consumes, used_for="").update(
                used_for=f"{c.award_id}:{c.year}", version=F("version") + 1
            )
    released = release_waiting(year=dossier.year, people=people, units=units)
    dossier.status = Dossier.Status.DECIDED
    dossier.version += 1
    dossier.save(update_fields=["status", "version", "updated_at"])
    log(
        "decision.issued",
        actor=actor,
        obj=decision,
        unit_path=dossier.unit.path,
        detail={
            "number": entry.number_symbol,
            "award": dossier.award_id,
            "recipients": len(accepted),
            "total_vnd": total,
            "route": "own_unit" if own_unit else "above",
            "authority": route.display,
            "waiting_released": released,
        },
    )
    awards_granted.send(sender=Decision, decision=decision, awards=granted)
    return decision


def _consumed(candidate: Candidate) -> list[str]:
    """The initiatives and science works the award uses up (CV 5007, CV 3385: each serves once),
    read again from the person's history as it is when the decision is issued, not from the
    proposal: a title earned on the HTXS path (Luật 06/2022 Đ23 k2) uses none, so its initiative
    stays free for Đ74 k1 d, even if the rating was raised after the candidate was proposed. The
    stored result is kept when the history no longer gives the title (the council's decision)."""
    stored = list(candidate.engine_result.get("consumes") or [])
    if not stored or candidate.person is None:
        return stored
    case = person_case(candidate.person, year=candidate.year, candidates=[candidate.award_id])
    rs = ruleset_on(date(candidate.year, 12, 31), unit=candidate.unit)  # as the candidate list read it
    try:
        fresh = evaluate(case, ruleset=rs, with_forecast=False).results[0]
    except CaseError:
        return stored
    return list(fresh.consumes) if fresh.verdict == "eligible" else stored


@dataclass(frozen=True)
class UnitTotal:
    unit: str
    count: int
    total_vnd: int


def prize_totals(decision: Decision) -> list[UnitTotal]:
    """Prize money of a decision per unit (a person's unit, or the collective itself)."""
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for a in decision.awards.select_related("person__current_unit", "unit"):
        name = (
            a.unit.name
            if a.unit
            else (a.person.current_unit.name if a.person and a.person.current_unit else "—")
        )
        totals[name][0] += 1
        totals[name][1] += a.prize_vnd or 0
    return [UnitTotal(u, n, t) for u, (n, t) in sorted(totals.items())]


# -- revocation ----------------------------------------------------------------------------------
ARTEFACTS = {
    "chien_si_thi_dua_toan_quoc": "Bằng chứng nhận, khung và huy hiệu Chiến sĩ thi đua toàn quốc",
    "chien_si_thi_dua_bo_tinh": "Bằng chứng nhận, khung và huy hiệu Chiến sĩ thi đua",
    "chien_si_thi_dua_co_so": "Bằng chứng nhận và khung Chiến sĩ thi đua cơ sở",
    "co_thi_dua_bo_tinh": "Cờ thi đua",
    "co_thi_dua_chinh_phu": "Cờ thi đua của Chính phủ",
}


@dataclass(frozen=True)
class Recovery:
    """What must be recovered after a revocation (Luật 06/2022 Đ93 k2)."""

    money_vnd: int
    artefacts: list[str]


def recovery_for(award: AwardRecord) -> Recovery:
    name = award_name(award.award_id, on=award.decided_on)
    artefact = ARTEFACTS.get(award.award_id) or f"Giấy chứng nhận, bằng khen hoặc giấy khen {name}"
    return Recovery(
        money_vnd=award.prize_vnd or 0, artefacts=[f"{artefact} (quyết định {award.decision_number or '—'})"]
    )


@transaction.atomic
def revoke_award(
    *,
    actor: User | None,
    award: AwardRecord,
    clause: str,
    revoked_on: date,
    decision_number: str,
    note: str = "",
) -> Recovery:
    """Annul an award on a ground of Luật 06/2022 Đ93 k2; the record stays, marked revoked, and no
    longer counts for eligibility. Only the authority that awarded revokes (Đ93 k8)."""
    award = AwardRecord.objects.select_for_update().get(pk=award.pk)
    if award.revoked_on is not None:
        raise DomainError("Khen thưởng này đã bị thu hồi")
    if clause not in RevocationClause.values:
        raise DomainError("Chọn căn cứ thu hồi theo Luật Thi đua, khen thưởng Đ93 k2", field="clause")
    if not decision_number.strip():
        raise DomainError("Cần ghi số quyết định hủy bỏ", field="decision_number")
    authority = granting_unit(award)
    if authority is None or not can_change_unit(actor, authority):
        raise DomainError("Chỉ cấp đã quyết định khen thưởng mới được hủy bỏ quyết định (Luật Đ93 k8)")
    if revoked_on < award.decided_on:
        raise DomainError("Ngày thu hồi không thể trước ngày quyết định khen thưởng")
    award.revoked_on = revoked_on
    award.revocation_clause = clause
    award.revocation_ground = (
        RevocationClause(clause).label + (f". {note.strip()}" if note.strip() else "")
    )[:255]
    award.revocation_decision = decision_number.strip()
    award.save(
        update_fields=[
            "revoked_on",
            "revocation_clause",
            "revocation_ground",
            "revocation_decision",
            "updated_at",
        ]
    )
    # The initiatives the award used become free again? No: Đ93 recovers the award; the
    # initiative stays recorded as used, the safer reading until a rule says otherwise.
    recovery = recovery_for(award)
    award_revoked.send(sender=AwardRecord, award=award)
    log(
        "award.revoked",
        actor=actor,
        obj=award,
        unit_path=(award.unit or (award.person.current_unit if award.person else None) or authority).path,
        detail={
            "clause": clause,
            "decision": award.revocation_decision,
            "money_vnd": recovery.money_vnd,
            "artefacts": recovery.artefacts,
        },
    )
    return recovery


def start_decision_job(*, actor: User | None, decision: Decision, kind: str) -> Job:
    """Build an issued decision's .docx (`Job.Kind.DECISION_DOCX`) or its certificates
    (`CERTIFICATES_PDF`) as a background job with progress (`thidua.awards.jobs`)."""
    if kind not in (Job.Kind.DECISION_DOCX, Job.Kind.CERTIFICATES_PDF):
        raise DomainError("Loại văn bản không hợp lệ")
    if decision.status != Decision.Status.ISSUED:
        raise DomainError("Quyết định chưa ban hành")
    return start_job(
        actor=actor,
        kind=kind,
        params={"decision": decision.pk},
        title=f"{Job.Kind(kind).label} — {decision.number_symbol}",
        unit_path=decision.unit.path,
    )
