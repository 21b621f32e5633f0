import pytest

from thidua.lib.text import fold, matches_name, name_sort_key, name_word_forms, name_words


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Nguyễn Văn An", "nguyen van an"),
        ("ĐẶNG  Thị Ánh", "dang thi anh"),
        ("Bảo hiểm xã hội Đắk Lắk", "bao hiem xa hoi dak lak"),
        ("Thanh Hoá", "thanh hoa"),
        ("Thanh Hóa", "thanh hoa"),
    ],
)
def test_it_folds_diacritics_case_and_spaces(raw, folded):
    assert fold(raw) == folded


def test_it_sorts_by_given_name_then_family_name():
    names = ["Trần Văn Bình", "Nguyễn Văn An", "Lê Thị An", "Phạm Văn Anh"]
    assert sorted(names, key=name_sort_key) == ["Lê Thị An", "Nguyễn Văn An", "Phạm Văn Anh", "Trần Văn Bình"]


def test_it_sorts_in_vietnamese_alphabetical_order():
    # a < ă < â < b < c < d < đ < e < ê ... (not the code-point order, where Đ comes after every Latin letter)
    given = ["Ân", "Ăn", "An", "Bảo", "Dung", "Đức", "Em", "Ê", "Yến", "Chi"]
    ordered = sorted((f"Nguyễn {g}" for g in given), key=name_sort_key)
    assert [n.split()[-1] for n in ordered] == [
        "An",
        "Ăn",
        "Ân",
        "Bảo",
        "Chi",
        "Dung",
        "Đức",
        "Em",
        "Ê",
        "Yến",
    ]


def test_tones_only_break_ties():
    # Tone differences matter less than any letter difference: "Ánh" < "Anh"? no — Anh (no tone) < Ánh, and both < "Ao".
    ordered = sorted(["Nguyễn Ao", "Nguyễn Ánh", "Nguyễn Anh"], key=name_sort_key)
    assert ordered == ["Nguyễn Anh", "Nguyễn Ánh", "Nguyễn Ao"]


def test_sort_key_is_digits_only_so_any_collation_agrees():
    assert name_sort_key("Đỗ Thị Hằng").isdigit()


@pytest.mark.parametrize(
    "name",
    [
        "Nguyễn  Văn Ấn",
        "  ",
        "",
        "Đặng Thị Ngọc Ánh 12",
        "Pha\u0323m Thi\u0323 Hoa",
        "John O'Neil-Smith",
        "\u0301 An",
        "H’Hen  Niê",
    ],
)
def test_name_columns_are_the_clean_name_its_fold_and_its_sort_key(name):
    from thidua.lib.text import fold, name_columns, name_sort_key, nfc

    clean = " ".join(nfc(name).split())
    assert name_columns(name) == (clean, fold(clean), name_sort_key(clean))


def test_apostrophes_of_every_kind_fold_to_one():
    assert fold("H’Hen Niê") == fold("H'Hen Niê") == fold("Hʼhen NIÊ") == "h'hen nie"


@pytest.mark.parametrize("typed", ["hen", "h'hen", "H’Hen", "hhen", "HHen Nie", "nie", "h", "h'h"])
def test_a_name_with_an_apostrophe_is_found_as_people_type_it(typed):
    assert matches_name(fold("H'Hen Niê"), name_words(typed))


@pytest.mark.parametrize("typed", ["en", "hen x", "nhen", "iê"])
def test_only_word_starts_match(typed):
    assert not matches_name(fold("H'Hen Niê"), name_words(typed))


def test_a_word_typed_without_its_apostrophe_also_means_one_after_the_first_letter():
    assert name_word_forms("ksor") == ["ksor", "k'sor"]
    assert name_word_forms("k'sor") == ["k'sor"]
    assert name_word_forms("an") == ["an"]
    assert not matches_name("nguyen van thanh", name_words("anh"))
