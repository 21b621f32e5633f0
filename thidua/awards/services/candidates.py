"""Candidates: the rules engine proposes, an officer confirms, removes or adds; quotas are enforced."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q

from thidua.accounts.models import User
from thidua.audit.services import log
from thidua.awards.models import Candidate
from thidua.awards.services.common import settings_for
from thidua.awards.services.ratings import people_in_subtree
from thidua.core.errors import DomainError
from thidua.eligibility.adapters import person_records, subject_for, unit_case
from thidua.eligibility.services import check_considered, ruleset_on
from thidua.lib.numbers import format_number, parse_number
from thidua.org.models import Person, Position, Unit
from thidua.org.permissions import can_change_unit, require_unit_write
from thidua.rules import CaseError, Ruleset, evaluate
from thidua.rules.criteria import SAME_MEETING
from thidua.rules.names import award_name


def _person_case(person: Person, records: list[dict[str, Any]], year: int, as_of: date) -> dict[str, Any]:
    return {"year": year, "as_of": as_of.isoformat(), "subject": subject_for(person, records)}


def _evaluate(case: dict[str, Any], ruleset: Ruleset) -> dict[str, Any]:
    """The engine's output for one case under the organisation's ruleset (settings applied), each
    result that waits for a lower title of the same year marked `waiting` (see `_mark_waiting`)."""
    try:
        out = evaluate(case, ruleset=ruleset, with_forecast=False).model_dump(mode="json")
        _mark_waiting(case, ruleset, out)
    except CaseError as exc:
        raise DomainError(f"Dữ liệu của {case['subject']['name']} không hợp lệ: {exc.lines()[0]}") from exc
    return out


def _lower_titles(ruleset: Ruleset, item_id: str, kind: str) -> list[str]:
    """The titles an item's criteria count as held (chains, counts, members' titles), from the data."""
    node = ruleset.items[item_id].prerequisites.get(kind)
    found: list[str] = []
    stack = [node] if node is not None else []
    while stack:
        n = stack.pop()
        title = n.params.get("title") if n.op in LADDER_OPS else None
        if isinstance(title, str) and title not in found:
            found.append(title)
        stack.extend([*n.children, *n.within])
    order = list(ruleset.items)  # the rulesets list titles lower first
    return sorted(found, key=order.index)


def _mark_waiting(case: dict[str, Any], ruleset: Ruleset, out: dict[str, Any]) -> None:
    """Titles are decided lower first. "Consecutive" and "holds" count a lower title AWARDED each year
    (law.md §2; Luật 06/2022 Đ21, Đ22; a collective's shares count its members' titles, Đ27 k1 c-d,
    Đ28), so a higher title that the subject reaches only once this year's lower title is decided
    waits for that decision instead of being refused. Found by the engine itself: a result that is
    not eligible now but is under the same-meeting reading (`count_current_year_if_meets`, kept off
    for the verdicts) gets `waiting`: a Vietnamese sentence naming the lower titles. Nothing waits
    when the organisation has turned that reading on (its verdicts already count them)."""
    if ruleset.settings.get(SAME_MEETING):
        return
    year = out["year"]
    near = [r for r in out["results"] if r["verdict"] == "not_eligible" and r.get("earliest_year") == year]
    if not near:
        return
    probe_case = {**case, "candidates": [r["id"] for r in near]}
    probe = evaluate(probe_case, ruleset=ruleset.with_settings({SAME_MEETING: True}), with_forecast=False)
    reachable = {r.id for r in probe.results if r.verdict == "eligible"}
    kind = case["subject"]["kind"]
    for r in near:
        if r["id"] not in reachable:
            continue
        lower = ", ".join(
            award_name(t, on=ruleset.effective_from) for t in _lower_titles(ruleset, r["id"], kind)
        )
        whose = " của các thành viên" if kind == "collective" else ""
        cited = "; ".join(dict.fromkeys(x["citation"] for x in r["reasons"] if not x["ok"] and x["citation"]))
        r["waiting"] = (
            f"Chờ quyết định công nhận {lower} năm {year}{whose} (đã đạt tiêu chuẩn): {r['name']} chỉ tính "
            f"danh hiệu thấp hơn đã được công nhận, nên xét từ thấp đến cao và đề xuất sau khi có quyết định đó"
            + (f" ({cited})" if cited else "")
        )


LADDER_OPS = ("consecutive", "holds", "member_share", "has_member_with_title")


@dataclass(frozen=True)
class ProposeSummary:
    proposed: int
    deferred: int
    kept: int
    ruleset_id: str
    problems: tuple[str, ...] = ()
    waiting: int = 0


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
        self.touched: set[tuple[str, int | None, int | None]] = set()
        self.evaluated: set[tuple[int | None, int | None]] = set()

    def seen(self, subject: dict[str, Any]) -> None:
        """The engine evaluated this subject in this run (its untouched waiting titles are stale)."""
        person, collective = subject.get("person"), subject.get("collective")
        self.evaluated.add((person.pk if person else None, collective.pk if collective else None))

    def add(self, subject: dict[str, Any], result: dict[str, Any], ruleset: str) -> str:
        status = _status_of(result)
        person, collective = subject.get("person"), subject.get("collective")
        key = (result["id"], person.pk if person else None, collective.pk if collective else None)
        self.touched.add(key)
        found = self.existing.get(key)
        if found is not None:
            found.verdict, found.engine_result, found.ruleset_id = result["verdict"], result, ruleset
            if found.status in ENGINE_STATUSES:
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
        for key, c in self.existing.items():
            # A title that waited for a lower one but no longer reaches it (a rating changed) leaves
            # the list with the reason, instead of waiting for ever.
            if c.status == Candidate.Status.WAITING and key not in self.touched and key[1:] in self.evaluated:
                c.status = Candidate.Status.REMOVED
                c.note = "Xét lại: không còn đủ điều kiện khi có quyết định danh hiệu thấp hơn"
                c.save(update_fields=["status", "note", "updated_at"])


ENGINE_STATUSES = (Candidate.Status.PROPOSED, Candidate.Status.DEFERRED, Candidate.Status.WAITING)


def _status_of(result: dict[str, Any]) -> str:
    if result["verdict"] == "deferred":
        return Candidate.Status.DEFERRED
    return Candidate.Status.WAITING if result.get("waiting") else Candidate.Status.PROPOSED


def _listed(result: dict[str, Any]) -> bool:
    """Results that become candidates: eligible, deferred, or waiting for a lower title."""
    return result["verdict"] in ("eligible", "deferred") or bool(result.get("waiting"))


def _kind(award_id: str, ruleset_id: str) -> str:
    from thidua.rules import load_ruleset

    return load_ruleset(ruleset_id).items[award_id].kind


VERDICTS = ("eligible", "deferred")  # the engine's verdicts that make a candidate


def propose_candidates(
    *,
    actor: User | None,
    unit: Unit,
    year: int,
    as_of: date | None = None,
    progress: Callable[[int, str], None] | None = None,
) -> ProposeSummary:
    """Run the engine on the people of `unit`'s subtree and on the unit itself and its direct sub-units.

    Eligible results become `proposed` candidates, deferred ones (proceedings pending) `deferred`
    candidates listed apart; the engine's output (reasons, ruleset id) is stored with each. Running
    again refreshes the engine's output and keeps what officers decided. A subject whose data the
    engine rejects is skipped and listed in `problems` (and the audit entry), not silently dropped.

    The engine only reads, outside any transaction, and reports `progress` as it goes (a job's
    progress page sees it move; a whole organisation takes seconds); what it found is then written
    in one short transaction with the audit entry."""
    if actor is not None and not can_change_unit(actor, unit):
        raise PermissionDenied("Bạn không có quyền lập danh sách đề nghị của đơn vị này")
    report = progress or (lambda percent, message: None)
    as_of = as_of or date(year, 12, 31)
    report(2, "Đang đọc hồ sơ")
    people = people_in_subtree(unit, year)
    records = person_records(people, up_to_year=year)
    ruleset_id = ""
    rs = ruleset_on(as_of, unit=unit)
    found: list[tuple[dict[str, Any], dict[str, Any], str]] = []
    seen: list[dict[str, Any]] = []
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
        seen.append({"person": person})
        found += [({"person": person}, r, ruleset_id) for r in out["results"] if _listed(r)]
    report(90, "Đang xét các tập thể")
    collectives = [unit, *Unit.objects.filter(parent=unit, valid_to__isnull=True).order_by("path")]
    for collective in collectives:
        case = unit_case(collective, year=year, as_of=as_of)
        try:
            out = _evaluate(case, rs)
        except DomainError as exc:
            problems.append(exc.message)
            continue
        ruleset_id = out["ruleset"]
        seen.append({"collective": collective})
        found += [({"collective": collective}, r, ruleset_id) for r in out["results"] if _listed(r)]
    report(92, "Đang ghi danh sách đề nghị")
    counts = {"proposed": 0, "deferred": 0, "waiting": 0, "kept": 0}
    with transaction.atomic():
        # Two runs over one unit write one after the other (each reads what the other wrote).
        list(Unit.objects.select_for_update().filter(pk=unit.pk).values_list("pk", flat=True))
        batch = _Batch(unit, year)
        for subject in seen:
            batch.seen(subject)
        for subject, result, ruleset in found:
            counts[batch.add(subject, result, ruleset)] += 1
        batch.save()
        log(
            "candidate.proposed",
            actor=actor,
            obj=unit,
            unit_path=unit.path,
            detail={
                "year": year,
                "people": len(people),
                "ruleset": ruleset_id,
                **counts,
                "problems": problems,
            },
        )
    return ProposeSummary(
        counts["proposed"], counts["deferred"], counts["kept"], ruleset_id, tuple(problems), counts["waiting"]
    )


def release_waiting(*, year: int, people: list[int], units: list[int]) -> int:
    """After a decision for `year` (called inside `issue_decision`'s transaction): re-evaluate the
    year's `waiting` candidates it may unblock — the decided people's own higher titles, and the
    collectives they (or the decided units) belong to — so the higher title is proposed once the
    lower one is decided. Returns how many became `proposed`. A re-evaluation that no longer
    reaches the title removes the candidate with the reason."""
    waiting = Candidate.objects.filter(year=year, status=Candidate.Status.WAITING).select_related(
        "unit", "person", "collective"
    )
    end = date(year, 12, 31)
    paths = set(
        Position.objects.held_during(year).filter(person_id__in=people).values_list("unit__path", flat=True)
    ) | set(Unit.objects.filter(pk__in=units).values_list("path", flat=True))
    touched = [
        c
        for c in waiting.filter(Q(person_id__in=people) | Q(collective__isnull=False))
        if c.person_id in people or (c.collective and any(p.startswith(c.collective.path) for p in paths))
    ]
    released = 0
    for c in touched:
        rs = ruleset_on(end, unit=c.unit)
        if c.person is not None:
            records = person_records([c.person], up_to_year=year).get(c.person.pk, [])
            case = {**_person_case(c.person, records, year, end), "candidates": [c.award_id]}
        else:
            assert c.collective is not None
            case = unit_case(c.collective, year=year, as_of=end, candidates=[c.award_id])
        try:
            out = _evaluate(case, rs)
        except DomainError:
            continue
        result = out["results"][0]
        c.verdict, c.engine_result, c.ruleset_id = result["verdict"], result, out["ruleset"]
        if _listed(result):
            c.status = _status_of(result)
            released += c.status == Candidate.Status.PROPOSED
        else:
            c.status = Candidate.Status.REMOVED
            c.note = "Xét lại sau quyết định công nhận danh hiệu thấp hơn: chưa đủ điều kiện"
        c.save(update_fields=["verdict", "engine_result", "ruleset_id", "status", "note", "updated_at"])
    return released


@dataclass(frozen=True)
class QuotaRow:
    award_id: str
    confirmed: int
    cap: int | None
    pct: Decimal | None

    @property
    def text(self) -> str:
        if self.cap is None:
            return f"{self.confirmed} — không giới hạn"
        state = "vượt giới hạn" if self.confirmed > self.cap else "trong giới hạn"
        return f"{self.confirmed}/{self.cap} — {state} {format_number(self.pct, None)}%"


def quota_for(unit: Unit, year: int, award_id: str, *, extra: int = 0) -> QuotaRow:
    """The configured quota (max % of the people of the unit, "15,5" allowed) against the confirmed
    count; the cap is the whole number of people within it (rounded down)."""
    pct = parse_number(settings_for(unit).quotas.get(award_id))
    confirmed = Candidate.objects.filter(
        unit=unit, year=year, award_id=award_id, status=Candidate.Status.CONFIRMED
    ).count()
    if pct is None:
        return QuotaRow(award_id, confirmed + extra, None, None)
    cap = int(len(people_in_subtree(unit, year)) * pct // 100)
    return QuotaRow(award_id, confirmed + extra, cap, pct)


def quotas(unit: Unit, year: int) -> list[QuotaRow]:
    ids = Candidate.objects.filter(unit=unit, year=year).values_list("award_id", flat=True).distinct()
    return [quota_for(unit, year, a) for a in sorted(set(ids))]


def _check_quota(candidate: Candidate) -> None:
    row = quota_for(candidate.unit, candidate.year, candidate.award_id, extra=1)
    if row.cap is not None and row.confirmed > row.cap:
        raise DomainError(f"Vượt chỉ tiêu của đơn vị cho danh hiệu này: {row.text}")


CANDIDATES_REFUSED = "Bạn không có quyền sửa danh sách đề nghị của đơn vị này"


def _editable(candidate: Candidate) -> None:
    if candidate.dossier_id is not None:
        raise DomainError("Đề nghị đã đưa vào hồ sơ, không sửa được nữa")


@transaction.atomic
def confirm_candidate(*, actor: User | None, candidate: Candidate) -> Candidate:
    """proposed | removed → confirmed, within the quota. Deferred candidates cannot be confirmed."""
    require_unit_write(actor, candidate.unit, CANDIDATES_REFUSED)
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    _editable(candidate)
    if candidate.status == Candidate.Status.DEFERRED:
        raise DomainError("Đang có vụ việc chưa kết luận: chưa xét khen thưởng (NĐ 152/2025 Đ4 k4)")
    if candidate.status == Candidate.Status.WAITING:
        raise DomainError(str(candidate.engine_result.get("waiting") or "Chờ quyết định danh hiệu thấp hơn"))
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
def remove_candidate(*, actor: User | None, candidate: Candidate, reason: str) -> Candidate:
    """proposed | confirmed → removed, with a reason (kept with the candidate and in the audit)."""
    require_unit_write(actor, candidate.unit, CANDIDATES_REFUSED)
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
    actor: User | None,
    unit: Unit,
    year: int,
    award_id: str,
    justification: str,
    person: Person | None = None,
    collective: Unit | None = None,
) -> Candidate:
    """Add a candidate the engine did not propose, with a justification; flagged `manual` and keeping
    the engine's verdict for the record. Within the quota."""
    require_unit_write(actor, unit, CANDIDATES_REFUSED)
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
