"""One archive of the database and the uploaded files: `thidua backup FILE`, `thidua restore FILE`.

The archive is a .tar.gz holding `manifest.json` (format, date, database kind, every table's row
count, number of files), the database and `media/`:

- PostgreSQL: `pg_dump --format=custom` (one consistent snapshot while the app keeps running),
  restored with `pg_restore` into an empty database;
- SQLite: SQLite's online backup API (a consistent copy of the file while others write), restored by
  the same API into a new file.

The database is dumped before the files are copied, so every file a row names is in the archive.
Restoring refuses a database that already has tables, a media folder that already has files, and an
archive made from the other kind of database; afterwards it checks every table's row count against
the manifest. The archive holds personal data: it is written readable by its owner only.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections, transaction

import thidua

FORMAT = "thidua-backup-1"
MANIFEST = "manifest.json"
PG_DUMP_NAME = "database.pgdump"
SQLITE_NAME = "database.sqlite3"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why (Vietnamese)."""


@dataclass(frozen=True)
class Summary:
    path: Path
    vendor: str
    tables: dict[str, int]
    files: int

    @property
    def rows(self) -> int:
        return sum(self.tables.values())


def _db() -> dict[str, Any]:
    config: dict[str, Any] = settings.DATABASES["default"]
    return config


def _vendor() -> str:
    engine = str(_db()["ENGINE"])
    if engine.endswith("postgresql"):
        return "postgresql"
    if engine.endswith("sqlite3"):
        return "sqlite"
    raise BackupError(f"Chưa hỗ trợ sao lưu cơ sở dữ liệu loại {engine}")


# -- row counts -------------------------------------------------------------------------------------
def table_counts(alias: str = "default") -> dict[str, int]:
    """Every table of the database and its row count (what a restore must give back)."""
    connection = connections[alias]
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        for name in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(name)}")
            counts[name] = int(cursor.fetchone()[0])
    return counts


