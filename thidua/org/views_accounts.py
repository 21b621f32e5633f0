"""Accounts and roles: the accounts an officer manages, one account's roles (grant, revoke), locking,
one-time passwords; "who holds what" in the officer's subtree. Only admins and officers come here."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from thidua.accounts.models import User
from thidua.core.http import no_store
from thidua.org import forms as f
from thidua.org import services
from thidua.org.models import Membership, Role
from thidua.org.permissions import grantable_roles, visible_units
from thidua.org.privacy import manages_people_somewhere
from thidua.org.view_helpers import actor_of, run

PER_PAGE = 50


def _require_manager(user: Any) -> None:
    if not manages_people_somewhere(user):
        raise PermissionDenied(
            "Chỉ cán bộ thi đua, khen thưởng và quản trị được quản lý tài khoản, phân quyền"
        )


def _account_for(actor: Any, pk: int) -> User:
    """The account if the actor may manage it; 404 otherwise (an account outside it is not revealed)."""
    _require_manager(actor)
    user = User.objects.select_related("person", "person__current_unit").filter(pk=pk).first()
    if user is None or not services.can_manage_account(actor, user):
        raise Http404("Không tìm thấy tài khoản")
    return user


@no_store
@login_required
def account_list(request: HttpRequest) -> HttpResponse:
    _require_manager(request.user)
    q = request.GET.get("q", "").strip()[:100]
    accounts = services.manageable_accounts(actor_of(request), q=q)
    page = Paginator(accounts, PER_PAGE).get_page(request.GET.get("page"))
    grants: dict[int, list[Membership]] = {}
    for m in Membership.objects.in_force().filter(user__in=list(page)).select_related("unit"):
        grants.setdefault(m.user_id, []).append(m)
    rows = [(u, grants.get(u.pk, [])) for u in page]
    return render(request, "org/account_list.html", {"page": page, "rows": rows, "q": q})


@no_store
@login_required
def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    account = _account_for(request.user, pk)
    form = f.GrantForm(request.POST or None, user=request.user, roles=grantable_roles(request.user))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if run(
            form,
            lambda: services.grant_role(
                actor=actor_of(request),
                user=account,
                unit=d["unit"],
                role=d["role"],
                valid_from=d["valid_from"],
                valid_to=d["valid_to"],
                note=d["note"],
            ),
        ):
            messages.success(request, f"Đã cấp quyền {Role(d['role']).label} tại {d['unit'].name}.")
            return redirect("org:account_detail", pk=pk)
    grants = list(
        Membership.objects.filter(user=account)
        .select_related("unit")
        .order_by("-valid_to", "unit__path", "role")
    )
    context = {
        "account": account,
        "person": getattr(account, "person", None),
        "grants": grants,
        "form": form,
        "revoke_form": f.RevokeForm(),
        "is_self": account.pk == request.user.pk,
        "today": date.today(),
    }
    return render(request, "org/account_detail.html", context)


@no_store
@login_required
@require_POST
def account_reset_password(request: HttpRequest, pk: int) -> HttpResponse:
    account = _account_for(request.user, pk)
    form = forms.Form()
    password = run(form, lambda: services.reset_password(actor=actor_of(request), user=account))
    if password is None:
        messages.error(request, "; ".join(str(e) for e in form.non_field_errors()))
        return redirect("org:account_detail", pk=pk)
    return render(
        request,
        "org/one_time_password.html",
        {"account": account, "password": password, "person": getattr(account, "person", None)},
    )


@no_store
@login_required
@require_POST
def account_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    account = _account_for(request.user, pk)
    active = request.POST.get("active") == "1"
    form = forms.Form()
    if run(
        form,
        lambda: services.set_account_active(
            actor=actor_of(request),
            user=account,
            active=active,
            reason=request.POST.get("reason", "")[:255],
        ),
    ):
        messages.success(request, "Đã mở khóa tài khoản." if active else "Đã khóa tài khoản.")
    else:
        messages.error(request, "; ".join(str(e) for e in form.non_field_errors()))
    return redirect("org:account_detail", pk=pk)


@no_store
@login_required
def role_list(request: HttpRequest) -> HttpResponse:
    """Who holds what in my subtree, and granting a role to a staff member who has an account."""
    _require_manager(request.user)
    form = f.GrantForm(
        request.POST or None, user=request.user, roles=grantable_roles(request.user), person_field=True
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if run(
            form,
            lambda: services.grant_role(
                actor=actor_of(request),
                user=d["person"].user,
                unit=d["unit"],
                role=d["role"],
                valid_from=d["valid_from"],
                valid_to=d["valid_to"],
                note=d["note"],
            ),
        ):
            messages.success(request, f"Đã cấp quyền cho {d['person'].full_name}.")
            return redirect("org:role_list")
    unit = None
    unit_id = request.GET.get("don-vi", "")
    if unit_id.isdigit():
        unit = visible_units(request.user).filter(pk=int(unit_id)).first()
    include_ended = request.GET.get("ca-het-han") == "1"
    role = request.GET.get("vai-tro", "")
    rows = services.holders(actor_of(request), unit=unit, include_ended=include_ended)
    if role in Role.values:
        rows = [m for m in rows if m.role == role]
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    manageable = {m.pk for m in page if services.can_manage_account(actor_of(request), m.user)}
    context = {
        "form": form,
        "page": page,
        "unit": unit,
        "include_ended": include_ended,
        "role": role,
        "roles": Role.choices,
        "revoke_form": f.RevokeForm(),
        "manageable": manageable,
        "today": date.today(),
    }
    return render(request, "org/role_list.html", context)


@no_store
@login_required
@require_POST
def role_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manager(request.user)
    membership = Membership.objects.select_related("unit", "user").filter(pk=pk).first()
    if membership is None or not visible_units(request.user).filter(pk=membership.unit_id).exists():
        raise Http404("Không tìm thấy phân quyền")
    form = f.RevokeForm(request.POST)
    if form.is_valid():
        run(
            form,
            lambda: services.revoke_role(
                actor=actor_of(request),
                membership=membership,
                on=form.cleaned_data["on"],
                reason=form.cleaned_data["reason"],
            ),
        )
    if form.errors:
        messages.error(request, "; ".join(str(e) for errors in form.errors.values() for e in errors))
    else:
        messages.success(request, f"Đã thu hồi quyền {membership.get_role_display()} của {membership.user}.")
    back = request.POST.get("next", "")
    if back == "account":
        return redirect("org:account_detail", pk=membership.user_id)
    return redirect("org:role_list")
