"""Managing people: create, edit, transfer on a date, end of service, past positions; their account.

Every page answers `Cache-Control: no-store` (personal data); the services check the permission.
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from thidua.core.http import no_store
from thidua.org import forms as f
from thidua.org import services
from thidua.org.models import Person
from thidua.org.permissions import get_person_for_user, get_unit_for_user
from thidua.org.services.common import stamp
from thidua.org.view_helpers import actor_of, page, person_crumbs, require_manager, run


@no_store
@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    require_manager(request.user)
    unit_id = request.GET.get("don-vi", "")
    unit = get_unit_for_user(request.user, int(unit_id), write=True) if unit_id.isdigit() else None
    form = f.PersonCreateForm(request.POST or None, user=request.user, initial={"unit": unit})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        fields = {k: d[k] for k in ("date_of_birth", "recruited_on", "email", "phone")}
        person = run(
            form,
            lambda: services.create_person(
                actor=actor_of(request),
                citizen_id=d["citizen_id"],
                full_name=d["full_name"],
                gender=d["gender"],
                unit=d["unit"],
                title=d["title"],
                started_on=d["started_on"],
                **fields,
            ),
        )
        if person is not None:
            messages.success(request, f"Đã thêm {person.full_name}.")
            return redirect("org:person_detail", pk=person.pk)
    context = page(
        "Thêm nhân sự",
        form,
        "Thêm",
        crumbs=[(reverse("org:person_list"), "Nhân sự")],
        cancel_url=reverse("org:unit_detail", args=[unit.pk]) if unit else reverse("org:person_list"),
    )
    return render(request, "org/form_page.html", context)


@no_store
@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request.user, pk, write=True)
    form = f.PersonEditForm(request.POST or None, instance=person, initial={"version": stamp(person)})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        changes = {k: d[k] for k in services.people.EDITABLE_FIELDS}
        fresh = Person.objects.select_related("current_unit").get(pk=pk)
        if run(
            form,
            lambda: services.update_person(
                actor=actor_of(request), person=fresh, version=d["version"], **changes
            ),
        ):
            messages.success(request, "Đã lưu hồ sơ.")
            return redirect("org:person_detail", pk=pk)
    name = Person.objects.get(pk=pk).full_name
    context = page(
        f"Sửa hồ sơ — {name}",
        form,
        "Lưu",
        crumbs=person_crumbs(person),
        intro="Đơn vị và chức vụ thay đổi bằng Điều chuyển, để giữ quá trình công tác.",
        cancel_url=reverse("org:person_detail", args=[pk]),
    )
    return render(request, "org/form_page.html", context)


@no_store
@login_required
def person_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request.user, pk, write=True)
    form = f.TransferForm(
        request.POST or None, user=request.user, initial={"on": date.today(), "title": person.current_title}
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if run(
            form,
            lambda: services.transfer_person(
                actor=actor_of(request),
                person=person,
                unit=d["unit"],
                on=d["on"],
                title=d["title"],
                decision=d["decision"],
            ),
        ):
            messages.success(request, f"Đã điều chuyển {person.full_name} sang {d['unit'].name}.")
            return redirect("org:person_detail", pk=pk)
    where = person.current_unit.name if person.current_unit else "—"
    context = page(
        f"Điều chuyển — {person.full_name}",
        form,
        "Điều chuyển",
        crumbs=person_crumbs(person),
        intro=f"Hiện tại: {person.current_title or 'chưa ghi chức vụ'}, {where}. Vị trí hiện tại kết thúc ngày trước ngày điều chuyển.",
        cancel_url=reverse("org:person_detail", args=[pk]),
    )
    return render(request, "org/form_page.html", context)


@no_store
@login_required
def person_end_service(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request.user, pk, write=True)
    form = f.EndServiceForm(request.POST or None, initial={"on": date.today()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if run(
            form,
            lambda: services.end_service(
                actor=actor_of(request),
                person=person,
                on=d["on"],
                reason=d["reason"],
                decision=d["decision"],
            ),
        ):
            messages.success(request, f"Đã ghi nhận {person.full_name} thôi công tác.")
            return redirect("org:person_detail", pk=pk)
    context = page(
        f"Thôi công tác — {person.full_name}",
        form,
        "Ghi nhận thôi công tác",
        crumbs=person_crumbs(person),
        intro="Hồ sơ và lịch sử thi đua, khen thưởng được giữ lại; người này không còn trong danh sách đang công tác.",
        cancel_url=reverse("org:person_detail", args=[pk]),
        danger=True,
    )
    return render(request, "org/form_page.html", context)


@no_store
@login_required
def person_add_position(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request.user, pk, write=True)
    form = f.PositionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if run(
            form,
            lambda: services.add_position(
                actor=actor_of(request),
                person=person,
                unit=d["unit"],
                title=d["title"],
                started_on=d["started_on"],
                ended_on=d["ended_on"],
            ),
        ):
            messages.success(request, "Đã thêm quá trình công tác.")
            return redirect("org:person_detail", pk=pk)
    context = page(
        f"Thêm quá trình công tác — {person.full_name}",
        form,
        "Thêm",
        crumbs=person_crumbs(person),
        intro="Ghi một giai đoạn đã qua (theo hồ sơ); không trùng thời gian với giai đoạn khác.",
        cancel_url=reverse("org:person_detail", args=[pk]),
    )
    return render(request, "org/form_page.html", context)


@no_store
@login_required
def person_account(request: HttpRequest, pk: int) -> HttpResponse:
    """The staff member's login: create one (a one-time password shown once), link an existing one,
    unlink it; the account page itself (roles, lock, password) is in `views_accounts`."""
    person = get_person_for_user(request.user, pk, write=True)
    create_form = f.AccountCreateForm(request.POST if request.POST.get("action") == "create" else None)
    link_form = f.LinkAccountForm(request.POST if request.POST.get("action") == "link" else None)
    action = request.POST.get("action")
    if action == "create" and create_form.is_valid():
        result = run(
            create_form,
            lambda: services.create_account(
                actor=actor_of(request),
                person=person,
                username=create_form.cleaned_data["username"],
            ),
        )
        if result is not None:
            user, password = result
            return render(
                request,
                "org/one_time_password.html",
                {"account": user, "password": password, "person": person, "created": True},
            )
    elif action == "link" and link_form.is_valid():
        linked = run(
            link_form,
            lambda: services.link_account(
                actor=actor_of(request), person=person, user=link_form.cleaned_data["username"]
            ),
        )
        if linked is not None:
            messages.success(request, "Đã gắn tài khoản với hồ sơ.")
            return redirect("org:person_detail", pk=pk)
    person.refresh_from_db()
    suggestion = services.suggest_username(person) if person.user_id is None else ""
    return render(
        request,
        "org/person_account.html",
        {
            "person": person,
            "create_form": create_form,
            "link_form": link_form,
            "suggestion": suggestion,
            "crumbs": person_crumbs(person),
        },
    )


@no_store
@login_required
@require_POST
def person_unlink(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request.user, pk, write=True)
    form = forms.Form()
    if run(form, lambda: services.unlink_account(actor=actor_of(request), person=person)):
        messages.success(request, "Đã gỡ tài khoản khỏi hồ sơ.")
    else:
        messages.error(request, "; ".join(str(e) for e in form.non_field_errors()))
    return redirect("org:person_detail", pk=pk)
