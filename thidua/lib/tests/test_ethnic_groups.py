from thidua.lib.ethnic_groups import KINH, ethnic_groups, ethnic_name, find_ethnic_code, is_minority


def test_the_list_holds_54_groups_with_unique_codes_01_to_54():
    groups = ethnic_groups()
    assert len(groups) == 54
    assert [code for code, _ in groups] == [f"{n:02d}" for n in range(1, 55)]
    assert len({name for _, name in groups}) == 54
    assert ethnic_name(KINH) == "Kinh"


def test_typed_names_codes_and_other_spellings_are_found():
    assert find_ethnic_code("Kinh") == "01"
    assert find_ethnic_code("7") == "07"
    assert find_ethnic_code("ê-đê") == "12"
    assert find_ethnic_code("H'Mông") == "08"
    assert find_ethnic_code("Khơ-me") == "05"
    assert find_ethnic_code("Khmer") == "05"
    assert find_ethnic_code("99") is None
    assert find_ethnic_code("Elf") is None
    assert find_ethnic_code("") is None


def test_minority_is_every_group_but_kinh_and_unknown_when_empty():
    assert is_minority("01") is False
    assert is_minority("02") is True
    assert is_minority("") is None
