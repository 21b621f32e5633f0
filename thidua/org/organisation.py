"""The organisation's own data, for the pages and the documents: ONE place to read it.

Nothing in the code names an organisation: the issuing body, the body above it, the symbol in
document numbers and the place before dates come from the units and the `Organisation` row (set up by
`thidua setup`). `letterhead(unit)` is what a document issued by `unit` prints; `current_organisation()`
is the organisation the interface speaks for.
"""

from __future__ import annotations

from dataclasses import dataclass

from thidua.org.kinds import organisation_of_root, root_id_of
from thidua.org.models import Organisation, Unit


@dataclass(frozen=True)
class Letterhead:
    """What a document issued by a unit prints about its issuer (NĐ 30/2020 Phụ lục I).

    - `name`: the issuing body ("Sở Giáo dục và Đào tạo tỉnh Đắk Lắk");
    - `parent_body`: the body it answers to, printed above it ("UBND TỈNH ĐẮK LẮK"); its parent unit,
      or for the root the organisation's `parent_body` (empty when it answers to none);
    - `symbol`: its abbreviation in numbers ("07/QĐ-SGDĐT"): its own, else its short name, else the
      organisation's; empty when none is known (never another organisation's);
    - `place`: the place name before the date ("Đắk Lắk, ngày …"): its own, else read from its name
      ("… tỉnh Đắk Lắk"), else the same from the nearest ancestor up to the root; may be empty.
    """

    name: str
    parent_body: str
    symbol: str
    place: str


def organisation_of(unit: Unit) -> Organisation | None:
    """The organisation whose tree holds `unit` (None for a tree nobody set up)."""
    return organisation_of_root(root_id_of(unit))


def current_organisation() -> Organisation | None:
    """The organisation the installation serves: the first one set up (an installation usually
    serves one; a second is reached through its units)."""
    return Organisation.objects.select_related("root").order_by("pk").first()


def is_set_up() -> bool:
    """Whether the database holds an organisation (or units from before organisations existed)."""
    return Organisation.objects.exists() or Unit.objects.exists()


def _symbol_of(unit: Unit) -> str:
    short = unit.short_name.strip()
    return unit.symbol.strip() or (short if short and " " not in short else "")


_PLACE_MARKERS = ("thành phố ", "Thành phố ", "tỉnh ", "Tỉnh ")


def place_from_name(name: str) -> str:
    """ "Bảo hiểm xã hội tỉnh Đắk Lắk" → "Đắk Lắk"; "" when the name names no province or city."""
    for marker in _PLACE_MARKERS:
        if marker in name:
            return name.rsplit(marker, 1)[1].strip()
    return ""


def letterhead(unit: Unit) -> Letterhead:
    """What a document issued by `unit` prints about its issuer (see `Letterhead`). Two queries at
    most: the unit's ancestors and its organisation (cached)."""
    ids = [int(part) for part in unit.path.strip("/").split("/") if part]
    chain = {u.pk: u for u in Unit.objects.filter(pk__in=ids)} if ids else {}
    ancestors = [chain[pk] for pk in reversed(ids[:-1]) if pk in chain]  # nearest first
    organisation = organisation_of(unit)
    root = chain.get(ids[0]) if ids else unit
    if organisation is not None:
        parent_body = ancestors[0].name if ancestors else organisation.parent_body
    else:
        parent_body = ancestors[0].name if ancestors else ""
    symbol = _symbol_of(unit) or (_symbol_of(root) if root is not None else "")
    place = ""
    for candidate in (unit, *ancestors):
        place = candidate.place_name.strip() or place_from_name(candidate.name)
        if place:
            break
    return Letterhead(name=unit.name, parent_body=parent_body, symbol=symbol, place=place)


def interface_name() -> str:
    """The name the pages show for the organisation (the login page, the header); "" before setup."""
    organisation = current_organisation()
    return organisation.root.name if organisation is not None else ""
