from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from thidua.accounts.permissions import visible_audit_entries
from thidua.audit.filters import AuditEntryFilter

ENTRIES_PER_PAGE = 50


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    """The audit log within the user's scope, filterable by action and date range."""
    entry_filter = AuditEntryFilter(request.GET, queryset=visible_audit_entries(request.user))
    entries = entry_filter.qs.order_by("-created_at", "-id")
    page = Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "audit/audit_list.html", {"filter": entry_filter, "page": page})
