"""Running for real: /healthz, request ids and one-line logs, security headers, `serve --production`."""

from __future__ import annotations

import io
import logging
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import OperationalError, connection
from django.test import Client

from thidua.core.logging import REQUEST_ID, OneLineFormatter, RequestIdFilter

BASE_DIR = Path(__file__).resolve().parents[3]
THIDUA = str(Path(sys.executable).with_name("thidua"))


# --- /healthz --------------------------------------------------------------------------------------


def test_healthz_answers_200_when_the_database_answers(db):
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert response["Cache-Control"] == "no-store"


def test_healthz_answers_503_when_the_database_does_not(db):
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("máy chủ CSDL tắt")):
        response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "error"
    assert "máy chủ CSDL tắt" not in response.content.decode()  # no internals to the caller


def test_healthz_needs_no_login_host_or_https(db, settings):
    """A load balancer or systemd calls it on 127.0.0.1 over plain HTTP."""
    settings.ALLOWED_HOSTS = ["thidua.example.vn"]
    settings.SECURE_SSL_REDIRECT = True
    assert Client().get("/healthz", HTTP_HOST="127.0.0.1:8000").status_code == 200
    assert Client().get("/healthz/", HTTP_HOST="127.0.0.1:8000").status_code == 200
    assert Client().post("/healthz").status_code == 405
    # Everything else still goes through the host check and the redirect.
    assert Client().get("/tai-khoan/dang-nhap/", HTTP_HOST="127.0.0.1:8000").status_code == 400


# --- Request ids and log lines -----------------------------------------------------------------------


def test_every_answer_carries_a_request_id(db):
    first = Client().get("/tai-khoan/dang-nhap/")["X-Request-ID"]
    second = Client().get("/tai-khoan/dang-nhap/")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert first != second


def test_the_proxys_request_id_is_kept_when_sane_and_replaced_when_not(db):
    kept = Client().get("/tai-khoan/dang-nhap/", HTTP_X_REQUEST_ID="nginx-3f2a9c1d")["X-Request-ID"]
    assert kept == "nginx-3f2a9c1d"
    bad = Client().get("/tai-khoan/dang-nhap/", HTTP_X_REQUEST_ID="x\n" + "y" * 500)["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", bad)


def make_logger() -> tuple[logging.Logger, io.StringIO]:
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(OneLineFormatter())
    logger = logging.getLogger(f"thidua.test.{secrets.token_hex(4)}")
    logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.INFO)
    return logger, out


def test_a_log_line_has_time_level_logger_request_id_and_one_line_for_a_traceback():
    logger, out = make_logger()
    token = REQUEST_ID.set("abc123")
    try:
        try:
            raise ValueError("hỏng\ndòng hai")
        except ValueError:
            logger.exception("Lỗi khi xuất danh sách")
    finally:
        REQUEST_ID.reset(token)
    text = out.getvalue()
    assert text.count("\n") == 1  # one event, one line
    line = text.rstrip("\n")
    assert re.match(
        r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d ERROR thidua\.test\.\w+ req=abc123 ", line
    )
    assert "Lỗi khi xuất danh sách ⏎ Traceback" in line
    assert "ValueError: hỏng ⏎ dòng hai" in line


def test_outside_a_request_the_id_is_a_dash():
    logger, out = make_logger()
    logger.info("khởi động")
    assert " INFO " in out.getvalue()
    assert " req=- khởi động" in out.getvalue()


def test_the_access_line_and_djangos_own_error_lines_carry_the_request_id(db):
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(OneLineFormatter())
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        response = Client().get("/khong-co-trang-nay/", HTTP_X_REQUEST_ID="req-0000000042")
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
    assert response.status_code == 404
    lines = out.getvalue().splitlines()
    assert any(
        re.search(r" INFO thidua\.access req=req-0000000042 GET /khong-co-trang-nay/ 404 ", x) for x in lines
    )
    assert any(" WARNING django.request req=req-0000000042 Not Found" in x for x in lines), lines


