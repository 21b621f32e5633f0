"""GIVEN the state-changing services (issue 9: typed actors, authorisation in the services) WHEN a
user without the right role calls one THEN it is refused (PermissionDenied, a Vietnamese message)
and nothing is written, not even an audit entry; WHEN a user with the right role calls it THEN its
audit entry names that user. `actor` None is the system (commands, the demo) and is not refused.

Fixtures: the shared `org` and `personas` (officer of province A, officer of province B as the
outsider, a superuser admin) and `root_officer` (officer of BHXH Việt Nam, the root)."""

from __future__ import annotations

import ast
import io
import pathlib
from collections.abc import Callable
from datetime import date, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from conftest import _user
from thidua.audit.models import AuditEntry
from thidua.movements.tests.fixtures import cluster, movement, running  # noqa: F401 (fixtures)
from thidua.movements.tests.samples import GOOD, TABLE, YEAR

pytestmark = pytest.mark.django_db


@pytest.fixture
def root_officer(org: SimpleNamespace) -> Any:
    from thidua.org.models import Role

    return _user("canbo.vn", unit=org.root, role=Role.OFFICER)


def refused_then_logged(
    call: Callable[[Any], Any], *, outsider: Any, insider: Any, state: Callable[[], Any], action: str
) -> Any:
    """`call(outsider)` is refused and changes neither `state()` nor the audit log; `call(insider)`
    works and its `action` entry names the insider."""
    before, entries = state(), AuditEntry.objects.count()
    with pytest.raises(PermissionDenied) as refused:
        call(outsider)
    assert "quyền" in str(refused.value) or "Chỉ" in str(refused.value), refused.value
    assert state() == before and AuditEntry.objects.count() == entries
    result = call(insider)
    entry = AuditEntry.objects.filter(action=action).latest("pk")
    assert entry.actor == insider and entry.actor_name == insider.get_username()
    return result


# -- the contract, read from the code ------------------------------------------------------------
SERVICE_MODULES = (
    "thidua/awards/services",
    "thidua/movements/services",
    "thidua/org/services",
    "thidua/documents/services.py",
    "thidua/eligibility/services.py",
    "thidua/history/services.py",
    "thidua/history/years.py",
    "thidua/portal/services.py",
    "thidua/reports/services.py",
    "thidua/setup/services.py",
    "thidua/accounts/services.py",
)


def _calls_log(node: ast.FunctionDef) -> bool:
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call):
            func = sub.func
            if (isinstance(func, ast.Name) and func.id == "log") or (
                isinstance(func, ast.Attribute) and func.attr == "log"
            ):
                return True
    return False


def test_every_audited_service_takes_a_typed_keyword_actor() -> None:
    root = pathlib.Path(__file__).resolve().parents[2]
    files: list[pathlib.Path] = []
    for name in SERVICE_MODULES:
        path = root / name
        files += sorted(path.glob("*.py")) if path.is_dir() else [path]
    untyped = []
    for path in files:
        for node in ast.parse(path.read_text()).body:
            if not isinstance(node, ast.FunctionDef) or node.name.startswith("_") or not _calls_log(node):
                continue
            actor = next((a for a in node.args.kwonlyargs if a.arg == "actor"), None)
            if node.name in ("record_login_failure",):  # a failed sign-in has no user yet
                continue
            if actor is None or actor.annotation is None or ast.unparse(actor.annotation) != "User | None":
                untyped.append(f"{path.relative_to(root)}:{node.lineno} {node.name}")
    assert not untyped, untyped


# -- year-end (awards) ---------------------------------------------------------------------------
def _candidate(org: SimpleNamespace, **fields: Any) -> Any:
    from thidua.awards.models import Candidate

    values: dict[str, Any] = {
        "unit": org.a,
        "year": 2025,
        "award_id": "lao_dong_tien_tien",
        "kind": "title",
        "person": org.an,
        "status": Candidate.Status.PROPOSED,
        "verdict": "eligible",
        "engine_result": {},
        "ruleset_id": "tdkt-2024",
    }
    return Candidate.objects.create(**(values | fields))


