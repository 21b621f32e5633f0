"""Long work as a job: a large unit's eligibility and candidate proposals answer at once with progress."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from thidua.awards.models import Candidate
from thidua.documents.models import Job
from thidua.history.models import Rating

pytestmark = pytest.mark.django_db
YEAR = 2025


@pytest.fixture
def rated(org):
    Rating.objects.create(person=org.an, year=YEAR, value="hoan_thanh_tot")
    Rating.objects.create(person=org.binh, year=YEAR, value="hoan_thanh_tot")


def test_a_large_units_eligibility_runs_as_a_job_with_progress(client_for, personas, org, rated, monkeypatch):
    from thidua.eligibility import views

    monkeypatch.setattr(views, "INLINE_PEOPLE", 1)
    client = client_for(personas.officer)
    page = client.get(f"/xet-khen-thuong/don-vi/{org.a.pk}/", {"nam": YEAR})
    assert page.status_code == 200 and page.context["too_many"] and "trong nền" in page.content.decode()
    response = client.post(f"/xet-khen-thuong/don-vi/{org.a.pk}/xet-nen/", {"nam": YEAR})
    job = Job.objects.get(kind=Job.Kind.ELIGIBILITY_XLSX)
    assert response["Location"] == f"/van-ban/viec/{job.pk}/"
    assert job.status == Job.Status.DONE and job.progress == 100, job.error
    detail = client.get(f"/van-ban/viec/{job.pk}/").content.decode()
    assert "<progress" in detail and "Về trang xét của" in detail
    sheet = load_workbook(BytesIO(job.result.read())).worksheets[0]
    names = {row[2] for row in sheet.iter_rows(values_only=True)}
    assert "Nguyễn Văn An" in names


def test_proposing_candidates_of_a_large_unit_is_a_job(client_for, personas, org, rated, monkeypatch):
    from thidua.awards import views

    monkeypatch.setattr(views, "INLINE_PEOPLE", 1)
    response = client_for(personas.officer).post(f"/khen-thuong/de-nghi/{org.a.pk}/{YEAR}/xet/")
    job = Job.objects.get(kind=Job.Kind.CANDIDATES_PROPOSE)
    assert response["Location"] == f"/van-ban/viec/{job.pk}/"
    assert job.status == Job.Status.DONE, job.error
    assert Candidate.objects.filter(unit=org.a, year=YEAR, person=org.an).exists()
    # Someone who may not change the unit gets a failed job, not candidates.
    response = client_for(personas.outsider_officer).post(f"/khen-thuong/de-nghi/{org.a.pk}/{YEAR}/xet/")
    assert response.status_code in (403, 404)


def test_a_large_units_page_evaluates_its_people_page_by_page(client_for, personas, org, rated, monkeypatch):
    from thidua.eligibility import views

    monkeypatch.setattr(views, "INLINE_PEOPLE", 1)
    monkeypatch.setattr(views, "SUMMARY_PER_PAGE", 1)
    client = client_for(personas.officer)
    first = client.get(f"/xet-khen-thuong/don-vi/{org.a.pk}/", {"nam": YEAR})
    assert first.status_code == 200
    rows = first.context["rows"]
    assert [r["person"].full_name for r in rows] == ["Nguyễn Văn An"]
    assert rows[0]["eligible"] and all(isinstance(name, str) for name in rows[0]["eligible"])
    html = first.content.decode()
    assert "Xét tất cả trong nền" in html and "trang=2" in html and "2 cán bộ" in html
    second = client.get(f"/xet-khen-thuong/don-vi/{org.a.pk}/", {"nam": YEAR, "trang": "2"})
    assert [r["person"].full_name for r in second.context["rows"]] == ["Trần Thị Bình"]
    assert not second.context["page"].has_next()
    # another province's officer sees nothing of it
    assert (
        client_for(personas.outsider_officer).get(f"/xet-khen-thuong/don-vi/{org.a.pk}/").status_code == 404
    )


def _job_rows(client, org, monkeypatch, max_rows):
    from thidua.eligibility import jobs, views

    monkeypatch.setattr(views, "INLINE_PEOPLE", 1)
    monkeypatch.setattr(jobs, "XLSX_MAX_ROWS", max_rows)
    client.post(f"/xet-khen-thuong/don-vi/{org.a.pk}/xet-nen/", {"nam": YEAR})
    job = Job.objects.filter(kind=Job.Kind.ELIGIBILITY_XLSX).latest("pk")
    assert job.status == Job.Status.DONE, job.error
    return job


def test_the_job_agrees_with_the_one_person_evaluation_and_writes_csv_when_large(
    client_for, personas, org, rated, monkeypatch
):
    """The set-based job lists exactly whom the per-person evaluation finds eligible or deferred; past
    the .xlsx row limit it writes the same rows as a CSV (UTF-8 with BOM, formulas kept as text)."""
    import csv

    from thidua.eligibility import services
    from thidua.org.models import Person

    Person.objects.filter(pk=org.binh.pk).update(full_name="=HYPERLINK(1)")
    client = client_for(personas.officer)
    people = list(Person.objects.of_unit(org.a, YEAR, reach="subtree"))
    expected = {
        (title.name, row.person.full_name, label)
        for title in services.unit_candidates(org.a, year=YEAR, people=people)
        for rows, label in ((title.eligible, "Đủ điều kiện"), (title.deferred, "Tạm hoãn xét"))
        for row in rows
    }
    assert expected, "the fixture must give someone a verdict worth listing"
    xlsx = _job_rows(client, org, monkeypatch, 50_000)
    assert xlsx.result_name.endswith(".xlsx")
    sheet = load_workbook(BytesIO(xlsx.result.read())).worksheets[0]
    got = {(r[1], r[2], r[4]) for r in sheet.iter_rows(min_row=4, values_only=True) if isinstance(r[0], int)}
    assert got == expected
    large = _job_rows(client, org, monkeypatch, 0)
    assert large.result_name.endswith(".csv")
    text = large.result.read().decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(text.lstrip("\ufeff").splitlines()))
    assert rows[2] == ["STT", "Danh hiệu, hình thức", "Họ và tên", "Đơn vị", "Kết quả xét"]
    from_csv = {(r[1], r[2].removeprefix("'"), r[4]) for r in rows[3:]}
    assert from_csv == expected
    assert any(r[2] == "'=HYPERLINK(1)" for r in rows[3:])


def test_a_job_for_a_user_who_may_see_nobody_lists_nobody(client_for, personas, org, rated, monkeypatch):
    # The user's grants ended between the start and the run: the list of whom they may see is empty
    # (a queryset Django knows matches nothing, which has no SQL), and the job still finishes.
    from thidua.eligibility import jobs
    from thidua.org.models import Person

    monkeypatch.setattr(jobs, "visible_people", lambda user: Person.objects.none())
    job = _job_rows(client_for(personas.officer), org, monkeypatch, 50_000)
    sheet = load_workbook(BytesIO(job.result.read())).worksheets[0]
    assert not any(isinstance(row[0], int) for row in sheet.iter_rows(min_row=4, values_only=True))
