"""An account given a one-time password (`User.must_change_password`) leads to the password change
page until its user chooses their own; signing out and static files stay reachable."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

MESSAGE = "Bạn đang dùng mật khẩu dùng một lần: hãy đặt mật khẩu mới của riêng bạn để tiếp tục."


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "must_change_password", False):
            allowed = (reverse("accounts:password_change"), reverse("accounts:logout"))
            if request.path not in allowed and not request.path.startswith("/static/"):
                if request.path.startswith("/api/"):
                    return JsonResponse(
                        {"error": {"code": "password_change_required", "message": MESSAGE, "fields": {}}},
                        status=403,
                    )
                messages.warning(request, MESSAGE)
                return redirect("accounts:password_change")
        return self.get_response(request)
