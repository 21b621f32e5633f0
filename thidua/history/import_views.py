"""Pages of the history import: upload → preview (every problem, or what will change) → commit → report.

As the people import (`thidua.org.import_views`): the upload is kept under MEDIA_ROOT/imports/ with a
random token remembered in the user's session; the commit reads it back, checks its hash and checks
everything again before writing.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from pathlib import Path, PurePath
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from thidua.core.http import download
from thidua.history.forms import HistoryImportForm
from thidua.history.importing import SLUGS, SPECS, check_file, commit_file, template_choices
from thidua.org.importers.templates import build_spec_template
from thidua.org.permissions import can_import

SESSION_KEY = "history_imports"
KEEP_SECONDS = 24 * 3600
PREVIEW_ROWS = 50
MAX_PROBLEMS_SHOWN = 1000
GUIDE = (
    "Ngày ghi dạng dd/mm/yyyy (ví dụ 05/01/2016) hoặc định dạng ngày của Excel.",
    "Người, đơn vị phải có trong hệ thống trước (nhập đơn vị, nhân sự trước).",
    "Nhập lại cùng tệp không tạo bản trùng: dòng đã có là 'không đổi'.",
    "Có lỗi ở bất kỳ dòng nào thì không ghi dòng nào; mọi lỗi được liệt kê theo dòng và cột.",
)


def _require_import(request: HttpRequest) -> None:
    if not can_import(request.user):
        raise PermissionDenied("Bạn không có quyền nhập dữ liệu.")


def _folder() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _forget_old_files(folder: Path) -> None:
    limit = time.time() - KEEP_SECONDS
    for path in folder.glob("history-*.upload"):
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
        data = (_folder() / f"history-{token}.upload").read_bytes()
    except OSError as exc:
        raise Http404("Tệp đã tải lên không còn: hãy tải lên lại.") from exc
    if hashlib.sha256(data).hexdigest() != entry["sha256"]:
        raise Http404("Tệp đã tải lên bị thay đổi: hãy tải lên lại.")
    return entry, data


def _forget(request: HttpRequest, token: str) -> None:
    imports = dict(request.session.get(SESSION_KEY, {}))
    imports.pop(token, None)
    request.session[SESSION_KEY] = imports
    (_folder() / f"history-{token}.upload").unlink(missing_ok=True)


def _templates() -> list[tuple[str, str, list[str]]]:
    return [(s.label, s.slug, [c.header for c in s.columns]) for s in SPECS.values()]


@login_required
def import_start(request: HttpRequest) -> HttpResponse:
    """The upload form with the five templates."""
    _require_import(request)
    form = HistoryImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = b"".join(upload.chunks())
        folder = _folder()
        _forget_old_files(folder)
        token = secrets.token_hex(16)
        (folder / f"history-{token}.upload").write_bytes(data)
        imports = {
            key: value
            for key, value in request.session.get(SESSION_KEY, {}).items()
            if (folder / f"history-{key}.upload").exists()
        }
        imports[token] = {
            "kind": form.cleaned_data["kind"],
            "filename": PurePath(upload.name or "tep").name[:200],
            "sha256": hashlib.sha256(data).hexdigest(),
        }
        request.session[SESSION_KEY] = imports
        return redirect("history:import_preview", token=token)
    return render(
        request,
        "history/import_start.html",
        {"form": form, "templates": _templates()},
        status=400 if form.errors else 200,
    )


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
    """Every problem of the file, or what the commit will create and correct."""
    _require_import(request)
    entry, data = _stored(request, token)
    plan = check_file(entry["kind"], data, entry["filename"], actor=request.user)
    context = _context(entry, token, plan)
    changed = [r for r in plan.results if r.action != "unchanged"]
    context["rows"] = changed[:PREVIEW_ROWS]
    context["more_rows"] = max(0, len(changed) - PREVIEW_ROWS)
    return render(request, "history/import_preview.html", context)


@require_POST
@login_required
def import_commit(request: HttpRequest, token: str) -> HttpResponse:
    """Check everything again and write it all, or nothing; then the per-row report."""
    _require_import(request)
    entry, data = _stored(request, token)
    plan = commit_file(entry["kind"], data, entry["filename"], actor=request.user)
    context = _context(entry, token, plan)
    if not plan.committed:
        context.update(rows=[], more_rows=0, recheck_failed=True)
        return render(request, "history/import_preview.html", context, status=409)
    _forget(request, token)
    context["rows"] = plan.results[:1000]
    context["more_rows"] = max(0, len(plan.results) - 1000)
    return render(request, "history/import_result.html", context)


@login_required
def import_template(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """The empty file of one kind (.xlsx with a guide sheet and drop-down lists, or .csv)."""
    _require_import(request)
    kind = SLUGS.get(slug)
    if kind is None or fmt not in {"xlsx", "csv"}:
        raise Http404("Không có mẫu này")
    spec = SPECS[kind]
    content = build_spec_template(
        spec.reading, "xlsx" if fmt == "xlsx" else "csv", choices=template_choices(kind), guide_lines=GUIDE
    )
    return download(content, f"mau-nhap-lich-su-{slug}.{fmt}")
