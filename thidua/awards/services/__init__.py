"""Year-end services (state changes of the awards app). Each: keyword-only `actor`, one transaction,
an audit entry inside it, DomainError with a Vietnamese message when refused."""

from thidua.awards.services.candidates import (
    add_candidate,
    confirm_candidate,
    propose_candidates,
    quota_for,
    quotas,
    remove_candidate,
)
from thidua.awards.services.council import (
    cast_votes,
    close_ballot,
    correct_attendance,
    create_council,
    hold_meeting,
    open_ballot,
    passes,
    quorum,
)
from thidua.awards.services.decisions import (
    allocate_number,
    issue_decision,
    prize_totals,
    recovery_for,
    revoke_award,
    start_decision_job,
)
from thidua.awards.services.dossiers import (
    appraise_dossier,
    can_appraise,
    can_decide,
    create_dossier,
    dossier_route,
    return_dossier,
    submit_dossier,
)
from thidua.awards.services.org_settings import update_award_settings
from thidua.awards.services.ratings import grid_version, htxs_cap, import_ratings, rated_people, save_ratings
from thidua.awards.services.reminders import Task, pending_tasks, send_reminders

__all__ = [
    "Task",
    "add_candidate",
    "allocate_number",
    "appraise_dossier",
    "can_appraise",
    "can_decide",
    "cast_votes",
    "close_ballot",
    "confirm_candidate",
    "correct_attendance",
    "create_council",
    "create_dossier",
    "dossier_route",
    "grid_version",
    "hold_meeting",
    "htxs_cap",
    "import_ratings",
    "issue_decision",
    "open_ballot",
    "passes",
    "pending_tasks",
    "prize_totals",
    "propose_candidates",
    "quorum",
    "quota_for",
    "quotas",
    "rated_people",
    "recovery_for",
    "remove_candidate",
    "return_dossier",
    "revoke_award",
    "save_ratings",
    "send_reminders",
    "start_decision_job",
    "submit_dossier",
    "update_award_settings",
]
