"""The 12-digit citizen id (số CCCD): structure, and consistency with gender and date of birth."""

from datetime import date

import pytest

from thidua.core.errors import DomainError
from thidua.org import services
from thidua.org.citizen_id import CitizenIdError, make_citizen_id, parse_citizen_id, validate_citizen_id
from thidua.org.models import Person


@pytest.mark.parametrize(
    ("value", "province", "gender", "year"),
    [
        ("001085012345", "001", "nam", 1985),  # Hà Nội, 20th century, male
        ("001190012346", "001", "nu", 1990),  # female
        ("079203000001", "079", "nam", 2003),  # TP. HCM, 21st century, male
        ("096305999999", "096", "nu", 2005),  # Cà Mau, 21st century, female
        ("048000000000", "048", "nam", 1900),
        ("031499000000", "031", "nam", 2199),  # 22nd century digits follow the same rule
        (" 001085012345 ", "001", "nam", 1985),  # surrounding spaces are ignored
    ],
)
def test_well_formed_ids_are_parsed(value, province, gender, year):
    info = parse_citizen_id(value)
    assert (info.province_code, info.gender, info.birth_year) == (province, gender, year)


@pytest.mark.parametrize(
    ("value", "gender", "dob", "message"),
    [
        ("00108501234", None, None, "Số CCCD '00108501234' phải gồm đúng 12 chữ số"),
        ("0010850123456", None, None, "phải gồm đúng 12 chữ số"),
        ("00108501234A", None, None, "phải gồm đúng 12 chữ số"),
        ("001-85012345", None, None, "phải gồm đúng 12 chữ số"),
        ("", None, None, "phải gồm đúng 12 chữ số"),
        (
            "003085012345",
            None,
            None,
            "Số CCCD '003085012345': mã tỉnh nơi đăng ký khai sinh '003' không tồn tại",
        ),
        ("999085012345", None, None, "mã tỉnh nơi đăng ký khai sinh '999' không tồn tại"),
        ("000085012345", None, None, "mã tỉnh nơi đăng ký khai sinh '000' không tồn tại"),
        (
            "001085012345",
            "nu",
            None,
            "Số CCCD '001085012345': chữ số thứ 4 ứng với giới tính nam, không khớp giới tính đã khai",
        ),
        ("001190012346", "nam", None, "chữ số thứ 4 ứng với giới tính nữ, không khớp giới tính đã khai"),
        (
            "001085012345",
            "nam",
            date(1986, 4, 2),
            "Số CCCD '001085012345': năm sinh mã hóa trong số là 1985, không khớp ngày sinh 02/04/1986",
        ),
        # Same last two digits, wrong century: 2085 is not 1985.
        ("001285012345", "nam", date(1985, 4, 2), "năm sinh mã hóa trong số là 2085"),
    ],
)
def test_malformed_or_inconsistent_ids_are_refused_in_vietnamese(value, gender, dob, message):
    with pytest.raises(CitizenIdError) as exc:
        validate_citizen_id(value, gender=gender, date_of_birth=dob)
    assert message in str(exc.value)


@pytest.mark.parametrize(
    ("value", "gender", "dob"),
    [
        ("001085012345", "nam", date(1985, 4, 2)),
        ("001190012346", "nu", date(1990, 12, 31)),
        ("079203000001", "nam", date(2003, 1, 1)),
        ("001085012345", None, None),
        ("001085012345", "", None),
    ],
)
def test_consistent_ids_pass(value, gender, dob):
    validate_citizen_id(value, gender=gender, date_of_birth=dob)


@pytest.mark.parametrize(
    ("province", "gender", "year"), [("001", "nam", 1985), ("079", "nu", 1999), ("096", "nu", 2004)]
)
def test_make_citizen_id_round_trips(province, gender, year):
    value = make_citizen_id(province, gender, year, 42)
    assert len(value) == 12
    info = validate_citizen_id(value, gender=gender, date_of_birth=date(year, 6, 1))
    assert (info.province_code, info.gender, info.birth_year) == (province, gender, year)


def test_create_person_refuses_a_bad_id_on_the_citizen_id_field(org):
    with pytest.raises(DomainError) as exc:
        services.create_person(
            actor=None,
            citizen_id="001185099999",
            full_name="Phạm Văn Dũng",
            gender="nam",
            unit=org.a,
            date_of_birth=date(1985, 1, 1),
        )
    assert exc.value.field == "citizen_id"
    assert "giới tính nữ" in exc.value.message
    assert not Person.objects.filter(full_name="Phạm Văn Dũng").exists()


def test_create_person_refuses_a_duplicate_id(org):
    with pytest.raises(DomainError, match="đã có trong hệ thống"):
        services.create_person(
            actor=None, citizen_id="001085012345", full_name="Trùng Số", gender="nam", unit=org.a
        )


def test_create_person_stores_the_id_without_spaces(org):
    person = services.create_person(
        actor=None, citizen_id=" 001085099999 ", full_name="Phạm Văn Dũng", gender="nam", unit=org.a
    )
    person.refresh_from_db()
    assert person.citizen_id == "001085099999"


def test_update_person_rechecks_gender_and_birth_date(org):
    with pytest.raises(DomainError, match="không khớp ngày sinh"):
        services.update_person(actor=None, person=org.an, date_of_birth=date(1984, 4, 2))
    with pytest.raises(DomainError, match="không khớp giới tính"):
        services.update_person(actor=None, person=org.an, gender="nu")
    org.an.refresh_from_db()
    assert org.an.date_of_birth == date(1985, 4, 2)
    assert org.an.gender == "nam"


def test_update_person_checks_a_new_citizen_id(org):
    with pytest.raises(DomainError, match="phải gồm đúng 12 chữ số"):
        services.update_person(actor=None, person=org.an, citizen_id="12345")
    with pytest.raises(DomainError, match="giới tính nữ"):
        services.update_person(actor=None, person=org.an, citizen_id="001185012345")
    with pytest.raises(DomainError, match="đã có trong hệ thống"):
        services.update_person(actor=None, person=org.an, citizen_id=org.binh.citizen_id)
    services.update_person(actor=None, person=org.an, citizen_id=" 001085000001 ")
    org.an.refresh_from_db()
    assert org.an.citizen_id == "001085000001"
