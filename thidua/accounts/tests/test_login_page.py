from __future__ import annotations

from conftest import PASSWORD


def test_the_login_page_is_in_vietnamese(org, client):
    response = client.get("/tai-khoan/dang-nhap/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Đăng nhập" in html
    assert "Tên đăng nhập" in html and "Mật khẩu" in html
    assert "Bảo hiểm xã hội Việt Nam" in html


def test_a_wrong_password_shows_a_vietnamese_error(personas, client):
    response = client.post("/tai-khoan/dang-nhap/", {"username": "canbo.hn", "password": "sai"})
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()


def test_logging_in_leads_to_the_dashboard(personas, client):
    response = client.post(
        "/tai-khoan/dang-nhap/", {"username": "canbo.hn", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/"
    assert "Tổng quan" in response.content.decode()
