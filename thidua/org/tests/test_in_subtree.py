"""`PersonQuerySet.in_subtree` finds the same people whether it names the subtree by its units' ids (a
few units) or by its path (many units)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from thidua.org import models
from thidua.org.models import Person

pytestmark = pytest.mark.django_db


def _people(unit: models.Unit) -> list[int]:
    return sorted(Person.objects.in_subtree(unit).values_list("pk", flat=True))


def test_ids_and_path_find_the_same_people(org: SimpleNamespace, monkeypatch: pytest.MonkeyPatch) -> None:
    units = [org.root, org.a, org.a_dept, org.b]
    expected = {
        u.pk: sorted(
            Person.objects.filter(current_unit__path__startswith=u.path).values_list("pk", flat=True)
        )
        for u in units
    }
    assert expected[org.root.pk]  # the fixture has people, under more than one unit
    assert expected[org.a.pk] != expected[org.root.pk]
    by_ids = {u.pk: _people(u) for u in units}
    monkeypatch.setattr(models, "SUBTREE_IDS", 0)  # every subtree by its path
    by_path = {u.pk: _people(u) for u in units}
    assert by_ids == by_path == expected


def test_a_few_units_are_named_by_id_many_by_path(
    org: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert "current_unit_id" in str(Person.objects.in_subtree(org.a).query).replace('"', "")
    monkeypatch.setattr(models, "SUBTREE_IDS", 1)  # the root has more units than that
    assert "path" in str(Person.objects.in_subtree(org.root).query)
