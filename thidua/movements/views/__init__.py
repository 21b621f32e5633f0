"""Pages of movements. Thin: an access helper, a form, a service, then redirect or render."""

from thidua.movements.views.movements import (
    document_add,
    document_file,
    evidence_file,
    leads_record,
    milestone_add,
    movement_action,
    movement_create,
    movement_detail,
    movement_edit,
    movement_list,
    movement_publicity,
    participants_add,
)
from thidua.movements.views.papers import movement_plan, registration_summary
from thidua.movements.views.rankings import (
    leaderboard,
    ranking_compute,
    ranking_detail,
    ranking_publish,
)
from thidua.movements.views.registrations import (
    registration_action,
    registration_edit,
    registration_list,
)
from thidua.movements.views.results import (
    result_action,
    result_detail,
    result_edit,
    result_import,
    result_list,
    result_template,
)
from thidua.movements.views.tables import (
    table_copy,
    table_detail,
    table_export,
    table_upload,
)

__all__ = [
    "document_add",
    "document_file",
    "evidence_file",
    "leaderboard",
    "leads_record",
    "milestone_add",
    "movement_action",
    "movement_create",
    "movement_detail",
    "movement_edit",
    "movement_list",
    "movement_plan",
    "movement_publicity",
    "participants_add",
    "ranking_compute",
    "ranking_detail",
    "ranking_publish",
    "registration_action",
    "registration_edit",
    "registration_list",
    "registration_summary",
    "result_action",
    "result_detail",
    "result_edit",
    "result_import",
    "result_list",
    "result_template",
    "table_copy",
    "table_detail",
    "table_export",
    "table_upload",
]
