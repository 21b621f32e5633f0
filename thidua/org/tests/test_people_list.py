"""Search without diacritics and the Vietnamese name order, through the people page and the API.

The suite runs on SQLite and on PostgreSQL (make test): the order must be the same on both, which
holds because the sort key is digits only (no collation involved).
"""

import re
from datetime import date

import pytest

from thidua.org import services
from thidua.org.citizen_id import make_citizen_id

PAGE = "/to-chuc/nhan-su/"
API = "/api/v1/people/"

# Given names covering the letters where Vietnamese order differs from code-point or ASCII order.
VIETNAMESE_ORDER = [
    "Lê Thị An",
    "Nguyễn Văn An",  # same given name: family name decides (L < N)
    "Hồ Văn Anh",  # An < Anh: a shorter word first
    "Phạm Thị Ánh",  # Anh = Ánh by letters: the family name decides (H < P); tones only break full ties
    "Vũ Thị Ăn",
    "Đỗ Văn Ân",
    "Trịnh Văn Bảo",
    "Trần Thị Bình",
    "Ngô Thị Chi",
    "Phan Văn Dũng",
    "Bùi Văn Đức",
    "Đặng Thị Em",
    "Lý Thị Ê",
    "Mai Văn Giang",
    "Tạ Thị Hằng",
    "Lưu Văn Ô",
    "Võ Thị Ơn",
    "Hà Văn Phúc",
    "Cao Thị Uyên",
    "Đinh Văn Ưng",
    "Kiều Thị Yến",
]


EXISTING = {"Nguyễn Văn An", "Trần Thị Bình"}  # from the `org` fixture; Bình is in A, not its department


def page_names(response) -> list[str]:
    return re.findall(r'<a href="/to-chuc/nhan-su/\d+/">([^<]+)</a>', response.content.decode())


def api_names(response) -> list[str]:
    return [row["full_name"] for row in response.json()["results"]]


@pytest.fixture
def many(org):
    """The names above, inserted in a scrambled order, in province A's department."""
    people = []
    for serial, name in enumerate(sorted(VIETNAMESE_ORDER, key=lambda n: n[::-1])):
        if name in EXISTING:
            continue
        gender = "nu" if " Thị " in name else "nam"
        people.append(
            services.create_person(
                actor=None,
                citizen_id=make_citizen_id("001", gender, 1980, 500 + serial),
                full_name=name,
                gender=gender,
                unit=org.a_dept,
                date_of_birth=date(1980, 5, 5),
            )
        )
    return people


@pytest.mark.parametrize(
    "q", ["nguyen van an", "NGUYỄN", "Nguyễn Văn An", "  nguyễn   VĂN an ", "nguyen an", "van an"]
)
def test_search_ignores_diacritics_case_spaces_and_word_order_on_the_page(org, personas, client_for, q):
    response = client_for(personas.officer).get(PAGE, {"q": q})
    assert "Nguyễn Văn An" in page_names(response)
    assert "Trần Thị Bình" not in page_names(response)


@pytest.mark.parametrize("q", ["nguyen van an", "NGUYỄN", "nguyen an"])
def test_search_ignores_diacritics_and_case_in_the_api(org, personas, client_for, q):
    assert api_names(client_for(personas.officer).get(API, {"q": q})) == ["Nguyễn Văn An"]


def test_search_by_citizen_id_prefix(org, personas, client_for):
    client = client_for(personas.admin)
    assert api_names(client.get(API, {"q": "001"})) == ["Nguyễn Văn An", "Trần Thị Bình"]
    assert api_names(client.get(API, {"q": "00108"})) == ["Nguyễn Văn An"]
    assert api_names(client.get(API, {"q": "079088000777"})) == ["Lê Văn Cường"]
    assert api_names(client.get(API, {"q": "0791"})) == []
    assert page_names(client.get(PAGE, {"q": "00119"})) == ["Trần Thị Bình"]


def test_search_never_leaves_the_scope(org, personas, client_for):
    assert api_names(client_for(personas.officer).get(API, {"q": "le van cuong"})) == []
    assert api_names(client_for(personas.officer).get(API, {"q": "079"})) == []


def test_the_page_lists_people_in_vietnamese_order(many, personas, client_for):
    assert page_names(client_for(personas.officer).get(PAGE)) == VIETNAMESE_ORDER


def test_the_api_lists_people_in_vietnamese_order(many, personas, client_for):
    assert api_names(client_for(personas.officer).get(API)) == VIETNAMESE_ORDER


def test_the_htmx_partial_has_the_same_rows_and_order(many, personas, client_for):
    response = client_for(personas.officer).get(PAGE, {"q": "van"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html
    assert page_names(response) == [n for n in VIETNAMESE_ORDER if " Văn " in n]


def test_the_unit_filter_includes_the_subtree(many, org, personas, client_for):
    client = client_for(personas.officer)
    assert page_names(client.get(PAGE, {"unit": org.a.pk})) == VIETNAMESE_ORDER
    assert api_names(client.get(API, {"unit": org.a_dept.pk})) == [
        n for n in VIETNAMESE_ORDER if n != "Trần Thị Bình"
    ]


def test_people_list_page_does_not_query_per_row(many, personas, client_for, django_assert_max_num_queries):
    client = client_for(personas.officer)
    # session, user, scope, units of the filter form, count, rows: 6 for 20 people (one spare).
    with django_assert_max_num_queries(7):
        response = client.get(PAGE)
    assert len(page_names(response)) == len(VIETNAMESE_ORDER)


def test_people_api_list_does_not_query_per_row(many, personas, client_for, django_assert_max_num_queries):
    client = client_for(personas.officer)
    # session, user, scope, count, rows: 5 for 20 people (one spare).
    with django_assert_max_num_queries(6):
        response = client.get(API)
    assert len(api_names(response)) == len(VIETNAMESE_ORDER)


def test_person_api_detail_does_not_query_per_position(
    org, personas, client_for, django_assert_max_num_queries
):
    for year in range(2016, 2026):
        services.transfer_person(
            actor=None, person=org.an, unit=org.a if year % 2 else org.a_dept, on=date(year, 1, 1)
        )
    client = client_for(personas.officer)
    with django_assert_max_num_queries(8):  # 7 + the audit entry of the full personal data shown
        response = client.get(f"{API}{org.an.pk}/")
    assert len(response.json()["positions"]) == 11


def test_units_api_list_does_not_query_per_row(org, personas, client_for, django_assert_max_num_queries):
    for i in range(20):
        services.create_unit(actor=None, code=f"BHXH-01-P{i}", name=f"Phòng {i}", parent=org.a)
    client = client_for(personas.officer)
    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/units/")
    assert response.json()["count"] == 22


def test_unit_tree_search_matches_every_word_without_diacritics(org, personas, client_for):
    services.create_unit(actor=None, code="BHXH-01-KHTC", name="Phòng Kế hoạch - Tài chính", parent=org.a)
    client = client_for(personas.officer)
    html = client.get("/to-chuc/don-vi/", {"q": "ke hoach tai chinh"}).content.decode()
    assert "Phòng Kế hoạch - Tài chính" in html
    assert "Phòng Quản lý thu" not in html
    api = client.get("/api/v1/units/", {"q": "HA NOI"}).json()
    assert [u["code"] for u in api["results"]] == ["BHXH-01"]
