from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from thidua.accounts.models import Membership, User
from thidua.accounts.views import ThrottledAdminAuthenticationForm

# The admin login is throttled like the application's own login page.
admin.site.login_form = ThrottledAdminAuthenticationForm


class MembershipInline(admin.TabularInline[Membership, User]):
    model = Membership
    extra = 0
    raw_id_fields = ["unit"]


@admin.register(User)
class UserAdmin(BaseUserAdmin[User]):
    inlines = [MembershipInline]
    raw_id_fields = ["person"]
    fieldsets = (*(BaseUserAdmin.fieldsets or ()), ("Nhân sự", {"fields": ("person",)}))
