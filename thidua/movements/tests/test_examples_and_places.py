"""GIVEN the messages that show how to write a document number, and a movement launched outside the
tree THEN the examples are neutral numbers that the checks themselves accept (not the demo's letter
856/BHXH-TĐKT), and the place before the date of the movement's papers comes from data: the province
its launcher names, else the seat of the central bodies (NĐ 30/2020 Phụ lục I)."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError

from thidua.documents.vnwords import parse_number_symbol
from thidua.movements.models import Movement
from thidua.movements.papers import CENTRAL_SEAT, outside_place
from thidua.movements.validators import MESSAGE, validate_number_symbol

EXAMPLE = re.compile(r"\d+(?:/\d{4})?/[A-ZĐ]+(?:-[A-ZĐ]+)+")


def _messages() -> list[str]:
    found = [MESSAGE]
    for bad in ("12 /QĐ-BHXH", "QĐ-BHXH"):
        with pytest.raises(ValueError) as info:
            parse_number_symbol(bad)
        found.append(str(info.value))
    return found


def test_number_examples_are_neutral_and_valid() -> None:
    for message in _messages():
        assert "856" not in message, message
        examples = EXAMPLE.findall(message)
        assert examples, message
        for example in examples:
            validate_number_symbol(example)  # the example passes the check that quotes it
            parse_number_symbol(example)
    with pytest.raises(ValidationError):
        validate_number_symbol("123 UBND")


def test_the_place_of_a_movement_launched_outside_the_tree_comes_from_data() -> None:
    prime_minister = Movement(authority=Movement.Authority.THU_TUONG)
    assert outside_place(prime_minister) == CENTRAL_SEAT == "Hà Nội"
    province = Movement(
        authority=Movement.Authority.BO_NGANH_TINH, authority_name="Ủy ban nhân dân tỉnh Gia Lai"
    )
    assert outside_place(province) == "Gia Lai"
    ministry = Movement(authority=Movement.Authority.BO_NGANH_TINH, authority_name="Bộ Nội vụ")
    assert outside_place(ministry) == "Hà Nội"
