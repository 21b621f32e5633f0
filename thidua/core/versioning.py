"""Optimistic locking: an edit made from a stale copy is refused instead of silently overwriting.

A row that people edit through forms or the API carries a `version` (the `Versioned` base). A form
(`VersionFormMixin`) or an API body sends back the version it was built from; the service locks the
row (`select_for_update`), calls `check_version` and, when it writes, `bump`s the version. Version 0
means "I saw no row": a form for a result nobody has entered yet is refused too if somebody else
created that result meanwhile.

Used by results, registrations, scoring tables and ratings (movements, awards); dossiers keep their
own `version` with the same check (`thidua.awards.services.common.check_version`).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models

from thidua.core.errors import DomainError

STALE = (
    "{what} đã được người khác cập nhật trong lúc bạn đang sửa{numbers}. "
    "Hãy tải lại trang để xem bản mới nhất rồi thực hiện lại."
)
NUMBERS = " (phiên bản hiện tại {current}, bản bạn sửa là phiên bản {seen})"
MISSING = (
    "{what} đã có (phiên bản {current}): gửi kèm «version» là phiên bản bạn đã đọc để sửa "
    "(tránh ghi đè thay đổi của người khác)."
)


class Versioned(models.Model):
    """Abstract base: a `version` counter, 1 for a new row, raised by every change (`bump`)."""

    # db_default too: bulk writers that insert rows with raw SQL (the demo) leave the column out.
    version = models.PositiveIntegerField("phiên bản", default=1, db_default=1)

    class Meta:
        abstract = True


def current_version(obj: Versioned | None) -> int:
    """The row's version, 0 when there is no row yet."""
    return 0 if obj is None or obj.pk is None else int(obj.version)


def check_version(current: int | str, seen: int | str | None, *, what: str, required: bool = False) -> None:
    """Refuse (DomainError on field `version`) when the caller edited another version than the current one.

    Versions are row counters, or a fingerprint string for a whole grid (ratings). `seen` None means the
    caller did not say: accepted for internal callers (imports, the demo), refused with `required=True`
    (the API) once a row exists."""
    if seen is None:
        if required and current not in (0, ""):
            raise DomainError(MISSING.format(what=what, current=current), field="version")
        return
    if str(seen) != str(current):
        numbers = NUMBERS.format(current=current, seen=seen) if isinstance(current, int) else ""
        raise DomainError(STALE.format(what=what, numbers=numbers), field="version")


def bump(obj: Versioned) -> None:
    """Raise the version of an existing row about to be saved (the caller holds the row lock)."""
    obj.version = int(obj.version) + 1


def parse_version(raw: str | None) -> int | None:
    """The version a posted action form was built from (None when it did not say or said nonsense)."""
    return int(raw) if raw and raw.isdecimal() and len(raw) < 10 else None


class VersionFormMixin(forms.Form):
    """A hidden `version` field: the version the form was built from (0 for a new row)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def seen_version(self) -> int | None:
        value: Any = self.cleaned_data.get("version")
        return None if value is None else int(value)
