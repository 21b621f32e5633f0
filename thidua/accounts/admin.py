from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from thidua.accounts.models import User
from thidua.accounts.views import ThrottledAdminAuthenticationForm

# The admin login is throttled like the application's own login page.
admin.site.login_form = ThrottledAdminAuthenticationForm


@admin.register(User)
class UserAdmin(BaseUserAdmin[User]):
    pass
