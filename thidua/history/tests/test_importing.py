"""Bringing in the past: the history import, all or nothing, by row and column, and what it enables."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook, load_workbook

from thidua.audit.models import AuditEntry
from thidua.history.importing import MAX_BYTES, check_file, commit_file
from thidua.history.models import AwardRecord, Discipline, Initiative, PendingProceeding, Rating

AN = "001085012345"  # Nguyễn Văn An, Phòng Quản lý thu of province A (conftest)
BINH = "001190012346"


def csv(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


def problems(plan: Any) -> list[str]:
    return [str(p) for p in plan.problems]


# --- ratings ---------------------------------------------------------------------------------------


def test_ratings_of_ten_years_land_whole_and_a_second_run_changes_nothing(org):
    data = csv(
        "Số CCCD,Mã đơn vị,Họ và tên,Năm,Mức xếp loại",
        *[f"{AN},,Nguyễn Văn An,{year},HTT" for year in range(2015, 2025)],
        ",BHXH-01,,2024,Hoàn thành xuất sắc nhiệm vụ",
    )

    plan = commit_file("ratings", data, "xep-loai.csv", actor=None)

    assert plan.committed and plan.counts == {"create": 11, "update": 0, "unchanged": 0}
    assert Rating.objects.filter(person=org.an).count() == 10
    assert Rating.objects.get(unit=org.a, year=2024).value == "hoan_thanh_xuat_sac"
    again = commit_file("ratings", data, "xep-loai.csv", actor=None)
    assert again.counts == {"create": 0, "update": 0, "unchanged": 11}
    counts = [e.detail["counts"] for e in AuditEntry.objects.filter(action="history.imported").order_by("pk")]
    assert counts == [
        {"create": 11, "update": 0, "unchanged": 0},
        {"create": 0, "update": 0, "unchanged": 11},
    ]


def test_a_later_file_corrects_a_rating(org):
    Rating.objects.create(person=org.an, year=2020, value="hoan_thanh")
    plan = commit_file("ratings", csv("Số CCCD,Năm,Mức xếp loại", f"{AN},2020,HTXS"), "sua.csv", actor=None)
    assert plan.counts["update"] == 1
    assert plan.results[0].changes == [
        "Mức xếp loại 2020: Hoàn thành nhiệm vụ → Hoàn thành xuất sắc nhiệm vụ"
    ]
    assert Rating.objects.get(person=org.an, year=2020).value == "hoan_thanh_xuat_sac"


def test_every_problem_is_named_by_row_column_and_value_and_nothing_is_written(org):
    data = csv(
        "Số CCCD,Mã đơn vị,Họ và tên,Năm,Mức xếp loại",
        f"{AN},,Nguyễn Văn An,2019,HTT",
        f"{AN},,Trần Văn Khác,2018,HTT",
        "079999999999,,,2018,HTT",
        f"{AN},,,1890,HTT",
        f"{AN},,,2017,giỏi",
        f"{AN},BHXH-01,,2016,HTT",
        ",,,2016,HTT",
        f"{AN},,,2019,HT",
    )

    plan = check_file("ratings", data, "loi.csv", actor=None)

    assert problems(plan) == [
        "Dòng 3, cột 'Họ và tên' (giá trị: 'Trần Văn Khác'): Không khớp với tên trong hệ thống: Nguyễn Văn An.",
        "Dòng 4, cột 'Số CCCD' (giá trị: '079999999999'): Không có người có số CCCD này (hãy nhập nhân sự trước).",
        f"Dòng 5, cột 'Năm' (giá trị: '1890'): Năm phải từ 1950 đến {date.today().year}.",
        "Dòng 6, cột 'Mức xếp loại' (giá trị: 'giỏi'): Không phải mức xếp loại (HTXS, HTT, HT, KHT).",
        "Dòng 7, cột 'Mã đơn vị' (giá trị: 'BHXH-01'): Ghi Số CCCD (cá nhân) hoặc Mã đơn vị (tập thể), không ghi cả hai.",
        "Dòng 8, cột 'Số CCCD': Thiếu Số CCCD (cá nhân) hoặc Mã đơn vị (tập thể).",
        "Dòng 9, cột 'Năm' (giá trị: '2019'): Trùng với dòng 2 của tệp.",
    ]
    assert not commit_file("ratings", data, "loi.csv", actor=None).committed
    assert not Rating.objects.exists()


def test_an_officer_imports_only_within_their_scope(org, personas):
    data = csv("Số CCCD,Năm,Mức xếp loại", f"{AN},2020,HTT")
    outside = check_file("ratings", data, "a.csv", actor=personas.outsider_officer)
    assert "ngoài phạm vi quản lý" in problems(outside)[0]
    assert check_file("ratings", data, "a.csv", actor=personas.officer).ok
    assert "không có quyền" in problems(check_file("ratings", data, "a.csv", actor=personas.staff))[0]


# --- titles and awards ---------------------------------------------------------------------------


AWARD_HEADER = "Số CCCD,Mã đơn vị,Danh hiệu, hình thức,Năm thành tích,Số quyết định,Ngày quyết định,Cấp quyết định,Nơi công tác khi được khen,Tiền thưởng (đồng)"


def awards_csv(*rows: str) -> bytes:
    return (
        "\n".join([AWARD_HEADER.replace("Danh hiệu, hình thức", '"Danh hiệu, hình thức"'), *rows]) + "\n"
    ).encode()


def test_titles_and_awards_with_their_decisions_including_those_from_another_organisation(org):
    data = awards_csv(
        f"{AN},,CSTĐCS,2016,12/QĐ-SGDĐT,15/01/2017,Giám đốc Sở Giáo dục và Đào tạo tỉnh Đắk Lắk,Trường THPT Chu Văn An (Đắk Lắk),",
        f'{AN},,Bằng khen của Chủ tịch UBND tỉnh Đắk Lắk,,345/QĐ-UBND,20/05/2018,Chủ tịch UBND tỉnh Đắk Lắk,Trường THPT Chu Văn An (Đắk Lắk),"1.490.000"',
        ",BHXH-01,Tập thể lao động xuất sắc,2024,88/QĐ-BHXH,10/01/2025,Giám đốc BHXH Việt Nam,,",
    )

    plan = commit_file("awards", data, "khen-thuong.csv", actor=None)

    assert plan.committed, problems(plan)
    title = AwardRecord.objects.get(person=org.an, award_id="chien_si_thi_dua_co_so")
    assert (title.kind, title.year, title.decided_on) == ("title", 2016, date(2017, 1, 15))
    assert title.received_at == "Trường THPT Chu Văn An (Đắk Lắk)"
    form = AwardRecord.objects.get(person=org.an, award_id="bang_khen_bo_tinh")
    assert (form.kind, form.year, form.prize_vnd, form.decision_number) == (
        "form",
        2018,
        1490000,
        "345/QĐ-UBND",
    )
    assert AwardRecord.objects.get(unit=org.a).award_id == "tap_the_lao_dong_xuat_sac"
    assert commit_file("awards", data, "khen-thuong.csv", actor=None).counts["unchanged"] == 3


def test_an_award_is_never_overwritten_and_impossible_ones_are_refused(org):
    AwardRecord.objects.create(
        person=org.an,
        kind="title",
        award_id="lao_dong_tien_tien",
        year=2020,
        decided_on=date(2021, 1, 5),
        decision_number="5/QĐ-BHXH",
    )
    data = awards_csv(
        f"{AN},,Lao động tiên tiến,2020,6/QĐ-BHXH,05/01/2021,,,",
        f"{AN},,Tập thể lao động tiên tiến,2020,,05/01/2021,,,",
        f"{AN},,Giải thưởng lạ,2020,,05/01/2021,,,",
        f"{AN},,Chiến sĩ thi đua cơ sở,,,05/01/2021,,,",
        f"{AN},,Chiến sĩ thi đua cơ sở,2022,,05/01/2021,,,",
        f"{AN},,Giấy khen,,,31/02/2021,,,",
        f"{AN},,Giấy khen,,,01/01/2099,,,",
    )
    found = problems(check_file("awards", data, "x.csv", actor=None))
    assert "hệ thống không ghi đè khen thưởng đã có" in found[0] and "số quyết định" in found[0]
    assert "Tập thể lao động tiên tiến không dành cho cá nhân." in found[1]
    assert "Không nhận ra danh hiệu" in found[2]
    assert "Danh hiệu thi đua cần năm thành tích." in found[3]
    assert "Ngày quyết định trước năm thành tích 2022." in found[4]
    assert "Ngày không tồn tại trong lịch." in found[5]
    assert "Ngày ở tương lai." in found[6]
    assert len(found) == 7
    assert AwardRecord.objects.count() == 1


# --- initiatives, discipline, proceedings ----------------------------------------------------------


def test_initiatives_with_scope_and_use_get_a_stable_code(org):
    data = csv(
        "Số CCCD,Loại,Mã sáng kiến,Tên sáng kiến,Năm công nhận,Phạm vi,Đã dùng để khen,Năm dùng để khen",
        f"{AN},Sáng kiến,,Số hóa hồ sơ thu,2016,Cơ sở,CSTĐCS,2016",
        f'{AN},Đề tài khoa học,ĐT-07,Mô hình dự báo nợ đọng,2019,"Bộ, ngành, tỉnh",,',
    )
    plan = commit_file("initiatives", data, "sang-kien.csv", actor=None)
    assert plan.committed, problems(plan)
    first = Initiative.objects.get(person=org.an, year=2016)
    assert (first.code, first.scope, first.used_for) == (
        "SK-2016-0001",
        "co_so",
        "chien_si_thi_dua_co_so:2016",
    )
    assert Initiative.objects.get(code="ĐT-07").kind == "science_work"
    again = commit_file("initiatives", data, "sang-kien.csv", actor=None)
    assert again.counts == {"create": 0, "update": 0, "unchanged": 2}


def test_discipline_and_pending_proceedings_and_their_end_dates(org):
    data = csv("Số CCCD,Hình thức kỷ luật,Ngày quyết định,Hết hiệu lực", f"{BINH},Khiển trách,10/03/2022,")
    assert commit_file("disciplines", data, "kl.csv", actor=None).committed
    ended = csv(
        "Số CCCD,Hình thức kỷ luật,Ngày quyết định,Hết hiệu lực", f"{BINH},Khiển trách,10/03/2022,10/03/2023"
    )
    plan = commit_file("disciplines", ended, "kl.csv", actor=None)
    assert plan.counts["update"] == 1 and Discipline.objects.get().until == date(2023, 3, 10)
    numbered = csv(
        "Số CCCD,Hình thức kỷ luật,Ngày quyết định,Hết hiệu lực,Số quyết định",
        f"{BINH},Khiển trách,10/03/2022,10/03/2023,45/QĐ-BHXH",
    )
    plan = commit_file("disciplines", numbered, "kl.csv", actor=None)
    stored = Discipline.objects.get()
    assert plan.counts["update"] == 1 and (stored.decision_number, stored.version) == ("45/QĐ-BHXH", 3)
    backwards = csv(
        "Số CCCD,Hình thức kỷ luật,Ngày quyết định,Hết hiệu lực", f"{BINH},Cảnh cáo,10/03/2022,01/01/2022"
    )
    assert "trước ngày quyết định" in problems(check_file("disciplines", backwards, "kl.csv", actor=None))[0]

    pending = csv(
        "Số CCCD,Mã đơn vị,Loại vụ việc,Từ ngày,Kết thúc",
        f"{AN},,thanh tra,01/10/2025,",
        ",BHXH-79,khiếu nại,02/02/2025,",
    )
    assert commit_file("proceedings", pending, "vv.csv", actor=None).committed
    assert PendingProceeding.objects.get(person=org.an).kind == "investigation"
    assert PendingProceeding.objects.get(unit=org.b).kind == "complaint"


# --- files ---------------------------------------------------------------------------------------------


def test_limits_are_checked_before_the_file_is_read(org):
    too_big = b"x" * (MAX_BYTES + 1)
    assert "lớn quá 10 MB" in problems(check_file("ratings", too_big, "a.csv", actor=None))[0]
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("xl/worksheets/sheet1.xml", b"\0" * (101 * 1024 * 1024))
    assert len(bomb.getvalue()) < MAX_BYTES
    assert "khi giải nén lớn quá" in problems(check_file("ratings", bomb.getvalue(), "a.xlsx", actor=None))[0]
    assert "không đọc được" in problems(check_file("ratings", b"PK\x03\x04junk", "a.xlsx", actor=None))[0]
    assert "Thiếu cột bắt buộc" in " ".join(
        problems(check_file("ratings", csv("Số CCCD,Năm"), "a.csv", actor=None))
    )


def test_the_xlsx_template_opens_with_its_headers_and_imports_back(org, personas, client_for):
    client = client_for(personas.officer)
    response = client.get("/lich-su/nhap/mau/khen-thuong.xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook["Khen thưởng"]
    headers = [str(c.value).removesuffix(" *") for c in sheet[1]]
    assert headers[:4] == ["Số CCCD", "Mã đơn vị", "Họ và tên", "Danh hiệu, hình thức"]
    assert "Hướng dẫn" in workbook.sheetnames
    sheet.append([AN, None, "Nguyễn Văn An", "Chiến sĩ thi đua cơ sở", 2019, "9/QĐ-BHXH", date(2020, 1, 9)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    plan = commit_file("awards", buffer.getvalue(), "mau.xlsx", actor=personas.officer)
    assert plan.committed, problems(plan)
    assert client.get("/lich-su/nhap/mau/khong-co.csv").status_code == 404


def test_the_pages_preview_then_write_everything(org, personas, client_for, media):
    client = client_for(personas.officer)
    assert "Tệp mẫu" in client.get("/lich-su/nhap/").content.decode()
    upload = io.BytesIO(csv("Số CCCD,Năm,Mức xếp loại", f"{AN},2021,HTXS", f"{AN},2022,HTT"))
    upload.name = "xep-loai.csv"
    location = client.post("/lich-su/nhap/", {"kind": "ratings", "file": upload})["Location"]
    preview = client.get(location).content.decode()
    assert "sẽ thêm mới" in preview and "2021: Hoàn thành xuất sắc nhiệm vụ" in preview
    assert not Rating.objects.exists()
    token = location.rstrip("/").rsplit("/", 1)[-1]
    result = client.post(f"/lich-su/nhap/{token}/ghi/")
    assert result.status_code == 200 and "Đã nhập xếp loại" in result.content.decode()
    assert Rating.objects.filter(person=org.an).count() == 2
    assert client_for(personas.staff).get("/lich-su/nhap/").status_code == 403


def test_the_command_checks_or_writes(org, tmp_path):
    path = tmp_path / "xep-loai.csv"
    path.write_bytes(csv("Số CCCD,Năm,Mức xếp loại", f"{AN},2021,HTXS"))
    out = io.StringIO()
    call_command("import_history", "ratings", str(path), "--dry-run", stdout=out)
    assert "chưa ghi gì" in out.getvalue() and not Rating.objects.exists()
    call_command("import_history", "ratings", str(path), stdout=out)
    assert Rating.objects.count() == 1
    path.write_bytes(csv("Số CCCD,Năm,Mức xếp loại", f"{AN},2021,giỏi"))
    with pytest.raises(CommandError, match="không ghi gì"):
        call_command("import_history", "ratings", str(path), stdout=out, stderr=io.StringIO())


# --- the chains on day one -------------------------------------------------------------------------


def test_three_imported_cstdcs_years_answer_the_provincial_title_on_the_person_page(
    org, personas, client_for
):
    ratings = csv("Số CCCD,Năm,Mức xếp loại", *[f"{AN},{y},HTXS" for y in (2023, 2024, 2025)])
    titles = awards_csv(
        *[
            f"{AN},,CSTĐCS,{y},{y - 2000}/QĐ-BHXH,10/01/{y + 1},Giám đốc BHXH thành phố Hà Nội,,"
            for y in (2023, 2024, 2025)
        ]
    )
    initiative = csv(
        "Số CCCD,Tên sáng kiến,Năm công nhận,Phạm vi",
        f'{AN},Quy trình đối soát tự động,2025,"Bộ, ngành, tỉnh"',
    )
    for kind, data in (("ratings", ratings), ("awards", titles), ("initiatives", initiative)):
        plan = commit_file(kind, data, f"{kind}.csv", actor=personas.officer)
        assert plan.committed, problems(plan)
    client = client_for(personas.officer)

    page = client.get(f"/xet-khen-thuong/nhan-su/{org.an.pk}/?nam=2025").content.decode()

    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    section = text.split("Chiến sĩ thi đua bộ, ban, ngành, tỉnh Đủ điều kiện", 1)[1].split(
        "Chiến sĩ thi đua toàn quốc"
    )[0]
    assert "Chiến sĩ thi đua cơ sở 3 năm liên tục (2023–2025)" in section
    assert "SK-2025-0001 (cấp bộ, ngành, tỉnh, năm 2025)" in section


def test_workbook_with_a_title_line_above_the_header_is_read(org):
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Xếp loại"
    sheet.append(["DANH SÁCH XẾP LOẠI CÁC NĂM"])
    sheet.append(["STT", "Số CCCD", "Năm", "Mức xếp loại"])
    sheet.append([1, int(AN), 2018, "HTT"])  # Excel dropped the leading zeros of the id
    buffer = io.BytesIO()
    workbook.save(buffer)
    plan = commit_file("ratings", buffer.getvalue(), "cu.xlsx", actor=None)
    assert plan.committed, problems(plan)


def test_a_nul_character_is_a_problem_of_its_row_not_a_server_error(org):
    # Excel writes a NUL character as `_x0000_`, which the reader gives back as "\x00": PostgreSQL
    # cannot store it (a DataError, a 500 before this check).
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    header = AWARD_HEADER.split(",")
    sheet.append([*header[:2], "Danh hiệu, hình thức", *header[4:]])
    sheet.append(
        [AN, "", "CSTĐCS", 2016, "12/QĐ-SGDĐT", "15/01/2017", "Giám đốc Sở", "Trường NULHERE THPT", ""]
    )
    buffer = io.BytesIO()
    book.save(buffer)
    source, out = zipfile.ZipFile(io.BytesIO(buffer.getvalue())), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info.filename).replace(b"NULHERE", b"_x0000_"))

    plan = commit_file("awards", out.getvalue(), "khen-thuong.xlsx", actor=None)

    assert [(p.row, "ký tự NUL" in p.message) for p in plan.problems] == [(2, True)]
    assert not plan.committed and not AwardRecord.objects.exists()
