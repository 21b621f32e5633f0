"""Time the signed-in pages under load: `python bench/web_scale.py --database-url postgres://…/thidua_x`.

Conditions (printed with the figures):
- the database must already hold the demo (`thidua migrate && thidua demo --people N`, then
  `thidua maintain --cluster` as docs/deploy.md advises after a large import: the people laid out in
  name order); the bench reads a few ids from it (random people and units, the Hà Nội province unit)
  and nothing else;
- it starts `thidua serve --production` on 127.0.0.1 (gunicorn, THIDUA_WEB_WORKERS processes, the
  default of settings.py unless --workers), with THIDUA_DEBUG=false, THIDUA_BEHIND_PROXY=true and
  requests sent with `X-Forwarded-Proto: https` (as behind the nginx of docs/deploy.md), and stops it
  at the end (or uses a server already running, with --base-url);
- the client (--client): `wrk` (the default when it is installed: a C load tool, `apt install wrk`;
  its Lua script cycles through the page's URLs with the session cookie and prints wrk's own latency
  percentiles) or `python` (this script's threads with `http.client`, one new connection per request);
  either way a closed loop of --clients concurrent connections (20) with no pause, signed in once as
  --user (canbo.bhxhvn, the national officer of the demo; its session cookie is shared), against
  127.0.0.1 (the gunicorn sync workers close each connection after its answer: every request connects);
- each page runs for --seconds (default 20) after a warm-up of 2 s; latencies are wall-clock times
  from sending the request to the end of the body; any answer other than 200 counts as an error;
- pages: the people list (a few list pages, page 1 to 5), a name search (full names, given names,
  a family and a middle name, a name with an apostrophe), a person's page (random people), a unit's
  page (random units: head office, provinces, districts, departments), the home dashboard; then
  the province eligibility page (Hà Nội, `/xet-khen-thuong/don-vi/<id>/` with its first pages), one
  client, timed --repeat times;
- the load average of the machine is printed before and after (other work on the machine shows).

It prints figures and asserts nothing (docs/scale.md holds the measured tables).
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

SEARCHES = [
    "nguyen van hung",
    "tran thi thu ha",
    "le minh tuan",
    "pham thi lan",
    "hoang van nam",
    "thi huong",
    "vu duc anh",
    "h'hen",
    "do thi mai",
    "bui quang",
]


@dataclass
class Result:
    times: list[float] = field(default_factory=list)
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)


class Client:
    """A signed-in browser, reduced to its cookies."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.cookies: dict[str, str] = {}

    def _headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = {
            "Host": f"{self.host}:{self.port}",
            "X-Forwarded-Proto": "https",
            "User-Agent": "thidua-bench",
            "Accept-Encoding": "identity",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        headers.update(extra or {})
        return headers

    def request(
        self, method: str, path: str, body: str | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, str, http.client.HTTPResponse]:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
        try:
            conn.request(method, path, body=body, headers=self._headers(headers))
            response = conn.getresponse()
            data = response.read().decode("utf-8", "replace")
            return response.status, data, response
        finally:
            conn.close()

    def login(self, username: str, password: str) -> None:
        path = "/tai-khoan/dang-nhap/"
        status, page, response = self.request("GET", path)
        self._keep_cookies(response)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or token is None:
            raise SystemExit(f"login page answered {status}")
        body = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token.group(1), "username": username, "password": password, "next": "/"}
        )
        status, _, response = self.request(
            "POST",
            path,
            body,
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"https://{self.host}:{self.port}{path}",
            },
        )
        self._keep_cookies(response)
        if status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"sign-in as {username} failed ({status})")

    def _keep_cookies(self, response: http.client.HTTPResponse) -> None:
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]


