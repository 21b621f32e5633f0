"""Names typed with a typographic apostrophe (H’Hen Niê, Ea H’leo) fold to the plain one, as new
names do (`thidua.lib.text.fold`): the few rows holding one are folded again."""

from django.db import migrations
from django.db.models import Q

from thidua.lib.text import fold

VARIANTS = "\u2019\u2018\u02bc\u0060\u00b4\u2032"


def forward(apps, schema_editor):  # type: ignore[no-untyped-def]
    Person = apps.get_model("org", "Person")
    Unit = apps.get_model("org", "Unit")
    people = Q()
    units = Q()
    for mark in VARIANTS:
        people |= Q(full_name__contains=mark)
        units |= Q(name__contains=mark) | Q(short_name__contains=mark)
    for person in Person.objects.filter(people).only("pk", "full_name"):
        Person.objects.filter(pk=person.pk).update(name_folded=fold(person.full_name))
    for unit in Unit.objects.filter(units).only("pk", "name", "code", "short_name"):
        Unit.objects.filter(pk=unit.pk).update(name_folded=fold(f"{unit.name} {unit.code} {unit.short_name}"))


class Migration(migrations.Migration):
    dependencies = [("org", "0007_organisation_version")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
