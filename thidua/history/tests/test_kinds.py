"""The one table of a person's record kinds: the pages, the audit log and the law they cite read it."""

from __future__ import annotations

import html
from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest

from thidua.audit.filters import AuditEntryFilter
from thidua.audit.services import ACTION_LABELS, action_label
from thidua.history.kinds import LEAVE, RECORD_KINDS, Law, kind_of
from thidua.history.models import Discipline, Initiative, Leave, PendingProceeding
from thidua.rules import list_rulesets, load_ruleset

ADD = "/lich-su/nhan-su/{pk}/{kind}/them/"


def test_every_action_on_every_kind_has_its_label_in_the_audit_log() -> None:
    offered = dict(AuditEntryFilter().form.fields["action"].choices)
    for kind in RECORD_KINDS.values():
        for verb, code in (("Thêm", "recorded"), ("Sửa", "changed"), ("Xoá", "deleted")):
            action = f"history.{kind.action}_{code}"
            assert action_label(action) == f"{verb} {kind.audit_name}" == offered[action]
    assert (
        ACTION_LABELS["history.proceeding_deleted"] == "Xoá việc đang xem xét kỷ luật, điều tra của nhân sự"
    )


def test_each_record_has_one_kind_by_its_model() -> None:
    records = (Initiative(), Discipline(), Leave(), PendingProceeding())
    assert [kind_of(r).slug for r in records] == ["sang-kien", "ky-luat", "nghi", "xem-xet"]
    assert [kind.title for kind in RECORD_KINDS.values()] == [
        "Sáng kiến",
        "Kỷ luật",
        "Thời gian nghỉ",
        "Việc đang xem xét",
    ]


@pytest.mark.parametrize("ruleset_id", [info.id for info in list_rulesets()])
def test_every_rule_a_page_cites_is_in_every_ruleset_with_its_text_and_citation(ruleset_id: str) -> None:
    """The pages cite rules without the organisation's options: none of them may hang on a setting."""
    ruleset = load_ruleset(ruleset_id)
    for kind in RECORD_KINDS.values():
        assert kind.rules
        for rule_id in kind.rules:
            rule = ruleset.global_rules[rule_id]
            assert rule.text_vi and rule.citation and rule.setting is None


def test_the_law_is_the_ruleset_in_force_on_the_day() -> None:
    maternity = "Thời gian nghỉ thai sản được tính là thời gian công tác"
    [before] = LEAVE.law(date(2024, 6, 1))  # tdkt-2024: NĐ 98/2023, the same principle
    [after] = LEAVE.law(date(2025, 9, 1))
    assert before.text.startswith(maternity) and after.text.startswith(maternity)
    assert before.citation == "NĐ 98/2023 (nay là NĐ 152/2025 Đ4 k5)"
    assert after.citation == "NĐ 152/2025 Đ4 k5"


@pytest.mark.django_db
@pytest.mark.parametrize("slug", list(RECORD_KINDS))
def test_the_form_page_shows_its_rules_with_their_citations_from_the_ruleset(
    org: SimpleNamespace, personas: SimpleNamespace, client_for: Any, slug: str
) -> None:
    kind = RECORD_KINDS[slug]
    response = client_for(personas.officer).get(ADD.format(pk=org.an.pk, kind=slug))
    page = html.unescape(response.content.decode())
    assert response.status_code == 200 and f"{kind.add} — Nguyễn Văn An" in page
    ruleset = load_ruleset(on=date.today())
    for rule_id in kind.rules:
        rule = ruleset.global_rules[rule_id]
        assert f"{rule.text_vi} ({rule.citation})." in page
    assert kind.law(date.today()) == [
        Law(ruleset.global_rules[r].text_vi, ruleset.global_rules[r].citation) for r in kind.rules
    ]
