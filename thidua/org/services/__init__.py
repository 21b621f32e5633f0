"""State changes of the organisation. Each service: the actor's permission checked (`actor` None is the
system: commands, the demo), one transaction, one audit entry, `DomainError` naming the field if refused.

- `units`: create, edit, rename, move, merge, split, dissolve; the preview of a reorganisation; lineage.
- `people`: create, edit, transfer, end of service, past positions.
- `accounts`: accounts of staff members (create, link, lock, one-time passwords).
- `roles`: grant and revoke roles with dates; who holds what.
- `clusters`: clusters and blocks per year, and the copy of last year's.
- `imports`: the bulk writers behind the file import.
"""

from thidua.org.services.accounts import (
    account_units,
    can_manage_account,
    create_account,
    link_account,
    manageable_accounts,
    one_time_password,
    reset_password,
    set_account_active,
    suggest_username,
    unlink_account,
)
from thidua.org.services.clusters import (
    ClusterCopy,
    CopyPlan,
    add_cluster_members,
    copy_clusters,
    create_cluster,
    exists_in_year,
    plan_cluster_copy,
    remove_cluster_member,
    update_cluster,
)
from thidua.org.services.common import check_stamp, stamp
from thidua.org.services.imports import (
    ImportSummary,
    PersonImport,
    UnitImport,
    _common_path,
    import_people,
    import_units,
)
from thidua.org.services.people import (
    add_position,
    check_person_fields,
    create_person,
    end_service,
    transfer_person,
    update_person,
)
from thidua.org.services.roles import grant_role, grantable_units, holders, revoke_role
from thidua.org.services.units import (
    ReorgPreview,
    SplitPart,
    create_unit,
    dissolve_unit,
    lineage_ids,
    merge_units,
    move_unit,
    predecessors,
    preview_reorganisation,
    rename_unit,
    split_unit,
    successors,
    update_unit,
)

__all__ = [
    "ClusterCopy",
    "CopyPlan",
    "ImportSummary",
    "PersonImport",
    "ReorgPreview",
    "SplitPart",
    "UnitImport",
    "_common_path",
    "account_units",
    "add_cluster_members",
    "add_position",
    "can_manage_account",
    "check_person_fields",
    "check_stamp",
    "copy_clusters",
    "create_account",
    "create_cluster",
    "create_person",
    "create_unit",
    "dissolve_unit",
    "end_service",
    "exists_in_year",
    "grant_role",
    "grantable_units",
    "holders",
    "import_people",
    "import_units",
    "lineage_ids",
    "link_account",
    "manageable_accounts",
    "merge_units",
    "move_unit",
    "one_time_password",
    "plan_cluster_copy",
    "predecessors",
    "preview_reorganisation",
    "remove_cluster_member",
    "rename_unit",
    "reset_password",
    "revoke_role",
    "set_account_active",
    "split_unit",
    "stamp",
    "successors",
    "suggest_username",
    "transfer_person",
    "unlink_account",
    "update_cluster",
    "update_person",
    "update_unit",
]
