"""Year-end pages: thin views (access helper, form, service, redirect)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from thidua.awards import documents, services
from thidua.awards.filters import CandidateFilter
from thidua.awards.forms import (
    AddCandidateForm,
    AwardSettingsForm,
    CouncilForm,
    DecisionForm,
    MeetingForm,
    RatingImportForm,
    RemoveCandidateForm,
    ReturnDossierForm,
    RevokeForm,
    VersionForm,
)
from thidua.awards.models import (
    AwardSettings,
    Candidate,
    CouncilMember,
    Decision,
    DecisionAward,
    Dossier,
)
from thidua.awards.permissions import (
    get_award_for_user,
    get_candidate_for_user,
    get_council_for_user,
    get_decision_for_user,
    get_dossier_for_user,
    get_meeting_for_user,
    own_awards,
    own_candidacies,
    visible_councils,
    visible_dossiers,
)
from thidua.awards.services.common import root_of, settings_for
from thidua.awards.services.council import needs_council_vote, threshold_for
from thidua.awards.services.org_settings import quota_awards
from thidua.awards.services.ratings import (
    RatingImportError,
    count_people_in_subtree,
    people_of_year,
    rated_people,
)
from thidua.awards.voting import SHARES
from thidua.core.errors import DomainError
from thidua.core.http import download
from thidua.core.listing import Column as ListColumn
from thidua.core.listing import Sorter
from thidua.documents.jobs import start_job
from thidua.documents.models import Job
from thidua.documents.official import OfficialDocument
from thidua.eligibility.adapters import movement_sources
from thidua.eligibility.services import ruleset_on
from thidua.history.models import AwardRecord, ClosedRatingYear, Rating, RatingValue
from thidua.history.years import close_rating_year, year_under_review
from thidua.lib.text import fold
from thidua.movements.models import Registration
from thidua.org.heads import head_of
from thidua.org.models import Person, Unit, UnitQuerySet
from thidua.org.permissions import (
    WRITE_ROLES,
    can_change_unit,
    get_unit_for_user,
    is_system_admin,
    own_person_id,
    scope_paths,
    visible_units,
)
from thidua.org.view_helpers import actor_of
from thidua.rules.names import award_name

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


INLINE_PEOPLE = 300  # above this, proposing candidates runs as a background job with progress


def default_year(user: Any = None) -> int:
    """The year under review (the previous year until its ratings are closed)."""
    return year_under_review(user)


def _docx_response(doc: OfficialDocument | bytes, filename: str) -> HttpResponse:
    response = HttpResponse(doc if isinstance(doc, bytes) else documents.docx(doc), content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{filename}.docx"'
    return response


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The year-end hub: units the user runs, councils, dossiers, and their own file."""
    raw = request.GET.get("nam", "")
    year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else default_year(request.user)
    units = visible_units(request.user).filter(valid_to__isnull=True)
    if not is_system_admin(request.user):
        units = units.in_subtrees(scope_paths(request.user, WRITE_ROLES))
    context = {
        "year": year,
        "units": units.order_by("path")[:200],
        "council_count": visible_councils(request.user).count(),
        "dossier_counts": _dossier_counts(request.user, year),
        "tasks": services.pending_tasks(request.user, year),
        "this_year": date.today().year,
        "closed_years": set(
            ClosedRatingYear.objects.filter(unit__parent__isnull=True).values_list("year", flat=True)
        ),
    }
    return render(request, "awards/index.html", context)


def _dossier_counts(user: Any, year: int) -> list[tuple[str, str, int]]:
    """(status, label, count) of the year's dossiers the user sees, in the workflow's order."""
    counts = dict(
        visible_dossiers(user).filter(year=year).values_list("status").annotate(n=Count("id")).order_by()
    )
    return [
        (status, str(label), counts[status]) for status, label in Dossier.Status.choices if status in counts
    ]


@login_required
@require_POST
def ratings_close(request: HttpRequest, unit_pk: int) -> HttpResponse:
    """Close the ratings of a year for the organisation: the year-end pages then open on the next."""
    unit = get_unit_for_user(request.user, unit_pk, write=True)
    raw = request.POST.get("year", "")
    year = int(raw) if raw.isdigit() and len(raw) == 4 else 0
    try:
        close_rating_year(actor=actor_of(request), unit=unit, year=year)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Đã khóa sổ xếp loại năm {year}; các trang cuối năm mở năm {year + 1}.")
    return redirect("awards:index")


