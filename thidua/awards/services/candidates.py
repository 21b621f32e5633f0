"""Candidates: the rules engine proposes, an officer confirms, removes or adds; quotas are enforced."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from thidua.audit.services import log
from thidua.awards.models import Candidate
from thidua.awards.services.common import settings_for
from thidua.awards.services.ratings import people_in_subtree
from thidua.core.errors import DomainError
from thidua.eligibility.adapters import person_records, subject_for, unit_case
from thidua.eligibility.services import check_considered, ruleset_on
from thidua.org.models import Person, Unit
from thidua.org.permissions import can_change_unit
from thidua.rules import CaseError, Ruleset, evaluate


def _person_case(person: Person, records: list[dict[str, Any]], year: int, as_of: date) -> dict[str, Any]:
    return {"year": year, "as_of": as_of.isoformat(), "subject": subject_for(person, records)}


def _evaluate(case: dict[str, Any], ruleset: Ruleset) -> dict[str, Any]:
    """The engine's output for one case under the organisation's ruleset (settings applied)."""
    try:
        return evaluate(case, ruleset=ruleset, with_forecast=False).model_dump(mode="json")
    except CaseError as exc:
        raise DomainError(f"Dữ liệu của {case['subject']['name']} không hợp lệ: {exc.lines()[0]}") from exc


@dataclass(frozen=True)
class ProposeSummary:
    proposed: int
    deferred: int
    kept: int
    ruleset_id: str
    problems: tuple[str, ...] = ()


class _Batch:
    """Engine results of one run: existing candidates are refreshed (officer decisions kept), new
    ones created in one bulk insert."""

    def __init__(self, unit: Unit, year: int) -> None:
        self.unit, self.year = unit, year
        self.existing = {
            (c.award_id, c.person_id, c.collective_id): c
            for c in Candidate.objects.filter(unit=unit, year=year)
        }
        self.new: list[Candidate] = []

    def add(self, subject: dict[str, Any], result: dict[str, Any], ruleset: str) -> str:
        status = Candidate.Status.DEFERRED if result["verdict"] == "deferred" else Candidate.Status.PROPOSED
        person, collective = subject.get("person"), subject.get("collective")
        key = (result["id"], person.pk if person else None, collective.pk if collective else None)
        found = self.existing.get(key)
        if found is not None:
            found.verdict, found.engine_result, found.ruleset_id = result["verdict"], result, ruleset
            if found.status in (Candidate.Status.PROPOSED, Candidate.Status.DEFERRED):
                found.status = status
            found.save(update_fields=["verdict", "engine_result", "ruleset_id", "status", "updated_at"])
            return "kept"
        self.new.append(
            Candidate(
                unit=self.unit,
                year=self.year,
                award_id=result["id"],
                kind=_kind(result["id"], ruleset),
                status=status,
                verdict=result["verdict"],
                engine_result=result,
                ruleset_id=ruleset,
                **subject,
            )
        )
        return str(status)

    def save(self) -> None:
        Candidate.objects.bulk_create(self.new, batch_size=500)


def _kind(award_id: str, ruleset_id: str) -> str:
    from thidua.rules import load_ruleset

    return load_ruleset(ruleset_id).items[award_id].kind


@transaction.atomic
def propose_candidates(
    *,
    actor: Any,
    unit: Unit,
    year: int,
    as_of: date | None = None,
    progress: Callable[[int, str], None] | None = None,
) -> ProposeSummary:
    """Run the engine on the people of `unit`'s subtree and on the unit itself and its direct sub-units.

    Eligible results become `proposed` candidates, deferred ones (proceedings pending) `deferred`
    candidates listed apart; the engine's output (reasons, ruleset id) is stored with each. Running
    again refreshes the engine's output and keeps what officers decided. A subject whose data the
    engine rejects is skipped and listed in `problems` (and the audit entry), not silently dropped."""
    if actor is not None and not can_change_unit(actor, unit):
        raise PermissionDenied("Bạn không có quyền lập danh sách đề nghị của đơn vị này")
    report = progress or (lambda percent, message: None)
    as_of = as_of or date(year, 12, 31)
    report(2, "Đang đọc hồ sơ")
    people = people_in_subtree(unit, year)
    records = person_records(people, up_to_year=year)
    counts = {"proposed": 0, "deferred": 0, "kept": 0}
    ruleset_id = ""
    rs = ruleset_on(as_of, unit=unit)
    batch = _Batch(unit, year)
    problems: list[str] = []
    for index, person in enumerate(people, start=1):
        if index % 200 == 0:
            report(5 + 85 * index // len(people), f"Đã xét {index}/{len(people)} người")
        try:
            check_considered(person, as_of)
            out = _evaluate(_person_case(person, records.get(person.pk, []), year, as_of), rs)
        except DomainError as exc:  # one bad record must not stop the unit's run: listed instead
            problems.append(exc.message)
            continue
        ruleset_id = out["ruleset"]
        for r in out["results"]:
            if r["verdict"] in ("eligible", "deferred"):
                counts[batch.add({"person": person}, r, ruleset_id)] += 1
    collectives = [unit, *Unit.objects.filter(parent=unit, valid_to__isnull=True).order_by("path")]
    for collective in collectives:
        case = unit_case(collective, year=year, as_of=as_of)
        try:
            out = _evaluate(case, rs)
        except DomainError as exc:
            problems.append(exc.message)
            continue
        ruleset_id = out["ruleset"]
        for r in out["results"]:
            if r["verdict"] in ("eligible", "deferred"):
                counts[batch.add({"collective": collective}, r, ruleset_id)] += 1
    batch.save()
    summary = ProposeSummary(
        counts["proposed"], counts["deferred"], counts["kept"], ruleset_id, tuple(problems)
    )
    log(
        "candidate.proposed",
        actor=actor,
        obj=unit,
        unit_path=unit.path,
        detail={"year": year, "people": len(people), "ruleset": ruleset_id, **counts, "problems": problems},
    )
    return summary


@dataclass(frozen=True)
class QuotaRow:
    award_id: str
    confirmed: int
    cap: int | None
    pct: int | None

    @property
    def text(self) -> str:
        if self.cap is None:
            return f"{self.confirmed} — không giới hạn"
        state = "vượt giới hạn" if self.confirmed > self.cap else "trong giới hạn"
        return f"{self.confirmed}/{self.cap} — {state} {self.pct}%"


def quota_for(unit: Unit, year: int, award_id: str, *, extra: int = 0) -> QuotaRow:
    """The configured quota (max % of the people of the unit) against the confirmed count."""
    pct = settings_for(unit).quotas.get(award_id)
    confirmed = Candidate.objects.filter(
        unit=unit, year=year, award_id=award_id, status=Candidate.Status.CONFIRMED
    ).count()
    if pct is None:
        return QuotaRow(award_id, confirmed + extra, None, None)
    cap = len(people_in_subtree(unit, year)) * int(pct) // 100
    return QuotaRow(award_id, confirmed + extra, cap, int(pct))


def quotas(unit: Unit, year: int) -> list[QuotaRow]:
    ids = Candidate.objects.filter(unit=unit, year=year).values_list("award_id", flat=True).distinct()
    return [quota_for(unit, year, a) for a in sorted(set(ids))]


def _check_quota(candidate: Candidate) -> None:
    row = quota_for(candidate.unit, candidate.year, candidate.award_id, extra=1)
    if row.cap is not None and row.confirmed > row.cap:
        raise DomainError(f"Vượt chỉ tiêu của đơn vị cho danh hiệu này: {row.text}")


def _editable(candidate: Candidate) -> None:
    if candidate.dossier_id is not None:
        raise DomainError("Đề nghị đã đưa vào hồ sơ, không sửa được nữa")


@transaction.atomic
def confirm_candidate(*, actor: Any, candidate: Candidate) -> Candidate:
    """proposed | removed → confirmed, within the quota. Deferred candidates cannot be confirmed."""
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    _editable(candidate)
    if candidate.status == Candidate.Status.DEFERRED:
        raise DomainError("Đang có vụ việc chưa kết luận: chưa xét khen thưởng (NĐ 152/2025 Đ4 k4)")
    if candidate.status == Candidate.Status.CONFIRMED:
        return candidate
    if candidate.source == Candidate.Source.ENGINE and candidate.verdict != "eligible":
        raise DomainError("Chưa đủ điều kiện theo kết quả xét tự động")
    _check_quota(candidate)
    candidate.status = Candidate.Status.CONFIRMED
    candidate.save(update_fields=["status", "updated_at"])
    log(
        "candidate.confirmed",
        actor=actor,
        obj=candidate,
        unit_path=candidate.unit.path,
        detail={"award": candidate.award_id, "year": candidate.year},
    )
    return candidate


@transaction.atomic
def remove_candidate(*, actor: Any, candidate: Candidate, reason: str) -> Candidate:
    """proposed | confirmed → removed, with a reason (kept with the candidate and in the audit)."""
    reason = reason.strip()
    if not reason:
        raise DomainError("Cần ghi lý do loại khỏi danh sách", field="reason")
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    _editable(candidate)
    if candidate.status not in (Candidate.Status.PROPOSED, Candidate.Status.CONFIRMED):
        raise DomainError("Đề nghị này không loại được")
    candidate.status, candidate.note = Candidate.Status.REMOVED, reason
    candidate.save(update_fields=["status", "note", "updated_at"])
    log(
        "candidate.removed",
        actor=actor,
        obj=candidate,
        unit_path=candidate.unit.path,
        detail={"award": candidate.award_id, "reason": reason},
    )
    return candidate


@transaction.atomic
def add_candidate(
    *,
    actor: Any,
    unit: Unit,
    year: int,
    award_id: str,
    justification: str,
    person: Person | None = None,
    collective: Unit | None = None,
) -> Candidate:
    """Add a candidate the engine did not propose, with a justification; flagged `manual` and keeping
    the engine's verdict for the record. Within the quota."""
    justification = justification.strip()
    if not justification:
        raise DomainError("Cần giải trình lý do bổ sung ngoài kết quả xét tự động", field="justification")
    if (person is None) == (collective is None):
        raise DomainError("Chọn một cá nhân hoặc một tập thể")
    rs = ruleset_on(date(year, 12, 31), unit=unit)
    item = rs.items.get(award_id)
    if item is None:
        raise DomainError(f"Không có danh hiệu, hình thức “{award_id}”", field="award_id")
    subject: dict[str, Any] = {"person": person} if person else {"collective": collective}
    if Candidate.objects.filter(unit=unit, year=year, award_id=award_id, **subject).exists():
        raise DomainError("Đã có trong danh sách đề nghị")
    if person is not None:
        if person.pk not in {p.pk for p in people_in_subtree(unit, year)}:
            raise DomainError("Người này không thuộc đơn vị trong năm xét")
        records = person_records([person], up_to_year=year).get(person.pk, [])
        case = _person_case(person, records, year, date(year, 12, 31))
    else:
        assert collective is not None
        case = unit_case(collective, year=year)
    case["candidates"] = [award_id]
    out = _evaluate(case, rs)
    result = out["results"][0]
    candidate = Candidate(
        unit=unit,
        year=year,
        award_id=award_id,
        kind=item.kind,
        status=Candidate.Status.CONFIRMED,
        source=Candidate.Source.MANUAL,
        verdict=result["verdict"],
        engine_result=result,
        ruleset_id=out["ruleset"],
        note=justification,
        **subject,
    )
    _check_quota(candidate)
    candidate.save()
    log(
        "candidate.added",
        actor=actor,
        obj=candidate,
        unit_path=unit.path,
        detail={"award": award_id, "engine_verdict": result["verdict"], "justification": justification},
    )
    return candidate
