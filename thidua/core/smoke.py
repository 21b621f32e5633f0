"""Smoke test of a production install: `python -m thidua.core.smoke [--database URL]` (`make smoke`).

With THIDUA_DEBUG=false and the production settings (manifest static files, HTTPS cookies, CSP), on a
fresh database (a scratch PostgreSQL database next to URL, or an SQLite file): migrate, load the demo,
collect the static files as `thidua serve --production` does, then sign in as each demo persona and
follow every link the pages offer (GET only, a few URLs per route) plus the API's lists. Any answer
500 or above, or an exception, fails the run; the last line reads "smoke: N passed, M failed".
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import sys
import tempfile
import time
import traceback
from collections import deque
from typing import Any
from urllib.parse import urlsplit

PERSONAS = ("admin", "canbo.bhxhvn", "canbo.hanoi", "giamdoc.hanoi", "hoidong.hanoi", "nhanvien.hanoi")
HOST = "thidua.example.vn"
PER_ROUTE = 3  # distinct URLs tried per route and persona (a list of 5,000 people needs not 5,000 pages)
MAX_PAGES = 700  # per persona
SKIP = ("/static/", "/media/", "/quan-tri/logout", "/tai-khoan/dang-xuat")
_HREF = re.compile(r'(?:href|hx-get)="(/[^"#]*)"')
# Bad input on every route's first page: none of it may give a 500.
BAD_QUERIES = (
    "nam=0&year=0&ngay=0001-01-01&date=1900-01-01&as_of=2000-01-01&page=999999999999999999999",
    "nam=abc&year=-1&ngay=31/02/2026&page=abc&unit=abc&don_vi=abc&cluster=abc&status=%00",
    "q=" + "đ" * 400 + "&unit=99999999999999999999999&person=-5&format=xlsx&ky=zz",
)


def _scratch_database(url: str) -> tuple[str, Any]:
    """A new PostgreSQL database next to `url` (dropped afterwards), or a new SQLite file."""
    if not url.startswith(("postgres://", "postgresql://")):
        folder = tempfile.mkdtemp(prefix="thidua-smoke-")
        return f"sqlite:///{folder}/smoke.sqlite3", lambda: None
    import psycopg

    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'thidua'}_smoke"
    admin = parts._replace(path="/postgres").geturl().replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return parts._replace(path=f"/{name}").geturl(), drop


def _production_environment(database_url: str) -> None:
    folder = tempfile.mkdtemp(prefix="thidua-smoke-files-")
    for name in list(os.environ):
        if name.startswith("THIDUA_"):
            del os.environ[name]
    os.environ.update(
        {
            "THIDUA_DEBUG": "false",
            "THIDUA_SECRET_KEY": secrets.token_urlsafe(60),
            "THIDUA_ALLOWED_HOSTS": HOST,
            "THIDUA_DATABASE_URL": database_url,
            "THIDUA_STATIC_ROOT": f"{folder}/static",
            "THIDUA_MEDIA_ROOT": f"{folder}/media",
            "THIDUA_LOG_LEVEL": "ERROR",
        }
    )
    os.environ["DJANGO_SETTINGS_MODULE"] = "thidua.settings"


class Crawler:
    def __init__(self) -> None:
        self.passed = 0
        self.failures: list[str] = []

    def visit(self, client: Any, url: str) -> Any:
        try:
            response = client.get(url, secure=True, HTTP_HOST=HOST)
        except Exception:
            self.failures.append(f"{url}: {traceback.format_exc(limit=3)}")
            return None
        if response.status_code >= 500:
            self.failures.append(f"{url}: {response.status_code}")
        else:
            self.passed += 1
        return response

    def crawl(self, client: Any, persona: str) -> int:
        from django.urls import Resolver404, resolve

        seen: set[str] = set()
        per_route: dict[str, int] = {}
        queue = deque(["/", "/api/v1/", "/api/v1/docs/", "/api/v1/schema/"])
        pages = 0
        while queue and pages < MAX_PAGES:
            url = queue.popleft()
            if url in seen or url.startswith(SKIP):
                continue
            seen.add(url)
            try:
                match = resolve(urlsplit(url).path)
            except Resolver404:
                continue
            route = f"{match.route}?{bool(urlsplit(url).query)}"
            if per_route.get(route, 0) >= PER_ROUTE:
                continue
            per_route[route] = per_route.get(route, 0) + 1
            response = self.visit(client, url)
            pages += 1
            if per_route[route] == 1 and not url.startswith("/quan-tri/"):  # Django's admin: not ours
                separator = "&" if "?" in url else "?"
                for query in BAD_QUERIES:
                    self.visit(client, f"{url}{separator}{query}")
            if response is None or response.status_code != 200:
                continue
            queue.extend(self.links(response))
        return pages

    @staticmethod
    def links(response: Any) -> list[str]:
        kind = response.get("Content-Type", "")
        if "html" in kind:
            text = response.content.decode("utf-8", "replace")
            return [href.replace("&amp;", "&") for href in _HREF.findall(text)]
        if "json" in kind and not getattr(response, "streaming", False):
            try:
                body = json.loads(response.content)
            except ValueError:
                return []
            found: list[str] = []
            values = body.values() if isinstance(body, dict) else []
            for value in values:
                if isinstance(value, str) and "/api/" in value:
                    found.append(urlsplit(value).path)
            for item in (body.get("results") or [])[:2] if isinstance(body, dict) else []:
                if isinstance(item, dict) and isinstance(item.get("id"), int):
                    found.append(f"{urlsplit(response.wsgi_request.path).path}{item['id']}/")
            return found
        return []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", default="", help="postgres://… (a scratch database is made next to it)")
    parser.add_argument("--people", type=int, default=1000, help="demo staff (default 1,000)")
    args = parser.parse_args(argv)
    started = time.monotonic()
    url, drop = _scratch_database(args.database)
    _production_environment(url)
    try:
        import django

        django.setup()
        from django.conf import settings
        from django.contrib.auth import get_user_model
        from django.core.management import call_command
        from django.core.management.base import OutputWrapper
        from django.test import Client

        from thidua.core.management.commands.serve import check_deploy, collect_static

        assert not settings.DEBUG
        print(f"smoke: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}, THIDUA_DEBUG=false")
        check_deploy()
        call_command("migrate", verbosity=0)
        call_command("demo", people=args.people, verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
        collect_static(OutputWrapper(sys.stdout))
        crawler = Crawler()
        anonymous = Client()
        for url in ("/tai-khoan/dang-nhap/", "/healthz", "/"):
            crawler.visit(anonymous, url)
        for username in PERSONAS:
            client = Client()
            client.force_login(get_user_model().objects.get(username=username))
            pages = crawler.crawl(client, username)
            print(f"smoke: {username}: {pages} trang")
        for failure in crawler.failures:
            print(f"FAILED {failure}")
        print(f"smoke: {time.monotonic() - started:.0f} s")
        print(f"smoke: {crawler.passed} passed, {len(crawler.failures)} failed")
        return 1 if crawler.failures else 0
    finally:
        from django.db import connections

        connections.close_all()
        drop()


if __name__ == "__main__":
    sys.exit(main())
