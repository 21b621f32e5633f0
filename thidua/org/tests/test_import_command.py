from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from thidua.audit.models import AuditEntry
from thidua.lib.progress import ProgressBar
from thidua.org.models import Person, Unit
from thidua.org.tests.import_helpers import PEOPLE_HEADERS, UNIT_HEADERS, xlsx

pytestmark = pytest.mark.django_db

HOA = ["001195000101", "Phạm Thị Hoa", "Nữ", "12/03/1995", "", "BHXH-01-THU", "Chuyên viên", "", "", ""]


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_dry_run_checks_and_writes_nothing(org, tmp_path):
    path = tmp_path / "nhan-su.xlsx"
    path.write_bytes(xlsx(PEOPLE_HEADERS, [HOA]))

    out, err = run("people", str(path), "--dry-run")

    assert "Kiểm tra xong (chưa ghi gì) 1 dòng nhân sự" in out and "1 thêm mới" in out
    assert err == ""  # not a terminal: no progress bar
    assert not Person.objects.filter(citizen_id="001195000101").exists()
    assert not AuditEntry.objects.filter(action="import.committed").exists()


def test_it_imports_and_prints_a_one_line_summary(org, tmp_path):
    path = tmp_path / "don-vi.xlsx"
    path.write_bytes(
        xlsx(UNIT_HEADERS, [["BHXH-01-CS", "Phòng Chế độ BHXH", "", "Phòng", "BHXH-01", "", "", ""]])
    )

    out, _ = run("units", str(path))

    assert out.strip() == "Đã nhập 1 dòng đơn vị từ don-vi.xlsx: 1 thêm mới, 0 cập nhật, 0 không đổi."
    assert Unit.objects.get(code="BHXH-01-CS").parent == org.a


def test_verbosity_2_prints_what_each_row_does(org, tmp_path):
    path = tmp_path / "nhan-su.xlsx"
    moved = ["001085012345", "", "", "", "", "BHXH-01", "", "01/01/2025", "", ""]
    path.write_bytes(xlsx(PEOPLE_HEADERS, [HOA, moved]))

    buffer = io.StringIO()
    call_command("import", "-v", "2", "people", str(path), "--dry-run", stdout=buffer, stderr=io.StringIO())
    out = buffer.getvalue()

    assert "Dòng 2: 001195000101 Phạm Thị Hoa — thêm mới" in out
    assert (
        "Dòng 3: 001085012345 Nguyễn Văn An — cập nhật: "
        "Điều chuyển: Phòng Quản lý thu → Bảo hiểm xã hội thành phố Hà Nội từ 01/01/2025"
    ) in out


def test_problems_go_to_stderr_with_row_column_value_and_a_non_zero_exit(org, tmp_path):
    bad = list(HOA)
    bad[3] = "31/02/2020"
    path = tmp_path / "nhan-su.xlsx"
    path.write_bytes(xlsx(PEOPLE_HEADERS, [HOA, bad]))
    err = io.StringIO()

    with pytest.raises(CommandError) as excinfo:
        call_command("import", "people", str(path), stdout=io.StringIO(), stderr=err)

    assert excinfo.value.returncode == 2
    assert "không ghi gì" in str(excinfo.value)
    assert (
        "Dòng 3, cột 'Số CCCD' (giá trị: '001195000101'): Số CCCD trùng với dòng 2 của tệp." in err.getvalue()
    )
    assert "Dòng 3, cột 'Ngày sinh' (giá trị: '31/02/2020'): Ngày không tồn tại trong lịch." in err.getvalue()
    assert not Person.objects.filter(citizen_id="001195000101").exists()


def test_as_runs_in_the_users_scope(personas, tmp_path):
    path = tmp_path / "nhan-su.xlsx"
    path.write_bytes(xlsx(PEOPLE_HEADERS, [HOA]))

    with pytest.raises(CommandError):
        call_command(
            "import", "people", str(path), "--as", "canbo.hcm", stdout=io.StringIO(), stderr=io.StringIO()
        )
    out, _ = run("people", str(path), "--as", "canbo.hn")

    assert "1 thêm mới" in out
    assert AuditEntry.objects.get(action="import.committed").actor == personas.officer


def test_unknown_user_and_missing_file_are_command_errors(org, tmp_path):
    with pytest.raises(CommandError, match="Không đọc được tệp"):
        run("people", str(tmp_path / "khong-co.xlsx"))
    path = tmp_path / "a.xlsx"
    path.write_bytes(xlsx(PEOPLE_HEADERS, [HOA]))
    with pytest.raises(CommandError, match="Không có tài khoản"):
        run("people", str(path), "--as", "nobody")


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_draws_on_a_terminal_only():
    terminal, pipe = FakeTerminal(), io.StringIO()
    for stream in (terminal, pipe):
        bar = ProgressBar(stream, "Đang nhập", width=10, interval=3600)
        for done in range(1, 1001):
            bar.update(done, 1000)
        bar.close()

    assert pipe.getvalue() == ""
    # Throttled: the first draw and the final one, then the end of line.
    assert terminal.getvalue().count("\r") == 2
    assert terminal.getvalue().endswith("[██████████] 1000/1000 (100%)\n")
