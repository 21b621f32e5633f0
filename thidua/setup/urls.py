from django.urls import path

from thidua.setup import views

app_name = "setup"
urlpatterns = [
    path("thiet-lap/", views.first_run, name="first_run"),
    path("thiet-lap/tuy-chon-quy-tac/", views.rule_options, name="rule_options"),
    path("bat-dau/", views.start, name="start"),
]
