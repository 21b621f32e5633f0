from __future__ import annotations

from datetime import date

from thidua.org import services


def test_it_shows_facts_children_and_the_people_of_the_subtree(org, personas, client_for):
    response = client_for(personas.officer).get(f"/to-chuc/don-vi/{org.a.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "BHXH-01" in html
    assert "BHXH tỉnh, thành phố — có tư cách pháp nhân" in html
    assert f'href="/to-chuc/don-vi/{org.a_dept.pk}/"' in html
    assert response.context["people_count"] == 2
    assert [p.full_name for p in response.context["people"]] == ["Nguyễn Văn An", "Trần Thị Bình"]


def test_it_shows_clusters_with_a_link_to_their_rankings(org, personas, client_for):
    cluster = services.create_cluster(
        actor=None,
        name="Cụm thi đua số 1",
        year=2025,
        organiser_unit=org.root,
        members=[org.a, org.b],
        head_unit=org.b,
    )
    html = client_for(personas.officer).get(f"/to-chuc/don-vi/{org.a.pk}/").content.decode()
    assert "Cụm thi đua số 1" in html
    assert f'href="/phong-trao/cum/{cluster.pk}/xep-hang/"' in html
    assert "Bảo hiểm xã hội Thành phố Hồ Chí Minh" in html  # the head unit of the cluster


def test_it_makes_the_lineage_visible_and_navigable_from_the_successor(org, personas, client_for):
    merged = services.create_unit(actor=None, code="BHXH-01-TV", name="Phòng Thu – Văn phòng", parent=org.a)
    services.merge_units(
        actor=None, units=[org.a_dept], into=merged, effective_on=date(2025, 7, 1), decision="12/QĐ-BHXH"
    )
    services.rename_unit(
        actor=None,
        unit=merged,
        new_name="Phòng Quản lý thu và Văn phòng",
        effective_on=date(2025, 8, 1),
        decision="15/QĐ-BHXH",
    )
    client = client_for(personas.officer)

    html = client.get(f"/to-chuc/don-vi/{merged.pk}/").content.decode()
    assert "Lịch sử tổ chức lại" in html
    assert f'<a href="/to-chuc/don-vi/{org.a_dept.pk}/">Phòng Quản lý thu</a>' in html
    assert "12/QĐ-BHXH" in html and "15/QĐ-BHXH" in html
    assert "01/07/2025" in html
    assert "Từ “Phòng Thu – Văn phòng” thành “Phòng Quản lý thu và Văn phòng”" in html
    # The people followed the merger.
    assert "Nguyễn Văn An" in html

    html = client.get(f"/to-chuc/don-vi/{org.a_dept.pk}/").content.decode()
    assert "Đơn vị đã ngừng hoạt động từ 30/06/2025" in html
    assert "Đơn vị kế thừa" in html
    assert f'<a href="/to-chuc/don-vi/{merged.pk}/">Phòng Quản lý thu và Văn phòng</a>' in html


def test_it_returns_404_for_a_unit_outside_the_scope(org, personas, client_for):
    assert client_for(personas.officer).get(f"/to-chuc/don-vi/{org.b.pk}/").status_code == 404
    assert client_for(personas.outsider_officer).get(f"/to-chuc/don-vi/{org.a.pk}/").status_code == 404


def test_it_shows_a_unit_page_in_a_bounded_number_of_queries(
    org, personas, client_for, django_assert_max_num_queries
):
    # Many children, clusters and reorganisations: the count must not grow with them.
    for i in range(8):
        services.create_unit(actor=None, code=f"BHXH-01-P{i}", name=f"Phòng số {i}", parent=org.a)
        services.create_cluster(
            actor=None,
            name=f"Cụm {i}",
            year=2020 + i,
            organiser_unit=org.root,
            members=[org.a, org.b],
            head_unit=org.b,
        )
    for i in range(3):
        services.rename_unit(actor=None, unit=org.a, new_name=f"Tên {i}", effective_on=date(2020 + i, 1, 1))
    client = client_for(personas.officer)
    # +1: unread notices in the navigation; +1 on PostgreSQL: the head count reads the tables' write
    # counters (thidua/core/db.py)
    with django_assert_max_num_queries(16):
        response = client.get(f"/to-chuc/don-vi/{org.a.pk}/")
    assert len(response.context["children"]) == 9
    assert len(response.context["clusters"]) == 8
    assert len(response.context["events"]) == 3


def test_an_officer_reaches_the_past_award_form_of_a_unit(org, personas, client_for):
    link = f'href="/lich-su/khen-thuong-da-co/tap-the/{org.a.pk}/"'
    assert link in client_for(personas.officer).get(f"/to-chuc/don-vi/{org.a.pk}/").content.decode()
    assert (
        client_for(personas.officer).get(f"/lich-su/khen-thuong-da-co/tap-the/{org.a.pk}/").status_code == 200
    )
    assert link not in client_for(personas.head).get(f"/to-chuc/don-vi/{org.a.pk}/").content.decode()
