from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from thidua.accounts.models import User
from thidua.accounts.views import ThrottledAdminAuthenticationForm

# The admin login is throttled like the application's own login page.
admin.site.login_form = ThrottledAdminAuthenticationForm


@admin.register(User)
class UserAdmin(BaseUserAdmin[User]):
    """Logins. Staff records, roles and one-time passwords are managed in the application
    (Tài khoản, Phân quyền), which checks the officer's subtree and writes the audit log."""

    list_display = [
        "username",
        "first_name",
        "is_active",
        "is_superuser",
        "must_change_password",
        "last_login",
    ]
    fieldsets = (*(BaseUserAdmin.fieldsets or ()), ("ThiĐua", {"fields": ("must_change_password",)}))
