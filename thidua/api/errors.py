"""One JSON error shape for the whole API: {"error": {"code", "message", "fields"}}.

`code` is a stable machine-readable word (not_authenticated, authentication_failed,
permission_denied, not_found, method_not_allowed, invalid, domain_error, ...), `message` is for
people (Vietnamese), `fields` maps a field name to its messages (empty when the error is not
about fields).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from thidua.core.errors import DomainError

NOT_FOUND = "Không tìm thấy."
INVALID = "Dữ liệu không hợp lệ."


def error_body(code: str, message: str, fields: Any = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        fields = {exc.field: [exc.message]} if exc.field else {}
        return Response(error_body("domain_error", exc.message, fields), status=status.HTTP_400_BAD_REQUEST)
    # Django's own exceptions become DRF's, so that they get a code; a 404 never says what was
    # looked for (Django's message is English and names the model).
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(NOT_FOUND)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    code = str(exc.default_code) if isinstance(exc, exceptions.APIException) else "error"
    data = response.data
    if isinstance(data, dict) and set(data) == {"detail"}:
        message, fields = str(data["detail"]), {}
    elif isinstance(data, list):
        message, fields = INVALID, {"non_field_errors": data}
    else:
        message, fields = INVALID, data
    if fields:
        message = f"{INVALID[:-1]}: {first_problem(fields)}"
    response.data = error_body(code, message, fields)
    return response


def first_problem(fields: Any, path: str = "") -> str:
    """`year: Đảm bảo giá trị này nhỏ hơn hoặc bằng 2100.`: the first field and its first message, so the
    message alone says what to fix (nested fields joined with dots)."""
    if isinstance(fields, dict):
        for name, value in fields.items():
            key = path if name == "non_field_errors" else (f"{path}.{name}" if path else str(name))
            return first_problem(value, key)
    elif isinstance(fields, list) and fields:
        return first_problem(fields[0], path)
    text = str(fields)[:200]
    return f"{path}: {text}" if path else text


def handler404(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Unknown URLs under /api/ answer in the API's shape; pages keep Django's 404 page."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            error_body("not_found", NOT_FOUND), status=404, json_dumps_params={"ensure_ascii": False}
        )
    return defaults.page_not_found(request, exception)


def handler500(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(
            error_body("server_error", "Lỗi máy chủ. Vui lòng thử lại sau."),
            status=500,
            json_dumps_params={"ensure_ascii": False},
        )
    return defaults.server_error(request)
