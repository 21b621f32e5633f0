"""The kinds of a person's record entered one by one on their page: initiative, discipline, leave and
pending proceeding. One table (`RECORD_KINDS`) says for each its model, form, address, Vietnamese name,
audit action and the rules of the law the page cites; the services, the pages and the audit labels
read it from here.

Below the services and above the models and forms: it imports neither services nor views."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, NamedTuple, TypeVar

from django.utils.text import capfirst

from thidua.core.versioning import VersionFormMixin
from thidua.history.forms import DisciplineForm, InitiativeForm, LeaveForm, ProceedingForm
from thidua.history.models import Discipline, Initiative, Leave, PendingProceeding
from thidua.rules import load_ruleset

PersonRecord = Initiative | Discipline | Leave | PendingProceeding
R = TypeVar("R", Initiative, Discipline, Leave, PendingProceeding)  # one kind's model


class Law(NamedTuple):
    """A rule of the ruleset in force, as the page cites it."""

    text: str
    citation: str


@dataclass(frozen=True)
class RecordKind(Generic[R]):
    """One kind of a person's record."""

    slug: str  # in the pages' addresses: /lich-su/nhan-su/<id>/<slug>/them/
    model: type[R]
    form: type[VersionFormMixin]
    name: str  # "sáng kiến": in titles, messages and refusals
    action: str  # audit codes history.<action>_recorded, _changed, _deleted
    audit_name: str  # what the audit log's labels call it: "sáng kiến của nhân sự"
    intro: str  # what the record is, above its form (the law it bears on comes from `rules`)
    rules: tuple[str, ...] = ()  # ids of the rulesets' global rules the form's page cites

    @property
    def title(self) -> str:
        """The name at the start of a sentence: "Sáng kiến"."""
        return capfirst(self.name)

    @property
    def add(self) -> str:
        return f"Thêm {self.name}"

    def audit_labels(self) -> dict[str, str]:
        return {
            f"history.{self.action}_recorded": f"Thêm {self.audit_name}",
            f"history.{self.action}_changed": f"Sửa {self.audit_name}",
            f"history.{self.action}_deleted": f"Xoá {self.audit_name}",
        }

    def law(self, on: date) -> list[Law]:
        """The text and citation of each of `rules` in the ruleset in force on `on` (a rule that
        ruleset lacks or that is not in force that day is left out)."""
        ruleset = load_ruleset(on=on)
        found = (ruleset.rule_on(rule_id, on) for rule_id in self.rules)
        return [Law(rule.text_vi, rule.citation) for rule in found if rule is not None]


INITIATIVE = RecordKind(
    slug="sang-kien",
    model=Initiative,
    form=InitiativeForm,
    name="sáng kiến",
    action="initiative",
    audit_name="sáng kiến của nhân sự",
    intro=(
        "Sáng kiến hoặc đề tài, đề án khoa học đã được công nhận. Quy tắc xét đọc ngay: danh hiệu Chiến sĩ "
        "thi đua cần sáng kiến ở phạm vi tương ứng."
    ),
    rules=("initiative_single_use",),
)
DISCIPLINE = RecordKind(
    slug="ky-luat",
    model=Discipline,
    form=DisciplineForm,
    name="kỷ luật",
    action="discipline",
    audit_name="kỷ luật của nhân sự",
    intro="Một hình thức kỷ luật và ngày hết hiệu lực.",
    rules=("discipline_resets_achievements",),
)
LEAVE = RecordKind(
    slug="nghi",
    model=Leave,
    form=LeaveForm,
    name="thời gian nghỉ",
    action="leave",
    audit_name="thời gian nghỉ của nhân sự",
    intro=(
        "Một thời gian nghỉ. Nghỉ vì lý do khác (không phải thai sản) có thể làm thiếu thời gian công tác "
        "trong năm xét."
    ),
    rules=("maternity_counts_as_work",),
)
PROCEEDING = RecordKind(
    slug="xem-xet",
    model=PendingProceeding,
    form=ProceedingForm,
    name="việc đang xem xét",
    action="proceeding",
    audit_name="việc đang xem xét kỷ luật, điều tra của nhân sự",
    intro=(
        "Việc đang xem xét kỷ luật, đang điều tra, thanh tra, kiểm tra hoặc xác minh khiếu nại, tố cáo "
        "(ghi ngày kết thúc khi có kết luận)."
    ),
    rules=("defer_while_pending",),
)

RECORD_KINDS: dict[str, RecordKind[Any]] = {
    kind.slug: kind for kind in (INITIATIVE, DISCIPLINE, LEAVE, PROCEEDING)
}


def kind_of(record: PersonRecord) -> RecordKind[Any]:
    """The kind of a record, by its model."""
    for kind in RECORD_KINDS.values():
        if isinstance(record, kind.model):
            return kind
    raise LookupError(f"không phải bản ghi của nhân sự: {type(record).__name__}")


def audit_labels() -> dict[str, str]:
    """The audit log's labels of every kind's actions (registered by `HistoryConfig.ready`)."""
    return {code: label for kind in RECORD_KINDS.values() for code, label in kind.audit_labels().items()}
