from django.contrib import admin
from django.http import HttpRequest
from django.urls import include, path

urlpatterns = [
    # The public site first: its "" serves the public home page to visitors and hands signed-in users
    # to the work home page (web:home, the same URL).
    path("", include("thidua.portal.urls")),
    path("", include("thidua.web.urls")),
    path("", include("thidua.setup.urls")),
    path("bao-cao/", include("thidua.reports.urls")),
    path("tai-khoan/", include("thidua.accounts.urls")),
    path("to-chuc/", include("thidua.org.urls")),
    path("lich-su/", include("thidua.history.urls")),
    path("xet-khen-thuong/", include("thidua.eligibility.urls")),
    path("phong-trao/", include("thidua.movements.urls")),
    path("khen-thuong/", include("thidua.awards.urls")),
    path("thong-bao/", include("thidua.notices.urls")),
    path("van-ban/", include("thidua.documents.urls")),
    path("api/v1/", include("thidua.api.urls")),
    path("quan-tri/", admin.site.urls),
]

handler404 = "thidua.api.errors.handler404"
handler500 = "thidua.api.errors.handler500"

admin.site.site_header = "ThiĐua — quản trị"
admin.site.site_title = "ThiĐua"
admin.site.index_title = "Quản trị hệ thống"


def _admin_has_permission(request: HttpRequest) -> bool:
    # The admin ignores unit scopes, so only system administrators (superusers) may enter it.
    return bool(request.user.is_active and request.user.is_superuser)


admin.site.has_permission = _admin_has_permission  # type: ignore[method-assign]