# -- ratings -------------------------------------------------------------------------------------
@login_required
def rating_grid(request: HttpRequest, unit_pk: int, year: int) -> HttpResponse:
    """People of a unit × rating select, the unit's own rating, the HTXS cap; POST saves."""
    unit = get_unit_for_user(request.user, unit_pk, write=request.method == "POST")
    people = rated_people(unit, year)
    if request.method == "POST":
        values = {p.pk: request.POST.get(f"r_{p.pk}", "") for p in people}
        try:
            cap = services.save_ratings(
                actor=actor_of(request),
                unit=unit,
                year=year,
                values=values,
                unit_value=request.POST.get("unit_value", ""),
                version=request.POST.get("version") or None,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "Đã lưu xếp loại.")
            if cap.over:
                messages.warning(request, f"Số HTXS vượt giới hạn: {cap.text}")
        return redirect("awards:rating_grid", unit_pk=unit.pk, year=year)

    ratings = dict(Rating.objects.filter(person__in=people, year=year).values_list("person_id", "value"))
    unit_rating = Rating.objects.filter(unit=unit, year=year).values_list("value", flat=True).first() or ""
    context = {
        "unit": unit,
        "year": year,
        "rows": [(p, ratings.get(p.pk, "")) for p in people],
        "grid_version": services.grid_version(unit, year, [p.pk for p in people]),
        "unit_rating": unit_rating,
        "choices": RatingValue.choices,
        "cap": services.htxs_cap(unit, year),
        "settings": settings_for(unit),
        "import_form": RatingImportForm(),
        "can_write": can_change_unit(request.user, unit),
    }
    return render(request, "awards/rating_grid.html", context)


@login_required
@require_POST
def rating_import(request: HttpRequest, unit_pk: int, year: int) -> HttpResponse:
    unit = get_unit_for_user(request.user, unit_pk, write=True)
    form = RatingImportForm(request.POST, request.FILES)
    problems: list[Any] = []
    if form.is_valid():
        try:
            cap = services.import_ratings(
                actor=actor_of(request), unit=unit, year=year, source=form.cleaned_data["file"]
            )
        except RatingImportError as exc:
            problems = exc.problems
            messages.error(request, exc.message)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "Đã nhập xếp loại từ tệp.")
            if cap.over:
                messages.warning(request, f"Số HTXS vượt giới hạn: {cap.text}")
            return redirect("awards:rating_grid", unit_pk=unit.pk, year=year)
    return render(
        request,
        "awards/rating_import_errors.html",
        {"unit": unit, "year": year, "problems": problems, "form": form},
        status=400,
    )


def _quota_rows(current: AwardSettings) -> list[tuple[str, str]]:
    """(id, name) of every title and form a quota can cap, and of any other one holding a quota."""
    rows = [(item.id, award_name(item.id)) for item in quota_awards()]
    known = {award_id for award_id, _ in rows}
    stored = current.quotas if isinstance(current.quotas, dict) else {}
    return rows + [(a, award_name(a)) for a in sorted(stored) if a not in known]


