import pytest
from django.core.exceptions import ValidationError

from thidua.movements.validators import document_year, validate_number_symbol


@pytest.mark.parametrize(
    "value",
    [
        "856/BHXH-TĐKT",
        "15/QĐ-BNV",
        "86/2025/QĐ-UBND",
        "2418/QĐ-BHXH",
        "05/BNV-VP",
        "1263/BHXH-TĐKT",
        "Số: 982/KH-UBND",
    ],
)
def test_it_accepts_numbers_and_symbols_of_decree_30(value):
    validate_number_symbol(value)


@pytest.mark.parametrize(
    "value",
    [
        "856/bhxh-tđkt",
        "856 / BHXH-TĐKT",
        "BHXH-TĐKT",
        "856/BHXH",
        "0/QĐ-BNV",
        "856/BHXH-",
        "abc/QĐ-BNV",
        "86/25/QĐ-UBND",
    ],
)
def test_it_refuses_malformed_numbers_with_a_vietnamese_message(value):
    with pytest.raises(ValidationError) as info:
        validate_number_symbol(value)
    assert "Số, ký hiệu văn bản không đúng định dạng" in info.value.messages[0]


def test_it_reads_the_year_segment():
    assert document_year("86/2025/QĐ-UBND") == 2025
    assert document_year("856/BHXH-TĐKT") is None
