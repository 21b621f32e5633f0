from __future__ import annotations

import ipaddress
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.cache import never_cache

from thidua.accounts import services
from thidua.accounts.models import User
from thidua.audit.services import log

LOCKED_MESSAGE = (
    "Đăng nhập sai quá nhiều lần từ máy này. Vui lòng thử lại sau {minutes} phút, "
    "hoặc nhờ quản trị hệ thống đặt lại mật khẩu."
)


def locked_message() -> str:
    return LOCKED_MESSAGE.format(minutes=max(1, settings.LOGIN_LOCK_SECONDS // 60))


def client_ip(request: HttpRequest) -> str | None:
    """The caller's address. Behind the trusted proxy, the last X-Forwarded-For entry is the one it
    appended (earlier entries come from the client and can be forged); otherwise REMOTE_ADDR."""
    if settings.BEHIND_PROXY:
        header: str = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = header.split(",")[-1].strip()
        try:
            return str(ipaddress.ip_address(last))
        except ValueError:
            pass  # no usable header: fall back to the proxy's own address
    remote: str | None = request.META.get("REMOTE_ADDR")
    return remote


class ThrottleMixin(AuthenticationForm):
    """Refuses to check the password while the username or address is locked after repeated failures."""

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        ip = client_ip(self.request) if self.request else None
        if username and services.is_login_locked(username, ip):
            raise forms.ValidationError(locked_message(), code="locked")
        try:
            return super().clean()
        except forms.ValidationError:
            if username:
                services.record_login_failure(username, ip)
            raise


class ThrottledAuthenticationForm(ThrottleMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": "Tên đăng nhập hoặc mật khẩu không đúng.",
        "inactive": "Tài khoản này đã bị khóa.",
    }


class ThrottledAdminAuthenticationForm(ThrottleMixin, AdminAuthenticationForm):
    """The admin's login form, throttled like ours (otherwise /quan-tri/login/ would allow guessing)."""


class LoginView(auth_views.LoginView):
    form_class = ThrottledAuthenticationForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        services.clear_login_failures(form.get_user().get_username(), client_ip(self.request))
        log("account.login", actor=form.get_user(), detail={"ip": client_ip(self.request)})
        return response


class LogoutView(auth_views.LogoutView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            log("account.logout", actor=request.user, detail={"ip": client_ip(request)})
        return super().post(request, *args, **kwargs)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("web:home")

    def form_valid(self, form: Any) -> HttpResponse:
        # The new password and its audit entry are one change: both or neither.
        with transaction.atomic():
            response = super().form_valid(form)
            user = self.request.user
            if isinstance(user, User) and user.must_change_password:
                user.must_change_password = False  # the one-time password is gone
                user.save(update_fields=["must_change_password"])
            log("account.password_changed", actor=user)
        messages.success(self.request, "Đã đổi mật khẩu.")
        return response


@never_cache
@login_required
def api_token(request: HttpRequest) -> HttpResponse:
    """The user's own API key (Khóa API): shown, created or regenerated (POST)."""
    if request.method == "POST":
        existed = services.get_api_token(request.user) is not None
        assert isinstance(request.user, User)  # login_required
        services.regenerate_api_token(actor=request.user, user=request.user)
        messages.success(
            request, "Đã tạo khóa API mới." + (" Khóa cũ không còn dùng được." if existed else "")
        )
        return redirect("accounts:api_token")
    token = services.get_api_token(request.user)
    return render(request, "accounts/api_token.html", {"token": token})
