"""Filters of the year-end lists: one FilterSet per list serves its page, its .xlsx export and the API list.

Units are filtered with their subtree (`org.filters.subtree_filter`); titles and forms are chosen and
sorted by their Vietnamese name (`rules.names`), never by id.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import django_filters
from django import forms
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from thidua.awards.models import Candidate, Council, Decision, Dossier
from thidua.history.models import AwardRecord, Rating
from thidua.lib.text import fold
from thidua.org.filters import indent_unit_choices, subtree_filter
from thidua.rules.names import award_choices

YEARS: dict[str, Any] = {"min_value": 2000, "max_value": 2100, "decimal_places": 0}
"""A year filter refuses what is not a year (next to the field) rather than asking the database."""
YEAR_WIDGET = forms.NumberInput(attrs={"placeholder": "Mọi năm", "min": 2000, "max": 2100, "class": "year"})


def award_order(field: str = "award_id") -> Case:
    """An annotation that sorts rows by the Vietnamese name of their title or form (`field` holds the id)."""
    ids = [award_id for award_id, _ in sorted(award_choices(), key=lambda c: fold(c[1]))]
    return Case(
        *[When(**{field: award_id}, then=Value(index)) for index, award_id in enumerate(ids)],
        default=Value(len(ids)),
        output_field=IntegerField(),
    )


class _UnitSelects(django_filters.FilterSet):
    """The unit filters of the form shown as the project's unit choice (indented, read once)."""

    unit_fields: tuple[str, ...] = ("unit",)

    @property
    def form(self) -> Any:
        if not hasattr(self, "_form"):
            form = super().form
            for name in self.unit_fields:
                indent_unit_choices(form, name)
        return self._form


class RatingFilter(django_filters.FilterSet):
    class Meta:
        model = Rating
        fields = ["year", "unit", "person", "value"]


class CandidateFilter(_UnitSelects):
    """The candidate list and the API list: the proposing unit's year, title or form, status, source,
    and the person's unit or the collective (with its subtree)."""

    award_id = django_filters.ChoiceFilter(
        choices=award_choices, label="Danh hiệu / hình thức", empty_label="Mọi danh hiệu, hình thức"
    )
    status = django_filters.ChoiceFilter(
        choices=Candidate.Status.choices, label="Trạng thái", empty_label="Mọi trạng thái"
    )
    subject_unit = subtree_filter(label="Cá nhân, tập thể thuộc (kể cả trực thuộc)")

    unit_fields = ("subject_unit",)

    class Meta:
        model = Candidate
        fields = ["year", "unit", "award_id", "status", "source", "subject_unit"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["subject_unit"].method = self.filter_subject_unit  # type: ignore[attr-defined]

    def filter_subject_unit(
        self, queryset: QuerySet[Candidate], name: str, value: Any
    ) -> QuerySet[Candidate]:
        if value is None:
            return queryset
        return queryset.filter(
            Q(person__current_unit__path__startswith=value.path) | Q(collective__path__startswith=value.path)
        )


class CouncilFilter(_UnitSelects):
    """The councils page and the API list: name, unit (with its subtree), a year of the term, status."""

    class State:
        ACTIVE, ENDED, UPCOMING = "active", "ended", "upcoming"
        CHOICES = [(ACTIVE, "Đang trong nhiệm kỳ"), (ENDED, "Hết nhiệm kỳ"), (UPCOMING, "Chưa đến nhiệm kỳ")]

    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="Tên hội đồng")
    unit = subtree_filter()
    year = django_filters.NumberFilter(
        method="filter_year", label="Năm (trong nhiệm kỳ)", widget=YEAR_WIDGET, **YEARS
    )
    status = django_filters.ChoiceFilter(
        choices=State.CHOICES, method="filter_status", label="Trạng thái", empty_label="Mọi trạng thái"
    )

    class Meta:
        model = Council
        fields = ["q", "unit", "year", "status"]

    def filter_year(self, queryset: QuerySet[Council], name: str, value: Any) -> QuerySet[Council]:
        year = int(value)
        return queryset.filter(term_from__lte=date(year, 12, 31)).filter(
            Q(term_to__isnull=True) | Q(term_to__gte=date(year, 1, 1))
        )

    def filter_status(self, queryset: QuerySet[Council], name: str, value: str) -> QuerySet[Council]:
        today = date.today()
        if value == self.State.ENDED:
            return queryset.filter(term_to__lt=today)
        if value == self.State.UPCOMING:
            return queryset.filter(term_from__gt=today)
        return queryset.filter(term_from__lte=today).filter(Q(term_to__isnull=True) | Q(term_to__gte=today))


class DossierFilter(_UnitSelects):
    """The dossiers page, its .xlsx and the API list: the proposing unit (with its subtree), the level
    that appraises, year, title or form, status, and those past their appraisal deadline."""

    unit = subtree_filter(label="Đơn vị trình (kể cả trực thuộc)")
    appraiser = subtree_filter("appraiser__path", "Cấp thẩm định (kể cả trực thuộc)")
    year = django_filters.NumberFilter(label="Năm thành tích", widget=YEAR_WIDGET, **YEARS)
    award_id = django_filters.ChoiceFilter(
        choices=award_choices, label="Danh hiệu / hình thức", empty_label="Mọi danh hiệu, hình thức"
    )
    status = django_filters.ChoiceFilter(
        choices=Dossier.Status.choices, label="Trạng thái", empty_label="Mọi trạng thái"
    )
    overdue = django_filters.BooleanFilter(
        method="filter_overdue", label="Quá hạn thẩm định", widget=forms.CheckboxInput
    )

    unit_fields = ("unit", "appraiser")

    class Meta:
        model = Dossier
        fields = ["unit", "appraiser", "year", "award_id", "status", "overdue"]

    def filter_overdue(self, queryset: QuerySet[Dossier], name: str, value: bool | None) -> QuerySet[Dossier]:
        if not value:
            return queryset
        return queryset.filter(status=Dossier.Status.SUBMITTED, deadline__lt=date.today())


class DecisionFilter(_UnitSelects):
    """The decisions page, its .xlsx and the API list: the unit (with its subtree) that issued the decision
    or proposed it, the year of the achievements, status, number."""

    q = django_filters.CharFilter(field_name="number_symbol", lookup_expr="icontains", label="Số, ký hiệu")
    unit = subtree_filter(label="Đơn vị ban hành hoặc đề nghị (kể cả trực thuộc)")
    year = django_filters.NumberFilter(
        field_name="dossier__year", label="Năm thành tích", widget=YEAR_WIDGET, **YEARS
    )
    status = django_filters.ChoiceFilter(
        choices=Decision.Status.choices, label="Trạng thái", empty_label="Mọi trạng thái"
    )

    class Meta:
        model = Decision
        fields = ["q", "unit", "year", "status"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The unit filter looks at the issuing unit and the proposing one (a decision of the root about
        # a province is that province's too).
        self.filters["unit"].method = self.filter_unit  # type: ignore[attr-defined]

    def filter_unit(self, queryset: QuerySet[Decision], name: str, value: Any) -> QuerySet[Decision]:
        if value is None:
            return queryset
        return queryset.filter(
            Q(unit__path__startswith=value.path) | Q(dossier__unit__path__startswith=value.path)
        )


class AwardFilter(django_filters.FilterSet):
    class Meta:
        model = AwardRecord
        fields = ["year", "person", "unit", "award_id", "kind"]
