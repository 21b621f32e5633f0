"""Pictures uploaded to articles: checked by their content, not their name or the browser's word,
then re-encoded without metadata (a phone photo's EXIF may hold where it was taken).

Accepted: JPEG, PNG and WebP up to `PORTAL_IMAGE_MAX_BYTES` (2 MB by default) and
`MAX_SIDE` pixels a side; larger pictures are scaled down to `STORED_MAX_WIDTH` for the page.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.conf import settings
from PIL import Image, UnidentifiedImageError

from thidua.core.errors import DomainError
from thidua.lib.numbers import format_number

FORMATS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}
MAX_SIDE = 8000
MAX_PIXELS = 40_000_000
STORED_MAX_WIDTH = 1600


@dataclass(frozen=True)
class CheckedImage:
    content: bytes
    content_type: str
    extension: str
    width: int
    height: int


def max_bytes() -> int:
    return int(getattr(settings, "PORTAL_IMAGE_MAX_BYTES", 2 * 1024 * 1024))


def check_image(data: bytes) -> CheckedImage:
    """The picture made safe to publish, or a DomainError in Vietnamese saying what is wrong."""
    limit = max_bytes()
    if len(data) > limit:
        raise DomainError(
            f"Ảnh dung lượng {format_number(len(data) / 1024 / 1024, 1)} MB, vượt giới hạn "
            f"{format_number(limit / 1024 / 1024, 1)} MB",
            field="image",
        )
    if not data:
        raise DomainError("Tệp ảnh rỗng", field="image")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            image_format = probe.format or ""
            width, height = probe.size
            if image_format not in FORMATS:
                raise DomainError("Chỉ nhận ảnh JPEG, PNG hoặc WebP", field="image")
            if width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_PIXELS:
                raise DomainError(
                    f"Ảnh quá lớn ({format_number(width)} × {format_number(height)} điểm ảnh; tối đa "
                    f"{format_number(MAX_SIDE)} điểm ảnh mỗi cạnh)",
                    field="image",
                )
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            picture = image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB")
    except DomainError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise DomainError("Tệp không phải là ảnh hợp lệ (JPEG, PNG hoặc WebP)", field="image") from exc
    if picture.width > STORED_MAX_WIDTH:
        ratio = STORED_MAX_WIDTH / picture.width
        picture = picture.resize(
            (STORED_MAX_WIDTH, max(1, round(picture.height * ratio))), Image.Resampling.LANCZOS
        )
    if image_format == "JPEG" and picture.mode != "RGB":
        picture = picture.convert("RGB")
    out = io.BytesIO()
    # Saving a fresh image writes no EXIF, no comments, no embedded profiles of the upload.
    if image_format == "JPEG":
        picture.save(out, "JPEG", quality=85, optimize=True)
    elif image_format == "PNG":
        picture.save(out, "PNG", optimize=True)
    else:
        picture.save(out, "WEBP", quality=85)
    content_type, extension = FORMATS[image_format]
    return CheckedImage(out.getvalue(), content_type, extension, picture.width, picture.height)
