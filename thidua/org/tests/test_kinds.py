"""Unit kinds as data: the sectors file, an organisation's own labels, levels, the cluster organiser."""

from __future__ import annotations

import pytest

from thidua.org import services
from thidua.org.kinds import (
    SectorDataError,
    catalogue,
    codes_at_level,
    kind_choices,
    kind_label,
    kind_of,
    parse_kind,
    parse_sectors,
    sector,
    sectors,
)
from thidua.org.models import Cluster, Organisation, Unit

REQUIRED_SECTORS = {"bhxh", "tinh", "bo", "giao_duc", "doanh_nghiep"}


def _kind(s, code):
    found = s.kind(code)
    assert found is not None, code
    return found


def test_the_sectors_file_has_the_five_sectors_each_with_a_root_kind_and_other():
    assert set(sectors()) >= REQUIRED_SECTORS
    for s in sectors().values():
        codes = [k.code for k in s.kinds]
        assert s.root_kind in codes and "khac" in codes
        assert len(codes) == len(set(codes))


def test_the_bhxh_demo_codes_keep_their_labels_and_levels():
    bhxh = sector("bhxh")
    assert _kind(bhxh, "bhxh_tinh").label == "BHXH tỉnh, thành phố"
    assert _kind(bhxh, "bhxh_tinh").level == "tinh"
    assert _kind(bhxh, "bhxh_co_so").level == "xa"
    assert _kind(bhxh, "co_quan").level == "bo_nganh_tinh"
    # A unit outside any organisation reads codes as the first sector listing them: BHXH's.
    assert catalogue()["co_quan"].label == "Cơ quan"


def test_a_province_has_its_committees_at_their_levels_with_their_authority():
    tinh = sector("tinh")
    assert _kind(tinh, "ubnd_tinh").level == "bo_nganh_tinh"
    assert _kind(tinh, "ubnd_tinh").decides == ("bo_truong_chu_tich_tinh",)
    assert _kind(tinh, "ubnd_xa").level == "xa"
    assert _kind(tinh, "ubnd_xa").decides == ("chu_tich_ubnd_xa",)
    assert _kind(tinh, "so").level == "tinh"


def test_schools_are_legal_entities_by_default_and_departments_are_not():
    education = sector("giao_duc")
    assert _kind(education, "truong_thpt").legal_entity
    assert not _kind(education, "to_chuyen_mon").legal_entity


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "sectors"),
        (
            {"sectors": {"x": {"name": "X", "kinds": {"khac": {"label": "Khác"}}, "root_kind": "co"}}},
            "root_kind",
        ),
        ({"sectors": {"x": {"name": "X", "kinds": {"co": {"label": "Cơ"}}, "root_kind": "co"}}}, "khac"),
        (
            {"sectors": {"x": {"kinds": {"khac": {"label": "Khác", "level": "huyen"}}, "root_kind": "khac"}}},
            "level",
        ),
        ({"sectors": {"x": {"kinds": {"khac": {"label": ""}}, "root_kind": "khac"}}}, "label"),
        ({"sectors": {"x": {"kinds": {"Khac Mới": {"label": "K"}}, "root_kind": "Khac Mới"}}}, "mã loại"),
    ],
)
def test_a_malformed_sectors_file_is_refused_with_what_is_wrong(data, message):
    with pytest.raises(SectorDataError, match=message):
        parse_sectors(data)


def _province(code: str = "UBND-66") -> tuple[Organisation, Unit]:
    root = services.create_unit(actor=None, code=code, name="Ủy ban nhân dân tỉnh Đắk Lắk", kind="ubnd_tinh")
    return Organisation.objects.create(root=root, sector="tinh", parent_body=""), root


def test_an_organisation_offers_its_sector_kinds_with_its_own_labels(db):
    organisation, root = _province()
    commune = services.create_unit(actor=None, code="X-1", name="UBND xã Ea Kao", parent=root, kind="ubnd_xa")
    assert commune.get_kind_display() == "UBND xã, phường, đặc khu"

    organisation.kind_labels = {"ubnd_xa": "UBND xã, phường", "khong_co": "bỏ qua"}
    organisation.save()

    assert Unit.objects.get(pk=commune.pk).get_kind_display() == "UBND xã, phường"
    codes = [code for code, _ in kind_choices(organisation)]
    assert codes[0] == "ubnd_tinh" and "bhxh_tinh" not in codes and "khong_co" not in codes
    assert kind_label("ubnd_xa", organisation) == "UBND xã, phường"
    assert codes_at_level("xa", organisation) == ["ubnd_xa"]
    assert parse_kind("ubnd xa, phuong", organisation) == "ubnd_xa"


def test_a_code_from_outside_the_sector_or_unknown_still_reads_as_words(db):
    _, root = _province()
    unit = services.create_unit(actor=None, code="B-1", name="Phòng X", parent=root, kind="bhxh_co_so")
    stray = services.create_unit(actor=None, code="B-2", name="Phòng Y", parent=root, kind="loai_la")
    assert unit.get_kind_display() == "BHXH cơ sở"
    assert stray.get_kind_display() == "Loai la"
    assert kind_of(stray).level == ""


def test_a_cluster_organised_at_province_level_counts_for_the_flag_and_one_of_a_department_does_not(db):
    _, root = _province()
    so = services.create_unit(actor=None, code="SO-1", name="Sở Tài chính", parent=root, kind="so")
    school = services.create_unit(actor=None, code="SC-1", name="Trường A", parent=so, kind="khac")

    provincial = services.create_cluster(
        actor=None, name="Khối các sở", year=2026, organiser_unit=root, members=[so]
    )
    departmental = services.create_cluster(
        actor=None, name="Cụm trường", year=2026, organiser_unit=so, members=[school]
    )

    assert provincial.organiser == Cluster.Organiser.BO_NGANH_TINH
    assert departmental.organiser == Cluster.Organiser.DON_VI
