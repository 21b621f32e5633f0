"""Personal data on a need-to-know basis (Luật Bảo vệ dữ liệu cá nhân 2025, NĐ 356/2025/NĐ-CP).

Full citizen id (CCCD), date of birth, phone and e-mail are shown only to who manages the person
(`can_see_personal_data`: a system administrator, or an admin or officer role over the person's unit).
Everyone else sees the citizen id masked (`0790******01`) and no birth date, phone or e-mail: in pages,
exports and the API. Each time full personal data is shown or exported, an audit entry says who saw
whose (`log_personal_data`). A citizen id typed into a search is never written to the log in clear
(`redact_query`): the log keeps a masked form and a keyed digest, so an investigator who knows a number
can still find who searched for it (`citizen_id_digest`).
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl, urlencode

from django.conf import settings

from thidua.audit.services import log
from thidua.org.models import Person
from thidua.org.permissions import (
    WRITE_ROLES,
    can_change_person,
    is_system_admin,
    own_person_id,
    scope_paths,
)

MASK = "*"
# A run of 6 to 12 digits in a query is treated as (part of) a citizen id.
_DIGITS = re.compile(r"\d{6,12}")


def mask_citizen_id(value: str) -> str:
    """'079088000777' → '0790******77': the province code and century digit, then the last two digits."""
    value = (value or "").strip()
    if len(value) <= 6:
        return MASK * len(value)
    return value[:4] + MASK * (len(value) - 6) + value[-2:]


def mask_phone(value: str) -> str:
    digits = (value or "").strip()
    if not digits:
        return ""
    return MASK * max(len(digits) - 3, 0) + digits[-3:]


def mask_email(value: str) -> str:
    if not value or "@" not in value:
        return ""
    name, domain = value.split("@", 1)
    return f"{name[:1]}{MASK * 3}@{domain}"


def can_see_personal_data(user: Any, person: Person) -> bool:
    """Who manages the person sees their full personal data: a system admin, or an admin or officer
    role over the person's current unit. The person themself sees their own record in full."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if is_system_admin(user) or own_person_id(user) == person.pk:
        return True
    return can_change_person(user, person)


def manages_people_somewhere(user: Any) -> bool:
    """True when the user may see full personal data of at least some people (admin or officer)."""
    return is_system_admin(user) or bool(scope_paths(user, WRITE_ROLES))


def personal_data_test(user: Any) -> Any:
    """A function person → bool: may `user` see that person's full personal data? (for lists and
    exports: decided from the person's unit path, no query per person)."""
    if is_system_admin(user):
        return lambda person: True
    paths = scope_paths(user, WRITE_ROLES)
    own = own_person_id(user)

    def full(person: Person) -> bool:
        unit = person.current_unit
        return person.pk == own or (unit is not None and any(unit.path.startswith(p) for p in paths))

    return full


def citizen_id_digest(value: str) -> str:
    """A keyed digest of a citizen id (HMAC-SHA256 with the site's secret key), 16 hex digits."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()[:16]


def redact_text(text: str) -> str:
    """Every run of 6-12 digits masked like a citizen id, with its digest ('0790******77#a1b2…')."""
    return _DIGITS.sub(lambda m: f"{mask_citizen_id(m.group())}#{citizen_id_digest(m.group())}", text)


def redact_query(query: str) -> str:
    """A URL query string for the audit log, with citizen ids in search terms masked and digested."""
    pairs = parse_qsl(query, keep_blank_values=True)
    return urlencode([(k, redact_text(v)) for k, v in pairs])


def log_personal_data(
    actor: Any, people: Iterable[Person], *, where: str, unit_path: str = "", count: int | None = None
) -> None:
    """One audit entry: `actor` was shown full personal data of `people` (at most 20 named) in `where`."""
    people = list(people)
    names = [f"{p.full_name} ({mask_citizen_id(p.citizen_id)})" for p in people[:20]]
    if not unit_path and len(people) == 1 and people[0].current_unit is not None:
        unit_path = people[0].current_unit.path
    log(
        "person.personal_data_viewed",
        actor=actor,
        obj=people[0] if len(people) == 1 else None,
        unit_path=unit_path,
        detail={"where": where, "people": names, "rows": count if count is not None else len(people)},
    )
