from __future__ import annotations

import pytest

from thidua.org import services


@pytest.fixture
def clusters(org):
    current = services.create_cluster(
        actor=None,
        name="Cụm thi đua số 1",
        year=2025,
        organiser_unit=org.root,
        members=[org.a, org.b],
        head_unit=org.b,
    )
    older = services.create_cluster(
        actor=None,
        name="Cụm thi đua số 1",
        year=2024,
        organiser_unit=org.root,
        members=[org.a],
        head_unit=org.a,
    )
    return current, older


def test_it_lists_the_clusters_of_the_latest_year_by_default(clusters, personas, client_for):
    current, older = clusters
    response = client_for(personas.officer).get("/to-chuc/cum-thi-dua/")
    assert response.status_code == 200
    assert response.context["year"] == 2025
    assert response.context["years"] == [2025, 2024]
    assert [c.pk for c in response.context["clusters"]] == [current.pk]
    assert response.context["clusters"][0].size == 2
    response = client_for(personas.officer).get("/to-chuc/cum-thi-dua/", {"year": "2024"})
    assert [c.pk for c in response.context["clusters"]] == [older.pk]


def test_it_shows_members_head_and_links_to_the_rankings(org, clusters, personas, client_for):
    current, _ = clusters
    response = client_for(personas.officer).get(f"/to-chuc/cum-thi-dua/{current.pk}/")
    assert response.status_code == 200
    # By name (Hà Nội before Hồ Chí Minh); the ranks are on the movements' page of the cluster.
    assert [m.unit for m in response.context["members"]] == [org.a, org.b]
    html = response.content.decode()
    assert "cụm trưởng" in html
    assert f'href="/phong-trao/cum/{current.pk}/xep-hang/"' in html
    # A member outside the officer's scope is named but not linked.
    assert "Bảo hiểm xã hội Thành phố Hồ Chí Minh" in html
    assert f'href="/to-chuc/don-vi/{org.b.pk}/"' not in html
    assert f'href="/to-chuc/don-vi/{org.a.pk}/"' in html


def test_a_cluster_without_a_unit_in_scope_is_not_found(org, personas, client_for):
    only_b = services.create_cluster(
        actor=None, name="Cụm phía Nam", year=2025, organiser_unit=org.b, members=[org.b]
    )
    assert client_for(personas.officer).get(f"/to-chuc/cum-thi-dua/{only_b.pk}/").status_code == 404
    assert client_for(personas.outsider_officer).get(f"/to-chuc/cum-thi-dua/{only_b.pk}/").status_code == 200


def test_it_lists_clusters_in_a_bounded_number_of_queries(
    org, clusters, personas, client_for, django_assert_max_num_queries
):
    for i in range(10):
        services.create_cluster(
            actor=None, name=f"Khối {i}", year=2025, organiser_unit=org.root, members=[org.a]
        )
    client = client_for(personas.officer)
    with django_assert_max_num_queries(6):
        response = client.get("/to-chuc/cum-thi-dua/")
    assert len(response.context["clusters"]) == 11
