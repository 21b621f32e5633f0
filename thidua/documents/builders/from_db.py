"""Read the database into the builders' plain data. Callers pass querysets already scoped by the
access helpers (`visible_people`, `issuable_awards`…); nothing here widens them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.utils import timezone

from thidua.audit.display import detail_lines
from thidua.audit.models import AuditEntry
from thidua.audit.services import action_label
from thidua.core.errors import DomainError
from thidua.documents.builders.lists import AuditRow, PersonRow, UnitRow
from thidua.documents.official import break_issuer
from thidua.org.kinds import describe, kinds_of, root_id_of
from thidua.org.models import Organisation, Unit
from thidua.org.organisation import letterhead
from thidua.org.privacy import mask_citizen_id
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
    """The place name printed before the date (`thidua.org.organisation.letterhead`): the unit's own,
    else read from its name, else its ancestors'; "" when the organisation's data give none."""
    return letterhead(unit).place


def header_name(name: str) -> str:
    """The issuer as printed in the header, broken where a clerk would break it
    ("BẢO HIỂM XÃ HỘI" / "THÀNH PHỐ HÀ NỘI"); the renderers apply the same rule to any issuer."""
    return break_issuer(name)


class UnitNames:
    """Units named as a paper names them: with the units above up to the province or the body they
    belong to ("Phòng Quản lý thu, Bảo hiểm xã hội thành phố Hà Nội"). Ancestors are read once."""

    def __init__(self) -> None:
        self._units: dict[int, Unit] = {}

    def _load(self, ids: list[int]) -> None:
        missing = [pk for pk in ids if pk not in self._units]
        if missing:
            self._units.update({u.pk: u for u in Unit.objects.filter(pk__in=missing)})

    def chain(self, unit: Unit) -> list[Unit]:
        """`unit` and the ancestors a name needs: up to the first legal entity at province level
        or above (depth ≤ 1), or the root."""
        ids = _ids(unit.path)
        self._load(ids)
        self._units.setdefault(unit.pk, unit)
        out: list[Unit] = []
        for pk in reversed(ids):
            current = self._units.get(pk)
            if current is None:
                break
            out.append(current)
            if current.depth <= 1 and (current.is_legal_entity or current.parent_id is None):
                break
        return out or [unit]

    def full(self, unit: Unit | None) -> str:
        if unit is None:
            return ""
        return ", ".join(u.name for u in self.chain(unit))


def parent_body(unit: Unit) -> str:
    """The body printed above the issuer: its parent unit, or for the root the organisation's own
    cơ quan chủ quản (`letterhead`)."""
    return letterhead(unit).parent_body


def person_rows(people: Any, *, full: Callable[[Any], bool] | None = None) -> Iterable[PersonRow]:
    """Rows of the people list. `full(person)` says whether the reader may see that person's full
    personal data (`thidua.org.privacy`); otherwise the citizen id is masked and the birth date left out."""
    for p in people.select_related("current_unit").iterator(chunk_size=2000):
        shown = full is None or full(p)
        yield PersonRow(
            full_name=p.full_name,
            citizen_id=p.citizen_id if shown else mask_citizen_id(p.citizen_id),
            gender=p.get_gender_display(),
            date_of_birth=p.date_of_birth if shown else None,
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
    # The kinds' labels of each tree's organisation: one query, however many rows.
    root_ids = {root_id_of(n.unit) for n in nodes}
    organisations = {o.root_id: o for o in Organisation.objects.filter(root_id__in=root_ids)}
    kinds = {root: kinds_of(organisations.get(root or 0)) for root in root_ids}
    return [
        UnitRow(
            depth=n.unit.depth,
            name=n.unit.name,
            code=n.unit.code,
            kind=describe(n.unit.kind, kinds[root_id_of(n.unit)]).label,
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
        detail = "; ".join(f"{label}: {text}" for label, text in detail_lines(e.detail, e.action))
        yield AuditRow(at, e.actor_name, action_label(e.action), e.object_repr, detail)
