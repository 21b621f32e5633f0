from __future__ import annotations

from django.template.loader import render_to_string


def test_it_shows_a_vietnamese_404_for_a_unit_outside_the_scope(org, personas, client_for):
    response = client_for(personas.officer).get(f"/to-chuc/don-vi/{org.b.pk}/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Không tìm thấy trang" in html
    assert "Bảo hiểm xã hội Thành phố Hồ Chí Minh" not in html


def test_it_shows_a_vietnamese_404_for_an_unknown_address(personas, client_for):
    response = client_for(personas.officer).get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_the_403_and_500_pages_are_in_vietnamese(db):
    assert "Không có quyền truy cập" in render_to_string("403.html", {"exception": "Bạn không có quyền"})
    html = render_to_string("500.html")
    assert "Hệ thống gặp lỗi" in html
    assert '<html lang="vi">' in html


def test_the_admin_is_reachable_with_vietnamese_titles(personas, client_for):
    response = client_for(personas.admin).get("/quan-tri/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "ThiĐua — quản trị" in html
    assert "Tổ chức" in html  # the org app's verbose name
    assert "Khóa truy cập API" in html and "Auth Token" not in html
