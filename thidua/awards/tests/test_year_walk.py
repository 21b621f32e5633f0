"""GIVEN province A with a council of ten, An's history (CSTĐCS 2023, 2024) and an initiative
WHEN the year 2025 is walked through the pages (ratings → candidates → ballot → dossier →
appraisal → decision) THEN the database, the audit log and next year's eligibility follow."""

from __future__ import annotations

import io
from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest
from docx import Document

from thidua.audit.models import AuditEntry
from thidua.awards.models import Ballot, Candidate, Decision, Dossier
from thidua.awards.tests.helpers import scan
from thidua.eligibility.adapters import person_case
from thidua.eligibility.models import RuleOptions
from thidua.history.models import AwardRecord, Initiative, Rating
from thidua.rules import evaluate

YEAR = 2025
CSTDCS = "chien_si_thi_dua_co_so"
CSTD_BO_TINH = "chien_si_thi_dua_bo_tinh"


def _eligible(person: Any, year: int, award_id: str) -> str:
    case = person_case(person, year=year, candidates=[award_id])
    return (
        evaluate(case, options={"assume_nd98_vote_thresholds": True}, with_forecast=False).results[0].verdict
    )


def _docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


@pytest.mark.django_db
def test_it_walks_the_whole_year_through_the_pages(
    media: Any,
    org: SimpleNamespace,
    personas: SimpleNamespace,
    council: SimpleNamespace,
    history: Any,
    root_officer: Any,
    client_for: Any,
) -> None:
    officer = client_for(personas.officer)

    # 1. Ratings: the grid of the department.
    r = officer.post(f"/khen-thuong/xep-loai/{org.a_dept.pk}/{YEAR}/", {f"r_{org.an.pk}": "hoan_thanh_tot"})
    assert r.status_code == 302
    assert Rating.objects.get(person=org.an, year=YEAR).value == "hoan_thanh_tot"
    assert AuditEntry.objects.filter(action="rating.saved", object_id=str(org.a_dept.pk)).exists()

    # 2. Candidates: the engine proposes, the officer confirms.
    assert officer.post(f"/khen-thuong/de-nghi/{org.a.pk}/{YEAR}/xet/").status_code == 302
    cand = Candidate.objects.get(person=org.an, year=YEAR, award_id=CSTDCS)
    assert cand.status == "proposed" and cand.ruleset_id and cand.engine_result["verdict"] == "eligible"
    page = officer.get(f"/khen-thuong/de-nghi/{org.a.pk}/{YEAR}/")
    assert "Nguyễn Văn An" in page.content.decode()
    officer.post(f"/khen-thuong/de-nghi/{cand.pk}/xac-nhan/")
    cand.refresh_from_db()
    assert cand.status == "confirmed"

    # 3. Council: a meeting with 9 of 10 present, a ballot, votes, the count.
    r = officer.post(
        f"/khen-thuong/hoi-dong/{council.council.pk}/",
        {
            "year": YEAR,
            "held_on": "2025-12-10",
            "place": "Hà Nội",
            "present": [m.pk for m in council.members[:9]],
        },
    )
    meeting = council.council.meetings.get()
    assert (
        r.status_code == 302
        and "9/10" in officer.get(f"/khen-thuong/phien-hop/{meeting.pk}/").content.decode()
    )
    # The organisation applies the NĐ 98 thresholds, unconfirmed under NĐ 152 ("Quy định" page).
    RuleOptions.objects.create(unit=org.root, options={"assume_nd98_vote_thresholds": True})
    officer.post(
        f"/khen-thuong/phien-hop/{meeting.pk}/bo-phieu/", {"candidates": [cand.pk], "mode": "electronic"}
    )
    ballot = Ballot.objects.get(meeting=meeting)
    item = ballot.items.get()
    for i in range(9):  # "agree to all" with one exception: member 8 disagrees
        r = client_for(council.users[i]).post(
            f"/khen-thuong/bo-phieu/{ballot.pk}/phieu/", {"disagree": [item.pk]} if i == 8 else {}
        )
        assert r.status_code == 302
    page = client_for(council.users[0]).get(f"/khen-thuong/bo-phieu/{ballot.pk}/").content.decode()
    assert "Bạn đã bỏ phiếu" in page and "Chưa xác nhận" in page and "Chiến sĩ thi đua cơ sở" in page
    assert "chien_si_thi_dua_co_so" not in page
    # the secretary enters the absent member's written vote, with its scan
    client_for(council.users[1]).post(
        f"/khen-thuong/bo-phieu/{ballot.pk}/van-ban/",
        {"member": council.members[9].pk, "disagree": [item.pk], "scan": scan()},
    )
    officer.post(f"/khen-thuong/bo-phieu/{ballot.pk}/kiem-phieu/")
    item.refresh_from_db()
    assert (item.agree, item.disagree, item.threshold_pct, item.passed) == (8, 2, 80, True)
    assert item.threshold_kind == "assumed"
    minutes = _docx_text(officer.get(f"/khen-thuong/phien-hop/{meeting.pk}/bien-ban.docx").content)
    assert "Nguyễn Văn An" in minutes and "80,0%" in minutes and "Đạt" in minutes
    assert "Phiếu gửi bằng văn bản đã nhận: Thành viên Hội đồng Số 9" in minutes

    # 4. Dossier: created from the vote, submitted up; the province cannot appraise it.
    r = officer.post(
        f"/khen-thuong/ho-so/tao/{org.a.pk}/{YEAR}/", {"award_id": CSTDCS, "meeting": meeting.pk}
    )
    dossier = Dossier.objects.get(unit=org.a, year=YEAR, award_id=CSTDCS)
    officer.post(f"/khen-thuong/ho-so/{dossier.pk}/trinh/", {"version": 1})
    dossier.refresh_from_db()
    assert dossier.status == "submitted" and dossier.deadline is not None
    for slug in ("to-trinh", "danh-sach", "bao-cao-thanh-tich", "bien-ban"):
        text = _docx_text(officer.get(f"/khen-thuong/ho-so/{dossier.pk}/tai-lieu/{slug}.docx").content)
        assert "Nguyễn Văn An" in text, slug
    officer.post(f"/khen-thuong/ho-so/{dossier.pk}/tham-dinh/", {"version": 2, f"a_{cand.pk}": "accept"})
    dossier.refresh_from_db()
    assert dossier.status == "submitted"

    # 5. Appraisal and decision at the level above.
    upper = client_for(root_officer)
    upper.post(f"/khen-thuong/ho-so/{dossier.pk}/tham-dinh/", {"version": 2, f"a_{cand.pk}": "accept"})
    dossier.refresh_from_db()
    assert dossier.status == "appraised"
    assert _eligible(org.an, 2026, "chien_si_thi_dua_bo_tinh") == "not_eligible"
    r = upper.post(
        f"/khen-thuong/ho-so/{dossier.pk}/ban-hanh/",
        {
            "version": 3,
            "signed_on": "2026-01-15",
            "signer_name": "Nguyễn Văn Tổng",
            "signer_title": "Giám đốc",
            "recipients": "Như Điều 3\nLưu: VT, TĐKT",
        },
    )
    decision = Decision.objects.get(dossier=dossier)
    assert r.status_code == 302 and decision.number_symbol == "01/QĐ-BHXH"
    award = AwardRecord.objects.get(person=org.an, year=YEAR, award_id=CSTDCS)
    assert award.prize_vnd == 2_340_000 and award.decision_number == "01/QĐ-BHXH"
    assert Initiative.objects.get(pk=history.initiative.pk).used_for == f"{CSTDCS}:{YEAR}"
    text = _docx_text(upper.get(f"/khen-thuong/quyet-dinh/{decision.pk}/quyet-dinh.docx").content)
    assert "01/QĐ-BHXH" in text and "2.340.000" in text
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "candidate.confirmed",
        "ballot.closed",
        "dossier.submitted",
        "dossier.appraised",
        "decision.issued",
    } <= actions

    # 6. An follows it in their own file.
    mine = client_for(personas.staff).get("/khen-thuong/cua-toi/").content.decode()
    assert "01/QĐ-BHXH" in mine and "Chiến sĩ thi đua cơ sở" in mine

    # 7. Next year: the CSTĐCS streak is three years long; with an HTXS rating and a ministry-level
    # initiative in 2026, CSTĐ bộ/tỉnh is within reach once CSTĐCS 2026 is decided: titles are decided
    # lower first ("consecutive" = the lower title awarded each year, law.md §2; Luật 06/2022 Đ22).
    Rating.objects.create(person=org.an, year=2026, value="hoan_thanh_xuat_sac")
    Initiative.objects.create(
        person=org.an, code="SK-2026-09", title="Giám định số", year=2026, scope="bo_nganh_tinh"
    )
    assert officer.post(f"/khen-thuong/de-nghi/{org.a.pk}/2026/xet/").status_code == 302
    higher = Candidate.objects.get(person=org.an, year=2026, award_id=CSTD_BO_TINH)
    assert higher.status == "waiting"
    page = officer.get(f"/khen-thuong/de-nghi/{org.a.pk}/2026/").content.decode()
    waiting = page.split('id="cho-danh-hieu-thap-hon"')[1].split("<h2")[0]
    assert "Nguyễn Văn An — Chiến sĩ thi đua bộ, ban, ngành, tỉnh" in waiting
    assert "Chờ quyết định công nhận Chiến sĩ thi đua cơ sở năm 2026 (đã đạt tiêu chuẩn)" in waiting
    r = officer.post(f"/khen-thuong/de-nghi/{higher.pk}/xac-nhan/", follow=True)
    assert "Chờ quyết định công nhận Chiến sĩ thi đua cơ sở năm 2026" in r.content.decode()
    assert Candidate.objects.get(pk=higher.pk).status == "waiting"
    lower = Candidate.objects.get(person=org.an, year=2026, award_id=CSTDCS)
    officer.post(f"/khen-thuong/de-nghi/{lower.pk}/xac-nhan/")
    officer.post(
        f"/khen-thuong/hoi-dong/{council.council.pk}/",
        {
            "year": 2026,
            "held_on": "2026-12-10",
            "place": "Hà Nội",
            "present": [m.pk for m in council.members],
        },
    )
    meeting = council.council.meetings.get(year=2026)
    officer.post(
        f"/khen-thuong/phien-hop/{meeting.pk}/bo-phieu/", {"candidates": [lower.pk], "mode": "electronic"}
    )
    ballot = Ballot.objects.get(meeting=meeting)
    for i in range(10):
        assert (
            client_for(council.users[i]).post(f"/khen-thuong/bo-phieu/{ballot.pk}/phieu/", {}).status_code
            == 302
        )
    officer.post(f"/khen-thuong/bo-phieu/{ballot.pk}/kiem-phieu/")
    officer.post(f"/khen-thuong/ho-so/tao/{org.a.pk}/2026/", {"award_id": CSTDCS, "meeting": meeting.pk})
    dossier = Dossier.objects.get(unit=org.a, year=2026, award_id=CSTDCS)
    officer.post(f"/khen-thuong/ho-so/{dossier.pk}/trinh/", {"version": 1})
    upper.post(f"/khen-thuong/ho-so/{dossier.pk}/tham-dinh/", {"version": 2, f"a_{lower.pk}": "accept"})
    assert _eligible(org.an, 2026, CSTD_BO_TINH) == "not_eligible"  # not before the lower decision
    r = upper.post(
        f"/khen-thuong/ho-so/{dossier.pk}/ban-hanh/",
        {
            "version": 3,
            "signed_on": "2027-01-12",
            "signer_name": "Nguyễn Văn Tổng",
            "signer_title": "Giám đốc",
        },
    )
    assert r.status_code == 302 and Decision.objects.filter(dossier=dossier).exists()
    assert Initiative.objects.get(code="SK-2026-09").used_for == ""  # CSTĐCS 2026 on the HTXS path
    higher.refresh_from_db()
    assert (higher.status, higher.verdict) == ("proposed", "eligible")
    assert _eligible(org.an, 2026, CSTD_BO_TINH) == "eligible"
    assert date(2026, 1, 15) == award.decided_on
