"""Eligibility in the API: the same JSON shapes as the case contract (shared/cases/README.md)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from thidua.eligibility import services
from thidua.eligibility.views import default_year
from thidua.org.permissions import get_person_for_user, get_unit_for_user
from thidua.org.privacy import can_see_personal_data, mask_citizen_id
from thidua.rules import CaseError, evaluate, parse_case

YEAR = OpenApiParameter("year", OpenApiTypes.INT, description="Năm xét (mặc định: năm đang xét)")
AS_OF = OpenApiParameter(
    "as_of", OpenApiTypes.DATE, description="Ngày xét, chọn bộ quy tắc và mức lương cơ sở"
)


def _year(request: Request) -> int:
    raw = request.query_params.get("year", "")
    return int(raw) if raw.isdigit() else default_year(request.user)


def _as_of(request: Request) -> date | None:
    raw = request.query_params.get("as_of", "")
    return date.fromisoformat(raw) if raw else None


def _bad(message: str, fields: dict[str, Any] | None = None) -> Response:
    return Response(
        {"error": {"code": "invalid", "message": message, "fields": fields or {}}},
        status=status.HTTP_400_BAD_REQUEST,
    )


class CheckCaseView(APIView):
    """Evaluate a case file (the public case contract) without touching the database."""

    @extend_schema(request=OpenApiTypes.OBJECT, responses=OpenApiTypes.OBJECT)
    def post(self, request: Request) -> Response:
        try:
            case = parse_case(request.data, source="request")
        except CaseError as exc:
            fields = {path: [f"{value}: {message}"] for path, value, message in exc.problems}
            return _bad("Hồ sơ xét không hợp lệ", fields)
        return Response(evaluate(case).model_dump(mode="json"))


def _evaluated(request: Request, evaluate_subject: Callable[[date | None], dict[str, Any]]) -> Response:
    """Run one of the services for the query's `as_of`, or answer 400 naming a malformed date."""
    try:
        as_of = _as_of(request)
    except ValueError:
        return _bad("as_of phải là ngày dạng YYYY-MM-DD", {"as_of": [request.query_params["as_of"]]})
    return Response(evaluate_subject(as_of))


class PersonEligibilityView(APIView):
    """A person's eligibility for a year, from their history in the database."""

    @extend_schema(parameters=[YEAR, AS_OF], responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, pk: int) -> Response:
        person = get_person_for_user(request.user, pk)
        full = can_see_personal_data(request.user, person)

        def evaluate(as_of: date | None) -> dict[str, Any]:
            result = services.evaluate_person(
                actor=request.user, person=person, year=_year(request), as_of=as_of, store=False
            )
            subject = result.get("subject")
            if not full and isinstance(subject, dict) and isinstance(subject.get("id"), str):
                # the engine names the case by citizen id: masked for who does not manage the person
                result["subject"] = subject | {"id": mask_citizen_id(subject["id"])}
            return result

        return _evaluated(request, evaluate)


class UnitEligibilityView(APIView):
    """A unit's eligibility as a collective (its members' records included)."""

    @extend_schema(parameters=[YEAR, AS_OF], responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, pk: int) -> Response:
        unit = get_unit_for_user(request.user, pk)
        return _evaluated(
            request,
            lambda as_of: services.evaluate_unit(
                actor=request.user, unit=unit, year=_year(request), as_of=as_of, store=False
            ),
        )


class RulesInForceView(APIView):
    """The titles and forms in force on a date, with criteria, citations and confidence."""

    @extend_schema(parameters=[OpenApiParameter("date", OpenApiTypes.DATE)], responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        raw = request.query_params.get("date", "")
        try:
            day = date.fromisoformat(raw) if raw else date.today()
        except ValueError:
            return _bad("date phải là ngày dạng YYYY-MM-DD", {"date": [raw]})
        ruleset, rows = services.rules_in_force(day)
        return Response(
            {
                "ruleset": ruleset.id,
                "name": ruleset.name_vi,
                "date": day.isoformat(),
                "base_salary_vnd": ruleset.base_salary_on(day),
                "settings": {
                    k: {
                        "value": ruleset.settings[k],
                        "confidence": s.confidence,
                        "description": s.description_vi,
                    }
                    for k, s in ruleset.settings_spec.items()
                },
                "items": rows,
            }
        )
