"""Typed readers for THIDUA_* environment variables (settings are read only through these)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

PREFIX = "THIDUA_"


class SettingError(ValueError):
    """A THIDUA_* variable holds a value that cannot be used."""


def env_str(name: str, default: str = "") -> str:
    """The variable's value; VAR_FILE (a path) wins, for secrets mounted as files.

    Unset and empty both mean the default, as for the other readers.
    """
    file_path = os.environ.get(f"{PREFIX}{name}_FILE")
    if file_path:
        return Path(file_path).read_text(encoding="utf-8").strip()
    return os.environ.get(f"{PREFIX}{name}") or default


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(f"{PREFIX}{name}")
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise SettingError(f"{PREFIX}{name}: '{raw}' is not a boolean (use true/false)")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(f"{PREFIX}{name}")
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise SettingError(f"{PREFIX}{name}: '{raw}' is not an integer") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(f"{PREFIX}{name}")
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def parse_database_url(url: str, *, base_dir: Path) -> dict[str, Any]:
    """Turn sqlite:///path or postgres://user:pass@host:port/name?opt=v into a DATABASES entry.

    SQLite is opened with WAL, a busy timeout and IMMEDIATE transactions so that the embedded
    default tolerates a web process and a command writing at the same time.
    """
    parts = urlsplit(url)
    scheme = parts.scheme
    if scheme == "sqlite":
        raw_path = unquote(parts.path)
        if parts.netloc:  # sqlite://relative/path is a mistake people make; be strict
            raise SettingError(
                f"{PREFIX}DATABASE_URL: use sqlite:///relative.db or sqlite:////abs/path.db, not '{url}'"
            )
        path = raw_path[1:] if raw_path.startswith("/") else raw_path
        if not path:
            raise SettingError(f"{PREFIX}DATABASE_URL: no SQLite file in '{url}' (e.g. sqlite:///db.sqlite3)")
        name = path if path.startswith("/") or path == ":memory:" else str(base_dir / path)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": name,
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            },
        }
    if scheme in {"postgres", "postgresql", "pgsql"}:
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise SettingError(f"{PREFIX}DATABASE_URL: no database name in '{url}'")
        try:
            port = parts.port
        except ValueError as exc:
            raise SettingError(f"{PREFIX}DATABASE_URL: the port in '{url}' is not a number") from exc
        options = dict(parse_qsl(parts.query))
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
        }
    raise SettingError(f"{PREFIX}DATABASE_URL: unsupported scheme '{scheme}' (use sqlite:/// or postgres://)")
