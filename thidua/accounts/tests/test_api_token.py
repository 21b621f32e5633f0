"""The user's own API key: the "Khóa API" page, the `token` command, and calling the API with it."""

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from rest_framework.authtoken.models import Token

from thidua.audit.models import AuditEntry

URL = "/tai-khoan/khoa-api/"


def test_the_page_offers_to_create_a_key(personas, client_for):
    response = client_for(personas.officer).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Khóa API" in html
    assert "Bạn chưa có khóa API." in html
    assert "no-store" in response["Cache-Control"]


def test_post_creates_a_key_shows_it_and_audits(personas, client_for):
    client = client_for(personas.officer)
    response = client.post(URL)
    assert response.status_code == 302
    token = Token.objects.get(user=personas.officer)
    assert token.key in client.get(URL).content.decode()
    entry = AuditEntry.objects.get(action="account.token_created")
    assert entry.actor == personas.officer
    assert token.key not in str(entry.detail)


def test_post_again_regenerates_and_the_old_key_stops_working(personas, client_for):
    client = client_for(personas.officer)
    client.post(URL)
    old = Token.objects.get(user=personas.officer).key
    client.post(URL)
    new = Token.objects.get(user=personas.officer).key
    assert new != old
    assert AuditEntry.objects.filter(action="account.token_regenerated").count() == 1
    assert Client().get("/api/v1/units/", HTTP_AUTHORIZATION=f"Token {old}").status_code == 401
    assert Client().get("/api/v1/units/", HTTP_AUTHORIZATION=f"Token {new}").status_code == 200


def test_get_never_creates_a_key(personas, client_for):
    client_for(personas.officer).get(URL)
    assert not Token.objects.exists()


def test_the_api_answers_with_the_token_with_the_users_scope(personas, org, client_for):
    client_for(personas.outsider_officer).post(URL)
    key = Token.objects.get(user=personas.outsider_officer).key
    response = Client().get("/api/v1/people/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    assert [p["full_name"] for p in response.json()["results"]] == ["Lê Văn Cường"]


def test_a_token_of_a_deactivated_user_is_refused(personas, client_for):
    client_for(personas.officer).post(URL)
    key = Token.objects.get(user=personas.officer).key
    personas.officer.is_active = False
    personas.officer.save()
    response = Client().get("/api/v1/units/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"


def test_the_command_prints_the_same_key_until_regenerated(personas, capsys):
    call_command("token", "canbo.hn")
    first = capsys.readouterr().out.strip()
    assert first == Token.objects.get(user=personas.officer).key
    call_command("token", "canbo.hn")
    assert capsys.readouterr().out.strip() == first
    call_command("token", "canbo.hn", "--regenerate")
    assert capsys.readouterr().out.strip() != first
    assert [
        e.action for e in AuditEntry.objects.filter(action__startswith="account.token").order_by("id")
    ] == [
        "account.token_created",
        "account.token_regenerated",
    ]


def test_the_command_refuses_an_unknown_user(db):
    with pytest.raises(CommandError, match="Không có tài khoản"):
        call_command("token", "khong-ai")


def test_the_page_is_linked_from_every_page_for_a_logged_in_user(personas, client_for):
    assert 'href="/tai-khoan/khoa-api/"' in client_for(personas.staff).get("/").content.decode()
