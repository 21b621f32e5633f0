"""Malformed ids on the organisation's API answer 4xx, never 500; its pages ignore a malformed parameter."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

CASES = [
    ("get", "/api/v1/accounts/abc/"),
    ("post", "/api/v1/accounts/abc/reset_password/"),
    ("get", "/api/v1/roles/abc/"),
    ("patch", "/api/v1/roles/abc/"),
    ("get", "/api/v1/clusters/abc/"),
    ("post", "/api/v1/clusters/abc/members/"),
    ("post", "/api/v1/units/abc/rename/"),
    ("patch", "/api/v1/units/abc/"),
    ("post", "/api/v1/people/abc/transfer/"),
    ("patch", "/api/v1/people/abc/"),
    ("get", "/to-chuc/chon/nhan-su/?trong=abc&q=a"),
    ("get", "/to-chuc/chon/don-vi/?nam=abc&q=a"),
    ("get", "/to-chuc/don-vi/moi/?cap-tren=abc"),
]


@pytest.mark.parametrize(("method", "url"), CASES)
def test_a_malformed_id_is_not_a_server_error(method: str, url: str, personas: Any) -> None:
    client = Client(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=personas.officer).key}")
    client.force_login(personas.officer)
    if method == "get":
        response = client.get(url)
    else:
        response = getattr(client, method)(url, "{}", content_type="application/json")
    if url.startswith("/api/"):
        assert 400 <= response.status_code < 500, (url, response.status_code)
    else:  # a page ignores a malformed optional parameter
        assert response.status_code == 200, (url, response.status_code)
