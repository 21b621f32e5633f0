"""The OpenAPI schema documents the error answers of every operation, in the API's one error shape."""

from __future__ import annotations

from typing import Any

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "Lỗi: `code` cố định cho máy đọc, `message` tiếng Việt, `fields` nêu lỗi theo từng trường.",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "code": {"type": "string", "example": "invalid"},
                "message": {"type": "string", "example": "Dữ liệu không hợp lệ."},
                "fields": {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                    "example": {"year": ["Năm phải từ 2000 đến 2100."]},
                },
            },
            "required": ["code", "message", "fields"],
        }
    },
    "required": ["error"],
}

DESCRIPTIONS = {
    "400": "Dữ liệu gửi lên hoặc tham số lọc không hợp lệ, hoặc thao tác bị từ chối theo quy định "
    "(`invalid`, `parse_error`, `domain_error`; `fields` nêu trường sai).",
    "401": "Chưa đăng nhập hoặc khóa API sai (`not_authenticated`, `authentication_failed`).",
    "403": "Tài khoản không có quyền với đối tượng hoặc thao tác này (`permission_denied`).",
    "404": "Không có đối tượng này, hoặc tài khoản không được xem nó (`not_found`).",
}
METHODS = ("get", "post", "put", "patch", "delete")


def _answers(method: str, path: str, operation: dict[str, Any]) -> list[str]:
    codes = ["401", "403"]
    params = operation.get("parameters", [])
    has_query = any(p.get("in") == "query" for p in params)
    if method != "get" or has_query or "requestBody" in operation:
        codes.append("400")
    # A path id may name nothing visible; a list's ?page= may be past the end.
    if "{" in path or any(p.get("name") == "page" for p in params) or method != "get":
        codes.append("404")
    return codes


def document_errors(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """drf-spectacular post-processing hook: add the Error component and the 400/401/403/404 answers."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = ERROR_SCHEMA
    ref = {"$ref": "#/components/schemas/Error"}
    for path, item in result.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            responses = operation.setdefault("responses", {})
            for code in _answers(method, path, operation):
                responses.setdefault(
                    code,
                    {"description": DESCRIPTIONS[code], "content": {"application/json": {"schema": ref}}},
                )
    return result
