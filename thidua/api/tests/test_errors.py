"""Every API error has one JSON shape: {"error": {"code", "message", "fields"}}."""

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import Client
from rest_framework import exceptions
from rest_framework.authtoken.models import Token

from thidua.api.errors import exception_handler
from thidua.core.errors import DomainError


def error(response: Any) -> dict[str, Any]:
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["message"]
    result: dict[str, Any] = body["error"]
    return result


def test_401_without_credentials(db):
    response = Client().get("/api/v1/units/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert error(response)["code"] == "not_authenticated"
    assert error(response)["fields"] == {}


def test_401_with_a_wrong_token(db):
    response = Client().get("/api/v1/units/", HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert response.status_code == 401
    assert error(response)["code"] == "authentication_failed"


def test_403_on_a_session_post_without_csrf(personas):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.officer)
    response = client.post("/api/v1/units/", {})
    assert response.status_code == 403
    assert error(response)["code"] == "permission_denied"


def test_404_does_not_name_the_model_or_say_why(personas, client_for, org):
    client = client_for(personas.officer)
    for url in ["/api/v1/people/999999/", f"/api/v1/people/{org.cuong.pk}/", f"/api/v1/units/{org.b.pk}/"]:
        response = client.get(url)
        assert response.status_code == 404
        assert error(response) == {"code": "not_found", "message": "Không tìm thấy.", "fields": {}}


def test_404_for_an_unknown_api_url_is_json_too(personas, client_for):
    response = client_for(personas.officer).get("/api/v1/khong-co/")
    assert response.status_code == 404
    assert error(response)["code"] == "not_found"
    # Pages keep an HTML 404.
    page = client_for(personas.officer).get("/khong-co/")
    assert page.status_code == 404
    assert page["Content-Type"].startswith("text/html")


def test_400_names_the_fields(personas, client_for, org):
    response = client_for(personas.officer).get("/api/v1/people/", {"unit": org.b.pk, "gender": "khac"})
    assert response.status_code == 400
    body = error(response)
    assert body["code"] == "invalid"
    # The message alone names a field and what is wrong with it.
    assert body["message"].startswith(("Dữ liệu không hợp lệ: unit: ", "Dữ liệu không hợp lệ: gender: "))
    assert set(body["fields"]) == {"unit", "gender"}
    assert all(isinstance(messages, list) and messages for messages in body["fields"].values())


def test_405_for_a_write_on_a_read_only_resource(personas):
    token = Token.objects.create(user=personas.officer)
    response = Client().post("/api/v1/ratings/", {}, HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 405
    assert error(response)["code"] == "method_not_allowed"


@pytest.mark.parametrize(
    ("exc", "status", "body"),
    [
        (
            DomainError("Đơn vị đã ngừng hoạt động", field="unit"),
            400,
            {
                "code": "domain_error",
                "message": "Đơn vị đã ngừng hoạt động",
                "fields": {"unit": ["Đơn vị đã ngừng hoạt động"]},
            },
        ),
        (
            DomainError("Không thể sáp nhập"),
            400,
            {"code": "domain_error", "message": "Không thể sáp nhập", "fields": {}},
        ),
        (
            Http404("No Person matches the given query."),
            404,
            {"code": "not_found", "message": "Không tìm thấy.", "fields": {}},
        ),
        (
            PermissionDenied("Bạn không có quyền sửa đơn vị này"),
            403,
            {"code": "permission_denied", "message": "Bạn không có quyền sửa đơn vị này", "fields": {}},
        ),
        (
            exceptions.ValidationError(["Thiếu dữ liệu"]),
            400,
            {
                "code": "invalid",
                "message": "Dữ liệu không hợp lệ: Thiếu dữ liệu",
                "fields": {"non_field_errors": ["Thiếu dữ liệu"]},
            },
        ),
        (
            exceptions.ValidationError({"year": ["Năm không hợp lệ"]}),
            400,
            {
                "code": "invalid",
                "message": "Dữ liệu không hợp lệ: year: Năm không hợp lệ",
                "fields": {"year": ["Năm không hợp lệ"]},
            },
        ),
    ],
)
def test_the_handler_maps_each_exception_to_the_shape(exc, status, body):
    response = exception_handler(exc, {})
    assert response is not None
    assert response.status_code == status
    assert response.data == {"error": body}


def test_other_exceptions_are_left_to_django():
    assert exception_handler(ValueError("lỗi lập trình"), {}) is None
