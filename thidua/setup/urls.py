from django.urls import path

from thidua.setup import views

app_name = "setup"
urlpatterns = [
    path("thiet-lap/", views.first_run, name="first_run"),
    path("thiet-lap/mau/<slug:slug>.<str:fmt>", views.first_run_template, name="first_run_template"),
    path("thiet-lap/to-chuc/", views.organisation_details, name="organisation"),
    path("thiet-lap/tuy-chon-quy-tac/", views.rule_options, name="rule_options"),
    path("thiet-lap/loai-don-vi/", views.kind_labels, name="kind_labels"),
    path("bat-dau/", views.start, name="start"),
]
