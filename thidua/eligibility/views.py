from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from thidua.core.errors import DomainError
from thidua.core.paging import bounded_count, paginate
from thidua.documents.jobs import start_job
from thidua.documents.models import Job
from thidua.eligibility import services
from thidua.history.years import year_under_review
from thidua.org.models import Person, PersonQuerySet, Unit
from thidua.org.permissions import (
    can_change_person,
    get_person_for_user,
    get_unit_for_user,
    visible_people,
)
from thidua.org.view_helpers import actor_of
from thidua.rules import list_rulesets

default_year = year_under_review


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("nam") or request.POST.get("nam") or ""
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    return default_year(request.user)


def _day(request: HttpRequest) -> date:
    raw = request.GET.get("ngay", "")
    try:
        return date.fromisoformat(raw) if raw else date.today()
    except ValueError:
        messages.error(
            request, f"Ngày '{raw}' không hợp lệ (định dạng YYYY-MM-DD); đang hiển thị quy định hôm nay."
        )
        return date.today()


@login_required
def rules_in_force(request: HttpRequest) -> HttpResponse:
    """The titles and forms in force on a date, with criteria, citations and confidence marks."""
    day = _day(request)
    unit = services.organisation_unit(request.user)
    try:
        ruleset, rows = services.rules_in_force(day, unit=unit)
    except DomainError as exc:
        messages.error(request, f"{exc.message}; đang hiển thị quy định hôm nay.")
        day = date.today()
        ruleset, rows = services.rules_in_force(day, unit=unit)
    settings_rows = [
        {
            "spec": spec,
            "value": ruleset.settings[key],
            "shown": services.setting_text(spec, ruleset.settings[key]),
        }
        for key, spec in ruleset.settings_spec.items()
    ]
    context = {
        "organisation_unit": unit,
        "day": day,
        "ruleset": ruleset,
        "rows": rows,
        "settings_rows": settings_rows,
        "rulesets": list_rulesets(),
        "salary": ruleset.base_salary_on(day),
        "confidence_labels": services.CONFIDENCE_LABELS,
    }
    return render(request, "eligibility/rules_in_force.html", context)


@login_required
def person_eligibility(request: HttpRequest, pk: int) -> HttpResponse:
    """A person's eligibility for the year: verdicts, reasons with citations, what is missing, next year."""
    person = get_person_for_user(request.user, pk)
    year = _year(request)
    shown: dict[str, object] = {}
    try:
        result = services.evaluate_person(actor=actor_of(request), person=person, year=year, store=False)
        shown = services.readable(result, unit=person.current_unit)
        shown["as_of"] = date.fromisoformat(result["as_of"])
    except DomainError as exc:
        result, error = None, exc.message
    else:
        error = ""
    template = (
        "eligibility/partials/person_result.html"
        if request.headers.get("HX-Request")
        else "eligibility/person.html"
    )
    context = {
        "person": person,
        "year": year,
        "result": result,
        "shown": shown,
        "error": error,
        "verdict_labels": services.VERDICT_LABELS,
        "can_store": can_change_person(request.user, person) and result is not None,
    }
    return render(request, template, context)


@login_required
@require_POST
def person_eligibility_store(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request.user, pk, write=True)
    year = _year(request)
    try:
        services.evaluate_person(actor=actor_of(request), person=person, year=year, store=True)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Đã lưu kết quả xét năm {year} cho {person.full_name}.")
    return redirect(f"{request.path.rsplit('luu/', 1)[0]}?nam={year}")


INLINE_PEOPLE = 300  # above this a unit's evaluation runs as a job (measured: ~0,4 s per 200 people)


