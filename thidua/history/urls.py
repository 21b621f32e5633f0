from django.urls import path

from thidua.history import import_views, views

app_name = "history"
urlpatterns = [
    path("bao-cao-thanh-tich/ca-nhan/<int:pk>/", views.person_report, name="person_report"),
    path("bao-cao-thanh-tich/tap-the/<int:pk>/", views.unit_report, name="unit_report"),
    path("khen-thuong-da-co/ca-nhan/<int:pk>/", views.person_past_award, name="person_past_award"),
    path("khen-thuong-da-co/tap-the/<int:pk>/", views.unit_past_award, name="unit_past_award"),
    path("nhan-su/<int:pk>/<slug:kind>/them/", views.person_record_add, name="person_record_add"),
    path("<slug:kind>/<int:pk>/sua/", views.person_record_edit, name="person_record_edit"),
    path("<slug:kind>/<int:pk>/xoa/", views.person_record_delete, name="person_record_delete"),
    path("quyet-dinh/<int:pk>/", views.decision_scan, name="decision_scan"),
    path("nhap/", import_views.import_start, name="import_start"),
    path("nhap/mau/<slug:slug>.<str:fmt>", import_views.import_template, name="import_template"),
    path("nhap/<str:token>/", import_views.import_preview, name="import_preview"),
    path("nhap/<str:token>/ghi/", import_views.import_commit, name="import_commit"),
]
