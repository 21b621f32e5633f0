"""Clusters per year: members that exist that year, and the copy of last year's that follows mergers."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from thidua.audit.models import AuditEntry
from thidua.core.errors import DomainError
from thidua.org import services
from thidua.org.models import Cluster, Unit


@pytest.fixture
def provinces(org):
    """Three provinces under the root; two of them merge into a new one on 01/07/2025."""
    make = lambda code, name: services.create_unit(  # noqa: E731
        actor=None, code=code, name=name, parent=org.root, kind=Unit.Kind.BHXH_TINH
    )
    tq, hg, yb = (
        make("BHXH-08", "BHXH tỉnh Tuyên Quang"),
        make("BHXH-02", "BHXH tỉnh Hà Giang"),
        make("BHXH-15", "BHXH tỉnh Yên Bái"),
    )
    merged = make("BHXH-08M", "BHXH tỉnh Tuyên Quang")
    services.merge_units(actor=None, units=[tq, hg], into=merged, effective_on=date(2025, 7, 1))
    for u in (tq, hg):
        u.refresh_from_db()
    return tq, hg, yb, merged


def test_a_member_that_no_longer_exists_that_year_is_refused(org, personas, provinces):
    tq, hg, yb, merged = provinces
    with pytest.raises(DomainError) as caught:
        services.create_cluster(
            actor=personas.admin, name="Cụm 1", year=2026, organiser_unit=org.root, members=[tq, yb]
        )
    assert caught.value.field == "members" and "không còn tồn tại trong năm 2026" in caught.value.message
    assert not Cluster.objects.filter(year=2026).exists()
    cluster = services.create_cluster(
        actor=personas.admin, name="Cụm 1", year=2026, organiser_unit=org.root, members=[merged, yb]
    )
    with pytest.raises(DomainError):
        services.add_cluster_members(actor=personas.admin, cluster=cluster, units=[hg])


def test_a_province_officer_cannot_touch_the_head_offices_clusters(org, personas, provinces):
    *_, yb, merged = provinces
    cluster = services.create_cluster(
        actor=None, name="Cụm 1", year=2026, organiser_unit=org.root, members=[yb]
    )
    with pytest.raises(PermissionDenied):
        services.add_cluster_members(actor=personas.officer, cluster=cluster, units=[merged])
    with pytest.raises(PermissionDenied):
        services.create_cluster(actor=personas.officer, name="Cụm X", year=2026, organiser_unit=org.root)


def test_copy_follows_the_lineage_and_lists_every_change(org, personas, provinces):
    tq, hg, yb, merged = provinces
    services.create_cluster(
        actor=None,
        name="Cụm thi đua số 1",
        year=2025,
        organiser_unit=org.root,
        members=[tq, hg, yb],
        head_unit=hg,
    )
    plan = services.plan_cluster_copy(org.root, 2025, 2026)
    [copy] = plan.to_create
    assert {u.pk for u in copy.members} == {merged.pk, yb.pk}
    assert copy.head_unit == merged
    assert any("thay BHXH tỉnh Hà Giang" in c or "thay BHXH tỉnh Tuyên Quang" in c for c in copy.changes)
    assert any("đã có trong cụm" in c for c in copy.changes)  # the second merged province adds nobody

    with pytest.raises(DomainError) as caught:
        services.copy_clusters(
            actor=personas.admin, organiser_unit=org.root, from_year=2025, to_year=2026, fingerprint="cu"
        )
    assert caught.value.field == "fingerprint"
    [created] = services.copy_clusters(
        actor=personas.admin,
        organiser_unit=org.root,
        from_year=2025,
        to_year=2026,
        fingerprint=plan.fingerprint(),
    )
    assert set(created.members.all()) == {merged, yb} and created.year == 2026
    assert AuditEntry.objects.filter(action="cluster.copied").count() == 1
    # copied once: the plan now skips it
    assert services.plan_cluster_copy(org.root, 2025, 2026).to_create == []


def test_the_copy_page_previews_then_creates(org, personas, provinces, client_for):
    *_, yb, _merged = provinces
    services.create_cluster(
        actor=None, name="Cụm thi đua số 2", year=2025, organiser_unit=org.root, members=[yb]
    )
    client = client_for(personas.admin)
    data = {"organiser_unit": org.root.pk, "from_year": 2025, "to_year": 2026}
    preview = client.post("/to-chuc/cum-thi-dua/sao-chep/", data)
    html = preview.content.decode()
    assert preview.status_code == 200 and "Xem trước" in html and "Cụm thi đua số 2" in html
    assert not Cluster.objects.filter(year=2026).exists()
    fingerprint = services.plan_cluster_copy(org.root, 2025, 2026).fingerprint()
    response = client.post(
        "/to-chuc/cum-thi-dua/sao-chep/", data | {"confirm": "1", "fingerprint": fingerprint}
    )
    assert response.status_code == 302
    assert Cluster.objects.filter(year=2026, name="Cụm thi đua số 2").exists()


def test_members_are_added_and_removed_on_the_cluster_page(org, personas, client_for):
    cluster = services.create_cluster(
        actor=None, name="Khối phòng", year=2026, organiser_unit=org.a, members=[org.a_dept]
    )
    client = client_for(personas.officer)
    page = client.get(f"/to-chuc/cum-thi-dua/{cluster.pk}/").content.decode()
    assert "Thêm đơn vị thành viên" in page and 'name="units"' in page
    response = client.post(f"/to-chuc/cum-thi-dua/{cluster.pk}/thanh-vien/", {"units": [org.a.pk]})
    assert response.status_code == 302 and set(cluster.members.all()) == {org.a, org.a_dept}
    client.post(f"/to-chuc/cum-thi-dua/{cluster.pk}/thanh-vien/{org.a_dept.pk}/bo/")
    assert list(cluster.members.all()) == [org.a]
    assert (
        client_for(personas.head)
        .post(f"/to-chuc/cum-thi-dua/{cluster.pk}/thanh-vien/", {"units": [org.a_dept.pk]})
        .status_code
        == 403
    )