@login_required
@require_POST
def unit_candidates_job(request: HttpRequest, pk: int) -> HttpResponse:
    """Start the evaluation of the unit's people as a background job and show its progress."""
    unit = get_unit_for_user(request.user, pk)
    year = _year(request)
    back = f"{reverse('eligibility:unit', args=[unit.pk])}?nam={year}"
    job = start_job(
        actor=request.user,
        kind=Job.Kind.ELIGIBILITY_XLSX,
        params={"unit": unit.pk, "year": year, "back": back, "back_label": f"Về trang xét của {unit.name}"},
        title=f"Xét điều kiện khen thưởng năm {year} — {unit.name}",
        unit_path=unit.path,
    )
    return redirect("documents:job_detail", job.pk)


SUMMARY_PER_PAGE = 50  # a large unit's page evaluates this many people inline, page by page


@login_required
def unit_candidates(request: HttpRequest, pk: int) -> HttpResponse:
    """Candidates for each individual title among the unit's people (its subtree), and the unit itself.

    Up to INLINE_PEOPLE people everything is evaluated at once. A larger unit (a province, the whole
    organisation) gets a summary: its people page by page (SUMMARY_PER_PAGE, Vietnamese order, never
    counted past `thidua.core.paging.COUNT_CAP`), each page evaluated as it is read, and the full
    evaluation as a background job (`unit_candidates_job`)."""
    unit = get_unit_for_user(request.user, pk)
    year = _year(request)
    in_subtree = visible_people(request.user).filter(
        pk__in=Person.objects.of_unit(unit, year, reach="subtree").values("pk")
    )
    counted = bounded_count(in_subtree)  # once, for the choice here and the summary's paging
    if counted[1] or counted[0] > INLINE_PEOPLE:
        return _large_unit_summary(request, unit, year, in_subtree, counted)
    people = list(in_subtree.select_related("current_unit").order_by("sort_key"))
    titles = services.unit_candidates(unit, year=year, people=people)
    try:
        collective = services.evaluate_unit(actor=actor_of(request), unit=unit, year=year, store=False)
        collective_shown = services.readable(collective, unit=unit)
        collective_error = ""
    except DomainError as exc:
        collective, collective_shown, collective_error = None, {}, exc.message
    context = {
        "unit": unit,
        "year": year,
        "titles": titles,
        "collective": collective,
        "collective_shown": collective_shown,
        "collective_error": collective_error,
        "people_count": len(people),
        "verdict_labels": services.VERDICT_LABELS,
    }
    return render(request, "eligibility/unit_candidates.html", context)


def _large_unit_summary(
    request: HttpRequest, unit: Unit, year: int, in_subtree: PersonQuerySet, counted: tuple[int, bool]
) -> HttpResponse:
    """One page of a large unit's people with their verdicts, and the button of the full job."""
    ordered = in_subtree.select_related("current_unit").order_by("sort_key", "id")
    page = paginate(ordered, request.GET.get("trang"), SUMMARY_PER_PAGE, counted=counted)
    titles = services.unit_candidates(unit, year=year, people=list(page))
    verdicts: dict[int, dict[str, list[str]]] = {p.pk: {"eligible": [], "deferred": []} for p in page}
    for title in titles:
        for row in title.eligible:
            verdicts[row.person.pk]["eligible"].append(title.name)
        for row in title.deferred:
            verdicts[row.person.pk]["deferred"].append(title.name)
    invalid = dict((p.pk, message) for p, message in (titles[0].invalid if titles else []))
    not_considered = {p.pk for p in (titles[0].not_considered if titles else [])}
    rows = [
        {
            "person": p,
            "eligible": verdicts[p.pk]["eligible"],
            "deferred": verdicts[p.pk]["deferred"],
            "invalid": invalid.get(p.pk, ""),
            "not_considered": p.pk in not_considered,
        }
        for p in page
    ]
    context = {
        "unit": unit,
        "year": year,
        "too_many": True,
        "page": page,
        "rows": rows,
        "title_counts": [(t.name, len(t.eligible), len(t.deferred)) for t in titles],
    }
    return render(request, "eligibility/unit_candidates.html", context)
