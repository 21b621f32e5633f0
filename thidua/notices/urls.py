from django.urls import path

from thidua.notices import views

app_name = "notices"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/", views.open_notice, name="open"),
    path("da-doc/", views.read_all, name="read_all"),
]