def test_the_access_line_leaves_out_the_query_string(db, caplog):
    with caplog.at_level(logging.INFO, logger="thidua.access"):
        Client().get("/tai-khoan/dang-nhap/?q=001085012345")
    assert "001085012345" not in caplog.text


def test_settings_log_through_the_one_line_formatter():
    from django.conf import settings

    config: Any = settings.LOGGING
    handler = config["handlers"]["console"]
    assert config["formatters"][handler["formatter"]]["()"].endswith("OneLineFormatter")
    assert handler["filters"] == ["request_id"]


# --- Security headers -------------------------------------------------------------------------------


def test_pages_carry_a_content_security_policy_without_inline_script_or_style(personas, client_for):
    for response in (
        Client().get("/tai-khoan/dang-nhap/"),
        client_for(personas.officer).get("/"),
        client_for(personas.officer).get("/api/v1/units/"),
    ):
        policy = response["Content-Security-Policy"]
        assert "default-src 'self'" in policy
        assert "script-src 'self';" in policy
        assert "style-src 'self';" in policy
        assert "unsafe-inline" not in policy
        assert "frame-ancestors 'none'" in policy


def test_signed_in_pages_and_the_api_are_not_stored_in_caches(personas, client_for, org):
    client = client_for(personas.officer)
    for url in ["/", f"/to-chuc/nhan-su/{org.an.pk}/", "/to-chuc/nhan-su/", "/api/v1/people/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url


def test_the_api_docs_load_swagger_ui_from_the_app_itself(personas, client_for):
    response = client_for(personas.officer).get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert any("swagger-ui-bundle" in s for s in sources)
    assert all(s.startswith("/") for s in sources), sources  # no CDN
    assert "<style" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)  # no inline script
    script = client_for(personas.officer).get("/api/v1/docs/?script=")
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()


# Inline script, event handler attributes, style attributes or blocks, javascript: URLs.
INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=|\sstyle\s*=|<style[\s>]|javascript:|hx-on",
    re.IGNORECASE,
)


def test_no_template_holds_inline_script_handlers_or_styles():
    templates = sorted((BASE_DIR / "thidua").rglob("templates/**/*.html"))
    assert len(templates) > 50
    found = [
        f"{path.relative_to(BASE_DIR)}:{n}: {line.strip()[:100]}"
        for path in templates
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if INLINE.search(line)
    ]
    assert found == [], "move these to static files (the Content-Security-Policy forbids them)"


def test_no_widget_or_html_built_in_python_carries_inline_style_or_handlers():
    """Form widgets' attrs and HTML written by Python code are held to the same policy as templates."""
    pattern = re.compile(r"""["'](?:style|on[a-z]+)["']\s*:|\sstyle=|\son(?:click|load|change|submit)=""")
    sources = [p for p in (BASE_DIR / "thidua").rglob("*.py") if "tests" not in p.parts]
    found = [
        f"{path.relative_to(BASE_DIR)}:{n}"
        for path in sources
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if pattern.search(line) and "Side(style" not in line
    ]
    assert found == []


def test_the_svg_charts_carry_no_style_attribute():
    from thidua.movements import charts

    source = Path(charts.__file__).read_text(encoding="utf-8")
    assert not re.search(r"\sstyle=", source)


# --- thidua serve --production -----------------------------------------------------------------------


def test_production_server_refuses_in_development_mode(settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="THIDUA_DEBUG"):
        call_command("serve", "127.0.0.1:8999", production=True, check=True)