def _status(model: Any, pk: int) -> Any:
    return model.objects.filter(pk=pk).values_list("status", flat=True).first()


def test_confirm_candidate(org: SimpleNamespace, personas: SimpleNamespace) -> None:
    from thidua.awards import services
    from thidua.awards.models import Candidate

    candidate = _candidate(org)
    refused_then_logged(
        lambda actor: services.confirm_candidate(actor=actor, candidate=candidate),
        outsider=personas.outsider_officer,
        insider=personas.officer,
        state=lambda: _status(Candidate, candidate.pk),
        action="candidate.confirmed",
    )


def test_remove_candidate(org: SimpleNamespace, personas: SimpleNamespace) -> None:
    from thidua.awards import services
    from thidua.awards.models import Candidate

    candidate = _candidate(org)
    refused_then_logged(
        lambda actor: services.remove_candidate(actor=actor, candidate=candidate, reason="Chưa đủ thời gian"),
        outsider=personas.outsider_officer,
        insider=personas.officer,
        state=lambda: _status(Candidate, candidate.pk),
        action="candidate.removed",
    )


def test_add_candidate(org: SimpleNamespace, personas: SimpleNamespace) -> None:
    from thidua.awards import services
    from thidua.awards.models import Candidate

    refused_then_logged(
        lambda actor: services.add_candidate(
            actor=actor,
            unit=org.a,
            year=2025,
            award_id="lao_dong_tien_tien",
            justification="Thành tích đột xuất được Giám đốc đề nghị",
            person=org.an,
        ),
        outsider=personas.outsider_officer,
        insider=personas.officer,
        state=lambda: Candidate.objects.count(),
        action="candidate.added",
    )


def test_create_and_submit_dossier(org: SimpleNamespace, personas: SimpleNamespace) -> None:
    from thidua.awards import services
    from thidua.awards.models import Candidate, Dossier

    _candidate(org, award_id="giay_khen", status=Candidate.Status.CONFIRMED)
    dossier = refused_then_logged(
        lambda actor: services.create_dossier(actor=actor, unit=org.a, year=2025, award_id="giay_khen"),
        outsider=personas.outsider_officer,
        insider=personas.officer,
        state=lambda: Dossier.objects.count(),
        action="dossier.created",
    )
    refused_then_logged(
        lambda actor: services.submit_dossier(actor=actor, dossier=dossier, version=dossier.version),
        outsider=personas.outsider_officer,
        insider=personas.officer,
        state=lambda: _status(Dossier, dossier.pk),
        action="dossier.submitted",
    )


def test_update_award_settings(org: SimpleNamespace, personas: SimpleNamespace, root_officer: Any) -> None:
    from thidua.awards import services
    from thidua.awards.models import AwardSettings

    refused_then_logged(
        lambda actor: services.update_award_settings(actor=actor, root=org.root, htxs_cap_enabled=False),
        outsider=personas.officer,  # an officer of a province, not of the organisation
        insider=root_officer,
        state=lambda: list(AwardSettings.objects.values_list("htxs_cap_enabled", flat=True)),
        action="settings.updated",
    )


def test_save_ratings(org: SimpleNamespace, personas: SimpleNamespace) -> None:
    from thidua.awards import services
    from thidua.history.models import Rating

    refused_then_logged(
        lambda actor: services.save_ratings(
            actor=actor, unit=org.a_dept, year=2025, values={org.an.pk: "hoan_thanh_tot"}
        ),
        outsider=personas.outsider_officer,
        insider=personas.officer,
        state=lambda: Rating.objects.count(),
        action="rating.saved",
    )


def test_import_ratings(org: SimpleNamespace, personas: SimpleNamespace) -> None:
    from thidua.awards import services
    from thidua.history.models import Rating

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Số CCCD", "Họ và tên", "Mức xếp loại"])
    sheet.append([org.an.citizen_id, org.an.full_name, "HTT"])
    buffer = io.BytesIO()
    book.save(buffer)
    refused_then_logged(
        lambda actor: services.import_ratings(
            actor=actor, unit=org.a_dept, year=2025, source=buffer.getvalue()
        ),
        outsider=personas.outsider_officer,
        insider=personas.officer,
        state=lambda: Rating.objects.count(),
        action="rating.imported",
    )


