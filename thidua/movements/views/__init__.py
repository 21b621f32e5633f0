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
    movement_feed_check,
    movement_list,
    participants_add,
)
from thidua.movements.views.papers import movement_plan, registration_summary
from thidua.movements.views.past_rankings import past_ranking_record, past_rankings
from thidua.movements.views.rankings import (
    cluster_rankings,
    leaderboard,
    ranking_compute,
    ranking_detail,
    ranking_publish,
)
from thidua.movements.views.registrations import (
    movement_achievements,
    registration_action,
    registration_edit,
    registration_list,
    unit_achievements,
)
from thidua.movements.views.results import (
    result_action,
    result_correct,
    result_detail,
    result_edit,
    result_import,
    result_list,
    result_template,
)
from thidua.movements.views.tables import (
    table_copy,
    table_detail,
    table_edit,
    table_export,
    table_upload,
)

__all__ = [
    "cluster_rankings",
    "document_add",
    "document_file",
    "evidence_file",
    "leaderboard",
    "leads_record",
    "milestone_add",
    "movement_achievements",
    "movement_action",
    "movement_create",
    "movement_detail",
    "movement_edit",
    "movement_feed_check",
    "movement_list",
    "movement_plan",
    "participants_add",
    "past_ranking_record",
    "past_rankings",
    "ranking_compute",
    "ranking_detail",
    "ranking_publish",
    "registration_action",
    "registration_edit",
    "registration_list",
    "registration_summary",
    "result_action",
    "result_correct",
    "result_detail",
    "result_edit",
    "result_import",
    "result_list",
    "result_template",
    "table_copy",
    "table_detail",
    "table_edit",
    "table_export",
    "table_upload",
    "unit_achievements",
]
