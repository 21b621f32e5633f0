"""State changes of the statistics: an organisation's own version of a statistical form."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from thidua.accounts.models import User
from thidua.audit.services import log
from thidua.core.errors import DomainError
from thidua.org.models import Unit
from thidua.reports.models import ReportForm
from thidua.reports.permissions import adjusts_forms
from thidua.reports.statforms import parse_form, shipped


@transaction.atomic
def save_report_form(*, actor: User | None, root: Unit, form_id: str, text: str, version: int) -> ReportForm:
    """Replace the shipped reading of a form with the organisation's own (checked) definition;
    `version` is the one the editor started from (0: the shipped reading)."""
    if actor is not None and not adjusts_forms(actor, root):
        raise PermissionDenied("Chỉ cán bộ thi đua, khen thưởng của cơ quan cấp trên cùng được sửa biểu mẫu")
    form = parse_form(text)
    if form.id != form_id:
        raise DomainError(f"Mã biểu (id) phải giữ là '{form_id}'", field="text")
    existing = ReportForm.objects.select_for_update().filter(root=root, form_id=form_id).first()
    current = existing.version if existing is not None else 0
    if current != version:
        raise DomainError(
            "Biểu đã được người khác sửa trong lúc bạn đang sửa. Hãy tải lại trang và thực hiện lại.",
            field="version",
        )
    if existing is None:
        existing = ReportForm(root=root, form_id=form_id, text=text, updated_by=actor)
    else:
        existing.text = text
        existing.version += 1
        existing.updated_by = actor
    existing.save()
    log(
        "report_form.saved",
        actor=actor,
        obj=existing,
        unit_path=root.path,
        detail={"form": form_id, "title": form.title},
    )
    return existing


@transaction.atomic
def reset_report_form(*, actor: User | None, root: Unit, form_id: str) -> None:
    """Back to the shipped reading of the form."""
    if actor is not None and not adjusts_forms(actor, root):
        raise PermissionDenied("Chỉ cán bộ thi đua, khen thưởng của cơ quan cấp trên cùng được sửa biểu mẫu")
    if form_id not in shipped():
        raise DomainError("Biểu này không có bản mặc định")
    deleted, _ = ReportForm.objects.filter(root=root, form_id=form_id).delete()
    if deleted:
        log("report_form.reset", actor=actor, unit_path=root.path, detail={"form": form_id})
