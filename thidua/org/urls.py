from django.urls import path

from thidua.org import views

app_name = "org"
urlpatterns = [
    path("don-vi/", views.unit_tree, name="unit_tree"),
    path("don-vi/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("nhan-su/", views.person_list, name="person_list"),
    path("nhan-su/<int:pk>/", views.person_detail, name="person_detail"),
    path("cum-thi-dua/", views.cluster_list, name="cluster_list"),
    path("cum-thi-dua/<int:pk>/", views.cluster_detail, name="cluster_detail"),
]
