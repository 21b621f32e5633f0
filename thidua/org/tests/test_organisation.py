"""The organisation's data in one place: what a document issued by a unit prints about its issuer."""

from __future__ import annotations

from thidua.org import services
from thidua.org.models import Organisation
from thidua.org.organisation import current_organisation, is_set_up, letterhead, place_from_name


def _education(db):
    root = services.create_unit(
        actor=None,
        code="SGDDT-66",
        name="Sở Giáo dục và Đào tạo tỉnh Đắk Lắk",
        short_name="Sở GDĐT Đắk Lắk",
        kind="so_gddt",
        symbol="SGDĐT",
        place_name="Đắk Lắk",
        is_legal_entity=True,
    )
    organisation = Organisation.objects.create(
        root=root, sector="giao_duc", parent_body="Ủy ban nhân dân tỉnh Đắk Lắk"
    )
    school = services.create_unit(
        actor=None,
        code="THPT-CVA",
        name="Trường Trung học phổ thông Chu Văn An",
        parent=root,
        kind="truong_thpt",
        is_legal_entity=True,
    )
    team = services.create_unit(
        actor=None, code="TO-TOAN", name="Tổ Toán", parent=school, kind="to_chuyen_mon"
    )
    return organisation, root, school, team


def test_the_root_prints_its_parent_body_symbol_and_place(db):
    _, root, _, _ = _education(db)
    head = letterhead(root)
    assert head.name == "Sở Giáo dục và Đào tạo tỉnh Đắk Lắk"
    assert head.parent_body == "Ủy ban nhân dân tỉnh Đắk Lắk"
    assert (head.symbol, head.place) == ("SGDĐT", "Đắk Lắk")


def test_a_school_without_its_own_data_takes_its_parent_and_the_organisations(db):
    _, root, school, team = _education(db)
    head = letterhead(school)
    assert head.parent_body == root.name
    assert head.symbol == "SGDĐT"  # the school has no symbol of its own yet
    assert head.place == "Đắk Lắk"  # the nearest ancestor's

    school.symbol, school.place_name = "THPTCVA", "Buôn Ma Thuột"
    school.save()
    assert (letterhead(school).symbol, letterhead(team).place) == ("THPTCVA", "Buôn Ma Thuột")


def test_nothing_falls_back_to_another_organisation(db):
    root = services.create_unit(
        actor=None, code="CTY", name="Công ty cổ phần Cà phê Buôn Đôn", kind="doanh_nghiep"
    )
    Organisation.objects.create(root=root, sector="doanh_nghiep")
    head = letterhead(root)
    assert head.parent_body == "" and head.symbol == "" and head.place == ""
    assert "BHXH" not in str(head) and "Hà Nội" not in str(head)


def test_a_short_name_with_spaces_is_no_symbol_and_names_give_places():
    assert place_from_name("Bảo hiểm xã hội thành phố Hà Nội") == "Hà Nội"
    assert place_from_name("Công ty Cà phê") == ""


def test_an_empty_database_is_not_set_up(db):
    assert not is_set_up() and current_organisation() is None
    _education(db)
    organisation = current_organisation()
    assert is_set_up() and organisation is not None and organisation.root.code == "SGDDT-66"
