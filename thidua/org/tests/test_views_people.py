from __future__ import annotations

from thidua.org import views
from thidua.org.models import Person


def test_it_lists_people_in_scope_in_vietnamese_order_with_a_count(org, personas, client_for):
    response = client_for(personas.officer).get("/to-chuc/nhan-su/")
    assert response.status_code == 200
    html = response.content.decode()
    assert [p.full_name for p in response.context["page"]] == ["Nguyễn Văn An", "Trần Thị Bình"]
    assert "2 người" in html
    assert "Lê Văn Cường" not in html
    assert "<html" in html


def test_an_htmx_request_gets_the_rows_partial_only(org, personas, client_for):
    response = client_for(personas.officer).get("/to-chuc/nhan-su/", {"q": "binh"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert "<form" not in html
    assert "Trần Thị Bình" in html
    assert "Nguyễn Văn An" not in html
    assert "1 người" in html


def test_htmx_restoring_history_gets_the_whole_page(org, personas, client_for):
    response = client_for(personas.officer).get(
        "/to-chuc/nhan-su/", HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    assert "<html" in response.content.decode()
    assert "HX-Request" in response["Vary"]


def test_it_searches_ignoring_diacritics_and_by_citizen_id(org, personas, client_for):
    client = client_for(personas.officer)
    assert [p.full_name for p in client.get("/to-chuc/nhan-su/", {"q": "nguyen van an"}).context["page"]] == [
        "Nguyễn Văn An"
    ]
    assert [p.full_name for p in client.get("/to-chuc/nhan-su/", {"q": "001190"}).context["page"]] == [
        "Trần Thị Bình"
    ]


def test_it_matches_words_from_their_start(org, personas, client_for):
    Person.objects.create(citizen_id="001085099998", full_name="Đỗ Thanh Hà", gender="nu", current_unit=org.a)
    client = client_for(personas.officer)
    assert [p.full_name for p in client.get("/to-chuc/nhan-su/", {"q": "an"}).context["page"]] == [
        "Nguyễn Văn An"
    ]
    assert [p.full_name for p in client.get("/to-chuc/nhan-su/", {"q": "thanh h"}).context["page"]] == [
        "Đỗ Thanh Hà"
    ]
    assert [p.full_name for p in client.get("/to-chuc/nhan-su/", {"q": "do th"}).context["page"]] == [
        "Đỗ Thanh Hà"
    ]


def test_it_filters_by_unit_subtree_and_gender(org, personas, client_for):
    client = client_for(personas.admin)
    by_unit = client.get("/to-chuc/nhan-su/", {"unit": org.a.pk}).context["page"]
    assert {p.full_name for p in by_unit} == {
        "Nguyễn Văn An",
        "Trần Thị Bình",
    }  # the department is in A's subtree
    by_gender = client.get("/to-chuc/nhan-su/", {"unit": org.a.pk, "gender": "nu"}).context["page"]
    assert [p.full_name for p in by_gender] == ["Trần Thị Bình"]


def test_pagination_keeps_the_filters(org, personas, client_for, monkeypatch):
    monkeypatch.setattr(views, "PEOPLE_PER_PAGE", 1)
    Person.objects.create(
        citizen_id="001085099999", full_name="Phạm Văn Dũng", gender="nam", current_unit=org.a
    )
    client = client_for(personas.officer)
    response = client.get("/to-chuc/nhan-su/", {"gender": "nam", "q": "van"})
    html = response.content.decode()
    assert response.context["page"].total == 2
    assert "?gender=nam&amp;q=van&amp;page=2" in html
    second = client.get(
        "/to-chuc/nhan-su/", {"gender": "nam", "q": "van", "page": "2"}, HTTP_HX_REQUEST="true"
    )
    assert [p.full_name for p in second.context["page"]] == ["Phạm Văn Dũng"]
    assert "?gender=nam&amp;q=van&amp;page=1" in second.content.decode()


def test_it_lists_many_people_in_a_bounded_number_of_queries(
    org, personas, client_for, django_assert_max_num_queries
):
    Person.objects.bulk_create(
        [
            Person(
                citizen_id=f"0010850{i:05d}", full_name=f"Người Số {i}", gender="nam", current_unit=org.a_dept
            )
            for i in range(60)
        ]
    )
    client = client_for(personas.officer)
    # the unit filter's picker reads the chosen unit and its ancestors (its label): 2 queries, not a list;
    # the filter names the units under the chosen one by id: 1 query (`PersonQuerySet.in_subtree`)
    with django_assert_max_num_queries(10):
        response = client.get("/to-chuc/nhan-su/", {"unit": org.a.pk})
    assert len(response.context["page"]) == 50


def _names(response):
    return [p.full_name for p in response.context["page"]]


def test_a_search_puts_the_best_matches_first(org, personas, client_for):
    for i, name in enumerate(["Vân Nguyễn Ánh", "Lê Nguyễn Văn An", "Nguyễn Văn Anh", "Nguyễn Văn An Khang"]):
        Person.objects.create(citizen_id=f"00108509990{i}", full_name=name, gender="nam", current_unit=org.a)
    response = client_for(personas.officer).get("/to-chuc/nhan-su/", {"q": "nguyen van an"})
    # the name itself; names starting with the words typed (in Vietnamese order: given names Anh,
    # Khang); every word a whole word of the name; the rest
    assert _names(response) == [
        "Nguyễn Văn An",
        "Nguyễn Văn Anh",
        "Nguyễn Văn An Khang",
        "Lê Nguyễn Văn An",
        "Vân Nguyễn Ánh",
    ]
    assert "xếp theo mức khớp" in response.content.decode()


def test_a_name_with_an_apostrophe_is_found_as_people_type_it(org, personas, client_for):
    Person.objects.create(citizen_id="001185099990", full_name="H’Hen Niê", gender="nu", current_unit=org.a)
    client = client_for(personas.officer)
    for typed in ("hen", "h'hen", "H’hen", "hhen", "hhen nie", "Niê"):
        assert _names(client.get("/to-chuc/nhan-su/", {"q": typed})) == ["H’Hen Niê"], typed
    assert _names(client.get("/to-chuc/nhan-su/", {"q": "en"})) == []


def test_the_picker_finds_a_name_with_an_apostrophe(org, personas, client_for):
    Person.objects.create(citizen_id="001185099990", full_name="H'Hen Niê", gender="nu", current_unit=org.a)
    client = client_for(personas.officer)
    for typed in ("hen", "hhen", "h'hen n"):
        html = client.get("/to-chuc/chon/nhan-su/", {"q": typed}).content.decode()
        assert "H&#x27;Hen Niê" in html or "H'Hen Niê" in html, typed


def test_pages_are_read_without_counting_every_row(org, personas, client_for, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(views, "PEOPLE_PER_PAGE", 1)
    client = client_for(personas.officer)
    with CaptureQueriesContext(connection) as queries:
        first = client.get("/to-chuc/nhan-su/")
    counts = [
        q["sql"]
        for q in queries.captured_queries
        if "COUNT(" in q["sql"].upper() and "org_person" in q["sql"]
    ]
    # the one count is bounded: it reads at most COUNT_CAP + 1 rows
    assert len(counts) == 1 and "LIMIT" in counts[0].upper()
    page = first.context["page"]
    assert _names(first) == ["Nguyễn Văn An"] and page.has_next() and page.total == 2
    last = client.get("/to-chuc/nhan-su/", {"page": "2"})
    assert _names(last) == ["Trần Thị Bình"] and not last.context["page"].has_next()
    assert "Trang 2 / 2" in last.content.decode()
    past = client.get("/to-chuc/nhan-su/", {"page": "9"})
    assert past.status_code == 200 and _names(past) == [] and "Trang 9 không còn ai" in past.content.decode()
    assert client.get("/to-chuc/nhan-su/", {"page": "abc"}).context["page"].number == 1


def test_a_search_matching_too_many_to_rank_lists_them_by_name(org, personas, client_for, monkeypatch):
    monkeypatch.setattr(views, "RANKED_MATCHES", 1)
    Person.objects.create(
        citizen_id="001085099999", full_name="Văn Thị Dung", gender="nu", current_unit=org.a
    )
    response = client_for(personas.officer).get("/to-chuc/nhan-su/", {"q": "van"})
    assert not response.context["ranked"] and response.context["too_many_to_rank"]
    # ranked, "Văn Thị Dung" (the name starts with the text) would come first
    assert _names(response) == ["Nguyễn Văn An", "Văn Thị Dung"]
    assert "quá nhiều kết quả" in response.content.decode()