@login_required
def award_settings(request: HttpRequest, unit_pk: int) -> HttpResponse:
    """The organisation's year-end settings: a form for a writer of the top unit, the values in words
    for everyone else who sees the unit."""
    unit = get_unit_for_user(request.user, unit_pk)
    root = root_of(unit)
    current = settings_for(root)
    can_edit = can_change_unit(request.user, root)
    awards = _quota_rows(current)
    form = None
    if can_edit:
        form = AwardSettingsForm(request.POST or None, instance=current, awards=awards)
    elif request.method == "POST":
        raise PermissionDenied("Chỉ cán bộ thi đua cấp cao nhất được sửa thiết lập")
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.update_award_settings(
                actor=actor_of(request),
                root=root,
                quotas=form.quotas(),
                **{k: form.cleaned_data[k] for k in form.Meta.fields},
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Đã lưu thiết lập khen thưởng.")
            return redirect("awards:settings", unit_pk=unit.pk)
    stored = current.quotas if isinstance(current.quotas, dict) else {}
    quotas = [(award_id, name, stored[award_id]) for award_id, name in awards if award_id in stored]
    context = {
        "unit": unit,
        "root": root,
        "form": form,
        "can_edit": can_edit,
        "settings": current,
        "quotas": quotas,
    }
    return render(request, "awards/settings.html", context, status=400 if form and form.errors else 200)


# -- candidates ----------------------------------------------------------------------------------
def candidate_units(unit: Unit) -> UnitQuerySet:
    """The collectives a unit may propose by hand: itself and its active sub-units."""
    return Unit.objects.filter(Q(pk=unit.pk) | Q(parent=unit, valid_to__isnull=True))


@login_required
def candidate_list(request: HttpRequest, unit_pk: int, year: int) -> HttpResponse:
    unit = get_unit_for_user(request.user, unit_pk)
    qs = Candidate.objects.filter(unit=unit, year=year).select_related("person", "collective", "dossier")
    rows = list(qs.order_by("award_id", "id"))
    names = {c.award_id: award_name(c.award_id, on=date(year, 12, 31)) for c in rows}
    rs = ruleset_on(date(year, 12, 31), unit=unit)
    add_form = AddCandidateForm(
        awards=[(i.id, i.name_vi) for i in rs.items.values()],
        people=people_of_year(unit, year),
        units=candidate_units(unit),
        unit=unit,
    )
    collectives = [unit, *unit.children.filter(valid_to__isnull=True)]
    candidate_filter = CandidateFilter(request.GET, queryset=qs, request=request)
    candidate_filter.filters["subject_unit"].queryset = (  # type: ignore[attr-defined]
        Unit.objects.filter(path__startswith=unit.path, valid_to__isnull=True).order_by("path")
    )
    candidate_filter.form.fields["status"].choices = [  # deferred and waiting ones are listed apart
        (v, label) for v, label in candidate_filter.form.fields["status"].choices if v not in APART
    ]
    shown_ids = set(candidate_filter.qs.values_list("pk", flat=True))
    shown = [c for c in rows if c.pk in shown_ids]
    sorter = Sorter(request, _candidate_columns(names), default="award")
    context = {
        "sorter": sorter,
        "filter": candidate_filter,
        "unit": unit,
        "year": year,
        "sources": movement_sources(
            [u for u in collectives if u.pk in {c.collective_id for c in rows}], year=year
        ),
        "registered_missing": _registered_not_proposed(collectives, year, rows),
        "active": [(c, names[c.award_id]) for c in sorter.sort(shown) if c.status not in APART],
        "deferred": [(c, names[c.award_id]) for c in rows if c.status == Candidate.Status.DEFERRED],
        "waiting": [(c, names[c.award_id]) for c in rows if c.status == Candidate.Status.WAITING],
        "names": names,
        "quotas": [(q, names.get(q.award_id, q.award_id)) for q in services.quotas(unit, year)],
        # The threshold each title's ballot will apply (the one reading, as on the rules page).
        "thresholds": [
            (names[a], threshold_for(rs, a))
            for a in sorted({c.award_id for c in rows}, key=lambda a: fold(names[a]))
            if needs_council_vote(rs, a)
        ],
        "add_form": add_form,
        "remove_form": RemoveCandidateForm(),
        "can_write": can_change_unit(request.user, unit),
        "award_ids": sorted(
            {(c.award_id, names[c.award_id]) for c in rows if c.status == Candidate.Status.CONFIRMED}
        ),
        "meetings": [
            m for c in visible_councils(request.user).filter(unit=unit) for m in c.meetings.filter(year=year)
        ],
    }
    return render(request, "awards/candidate_list.html", context)


APART = (Candidate.Status.DEFERRED, Candidate.Status.WAITING)  # listed in their own sections


def _candidate_columns(names: dict[str, str]) -> list[ListColumn]:
    return [
        ListColumn("award", "Danh hiệu / hình thức", row_key=lambda c: (fold(names[c.award_id]), c.pk)),
        ListColumn("subject", "Cá nhân / tập thể", row_key=lambda c: fold(c.subject_name)),
        ListColumn("basis", "Căn cứ", row_key=lambda c: c.source),
        ListColumn("status", "Trạng thái", row_key=lambda c: c.status),
        ListColumn("vote", "Bỏ phiếu", row_key=lambda c: (c.vote_passed is None, c.vote_passed is False)),
    ]


def _registered_not_proposed(collectives: list[Any], year: int, rows: list[Candidate]) -> list[str]:
    """Collective titles registered for `year` (submitted or approved) that no candidate stands for."""
    proposed = {(c.award_id, c.collective_id) for c in rows if c.status != Candidate.Status.REMOVED}
    out = []
    registrations = Registration.objects.filter(
        year=year,
        unit__in=collectives,
        status__in=[Registration.Status.SUBMITTED, Registration.Status.APPROVED],
    ).select_related("unit", "movement")
    for reg in registrations:
        for item in reg.titles:
            if item.get("subject") == "unit" and (item.get("award"), reg.unit_id) not in proposed:
                out.append(
                    f"{reg.unit.name} đã đăng ký «{award_name(item.get('award', ''), on=date(year, 12, 31))}» "
                    f"(phong trào «{reg.movement.title}») nhưng chưa có trong danh sách đề nghị: "
                    "chưa đủ điều kiện hoặc chưa có căn cứ (xếp hạng cụm, dẫn đầu phong trào chưa công bố)."
                )
    return out


@login_required
@require_POST
def candidate_propose(request: HttpRequest, unit_pk: int, year: int) -> HttpResponse:
    """Run the engine over the unit: inline for a small unit, as a job with progress for a large one."""
    unit = get_unit_for_user(request.user, unit_pk, write=True)
    if count_people_in_subtree(unit, year) > INLINE_PEOPLE:
        back = reverse("awards:candidate_list", args=[unit.pk, year])
        job = start_job(
            actor=request.user,
            kind=Job.Kind.CANDIDATES_PROPOSE,
            params={"unit": unit.pk, "year": year, "back": back, "back_label": "Về danh sách đề nghị"},
            title=f"Xét tự động đề nghị khen thưởng năm {year} — {unit.name}",
            unit_path=unit.path,
        )
        return redirect("documents:job_detail", job.pk)
    try:
        s = services.propose_candidates(actor=actor_of(request), unit=unit, year=year)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            f"Đã xét theo bộ quy tắc {s.ruleset_id}: {s.proposed} đề xuất mới, {s.deferred} chưa xét, "
            f"{s.waiting} chờ quyết định danh hiệu thấp hơn, {s.kept} cập nhật.",
        )
        for problem in s.problems:
            messages.error(request, problem)
    return redirect("awards:candidate_list", unit_pk=unit.pk, year=year)


