from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("thidua.core.urls")),
    path("tai-khoan/", include("thidua.accounts.urls")),
    path("to-chuc/", include("thidua.org.urls")),
    path("nhat-ky/", include("thidua.audit.urls")),
    path("khen-thuong/", include("thidua.awards.urls")),
    path("api/v1/", include("thidua.api.urls")),
    path("quan-tri/", admin.site.urls),
]

admin.site.site_header = "ThiĐua — quản trị"
admin.site.site_title = "ThiĐua"
admin.site.index_title = "Quản trị hệ thống"
