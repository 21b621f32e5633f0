"""API resources for units and people, through the same access helpers and filters as the pages."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers, viewsets

from thidua.org.filters import PersonFilter, UnitFilter
from thidua.org.models import Person, Position, Unit
from thidua.org.permissions import visible_people, visible_units


class UnitSerializer(serializers.ModelSerializer[Unit]):
    class Meta:
        model = Unit
        fields = [
            "id",
            "code",
            "name",
            "short_name",
            "kind",
            "parent",
            "depth",
            "is_legal_entity",
            "province_code",
            "valid_from",
            "valid_to",
        ]


class PositionSerializer(serializers.ModelSerializer[Position]):
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = Position
        fields = ["unit", "unit_name", "title", "started_on", "ended_on"]


class PersonSerializer(serializers.ModelSerializer[Person]):
    current_unit_name = serializers.CharField(source="current_unit.name", read_only=True, default=None)

    class Meta:
        model = Person
        fields = [
            "id",
            "citizen_id",
            "full_name",
            "gender",
            "date_of_birth",
            "recruited_on",
            "current_unit",
            "current_unit_name",
            "current_title",
            "is_direct_worker",
            "ethnicity",
        ]


class PersonDetailSerializer(PersonSerializer):
    positions = PositionSerializer(many=True, read_only=True)

    class Meta(PersonSerializer.Meta):
        fields = [*PersonSerializer.Meta.fields, "positions"]


class UnitViewSet(viewsets.ReadOnlyModelViewSet[Unit]):
    """Units the caller may see."""

    serializer_class = UnitSerializer
    filterset_class = UnitFilter

    def get_queryset(self) -> Any:
        return visible_units(self.request.user).order_by("path")


class PersonViewSet(viewsets.ReadOnlyModelViewSet[Person]):
    """People the caller may see; `?q=` searches names without diacritics."""

    filterset_class = PersonFilter

    def get_serializer_class(self) -> Any:
        return PersonDetailSerializer if self.action == "retrieve" else PersonSerializer

    def get_queryset(self) -> Any:
        qs = visible_people(self.request.user).select_related("current_unit").vietnamese_order()
        if self.action == "retrieve":
            qs = qs.prefetch_related("positions__unit")
        return qs
