"""The one settings module, read with different THIDUA_* environments (without touching the running one)."""

import os
import re
import runpy
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

from thidua.lib.env import SettingError

BASE_DIR = Path(__file__).resolve().parents[3]
SETTINGS_FILE = BASE_DIR / "thidua" / "settings.py"
PRODUCTION_KEY = secrets.token_urlsafe(60)
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": PRODUCTION_KEY,
    "ALLOWED_HOSTS": "thidua.example.vn",
}


def clean_environ(**env: str) -> dict[str, str]:
    result = {k: v for k, v in os.environ.items() if not k.startswith("THIDUA_")}
    result.update({f"THIDUA_{k}": v for k, v in env.items()})
    return result


@pytest.fixture
def load_settings(monkeypatch):
    def load(**env: str) -> dict[str, Any]:
        for name in list(os.environ):
            if name.startswith("THIDUA_"):
                monkeypatch.delenv(name)
        for name, value in env.items():
            monkeypatch.setenv(f"THIDUA_{name}", value)
        return runpy.run_path(str(SETTINGS_FILE))

    return load


def test_defaults_run_a_fresh_checkout_in_development_on_sqlite(load_settings):
    s = load_settings()
    assert s["DEBUG"] is True
    assert s["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert s["DATABASES"]["default"]["NAME"] == str(BASE_DIR / "db.sqlite3")
    assert s["SECRET_KEY"] == s["DEV_SECRET_KEY"]
    assert "127.0.0.1" in s["ALLOWED_HOSTS"]
    assert s["SESSION_COOKIE_SECURE"] is False
    assert s["SECURE_SSL_REDIRECT"] is False


def test_time_zone_and_language_are_vietnamese(load_settings):
    s = load_settings()
    assert s["TIME_ZONE"] == "Asia/Ho_Chi_Minh"
    assert s["LANGUAGE_CODE"] == "vi"
    assert s["USE_TZ"] is True


def test_database_url_chooses_postgresql(load_settings):
    s = load_settings(DATABASE_URL="postgres://thidua:pw@db:5432/thidua")
    db = s["DATABASES"]["default"]
    assert (db["ENGINE"], db["NAME"], db["HOST"]) == ("django.db.backends.postgresql", "thidua", "db")


def test_a_bad_variable_stops_start_up_with_its_name(load_settings):
    with pytest.raises(SettingError, match="THIDUA_DEBUG"):
        load_settings(DEBUG="có lẽ")


def test_knobs_are_read_from_the_environment(load_settings):
    s = load_settings(
        LOGIN_MAX_FAILURES="3",
        LOGIN_LOCK_SECONDS="60",
        SESSION_COOKIE_AGE="600",
        CSRF_TRUSTED_ORIGINS="https://thidua.example.vn",
        LOG_LEVEL="INFO",
    )
    assert s["LOGIN_MAX_FAILURES"] == 3
    assert s["LOGIN_LOCK_SECONDS"] == 60
    assert s["SESSION_COOKIE_AGE"] == 600
    assert s["CSRF_TRUSTED_ORIGINS"] == ["https://thidua.example.vn"]
    assert s["LOGGING"]["root"]["level"] == "INFO"


@pytest.mark.parametrize(
    "key",
    [
        None,  # unset: the development key
        "dev-insecure-thidua-secret-key-change-me-in-production-0123456789",
        "too-short",
    ],
)
def test_production_refuses_to_start_without_a_real_secret_key(load_settings, key):
    env = {"DEBUG": "false", "ALLOWED_HOSTS": "thidua.example.vn"}
    if key is not None:
        env["SECRET_KEY"] = key
    with pytest.raises(ImproperlyConfigured, match="THIDUA_SECRET_KEY"):
        load_settings(**env)


def test_production_secret_key_may_come_from_a_file(load_settings, tmp_path):
    key_file = tmp_path / "secret_key"
    key_file.write_text(PRODUCTION_KEY + "\n", encoding="utf-8")
    s = load_settings(DEBUG="false", SECRET_KEY_FILE=str(key_file), ALLOWED_HOSTS="thidua.example.vn")
    assert s["SECRET_KEY"] == PRODUCTION_KEY


def test_production_is_strict_about_cookies_https_and_headers(load_settings):
    s = load_settings(**PRODUCTION_ENV)
    assert s["DEBUG"] is False
    assert s["ALLOWED_HOSTS"] == ["thidua.example.vn"]
    assert s["SESSION_COOKIE_SECURE"] is True
    assert s["CSRF_COOKIE_SECURE"] is True
    assert s["SESSION_COOKIE_HTTPONLY"] is True
    assert s["SECURE_SSL_REDIRECT"] is True
    assert s["SECURE_HSTS_SECONDS"] >= 31536000
    assert s["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert s["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert s["SECURE_REFERRER_POLICY"] == "same-origin"
    assert s["X_FRAME_OPTIONS"] == "DENY"
    assert "SECURE_PROXY_SSL_HEADER" not in s


def test_hsts_preload_is_an_opt_in(load_settings):
    s = load_settings(**PRODUCTION_ENV)
    assert s["SECURE_HSTS_PRELOAD"] is False
    assert "security.W021" in s["SILENCED_SYSTEM_CHECKS"]  # documented choice, not a forgotten setting
    s = load_settings(**PRODUCTION_ENV, HSTS_PRELOAD="true")
    assert s["SECURE_HSTS_PRELOAD"] is True
    assert "security.W021" not in s["SILENCED_SYSTEM_CHECKS"]


def test_web_server_settings_come_from_the_environment(load_settings, tmp_path):
    s = load_settings(WEB_WORKERS="7", WEB_TIMEOUT="60", STATIC_ROOT=str(tmp_path / "static"))
    assert (s["WEB_WORKERS"], s["WEB_TIMEOUT"]) == (7, 60)
    assert s["STATIC_ROOT"] == tmp_path / "static"
    assert load_settings()["WEB_WORKERS"] >= 3


def test_behind_a_proxy_trusts_its_https_header(load_settings):
    s = load_settings(**PRODUCTION_ENV, BEHIND_PROXY="true")
    assert s["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")


def test_check_deploy_is_clean_with_production_variables():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=clean_environ(**PRODUCTION_ENV),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_manage_py_refuses_to_start_in_production_with_the_development_key():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=BASE_DIR,
        env=clean_environ(DEBUG="false", ALLOWED_HOSTS="thidua.example.vn"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "THIDUA_SECRET_KEY" in result.stderr


def test_every_variable_the_code_reads_is_documented():
    pattern = re.compile(r"""env_(?:str|bool|int|list)\(\s*["']([A-Z0-9_]+)["']""")
    sources = [p for p in (BASE_DIR / "thidua").rglob("*.py") if "tests" not in p.parts]
    read = {name for path in sources for name in pattern.findall(path.read_text("utf-8"))}
    assert {"DEBUG", "SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS"} <= read
    table = (BASE_DIR / "docs" / "settings.md").read_text("utf-8")
    documented = set(re.findall(r"^\| `THIDUA_([A-Z0-9_]+)` \|", table, flags=re.MULTILINE))
    assert read - documented == set(), "add these to the table in docs/settings.md"
