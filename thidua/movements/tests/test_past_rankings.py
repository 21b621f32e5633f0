"""The page for the ranks of years scored outside the system: the organiser's clusters of a year, a rank
per member unit, validation next to the field, the audit with the ranks before and after, a stale form
refused, permission checks, and the ranks fed to the year-end like a published ranking."""

from datetime import date
from typing import Any

import pytest

from thidua.audit.models import AuditEntry
from thidua.movements.models import Movement, Ranking
from thidua.movements.records import engine_records
from thidua.movements.tests.samples import YEAR

pytestmark = pytest.mark.django_db
pytest_plugins = ["thidua.movements.tests.fixtures"]

LIST = "/phong-trao/xep-hang-cac-nam-truoc/"


def _form(cluster: Any) -> str:
    return f"{LIST}cum/{cluster.pk}/"


def _rank(unit: Any) -> int | None:
    fed = engine_records([unit.pk], up_to_year=YEAR)[unit.pk]
    ranks = [f.record["rank"] for f in fed if f.record["type"] == "cluster_rank"]
    return ranks[0] if ranks else None


def test_an_organiser_records_a_clusters_past_ranks_which_then_feed_the_year_end(
    client_for, root_officer, org, cluster
):
    client = client_for(root_officer)
    page = client.get(LIST, {"don_vi": org.root.pk, "nam": YEAR}).content.decode()
    assert "Cụm thi đua số 1" in page and "Chưa có" in page and _form(cluster) in page
    form = client.get(_form(cluster))
    assert [f.label for f in form.context["form"].rank_fields()] == [org.a.name, org.b.name]
    too_high = client.post(_form(cluster), {f"rank_{org.a.pk}": "3", f"rank_{org.b.pk}": "1"})
    assert too_high.status_code == 400
    assert too_high.context["form"].errors[f"rank_{org.a.pk}"] == ["Thứ hạng không quá 2 (số đơn vị của cụm)"]
    nothing = client.post(_form(cluster), {})
    assert nothing.status_code == 400 and "Chưa nhập thứ hạng của đơn vị nào" in nothing.content.decode()
    done = client.post(_form(cluster), {f"rank_{org.a.pk}": "2", f"rank_{org.b.pk}": "1"})
    assert done.status_code == 302 and done["Location"] == f"{LIST}?don_vi={org.root.pk}&nam={YEAR}"
    ranking = Ranking.objects.get(cluster=cluster, year=YEAR)
    assert ranking.status == Ranking.Status.PUBLISHED
    assert (ranking.movement.kind, ranking.movement.status) == (Movement.Kind.REGULAR, Movement.Status.CLOSED)
    assert "xếp hạng ghi nhận" in ranking.movement.title
    assert (_rank(org.a), _rank(org.b)) == (2, 1)
    entry = AuditEntry.objects.get(action="ranking.recorded")
    assert entry.actor == root_officer and entry.detail["movement_created"] is True
    assert entry.detail["ranks"] == [[org.a.code, 2], [org.b.code, 1]]
    listed = client.get(LIST, {"don_vi": org.root.pk, "nam": YEAR}).content.decode()
    assert "Đã ghi nhận" in listed and "Sửa thứ hạng" in listed


def test_correcting_recorded_ranks_keeps_the_old_ones_in_the_audit_and_refuses_a_stale_form(
    client_for, root_officer, org, cluster
):
    client = client_for(root_officer)
    client.post(_form(cluster), {f"rank_{org.a.pk}": "2", f"rank_{org.b.pk}": "1"})
    form = client.get(_form(cluster)).context["form"]
    assert form.initial[f"rank_{org.a.pk}"] == 2 and form.fields["movement"].disabled
    read = form.initial["replace"]
    fixed = client.post(_form(cluster), {f"rank_{org.a.pk}": "1", f"rank_{org.b.pk}": "2", "replace": read})
    assert fixed.status_code == 302
    assert (_rank(org.a), _rank(org.b)) == (1, 2)
    assert Ranking.objects.filter(cluster=cluster).count() == 1
    edit = AuditEntry.objects.filter(action="ranking.recorded").order_by("pk").last()
    assert edit is not None and edit.detail["before"] == [[org.b.code, 1], [org.a.code, 2]]
    stale = client.post(_form(cluster), {f"rank_{org.a.pk}": "2", f"rank_{org.b.pk}": "2", "replace": read})
    assert stale.status_code == 400 and "vừa được người khác sửa" in stale.content.decode()
    assert (_rank(org.a), _rank(org.b)) == (1, 2)


def test_ranks_go_to_a_regular_movement_of_the_year_when_one_is_chosen(
    client_for, root_officer, org, cluster, running
):
    client = client_for(root_officer)
    assert list(client.get(_form(cluster)).context["form"].fields["movement"].queryset) == [running]
    client.post(_form(cluster), {"movement": running.pk, f"rank_{org.a.pk}": "1", f"rank_{org.b.pk}": "1"})
    ranking = Ranking.objects.get(cluster=cluster)
    assert ranking.movement == running and [e.rank for e in ranking.entries.all()] == [1, 1]  # equal ranks
    assert not Movement.objects.filter(title__contains="xếp hạng ghi nhận").exists()


def test_only_the_organiser_or_the_cluster_head_records_and_a_computed_ranking_is_not_overwritten(
    client_for, personas, root_officer, org, cluster, running
):
    member = client_for(personas.officer)  # province A: a member, neither organiser nor head
    assert "Bạn không phụ trách cụm, khối thi đua nào" in member.get(LIST).content.decode()
    assert member.get(_form(cluster)).status_code == 403
    assert member.post(_form(cluster), {f"rank_{org.a.pk}": "1"}).status_code == 403
    assert not Ranking.objects.exists()
    computed = Ranking.objects.create(
        movement=running, cluster=cluster, year=YEAR, status=Ranking.Status.PUBLISHED
    )
    computed.entries.create(unit=org.a, rank=1, total=95)
    response = client_for(root_officer).get(_form(cluster))
    assert response.status_code == 302 and response["Location"] == f"/phong-trao/xep-hang/{computed.pk}/"


def test_a_future_year_is_refused(root_officer, org):
    from thidua.core.errors import DomainError
    from thidua.movements import services
    from thidua.org import services as org_services

    later = org_services.create_cluster(
        actor=None, name="Cụm năm sau", year=YEAR + 1, organiser_unit=org.root, members=[org.a]
    )
    with pytest.raises(DomainError, match="chưa đến"):
        services.record_ranking(
            actor=root_officer, cluster=later, year=YEAR + 1, ranks=[(org.a, 1)], today=date(YEAR, 6, 1)
        )


def _queries(client: Any, url: str, params: dict[str, Any]) -> tuple[int, str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as run:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(run.captured_queries), response.content.decode()


def test_the_list_runs_a_fixed_number_of_queries(client_for, root_officer, org, cluster):
    from thidua.org import services as org_services

    client = client_for(root_officer)
    client.post(_form(cluster), {f"rank_{org.a.pk}": "1", f"rank_{org.b.pk}": "2"})
    params = {"don_vi": org.root.pk, "nam": YEAR}
    one, _ = _queries(client, LIST, params)
    assert one <= 10
    for n in range(2, 6):
        extra = org_services.create_cluster(
            actor=None, name=f"Cụm thi đua số {n}", year=YEAR, organiser_unit=org.root, members=[org.a, org.b]
        )
        client.post(_form(extra), {f"rank_{org.a.pk}": "1"})
    five, page = _queries(client, LIST, params)
    assert five == one and page.count('badge-ok">Đã ghi nhận<') == 5
