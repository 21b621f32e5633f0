from django.urls import path

from thidua.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("khen-thuong/", views.awards, name="awards"),
    path("don-vi/", views.units, name="units"),
    path("ty-le/", views.shares, name="shares"),
    path("tien-thuong/", views.prize, name="prize"),
    path("phong-trao/", views.movements, name="movements"),
    path("tong-ket/", views.year_end, name="year_end"),
    path("bieu-mau/<slug:form_id>/", views.form_detail, name="form"),
    path("bieu-mau/<slug:form_id>/luu/", views.form_save, name="form_save"),
]
