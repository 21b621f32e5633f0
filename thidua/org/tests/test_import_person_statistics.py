"""The people import's columns for the statistics councils watch: direct worker and ethnicity."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from thidua.org.models import Person
from thidua.org.tests.import_helpers import PEOPLE_HEADERS, xlsx

pytestmark = pytest.mark.django_db


def _row(cid: str, name: str, direct: str, ethnicity: str) -> list[str]:
    return [cid, name, "Nữ", "12/03/1995", "", "BHXH-01-THU", "Chuyên viên", "", "", "", direct, ethnicity]


def run(path: str, *args: str) -> str:
    out = io.StringIO()
    call_command("import", "people", path, *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_the_import_reads_direct_worker_and_ethnicity_by_name_code_or_unaccented(org, tmp_path):
    path = tmp_path / "nhan-su.xlsx"
    path.write_bytes(
        xlsx(
            PEOPLE_HEADERS,
            [
                _row("001195000101", "Phạm Thị Hoa", "Có", "Tày"),
                _row("001195000102", "Hà Thị Mai", "Không", "ede"),
                _row("001195000103", "Lò Thị Sương", "x", "03"),
                _row("001195000104", "Trần Thị Lan", "", ""),
            ],
        )
    )

    run(str(path))

    got = {
        p.full_name: (p.is_direct_worker, p.ethnicity)
        for p in Person.objects.filter(citizen_id__startswith="0011950001")
    }
    assert got == {
        "Phạm Thị Hoa": (True, "02"),
        "Hà Thị Mai": (False, "12"),
        "Lò Thị Sương": (True, "03"),
        "Trần Thị Lan": (False, ""),
    }
    assert Person.objects.get(full_name="Phạm Thị Hoa").is_ethnic_minority is True
    assert Person.objects.get(full_name="Trần Thị Lan").is_ethnic_minority is None


def test_an_unknown_ethnicity_is_reported_with_its_row_and_nothing_is_written(org, tmp_path):
    path = tmp_path / "nhan-su.xlsx"
    path.write_bytes(
        xlsx(
            PEOPLE_HEADERS,
            [
                _row("001195000101", "Phạm Thị Hoa", "Có", "Tày"),
                _row("001195000102", "Hà Thị Mai", "Có", "Elf"),
            ],
        )
    )

    err = io.StringIO()
    with pytest.raises(CommandError, match="không ghi gì"):
        call_command("import", "people", str(path), stdout=io.StringIO(), stderr=err)

    assert "Dòng 3, cột 'Dân tộc' (giá trị: 'Elf'): Dân tộc không có trong danh mục" in err.getvalue()
    assert not Person.objects.filter(citizen_id__startswith="0011950001").exists()


def test_a_change_of_ethnicity_reads_as_names_in_the_preview(org, tmp_path):
    path = tmp_path / "nhan-su.xlsx"
    path.write_bytes(
        xlsx(PEOPLE_HEADERS, [["001085012345", "", "", "", "", "", "", "", "", "", "Có", "Mường"]])
    )

    out = io.StringIO()
    call_command("import", "-v", "2", "people", str(path), "--dry-run", stdout=out, stderr=io.StringIO())

    assert "Dân tộc: (trống) → Mường" in out.getvalue()
    assert "Người lao động trực tiếp: Không → Có" in out.getvalue()
