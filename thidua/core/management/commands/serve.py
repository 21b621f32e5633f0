"""`thidua serve`: the development server, or with `--production` the gunicorn server (docs/deploy.md)."""

from __future__ import annotations

import sys
from io import StringIO
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor


def _refuse(message: str) -> CommandError:
    return CommandError(f"Không khởi động máy chủ vận hành: {message}")


def check_deploy() -> None:
    """Django's deployment checks, warnings included (`thidua check --deploy --fail-level WARNING`)."""
    if settings.DEBUG:
        raise _refuse("THIDUA_DEBUG đang bật; đặt THIDUA_DEBUG=false (xem docs/deploy.md)")
    out = StringIO()
    try:
        call_command("check", deploy=True, fail_level="WARNING", stdout=out, stderr=out)
    except Exception as exc:  # SystemCheckError (or a settings error) with every problem listed
        raise _refuse(f"kiểm tra cấu hình (check --deploy) chưa đạt:\n{exc}\n{out.getvalue()}") from exc


def check_migrations() -> None:
    """The database answers and has every migration applied."""
    try:
        connection = connections[DEFAULT_DB_ALIAS]
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as exc:
        raise _refuse(f"không kết nối được cơ sở dữ liệu ({type(exc).__name__}: {exc})") from exc
    if plan:
        raise _refuse(f"cơ sở dữ liệu còn {len(plan)} bước cập nhật chưa chạy; chạy `thidua migrate` trước")


def collect_static(stdout: OutputWrapper) -> None:
    """Copy the static files to STATIC_ROOT with their hashed names (WhiteNoise serves them)."""
    root = settings.STATIC_ROOT
    try:
        call_command("collectstatic", interactive=False, verbosity=0)
    except OSError as exc:
        raise _refuse(
            f"không ghi được tệp tĩnh vào {root} ({exc.strerror or exc}). Cho tài khoản chạy ứng dụng "
            "quyền ghi thư mục đó, hoặc chạy `thidua collectstatic --noinput` khi cài đặt rồi khởi động "
            "với --no-collectstatic"
        ) from exc
    except ValueError as exc:  # the manifest storage found a reference to a missing file
        raise _refuse(f"thu thập tệp tĩnh không được: {exc}") from exc
    stdout.write(f"Đã chuẩn bị tệp tĩnh trong {root}")


def check_static() -> None:
    """With --no-collectstatic: the manifest collectstatic writes must be there already."""
    manifest = settings.STATIC_ROOT / "staticfiles.json"
    if not manifest.is_file():
        raise _refuse(
            f"chưa có tệp tĩnh đã thu thập ({manifest} không tồn tại); chạy `thidua collectstatic --noinput`"
        )


def gunicorn_options(addrport: str) -> dict[str, Any]:
    """gunicorn's settings: workers and timeout from THIDUA_WEB_*, our one-line log format."""
    logging: dict[str, Any] = {**settings.LOGGING}
    loggers: dict[str, Any] = {**logging.get("loggers", {})}
    loggers["gunicorn.error"] = {"level": "INFO", "handlers": [], "propagate": True}
    # RequestIdMiddleware writes the access lines (with the request id); gunicorn's own are off.
    loggers["gunicorn.access"] = {"level": "CRITICAL", "handlers": [], "propagate": False}
    return {
        "bind": [addrport],
        "workers": settings.WEB_WORKERS,
        "timeout": settings.WEB_TIMEOUT,
        "graceful_timeout": 30,
        # The application is imported once, before the workers are forked: a worker replaced after
        # its max_requests starts at once instead of importing Django again (about a second of CPU
        # taken from the other workers, a latency spike for the requests queued on it).
        "preload_app": True,
        # A worker is replaced after this many requests (memory held by one big export is given back).
        # Not fewer: a new worker pays its caches again (templates, the dashboard's figures: 0,25 s
        # at 1,000,000 people), and at 2,000 a busy worker was replaced every minute or so.
        "max_requests": 20000,
        "max_requests_jitter": 2000,
        "logconfig_dict": {**logging, "loggers": loggers},
        "proc_name": "thidua",
        # No control socket in the service account's home (systemd restarts and stops the server).
        "control_socket_disable": True,
    }


def run_gunicorn(options: dict[str, Any]) -> None:
    from gunicorn.app.base import BaseApplication

    class ThiDuaServer(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            from thidua.wsgi import application

            return application

    connections.close_all()  # the workers open their own connections after the fork
    ThiDuaServer().run()


class Command(BaseCommand):
    help = (
        "Chạy ứng dụng web: máy chủ phát triển, hoặc với --production máy chủ vận hành gunicorn "
        "(kiểm tra cấu hình, cơ sở dữ liệu và tệp tĩnh trước khi nhận yêu cầu)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000", help="ĐỊA_CHỈ:CỔNG")
        parser.add_argument(
            "--production",
            action="store_true",
            help="máy chủ vận hành (gunicorn, THIDUA_WEB_WORKERS tiến trình); cần THIDUA_DEBUG=false",
        )
        parser.add_argument(
            "--no-collectstatic",
            action="store_true",
            help="không thu thập tệp tĩnh khi khởi động (đã chạy `thidua collectstatic` khi cài đặt)",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="với --production: chỉ kiểm tra và chuẩn bị, không chạy máy chủ",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        addrport = options["addrport"]
        if ":" not in addrport:
            raise CommandError(f"Địa chỉ «{addrport[:60]}» phải có dạng ĐỊA_CHỈ:CỔNG, ví dụ 127.0.0.1:8000")
        if not options["production"]:
            self.stdout.write(f"ThiĐua đang chạy tại http://{addrport}/  (Ctrl+C để dừng)")
            call_command("runserver", addrport, use_reloader=False)
            return
        check_deploy()
        check_migrations()
        if options["no_collectstatic"]:
            check_static()
        else:
            collect_static(self.stdout)
        gunicorn = gunicorn_options(addrport)
        self.stdout.write(
            f"ThiĐua (vận hành) tại http://{addrport}/ với {gunicorn['workers']} tiến trình; "
            f"kiểm tra sức khỏe: /healthz"
        )
        if options["check"]:
            return
        sys.stdout.flush()
        run_gunicorn(gunicorn)
