"""The `thidua` command: the single entry point for the project's commands.

`thidua eligibility ...` runs the pure rules engine without starting Django (fast start-up for
case files and batches); every other sub-command is a Django management command
(`thidua serve`, `thidua migrate`, `thidua demo`, `thidua import people FILE.xlsx`, ...).
"""

from __future__ import annotations

import os
import sys

HELP = """\
Cách dùng: thidua <lệnh> [tuỳ chọn]

Các lệnh chính:
  serve [ĐỊA_CHỈ:CỔNG]        chạy ứng dụng web (máy chủ phát triển, mặc định 127.0.0.1:8000)
  serve --production ĐC:CỔNG  máy chủ vận hành (gunicorn), xem docs/deploy.md
  backup TỆP                  sao lưu cơ sở dữ liệu và tệp tải lên vào một tệp .tar.gz
  restore TỆP                 khôi phục bản sao lưu vào cơ sở dữ liệu trống
  maintain [--cluster]        bảo trì cơ sở dữ liệu (VACUUM ANALYZE; --cluster: nhân sự xếp theo tên trên đĩa)
  migrate                     tạo / cập nhật cơ sở dữ liệu
  demo [--once] [--people N]  nạp dữ liệu mẫu (BHXH Việt Nam)
  setup --name … --symbol … --place … --sector … --admin TÊN
                              thiết lập tổ chức trên cơ sở dữ liệu trống (mật khẩu qua đầu vào chuẩn)
  import units|people FILE    nhập đơn vị / nhân sự từ .xlsx hoặc .csv (--dry-run để chỉ kiểm tra)
  import_history LOẠI FILE    nhập lịch sử: ratings, awards, initiatives, disciplines, proceedings
  token TÊN [--regenerate]    in khóa API của tài khoản (tạo mới nếu chưa có)
  eligibility check CASE|DIR  xét điều kiện danh hiệu, hình thức khen thưởng cho hồ sơ JSON
  eligibility batch FILE      xét hàng loạt (JSON Lines)
  worker [--batch]            chạy các việc nền đang chờ (khi THIDUA_TASKS_BACKEND=database)
  send_reminders [--dry-run] [--today YYYY-MM-DD]
                              gửi thư nhắc hạn thẩm định hồ sơ (chạy mỗi ngày)
  help                        mọi lệnh quản trị Django
"""


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help"}:
        sys.stdout.write(HELP)
        return 0
    if args[0] == "eligibility":
        from thidua.rules.cli import main as eligibility_main  # type: ignore[import-not-found]

        return int(eligibility_main(args[1:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thidua.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["thidua", *args])
    return 0
