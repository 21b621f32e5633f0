from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from thidua.api.routers import NumericIdRouter
from thidua.awards.api import (
    AwardViewSet,
    CandidateViewSet,
    DecisionViewSet,
    DossierViewSet,
    RatingViewSet,
)
from thidua.awards.ballot_api import BallotViewSet, CouncilViewSet, MeetingViewSet
from thidua.documents.api import JobViewSet
from thidua.eligibility import api as eligibility_api
from thidua.movements.api import MovementViewSet, RankingViewSet, RegistrationViewSet, ResultViewSet
from thidua.org.api import AccountViewSet, ClusterViewSet, PersonViewSet, RoleViewSet, UnitViewSet

router = NumericIdRouter()
router.register("units", UnitViewSet, basename="unit")
router.register("people", PersonViewSet, basename="person")
router.register("accounts", AccountViewSet, basename="account")
router.register("roles", RoleViewSet, basename="role")
router.register("clusters", ClusterViewSet, basename="cluster")
router.register("jobs", JobViewSet, basename="job")
router.register("movements", MovementViewSet, basename="movement")
router.register("registrations", RegistrationViewSet, basename="registration")
router.register("results", ResultViewSet, basename="result")
router.register("rankings", RankingViewSet, basename="ranking")
router.register("ratings", RatingViewSet, basename="rating")
router.register("candidates", CandidateViewSet, basename="candidate")
router.register("councils", CouncilViewSet, basename="council")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("ballots", BallotViewSet, basename="ballot")
router.register("dossiers", DossierViewSet, basename="dossier")
router.register("decisions", DecisionViewSet, basename="decision")
router.register("awards", AwardViewSet, basename="award")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file: no inline script (Content-Security-Policy).
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="api/swagger_ui.html"),
        name="api-docs",
    ),
    path("eligibility/check/", eligibility_api.CheckCaseView.as_view(), name="eligibility-check"),
    path("eligibility/rules/", eligibility_api.RulesInForceView.as_view(), name="eligibility-rules"),
    path(
        "eligibility/people/<int:pk>/",
        eligibility_api.PersonEligibilityView.as_view(),
        name="eligibility-person",
    ),
    path(
        "eligibility/units/<int:pk>/", eligibility_api.UnitEligibilityView.as_view(), name="eligibility-unit"
    ),
    path("", include(router.urls)),
]
