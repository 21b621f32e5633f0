from django.urls import path

from thidua.org import import_views, views

app_name = "org"
urlpatterns = [
    path("don-vi/", views.unit_tree, name="unit_tree"),
    path("don-vi/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("nhan-su/", views.person_list, name="person_list"),
    path("nhan-su/<int:pk>/", views.person_detail, name="person_detail"),
    path("cum-thi-dua/", views.cluster_list, name="cluster_list"),
    path("cum-thi-dua/<int:pk>/", views.cluster_detail, name="cluster_detail"),
    path("nhap-du-lieu/", import_views.import_start, name="import_start"),
    path("nhap-du-lieu/mau/<slug:slug>.<str:fmt>", import_views.import_template, name="import_template"),
    path("nhap-du-lieu/<str:token>/", import_views.import_preview, name="import_preview"),
    path("nhap-du-lieu/<str:token>/ghi/", import_views.import_commit, name="import_commit"),
]
