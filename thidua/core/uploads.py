"""Checks on uploaded files, by content: the name and the browser's declared type prove nothing."""

from __future__ import annotations

from typing import Any

from thidua.core.errors import DomainError

MAX_SCAN_BYTES = 10 * 1024 * 1024
"""A scan of a signed paper (a written vote, a page of minutes): 10 MB is plenty for a few pages."""

SCAN_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
}


def check_scan(upload: Any, *, field: str = "scan", label: str = "Bản chụp") -> str:
    """The kind of a scanned paper (`pdf`, `png` or `jpg`), read from its first bytes; a
    DomainError naming the field for an empty, oversized or other file."""
    size = getattr(upload, "size", None)
    if not size:
        raise DomainError(f"{label}: tệp rỗng hoặc chưa chọn tệp", field=field)
    if size > MAX_SCAN_BYTES:
        raise DomainError(
            f"{label}: tệp {size // (1024 * 1024)} MB, lớn hơn giới hạn {MAX_SCAN_BYTES // (1024 * 1024)} MB",
            field=field,
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for kind, signatures in SCAN_SIGNATURES.items():
        if any(head.startswith(sig) for sig in signatures):
            return kind
    raise DomainError(
        f"{label}: chỉ nhận tệp PDF, PNG hoặc JPEG (nội dung tệp không phải các loại này)", field=field
    )
