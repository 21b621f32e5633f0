"""Pages of the history: a person's or a collective's báo cáo thành tích (.docx) from their record."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from thidua.audit.services import log
from thidua.core.http import download
from thidua.documents.services import render_achievement
from thidua.history.papers import person_achievement, unit_achievement
from thidua.org.permissions import get_person_for_user, get_unit_for_user
from thidua.org.privacy import can_see_personal_data


@login_required
def person_report(request: HttpRequest, pk: int) -> HttpResponse:
    """Báo cáo thành tích of a person the user may see, as .docx."""
    person = get_person_for_user(request.user, pk)
    full = can_see_personal_data(request.user, person)
    data = person_achievement(
        person, proposed_award=request.GET.get("de_nghi", "")[:120], on=date.today(), personal_data=full
    )
    content = render_achievement(data, unit=person.current_unit)
    unit_path = person.current_unit.path if person.current_unit else ""
    log(
        "document.report_printed",
        actor=request.user,
        obj=person,
        unit_path=unit_path,
        detail={"list": "person", "query": request.GET.urlencode(), "rows": 1, "personal_data": int(full)},
    )
    return download(content, f"bao-cao-thanh-tich-{person.pk}.docx")


@login_required
def unit_report(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_unit_for_user(request.user, pk)
    data = unit_achievement(unit, proposed_award=request.GET.get("de_nghi", "")[:120], on=date.today())
    content = render_achievement(data, unit=unit)
    log(
        "document.report_printed",
        actor=request.user,
        obj=unit,
        unit_path=unit.path,
        detail={"list": "unit", "query": request.GET.urlencode(), "rows": 1},
    )
    return download(content, f"bao-cao-thanh-tich-tap-the-{unit.pk}.docx")