def test_send_reminders_reaches_every_organisation_so_only_a_system_administrator(
    org: SimpleNamespace, personas: SimpleNamespace
) -> None:
    from thidua.awards import services
    from thidua.awards.models import Reminder

    refused_then_logged(
        lambda actor: services.send_reminders(actor=actor, today=date(2025, 12, 20)),
        outsider=personas.officer,
        insider=personas.admin,
        state=lambda: Reminder.objects.count(),
        action="reminders.sent",
    )
    services.send_reminders(actor=None, today=date(2025, 12, 21))  # the command


# -- documents -----------------------------------------------------------------------------------
def test_document_templates(org: SimpleNamespace, personas: SimpleNamespace, media: Any) -> None:
    from thidua.documents.models import DocumentKind, DocumentTemplate
    from thidua.documents.services import delete_document_template, save_document_template
    from thidua.documents.templates_docx import build_shipped

    content = build_shipped(DocumentKind.DECISION)
    template = refused_then_logged(
        lambda actor: save_document_template(
            actor=actor, unit=org.a, kind=DocumentKind.DECISION, content=content, filename="qd.docx"
        ),
        outsider=personas.outsider_officer,
        insider=personas.officer,
        state=lambda: DocumentTemplate.objects.count(),
        action="document.template_saved",
    )
    refused_then_logged(
        lambda actor: delete_document_template(actor=actor, template=template),
        outsider=personas.outsider_officer,
        insider=personas.officer,
        state=lambda: DocumentTemplate.objects.count(),
        action="document.template_deleted",
    )


def test_save_certificate_layout(org: SimpleNamespace, personas: SimpleNamespace) -> None:
    from thidua.documents.models import CertificateKind, CertificateLayoutConfig
    from thidua.documents.services import DEFAULT_LAYOUTS, save_certificate_layout

    refused_then_logged(
        lambda actor: save_certificate_layout(
            actor=actor,
            unit=org.a,
            kind=CertificateKind.GIAY_KHEN,
            layout=DEFAULT_LAYOUTS[CertificateKind.GIAY_KHEN],
        ),
        outsider=personas.outsider_officer,
        insider=personas.officer,
        state=lambda: CertificateLayoutConfig.objects.count(),
        action="document.layout_saved",
    )


# -- eligibility ---------------------------------------------------------------------------------
def test_set_rule_options(org: SimpleNamespace, personas: SimpleNamespace, root_officer: Any) -> None:
    from thidua.eligibility.models import RuleOptions
    from thidua.eligibility.services import set_rule_options

    refused_then_logged(
        lambda actor: set_rule_options(actor=actor, unit=org.a, options={"ttldtt_min_ldtt_pct": 60}),
        outsider=personas.officer,  # the options are the organisation's: its root's officers
        insider=root_officer,
        state=lambda: list(RuleOptions.objects.values_list("options", flat=True)),
        action="rules.options_changed",
    )


def test_evaluate_person_and_unit(org: SimpleNamespace, personas: SimpleNamespace) -> None:
    from thidua.eligibility.models import Evaluation
    from thidua.eligibility.services import evaluate_person, evaluate_unit

    refused_then_logged(
        lambda actor: evaluate_person(actor=actor, person=org.an, year=2025),
        outsider=personas.outsider_officer,
        insider=personas.officer,
        state=lambda: Evaluation.objects.count(),
        action="eligibility.evaluated",
    )
    refused_then_logged(
        lambda actor: evaluate_unit(actor=actor, unit=org.a, year=2025),
        outsider=personas.outsider_officer,
        insider=personas.officer,
        state=lambda: Evaluation.objects.count(),
        action="eligibility.evaluated",
    )


