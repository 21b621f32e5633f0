"""The organisation's year-end settings (HTXS cap on/off, vote thresholds, quotas)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from thidua.accounts.models import User
from thidua.audit.services import log
from thidua.awards.models import AwardSettings
from thidua.core.errors import DomainError
from thidua.org.models import Unit
from thidua.org.permissions import require_unit_write


@transaction.atomic
def update_award_settings(*, actor: User | None, root: Unit, **fields: Any) -> AwardSettings:
    """Create or change the settings of the organisation rooted at `root`; quotas are
    {award_id: whole percent 0-100}."""
    require_unit_write(actor, root, "Bạn không có quyền sửa thiết lập khen thưởng của tổ chức này")
    if root.parent_id is not None:
        raise DomainError("Thiết lập khen thưởng đặt ở đơn vị cấp cao nhất")
    quotas = fields.get("quotas")
    if quotas is not None and (
        not isinstance(quotas, dict)
        or not all(isinstance(k, str) and isinstance(v, int) and 0 <= v <= 100 for k, v in quotas.items())
    ):
        raise DomainError('Chỉ tiêu ghi dạng {"mã danh hiệu": tỷ lệ % từ 0 đến 100}', field="quotas")
    settings, _ = AwardSettings.objects.get_or_create(root=root)
    before = {k: getattr(settings, k) for k in fields}
    for key, value in fields.items():
        setattr(settings, key, value)
    settings.save()
    log(
        "settings.updated",
        actor=actor,
        obj=settings,
        unit_path=root.path,
        detail={"changes": {k: [before[k], v] for k, v in fields.items() if before[k] != v}},
    )
    return settings
