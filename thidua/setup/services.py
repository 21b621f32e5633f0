"""The first day: an organisation, its first administrator and its own rule options, on an empty database.

`setup_organisation` is what `thidua setup` and the first-run page call. It runs once: on a database
that already holds an organisation (or units) it raises `AlreadySetUp` and changes nothing. Concurrent
attempts are serialised (an advisory lock on PostgreSQL, IMMEDIATE transactions on SQLite), so two
browsers submitting the first-run page at once cannot make two organisations.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction

from thidua.accounts.models import User
from thidua.audit.services import log
from thidua.awards.models import AwardSettings
from thidua.awards.services.org_settings import clean_quotas
from thidua.core.errors import DomainError
from thidua.core.versioning import bump, check_version, current_version
from thidua.documents.vnwords import format_number_symbol
from thidua.eligibility.models import RuleOptions
from thidua.eligibility.services import set_rule_options
from thidua.lib.text import nfc
from thidua.org import services as org_services
from thidua.org.kinds import sector, sectors
from thidua.org.models import Membership, Organisation, Role, Unit
from thidua.org.permissions import can_change_unit, require_unit_write
from thidua.rules import Ruleset, load_ruleset
from thidua.setup.places import province_code_of

SETUP_LOCK = 0x7468_6964_7561  # "thidua": the advisory lock key of the first-run transaction


class AlreadySetUp(DomainError):
    """The database holds an organisation already: nothing was changed."""


@dataclass(frozen=True)
class OrganisationSpec:
    """What the organisation is: its name, short name, symbol on documents, place before dates,
    the body it answers to, its sector (`thidua/org/sectors.yaml`) and the code of its root unit
    (default: the symbol)."""

    name: str
    short_name: str
    symbol: str
    place: str
    parent_body: str
    sector: str
    code: str = ""


@dataclass(frozen=True)
class AdminSpec:
    """The first administrator's login; the password never comes from a command line."""

    username: str
    password: str
    full_name: str = ""
    email: str = ""


@dataclass(frozen=True)
class Choices:
    """The organisation's own options, the law's defaults unless it chose otherwise.

    `rule_options`: the ruleset settings it changes (`eligibility.RuleOptions`; UNCONFIRMED readings
    stay off unless chosen); the HTXS cap and the quotas of `awards.AwardSettings`."""

    rule_options: dict[str, Any] = field(default_factory=dict)
    htxs_cap_enabled: bool = True
    htxs_cap_pct: int = 20
    htxs_cap_pct_excellent_unit: int = 25
    quotas: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class SetupResult:
    organisation: Organisation
    admin: User


def current_ruleset(on: date | None = None) -> Ruleset:
    return load_ruleset(on=on or date.today())


def default_options(ruleset: Ruleset) -> dict[str, Any]:
    """The options an organisation starts from: the ruleset's defaults, every UNCONFIRMED reading
    that is a yes/no turned off (law.md: configure them, do not assume them)."""
    return {
        key: (False if spec.type == "bool" and spec.confidence == "UNCONFIRMED" else spec.default)
        for key, spec in ruleset.settings_spec.items()
    }


def options_to_store(chosen: dict[str, Any], ruleset: Ruleset) -> dict[str, Any]:
    """What to save in `RuleOptions`: the choices that differ from the ruleset's default (the others
    follow the ruleset, and a later ruleset's default)."""
    return {
        key: value
        for key, value in chosen.items()
        if key in ruleset.settings_spec and value != ruleset.settings_spec[key].default
    }


def sector_choices() -> list[tuple[str, str]]:
    return [(s.id, s.name) for s in sectors().values()]


