"""What the movement services share: titles, refusals, JSON and scoring-error helpers, checks."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

from thidua.accounts.models import User
from thidua.core.errors import DomainError
from thidua.movements import scoring
from thidua.movements.models import (
    Movement,
    Registration,
    Result,
    participating_units,
)
from thidua.org.models import Unit
from thidua.org.permissions import require

# Titles a unit may register for itself (tập thể) or for its people (cá nhân): ids of rules.yaml.
# What a collective or an individual may register for (names: `thidua.rules.names.award_name`).
COLLECTIVE_TITLES: tuple[str, ...] = (
    "tap_the_lao_dong_tien_tien",
    "tap_the_lao_dong_xuat_sac",
    "co_thi_dua_bo_tinh",
    "co_thi_dua_chinh_phu",
    "giay_khen",
    "bang_khen_bo_tinh",
    "bang_khen_thu_tuong",
)
INDIVIDUAL_TITLES: tuple[str, ...] = (
    "lao_dong_tien_tien",
    "chien_si_thi_dua_co_so",
    "chien_si_thi_dua_bo_tinh",
    "chien_si_thi_dua_toan_quoc",
    "giay_khen",
    "bang_khen_bo_tinh",
    "bang_khen_thu_tuong",
)


def _status_label(model: type[Movement] | type[Registration] | type[Result], status: str) -> str:
    return str(model.Status(status).label)


def refuse_transition(model: Any, current: str, target: str) -> DomainError:
    return DomainError(
        f"Không thể chuyển từ trạng thái «{_status_label(model, current)}» "
        f"sang «{_status_label(model, target)}»"
    )


def json_safe(data: Any) -> Any:
    """Plain JSON data (dates from YAML become ISO strings, Decimals numbers)."""

    def default(value: Any) -> Any:
        if isinstance(value, Decimal):
            return float(value) if value != value.to_integral_value() else int(value)
        if isinstance(value, date):
            return value.isoformat()
        return str(value)

    return json.loads(json.dumps(data, default=default, ensure_ascii=False))


def scoring_domain_error(exc: scoring.ScoringError, *, field: str | None = None) -> DomainError:
    lines = "; ".join(str(issue) for issue in exc.issues[:20])
    more = f" (và {len(exc.issues) - 20} lỗi khác)" if len(exc.issues) > 20 else ""
    return DomainError(f"{exc.title}: {lines}{more}", field=field)


def check_participates(movement: Movement, unit: Unit) -> None:
    if not participating_units(movement).filter(pk=unit.pk).exists():
        raise DomainError(f"{unit} không thuộc danh sách đơn vị tham gia phong trào", field="unit")


def check_open(movement: Movement) -> None:
    if movement.status not in (Movement.Status.LAUNCHED, Movement.Status.RUNNING):
        raise DomainError(
            f"Phong trào đang ở trạng thái «{movement.get_status_display()}», không nhận đăng ký, số liệu"
        )


MANAGER_REFUSED = "Bạn không có quyền quản lý phong trào này"
REGISTRATION_REFUSED = "Bạn không có quyền đăng ký thi đua cho đơn vị này"
RESULT_REFUSED = "Bạn không có quyền nhập kết quả của đơn vị này"
DEADLINES_REFUSED = "Chỉ quản trị hệ thống gửi thông báo hạn cho mọi phong trào"


def check_manager(actor: User | None, movement: Movement) -> None:
    """Refuse unless `actor` (None: the system) manages the movement (`can_manage_movement`)."""
    from thidua.movements.permissions import can_manage_movement

    require(actor, actor is None or can_manage_movement(actor, movement), MANAGER_REFUSED)


def check_unit_officer(actor: User | None, unit: Unit, message: str) -> None:
    """Refuse unless `actor` (None: the system) acts for `unit`: its officers or those above
    (`can_act_for_unit`: register, enter figures, explain, add evidence)."""
    from thidua.movements.permissions import can_act_for_unit

    require(actor, actor is None or can_act_for_unit(actor, unit), message)


def check_reviewer(actor: User | None, unit: Unit, year: int) -> None:
    from thidua.movements.permissions import can_review_unit

    if actor is not None and not can_review_unit(actor, unit, year):
        raise DomainError(
            "Đơn vị không tự duyệt, thẩm định cho chính mình: việc này do cấp trên hoặc cụm thực hiện"
        )
