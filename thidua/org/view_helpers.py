"""What the organisation's management pages share: running a service on a valid form, breadcrumbs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.urls import reverse
from rest_framework.request import Request

from thidua.accounts.models import User
from thidua.core.errors import DomainError
from thidua.core.forms import add_domain_error
from thidua.org.models import Person, Unit

T = TypeVar("T")


def run(form: forms.BaseForm, call: Callable[[], T]) -> T | None:
    """Call the service; a refusal becomes an error on the field it names (or on the form), so the
    page shows it in Vietnamese beside the input and nothing is written."""
    try:
        return call()
    except DomainError as exc:
        add_domain_error(form, exc)
    except PermissionDenied as exc:
        form.add_error(None, str(exc) or "Bạn không có quyền thực hiện thao tác này")
    return None


def actor_of(request: HttpRequest | Request) -> User:
    """The signed-in user of a `login_required` view or an API call, typed for the services (which
    check the user's rights themselves)."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied("Cần đăng nhập")
    return user


def require_manager(user: Any) -> None:
    """Pages that create or manage: only for admins and officers (403 for everyone else)."""
    from thidua.org.privacy import manages_people_somewhere

    if not manages_people_somewhere(user):
        raise PermissionDenied("Chỉ cán bộ thi đua, khen thưởng và quản trị được thực hiện thao tác này")


def unit_crumbs(unit: Unit | None) -> list[tuple[str, str]]:
    crumbs = [(reverse("org:unit_tree"), "Cơ cấu tổ chức")]
    if unit is not None:
        crumbs.append((reverse("org:unit_detail", args=[unit.pk]), unit.name))
    return crumbs


def person_crumbs(person: Person) -> list[tuple[str, str]]:
    return [
        (reverse("org:person_list"), "Nhân sự"),
        (reverse("org:person_detail", args=[person.pk]), person.full_name),
    ]


def page(title: str, form: forms.BaseForm, submit: str, **extra: Any) -> dict[str, Any]:
    return {"title": title, "form": form, "submit": submit, **extra}
