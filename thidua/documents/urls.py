from django.urls import path

from thidua.documents import views

app_name = "documents"
urlpatterns = [
    path("viec/", views.job_list, name="job_list"),
    path("viec/<int:pk>/", views.job_detail, name="job_detail"),
    path("viec/<int:pk>/tai-ve/", views.job_download, name="job_download"),
    path("xuat/nhan-su.xlsx", views.people_export, name="people_export"),
    path("xuat/don-vi.xlsx", views.units_export, name="units_export"),
    path("xuat/nhat-ky.xlsx", views.audit_export, name="audit_export"),
    path("bo-cuc-in/", views.layout_list, name="layout_list"),
    path("bo-cuc-in/<int:unit_pk>/<slug:kind>/", views.layout_edit, name="layout_edit"),
    path("mau-van-ban/", views.template_list, name="template_list"),
    path("mau-van-ban/mau-quyet-dinh.docx", views.template_default, name="template_default"),
    path("mau-van-ban/mau/<slug:kind>.docx", views.template_default, name="template_shipped"),
    path("mau-van-ban/<int:pk>/xoa/", views.template_delete, name="template_delete"),
]
