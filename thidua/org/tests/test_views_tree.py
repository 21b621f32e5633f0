from __future__ import annotations

from datetime import date

from thidua.org import services, views


def test_it_shows_the_scope_as_a_nested_tree(org, personas, client_for):
    response = client_for(personas.officer).get("/to-chuc/don-vi/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<details open>" in html
    assert "Bảo hiểm xã hội thành phố Hà Nội" in html
    assert "Phòng Quản lý thu" in html
    assert "Bảo hiểm xã hội Thành phố Hồ Chí Minh" not in html  # outside the officer's scope
    [root] = response.context["roots"]
    assert root.unit == org.a
    assert [c.unit for c in root.children] == [org.a_dept]
    assert root.total_people == 2  # Bình directly, An in the department


def test_it_searches_ignoring_diacritics_and_keeps_the_ancestors(org, personas, client_for):
    response = client_for(personas.admin).get("/to-chuc/don-vi/", {"q": "quan ly THU"})
    assert response.context["matches"] == 1
    html = response.content.decode()
    assert "Phòng Quản lý thu" in html
    assert "Bảo hiểm xã hội thành phố Hà Nội" in html  # the path to the match
    assert "Bảo hiểm xã hội Thành phố Hồ Chí Minh" not in html
    assert 'class="node match"' in html


def test_it_shows_ended_units_with_their_successor_only_on_request(org, personas, client_for):
    merged = services.create_unit(actor=None, code="BHXH-01-TV", name="Phòng Thu – Văn phòng", parent=org.a)
    services.merge_units(
        actor=None, units=[org.a_dept], into=merged, effective_on=date(2025, 7, 1), decision="12/QĐ-BHXH"
    )
    client = client_for(personas.officer)

    html = client.get("/to-chuc/don-vi/").content.decode()
    assert "Phòng Quản lý thu" not in html
    assert "Phòng Thu – Văn phòng" in html

    html = client.get("/to-chuc/don-vi/", {"all": "1"}).content.decode()
    assert "Phòng Quản lý thu" in html
    assert "ngừng từ 30/06/2025" in html
    assert f'kế thừa: <a href="/to-chuc/don-vi/{merged.pk}/">Phòng Thu – Văn phòng</a>' in html


def test_it_builds_the_tree_in_a_few_queries(org, personas, client_for, django_assert_max_num_queries):
    for i in range(20):
        services.create_unit(actor=None, code=f"BHXH-01-P{i}", name=f"Phòng số {i}", parent=org.a)
    client = client_for(personas.officer)
    with django_assert_max_num_queries(8):
        response = client.get("/to-chuc/don-vi/", {"all": "1"})
    assert response.content.decode().count('<li class="node') == 22


def test_a_large_tree_loads_the_children_of_a_node_when_it_is_opened(org, personas, client_for, monkeypatch):
    monkeypatch.setattr(views, "TREE_LAZY_THRESHOLD", 2)
    client = client_for(personas.admin)

    html = client.get("/to-chuc/don-vi/").content.decode()
    assert "Bảo hiểm xã hội thành phố Hà Nội" in html  # the root's children are shown
    assert "Phòng Quản lý thu" not in html  # the grandchildren wait until their parent is opened
    assert f'hx-get="/to-chuc/don-vi/?parent={org.a.pk}"' in html
    assert 'hx-trigger="toggle once"' in html

    response = client.get("/to-chuc/don-vi/", {"parent": org.a.pk}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    assert html.strip().startswith('<li class="node')
    assert "Phòng Quản lý thu" in html
    assert "Bảo hiểm xã hội thành phố Hà Nội" not in html


def test_opening_a_node_outside_the_scope_is_not_found(org, personas, client_for):
    response = client_for(personas.officer).get(
        "/to-chuc/don-vi/", {"parent": org.b.pk}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 404


def test_searching_with_htmx_returns_the_tree_only(org, personas, client_for):
    response = client_for(personas.officer).get("/to-chuc/don-vi/", {"q": "phong"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html and "<form" not in html
    assert "1 đơn vị khớp với “phong”" in html
    assert "Phòng Quản lý thu" in html


def test_a_successor_outside_the_scope_is_named_but_not_linked(org, personas, client_for):
    services.merge_units(actor=None, units=[org.a_dept], into=org.b, effective_on=date(2025, 7, 1))
    html = client_for(personas.officer).get("/to-chuc/don-vi/", {"all": "1"}).content.decode()
    assert "kế thừa: Bảo hiểm xã hội Thành phố Hồ Chí Minh" in html
    assert f'href="/to-chuc/don-vi/{org.b.pk}/"' not in html