def sqlite_counts(path: Path) -> dict[str, int]:
    db = sqlite3.connect(path)
    try:
        names = [
            r[0]
            for r in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        return {n: int(db.execute(f'SELECT COUNT(*) FROM "{n}"').fetchone()[0]) for n in names}
    finally:
        db.close()


# -- PostgreSQL tools -------------------------------------------------------------------------------
def _pg_env() -> dict[str, str]:
    """libpq's variables for the configured database (the password never appears on a command line)."""
    db = _db()
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[var] = str(db[key])
    env["PGDATABASE"] = str(db["NAME"])
    for option, var in (("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT")):
        if db.get("OPTIONS", {}).get(option):
            env[var] = str(db["OPTIONS"][option])
    return env


def _run(tool: str, args: list[str]) -> None:
    if shutil.which(tool) is None:
        raise BackupError(
            f"Không tìm thấy chương trình {tool} (gói postgresql-client); cài gói này rồi chạy lại"
        )
    result = subprocess.run([tool, *args], env=_pg_env(), capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{tool} báo lỗi: {result.stderr.strip()[:2000]}")


# -- backup -----------------------------------------------------------------------------------------
def backup(target: Path, *, progress: Callable[[str], None] = lambda _: None) -> Summary:
    """Write the archive to `target` (atomically: a partial file never takes its name)."""
    vendor = _vendor()
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="thidua-backup-") as tmp:
        work = Path(tmp)
        progress("Đang sao lưu cơ sở dữ liệu…")
        if vendor == "postgresql":
            dump = work / PG_DUMP_NAME
            # One snapshot for pg_dump and for the row counts of the manifest, while others write.
            with transaction.atomic(), connections["default"].cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = str(cursor.fetchone()[0])
                counts = table_counts()
                _run(
                    "pg_dump",
                    [
                        "--format=custom",
                        "--no-owner",
                        "--no-privileges",
                        f"--snapshot={snapshot}",
                        f"--file={dump}",
                    ],
                )
        else:
            dump = work / SQLITE_NAME
            source = sqlite3.connect(str(_db()["NAME"]))
            copy = sqlite3.connect(dump)
            try:
                source.backup(copy)
            finally:
                copy.close()
                source.close()
            counts = sqlite_counts(dump)  # the copy's own counts: exactly what the archive holds
        media = Path(settings.MEDIA_ROOT)
        files = [p for p in sorted(media.rglob("*")) if p.is_file()] if media.is_dir() else []
        manifest = {
            "format": FORMAT,
            "created_at": datetime.now().astimezone().isoformat(timespec="seconds"),
            "thidua_version": thidua.__version__,
            "database": vendor,
            "tables": counts,
            "files": len(files),
        }
        (work / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        progress(f"Đang đóng gói {len(files)} tệp tải lên…")
        partial = target.with_name(target.name + ".partial")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
            archive.add(work / MANIFEST, arcname=MANIFEST)
            archive.add(dump, arcname=dump.name)
            for path in files:
                archive.add(path, arcname=f"media/{path.relative_to(media).as_posix()}", recursive=False)
        partial.replace(target)
    return Summary(target, vendor, counts, len(files))


# -- restore ----------------------------------------------------------------------------------------
def _read_manifest(archive: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = archive.getmember(MANIFEST)
        handle = archive.extractfile(member)
        assert handle is not None
        manifest: dict[str, Any] = json.loads(handle.read(1_000_000))
    except (KeyError, AssertionError, ValueError) as exc:
        raise BackupError("Tệp không phải bản sao lưu của ThiĐua (thiếu manifest.json)") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Bản sao lưu có định dạng «{str(manifest.get('format'))[:40]}», cần {FORMAT}")
    return manifest


def _media_members(archive: tarfile.TarFile) -> list[tarfile.TarInfo]:
    """The uploaded files of the archive, checked before anything is written: plain files under
    media/, no absolute path, no "..", no link (an archive cannot write outside the media folder)."""
    members = []
    for member in archive.getmembers():
        if member.name in (MANIFEST, PG_DUMP_NAME, SQLITE_NAME):
            continue
        parts = Path(member.name).parts
        if not (
            member.isfile() and parts and parts[0] == "media" and ".." not in parts
        ) or member.name.startswith("/"):
            raise BackupError(f"Bản sao lưu có mục không hợp lệ: «{member.name[:80]}»; không khôi phục")
        members.append(member)
    return members


def _check_empty_database(vendor: str) -> None:
    if vendor == "sqlite":
        path = Path(str(_db()["NAME"]))
        tables = sqlite_counts(path) if path.exists() and path.stat().st_size else {}
    else:
        connection = connections["default"]
        with connection.cursor() as cursor:
            tables = dict.fromkeys(connection.introspection.table_names(cursor), 0)
    if tables:
        raise BackupError(
            f"Cơ sở dữ liệu đích không trống (có {len(tables)} bảng). Khôi phục chỉ vào một cơ sở dữ liệu "
            "mới, trống (PostgreSQL: createdb; SQLite: một tệp chưa có)"
        )


def _check_empty_media() -> Path:
    media = Path(settings.MEDIA_ROOT)
    if media.is_dir() and any(p.is_file() for p in media.rglob("*")):
        raise BackupError(f"Thư mục tệp tải lên {media} đã có tệp; khôi phục cần một thư mục trống")
    return media


def restore(source: Path, *, progress: Callable[[str], None] = lambda _: None) -> Summary:
    """Load an archive into an empty database and media folder; checks every table's row count."""
    vendor = _vendor()
    try:
        archive = tarfile.open(source, mode="r:gz")  # noqa: SIM115 (closed by the `with` below)
    except (OSError, tarfile.TarError) as exc:
        raise BackupError(f"Không đọc được bản sao lưu {source.name}: {exc}") from exc
    with archive, tempfile.TemporaryDirectory(prefix="thidua-restore-") as tmp:
        manifest = _read_manifest(archive)
        members = _media_members(archive)
        if manifest.get("database") != vendor:
            raise BackupError(
                f"Bản sao lưu là của {manifest.get('database')}, cơ sở dữ liệu đích là {vendor}: "
                "khôi phục vào cùng loại cơ sở dữ liệu"
            )
        _check_empty_database(vendor)
        media = _check_empty_media()
        work = Path(tmp)
        name = PG_DUMP_NAME if vendor == "postgresql" else SQLITE_NAME
        try:
            archive.extract(name, path=work, filter="data")
        except KeyError as exc:
            raise BackupError(f"Bản sao lưu thiếu {name}") from exc
        progress("Đang khôi phục cơ sở dữ liệu…")
        if vendor == "postgresql":
            _run(
                "pg_restore",
                [
                    "--no-owner",
                    "--no-privileges",
                    "--exit-on-error",
                    "--single-transaction",
                    "-d",
                    str(_db()["NAME"]),
                    str(work / name),
                ],
            )
            connections["default"].close()
            counts = table_counts()
        else:
            target = Path(str(_db()["NAME"]))
            target.parent.mkdir(parents=True, exist_ok=True)
            source_db = sqlite3.connect(work / name)
            target_db = sqlite3.connect(target)
            try:
                source_db.backup(target_db)
            finally:
                target_db.close()
                source_db.close()
            counts = sqlite_counts(target)
        progress("Đang chép lại tệp tải lên…")
        media.mkdir(parents=True, exist_ok=True)
        for member in members:
            member.name = member.name.removeprefix("media/")
            archive.extract(member, path=media, filter="data")
    expected = {str(k): int(v) for k, v in manifest.get("tables", {}).items()}
    if counts != expected:
        wrong = sorted(k for k in set(counts) | set(expected) if counts.get(k) != expected.get(k))
        raise BackupError(f"Số dòng sau khi khôi phục khác bản sao lưu ở các bảng: {', '.join(wrong[:20])}")
    return Summary(source, vendor, counts, len(members))