# -- movements -----------------------------------------------------------------------------------
def test_create_movement(org: SimpleNamespace, personas: SimpleNamespace, root_officer: Any) -> None:
    from thidua.movements import services
    from thidua.movements.models import Movement

    refused_then_logged(
        lambda actor: services.create_movement(
            actor=actor,
            title="Thi đua chuyển đổi số",
            kind=Movement.Kind.REGULAR,
            authority=Movement.Authority.BO_NGANH_TINH,
            launching_unit=org.root,
            start_year=YEAR,
        ),
        outsider=personas.officer,
        insider=root_officer,
        state=lambda: Movement.objects.count(),
        action="movement.created",
    )
    with pytest.raises(PermissionDenied):  # outside the tree: system administrators only
        services.create_movement(
            actor=root_officer,
            title="Phong trào của Thủ tướng",
            kind=Movement.Kind.REGULAR,
            authority=Movement.Authority.THU_TUONG,
            start_year=YEAR,
        )


def test_edit_a_movement(
    org: SimpleNamespace,
    personas: SimpleNamespace,
    root_officer: Any,
    movement: Any,  # noqa: F811
) -> None:
    from thidua.movements import services
    from thidua.movements.models import Milestone, Participation

    refused_then_logged(
        lambda actor: services.update_movement(
            actor=actor, movement=movement, political_tasks="Thu đúng, đủ"
        ),
        outsider=personas.officer,
        insider=root_officer,
        state=lambda: type(movement).objects.get(pk=movement.pk).political_tasks,
        action="movement.updated",
    )
    refused_then_logged(
        lambda actor: services.add_movement_document(
            actor=actor,
            movement=movement,
            kind="huong_dan",
            number_symbol="123/BHXH-VP",
            issued_on=date(YEAR, 2, 1),
            summary="Hướng dẫn chấm điểm",
        ),
        outsider=personas.officer,
        insider=root_officer,
        state=lambda: movement.documents.count(),
        action="movement.document_added",
    )
    refused_then_logged(
        lambda actor: services.add_milestone(
            actor=actor, movement=movement, kind=Milestone.Kind.FINAL_REVIEW, due_on=date(YEAR, 12, 15)
        ),
        outsider=personas.officer,
        insider=root_officer,
        state=lambda: Milestone.objects.count(),
        action="movement.milestone_added",
    )
    refused_then_logged(
        lambda actor: services.add_participants(actor=actor, movement=movement, units=[org.a_dept]),
        outsider=personas.officer,
        insider=root_officer,
        state=lambda: Participation.objects.count(),
        action="movement.participants_added",
    )


def test_a_movement_s_lifecycle(
    org: SimpleNamespace,
    personas: SimpleNamespace,
    root_officer: Any,
    movement: Any,  # noqa: F811
) -> None:
    from thidua.movements import services
    from thidua.movements.models import Movement

    steps: list[tuple[Callable[[Any], Any], str]] = [
        (lambda actor: services.launch_movement(actor=actor, movement=movement), "movement.launched"),
        (lambda actor: services.start_movement(actor=actor, movement=movement), "movement.started"),
        (
            lambda actor: services.open_movement_review(actor=actor, movement=movement),
            "movement.review_opened",
        ),
        (
            lambda actor: services.reopen_movement(actor=actor, movement=movement, reason="Bổ sung số liệu"),
            "movement.reopened",
        ),
        (
            lambda actor: services.run_action(actor=actor, movement=movement, action="review"),
            "movement.review_opened",
        ),
        (lambda actor: services.close_movement(actor=actor, movement=movement), "movement.closed"),
    ]
    for step, action in steps:
        refused_then_logged(
            step,
            outsider=personas.officer,
            insider=root_officer,
            state=lambda: _status(Movement, movement.pk),
            action=action,
        )


