"""`thidua backup` and `thidua restore`: the demo round-trips with every table's row count unchanged.

The commands run as separate processes against their own databases, as an operator would run them:
SQLite files in a temporary folder, or, when the suite runs on PostgreSQL, two scratch databases on the
same server (pg_dump/pg_restore must be installed: the PostgreSQL round trip is skipped only when they
are not)."""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

THIDUA = str(Path(sys.executable).with_name("thidua"))
VENDOR = "postgresql" if settings.DATABASES["default"]["ENGINE"].endswith("postgresql") else "sqlite"


class Database:
    """A scratch database of the suite's kind, with its URL and an independent row count per table."""

    def __init__(self, url: str, counts_of: Any) -> None:
        self.url = url
        self.counts_of = counts_of

    def counts(self) -> dict[str, int]:
        result: dict[str, int] = self.counts_of()
        return result


def pg_params() -> dict[str, Any]:
    db = settings.DATABASES["default"]
    return {
        "host": db.get("HOST") or "127.0.0.1",
        "port": db.get("PORT") or 5432,
        "user": db.get("USER"),
        "password": db.get("PASSWORD") or None,
    }


def pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(dbname="postgres", autocommit=True, **pg_params()) as conn:
        conn.execute(sql)


def pg_counts(name: str) -> dict[str, int]:
    import psycopg

    with psycopg.connect(dbname=name, **pg_params()) as conn:
        tables = [r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        counts: dict[str, int] = {}
        for table in sorted(tables):
            row: Any = conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()
            counts[table] = int(row[0])
        return counts


def sqlite_counts(path: Path) -> dict[str, int]:
    db = sqlite3.connect(path)
    try:
        names = [
            r[0]
            for r in db.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {n: int(db.execute(f'SELECT COUNT(*) FROM "{n}"').fetchone()[0]) for n in sorted(names)}
    finally:
        db.close()


@pytest.fixture(scope="module")
def databases(tmp_path_factory) -> Iterator[tuple[Database, Database]]:
    """An empty source and an empty target database of the suite's kind."""
    folder = tmp_path_factory.mktemp("backup")
    if VENDOR == "sqlite":
        yield (
            Database(f"sqlite:///{folder}/source.db", lambda: sqlite_counts(folder / "source.db")),
            Database(f"sqlite:///{folder}/target.db", lambda: sqlite_counts(folder / "target.db")),
        )
        return
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        pytest.skip("pg_dump/pg_restore are not installed (package postgresql-client)")
    base = settings.DATABASES["default"]["NAME"]
    names = [f"{base}_bk_src", f"{base}_bk_dst"]
    for name in names:
        pg_admin(f'DROP DATABASE IF EXISTS "{name}"')
        pg_admin(f'CREATE DATABASE "{name}"')
    p = pg_params()
    auth = p["user"] + (f":{p['password']}" if p["password"] else "")
    try:
        yield tuple(  # type: ignore[misc]
            Database(f"postgres://{auth}@{p['host']}:{p['port']}/{name}", lambda n=name: pg_counts(n))
            for name in names
        )
    finally:
        for name in names:
            pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(args: list[str], url: str, media: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("THIDUA_")}
    env.update({"THIDUA_DATABASE_URL": url, "THIDUA_MEDIA_ROOT": str(media)})
    return subprocess.run([THIDUA, *args], env=env, capture_output=True, text=True, timeout=600, check=False)


@pytest.fixture(scope="module")
def archive(databases, tmp_path_factory) -> tuple[Path, dict[str, int], Path]:
    """The demo (300 people) with two uploaded files, backed up: (archive, source counts, folder)."""
    source, _ = databases
    folder = tmp_path_factory.mktemp("backup-files")
    media = folder / "media"
    for args in (["migrate", "--noinput", "-v0"], ["demo", "--people", "300"]):
        result = run(args, source.url, media)
        assert result.returncode == 0, result.stderr[-2000:]
    (media / "movements" / "evidence" / "2026").mkdir(parents=True)
    (media / "movements" / "evidence" / "2026" / "minh-chứng.pdf").write_bytes(b"%PDF-1.4 minh chung\n")
    (media / "documents" / "templates").mkdir(parents=True)
    (media / "documents" / "templates" / "mau.docx").write_bytes(b"PK\x03\x04 docx")
    files = sum(1 for f in media.rglob("*") if f.is_file())  # ours and the demo's article pictures
    path = folder / "thidua.tar.gz"
    result = run(["backup", str(path)], source.url, media)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Đã sao lưu" in result.stdout and f" {files} tệp" in result.stdout
    return path, source.counts(), folder


def test_the_demo_round_trips_with_every_tables_row_count(databases, archive):
    _, target = databases
    path, counts, folder = archive
    assert len(counts) > 50
    assert counts["org_person"] >= 300 and counts["history_rating"] > 0
    assert (path.stat().st_mode & 0o777) == 0o600  # personal data: owner only
    restored_media = folder / "restored-media"
    result = run(["restore", str(path)], target.url, restored_media)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "đúng như bản sao lưu" in result.stdout
    assert target.counts() == counts
    assert (
        (restored_media / "movements" / "evidence" / "2026" / "minh-chứng.pdf")
        .read_bytes()
        .startswith(b"%PDF")
    )
    assert (restored_media / "documents" / "templates" / "mau.docx").is_file()
    # The restored database is a working ThiĐua: no migration left to apply.
    check = run(["migrate", "--check"], target.url, restored_media)
    assert check.returncode == 0, check.stdout + check.stderr


def test_restore_refuses_a_database_that_is_not_empty(databases, archive):
    source, _ = databases
    path, counts, folder = archive
    result = run(["restore", str(path)], source.url, folder / "other-media")
    assert result.returncode != 0
    assert "không trống" in result.stderr
    assert source.counts() == counts  # nothing was touched


def rewrite(
    path: Path,
    target: Path,
    *,
    manifest: dict[str, Any] | None = None,
    extra: tuple[str, bytes] | None = None,
) -> Path:
    with tarfile.open(path, "r:gz") as old, tarfile.open(target, "w:gz") as new:
        for member in old.getmembers():
            data = old.extractfile(member)
            if member.name == "manifest.json" and manifest is not None:
                body = json.dumps(manifest).encode()
                member.size = len(body)
                new.addfile(member, io.BytesIO(body))
            else:
                new.addfile(member, data)
        if extra is not None:
            info = tarfile.TarInfo(extra[0])
            info.size = len(extra[1])
            new.addfile(info, io.BytesIO(extra[1]))
    return target


def test_restore_refuses_an_archive_of_the_other_kind_of_database(databases, archive, tmp_path):
    path, _, _ = archive
    with tarfile.open(path, "r:gz") as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
    other = "sqlite" if VENDOR == "postgresql" else "postgresql"
    forged = rewrite(path, tmp_path / "other.tar.gz", manifest={**manifest, "database": other})
    target = f"sqlite:///{tmp_path}/new.db" if VENDOR == "sqlite" else databases[1].url
    result = run(["restore", str(forged)], target, tmp_path / "m")
    assert result.returncode != 0 and "cùng loại cơ sở dữ liệu" in result.stderr
    assert not (tmp_path / "new.db").exists()


def test_restore_refuses_an_archive_that_would_write_outside_the_media_folder(archive, tmp_path):
    path, _, _ = archive
    forged = rewrite(path, tmp_path / "evil.tar.gz", extra=("media/../../evil.txt", b"x"))
    result = run(["restore", str(forged)], f"sqlite:///{tmp_path}/new.db", tmp_path / "m")
    assert result.returncode != 0
    assert "mục không hợp lệ" in result.stderr
    assert not (tmp_path / "evil.txt").exists()
    assert not (tmp_path / "new.db").exists()


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"not a tar")
    result = run(["restore", str(junk)], f"sqlite:///{tmp_path}/new.db", tmp_path / "m")
    assert result.returncode != 0 and "Không đọc được bản sao lưu" in result.stderr
