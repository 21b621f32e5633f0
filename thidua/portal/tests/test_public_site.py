"""The public site as an anonymous visitor sees it, and that nothing private leaks: no citizen id,
birth date or contact; no draft or withdrawn article; no revoked award; no withheld person; no
movement or document not made public."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

import pytest
from django.test import Client

from thidua.awards import services as award_services
from thidua.portal import services
from thidua.portal.tests.conftest import PRIVATE

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def public_urls(site) -> list[str]:
    return [
        "/",
        "/bang-vang/",
        "/bang-vang/?nam=2025&cap=co_so",
        "/bang-vang/?q=nguyen+van+an",
        "/bang-vang/?doi_tuong=tap-the",
        "/tin-tuc/",
        "/guong-dien-hinh/",
        f"/bai-viet/{site.news.pk}/{site.news.slug}/",
        f"/bai-viet/{site.story.pk}/{site.story.slug}/",
        "/thong-tin-phong-trao/",
        f"/thong-tin-phong-trao/{site.movement.pk}/",
        "/tim-kiem/?q=an",
        "/tim-kiem/?q=cuong",
        "/nguon-tin.xml",
        "/sitemap.xml",
        "/robots.txt",
    ]


def test_every_public_page_answers_and_shows_nothing_private(site):
    client = Client()
    for url in public_urls(site):
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        for kind, values in PRIVATE.items():
            for value in values:
                assert value not in text, f"{kind} {value} on {url}"
        for title in (
            site.draft.title,
            site.withdrawn.title,
            site.hidden_movement.title,
            site.internal_doc.summary,
        ):
            assert title not in text, f"{title} on {url}"
        assert "Lê Văn Cường" not in text, url  # his only decision-backed award was revoked


def test_the_honour_board_lists_awards_of_issued_decisions_only(site):
    html = Client().get("/bang-vang/?nam=2025").content.decode()
    assert "Nguyễn Văn An" in html and "Trần Thị Bình" in html
    assert "Chiến sĩ thi đua cơ sở" in html and "Bằng khen của bộ, ban, ngành, tỉnh" in html
    assert site.a.name in html  # the collective's Cờ thi đua
    assert "Lao động tiên tiến" not in html  # a yearly title most staff receive stays off the board
    assert (
        "2023"
        not in Client().get("/bang-vang/").content.decode().split("Năm thành tích")[1].split("</select>")[0]
    )


def test_a_revoked_award_disappears_from_the_board(site, personas, django_capture_on_commit_callbacks):
    client = Client()
    assert "Trần Thị Bình" in client.get("/bang-vang/?nam=2025").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        award_services.revoke_award(
            actor=personas.admin,
            award=site.awards.binh_bk,
            clause="b",
            revoked_on=date(2026, 7, 1),
            decision_number="21/QĐ-BHXH",
        )
    assert "Trần Thị Bình" not in client.get("/bang-vang/?nam=2025").content.decode()


def test_a_withheld_person_is_left_off_the_board_and_the_search(
    site, personas, django_capture_on_commit_callbacks
):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        services.withhold_person(actor=personas.staff, person=site.an)  # An's own choice
    for url in ("/bang-vang/?nam=2025", "/tim-kiem/?q=nguyen+van+an", "/"):
        html = client.get(url).content.decode()
        assert "Nguyễn Văn An</strong>" not in html and "<strong>Nguyễn Văn An" not in html, url
    with django_capture_on_commit_callbacks(execute=True):
        services.release_person(actor=personas.staff, person=site.an)
    assert "Nguyễn Văn An" in client.get("/bang-vang/?nam=2025").content.decode()


@pytest.mark.parametrize("text", ["nguyen van an", "NGUYỄN VĂN AN", "nguyễn  văn   an", "van an"])
def test_the_search_ignores_diacritics_and_case(site, text):
    html = Client().get("/tim-kiem/", {"q": text}).content.decode()
    assert "Chiến sĩ thi đua cơ sở năm 2025" in html  # the board's line
    assert site.story.title in html  # the story names him


def test_the_search_finds_articles_and_movements_without_diacritics(site):
    html = Client().get("/tim-kiem/", {"q": "phong trao nguoi ngheo"}).content.decode()
    assert site.movement.title in html
    html = Client().get("/tim-kiem/", {"q": "giao uoc"}).content.decode()
    assert site.news.title in html


def test_the_feed_parses_and_holds_the_published_articles_only(site):
    response = Client().get("/nguon-tin.xml")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    titles = {entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")}
    assert titles == {site.news.title, site.story.title}
    links = {link.get("href") for entry in feed.iter(f"{ATOM}entry") for link in entry.iter(f"{ATOM}link")}
    assert f"http://testserver/bai-viet/{site.news.pk}/{site.news.slug}/" in links


def test_pages_advertise_the_feed_and_carry_open_graph_tags(site):
    html = Client().get(f"/bai-viet/{site.news.pk}/{site.news.slug}/").content.decode()
    assert '<link rel="alternate" type="application/atom+xml"' in html and 'href="/nguon-tin.xml"' in html
    assert f'<meta property="og:title" content="{site.news.title}">' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert "<script" not in html  # the public pages need no script at all


def test_the_sitemap_lists_public_pages_only(site):
    root = ET.fromstring(Client().get("/sitemap.xml").content)
    locations = {loc.text or "" for loc in root.iter(f"{SITEMAP}loc")}
    assert f"http://testserver/bai-viet/{site.news.pk}/{site.news.slug}/" in locations
    assert f"http://testserver/thong-tin-phong-trao/{site.movement.pk}/" in locations
    assert not any(str(site.draft.pk) + "/" in loc and "bai-viet" in loc for loc in locations)
    assert f"http://testserver/thong-tin-phong-trao/{site.hidden_movement.pk}/" not in locations
    assert "Sitemap: http://testserver/sitemap.xml" in Client().get("/robots.txt").content.decode()


def test_drafts_withdrawn_articles_and_private_movements_are_not_found(site):
    client = Client()
    assert client.get(f"/bai-viet/{site.draft.pk}/{site.draft.slug}/").status_code == 404
    assert client.get(f"/bai-viet/{site.withdrawn.pk}/{site.withdrawn.slug}/").status_code == 404
    assert client.get(f"/thong-tin-phong-trao/{site.hidden_movement.pk}/").status_code == 404
    assert client.get(f"/thong-tin-phong-trao/van-ban/{site.internal_doc.pk}/").status_code == 404
    response = client.get(f"/thong-tin-phong-trao/van-ban/{site.public_doc.pk}/")
    assert response.status_code == 200 and response.content == b"%PDF-1.4 ke hoach"
    # a wrong slug leads to the article's address
    assert (
        client.get(f"/bai-viet/{site.news.pk}/sai/")["Location"]
        == f"/bai-viet/{site.news.pk}/{site.news.slug}/"
    )


def test_a_movement_page_shows_its_summary_and_public_documents(site):
    html = Client().get(f"/thong-tin-phong-trao/{site.movement.pk}/").content.decode()
    assert site.movement.theme in html and "1250/KH-BHXH" in html
    assert f"/thong-tin-phong-trao/van-ban/{site.public_doc.pk}/" in html
    assert "77/BHXH-VP" not in html


def test_a_burst_of_visitors_is_served_from_the_cache(site, django_assert_num_queries):
    client = Client()
    for url in (
        "/",
        "/bang-vang/",
        "/tin-tuc/",
        f"/bai-viet/{site.news.pk}/{site.news.slug}/",
        "/nguon-tin.xml",
    ):
        first = client.get(url)
        assert "public" in first["Cache-Control"] and "max-age=" in first["Cache-Control"]
        with django_assert_num_queries(0):
            again = client.get(url)
        assert again.content == first.content, url


def test_signed_in_users_get_fresh_private_pages(site, personas, client_for):
    client = client_for(personas.officer)
    response = client.get("/bang-vang/")
    assert "private" in response["Cache-Control"]
    assert "Trang làm việc" in response.content.decode()


def test_publishing_refreshes_the_cached_pages(site, django_capture_on_commit_callbacks):
    client = Client()
    assert site.draft.title not in client.get("/tin-tuc/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_article(actor=site.officer, article=site.draft, version=site.draft.version)
    assert site.draft.title in client.get("/tin-tuc/").content.decode()
