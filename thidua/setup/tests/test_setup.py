"""The first day: `thidua setup` and the first-run page on an empty database, for every sector."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from thidua.accounts.models import User
from thidua.audit.models import AuditEntry
from thidua.awards.models import AwardSettings
from thidua.core.errors import DomainError
from thidua.eligibility.models import RuleOptions
from thidua.org.kinds import sector, sectors
from thidua.org.models import Membership, Organisation, Role, Unit
from thidua.rules import load_ruleset
from thidua.setup import services

PASSWORD = "Thi-dua-ngay-dau-2026"

# One realistic organisation per sector: what an officer would type on the first day.
ORGANISATIONS = {
    "bhxh": ("Bảo hiểm xã hội tỉnh Nghệ An", "BHXH Nghệ An", "BHXH", "Nghệ An", "Bảo hiểm xã hội Việt Nam"),
    "tinh": ("Ủy ban nhân dân tỉnh Gia Lai", "UBND Gia Lai", "UBND", "Gia Lai", ""),
    "bo": ("Bộ Tư pháp", "BTP", "BTP", "Hà Nội", "Chính phủ"),
    "giao_duc": (
        "Sở Giáo dục và Đào tạo tỉnh Đắk Lắk",
        "Sở GDĐT Đắk Lắk",
        "SGDĐT",
        "Đắk Lắk",
        "Ủy ban nhân dân tỉnh Đắk Lắk",
    ),
    "doanh_nghiep": ("Công ty cổ phần Cà phê Buôn Đôn", "Cà phê Buôn Đôn", "CPBĐ", "Buôn Ma Thuột", ""),
    "khac": ("Hội Chữ thập đỏ tỉnh Lâm Đồng", "Hội CTĐ Lâm Đồng", "HCTĐ", "Lâm Đồng", ""),
}


def _run(sector_id: str, *extra: str, password: str = PASSWORD, monkeypatch: Any) -> str:
    name, short, symbol, place, parent = ORGANISATIONS[sector_id]
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    out = io.StringIO()
    call_command(
        "setup",
        f"--name={name}",
        f"--short-name={short}",
        f"--symbol={symbol}",
        f"--place={place}",
        f"--parent-body={parent}",
        f"--sector={sector_id}",
        "--admin=quantri",
        "--admin-name=Nguyễn Thị Quản Trị",
        *extra,
        stdout=out,
    )
    return out.getvalue()


def test_every_sector_of_the_data_has_an_organisation_here():
    assert set(ORGANISATIONS) == set(sectors())


@pytest.mark.django_db
@pytest.mark.parametrize("sector_id", sorted(ORGANISATIONS))
def test_setup_starts_each_sector_on_an_empty_database_and_a_second_run_changes_nothing(
    sector_id: str, monkeypatch: Any
) -> None:
    name, short, symbol, place, parent = ORGANISATIONS[sector_id]

    out = _run(sector_id, monkeypatch=monkeypatch)

    organisation = Organisation.objects.select_related("root").get()
    root = organisation.root
    assert (root.name, root.short_name, root.symbol, root.place_name) == (name, short, symbol, place)
    assert organisation.parent_body == parent and organisation.sector == sector_id
    assert root.kind == sector(sector_id).root_kind and root.is_legal_entity and root.parent is None
    assert root.get_kind_display() == sector(sector_id).kind(root.kind).label  # type: ignore[union-attr]
    admin = User.objects.get(username="quantri")
    assert admin.is_superuser and admin.check_password(PASSWORD)
    assert (admin.last_name, admin.first_name) == ("Nguyễn Thị Quản", "Trị")
    assert Membership.objects.filter(user=admin, unit=root, role=Role.ADMIN).exists()
    assert AwardSettings.objects.get(root=root).htxs_cap_enabled
    entry = AuditEntry.objects.get(action="organisation.set_up")
    assert entry.detail["sector"] == sector_id and entry.detail["admin"] == "quantri"
    assert f"Đã thiết lập «{name}»" in out

    again = _run("khac", monkeypatch=monkeypatch)

    assert "không thay đổi gì" in again
    assert (Organisation.objects.count(), Unit.objects.count(), User.objects.count()) == (1, 1, 1)
    assert AuditEntry.objects.filter(action="organisation.set_up").count() == 1


@pytest.mark.django_db
def test_the_options_start_from_the_law_with_unconfirmed_readings_off(monkeypatch: Any) -> None:
    _run("tinh", monkeypatch=monkeypatch)
    root = Organisation.objects.get().root
    ruleset = load_ruleset(on=date.today())
    effective = {
        **{k: s.default for k, s in ruleset.settings_spec.items()},
        **RuleOptions.objects.get(unit=root).options,
    }
    unconfirmed = [
        k for k, s in ruleset.settings_spec.items() if s.type == "bool" and s.confidence == "UNCONFIRMED"
    ]
    assert unconfirmed and all(effective[key] is False for key in unconfirmed)


@pytest.mark.django_db
def test_the_organisation_chooses_its_options_on_the_first_day(monkeypatch: Any) -> None:
    _run(
        "giao_duc",
        "--option=require_registration=on",
        "--option=ttldtt_min_ldtt_pct=50",
        "--htxs-cap=off",
        "--quota=lao_dong_tien_tien=80",
        monkeypatch=monkeypatch,
    )
    root = Organisation.objects.get().root
    options = RuleOptions.objects.get(unit=root).options
    assert options["require_registration"] is True and options["ttldtt_min_ldtt_pct"] == 50
    settings = AwardSettings.objects.get(root=root)
    assert not settings.htxs_cap_enabled and settings.quotas == {"lao_dong_tien_tien": 80}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("extra", "password", "message"),
    [
        (("--symbol=Sở GD",), PASSWORD, "Ký hiệu"),
        (("--sector=ngan_hang",), PASSWORD, "Không có lĩnh vực"),
        ((), "123", "Mật khẩu chưa đạt"),
        (("--option=khong_co=on",), PASSWORD, "khong_co"),
        (("--quota=lao_dong_tien_tien=150",), PASSWORD, "từ 0 đến 100"),
    ],
)
def test_bad_input_is_refused_in_vietnamese_and_nothing_is_written(
    extra: tuple[str, ...], password: str, message: str, monkeypatch: Any
) -> None:
    with pytest.raises(CommandError, match=message):
        _run("giao_duc", *extra, password=password, monkeypatch=monkeypatch)
    assert not Organisation.objects.exists() and not Unit.objects.exists() and not User.objects.exists()


@pytest.mark.django_db
def test_the_password_never_comes_from_the_command_line_but_may_come_from_a_file(
    monkeypatch: Any, tmp_path: Any
) -> None:
    with pytest.raises(CommandError):
        _run("giao_duc", f"--password={PASSWORD}", monkeypatch=monkeypatch)
    secret = tmp_path / "mat-khau.txt"
    secret.write_text(PASSWORD + "\n", encoding="utf-8")
    _run("giao_duc", f"--password-file={secret}", password="", monkeypatch=monkeypatch)
    assert User.objects.get(username="quantri").check_password(PASSWORD)


def _page_data(**changes: str) -> dict[str, str]:
    data = {
        "name": "Ủy ban nhân dân tỉnh Gia Lai",
        "short_name": "UBND Gia Lai",
        "symbol": "ubnd",
        "place": "Gia Lai",
        "parent_body": "",
        "sector": "tinh",
        "code": "",
        "username": "quantri",
        "full_name": "Rơ Châm Hờ",
        "email": "",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "htxs_cap_enabled": "on",
        "htxs_cap_pct": "20",
        "htxs_cap_pct_excellent_unit": "25",
        "quota_chien_si_thi_dua_co_so": "15",
        "opt_chain_gap_policy": "break",
        "opt_cstd_bo_tinh_chain_step": "1",
        "opt_since_award_window_starts": "year_after_award",
        "opt_ttldtt_min_ldtt_pct": "70",
        "opt_ttldtt_min_ldtt_op": ">=",
    }
    data.update(changes)
    return data


@pytest.mark.django_db
def test_an_empty_database_leads_to_the_first_run_page_which_sets_up_and_then_is_gone() -> None:
    client = Client()
    assert client.get("/")["Location"] == "/thiet-lap/"
    assert "Thiết lập lần đầu" in client.get("/tai-khoan/dang-nhap/").content.decode()
    page = client.get("/thiet-lap/")
    html = page.content.decode()
    assert page.status_code == 200 and "Chưa xác nhận" in html and "Giáo dục và đào tạo" in html
    assert '<option value="Đắk Lắk">' in html  # the 34 provinces as places

    response = client.post("/thiet-lap/", _page_data())

    assert response.status_code == 302 and response["Location"] == "/bat-dau/"
    root = Organisation.objects.get().root
    assert (root.symbol, root.province_code, root.kind) == ("UBND", "52", "ubnd_tinh")
    assert AwardSettings.objects.get(root=root).quotas == {"chien_si_thi_dua_co_so": 15}
    start = client.get("/bat-dau/").content.decode()  # signed in as the new administrator
    assert "Ủy ban nhân dân tỉnh Gia Lai" in start and "UBND xã, phường, đặc khu" in start
    assert client.get("/thiet-lap/").status_code == 404
    assert Client().post("/thiet-lap/", _page_data(username="khac")).status_code == 404
    assert User.objects.count() == 1
    login = Client().get("/tai-khoan/dang-nhap/").content.decode()
    assert "Ủy ban nhân dân tỉnh Gia Lai" in login and "Thiết lập lần đầu" not in login


@pytest.mark.django_db
def test_the_first_run_page_names_each_mistake_and_writes_nothing() -> None:
    response = Client().post(
        "/thiet-lap/", _page_data(symbol="Sở GD", password2="khac-hoan-toan-2026", place="")
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Hai lần nhập mật khẩu không khớp" in html and "Trường này là bắt buộc" in html
    assert not Organisation.objects.exists()
    response = Client().post("/thiet-lap/", _page_data(symbol="Sở GD"))
    assert response.status_code == 400 and "Ký hiệu" in response.content.decode()
    assert not Unit.objects.exists()


@pytest.mark.django_db
def test_a_database_with_units_but_no_organisation_is_not_a_first_run(org: Any) -> None:
    Organisation.objects.all().delete()
    assert Client().get("/thiet-lap/").status_code == 404
    with pytest.raises(services.AlreadySetUp, match="đã có"):
        services.setup_organisation(
            actor=None,
            organisation=services.OrganisationSpec("X", "", "X", "X", "", "khac"),
            admin=services.AdminSpec("x", PASSWORD),
        )


@pytest.mark.django_db
def test_rule_options_are_changed_later_only_by_a_writer_of_the_root(monkeypatch: Any) -> None:
    _run("giao_duc", monkeypatch=monkeypatch)
    admin = Client()
    admin.force_login(User.objects.get(username="quantri"))
    data = {"opt_chain_gap_policy": "skip_unrated", "opt_cstd_bo_tinh_chain_step": "1"}
    data |= {
        "opt_since_award_window_starts": "year_after_award",
        "opt_ttldtt_min_ldtt_pct": "60",
        "opt_ttldtt_min_ldtt_op": ">=",
    }
    assert admin.post("/thiet-lap/tuy-chon-quy-tac/", data).status_code == 302
    options = RuleOptions.objects.get(unit=Organisation.objects.get().root).options
    assert options["chain_gap_policy"] == "skip_unrated" and options["ttldtt_min_ldtt_pct"] == 60
    page = admin.get("/thiet-lap/tuy-chon-quy-tac/").content.decode()
    # choices in words, the codes only as the values sent
    assert ">Bỏ qua năm không có kết quả xếp loại</option>" in page and ">skip_unrated<" not in page
    assert "Mặc định: Năm không có danh hiệu làm đứt chuỗi." in page and "Mặc định: break." not in page
    outsider = User.objects.create_user("nhanvien", password=PASSWORD)
    other = Client()
    other.force_login(outsider)
    assert other.get("/thiet-lap/tuy-chon-quy-tac/").status_code == 403


@pytest.mark.django_db
def test_the_templates_are_offered_on_the_first_run_page_and_only_then(monkeypatch: Any) -> None:
    client = Client()
    html = client.get("/thiet-lap/").content.decode()
    assert "/thiet-lap/mau/don-vi.xlsx" in html and "/thiet-lap/mau/khen-thuong.xlsx" in html
    units = client.get("/thiet-lap/mau/don-vi.xlsx")
    assert units.status_code == 200 and units.content[:2] == b"PK"
    assert (
        client.get("/thiet-lap/mau/khen-thuong.csv")
        .content.decode("utf-8-sig")
        .startswith("Số CCCD,Mã đơn vị")
    )
    assert client.get("/thiet-lap/mau/khong-co.xlsx").status_code == 404
    _run("bo", monkeypatch=monkeypatch)
    assert client.get("/thiet-lap/mau/don-vi.xlsx").status_code == 404


@pytest.mark.django_db
def test_the_organisation_renames_its_kinds_and_the_pages_follow(monkeypatch: Any) -> None:
    from thidua.org import services as org_services

    _run("giao_duc", monkeypatch=monkeypatch)
    organisation = Organisation.objects.get()
    org_services.create_unit(
        actor=None, code="TO-1", name="Tổ Toán", parent=organisation.root, kind="to_chuyen_mon"
    )
    admin = Client()
    admin.force_login(User.objects.get(username="quantri"))
    assert "Tổ chuyên môn, tổ văn phòng" in admin.get("/thiet-lap/loai-don-vi/").content.decode()

    response = admin.post(
        "/thiet-lap/loai-don-vi/", {"to_chuyen_mon": "  Tổ   bộ môn ", "phong": "Phòng, ban"}
    )

    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.kind_labels == {"to_chuyen_mon": "Tổ bộ môn"}  # the sector's own name is not stored
    assert "Tổ bộ môn" in admin.get("/to-chuc/don-vi/").content.decode()
    entry = AuditEntry.objects.get(action="organisation.kind_labels_changed")
    assert entry.detail["after"] == {"to_chuyen_mon": "Tổ bộ môn"}
    with pytest.raises(DomainError, match="bhxh_tinh"):
        services.set_kind_labels(
            actor=User.objects.get(username="quantri"), organisation=organisation, labels={"bhxh_tinh": "X"}
        )
    other = Client()
    other.force_login(User.objects.create_user("khach", password=PASSWORD))
    assert other.post("/thiet-lap/loai-don-vi/", {"to_chuyen_mon": "Khác"}).status_code == 403


@pytest.mark.django_db
def test_the_demo_is_never_mixed_into_a_real_organisation(monkeypatch: Any) -> None:
    _run("tinh", monkeypatch=monkeypatch)
    with pytest.raises(CommandError, match="dữ liệu mẫu chỉ nạp vào một cơ sở dữ liệu mới"):
        call_command("demo", people=0, stdout=io.StringIO())
    assert Unit.objects.count() == 1 and User.objects.count() == 1