def check_organisation(spec: OrganisationSpec) -> OrganisationSpec:
    """The spec with its texts normalised; DomainError naming the field otherwise."""
    name = " ".join(nfc(spec.name).split())
    short_name = " ".join(nfc(spec.short_name).split())
    symbol = nfc(spec.symbol).strip().upper()
    place = " ".join(nfc(spec.place).split())
    parent_body = " ".join(nfc(spec.parent_body).split())
    code = (spec.code or symbol).strip()
    if not name:
        raise DomainError("Cần tên cơ quan, đơn vị", field="name")
    if len(name) > 255:
        raise DomainError("Tên cơ quan, đơn vị dài quá 255 ký tự", field="name")
    if len(short_name) > 60:
        raise DomainError("Tên viết tắt dài quá 60 ký tự", field="short_name")
    if not symbol:
        raise DomainError("Cần ký hiệu trên văn bản (ví dụ SGDĐT trong 07/QĐ-SGDĐT)", field="symbol")
    try:
        format_number_symbol(1, "QĐ", symbol)
    except ValueError as exc:
        raise DomainError(f"Ký hiệu '{symbol}': {exc}", field="symbol") from exc
    if len(symbol) > 30:
        raise DomainError("Ký hiệu dài quá 30 ký tự", field="symbol")
    if not place:
        raise DomainError("Cần địa danh ghi trước ngày tháng trên văn bản (ví dụ Đắk Lắk)", field="place")
    if len(place) > 100:
        raise DomainError("Địa danh dài quá 100 ký tự", field="place")
    if len(parent_body) > 255:
        raise DomainError("Tên cơ quan chủ quản dài quá 255 ký tự", field="parent_body")
    if spec.sector not in sectors():
        names = "; ".join(f"{s.id} ({s.name})" for s in sectors().values())
        raise DomainError(f"Không có lĩnh vực '{spec.sector}' (có: {names})", field="sector")
    if not code or len(code) > 40 or " " in code:
        raise DomainError("Mã đơn vị gốc gồm tối đa 40 ký tự, không có dấu cách", field="code")
    return OrganisationSpec(name, short_name, symbol, place, parent_body, spec.sector, code)


def check_admin(admin: AdminSpec) -> None:
    username = admin.username.strip()
    if not username:
        raise DomainError("Cần tên đăng nhập của quản trị hệ thống", field="username")
    try:
        UnicodeUsernameValidator()(username)
    except ValidationError as exc:
        raise DomainError(
            "Tên đăng nhập chỉ gồm chữ, số và các ký tự @ . + - _ (không dấu cách)", field="username"
        ) from exc
    if len(username) > 150:
        raise DomainError("Tên đăng nhập dài quá 150 ký tự", field="username")
    try:
        validate_password(admin.password, User(username=username, email=admin.email))
    except ValidationError as exc:
        raise DomainError("Mật khẩu chưa đạt: " + " ".join(exc.messages), field="password") from exc


def check_choices(choices: Choices, ruleset: Ruleset) -> None:
    try:
        ruleset.with_settings(choices.rule_options)
    except ValueError as exc:
        raise DomainError(f"Tùy chọn quy tắc không hợp lệ: {exc}", field="rule_options") from exc
    for label, value in (
        ("Giới hạn HTXS", choices.htxs_cap_pct),
        ("Giới hạn HTXS khi đơn vị HTXS", choices.htxs_cap_pct_excellent_unit),
    ):
        if not 0 <= value <= 100:
            raise DomainError(f"{label} phải từ 0 đến 100 (%)", field="htxs_cap_pct")
    for award_id in choices.quotas:
        if award_id not in ruleset.items:
            raise DomainError(f"Không có danh hiệu, hình thức '{award_id}' để đặt tỷ lệ", field="quotas")
    clean_quotas(choices.quotas)


