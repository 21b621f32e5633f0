"""Pages of the import: upload → preview (every problem, or what will change) → commit → report.

The uploaded file is kept under MEDIA_ROOT/imports/ with a random token remembered in the user's
session; the commit reads it back, checks its hash and re-checks everything before writing.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from pathlib import Path, PurePath
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from thidua.core.uploads import TABLE_IMPORT, UploadField
from thidua.org.importers import SPECS, build_template, check_file, commit_file
from thidua.org.permissions import can_import

SESSION_KEY = "org_imports"
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
KEEP_SECONDS = 24 * 3600
PREVIEW_ROWS = 50
MAX_PROBLEMS_SHOWN = 1000
KIND_SLUGS = {"don-vi": "units", "nhan-su": "people"}
SLUG_OF_KIND = {kind: slug for slug, kind in KIND_SLUGS.items()}


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label="Loại dữ liệu",
        choices=[("people", "Nhân sự (kèm chức vụ, đơn vị công tác)"), ("units", "Đơn vị")],
        widget=forms.RadioSelect,
        initial="people",
    )
    file = UploadField(label="Tệp .xlsx hoặc .csv", rule=TABLE_IMPORT)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(f"Tệp lớn quá {MAX_UPLOAD_BYTES // (1024 * 1024)} MB.")
        if PurePath(upload.name or "").suffix.lower() not in {".xlsx", ".xlsm", ".csv", ".txt"}:
            raise forms.ValidationError("Chỉ nhận tệp .xlsx hoặc .csv.")
        return upload


def _require_import(request: HttpRequest) -> None:
    if not can_import(request.user):
        raise PermissionDenied("Bạn không có quyền nhập dữ liệu.")


def _storage_dir() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _forget_old_files(folder: Path) -> None:
    limit = time.time() - KEEP_SECONDS
    for path in folder.glob("*.upload"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except OSError:
            pass


def _stored(request: HttpRequest, token: str) -> tuple[dict[str, Any], bytes]:
    """The upload behind `token`, only from this user's session; 404 otherwise."""
    entry = request.session.get(SESSION_KEY, {}).get(token)
    if entry is None or not token.isalnum():
        raise Http404("Không tìm thấy tệp đã tải lên (có thể đã hết hạn): hãy tải lên lại.")
    try:
        data = (_storage_dir() / f"{token}.upload").read_bytes()
    except OSError as exc:
        raise Http404("Tệp đã tải lên không còn: hãy tải lên lại.") from exc
    if hashlib.sha256(data).hexdigest() != entry["sha256"]:
        raise Http404("Tệp đã tải lên bị thay đổi: hãy tải lên lại.")
    return entry, data


def _forget(request: HttpRequest, token: str) -> None:
    imports = dict(request.session.get(SESSION_KEY, {}))
    imports.pop(token, None)
    request.session[SESSION_KEY] = imports
    (_storage_dir() / f"{token}.upload").unlink(missing_ok=True)


@login_required
def import_start(request: HttpRequest) -> HttpResponse:
    """The upload form, with links to the templates."""
    _require_import(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = b"".join(upload.chunks())
        folder = _storage_dir()
        _forget_old_files(folder)
        token = secrets.token_hex(16)
        (folder / f"{token}.upload").write_bytes(data)
        imports = {
            key: value
            for key, value in request.session.get(SESSION_KEY, {}).items()
            if (folder / f"{key}.upload").exists()
        }
        imports[token] = {
            "kind": form.cleaned_data["kind"],
            "filename": PurePath(upload.name or "tep").name[:200],
            "sha256": hashlib.sha256(data).hexdigest(),
        }
        request.session[SESSION_KEY] = imports
        return redirect("org:import_preview", token=token)
    templates = [
        (SPECS[kind].label, SLUG_OF_KIND[kind], [c.header for c in SPECS[kind].columns])
        for kind in ("people", "units")
    ]
    return render(request, "org/import_start.html", {"form": form, "templates": templates})


def _context(entry: dict[str, Any], token: str, plan: Any) -> dict[str, Any]:
    return {
        "token": token,
        "entry": entry,
        "spec": SPECS[entry["kind"]],
        "plan": plan,
        "problems": plan.problems[:MAX_PROBLEMS_SHOWN],
        "hidden_problems": max(0, len(plan.problems) - MAX_PROBLEMS_SHOWN),
        "problem_rows": len({p.row for p in plan.problems if p.row is not None}),
        "counts": plan.counts,
    }


@login_required
def import_preview(request: HttpRequest, token: str) -> HttpResponse:
    """Every problem of the file, or a summary of what the commit will create and update."""
    _require_import(request)
    entry, data = _stored(request, token)
    plan = check_file(entry["kind"], data, entry["filename"], actor=request.user)
    context = _context(entry, token, plan)
    changed = [r for r in plan.results if r.action != "unchanged"]
    context["rows"] = changed[:PREVIEW_ROWS]
    context["more_rows"] = max(0, len(changed) - PREVIEW_ROWS)
    return render(request, "org/import_preview.html", context)


@require_POST
@login_required
def import_commit(request: HttpRequest, token: str) -> HttpResponse:
    """Check everything again and write it all, or nothing; then the per-row report."""
    _require_import(request)
    entry, data = _stored(request, token)
    plan = commit_file(entry["kind"], data, entry["filename"], actor=request.user)
    context = _context(entry, token, plan)
    if not plan.committed:
        context["rows"] = []
        context["more_rows"] = 0
        context["recheck_failed"] = True
        return render(request, "org/import_preview.html", context, status=409)
    _forget(request, token)
    context["rows"] = plan.results[:1000]
    context["more_rows"] = max(0, len(plan.results) - 1000)
    return render(request, "org/import_result.html", context)


@login_required
def import_template(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """The empty import file (.xlsx with a guide sheet and drop-down lists, or .csv)."""
    _require_import(request)
    kind = KIND_SLUGS.get(slug)
    if kind is None or fmt not in {"xlsx", "csv"}:
        raise Http404("Không có mẫu này")
    content_type = (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        if fmt == "xlsx"
        else "text/csv; charset=utf-8"
    )
    response = HttpResponse(
        build_template(kind, "xlsx" if fmt == "xlsx" else "csv"), content_type=content_type
    )
    response["Content-Disposition"] = f'attachment; filename="mau-nhap-{slug}.{fmt}"'
    return response
