"""The inbox: the user's own notices, newest first; opening one marks it read and goes to its object."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from thidua.notices import services
from thidua.notices.models import Notice


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    notices = Notice.objects.filter(recipient_id=request.user.pk)
    unread_only = request.GET.get("chua_doc") == "1"
    if unread_only:
        notices = notices.filter(read_at__isnull=True)
    kind = request.GET.get("loai", "")
    if kind in Notice.Kind.values:
        notices = notices.filter(kind=kind)
    page = Paginator(notices, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "unread_only": unread_only,
        "kind": kind,
        "kinds": Notice.Kind.choices,
        "unread": services.unread_count(request.user),
    }
    return render(request, "notices/inbox.html", context)


@login_required
def open_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the notice read and go to its object (only links inside this site)."""
    notice = get_object_or_404(Notice, pk=pk, recipient_id=request.user.pk)
    services.mark_read(actor=request.user, notice=notice)  # type: ignore[arg-type]
    if notice.url and url_has_allowed_host_and_scheme(notice.url, allowed_hosts={request.get_host()}):
        return redirect(notice.url)
    return redirect("notices:inbox")


@login_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    services.mark_read(actor=request.user, all_notices=True)  # type: ignore[arg-type]
    return redirect("notices:inbox")
