"""Evidence files: the unit, the levels above it and the reviewers fetch them; once the ranking is
published other units see the result but not its evidence, unless the unit's officer made a file public.
Uploads are checked by content."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import _user
from thidua.movements import services
from thidua.movements.models import Evidence, Result
from thidua.movements.tests.samples import GOOD, YEAR
from thidua.org import services as org_services
from thidua.org.models import Role, Unit

pytestmark = pytest.mark.django_db
pytest_plugins = ["thidua.movements.tests.fixtures"]


@pytest.fixture
def published(
    personas, root_officer, org, running, cluster, settings, tmp_path
) -> tuple[Result, Evidence, Any]:
    """Province A's result with one evidence file, the cluster ranking published; an officer of
    province C (not in the cluster, not above A) who sees published results."""
    settings.MEDIA_ROOT = tmp_path
    province_c = org_services.create_unit(
        actor=None,
        code="BHXH-48",
        name="Bảo hiểm xã hội thành phố Đà Nẵng",
        parent=org.root,
        kind=Unit.Kind.BHXH_TINH,
        is_legal_entity=True,
        province_code="48",
    )
    running.participations.create(unit=province_c)
    officer_c = _user("canbo.dn", unit=province_c, role=Role.OFFICER)
    for unit in (org.a, org.b):
        result = services.save_result(
            actor=None, movement=running, unit=unit, year=YEAR, period="nam", figures=GOOD
        )
        services.submit_result(actor=None, result=result)
    result_a = Result.objects.get(unit=org.a)
    upload = SimpleUploadedFile(
        "bien-ban.pdf", b"%PDF-1.4 bien ban hop co CCCD", content_type="application/pdf"
    )
    evidence = services.add_evidence(actor=None, result=result_a, file=upload, description="Biên bản họp")
    for result in Result.objects.all():
        services.review_result(actor=root_officer, result=result, note="Thống nhất")
        services.finalise_result(actor=root_officer, result=result)
    ranking = services.compute_ranking(actor=root_officer, movement=running, cluster=cluster, year=YEAR)
    services.publish_ranking(actor=root_officer, ranking=ranking)
    return Result.objects.get(pk=result_a.pk), evidence, officer_c


def fetch(client: Any, evidence: Evidence) -> int:
    status: int = client.get(f"/phong-trao/minh-chung/{evidence.pk}/tep/").status_code
    return status


def test_after_publication_another_unit_sees_the_result_but_not_its_evidence(client_for, published):
    result, evidence, officer_c = published
    other = client_for(officer_c)
    page = other.get(f"/phong-trao/ket-qua/{result.pk}/")
    assert page.status_code == 200
    assert "Biên bản họp" not in page.content.decode()
    assert "1 minh chứng chỉ đơn vị, cấp trên và người thẩm định được xem" in page.content.decode()
    assert fetch(other, evidence) == 403


def test_the_unit_the_level_above_and_the_reviewers_fetch_it(client_for, personas, root_officer, published):
    _, evidence, _ = published
    assert fetch(client_for(personas.officer), evidence) == 200  # the unit
    assert fetch(client_for(root_officer), evidence) == 200  # the level above
    assert fetch(client_for(personas.outsider_officer), evidence) == 200  # the cluster head reviews A


def test_the_units_officer_may_make_a_file_public_and_private_again(client_for, personas, published):
    result, evidence, officer_c = published
    other = client_for(officer_c)
    # another unit cannot change it
    assert (
        other.post(
            f"/phong-trao/ket-qua/{result.pk}/cong-khai-minh-chung/", {"evidence": evidence.pk}
        ).status_code
        == 403
    )
    officer = client_for(personas.officer)
    officer.post(f"/phong-trao/ket-qua/{result.pk}/cong-khai-minh-chung/", {"evidence": evidence.pk})
    assert Evidence.objects.get(pk=evidence.pk).public
    response = other.get(f"/phong-trao/minh-chung/{evidence.pk}/tep/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    officer.post(f"/phong-trao/ket-qua/{result.pk}/thoi-cong-khai-minh-chung/", {"evidence": evidence.pk})
    assert fetch(other, evidence) == 403


@pytest.mark.parametrize(
    ("name", "content", "refused"),
    [
        ("bao-cao.pdf", b"<html><script>alert(1)</script></html>", True),  # HTML called .pdf
        ("anh.exe", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, False),  # a PNG whatever its name
        ("tai-lieu.pdf", b"MZ\x90\x00\x03" + b"\x00" * 64, True),  # a program
        ("so-lieu.xlsx", b"PK\x03\x04 not a zip", True),
    ],
)
def test_evidence_uploads_are_checked_by_content_not_name(
    client_for, personas, org, running, settings, tmp_path, name, content, refused
):
    settings.MEDIA_ROOT = tmp_path
    result = services.save_result(
        actor=None, movement=running, unit=org.a, year=YEAR, period="nam", figures=GOOD
    )
    response = client_for(personas.officer).post(
        f"/phong-trao/ket-qua/{result.pk}/minh-chung/",
        {"description": "Ảnh", "file": SimpleUploadedFile(name, content)},
        follow=True,
    )
    assert Evidence.objects.exists() is not refused
    if refused:
        assert "Tệp không đúng loại" in response.content.decode()
    else:
        assert Evidence.objects.get().file.name.endswith(".png")  # stored under the kind it is


def test_an_evidence_file_over_the_limit_is_refused(client_for, personas, org, running, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    result = services.save_result(
        actor=None, movement=running, unit=org.a, year=YEAR, period="nam", figures=GOOD
    )
    big = SimpleUploadedFile("lon.pdf", b"%PDF-1.4" + b"0" * (11 * 1024 * 1024))
    response = client_for(personas.officer).post(
        f"/phong-trao/ket-qua/{result.pk}/minh-chung/", {"description": "Lớn", "file": big}, follow=True
    )
    assert "quá lớn: tối đa 10 MB" in response.content.decode()
    assert not Evidence.objects.exists()
