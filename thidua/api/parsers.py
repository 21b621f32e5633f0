"""Request bodies: every API operation takes a JSON object (or a form); anything else is a 400."""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

NOT_AN_OBJECT = "Nội dung yêu cầu phải là một đối tượng JSON ({{...}}), không phải {kind}."
KINDS = {list: "một danh sách", str: "một chuỗi", bool: "true/false", int: "một số", float: "một số"}


class ObjectJSONParser(JSONParser):
    """JSON whose top level is an object: handlers read named fields, so `42` or `[...]` is refused
    here with a clear message instead of failing deep inside a view."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        data = super().parse(stream, media_type, parser_context)
        if not isinstance(data, dict):
            kind = "null" if data is None else KINDS.get(type(data), type(data).__name__)
            raise ParseError(NOT_AN_OBJECT.format(kind=kind))
        return data