def test_record_movement_leads(org: SimpleNamespace, personas: SimpleNamespace, root_officer: Any) -> None:
    from thidua.movements import services
    from thidua.movements.models import Movement, MovementLead

    thematic = services.create_movement(
        actor=None,
        title="Thi đua cải cách hành chính",
        kind=Movement.Kind.THEMATIC,
        theme="Giảm thời gian giải quyết hồ sơ",
        authority=Movement.Authority.BO_NGANH_TINH,
        launching_unit=org.root,
        start_year=YEAR,
        end_year=YEAR,
    )
    services.add_movement_document(
        actor=None,
        movement=thematic,
        kind="ke_hoach",
        number_symbol="13/KH-BHXH",
        issued_on=date(YEAR, 1, 10),
        summary="Kế hoạch",
    )
    services.add_participants(actor=None, movement=thematic, units=[org.a, org.b])
    for action in ("launch", "start", "review"):
        services.run_action(actor=None, movement=thematic, action=action)
    refused_then_logged(
        lambda actor: services.record_movement_leads(
            actor=actor, movement=thematic, year=YEAR, leaders=[(org.a, 1), (org.b, 2)]
        ),
        outsider=personas.officer,
        insider=root_officer,
        state=lambda: MovementLead.objects.count(),
        action="movement.leads_recorded",
    )


def test_registrations(org: SimpleNamespace, personas: SimpleNamespace, running: Any) -> None:  # noqa: F811
    from thidua.movements import services
    from thidua.movements.models import Registration

    registration = refused_then_logged(
        lambda actor: services.save_registration(
            actor=actor, movement=running, unit=org.a, year=YEAR, targets={"I.1": 100}, titles=[]
        ),
        outsider=personas.outsider_officer,
        insider=personas.officer,
        state=lambda: Registration.objects.count(),
        action="registration.saved",
    )
    refused_then_logged(
        lambda actor: services.submit_registration(actor=actor, registration=registration),
        outsider=personas.outsider_officer,
        insider=personas.officer,
        state=lambda: _status(Registration, registration.pk),
        action="registration.submitted",
    )


def test_results(
    org: SimpleNamespace,
    personas: SimpleNamespace,
    running: Any,  # noqa: F811
    root_officer: Any,
    media: Any,
) -> None:
    from thidua.movements import services
    from thidua.movements.models import Evidence, Result

    result = refused_then_logged(
        lambda actor: services.save_result(
            actor=actor, movement=running, unit=org.a, year=YEAR, period="nam", figures=GOOD
        ),
        outsider=personas.outsider_officer,
        insider=personas.officer,
        state=lambda: Result.objects.count(),
        action="result.saved",
    )
    refused_then_logged(
        lambda actor: services.add_evidence(
            actor=actor,
            result=result,
            file=SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"),
            description="Biên bản kiểm tra",
        ),
        outsider=personas.outsider_officer,
        insider=personas.officer,
        state=lambda: Evidence.objects.count(),
        action="result.evidence_added",
    )
    refused_then_logged(
        lambda actor: services.submit_result(actor=actor, result=result),
        outsider=personas.outsider_officer,
        insider=personas.officer,
        state=lambda: _status(Result, result.pk),
        action="result.self_scored",
    )
    services.review_result(actor=root_officer, result=result, note="I.1: cần giải trình")
    result.refresh_from_db()
    refused_then_logged(
        lambda actor: services.explain_result(actor=actor, result=result, explanation="Số liệu đã đối chiếu"),
        outsider=personas.outsider_officer,
        insider=personas.officer,
        state=lambda: _status(Result, result.pk),
        action="result.explained",
    )


def test_deadline_notices_reach_every_movement_so_only_a_system_administrator(
    org: SimpleNamespace,
    personas: SimpleNamespace,
    running: Any,  # noqa: F811
) -> None:
    from thidua.movements import services
    from thidua.movements.models import Milestone
    from thidua.notices.models import Notice

    today = date(YEAR, 6, 1)
    Milestone.objects.create(
        movement=running, kind=Milestone.Kind.REGISTRATION, due_on=today + timedelta(days=1)
    )
    refused_then_logged(
        lambda actor: services.notify_registration_deadlines(actor=actor, today=today),
        outsider=personas.officer,
        insider=personas.admin,
        state=lambda: Notice.objects.count(),
        action="notices.deadlines",
    )
    Milestone.objects.create(movement=running, kind=Milestone.Kind.SELF_ASSESSMENT, due_on=date(YEAR, 12, 20))
    refused_then_logged(
        lambda actor: services.notify_result_deadlines(actor=actor, today=date(YEAR, 12, 18)),
        outsider=personas.officer,
        insider=personas.admin,
        state=lambda: Notice.objects.count(),
        action="notices.deadlines",
    )