@login_required
@require_POST
def candidate_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = get_candidate_for_user(request.user, pk, write=True)
    try:
        services.confirm_candidate(actor=actor_of(request), candidate=candidate)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("awards:candidate_list", unit_pk=candidate.unit_id, year=candidate.year)


@login_required
@require_POST
def candidate_remove(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = get_candidate_for_user(request.user, pk, write=True)
    form = RemoveCandidateForm(request.POST)
    try:
        services.remove_candidate(
            actor=actor_of(request), candidate=candidate, reason=form.data.get("reason", "")
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("awards:candidate_list", unit_pk=candidate.unit_id, year=candidate.year)


@login_required
@require_POST
def candidate_add(request: HttpRequest, unit_pk: int, year: int) -> HttpResponse:
    unit = get_unit_for_user(request.user, unit_pk, write=True)
    rs = ruleset_on(date(year, 12, 31), unit=unit)
    form = AddCandidateForm(
        request.POST,
        awards=[(i.id, i.name_vi) for i in rs.items.values()],
        people=people_of_year(unit, year),
        units=candidate_units(unit),
        unit=unit,
    )
    if not form.is_valid():
        messages.error(request, "; ".join(str(e) for errs in form.errors.values() for e in errs))
    else:
        d = form.cleaned_data
        try:
            services.add_candidate(
                actor=actor_of(request),
                unit=unit,
                year=year,
                award_id=d["award_id"],
                justification=d["justification"],
                person=d["person"],
                collective=d["collective"],
            )
        except DomainError as exc:
            messages.error(request, exc.message)
    return redirect("awards:candidate_list", unit_pk=unit.pk, year=year)


# -- council -------------------------------------------------------------------------------------
def _other_agencies(unit: Any) -> Q:
    """People of the legal entities below `unit` (a province under the sector): they sit on their own
    unit's council, not on this one. The topmost such entities only, so the condition stays short."""
    below = (
        Unit.objects.filter(path__startswith=unit.path, is_legal_entity=True, valid_to__isnull=True)
        .exclude(pk=unit.pk)
        .order_by("path")
        .values_list("path", flat=True)
    )
    top: list[str] = []
    for path in below:
        if not any(path.startswith(t) for t in top):
            top.append(path)
    query = Q(pk__in=[])
    for path in top:
        query |= Q(current_unit__path__startswith=path)
    return query


@login_required
def council_create(request: HttpRequest, unit_pk: int) -> HttpResponse:
    unit = get_unit_for_user(request.user, unit_pk, write=True)
    people = (
        Person.objects.filter(current_unit__path__startswith=unit.path)
        .exclude(_other_agencies(unit))
        .in_service()
        .select_related("user")
    )
    form = CouncilForm(request.POST or None, people=people, unit=unit)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        roles = [(d["chair"], CouncilMember.Role.CHU_TICH), (d["secretary"], CouncilMember.Role.THU_KY)]
        roles += [(p, CouncilMember.Role.PHO_CHU_TICH) for p in d["vice_chairs"]]
        roles += [(p, CouncilMember.Role.UY_VIEN) for p in d["members"]]
        members = [(p, role, p.user) for p, role in roles]
        try:
            council = services.create_council(
                actor=actor_of(request),
                unit=unit,
                name=d["name"],
                term_from=d["term_from"],
                term_to=d["term_to"],
                members=members,
                vote_rule=d["vote_rule"],
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            return redirect("awards:council_detail", pk=council.pk)
    return render(request, "awards/council_form.html", {"unit": unit, "form": form})


@login_required
def council_detail(request: HttpRequest, pk: int) -> HttpResponse:
    council = get_council_for_user(request.user, pk)
    members = list(council.members.select_related("person").order_by("id"))
    form = MeetingForm(
        members=members, initial={"present": [m.pk for m in members], "year": default_year(request.user)}
    )
    if request.method == "POST":
        council = get_council_for_user(request.user, pk, write=True)
        form = MeetingForm(request.POST, members=members)
        if form.is_valid():
            d = form.cleaned_data
            try:
                meeting = services.hold_meeting(
                    actor=actor_of(request),
                    council=council,
                    year=d["year"],
                    held_on=d["held_on"],
                    place=d["place"],
                    present=[m for m in members if m.pk in d["present"]],
                )
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                return redirect("awards:meeting_detail", pk=meeting.pk)
    context = {
        "council": council,
        "members": members,
        "meetings": council.meetings.order_by("-held_on"),
        "form": form,
        "year": default_year(request.user),
        "can_write": can_change_unit(request.user, council.unit),
        "vote_rule": SHARES[council.vote_rule].label,
    }
    return render(request, "awards/council_detail.html", context)


# -- dossiers ------------------------------------------------------------------------------------
@login_required
@require_POST
def dossier_create(request: HttpRequest, unit_pk: int, year: int) -> HttpResponse:
    unit = get_unit_for_user(request.user, unit_pk, write=True)
    meeting = None
    if request.POST.get("meeting", "").isdigit():
        meeting = get_meeting_for_user(request.user, int(request.POST["meeting"]))
    try:
        dossier = services.create_dossier(
            actor=actor_of(request),
            unit=unit,
            year=year,
            award_id=request.POST.get("award_id", ""),
            meeting=meeting,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("awards:candidate_list", unit_pk=unit.pk, year=year)
    return redirect("awards:dossier_detail", pk=dossier.pk)


@login_required
def dossier_detail(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = get_dossier_for_user(request.user, pk)
    context = {
        "dossier": dossier,
        "name": award_name(dossier.award_id),
        "candidates": dossier.candidates.select_related("person__current_unit", "collective").order_by("id"),
        "can_submit": can_change_unit(request.user, dossier.unit)
        and dossier.status in (Dossier.Status.DRAFT, Dossier.Status.RETURNED),
        "can_appraise": services.can_appraise(request.user, dossier)
        and dossier.status == Dossier.Status.SUBMITTED,
        "can_decide": services.can_decide(request.user, dossier),
        "route": services.dossier_route(dossier),
        "decision": getattr(dossier, "decision", None) if dossier.status == Dossier.Status.DECIDED else None,
        "documents": [(slug, label) for slug, (label, _) in documents.DOSSIER_DOCUMENTS.items()],
        "return_form": ReturnDossierForm(initial={"version": dossier.version}),
        "decision_form": DecisionForm(initial=_decision_initial(dossier)),
    }
    return render(request, "awards/dossier_detail.html", context)


def _decision_initial(dossier: Dossier) -> dict[str, Any]:
    """The decision form starts with today and the issuing unit's head as recorded in its positions
    (the clerk corrects them for a deputy signing KT.)."""
    issuer = dossier.unit if dossier.status == Dossier.Status.DRAFT else dossier.appraiser
    head = head_of(issuer) if issuer is not None else None
    initial: dict[str, Any] = {"version": dossier.version, "signed_on": date.today()}
    if head is not None:
        initial |= {"signer_name": head.name, "signer_title": head.title}
    return initial


@login_required
def dossier_document(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    dossier = get_dossier_for_user(request.user, pk)
    if slug == "bien-ban":
        if dossier.meeting is None:
            messages.error(request, "Hồ sơ này không có phiên họp hội đồng")
            return redirect("awards:dossier_detail", pk=dossier.pk)
        return _docx_response(documents.minutes_docx(dossier.meeting), f"bien-ban-{dossier.pk}")
    if slug not in documents.DOSSIER_DOCUMENTS:
        raise PermissionDenied("Không có tài liệu này")
    return _docx_response(documents.dossier_docx(slug, dossier), f"{slug}-{dossier.pk}")


def _version(request: HttpRequest) -> int:
    form = VersionForm(request.POST)
    if not form.is_valid():
        raise DomainError("Thiếu phiên bản hồ sơ; hãy tải lại trang")
    return int(form.cleaned_data["version"])


@login_required
@require_POST
def dossier_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """submit | return | appraise | decide, each through its service with the version posted."""
    dossier = get_dossier_for_user(request.user, pk, write=True)
    try:
        version = _version(request)
        if action == "submit":
            services.submit_dossier(actor=actor_of(request), dossier=dossier, version=version)
        elif action == "return":
            services.return_dossier(
                actor=actor_of(request),
                dossier=dossier,
                version=version,
                reason=request.POST.get("reason", ""),
            )
        elif action == "appraise":
            verdicts = {
                c.pk: (request.POST.get(f"a_{c.pk}") == "accept", request.POST.get(f"n_{c.pk}", ""))
                for c in dossier.candidates.all()
            }
            services.appraise_dossier(
                actor=actor_of(request), dossier=dossier, version=version, verdicts=verdicts
            )
        elif action == "decide":
            form = DecisionForm(request.POST)
            if not form.is_valid():
                raise DomainError("; ".join(str(e) for errs in form.errors.values() for e in errs))
            d = form.cleaned_data
            decision = services.issue_decision(
                actor=actor_of(request),
                dossier=dossier,
                version=version,
                signed_on=d["signed_on"],
                signer_name=d["signer_name"],
                signer_title=d["signer_title"],
                signing_form=d["signing_form"],
                recipients=d["recipients"],
            )
            return redirect("awards:decision_detail", pk=decision.pk)
        else:
            raise PermissionDenied("Không có thao tác này")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("awards:dossier_detail", pk=dossier.pk)


# -- decisions, revocation, own file -------------------------------------------------------------
@login_required
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_decision_for_user(request.user, pk)
    context = {
        "decision": decision,
        "name": award_name(decision.dossier.award_id),
        "awards": decision.awards.select_related("person__current_unit", "unit").order_by("id"),
        "totals": services.prize_totals(decision),
        "can_revoke": can_change_unit(request.user, decision.unit),
    }
    return render(request, "awards/decision_detail.html", context)


INLINE_DECISION_LIMIT = 1000
"""Above this many awards a decision's .docx and certificates are built as a job with progress."""


def _decision_job(request: HttpRequest, decision: Decision, kind: str) -> HttpResponse | None:
    """A job for a large decision (None for a small one, built in the request)."""
    if decision.awards.count() <= INLINE_DECISION_LIMIT:
        return None
    job = services.start_decision_job(actor=actor_of(request), decision=decision, kind=kind)
    return redirect("documents:job_detail", pk=job.pk)


@login_required
def decision_docx(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_decision_for_user(request.user, pk)
    job = _decision_job(request, decision, Job.Kind.DECISION_DOCX)
    if job is not None:
        return job
    return _docx_response(documents.decision_docx(decision), f"quyet-dinh-{decision.pk}")


@login_required
def decision_certificates(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_decision_for_user(request.user, pk)
    job = _decision_job(request, decision, Job.Kind.CERTIFICATES_PDF)
    if job is not None:
        return job
    try:
        content = documents.certificates_pdf(decision)
    except ValueError as exc:
        messages.error(request, str(exc))
        return redirect("awards:decision_detail", pk=decision.pk)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="chung-nhan-{decision.pk}.pdf"'
    return response


@login_required
def decision_prize_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The prize list for the accountant (.xlsx): recipients, amounts, total, signatures."""
    decision = get_decision_for_user(request.user, pk)
    if decision.status != Decision.Status.ISSUED:
        raise Http404("Quyết định chưa ban hành")
    return download(documents.prize_list_xlsx(decision), f"danh-sach-chi-thuong-{decision.pk}.xlsx")


def _own_decided_award(request: HttpRequest, pk: int) -> tuple[AwardRecord, Decision]:
    """One of the user's own awards granted by an issued decision of this system (404 otherwise:
    someone else's award, or one recorded from elsewhere, whose papers were printed where it was decided)."""
    award = own_awards(request.user).select_related("person__current_unit").filter(pk=pk).first()
    link = (
        DecisionAward.objects.select_related("decision__unit", "decision__dossier", "decision__entry")
        .filter(award=award, decision__status=Decision.Status.ISSUED)
        .first()
        if award is not None
        else None
    )
    if award is None or link is None:
        raise Http404("Không tìm thấy quyết định khen thưởng của bạn")
    return award, link.decision


@login_required
def my_extract(request: HttpRequest, pk: int) -> HttpResponse:
    """The staff member's own extract of the decision that granted them an award (.docx)."""
    award, decision = _own_decided_award(request, pk)
    return download(documents.extract_docx(decision, award), f"trich-quyet-dinh-{decision.pk}.docx")


@login_required
def my_certificate(request: HttpRequest, pk: int) -> HttpResponse:
    """The staff member's own certificate (PDF on the organisation's blank layout); none once revoked."""
    award, decision = _own_decided_award(request, pk)
    if award.revoked_on is not None:
        raise Http404("Khen thưởng đã bị thu hồi")
    return download(documents.certificates_pdf(decision, only=award), f"giay-chung-nhan-{award.pk}.pdf")


@login_required
def award_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    award = get_award_for_user(request.user, pk, write=True)
    form = RevokeForm(request.POST or None, initial={"revoked_on": date.today()})
    recovery = services.recovery_for(award)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.revoke_award(
                actor=actor_of(request),
                award=award,
                clause=d["clause"],
                revoked_on=d["revoked_on"],
                decision_number=d["decision_number"],
                note=d["note"],
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, "Đã hủy bỏ khen thưởng; cần thu hồi hiện vật và tiền thưởng đã liệt kê."
            )
            link = DecisionAward.objects.filter(award=award).first()
            if link is not None:
                return redirect("awards:decision_detail", pk=link.decision_id)
            return redirect("awards:my_file")
    context = {"award": award, "form": form, "recovery": recovery, "name": award_name(award.award_id)}
    return render(request, "awards/award_revoke.html", context)


@login_required
def my_file(request: HttpRequest) -> HttpResponse:
    """The staff member's own file: every award with its decision, and where their candidacies are."""
    awards = list(own_awards(request.user).order_by("-year", "-decided_on"))
    candidacies = list(
        own_candidacies(request.user).select_related("dossier", "unit").order_by("-year", "award_id")
    )
    papers = set(
        DecisionAward.objects.filter(
            award__in=[a.pk for a in awards], decision__status=Decision.Status.ISSUED
        ).values_list("award_id", flat=True)
    )
    context = {
        "awards": [(a, award_name(a.award_id), a.pk in papers) for a in awards],
        "candidacies": [(c, award_name(c.award_id)) for c in candidacies],
        "has_person": own_person_id(request.user) is not None,
    }
    return render(request, "awards/my_file.html", context)
