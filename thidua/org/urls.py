from django.urls import path

from thidua.org import import_views, views, views_accounts, views_clusters, views_people, views_units

app_name = "org"
urlpatterns = [
    path("don-vi/", views.unit_tree, name="unit_tree"),
    path("don-vi/moi/", views_units.unit_create, name="unit_create"),
    path("don-vi/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("don-vi/<int:pk>/sua/", views_units.unit_edit, name="unit_edit"),
    path("don-vi/<int:pk>/to-chuc-lai/<slug:kind>/", views_units.unit_reorganise, name="unit_reorganise"),
    path("nhan-su/", views.person_list, name="person_list"),
    path("nhan-su/moi/", views_people.person_create, name="person_create"),
    path("nhan-su/<int:pk>/", views.person_detail, name="person_detail"),
    path("nhan-su/<int:pk>/sua/", views_people.person_edit, name="person_edit"),
    path("nhan-su/<int:pk>/dieu-chuyen/", views_people.person_transfer, name="person_transfer"),
    path("nhan-su/<int:pk>/thoi-cong-tac/", views_people.person_end_service, name="person_end_service"),
    path("nhan-su/<int:pk>/qua-trinh/them/", views_people.person_add_position, name="person_add_position"),
    path("nhan-su/<int:pk>/tai-khoan/", views_people.person_account, name="person_account"),
    path("nhan-su/<int:pk>/tai-khoan/go/", views_people.person_unlink, name="person_unlink"),
    path("tai-khoan/", views_accounts.account_list, name="account_list"),
    path("tai-khoan/<int:pk>/", views_accounts.account_detail, name="account_detail"),
    path("tai-khoan/<int:pk>/dat-lai-mat-khau/", views_accounts.account_reset_password, name="account_reset"),
    path("tai-khoan/<int:pk>/khoa/", views_accounts.account_set_active, name="account_set_active"),
    path("phan-quyen/", views_accounts.role_list, name="role_list"),
    path("phan-quyen/<int:pk>/thu-hoi/", views_accounts.role_revoke, name="role_revoke"),
    path("cum-thi-dua/", views.cluster_list, name="cluster_list"),
    path("cum-thi-dua/moi/", views_clusters.cluster_create, name="cluster_create"),
    path("cum-thi-dua/sao-chep/", views_clusters.cluster_copy, name="cluster_copy"),
    path("cum-thi-dua/<int:pk>/", views.cluster_detail, name="cluster_detail"),
    path("cum-thi-dua/<int:pk>/sua/", views_clusters.cluster_edit, name="cluster_edit"),
    path("cum-thi-dua/<int:pk>/thanh-vien/", views_clusters.cluster_add_members, name="cluster_add_members"),
    path(
        "cum-thi-dua/<int:pk>/thanh-vien/<int:unit_pk>/bo/",
        views_clusters.cluster_remove_member,
        name="cluster_remove_member",
    ),
    path("chon/nhan-su/", views.pick_person, name="pick_person"),
    path("chon/don-vi/", views.pick_unit, name="pick_unit"),
    path("nhap-du-lieu/", import_views.import_start, name="import_start"),
    path("nhap-du-lieu/mau/<slug:slug>.<str:fmt>", import_views.import_template, name="import_template"),
    path("nhap-du-lieu/<str:token>/", import_views.import_preview, name="import_preview"),
    path("nhap-du-lieu/<str:token>/ghi/", import_views.import_commit, name="import_commit"),
]