def test_an_address_without_a_port_is_refused():
    with pytest.raises(CommandError, match="ĐỊA_CHỈ:CỔNG"):
        call_command("serve", "localhost", production=True, check=True)


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("THIDUA_")}
    env.update(
        {
            "THIDUA_DEBUG": "false",
            "THIDUA_SECRET_KEY": secrets.token_urlsafe(60),
            "THIDUA_ALLOWED_HOSTS": "127.0.0.1,thidua.example.vn",
            "THIDUA_BEHIND_PROXY": "true",
            "THIDUA_SECURE_SSL_REDIRECT": "false",
            "THIDUA_DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
            "THIDUA_STATIC_ROOT": str(tmp_path / "static"),
            "THIDUA_MEDIA_ROOT": str(tmp_path / "media"),
            "THIDUA_WEB_WORKERS": "2",
            "THIDUA_LOG_LEVEL": "INFO",
        }
    )
    env.update(extra)
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([THIDUA, *args], env=env, capture_output=True, text=True, timeout=300, check=False)


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> Path:
    """An SQLite database with every migration, shared by the server tests."""
    folder: Path = tmp_path_factory.mktemp("prod")
    result = run(["migrate", "--noinput", "-v0"], production_env(folder))
    assert result.returncode == 0, result.stderr
    return folder


def test_serve_production_refuses_an_unmigrated_database(tmp_path):
    result = run(["serve", "--production", "127.0.0.1:8999", "--check"], production_env(tmp_path))
    assert result.returncode != 0
    assert "thidua migrate" in result.stderr


def test_serve_production_collects_the_static_files_before_starting(migrated):
    env = production_env(migrated)
    result = run(["serve", "--production", "127.0.0.1:8999", "--check"], env)
    assert result.returncode == 0, result.stderr
    assert (migrated / "static" / "staticfiles.json").is_file()
    assert list((migrated / "static" / "thidua").glob("app.*.css"))  # hashed names for WhiteNoise
    assert "2 tiến trình" in result.stdout


def test_serve_production_refuses_clearly_when_it_cannot_write_the_static_files(migrated, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    env = production_env(migrated, THIDUA_STATIC_ROOT=str(blocker / "static"))
    result = run(["serve", "--production", "127.0.0.1:8999", "--check"], env)
    assert result.returncode != 0
    assert "không ghi được tệp tĩnh" in result.stderr
    assert "collectstatic" in result.stderr


def test_serve_production_without_collecting_needs_the_collected_files(migrated, tmp_path):
    env = production_env(migrated, THIDUA_STATIC_ROOT=str(tmp_path / "empty"))
    result = run(["serve", "--production", "127.0.0.1:8999", "--check", "--no-collectstatic"], env)
    assert result.returncode != 0
    assert "thidua collectstatic --noinput" in result.stderr


def test_serve_production_refuses_a_failing_deploy_check(migrated):
    env = production_env(migrated, THIDUA_BEHIND_PROXY="false")  # no HTTPS redirect, no proxy doing it
    result = run(["serve", "--production", "127.0.0.1:8999", "--check"], env)
    assert result.returncode != 0
    assert "check --deploy" in result.stderr
    assert "SECURE_SSL_REDIRECT" in result.stderr


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def get(url: str, host: str = "127.0.0.1") -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Host": host, "X-Forwarded-Proto": "https"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_serve_production_runs_gunicorn_that_answers_pages_static_files_and_healthz(migrated):
    port = free_port()
    env = production_env(migrated)
    server = subprocess.Popen(
        [THIDUA, "serve", "--production", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        status = 0
        while time.monotonic() < deadline and server.poll() is None:
            try:
                status, body = get(f"{base}/healthz")
                if status == 200:
                    break
            except OSError:
                time.sleep(0.3)
        assert status == 200, server.communicate()[1] if server.poll() is not None else "timeout"
        assert body == b'{"status": "ok", "database": "ok"}'
        status, page = get(f"{base}/tai-khoan/dang-nhap/")
        assert status == 200
        css = re.search(rb'href="(/static/thidua/app\.[0-9a-f]+\.css)"', page)
        assert css is not None, page[:500]
        assert get(base + css.group(1).decode())[0] == 200
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=60)
    assert "gunicorn" in stderr
    access = [line for line in stderr.splitlines() if " thidua.access " in line]
    assert any(
        re.search(r" INFO thidua\.access req=[0-9a-f]{32} GET /tai-khoan/dang-nhap/ 200 ", a) for a in access
    )
