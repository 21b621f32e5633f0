from django.urls import path

from thidua.history import views

app_name = "history"
urlpatterns = [
    path("bao-cao-thanh-tich/ca-nhan/<int:pk>/", views.person_report, name="person_report"),
    path("bao-cao-thanh-tich/tap-the/<int:pk>/", views.unit_report, name="unit_report"),
]
