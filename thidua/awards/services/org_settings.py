"""The organisation's year-end settings (HTXS cap on/off, vote thresholds, quotas)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db import transaction

from thidua.accounts.models import User
from thidua.audit.services import log
from thidua.awards.models import AwardSettings
from thidua.core.errors import DomainError
from thidua.lib.numbers import format_number, parse_number
from thidua.org.models import Unit
from thidua.org.permissions import require_unit_write
from thidua.rules import Item, load_ruleset
from thidua.rules.names import award_name

QUOTA_PLACES = 2  # "15,5" and "12,25" are percents an organisation uses; finer is a typing slip


def quota_awards(on: date | None = None) -> list[Item]:
    """The titles and forms a quota can cap: those of the ruleset in force given to individuals (a quota
    is a share of the people of the unit), titles first, in the ruleset's order."""
    items = [i for i in load_ruleset(on=on or date.today()).items.values() if "individual" in i.subjects]
    return sorted(items, key=lambda i: i.kind != "title")


def clean_quotas(quotas: Any) -> dict[str, int | float]:
    """{award_id: percent of the people of the unit, 0 to 100, at most two decimals}, as stored (whole
    percents as int, the others as float); numbers may be typed "15,5". DomainError (field "quotas",
    naming the title and the value) otherwise."""
    if not isinstance(quotas, Mapping):
        raise DomainError("Tỷ lệ tối đa ghi theo từng danh hiệu, hình thức", field="quotas")
    cleaned: dict[str, int | float] = {}
    for award_id, raw in quotas.items():
        if not isinstance(award_id, str) or not award_id:
            raise DomainError("Tỷ lệ tối đa ghi theo từng danh hiệu, hình thức", field="quotas")
        number = parse_number(raw)
        name = award_name(award_id)
        if number is None:
            raise DomainError(f"Tỷ lệ tối đa của {name}: «{raw}» không phải là số", field="quotas")
        if not 0 <= number <= 100:
            raise DomainError(
                f"Tỷ lệ tối đa của {name} phải từ 0 đến 100 (%), không phải {format_number(number, None)}",
                field="quotas",
            )
        if number != round(number, QUOTA_PLACES):
            raise DomainError(
                f"Tỷ lệ tối đa của {name} ghi tối đa {QUOTA_PLACES} chữ số thập phân "
                f"(ví dụ 15,5), không phải {format_number(number, None)}",
                field="quotas",
            )
        cleaned[award_id] = int(number) if number == number.to_integral_value() else float(number)
    return cleaned


@transaction.atomic
def update_award_settings(*, actor: User | None, root: Unit, **fields: Any) -> AwardSettings:
    """Create or change the settings of the organisation rooted at `root`; quotas are
    {award_id: percent of the people of the unit, 0-100} (`clean_quotas`). One `settings.updated` audit
    entry with each changed value before and after."""
    require_unit_write(actor, root, "Bạn không có quyền sửa thiết lập khen thưởng của tổ chức này")
    if root.parent_id is not None:
        raise DomainError("Thiết lập khen thưởng đặt ở đơn vị cấp cao nhất")
    if "quotas" in fields:
        fields["quotas"] = clean_quotas(fields["quotas"])
    settings, _ = AwardSettings.objects.get_or_create(root=root)
    settings = AwardSettings.objects.select_for_update().get(pk=settings.pk)
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
