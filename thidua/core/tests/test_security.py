"""CSRF on every POST form, and the production cookies and headers as a browser receives them."""

import os
import runpy
import secrets
from pathlib import Path

import pytest
from django.test import Client, override_settings
from rest_framework.authtoken.models import Token

from conftest import PASSWORD

SETTINGS_FILE = Path(__file__).resolve().parents[2] / "settings.py"
SECURITY_SETTINGS = [
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "X_FRAME_OPTIONS",
]


@pytest.fixture
def production(monkeypatch):
    """The security settings the production environment produces, applied to this test process."""
    for name in list(os.environ):
        if name.startswith("THIDUA_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("THIDUA_DEBUG", "false")
    monkeypatch.setenv("THIDUA_SECRET_KEY", secrets.token_urlsafe(60))
    monkeypatch.setenv("THIDUA_ALLOWED_HOSTS", "thidua.example.vn")
    values = runpy.run_path(str(SETTINGS_FILE))
    with override_settings(ALLOWED_HOSTS=["thidua.example.vn"], **{k: values[k] for k in SECURITY_SETTINGS}):
        yield values


# --- CSRF -----------------------------------------------------------------------------------------


def csrf_client() -> Client:
    return Client(enforce_csrf_checks=True)


def token_from(client: Client, url: str) -> str:
    client.get(url)
    return client.cookies["csrftoken"].value


def test_login_without_csrf_token_is_refused(personas):
    response = csrf_client().post("/tai-khoan/dang-nhap/", {"username": "canbo.hn", "password": PASSWORD})
    assert response.status_code == 403


def test_login_with_the_forms_csrf_token_works(personas):
    client = csrf_client()
    token = token_from(client, "/tai-khoan/dang-nhap/")
    response = client.post(
        "/tai-khoan/dang-nhap/",
        {"username": "canbo.hn", "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/tai-khoan/dang-xuat/", {}),
        (
            "/tai-khoan/doi-mat-khau/",
            {
                "old_password": PASSWORD,
                "new_password1": "khac-han-2026-x",
                "new_password2": "khac-han-2026-x",
            },
        ),
        ("/tai-khoan/khoa-api/", {}),
    ],
)
def test_logged_in_post_forms_need_the_csrf_token(personas, url, data):
    client = csrf_client()
    client.force_login(personas.officer)
    assert client.post(url, data).status_code == 403
    personas.officer.refresh_from_db()
    assert personas.officer.check_password(PASSWORD)
    assert not Token.objects.exists()
    assert client.get("/nhat-ky/").status_code == 200  # still logged in
    token = token_from(client, "/tai-khoan/doi-mat-khau/")
    assert client.post(url, {**data, "csrfmiddlewaretoken": token}).status_code == 302


def test_htmx_requests_send_the_token_in_a_header(personas):
    client = csrf_client()
    client.force_login(personas.officer)
    html = client.get("/").content.decode()
    assert "X-CSRFToken" in html  # base.html hands it to htmx via hx-headers
    token = client.cookies["csrftoken"].value
    assert client.post("/tai-khoan/khoa-api/", HTTP_X_CSRFTOKEN=token).status_code == 302


# --- Production cookies and headers --------------------------------------------------------------


def test_production_redirects_http_to_https(production, db):
    response = Client().get("/tai-khoan/dang-nhap/", HTTP_HOST="thidua.example.vn")
    assert response.status_code == 301
    assert response["Location"] == "https://thidua.example.vn/tai-khoan/dang-nhap/"


def test_production_refuses_unknown_hosts(production, db):
    assert Client().get("/tai-khoan/dang-nhap/", HTTP_HOST="evil.example", secure=True).status_code == 400


def test_production_headers(production, db):
    response = Client().get("/tai-khoan/dang-nhap/", HTTP_HOST="thidua.example.vn", secure=True)
    assert response.status_code == 200
    # Preload is an opt-in (THIDUA_HSTS_PRELOAD), never the default.
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    csrf = response.cookies["csrftoken"]
    assert csrf["secure"] is True
    assert csrf["samesite"] == "Lax"


def test_production_session_cookie_is_secure_and_http_only(production, personas):
    client = Client(HTTP_HOST="thidua.example.vn")
    response = client.post(
        "/tai-khoan/dang-nhap/", {"username": "canbo.hn", "password": PASSWORD}, secure=True
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] is True
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"


def test_development_cookies_work_over_plain_http(personas):
    response = Client().post("/tai-khoan/dang-nhap/", {"username": "canbo.hn", "password": PASSWORD})
    assert response.status_code == 302
    assert response.cookies["sessionid"]["secure"] == ""


def test_the_admin_is_for_system_administrators_only(personas, client_for):
    """The admin ignores unit scopes: a staff flag without superuser rights must not open it."""
    personas.officer.is_staff = True
    personas.officer.save()
    assert client_for(personas.officer).get("/quan-tri/").status_code == 302  # sent to the admin login
    assert client_for(personas.admin).get("/quan-tri/").status_code == 200
