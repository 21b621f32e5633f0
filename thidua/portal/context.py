"""What every public page needs: the organisation's name."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    return {"org_name": settings.THIDUA_ORG_NAME}
