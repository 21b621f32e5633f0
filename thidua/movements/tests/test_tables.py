from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from thidua.audit.models import AuditEntry
from thidua.core.errors import DomainError
from thidua.movements import scoring, services
from thidua.movements.models import ScoringTable
from thidua.movements.tests.samples import YEAR
from thidua.org.models import Cluster

pytestmark = pytest.mark.django_db
pytest_plugins = ["thidua.movements.tests.fixtures"]

EXAMPLE = Path(__file__).parent / "data" / "criteria-example.yaml"


def _upload(client: Any, movement: Any, name: str, content: bytes, **extra: Any) -> Any:
    data = {"year": YEAR, "file": SimpleUploadedFile(name, content), **extra}
    return client.post(f"/phong-trao/{movement.pk}/bang-cham-diem/", data)


def test_the_criteria_example_loads_through_the_page(client_for, root_officer, movement):
    response = _upload(client_for(root_officer), movement, "criteria-example.yaml", EXAMPLE.read_bytes())
    record = ScoringTable.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/phong-trao/bang-cham-diem/{record.pk}/"
    assert record.title.startswith("Bảng chấm điểm thi đua năm 2026")
    table = services.load_table_record(record)
    assert len(table.leaves()) == 25 and table.base_max == 100
    worked = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))["worked_example"]
    assert scoring.score_unit(table, worked["inputs"]).total == scoring.to_decimal(
        worked["expected"]["total"]
    )
    page = client_for(root_officer).get(response["Location"]).content.decode()
    assert "Số người tham gia BHXH bắt buộc so với kế hoạch BHXH Việt Nam giao" in page
    assert AuditEntry.objects.get(action="scoring_table.saved").detail["criteria"] == 25


def test_a_broken_table_is_refused_with_every_problem(client_for, root_officer, movement):
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["criteria"][0]["children"][0]["children"][0]["method"] = "doan"
    data["criteria"][1]["max_points"] = "hai mươi"
    response = _upload(
        client_for(root_officer), movement, "bang.yaml", yaml.safe_dump(data, allow_unicode=True).encode()
    )
    page = response.content.decode()
    assert response.status_code == 200 and "Bảng chấm điểm không hợp lệ" in page
    assert "doan" in page and "hai mươi" in page
    assert not ScoringTable.objects.exists()


def test_a_table_round_trips_through_xlsx(client_for, root_officer, movement):
    client = client_for(root_officer)
    _upload(client, movement, "criteria-example.yaml", EXAMPLE.read_bytes())
    record = ScoringTable.objects.get()
    xlsx = client.get(f"/phong-trao/bang-cham-diem/{record.pk}/tai-ve/", {"format": "xlsx"}).content
    exported = client.get(f"/phong-trao/bang-cham-diem/{record.pk}/tai-ve/").content.decode()
    assert yaml.safe_load(exported)["criteria"][0]["code"] == "I"
    record.delete()
    response = _upload(client, movement, "bang.xlsx", xlsx)
    assert response.status_code == 302
    assert len(services.load_table_record(ScoringTable.objects.get()).leaves()) == 25


def test_a_table_is_copied_to_the_next_period(client_for, root_officer, org, movement):
    movement.end_year = YEAR + 1
    movement.kind = "chuyen_de"
    movement.save()
    client = client_for(root_officer)
    _upload(client, movement, "criteria-example.yaml", EXAMPLE.read_bytes())
    record = ScoringTable.objects.get()
    response = client.post(f"/phong-trao/bang-cham-diem/{record.pk}/sao-chep/", {"year": YEAR + 1})
    copy = ScoringTable.objects.get(year=YEAR + 1)
    assert response.status_code == 302
    assert copy.data["meta"]["period"]["year"] == YEAR + 1 and "2027" in copy.title
    assert copy.data["meta"]["calendar"]["register_and_sign_pact"] == "2027-01-31"
    assert "worked_example" not in copy.data
    assert AuditEntry.objects.filter(action="scoring_table.copied").count() == 1
    with pytest.raises(DomainError, match="ngoài thời gian"):
        services.copy_scoring_table(actor=None, source=record, year=YEAR + 5)


def test_a_cluster_table_overrides_the_movement_table(org, movement, cluster):
    from thidua.movements.tests.samples import TABLE

    services.save_scoring_table(actor=None, movement=movement, year=YEAR, data=TABLE)
    own = services.save_scoring_table(
        actor=None,
        movement=movement,
        year=YEAR,
        data=yaml.safe_load(EXAMPLE.read_text(encoding="utf-8")),
        cluster=cluster,
    )
    assert services.table_for(movement, YEAR, cluster) == own
    other = Cluster.objects.create(name="Cụm thi đua số 2", year=YEAR, organiser_unit=org.root)
    fallback = services.table_for(movement, YEAR, other)
    assert fallback is not None and fallback.cluster is None


def test_the_command_loads_the_example_and_has_a_dry_run(movement):
    out = StringIO()
    call_command("import_scoring_table", movement.pk, YEAR, str(EXAMPLE), "--dry-run", stdout=out)
    assert "chạy thử" in out.getvalue() and not ScoringTable.objects.exists()
    call_command("import_scoring_table", movement.pk, YEAR, str(EXAMPLE), stdout=out)
    assert "25 tiêu chí" in out.getvalue() and ScoringTable.objects.count() == 1
    with pytest.raises(CommandError, match="Không thấy tệp"):
        call_command("import_scoring_table", movement.pk, YEAR, "/khong/co.yaml")
