"""Movement pages: list, create, edit, detail, lifecycle actions, documents, milestones, participants."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from thidua.accounts.models import User
from thidua.core.errors import DomainError
from thidua.core.listing import Column, Sorter
from thidua.core.uploads import content_type_of
from thidua.movements import services
from thidua.movements.filters import MovementFilter
from thidua.movements.forms import (
    DocumentForm,
    LeadsForm,
    MilestoneForm,
    MovementForm,
    ParticipantsForm,
    ReasonForm,
)
from thidua.movements.models import (
    Evidence,
    Movement,
    MovementDocument,
    participating_units,
)
from thidua.movements.permissions import (
    can_manage_movement,
    can_see_evidence,
    get_movement_for_user,
    get_result_for_user,
    reviewed_clusters,
    visible_movements,
    visible_rankings,
)
from thidua.movements.views.common import (
    MAIN_PERIODS,
    domain_call,
    form_errors,
    ranking_rows,
)
from thidua.org.permissions import WRITE_ROLES, get_unit_for_user, is_system_admin, scope_paths
from thidua.org.view_helpers import actor_of


# -- movements ------------------------------------------------------------------------------------
@login_required
def movement_list(request: HttpRequest) -> HttpResponse:
    """Movements by level, year, status and kind (the same FilterSet as the API list)."""
    base = visible_movements(request.user).select_related("launching_unit", "parent")
    movement_filter = MovementFilter(request.GET, queryset=base, request=request)
    sorter = Sorter(request, MOVEMENT_COLUMNS, default="-years")
    page = Paginator(sorter.apply(movement_filter.qs), 50).get_page(request.GET.get("page"))
    template = (
        "movements/partials/movement_rows.html"
        if request.headers.get("HX-Request")
        else "movements/movement_list.html"
    )
    can_create = is_system_admin(request.user) or bool(scope_paths(request.user, WRITE_ROLES))
    context = {
        "filter": movement_filter,
        "page": page,
        "can_create": can_create,
        "sorter": sorter,
        "reviews_clusters": can_create and reviewed_clusters(request.user).exists(),
    }
    return render(request, template, context)


MOVEMENT_COLUMNS = [
    Column("title", "Phong trào", ("title",)),
    Column("kind", "Hình thức", ("kind",)),
    Column("launcher", "Phát động", ("authority", "launching_unit__name")),
    Column("years", "Thời gian", ("start_year", "end_year")),
    Column("status", "Trạng thái", ("status",)),
]


@login_required
def movement_create(request: HttpRequest) -> HttpResponse:
    form = MovementForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit = data["launching_unit"]
        if unit is not None:
            get_unit_for_user(request.user, unit.pk, write=True)
        elif not request.user.is_superuser:
            raise PermissionDenied("Chỉ quản trị hệ thống tạo phong trào không gắn đơn vị phát động")
        try:
            movement = services.create_movement(actor=actor_of(request), **data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "Đã tạo phong trào (dự thảo)")
            for warning in _feed_warnings(movement):
                messages.warning(request, warning)
            return redirect("movements:detail", movement.pk)
    return render(
        request, "movements/movement_form.html", {"form": form, "feed_warnings": _form_feed_warnings(form)}
    )


def _feed_warnings(movement: Movement) -> list[str]:
    return services.movement_feed_warnings(
        kind=movement.kind,
        authority=movement.authority,
        start_year=movement.start_year,
        end_year=movement.end_year,
    )


def _int(raw: object) -> int | None:
    text = str(raw or "").strip()
    return int(text) if text.isdigit() and len(text) <= 4 else None


def _form_feed_warnings(form: MovementForm) -> list[str]:
    """The warnings for what the form holds now (typed values, before they are saved)."""
    data = form.data if form.is_bound else {}
    initial = form.instance if form.instance.pk else None
    kind = data.get("kind") or (initial.kind if initial else Movement.Kind.REGULAR)
    authority = data.get("authority") or (initial.authority if initial else "")
    start = _int(data.get("start_year")) if data else (initial.start_year if initial else None)
    end = _int(data.get("end_year")) if data else (initial.end_year if initial else None)
    if not authority:
        return []
    return services.movement_feed_warnings(kind=kind, authority=authority, start_year=start, end_year=end)


@login_required
@require_POST
def movement_feed_check(request: HttpRequest) -> HttpResponse:
    """htmx: the form's warning about what the movement can feed, redrawn as the fields change."""
    form = MovementForm(request.POST, user=request.user)
    return render(
        request, "movements/partials/feed_warnings.html", {"feed_warnings": _form_feed_warnings(form)}
    )


@login_required
def movement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    movement = get_movement_for_user(request.user, pk, write=True)
    form = MovementForm(request.POST or None, instance=movement, user=request.user)
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items()}
        movement.refresh_from_db()
        try:
            services.update_movement(actor=actor_of(request), movement=movement, **changes)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "Đã lưu phong trào")
            return redirect("movements:detail", movement.pk)
    context = {"form": form, "movement": movement, "feed_warnings": _form_feed_warnings(form)}
    return render(request, "movements/movement_form.html", context)


