"""Uploaded files: their kind read from the CONTENT (never the name), and a size limit per use.

`UploadField(rule=...)` is the form field every upload goes through; `check_upload` does the same for
the API. The kind found also decides the stored file's extension and the content type it is served
with, so a PDF called "ảnh.exe" is stored and served as a PDF, and an HTML page called "ket-qua.pdf"
is refused. `LimitedUploadHandler` (first of FILE_UPLOAD_HANDLERS) stops keeping a file past
`MAX_UPLOAD_BYTES`, so a huge upload never fills the disk before the form refuses it.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler

from thidua.core.errors import DomainError

MB = 1024 * 1024

# kind → (label for messages, extension, content type)
KINDS: dict[str, tuple[str, str, str]] = {
    "pdf": ("PDF", "pdf", "application/pdf"),
    "png": ("ảnh PNG", "png", "image/png"),
    "jpeg": ("ảnh JPEG", "jpg", "image/jpeg"),
    "docx": ("Word .docx", "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": ("Excel .xlsx", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "csv": ("CSV (văn bản UTF-8)", "csv", "text/csv; charset=utf-8"),
    "text": ("văn bản YAML/JSON (UTF-8)", "yaml", "text/plain; charset=utf-8"),
}


@dataclass(frozen=True)
class Rule:
    """What one kind of upload may be."""

    label: str
    kinds: frozenset[str]
    max_bytes: int

    def describe(self) -> str:
        kinds = ", ".join(KINDS[k][0] for k in sorted(self.kinds))
        return f"{kinds}; tối đa {self.max_bytes // MB} MB"


EVIDENCE = Rule("tệp minh chứng", frozenset({"pdf", "png", "jpeg", "docx", "xlsx"}), 10 * MB)
MOVEMENT_DOCUMENT = Rule("văn bản đính kèm", frozenset({"pdf", "docx"}), 10 * MB)
DOCX_TEMPLATE = Rule("tệp mẫu", frozenset({"docx"}), 5 * MB)
IMAGE = Rule("ảnh", frozenset({"png", "jpeg"}), 5 * MB)
XLSX_IMPORT = Rule("tệp nhập", frozenset({"xlsx"}), 20 * MB)
TABLE_IMPORT = Rule("tệp nhập", frozenset({"xlsx", "csv"}), 20 * MB)
SCORING_TABLE = Rule("tệp bảng chấm điểm", frozenset({"xlsx", "text"}), 5 * MB)

MAX_SCAN_BYTES = 10 * MB
"""A scan of a signed paper (a written vote, a page of minutes): 10 MB is plenty for a few pages."""


def _zip_kind(head: bytes, data: bytes) -> str | None:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return None


def _text_kind(data: bytes) -> str | None:
    if b"\x00" in data[:8192]:
        return None
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype", b"<html", b"<script", b"<svg", b"<?xml")):
        return None  # markup is never an upload of ours (and would be dangerous if served)
    return "text"


def sniff(data: bytes) -> str | None:
    """The kind of file `data` is, from its bytes: pdf, png, jpeg, docx, xlsx, text; None otherwise."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data[:4], data)
    return _text_kind(data)


class UploadRefused(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class TooLargeUpload(UploadedFile):
    """What the form sees of a file cut off by `LimitedUploadHandler`: its name and the bytes seen."""

    def __init__(self, name: str, size: int) -> None:
        super().__init__(io.BytesIO(b""), name=name, size=size)


def check_upload(file: Any, rule: Rule) -> str:
    """The kind of an uploaded file that `rule` accepts; UploadRefused (Vietnamese) otherwise. The file
    is read once (up to the limit) and rewound; its name is made to end with the kind's extension."""
    size = getattr(file, "size", None) or 0
    if isinstance(file, TooLargeUpload) or size > rule.max_bytes:
        raise UploadRefused(f"{rule.label.capitalize()} quá lớn: tối đa {rule.max_bytes // MB} MB.")
    file.seek(0)
    data = file.read(rule.max_bytes + 1)
    file.seek(0)
    if len(data) > rule.max_bytes:
        raise UploadRefused(f"{rule.label.capitalize()} quá lớn: tối đa {rule.max_bytes // MB} MB.")
    if not data:
        raise UploadRefused(f"{rule.label.capitalize()} rỗng.")
    kind = sniff(data)
    if kind == "text" and "csv" in rule.kinds and "text" not in rule.kinds:
        kind = "csv"
    if kind not in rule.kinds:
        kinds = " hoặc ".join(KINDS[k][0] for k in sorted(rule.kinds))
        raise UploadRefused(
            f"Tệp không đúng loại: {rule.label} cần tệp {kinds} (tối đa {rule.max_bytes // MB} MB). "
            "Loại tệp được xét theo nội dung, không theo tên tệp."
        )
    stem = PurePath(getattr(file, "name", "") or "tep").stem[:80] or "tep"
    file.name = f"{stem}.{KINDS[kind][1]}"
    return kind


class UploadField(forms.FileField):
    """A form file field checked by content against a `Rule` (kind and size)."""

    def __init__(self, *args: Any, rule: Rule, **kwargs: Any) -> None:
        self.rule = rule
        kwargs.setdefault("help_text", rule.describe())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        file = super().clean(data, initial)
        if file and file is not initial:
            try:
                check_upload(file, self.rule)
            except UploadRefused as exc:
                raise forms.ValidationError(exc.message, code="upload") from exc
        return file


def content_type_of(name: str) -> str:
    """The content type to serve a stored upload with (from the extension `check_upload` gave it)."""
    extension = PurePath(name).suffix.lower().lstrip(".")
    for _label, ext, content_type in KINDS.values():
        if ext == extension:
            return content_type
    return "application/octet-stream"


class LimitedUploadHandler(FileUploadHandler):
    """Counts each uploaded file's bytes; past MAX_UPLOAD_BYTES the rest is dropped (not written to
    disk or memory) and the form receives a `TooLargeUpload`, which every upload rule refuses."""

    seen = 0
    too_large = False

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.seen, self.too_large = 0, False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.seen += len(raw_data)
        if self.seen > settings.MAX_UPLOAD_BYTES:
            self.too_large = True
            return None  # later handlers never see the rest
        return raw_data

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if self.too_large:
            return TooLargeUpload(self.file_name or "tep", self.seen)
        return None  # the next handler (memory or temporary file) completes it


def check_scan(upload: Any, *, field: str = "scan", label: str = "Bản chụp") -> str:
    """The kind of a scanned paper (`pdf`, `png` or `jpg`), read from its first bytes (`sniff`); a
    DomainError naming the field for an empty, oversized or other file."""
    size = getattr(upload, "size", None)
    if not size:
        raise DomainError(f"{label}: tệp rỗng hoặc chưa chọn tệp", field=field)
    if isinstance(upload, TooLargeUpload) or size > MAX_SCAN_BYTES:
        raise DomainError(
            f"{label}: tệp {size // MB} MB, lớn hơn giới hạn {MAX_SCAN_BYTES // MB} MB",
            field=field,
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind = sniff(head)
    if kind in ("pdf", "png", "jpeg"):
        return "jpg" if kind == "jpeg" else str(kind)
    raise DomainError(
        f"{label}: chỉ nhận tệp PDF, PNG hoặc JPEG (nội dung tệp không phải các loại này)", field=field
    )