def load(client: Client, urls: list[str], clients: int, seconds: float, warmup: float = 2.0) -> Result:
    """`clients` threads each asking the urls in turn for `seconds` (after `warmup`, not counted)."""
    result = Result()
    lock = threading.Lock()
    start = time.perf_counter()
    counting_from = start + warmup
    stop = counting_from + seconds

    def worker(offset: int) -> None:
        i = offset
        while True:
            now = time.perf_counter()
            if now >= stop:
                return
            url = urls[i % len(urls)]
            i += 1
            began = time.perf_counter()
            try:
                status, _, _ = client.request("GET", url)
            except (OSError, http.client.HTTPException):
                status = 0
            took = time.perf_counter() - began
            if began < counting_from:
                continue
            with lock:
                result.statuses[status] = result.statuses.get(status, 0) + 1
                if status == 200:
                    result.times.append(took)
                else:
                    result.errors += 1

    threads = [threading.Thread(target=worker, args=(n * 7,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return result


WRK_SCRIPT = """
local paths = {}
local cookie = os.getenv("WRK_COOKIE")
local counter = 0
init = function(args)
  for line in io.lines(os.getenv("WRK_PATHS")) do paths[#paths + 1] = line end
  counter = math.random(#paths)
end
request = function()
  counter = counter % #paths + 1
  return wrk.format("GET", paths[counter], {["Cookie"] = cookie, ["X-Forwarded-Proto"] = "https",
    ["Accept-Encoding"] = "identity"})
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %d %d %d %d %d %d %d %d %d\\n", summary.requests, summary.duration,
    summary.errors.status, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max))
end
"""


@dataclass
class WrkFigures:
    requests: int
    seconds: float
    errors: int
    p50: float
    p90: float
    p99: float
    max: float


def load_wrk(
    client: Client, urls: list[str], clients: int, seconds: float, warmup: float = 2.0
) -> WrkFigures:
    """wrk with `clients` connections over one thread, cycling through `urls` (after a warm-up run)."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "pages.lua"
        script.write_text(WRK_SCRIPT)
        paths = Path(folder) / "paths.txt"
        paths.write_text("\n".join(urls) + "\n")
        cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
        env = {**os.environ, "WRK_COOKIE": cookie, "WRK_PATHS": str(paths)}
        base = f"http://{client.host}:{client.port}"

        def run(duration: float) -> str:
            command = [
                "wrk",
                "-t1",
                f"-c{clients}",
                f"-d{duration:.0f}s",
                "--timeout",
                "30s",
                "-s",
                str(script),
                base,
            ]
            done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
            return done.stdout + done.stderr

        run(max(warmup, 1.0))
        out = run(seconds)
    line = next((x for x in out.splitlines() if x.startswith("RESULT ")), None)
    if line is None:
        raise SystemExit(f"wrk printed no result:\n{out}")
    n, duration_us, status, connect, read, write, timeout, p50, p90, p99, top = map(int, line.split()[1:])
    return WrkFigures(
        n,
        duration_us / 1e6,
        status + connect + read + write + timeout,
        p50 / 1000,
        p90 / 1000,
        p99 / 1000,
        top / 1000,
    )


# The target for 20 clients: p90 ≤ 200 ms and p99 ≤ 500 ms.
TARGET_P90_MS, TARGET_P99_MS = 200, 500


def verdict(p90: float, p99: float) -> str:
    met = p90 <= TARGET_P90_MS and p99 <= TARGET_P99_MS
    return f"{'met' if met else 'NOT met'} (p90 ≤ {TARGET_P90_MS}, p99 ≤ {TARGET_P99_MS})"


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


@dataclass
class Sample:
    people_total: int
    people: list[int]
    units: list[int]
    hanoi: int | None


def sample_ids(database_url: str, seed: int) -> Sample:
    """Random people and units of the demo, the Hà Nội unit (one query each, read only)."""
    import psycopg

    rnd = random.Random(seed)
    with psycopg.connect(database_url, autocommit=True) as conn:

        def one(sql: str) -> int | None:
            row = conn.execute(sql).fetchone()  # type: ignore[arg-type]
            return None if row is None else row[0]

        people_total = one("SELECT count(*) FROM org_person") or 0
        max_id = one("SELECT max(id) FROM org_person") or 0
        wanted = sorted({rnd.randint(1, max_id) for _ in range(400)}) if max_id else []
        people = [
            r[0] for r in conn.execute("SELECT id FROM org_person WHERE id = ANY(%s)", (wanted,)).fetchall()
        ][:200]
        units = [
            r[0]
            for r in conn.execute(
                "SELECT id FROM org_unit WHERE valid_to IS NULL ORDER BY md5(id::text || %s) LIMIT 60",
                (str(seed),),
            ).fetchall()
        ]
        root = one("SELECT id FROM org_unit WHERE code = 'BHXH-VN'")
        hanoi = one("SELECT id FROM org_unit WHERE code = 'BHXH-01'")
    rnd.shuffle(people)
    return Sample(people_total, people, ([root] if root else []) + units, hanoi)


def start_server(database_url: str, port: int, workers: int | None) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "THIDUA_DATABASE_URL": database_url,
        "THIDUA_DEBUG": "false",
        "THIDUA_SECRET_KEY": secrets.token_urlsafe(48),
        "THIDUA_BEHIND_PROXY": "true",
        "THIDUA_SECURE_SSL_REDIRECT": "false",
        "THIDUA_ALLOWED_HOSTS": "127.0.0.1",
        "THIDUA_STATIC_ROOT": os.environ.get("THIDUA_STATIC_ROOT", "/tmp/thidua-bench-static"),
    }
    if workers:
        env["THIDUA_WEB_WORKERS"] = str(workers)
    thidua = str(Path(sys.executable).with_name("thidua"))
    server = subprocess.Popen(
        [thidua, "serve", "--production", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.time() + 90
    while time.time() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server stopped (exit {server.returncode}); run it by hand to see why")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                time.sleep(1.5)  # the workers boot after the socket is bound
                return server
        except OSError:
            time.sleep(0.5)
    server.kill()
    raise SystemExit("the server did not start within 90 s")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("THIDUA_BENCH_DATABASE_URL", ""),
        help="a PostgreSQL database holding the demo (default: $THIDUA_BENCH_DATABASE_URL)",
    )
    parser.add_argument("--base-url", help="a server already running (else one is started)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, help="THIDUA_WEB_WORKERS for the started server")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--repeat", type=int, default=5, help="timings of the eligibility page")
    parser.add_argument("--user", default="canbo.bhxhvn")
    parser.add_argument("--password", default="thidua2026")
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--pages", default="list,search,person,unit,home,eligibility")
    parser.add_argument(
        "--client",
        choices=["wrk", "python"],
        default="wrk" if shutil.which("wrk") else "python",
        help="the load client (default: wrk when installed)",
    )
    args = parser.parse_args(argv)
    if not args.database_url.startswith("postgres"):
        # `make bench` runs every script without arguments: this one needs a loaded demo.
        print("web_scale: skipped, give --database-url (or THIDUA_BENCH_DATABASE_URL) of a PostgreSQL demo")
        return 0

    ids = sample_ids(args.database_url, args.seed)
    server = None
    if args.base_url:
        parsed = urllib.parse.urlsplit(args.base_url)
        host, port = parsed.hostname or "127.0.0.1", parsed.port or 80
    else:
        host, port = "127.0.0.1", args.port
        server = start_server(args.database_url, port, args.workers)
    try:
        workers = args.workers or "default (settings.WEB_WORKERS)"
        client_name = "wrk (one thread)" if args.client == "wrk" else "Python threads (http.client)"
        print(
            f"web_scale: {ids.people_total:,} people in org_person; client: {client_name}, "
            f"{args.clients} concurrent, closed loop, {args.seconds:.0f} s per page; server: thidua serve "
            f"--production, workers {workers}; cores {os.cpu_count()}; load average before "
            f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}",
            flush=True,
        )
        client = Client(host, port)
        client.login(args.user, args.password)
        pages: dict[str, list[str]] = {
            "list": [f"/to-chuc/nhan-su/?page={n}" for n in (1, 2, 3, 4, 5)],
            "search": [f"/to-chuc/nhan-su/?q={urllib.parse.quote(q)}" for q in SEARCHES],
            "person": [f"/to-chuc/nhan-su/{pk}/" for pk in ids.people],
            "unit": [f"/to-chuc/don-vi/{pk}/" for pk in ids.units],
            "home": ["/"],
        }
        print(
            f"{'page':<12}{'requests':>9}{'req/s':>8}{'p50 ms':>9}{'p90 ms':>9}{'p99 ms':>9}{'max ms':>9}  errors  target"
        )
        for name in args.pages.split(","):
            if name not in pages:
                continue
            if args.client == "wrk":
                w = load_wrk(client, pages[name], args.clients, args.seconds)
                print(
                    f"{name:<12}{w.requests:>9}{w.requests / w.seconds:>8.1f}{w.p50:>9.0f}{w.p90:>9.0f}"
                    f"{w.p99:>9.0f}{w.max:>9.0f}  {w.errors}  {verdict(w.p90, w.p99)}",
                    flush=True,
                )
                continue
            r = load(client, pages[name], args.clients, args.seconds)
            ms = [t * 1000 for t in r.times]
            print(
                f"{name:<12}{len(ms):>9}{len(ms) / args.seconds:>8.1f}{pct(ms, 50):>9.0f}{pct(ms, 90):>9.0f}"
                f"{pct(ms, 99):>9.0f}{max(ms, default=float('nan')):>9.0f}  {r.errors}"
                + (f" {r.statuses}" if r.errors else "")
                + f"  {verdict(pct(ms, 90), pct(ms, 99))}",
                flush=True,
            )
        if "eligibility" in args.pages.split(",") and ids.hanoi:
            base = f"/xet-khen-thuong/don-vi/{ids.hanoi}/"
            for url in (base, f"{base}?trang=2"):
                times = []
                size = 0
                status = 0
                for _ in range(args.repeat):
                    began = time.perf_counter()
                    status, body, _ = client.request("GET", url)
                    times.append((time.perf_counter() - began) * 1000)
                    size = len(body.encode())
                print(
                    f"eligibility {url} (one client): median {statistics.median(times):.0f} ms, max "
                    f"{max(times):.0f} ms, {size / 1024:.0f} KiB, status {status}",
                    flush=True,
                )
        print(f"load average after {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    finally:
        if server is not None:
            stop_server(server)
    return 0


if __name__ == "__main__":
    sys.exit(main())