@login_required
def movement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    movement = get_movement_for_user(request.user, pk)
    manage = can_manage_movement(request.user, movement)
    context = {
        "movement": movement,
        "manage": manage,
        "actions": services.available_actions(movement) if manage else [],
        "documents": movement.documents.all(),
        "milestones": movement.milestones.all(),
        "participations": movement.participations.select_related("unit"),
        "participant_count": participating_units(movement).count(),
        "children": visible_movements(request.user).filter(parent=movement).select_related("launching_unit"),
        "tables": movement.scoring_tables.select_related("cluster"),
        "ranking_rows": ranking_rows(visible_rankings(request.user).filter(movement=movement)),
        "leads": movement.leads.select_related("unit"),
        "feed_warnings": _feed_warnings(movement),
        "years": list(reversed(movement.years())),
        "periods": MAIN_PERIODS,
        "document_form": DocumentForm(),
        "milestone_form": MilestoneForm(),
        "participants_form": ParticipantsForm(user=request.user),
        "reason_form": ReasonForm(),
        "leads_form": LeadsForm(movement=movement)
        if manage and movement.kind != Movement.Kind.REGULAR
        else None,
    }
    return render(request, "movements/movement_detail.html", context)


@login_required
@require_POST
def movement_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    movement = get_movement_for_user(request.user, pk, write=True)
    if action not in services.ACTIONS:
        raise Http404("Thao tác không hợp lệ")
    label = services.ACTIONS[action][1]
    domain_call(
        request,
        lambda: services.run_action(
            actor=actor_of(request), movement=movement, action=action, reason=request.POST.get("reason", "")
        ),
        f"Đã thực hiện: {label}",
    )
    return redirect("movements:detail", movement.pk)


@login_required
@require_POST
def movement_publicity(request: HttpRequest, pk: int) -> HttpResponse:
    """What the public site shows of the movement: the movement and the documents ticked."""
    movement = get_movement_for_user(request.user, pk, write=True)
    user = request.user
    assert isinstance(user, User)  # login_required
    try:
        chosen = [int(v) for v in request.POST.getlist("public_documents")]
    except ValueError:
        chosen = []
    domain_call(
        request,
        lambda: services.set_movement_publicity(
            actor=user,
            movement=movement,
            public=request.POST.get("is_public") == "on",
            public_documents=chosen,
        ),
        "Đã lưu lựa chọn công khai",
    )
    return redirect("movements:detail", movement.pk)


@login_required
@require_POST
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    movement = get_movement_for_user(request.user, pk, write=True)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        domain_call(
            request,
            lambda: services.add_movement_document(
                actor=actor_of(request), movement=movement, **form.cleaned_data
            ),
            "Đã thêm văn bản",
        )
    else:
        form_errors(request, form)
    return redirect("movements:detail", movement.pk)


@login_required
@require_POST
def milestone_add(request: HttpRequest, pk: int) -> HttpResponse:
    movement = get_movement_for_user(request.user, pk, write=True)
    form = MilestoneForm(request.POST)
    if form.is_valid():
        domain_call(
            request,
            lambda: services.add_milestone(actor=actor_of(request), movement=movement, **form.cleaned_data),
            "Đã thêm mốc thời gian",
        )
    else:
        form_errors(request, form)
    return redirect("movements:detail", movement.pk)


@login_required
@require_POST
def participants_add(request: HttpRequest, pk: int) -> HttpResponse:
    movement = get_movement_for_user(request.user, pk, write=True)
    form = ParticipantsForm(request.POST, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        domain_call(
            request,
            lambda: services.add_participants(
                actor=actor_of(request),
                movement=movement,
                units=[data["unit"]],
                include_subtree=data["include_subtree"],
                unit_kind=data["unit_kind"],
            ),
            "Đã thêm đơn vị tham gia",
        )
    else:
        form_errors(request, form)
    return redirect("movements:detail", movement.pk)


@login_required
def document_file(request: HttpRequest, pk: int) -> FileResponse:
    """A movement document's file, for whoever may see the movement (files are not served publicly)."""
    document = get_object_or_404(MovementDocument, pk=pk)
    get_movement_for_user(request.user, document.movement_id)
    if not document.file:
        raise Http404("Văn bản không có tệp đính kèm")
    name = document.file.name.rsplit("/", 1)[-1]
    return FileResponse(
        document.file.open("rb"), as_attachment=True, filename=name, content_type=content_type_of(name)
    )


@login_required
def evidence_file(request: HttpRequest, pk: int) -> FileResponse:
    """An evidence file: the unit, the levels above it and the reviewers, or whoever sees the result
    when the unit made it public (`can_see_evidence`)."""
    evidence = get_object_or_404(Evidence.objects.select_related("result__unit", "result__movement"), pk=pk)
    get_result_for_user(request.user, evidence.result_id)
    if not can_see_evidence(request.user, evidence):
        raise PermissionDenied("Minh chứng này chỉ đơn vị, cấp trên và người thẩm định được xem")
    name = evidence.file.name.rsplit("/", 1)[-1]
    return FileResponse(
        evidence.file.open("rb"), as_attachment=True, filename=name, content_type=content_type_of(name)
    )


@login_required
@require_POST
def leads_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the leading unit(s) of a thematic or ad-hoc movement for a year, at its review."""
    movement = get_movement_for_user(request.user, pk, write=True)
    form = LeadsForm(request.POST, movement=movement)
    if form.is_valid():
        leaders = [(unit, rank) for rank, unit in enumerate(form.cleaned_data["units"], start=1)]
        domain_call(
            request,
            lambda: services.record_movement_leads(
                actor=actor_of(request), movement=movement, year=form.cleaned_data["year"], leaders=leaders
            ),
            "Đã ghi nhận đơn vị dẫn đầu",
        )
    else:
        form_errors(request, form)
    return redirect("movements:detail", movement.pk)
