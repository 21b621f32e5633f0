from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.urls import reverse_lazy

from thidua.accounts import services
from thidua.audit.services import log


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR")


class ThrottledAuthenticationForm(AuthenticationForm):
    """Refuses to check the password while the username or address is locked after repeated failures."""

    error_messages = {
        "invalid_login": "Tên đăng nhập hoặc mật khẩu không đúng.",
        "inactive": "Tài khoản này đã bị khóa.",
        "locked": "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau ít phút.",
    }

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        ip = client_ip(self.request) if self.request else None
        if username and services.is_login_locked(username, ip):
            raise forms.ValidationError(self.error_messages["locked"], code="locked")
        try:
            return super().clean()
        except forms.ValidationError:
            if username:
                services.record_login_failure(username, ip)
            raise


class LoginView(auth_views.LoginView):
    form_class = ThrottledAuthenticationForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs) | {"org_name": settings.THIDUA_ORG_NAME}

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        services.clear_login_failures(form.get_user().get_username())
        log("account.login", actor=form.get_user(), detail={"ip": client_ip(self.request)})
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("core:home")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        log("account.password_changed", actor=self.request.user)
        messages.success(self.request, "Đã đổi mật khẩu.")
        return response
