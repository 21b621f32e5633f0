"""State changes of movements. Each function: one transaction, an audit entry, DomainError if refused.

Scores and rankings are computed by the pure module `thidua.movements.scoring`; these modules only
feed it stored figures and tables and store what it returns. Split by subject; import from here.
"""

from thidua.movements.services.common import (
    COLLECTIVE_TITLES,
    INDIVIDUAL_TITLES,
    check_open,
    check_participates,
    check_reviewer,
    json_safe,
    refuse_transition,
    scoring_domain_error,
)
from thidua.movements.services.movements import (
    ACTIONS,
    add_milestone,
    add_movement_document,
    add_participants,
    available_actions,
    close_movement,
    create_movement,
    launch_movement,
    open_movement_review,
    record_movement_leads,
    reopen_movement,
    run_action,
    start_movement,
    update_movement,
)
from thidua.movements.services.rankings import (
    RankingInput,
    compute_ranking,
    publish_ranking,
)
from thidua.movements.services.registrations import (
    approve_registration,
    registration_deadline,
    return_registration,
    save_registration,
    submit_registration,
    unregistered_units,
)
from thidua.movements.services.results import (
    add_evidence,
    explain_result,
    finalise_result,
    review_result,
    save_result,
    submit_result,
)
from thidua.movements.services.tables import (
    cluster_of,
    copy_scoring_table,
    load_table_record,
    parse_table_file,
    require_table,
    save_scoring_table,
    table_for,
)

__all__ = [
    "ACTIONS",
    "COLLECTIVE_TITLES",
    "INDIVIDUAL_TITLES",
    "RankingInput",
    "add_evidence",
    "add_milestone",
    "add_movement_document",
    "add_participants",
    "approve_registration",
    "available_actions",
    "check_open",
    "check_participates",
    "check_reviewer",
    "close_movement",
    "cluster_of",
    "compute_ranking",
    "copy_scoring_table",
    "create_movement",
    "explain_result",
    "finalise_result",
    "json_safe",
    "launch_movement",
    "load_table_record",
    "open_movement_review",
    "parse_table_file",
    "publish_ranking",
    "record_movement_leads",
    "refuse_transition",
    "registration_deadline",
    "reopen_movement",
    "require_table",
    "return_registration",
    "review_result",
    "run_action",
    "save_registration",
    "save_result",
    "save_scoring_table",
    "scoring_domain_error",
    "start_movement",
    "submit_registration",
    "submit_result",
    "table_for",
    "unregistered_units",
    "update_movement",
]
