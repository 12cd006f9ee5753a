"""Coding stage: parsed interviews × compiled codebook → the segments table."""

from mimres_cli.coding.apply import (
    CodingResult,
    Unit,
    UnitKind,
    code_interviews,
    codes_table,
    iter_units,
)
from mimres_cli.coding.results import RESULT_FILES, load_results
from mimres_cli.coding.schema import (
    INTERVIEW_COLUMNS,
    SEGMENT_COLUMNS,
    UNIT_COLUMNS,
    metadata_columns,
    validate_segments,
)

__all__ = [
    "INTERVIEW_COLUMNS",
    "RESULT_FILES",
    "SEGMENT_COLUMNS",
    "UNIT_COLUMNS",
    "CodingResult",
    "Unit",
    "UnitKind",
    "code_interviews",
    "codes_table",
    "iter_units",
    "load_results",
    "metadata_columns",
    "validate_segments",
]
