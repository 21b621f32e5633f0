"""GIVEN decisions of every length WHEN LibreOffice lays them out THEN the signature block never splits
and stays with the last lines, "Bằng chữ" stays with its total, no page is blank, no text runs out of
its cell, and the STT column holds "1.200" and its header on one line."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from thidua.documents.builders.decision import DecisionData, Recipient, build_decision
from thidua.documents.docx_render import render_docx
from thidua.documents.official import signature_block
from thidua.documents.tests.pages import Page, needs_libreoffice, outside, page_of, to_pdf

pytestmark = needs_libreoffice

LONG_BASIS = (
    "Căn cứ Quyết định số 1234/QĐ-BHXH ngày 15 tháng 8 năm 2025 của Bảo hiểm xã hội Việt Nam quy định chức "
    "năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của Bảo hiểm xã hội tỉnh, thành phố trực thuộc trung ương"
)


def _decision(rows: int, bases: int) -> bytes:
    recipients = [
        Recipient(
            "Phòng Quản lý thu và Phát triển người tham gia, Bảo hiểm xã hội thành phố Hà Nội",
            "",
            4_680_000,
            collective=True,
        ),
        *[
            Recipient(
                f"Nguyễn Thị Thu Hương {i}",
                "Phó Trưởng phòng Phòng Quản lý thu và Phát triển người tham gia, Bảo hiểm xã hội thành phố Hà Nội",
                2_340_000,
            )
            for i in range(1, rows + 1)
        ],
    ]
    data = DecisionData(
        issuer="Bảo hiểm xã hội thành phố Hà Nội",
        parent_body="Bảo hiểm xã hội Việt Nam",
        number_symbol="57/QĐ-BHXH",
        date=date(2026, 1, 5),
        place="Hà Nội",
        signer=signature_block("Phó Giám đốc", "Trần Văn Bình"),
        authority="Giám đốc Bảo hiểm xã hội thành phố Hà Nội",
        title_id="giay_khen",
        title_name="Giấy khen",
        year=2025,
        recipients=recipients,
        legal_bases=[
            "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022",
            *[LONG_BASIS] * bases,
        ],
        copies_to=["Như Điều 3", "Giám đốc BHXH Việt Nam (để báo cáo)", "Lưu: VT, TCCB"],
    )
    return render_docx(build_decision(data))


VARIANTS = {f"qd-{bases}.docx": (3, bases) for bases in range(0, 16, 2)} | {"qd-lon.docx": (1200, 1)}


@pytest.fixture(scope="module")
def laid_out(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Page]]:
    folder: Path = tmp_path_factory.mktemp("pages")
    return to_pdf({name: _decision(*args) for name, args in VARIANTS.items()}, folder)


@pytest.mark.parametrize("name", list(VARIANTS))
def test_the_signature_block_stays_whole_and_with_the_last_lines(laid_out, name):
    pages = laid_out[name]
    signer = page_of(pages, "Trần Văn Bình")
    assert page_of(pages, "KT. GIÁM ĐỐC") == signer
    assert page_of(pages, "PHÓ GIÁM ĐỐC") == signer
    assert page_of(pages, "Nơi nhận:") == signer
    assert page_of(pages, "- Lưu: VT, TCCB.") == signer
    assert page_of(pages, "thi hành Quyết định này.") == signer  # the last line of Điều 3
    assert not any(p.has("PHÓ PHÓ") for p in pages)


@pytest.mark.parametrize("name", list(VARIANTS))
def test_the_amount_in_words_stays_with_the_total_and_no_page_is_blank(laid_out, name):
    pages = laid_out[name]
    assert page_of(pages, "Bằng chữ:") == page_of(pages, "Tổng cộng:")
    for number, page in enumerate(pages, start=1):
        printed = [w.text for w in page.words if w.text != str(number)]
        assert printed, f"trang {number} của {name} trống"
    assert outside(pages, left_mm=30, right_mm=15) == []


def test_the_stt_column_holds_its_header_and_four_digit_numbers_on_one_line(laid_out):
    pages = laid_out["qd-lon.docx"]
    annex = pages[page_of(pages, "Phụ lục") :]
    assert all(p.has("STT") for p in annex)  # the header repeats on every page, unbroken
    words = {w.text for p in annex for w in p.words}
    assert {"1.200", "2.808.000.000", "4.680.000"} <= words and "ST" not in words
    assert "1.200" in {w.text for w in pages[-1].words} and page_of(pages, "Bằng chữ:") == len(pages) - 1


def test_some_layouts_put_the_signature_on_a_page_of_its_own_lines(laid_out):
    """The variants cover the page break: in some, the block and Điều 3 moved together to page 2."""
    moved = [name for name in VARIANTS if page_of(laid_out[name], "Trần Văn Bình") == 1]
    assert moved and len(moved) < len(VARIANTS)
