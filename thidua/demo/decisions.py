"""The demo's decisions of the last year of its history: the awards of that year, recorded as issued
decisions of the year-end workflow (dossier, register number, decision), so that the honour board and
the decision pages show a past year as it would be after a real year-end.

Which unit issues follows the rulesets' authority (`thidua.awards.authority.route_for`): a provincial
BHXH decides the titles its director decides (Chiến sĩ thi đua cơ sở, Giấy khen…) for its own staff;
the others are decided above (recorded as decisions of BHXH Việt Nam, which proposes them to the
Minister or the Prime Minister in reality). The yearly titles most staff receive (Lao động tiên tiến,
Tập thể lao động tiên tiến) stay as imported history. Idempotent: awards already linked to a decision
are left alone.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db import transaction
from django.db.models import Max

from thidua.awards.authority import route_for
from thidua.awards.models import Decision, DecisionAward, DocumentRegister, Dossier, RegisterEntry
from thidua.awards.services.decisions import issuer_symbol
from thidua.documents.vnwords import format_number_symbol
from thidua.history.models import AwardRecord
from thidua.lib.numbers import format_number
from thidua.org.models import Person, Unit
from thidua.rules import load_ruleset
from thidua.rules.names import award_name

MASS_TITLES = ("lao_dong_tien_tien", "tap_the_lao_dong_tien_tien")
CHUNK = 5000


def _top(unit: Unit, units: dict[int, Unit], root: Unit) -> Unit:
    """The unit right below the root that `unit` belongs to (a province or a central unit)."""
    ids = [int(p) for p in unit.path.strip("/").split("/") if p]
    return units.get(ids[1], root) if len(ids) > 1 else root


def _signer(unit: Unit) -> str:
    head = (
        Person.objects.filter(current_unit=unit, current_title__startswith="Giám đốc")
        .values_list("full_name", flat=True)
        .first()
    )
    return head or "Nguyễn Văn Minh"


@transaction.atomic
def record_past_decisions(root: Unit) -> list[str]:
    """Wrap the last history year's awards (but the mass titles) into issued decisions."""
    year = AwardRecord.objects.aggregate(y=Max("year"))["y"]
    if year is None:
        return []
    awards = (
        AwardRecord.objects.filter(year=year, revoked_on__isnull=True, decision_link__isnull=True)
        .exclude(award_id__in=MASS_TITLES)
        .values_list("pk", "award_id", "unit_id", "person__current_unit_id", "decided_on")
    )
    units = {u.pk: u for u in Unit.objects.filter(path__startswith=root.path)}
    ruleset = load_ruleset(on=date(year, 12, 31))
    groups: dict[tuple[int, int, str], list[tuple[int, date]]] = defaultdict(list)
    for pk, award_id, unit_id, person_unit_id, decided_on in awards.iterator(chunk_size=CHUNK):
        subject_unit = units.get(unit_id or person_unit_id or 0)
        if subject_unit is None:
            continue
        proposer = _top(subject_unit, units, root)
        if proposer.pk == root.pk:
            continue  # the root's own staff: no level above it in the organisation
        item = ruleset.items.get(award_id)
        route = route_for(proposer, item.authority if item else ())
        issuer = proposer if route.own_unit else root
        groups[(issuer.pk, proposer.pk, award_id)].append((pk, decided_on))
    next_number: dict[int, int] = {}
    decisions = 0
    for (issuer_id, proposer_id, award_id), rows in sorted(groups.items()):
        issuer, proposer = units[issuer_id], units[proposer_id]
        signed_on = max(day for _, day in rows)
        if issuer_id not in next_number:
            register, _ = DocumentRegister.objects.get_or_create(
                unit=issuer, year=signed_on.year, doc_type="QĐ"
            )
            next_number[issuer_id] = register.last_number
        next_number[issuer_id] += 1
        number = next_number[issuer_id]
        symbol = format_number_symbol(number, "QĐ", issuer_symbol(issuer))
        name = award_name(award_id, on=signed_on)
        entry = RegisterEntry.objects.create(
            unit=issuer,
            year=signed_on.year,
            doc_type="QĐ",
            number=number,
            number_symbol=symbol,
            issued_on=signed_on,
            summary=f"Về việc công nhận, tặng {name} năm {year}"[:500],
        )
        dossier = Dossier.objects.create(
            unit=proposer,
            appraiser=root,
            year=year,
            award_id=award_id,
            status=Dossier.Status.DECIDED,
            submitted_on=signed_on,
        )
        decision = Decision.objects.create(
            unit=issuer,
            dossier=dossier,
            status=Decision.Status.ISSUED,
            entry=entry,
            number_symbol=symbol,
            signed_on=signed_on,
            signer_name=_signer(issuer),
            signer_title="Giám đốc",
        )
        ids = [pk for pk, _ in rows]
        DecisionAward.objects.bulk_create(
            [DecisionAward(decision=decision, award_id=pk) for pk in ids], batch_size=CHUNK
        )
        for start in range(0, len(ids), CHUNK):
            AwardRecord.objects.filter(pk__in=ids[start : start + CHUNK]).update(
                decision_number=symbol, decided_by=issuer.name, decided_on=signed_on
            )
        decisions += 1
    for issuer_id, last in next_number.items():
        DocumentRegister.objects.filter(unit_id=issuer_id, year__gte=year, doc_type="QĐ").update(
            last_number=last
        )
    count = sum(len(rows) for rows in groups.values())
    if not decisions:
        return []
    return [
        f"Quyết định khen thưởng năm {year} (đã ban hành): {format_number(decisions)} quyết định, "
        f"{format_number(count)} lượt khen"
    ]
