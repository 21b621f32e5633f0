"""CPU and queries of the signed-in home dashboard, in process: `python bench/dashboard_cpu.py
--database-url postgres://…/thidua_x [--users canbo.bhxhvn,canbo.hanoi] [--requests 50]`.

Conditions (printed with the figures): THIDUA_DEBUG=false, `django.test.Client` with `force_login`
(no network, no gunicorn), a warm-up of 5 requests, then --requests requests timed with
`time.process_time()` (CPU of this process: Python, templates, the database driver; not the
server's work) and `time.perf_counter()`; queries counted with `CaptureQueriesContext` on one more
request. With --dump FOLDER it writes each user's page there (less nonces and tokens), to compare
two versions of the code with diff.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import sys
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--users", default="canbo.bhxhvn,canbo.hanoi")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--dump", metavar="FOLDER", help="write each page (less nonces) there")
    parser.add_argument("--queries", action="store_true", help="print the SQL of one request")
    args = parser.parse_args()
    os.environ["THIDUA_DATABASE_URL"] = args.database_url
    os.environ["THIDUA_DEBUG"] = "false"
    os.environ.setdefault("THIDUA_SECRET_KEY", secrets.token_urlsafe(60))
    os.environ.setdefault("THIDUA_ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thidua.settings")
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)  # the manifest of THIDUA_DEBUG=false
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from thidua.accounts.models import User

    print(f"load average before: {os.getloadavg()}")
    for username in args.users.split(","):
        client = Client()
        client.force_login(User.objects.get(username=username))
        for _ in range(5):
            response = client.get("/", secure=True)
            assert response.status_code == 200, response.status_code
        cpu0, wall0 = time.process_time(), time.perf_counter()
        for _ in range(args.requests):
            client.get("/", secure=True)
        cpu = (time.process_time() - cpu0) / args.requests * 1000
        wall = (time.perf_counter() - wall0) / args.requests * 1000
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/", secure=True)
        print(f"{username:16} cpu {cpu:6.1f} ms  wall {wall:6.1f} ms  queries {len(queries)}")
        if args.queries:
            for q in queries.captured_queries:
                print(f"   {q['time']}  {q['sql'][:300]}")
        if args.dump:
            # The page as shown, less what changes on every request (nonces, tokens).
            html = re.sub(
                r'(nonce|value|content|"X-CSRFToken": )=?"[A-Za-z0-9_\-+/=]{20,}"',
                r'\1="…"',
                response.content.decode(),
            )
            path = os.path.join(args.dump, f"{username}.html")
            with open(path, "w") as f:
                f.write(html)
            print(f"   page written to {path}")
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
