from django.urls import path

from thidua.eligibility import views

app_name = "eligibility"
urlpatterns = [
    path("quy-dinh/", views.rules_in_force, name="rules"),
    path("nhan-su/<int:pk>/", views.person_eligibility, name="person"),
    path("nhan-su/<int:pk>/luu/", views.person_eligibility_store, name="person_store"),
    path("don-vi/<int:pk>/", views.unit_candidates, name="unit"),
    path("don-vi/<int:pk>/xet-nen/", views.unit_candidates_job, name="unit_job"),
]
