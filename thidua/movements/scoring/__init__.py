"""Scoring and ranking of emulation movements (chấm điểm, xếp hạng thi đua).

Pure Python over plain data: no ORM and no Django import, so it can be used and tested
without Django configured. Public API re-exported here; see docs/scoring.md.
"""

from .engine import (
    NOT_ASSIGNED,
    AdjustmentScore,
    ClusterContext,
    CompiledTable,
    LeafScore,
    UnitScore,
    build_context,
    compile_table,
    explain_adjustment,
    explain_leaf,
    key_indicator_ratios,
    score_cluster,
    score_unit,
    validate_figures,
)
from .figures import NOT_ASSIGNED_WORDS, figure_keys, figures_from_rows
from .loader import copy_table, load_table, parse_band, table_to_dict
from .model import (
    ADJUSTMENT_KINDS,
    METHOD_LABELS,
    METHODS,
    Adjustment,
    Criterion,
    FiguresError,
    Issue,
    ScoringError,
    ScoringTable,
    TableError,
)
from .numbers import fmt, q2, to_decimal
from .ranking import DEFAULT_TIE_BREAK, RankedUnit, rank, rank_clusters, tie_break_from_table, tie_break_label

__all__ = [
    "ADJUSTMENT_KINDS",
    "DEFAULT_TIE_BREAK",
    "METHODS",
    "METHOD_LABELS",
    "NOT_ASSIGNED",
    "NOT_ASSIGNED_WORDS",
    "Adjustment",
    "AdjustmentScore",
    "ClusterContext",
    "CompiledTable",
    "Criterion",
    "FiguresError",
    "Issue",
    "LeafScore",
    "RankedUnit",
    "ScoringError",
    "ScoringTable",
    "TableError",
    "UnitScore",
    "build_context",
    "compile_table",
    "copy_table",
    "explain_adjustment",
    "explain_leaf",
    "figure_keys",
    "figures_from_rows",
    "fmt",
    "key_indicator_ratios",
    "load_table",
    "parse_band",
    "q2",
    "rank",
    "rank_clusters",
    "score_cluster",
    "score_unit",
    "table_to_dict",
    "tie_break_from_table",
    "tie_break_label",
    "to_decimal",
    "validate_figures",
]
