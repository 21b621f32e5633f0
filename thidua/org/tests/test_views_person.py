from __future__ import annotations

from datetime import date

from thidua.history.models import AwardRecord, Discipline, Initiative, Leave, Rating
from thidua.org import services


def test_it_shows_the_whole_record_of_a_person(org, personas, client_for):
    services.transfer_person(
        actor=None, person=org.an, unit=org.a, on=date(2020, 1, 1), title="Phó Trưởng phòng"
    )
    Rating.objects.create(person=org.an, year=2024, value="hoan_thanh_xuat_sac")
    AwardRecord.objects.create(
        person=org.an,
        kind="title",
        award_id="chien_si_thi_dua_co_so",
        year=2024,
        decided_on=date(2025, 1, 20),
        decision_number="125/QĐ-BHXH",
        prize_vnd=1989000,
    )
    AwardRecord.objects.create(
        person=org.an,
        kind="form",
        award_id="bang_khen_thu_tuong",
        year=2023,
        decided_on=date(2024, 3, 5),
        decision_number="312/QĐ-TTg",
        revoked_on=date(2025, 2, 1),
    )
    Initiative.objects.create(
        person=org.an, code="SK-01", title="Đối soát dữ liệu thu", year=2024, scope="co_so"
    )
    Discipline.objects.create(person=org.an, form="khien_trach", decided_on=date(2019, 5, 4))
    Leave.objects.create(
        person=org.an, reason="hoc_tap", started_on=date(2018, 9, 1), ended_on=date(2019, 6, 30)
    )

    response = client_for(personas.officer).get(f"/to-chuc/nhan-su/{org.an.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "001085012345" in html
    assert "02/04/1985" in html
    assert "31/12/2019" in html  # the first position ended the day before the transfer
    assert "Hoàn thành xuất sắc nhiệm vụ" in html
    assert "Chiến sĩ thi đua cơ sở" in html and "chien_si_thi_dua_co_so" not in html
    assert "Số 125/QĐ-BHXH" in html
    assert "1.989.000 đ" in html
    assert "Bằng khen của Thủ tướng Chính phủ" in html and "thu hồi 01/02/2025" in html
    assert "Đối soát dữ liệu thu" in html
    assert "Khiển trách" in html
    assert "Đi học" in html


def test_staff_see_their_own_record_and_nobody_else(org, personas, client_for):
    client = client_for(personas.staff)
    assert client.get(f"/to-chuc/nhan-su/{org.an.pk}/").status_code == 200
    assert client.get(f"/to-chuc/nhan-su/{org.binh.pk}/").status_code == 404
    assert client_for(personas.outsider_officer).get(f"/to-chuc/nhan-su/{org.an.pk}/").status_code == 404


def test_it_shows_a_person_in_a_bounded_number_of_queries(
    org, personas, client_for, django_assert_max_num_queries
):
    for year in range(2015, 2025):
        Rating.objects.create(person=org.an, year=year, value="hoan_thanh_tot")
        AwardRecord.objects.create(
            person=org.an,
            kind="title",
            award_id="lao_dong_tien_tien",
            year=year,
            decided_on=date(year + 1, 1, 10),
        )
    client = client_for(personas.officer)
    # one of them: the audit entry of the personal data shown; one the pending proceedings
    with django_assert_max_num_queries(14):
        client.get(f"/to-chuc/nhan-su/{org.an.pk}/")


def test_staff_see_their_unit_named_not_linked_to_a_page_they_cannot_open(org, personas, client_for):
    client = client_for(personas.staff)
    unit = org.an.current_unit
    html = client.get(f"/to-chuc/nhan-su/{org.an.pk}/").content.decode()
    assert unit.name in html and f'href="/to-chuc/don-vi/{unit.pk}/"' not in html
    assert client.get(f"/to-chuc/don-vi/{unit.pk}/").status_code == 404
    listing = client.get("/to-chuc/nhan-su/").content.decode()
    assert f'href="/to-chuc/don-vi/{unit.pk}/"' not in listing
    officer_html = client_for(personas.officer).get(f"/to-chuc/nhan-su/{org.an.pk}/").content.decode()
    assert f'href="/to-chuc/don-vi/{unit.pk}/"' in officer_html
