"""The unit tree as nested nodes, built in memory from one ordered list of units (no queries here)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from thidua.lib.text import matches_name, name_words
from thidua.org.kinds import kind_rank
from thidua.org.models import Unit


def sibling_key(unit: Unit) -> tuple[bool, int, str]:
    """Active before ended, by kind (the sector's order: central bodies before provincial ones, as
    the organisation's own charts do), then by name with numbers in natural order ("số 2" before
    "số 10")."""
    name = re.sub(r"\d+", lambda m: m.group().zfill(6), unit.name_folded)
    return (unit.valid_to is not None, kind_rank(unit), name)


@dataclass
class UnitNode:
    unit: Unit
    children: list[UnitNode] = field(default_factory=list)
    people: int = 0  # people whose current unit is this one
    total_people: int = 0  # people in the whole subtree
    successors: list[tuple[Unit, bool]] = field(default_factory=list)  # (successor, may the user open it)
    match: bool = False
    open: bool = False
    lazy: bool = False  # children left out of the page, fetched by htmx when the node is opened


def build_tree(
    units: Iterable[Unit],
    *,
    people_counts: Mapping[int, int],
    successors: Mapping[int, list[tuple[Unit, bool]]],
    needle: str = "",
    open_depth: int = 1,
    lazy: bool = False,
) -> tuple[list[UnitNode], int]:
    """Nest `units` (any order) under their parents; returns (roots, number of matches).

    With a folded `needle`, only matching units and their ancestors are kept, all opened; otherwise
    nodes less than `open_depth` levels below a root start open, and with `lazy` the closed ones
    leave their children to be fetched on demand. A unit whose parent is not in the list (outside
    the user's scope) becomes a root.
    """
    ordered = sorted(units, key=lambda u: u.path)
    nodes = {
        u.pk: UnitNode(unit=u, people=people_counts.get(u.pk, 0), successors=successors.get(u.pk, []))
        for u in ordered
    }
    for node in nodes.values():
        parent = nodes.get(node.unit.parent_id) if node.unit.parent_id else None
        if parent is not None:
            parent.children.append(node)
    # Subtree totals bottom-up (before any search filter, so a found unit shows its real count).
    for node in sorted(nodes.values(), key=lambda n: -n.unit.depth):
        node.total_people = node.people + sum(c.total_people for c in node.children)
        node.children.sort(key=lambda n: sibling_key(n.unit))
    matches = 0
    words = name_words(needle)
    if needle:
        keep: set[int] = set()
        for u in ordered:
            if matches_name(u.name_folded, words):
                nodes[u.pk].match = True
                matches += 1
                keep.add(u.pk)
                keep.update(pk for pk in u.ancestor_ids() if pk in nodes)
        nodes = {pk: node for pk, node in nodes.items() if pk in keep}
        for node in nodes.values():
            node.children = [c for c in node.children if c.unit.pk in keep]
    roots = [n for n in nodes.values() if not n.unit.parent_id or n.unit.parent_id not in nodes]

    def mark_open(node: UnitNode, level: int) -> None:
        node.open = bool(node.children) and (bool(needle) or level < open_depth)
        node.lazy = lazy and bool(node.children) and not node.open
        for child in node.children:
            mark_open(child, level + 1)

    for root in roots:
        mark_open(root, 0)
    roots.sort(key=lambda n: n.unit.path)
    return roots, matches
