"""Eligibility in the API: the same JSON shapes as the case contract (shared/cases/README.md)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from thidua.core.errors import DomainError
from thidua.eligibility import services
from thidua.eligibility.views import default_year
from thidua.org.permissions import get_person_for_user, get_unit_for_user
from thidua.org.privacy import can_see_personal_data, mask_citizen_id
from thidua.org.view_helpers import actor_of
from thidua.rules import CaseError, evaluate, parse_case
from thidua.rules.case import decode_json, format_value

YEAR = OpenApiParameter("year", OpenApiTypes.INT, description="Năm xét (mặc định: năm đang xét)")
AS_OF = OpenApiParameter(
    "as_of", OpenApiTypes.DATE, description="Ngày xét, chọn bộ quy tắc và mức lương cơ sở"
)


# Dates exactly as the case contract writes them: no ISO week or ordinal dates ("2025-W01-1"), which
# DRF's default ISO parser (date.fromisoformat) would take.
DAY_FORMAT = "%Y-%m-%d"


class SubjectQuery(serializers.Serializer[Any]):
    """`?year=&as_of=` of the person and unit answers: a year the rules cover, a real date."""

    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    as_of = serializers.DateField(required=False, input_formats=[DAY_FORMAT])

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        first = services.first_ruleset_day()
        year = attrs.get("year") or default_year(self.context.get("user"))
        as_of = attrs.get("as_of")
        if as_of is not None and not (first <= as_of <= date(2100, 12, 31)):
            raise serializers.ValidationError(
                {"as_of": f"Ngày xét phải từ {first:%d/%m/%Y} (ngày bộ quy tắc đầu tiên có hiệu lực)"}
            )
        if as_of is None and year < first.year:
            raise serializers.ValidationError(
                {"year": f"Năm xét phải từ {first.year} (năm bộ quy tắc đầu tiên có hiệu lực)"}
            )
        return {"year": year, "as_of": as_of}


class DayQuery(serializers.Serializer[Any]):
    date = serializers.DateField(required=False, input_formats=[DAY_FORMAT])


def _bad(message: str, fields: dict[str, Any] | None = None) -> Response:
    return Response(
        {"error": {"code": "invalid", "message": message, "fields": fields or {}}},
        status=status.HTTP_400_BAD_REQUEST,
    )


class CheckCaseView(APIView):
    """Evaluate a case file (the public case contract) without touching the database.

    The body is read as bytes and decoded by the contract's strict decoder (`decode_json`: UTF-8,
    no repeated keys, no NaN, no integer past 19 digits, nesting at most 16 levels) before
    `parse_case`, never by DRF's lenient JSON parser: malformed input is a 400 naming the field and
    the problem in Vietnamese, never a 500."""

    @extend_schema(request=OpenApiTypes.OBJECT, responses=OpenApiTypes.OBJECT)
    def post(self, request: Request) -> Response:
        try:
            case = parse_case(decode_json(request.body, "request"), source="request")
        except CaseError as exc:
            fields: dict[str, list[str]] = {}
            for path, value, message in exc.problems:
                shown = format_value(value)
                fields.setdefault(path or "(gốc)", []).append(f"{shown}: {message}" if shown else message)
            return _bad("Hồ sơ xét không hợp lệ", fields)
        return Response(evaluate(case).model_dump(mode="json"))


def _evaluated(request: Request, evaluate_subject: Callable[[int, date | None], dict[str, Any]]) -> Response:
    """Run one of the services for the query's `year` and `as_of` (a 400 names a bad one)."""
    query = SubjectQuery(data=request.query_params, context={"user": request.user})
    query.is_valid(raise_exception=True)
    return Response(evaluate_subject(query.validated_data["year"], query.validated_data["as_of"]))


class PersonEligibilityView(APIView):
    """A person's eligibility for a year, from their history in the database."""

    @extend_schema(parameters=[YEAR, AS_OF], responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, pk: int) -> Response:
        person = get_person_for_user(request.user, pk)
        full = can_see_personal_data(request.user, person)

        def evaluate(year: int, as_of: date | None) -> dict[str, Any]:
            result = services.evaluate_person(
                actor=actor_of(request), person=person, year=year, as_of=as_of, store=False
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
            lambda year, as_of: services.evaluate_unit(
                actor=actor_of(request), unit=unit, year=year, as_of=as_of, store=False
            ),
        )


class RulesInForceView(APIView):
    """The titles and forms in force on a date, with criteria, citations and confidence."""

    @extend_schema(parameters=[OpenApiParameter("date", OpenApiTypes.DATE)], responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        query = DayQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        day = query.validated_data.get("date") or date.today()
        try:
            ruleset, rows = services.rules_in_force(day, unit=services.organisation_unit(request.user))
        except DomainError as exc:
            raise DomainError(exc.message, field="date") from exc
        return Response(
            {
                "ruleset": ruleset.id,
                "name": ruleset.name_vi,
                "date": day.isoformat(),
                "base_salary_vnd": ruleset.base_salary_on(day),
                "settings": {
                    k: {
                        "value": ruleset.settings[k],
                        "label": s.label,
                        "value_label": services.setting_text(s, ruleset.settings[k]),
                        "confidence": s.confidence,
                        "description": s.description_vi,
                    }
                    for k, s in ruleset.settings_spec.items()
                },
                "items": rows,
            }
        )