def _serialise() -> None:
    """One first-run at a time. SQLite's IMMEDIATE transactions serialise writers already."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SETUP_LOCK])


def already_set_up_message() -> str | None:
    """Why the database is not empty, in Vietnamese; None when it is."""
    existing = Organisation.objects.select_related("root").order_by("pk").first()
    if existing is not None:
        return (
            f"Đã có tổ chức «{existing.root.name}» (thiết lập ngày {existing.created_at:%d/%m/%Y}): "
            "không thay đổi gì."
        )
    units = Unit.objects.count()
    if units:
        return f"Cơ sở dữ liệu đã có {units} đơn vị: đây không phải cài đặt mới, không thay đổi gì."
    return None


@transaction.atomic
def setup_organisation(
    *, actor: User | None, organisation: OrganisationSpec, admin: AdminSpec, choices: Choices | None = None
) -> SetupResult:
    """Create the organisation (its root unit and `Organisation` row), its first administrator (a
    system administrator with the admin role on the root) and its options (`RuleOptions`,
    `AwardSettings`), in one transaction with one `organisation.set_up` audit entry (and the root's
    `unit.created`). Allowed only on an empty database: that emptiness is the permission, since no
    login exists yet. `AlreadySetUp` otherwise; DomainError naming the field for bad input."""
    _serialise()
    message = already_set_up_message()
    if message is not None:
        raise AlreadySetUp(message)
    spec = check_organisation(organisation)
    check_admin(admin)
    choices = choices or Choices()
    ruleset = current_ruleset()
    check_choices(choices, ruleset)
    kind = sector(spec.sector).kind(sector(spec.sector).root_kind)
    assert kind is not None
    root = org_services.create_unit(
        actor=actor,
        code=spec.code,
        name=spec.name,
        kind=kind.code,
        short_name=spec.short_name,
        symbol=spec.symbol,
        place_name=spec.place,
        province_code=province_code_of(spec.place),
        is_legal_entity=True,
    )
    row = Organisation.objects.create(root=root, sector=spec.sector, parent_body=spec.parent_body)
    family, _, given = " ".join(admin.full_name.split()).rpartition(" ")
    user = User.objects.create_user(
        username=admin.username.strip(),
        email=admin.email.strip(),
        password=admin.password,
        first_name=given[:150],
        last_name=family[:150],
        is_staff=True,
        is_superuser=True,
    )
    Membership.objects.create(user=user, unit=root, role=Role.ADMIN)
    stored = options_to_store({**default_options(ruleset), **choices.rule_options}, ruleset)
    RuleOptions.objects.create(unit=root, options=stored)
    AwardSettings.objects.create(
        root=root,
        htxs_cap_enabled=choices.htxs_cap_enabled,
        htxs_cap_pct=choices.htxs_cap_pct,
        htxs_cap_pct_excellent_unit=choices.htxs_cap_pct_excellent_unit,
        quotas=clean_quotas(choices.quotas),
    )
    log(
        "organisation.set_up",
        actor=actor,
        obj=row,
        unit_path=root.path,
        detail={
            "name": spec.name,
            "sector": spec.sector,
            "symbol": spec.symbol,
            "place": spec.place,
            "parent_body": spec.parent_body,
            "admin": user.get_username(),
            "ruleset": ruleset.id,
            "rule_options": stored,
            "htxs_cap": [choices.htxs_cap_enabled, choices.htxs_cap_pct, choices.htxs_cap_pct_excellent_unit],
            "quotas": clean_quotas(choices.quotas),
        },
    )
    return SetupResult(organisation=row, admin=user)


def update_rule_options(
    *, actor: User | None, organisation: Organisation, chosen: dict[str, Any]
) -> RuleOptions:
    """Change the organisation's rule options later (the Tùy chọn quy tắc page). Only a writer of
    its root unit may; saved and logged by `eligibility.services.set_rule_options`."""
    if actor is None or not can_change_unit(actor, organisation.root):
        raise PermissionDenied(
            "Chỉ quản trị hệ thống hoặc cán bộ thi đua cấp cao nhất được sửa tùy chọn quy tắc"
        )
    ruleset = current_ruleset()
    check_choices(Choices(rule_options=chosen), ruleset)
    return set_rule_options(actor=actor, unit=organisation.root, options=options_to_store(chosen, ruleset))


@transaction.atomic
def set_kind_labels(
    *, actor: User | None, organisation: Organisation, labels: dict[str, str]
) -> Organisation:
    """The organisation's own names for its sector's unit kinds ({code: label}; a blank label goes
    back to the sector's). Only a writer of its root unit may; codes outside the sector are refused.
    One `organisation.kind_labels_changed` audit entry with what changed."""
    if actor is None or not can_change_unit(actor, organisation.root):
        raise PermissionDenied(
            "Chỉ quản trị hệ thống hoặc cán bộ thi đua cấp cao nhất được đổi tên loại đơn vị"
        )
    known = {k.code for k in sector(organisation.sector).kinds}
    stray = sorted(set(labels) - known)
    if stray:
        raise DomainError(f"Không có loại đơn vị {', '.join(stray)} trong lĩnh vực của tổ chức")
    cleaned: dict[str, str] = {}
    for code, label in labels.items():
        text = " ".join(nfc(label).split())
        if len(text) > 80:
            raise DomainError(f"Tên loại đơn vị dài quá 80 ký tự: {text[:40]}…", field=code)
        default = sector(organisation.sector).kind(code)
        if text and default is not None and text != default.label:
            cleaned[code] = text
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    before = dict(organisation.kind_labels or {})
    organisation.kind_labels = cleaned
    organisation.save(update_fields=["kind_labels", "updated_at"])
    log(
        "organisation.kind_labels_changed",
        actor=actor,
        obj=organisation,
        unit_path=organisation.root.path,
        detail={"before": before, "after": cleaned},
    )
    return organisation


ORGANISATION_REFUSED = "Chỉ quản trị hệ thống hoặc cán bộ thi đua cấp cao nhất được sửa thông tin tổ chức"


@dataclass(frozen=True)
class OrganisationDetails:
    """What the Thông tin tổ chức page changes: the root unit's name, short name, symbol (ký hiệu in
    document numbers) and place (địa danh before dates), and the body it answers to."""

    name: str
    short_name: str
    symbol: str
    place: str
    parent_body: str


def details_of(organisation: Organisation) -> OrganisationDetails:
    root = organisation.root
    return OrganisationDetails(
        name=root.name,
        short_name=root.short_name,
        symbol=root.symbol,
        place=root.place_name,
        parent_body=organisation.parent_body,
    )


# The audit entry's field names, as `thidua.audit.display.FIELD_LABELS` reads them.
_DETAIL_FIELDS = {
    "name": "name",
    "short_name": "short_name",
    "symbol": "symbol",
    "place": "place_name",
    "parent_body": "parent_body",
}


@transaction.atomic
def update_organisation(
    *,
    actor: User | None,
    organisation: Organisation,
    details: OrganisationDetails,
    version: int | None = None,
) -> Organisation:
    """Change the organisation's own details after the first day (the Thông tin tổ chức page).

    Only a writer of its root unit (an administrator, or an officer of the top unit) may. The texts are
    checked as on the first day (`check_organisation`: DomainError naming the field, nothing written);
    `version` is the organisation's version the form was built from (refused when it moved meanwhile).
    The root unit keeps its code, kind and lineage: a corrected name is not a renaming by decision
    (that is Đổi tên on the unit's page). One `organisation.updated` audit entry with each changed
    value before and after."""
    require_unit_write(actor, organisation.root, ORGANISATION_REFUSED)
    row = Organisation.objects.select_for_update().select_related("root").get(pk=organisation.pk)
    check_version(current_version(row), version, what="Thông tin tổ chức")
    spec = check_organisation(
        OrganisationSpec(
            name=details.name,
            short_name=details.short_name,
            symbol=details.symbol,
            place=details.place,
            parent_body=details.parent_body,
            sector=row.sector,
            code=row.root.code,
        )
    )
    root = Unit.objects.select_for_update().get(pk=row.root_id)
    before = details_of(row)
    after = OrganisationDetails(spec.name, spec.short_name, spec.symbol, spec.place, spec.parent_body)
    changes = {
        _DETAIL_FIELDS[key]: [getattr(before, key), getattr(after, key)]
        for key in _DETAIL_FIELDS
        if getattr(before, key) != getattr(after, key)
    }
    if not changes:
        return row
    root.name, root.short_name, root.symbol, root.place_name = (
        after.name,
        after.short_name,
        after.symbol,
        after.place,
    )
    root.province_code = province_code_of(after.place) or root.province_code
    root.save()
    row.root = root
    row.parent_body = after.parent_body
    bump(row)
    row.save(update_fields=["parent_body", "version", "updated_at"])
    log("organisation.updated", actor=actor, obj=row, unit_path=root.path, detail={"changes": changes})
    return row
