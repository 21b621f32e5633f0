"""One JSON error shape for the whole API: {"error": {"code", "message", "fields"}}."""

from __future__ import annotations

from typing import Any

from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from thidua.core.errors import DomainError


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        fields = {exc.field: [exc.message]} if exc.field else {}
        return Response(
            {"error": {"code": "domain_error", "message": exc.message, "fields": fields}},
            status=status.HTTP_400_BAD_REQUEST,
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(data, dict) and "detail" in data and len(data) == 1:
        message, fields = str(data["detail"]), {}
    else:
        message, fields = "Dữ liệu không hợp lệ", data
    code = getattr(getattr(exc, "default_code", None), "__str__", lambda: "error")()
    response.data = {"error": {"code": code, "message": message, "fields": fields}}
    return response
