"""Log lines for operators: one line per event with time, level, logger and the request id.

The request id is set by `thidua.core.middleware.RequestIdMiddleware` for the duration of a request
(a context variable, so each thread or task keeps its own); outside a request it is "-".
"""

from __future__ import annotations

import logging
from contextvars import ContextVar

REQUEST_ID: ContextVar[str] = ContextVar("thidua_request_id", default="-")


class RequestIdFilter(logging.Filter):
    """Adds `record.request_id` (the current request's id, or "-")."""

    def filter(self, record: logging.LogRecord) -> bool:
        request_id = REQUEST_ID.get()
        if request_id == "-":
            # Django logs 4xx/5xx answers (django.request) after the middleware has finished; those
            # records carry the request, which carries its id.
            request_id = getattr(getattr(record, "request", None), "request_id", "-")
        record.request_id = request_id
        return True


class OneLineFormatter(logging.Formatter):
    """`2026-05-04T09:30:01.123+07:00 ERROR django.request req=3f2a… message ⏎ traceback…`.

    Newlines inside the message or the traceback become " ⏎ ", so one event is one line whatever it
    holds (a log collector never splits an error from its traceback)."""

    def __init__(self) -> None:
        super().__init__()

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        from datetime import datetime

        moment = datetime.fromtimestamp(record.created).astimezone()
        return moment.isoformat(timespec="milliseconds")

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if record.exc_info:
            message = f"{message}\n{self.formatException(record.exc_info)}"
        if record.stack_info:
            message = f"{message}\n{self.formatStack(record.stack_info)}"
        request_id = getattr(record, "request_id", None) or REQUEST_ID.get()
        line = f"{self.formatTime(record)} {record.levelname} {record.name} req={request_id} {message}"
        return line.replace("\r\n", "\n").replace("\r", "\n").replace("\n", " ⏎ ")