def test_scoring_tables(org: SimpleNamespace, personas: SimpleNamespace, root_officer: Any) -> None:
    from thidua.movements import services
    from thidua.movements.models import Movement, ScoringTable

    two_years = services.create_movement(
        actor=None,
        title="Thi đua giai đoạn 2026-2027",
        kind=Movement.Kind.THEMATIC,
        theme="Phát triển đối tượng tham gia",
        authority=Movement.Authority.BO_NGANH_TINH,
        launching_unit=org.root,
        start_year=YEAR,
        end_year=YEAR + 1,
    )
    record = refused_then_logged(
        lambda actor: services.save_scoring_table(actor=actor, movement=two_years, year=YEAR, data=TABLE),
        outsider=personas.officer,
        insider=root_officer,
        state=lambda: ScoringTable.objects.count(),
        action="scoring_table.saved",
    )
    refused_then_logged(
        lambda actor: services.copy_scoring_table(actor=actor, source=record, year=YEAR + 1),
        outsider=personas.officer,
        insider=root_officer,
        state=lambda: ScoringTable.objects.count(),
        action="scoring_table.copied",
    )


# -- accounts and organisation imports -----------------------------------------------------------
def test_regenerate_api_token(personas: SimpleNamespace) -> None:
    from rest_framework.authtoken.models import Token

    from thidua.accounts.services import regenerate_api_token

    refused_then_logged(
        lambda actor: regenerate_api_token(actor=actor, user=personas.staff),
        outsider=personas.officer,  # another user's key: its owner or a system administrator
        insider=personas.staff,
        state=lambda: list(Token.objects.values_list("key", flat=True)),
        action="account.token_created",
    )
    regenerate_api_token(actor=personas.admin, user=personas.staff)
    regenerate_api_token(actor=None, user=personas.staff)  # the `token` command


def test_import_units_and_people(org: SimpleNamespace, personas: SimpleNamespace) -> None:
    from thidua.org.models import Person, Unit
    from thidua.org.services import PersonImport, UnitImport, import_people, import_units

    refused_then_logged(
        lambda actor: import_units(
            [
                UnitImport(
                    code="BHXH-01-CNTT", fields={"name": "Phòng Công nghệ thông tin"}, parent_code="BHXH-01"
                )
            ],
            actor=actor,
        ),
        outsider=personas.outsider_officer,
        insider=personas.officer,
        state=lambda: Unit.objects.count(),
        action="import.committed",
    )
    row = PersonImport(
        citizen_id="001195000123",
        fields={"full_name": "Phạm Thị Dung", "gender": "nu"},
        unit_code="BHXH-01-THU",
        title="Chuyên viên",
    )
    refused_then_logged(
        lambda actor: import_people([row], actor=actor),
        outsider=personas.outsider_officer,
        insider=personas.officer,
        state=lambda: Person.objects.count(),
        action="import.committed",
    )
    with pytest.raises(PermissionDenied):  # an existing person of province A, moved by B's officer
        import_people(
            [PersonImport(citizen_id=org.an.citizen_id, fields={}, unit_code="BHXH-79", title="Chuyên viên")],
            actor=personas.outsider_officer,
        )


def test_a_rule_options_change_reads_in_words_in_the_audit_log(
    org: SimpleNamespace, root_officer: Any, client_for: Any
) -> None:
    from thidua.eligibility.services import set_rule_options

    set_rule_options(actor=root_officer, unit=org.root, options={"chain_gap_policy": "skip_unrated"})
    entry = AuditEntry.objects.get(action="rules.options_changed")
    assert entry.detail == {
        "changes": {
            "Năm gián đoạn trong chuỗi liên tục": [
                "Năm không có danh hiệu làm đứt chuỗi",
                "Bỏ qua năm không có kết quả xếp loại",
            ]
        }
    }
    html = client_for(root_officer).get("/nhat-ky/").content.decode()
    assert "Bỏ qua năm không có kết quả xếp loại" in html
    assert "skip_unrated" not in html and "chain_gap_policy" not in html
