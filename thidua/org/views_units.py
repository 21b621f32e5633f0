"""Managing units: create under a parent, edit, rename, move, merge, split, dissolve (with a preview).

Pages are thin: a form reads the input, `thidua.org.services` checks the permission and writes. A
reorganisation is two steps: "Xem trước" shows what would move (people, sub-units, roles, cluster
seats, open dossiers); "Xác nhận" does it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from thidua.org import forms as f
from thidua.org import services
from thidua.org.models import Unit
from thidua.org.permissions import get_unit_for_user
from thidua.org.services.common import stamp
from thidua.org.view_helpers import actor_of, page, require_manager, run, unit_crumbs


@login_required
def unit_create(request: HttpRequest) -> HttpResponse:
    require_manager(request.user)
    parent_id = request.GET.get("cap-tren", "")
    parent = get_unit_for_user(request.user, int(parent_id), write=True) if parent_id.isdigit() else None
    form = f.UnitCreateForm(request.POST or None, user=request.user, initial={"parent": parent})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        fields = {k: d[k] for k in services.units.EDITABLE_FIELDS}
        unit = run(
            form,
            lambda: services.create_unit(
                actor=actor_of(request), code=d["code"], name=d["name"], parent=d["parent"], **fields
            ),
        )
        if unit is not None:
            messages.success(request, f"Đã tạo đơn vị {unit.name}.")
            return redirect("org:unit_detail", pk=unit.pk)
    context = page(
        "Thêm đơn vị",
        form,
        "Tạo đơn vị",
        crumbs=unit_crumbs(parent),
        intro="Vị trí của đơn vị trong cây do đơn vị cấp trên quyết định; mã đơn vị không đổi được về sau.",
        cancel_url=reverse("org:unit_detail", args=[parent.pk]) if parent else reverse("org:unit_tree"),
    )
    return render(request, "org/form_page.html", context)


@login_required
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_unit_for_user(request.user, pk, write=True)
    form = f.UnitEditForm(request.POST or None, instance=unit, initial={"version": stamp(unit)})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        changes = {k: d[k] for k in ["code", *services.units.EDITABLE_FIELDS]}
        fresh = Unit.objects.get(pk=unit.pk)  # the form wrote into `unit`; the service compares with the row
        if run(
            form,
            lambda: services.update_unit(
                actor=actor_of(request), unit=fresh, version=d["version"], **changes
            ),
        ):
            messages.success(request, "Đã lưu thông tin đơn vị.")
            return redirect("org:unit_detail", pk=unit.pk)
    context = page(
        f"Sửa thông tin — {Unit.objects.get(pk=pk).name}",
        form,
        "Lưu",
        crumbs=unit_crumbs(unit),
        intro="Đổi tên, chuyển đơn vị cấp trên, sáp nhập, chia tách, giải thể: dùng mục Tổ chức lại.",
        cancel_url=reverse("org:unit_detail", args=[pk]),
    )
    return render(request, "org/form_page.html", context)


REORG_KINDS = {
    "doi-ten": ("rename", "Đổi tên", f.RenameForm),
    "chuyen": ("move", "Chuyển đơn vị cấp trên", f.MoveForm),
    "sap-nhap": ("merge", "Sáp nhập", f.MergeForm),
    "chia-tach": ("split", "Chia tách", f.SplitForm),
    "giai-the": ("dissolve", "Giải thể", f.DissolveForm),
}


def _reorg_form(kind: str, request: HttpRequest, unit: Unit) -> Any:
    _, _, form_class = REORG_KINDS[kind]
    data = request.POST if request.method == "POST" else None
    initial: dict[str, Any] = {"effective_on": date.today()}
    if form_class in (f.MoveForm, f.MergeForm):
        return form_class(data, user=request.user, unit=unit, initial=initial)
    if form_class is f.RenameForm:
        initial["new_name"] = unit.name
    return form_class(data, initial=initial)


def _preview(code: str, unit: Unit, d: dict[str, Any]) -> services.ReorgPreview | None:
    on = d["effective_on"]
    if code == "merge":
        return services.preview_reorganisation(
            "merge", [unit, *d.get("others", [])], effective_on=on, into=d["into"]
        )
    if code == "move":
        return services.preview_reorganisation("move", [unit], effective_on=on, new_parent=d["new_parent"])
    if code in ("split", "dissolve"):
        return services.preview_reorganisation(code, [unit], effective_on=on)
    return None


def _carry_out(code: str, request: HttpRequest, unit: Unit, d: dict[str, Any]) -> Any:
    actor, on, decision = actor_of(request), d["effective_on"], d["decision"]
    if code == "rename":
        return services.rename_unit(
            actor=actor, unit=unit, new_name=d["new_name"], effective_on=on, decision=decision
        )
    if code == "move":
        return services.move_unit(
            actor=actor, unit=unit, new_parent=d["new_parent"], effective_on=on, decision=decision
        )
    if code == "merge":
        units = [unit, *d.get("others", [])]
        return services.merge_units(
            actor=actor, units=units, into=d["into"], effective_on=on, decision=decision
        )
    if code == "split":
        parts = [services.SplitPart(code=c, name=n, kind=unit.kind) for c, n in d["parts"]]
        return services.split_unit(actor=actor, unit=unit, parts=parts, effective_on=on, decision=decision)
    return services.dissolve_unit(actor=actor, unit=unit, effective_on=on, decision=decision)


@login_required
def unit_reorganise(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """One page per reorganisation: the form, then its preview, then the confirmed change."""
    if kind not in REORG_KINDS:
        raise Http404("Không có thao tác này")
    unit = get_unit_for_user(request.user, pk, write=True)
    code, label, _ = REORG_KINDS[kind]
    form = _reorg_form(kind, request, unit)
    preview = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        preview = _preview(code, unit, d)
        if request.POST.get("confirm") == "1" and (preview is None or preview.ok):
            if run(form, lambda: _carry_out(code, request, unit, d)) is not None:
                messages.success(request, f"Đã thực hiện: {label.lower()} {unit.name}.")
                target = d.get("into") if code == "merge" else unit
                return redirect("org:unit_detail", pk=target.pk)
            preview = None
    context = {
        "unit": unit,
        "kind": kind,
        "code": code,
        "label": label,
        "form": form,
        "preview": preview,
        "crumbs": unit_crumbs(unit),
        "kinds": [(k, v[1]) for k, v in REORG_KINDS.items()],
    }
    return render(request, "org/unit_reorganise.html", context)
