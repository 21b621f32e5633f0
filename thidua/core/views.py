from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from thidua.accounts.permissions import visible_people, visible_units


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Dashboard: counts within the user's scope."""
    units = visible_units(request.user)
    people = visible_people(request.user)
    context = {
        "unit_count": units.filter(valid_to__isnull=True).count(),
        "people_count": people.count(),
    }
    return render(request, "core/home.html", context)
