from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from thidua.movements.api import MovementViewSet, RankingViewSet, RegistrationViewSet, ResultViewSet
from thidua.org.api import PersonViewSet, UnitViewSet

router = DefaultRouter()
router.register("units", UnitViewSet, basename="unit")
router.register("people", PersonViewSet, basename="person")
router.register("movements", MovementViewSet, basename="movement")
router.register("registrations", RegistrationViewSet, basename="registration")
router.register("results", ResultViewSet, basename="result")
router.register("rankings", RankingViewSet, basename="ranking")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include(router.urls)),
]
