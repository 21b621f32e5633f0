from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from thidua.accounts.permissions import visible_audit_entries
from thidua.audit.services import ACTION_LABELS


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    """The audit log within the user's scope, filterable by action."""
    entries = visible_audit_entries(request.user)
    action = request.GET.get("action", "")
    if action:
        entries = entries.filter(action=action)
    page = Paginator(entries.order_by("-created_at", "-id"), 50).get_page(request.GET.get("page"))
    return render(
        request, "audit/audit_list.html", {"page": page, "action": action, "actions": ACTION_LABELS}
    )
