"""Managing clusters and blocks: create, edit, add and remove members, copy last year's with a preview."""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from thidua.lib.dates import review_year
from thidua.org import forms as f
from thidua.org import services
from thidua.org.models import Cluster, Unit
from thidua.org.permissions import can_change_unit, get_cluster_for_user, manageable_units
from thidua.org.services.common import stamp
from thidua.org.view_helpers import actor_of, page, require_manager, run


def _cluster_to_change(request: HttpRequest, pk: int) -> Cluster:
    cluster = get_cluster_for_user(request.user, pk)
    if not can_change_unit(request.user, cluster.organiser_unit):
        raise PermissionDenied("Bạn không có quyền sửa cụm, khối thi đua này")
    return cluster


def _default_organiser(user: object) -> Unit | None:
    return manageable_units(user).filter(valid_to__isnull=True).order_by("depth", "path").first()


@login_required
def cluster_create(request: HttpRequest) -> HttpResponse:
    require_manager(request.user)
    text = request.POST.get("year") or request.GET.get("nam", "")
    year = int(text) if text.isdigit() and 2000 <= int(text) <= 2100 else review_year() + 1
    form = f.ClusterForm(
        request.POST or None,
        user=request.user,
        year=year,
        initial={"year": year, "organiser_unit": _default_organiser(request.user)},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        cluster = run(
            form,
            lambda: services.create_cluster(
                actor=actor_of(request),
                name=d["name"],
                year=d["year"],
                organiser_unit=d["organiser_unit"],
                members=list(d["members"]),
                head_unit=d["head_unit"],
                kind=d["kind"],
                organiser=d["organiser"],
            ),
        )
        if cluster is not None:
            messages.success(request, f"Đã tạo {cluster.name} năm {cluster.year}.")
            return redirect("org:cluster_detail", pk=cluster.pk)
    context = page(
        f"Tạo cụm, khối thi đua năm {year}",
        form,
        "Tạo",
        crumbs=[(reverse("org:cluster_list") + f"?year={year}", "Cụm, khối thi đua")],
        intro=(
            f"Đơn vị thành viên là các đơn vị còn hoạt động trong năm {year}. Để tạo cho năm khác, "
            "đổi năm trên địa chỉ trang (?nam=…) hoặc sao chép từ năm trước."
        ),
        cancel_url=reverse("org:cluster_list"),
    )
    return render(request, "org/form_page.html", context)


@login_required
def cluster_edit(request: HttpRequest, pk: int) -> HttpResponse:
    cluster = _cluster_to_change(request, pk)
    initial = {
        "kind": cluster.kind,
        "name": cluster.name,
        "organiser": cluster.organiser,
        "head_unit": cluster.head_unit_id,
        "version": stamp(cluster),
    }
    form = f.ClusterEditForm(request.POST or None, cluster=cluster, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        head = Unit.objects.filter(pk=d["head_unit"]).first() if d["head_unit"] else None
        if run(
            form,
            lambda: services.update_cluster(
                actor=actor_of(request),
                cluster=cluster,
                version=d["version"],
                name=d["name"],
                kind=d["kind"],
                organiser=d["organiser"],
                head_unit=head,
            ),
        ):
            messages.success(request, "Đã lưu.")
            return redirect("org:cluster_detail", pk=pk)
    context = page(
        f"Sửa {cluster.name} ({cluster.year})",
        form,
        "Lưu",
        crumbs=[
            (reverse("org:cluster_list") + f"?year={cluster.year}", "Cụm, khối thi đua"),
            (reverse("org:cluster_detail", args=[pk]), cluster.name),
        ],
        cancel_url=reverse("org:cluster_detail", args=[pk]),
    )
    return render(request, "org/form_page.html", context)


@login_required
@require_POST
def cluster_add_members(request: HttpRequest, pk: int) -> HttpResponse:
    cluster = _cluster_to_change(request, pk)
    form = f.AddMembersForm(request.POST, user=request.user, cluster=cluster)
    if form.is_valid():
        run(
            form,
            lambda: services.add_cluster_members(
                actor=actor_of(request),
                cluster=cluster,
                units=list(form.cleaned_data["units"]),
            ),
        )
    if form.errors:
        messages.error(request, "; ".join(str(e) for errors in form.errors.values() for e in errors))
    else:
        messages.success(request, "Đã thêm đơn vị thành viên.")
    return redirect("org:cluster_detail", pk=pk)


@login_required
@require_POST
def cluster_remove_member(request: HttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    cluster = _cluster_to_change(request, pk)
    unit = Unit.objects.filter(pk=unit_pk, cluster_memberships__cluster=cluster).first()
    form = forms.Form()
    if unit is None:
        messages.error(request, "Đơn vị này không phải thành viên của cụm, khối")
    elif (
        run(
            form,
            lambda: services.remove_cluster_member(actor=actor_of(request), cluster=cluster, unit=unit),
        )
        is None
        and form.errors
    ):
        messages.error(request, "; ".join(str(e) for e in form.non_field_errors()))
    else:
        messages.success(request, f"Đã bỏ {unit.name} khỏi {cluster.name}.")
    return redirect("org:cluster_detail", pk=pk)


@login_required
def cluster_copy(request: HttpRequest) -> HttpResponse:
    """Copy a year's clusters to another: the plan (with every change from mergers) first, then confirm."""
    require_manager(request.user)
    year = review_year()
    form = f.CopyClustersForm(
        request.POST or None,
        user=request.user,
        initial={"organiser_unit": _default_organiser(request.user), "from_year": year, "to_year": year + 1},
    )
    plan = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        plan = run(
            form, lambda: services.plan_cluster_copy(d["organiser_unit"], d["from_year"], d["to_year"])
        )
        if plan is not None and request.POST.get("confirm") == "1":
            created = run(
                form,
                lambda: services.copy_clusters(
                    actor=actor_of(request),
                    organiser_unit=d["organiser_unit"],
                    from_year=d["from_year"],
                    to_year=d["to_year"],
                    fingerprint=request.POST.get("fingerprint", ""),
                ),
            )
            if created is not None:
                messages.success(request, f"Đã tạo {len(created)} cụm, khối năm {d['to_year']}.")
                return redirect(reverse("org:cluster_list") + f"?year={d['to_year']}")
            plan = services.plan_cluster_copy(d["organiser_unit"], d["from_year"], d["to_year"])
    return render(request, "org/cluster_copy.html", {"form": form, "plan": plan, "today": date.today()})
