"""Filters shared by the year-end API lists (and, later, the pages' exports)."""

from __future__ import annotations

import django_filters

from thidua.awards.models import Candidate, Decision, Dossier
from thidua.history.models import AwardRecord, Rating


class RatingFilter(django_filters.FilterSet):
    class Meta:
        model = Rating
        fields = ["year", "unit", "person", "value"]


class CandidateFilter(django_filters.FilterSet):
    class Meta:
        model = Candidate
        fields = ["year", "unit", "award_id", "status", "source"]


class DossierFilter(django_filters.FilterSet):
    class Meta:
        model = Dossier
        fields = ["year", "unit", "appraiser", "award_id", "status"]


class DecisionFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(field_name="dossier__year", label="Năm thành tích")

    class Meta:
        model = Decision
        fields = ["year", "unit"]


class AwardFilter(django_filters.FilterSet):
    class Meta:
        model = AwardRecord
        fields = ["year", "person", "unit", "award_id", "kind"]
