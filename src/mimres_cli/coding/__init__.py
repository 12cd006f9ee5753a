"""Coding stage: parsed interviews × compiled codebook → the segments table, as `Results`.

Names are imported on first use, so reading a results folder (`Results.read`) never loads
spaCy, which `apply` needs.
"""

from __future__ import annotations

import importlib
from typing import Any

# Public name → the module that defines it.
_API = {
    "Unit": "mimres_cli.coding.apply",
    "UnitKind": "mimres_cli.coding.apply",
    "code_interviews": "mimres_cli.coding.apply",
    "codes_table": "mimres_cli.coding.apply",
    "iter_units": "mimres_cli.coding.apply",
    "FAIL_ON": "mimres_cli.vocabulary",
    "Manifest": "mimres_cli.coding.results",
    "RESULT_FILES": "mimres_cli.coding.results",
    "Results": "mimres_cli.coding.results",
    "TABLES": "mimres_cli.coding.results",
    "Shard": "mimres_cli.coding.shards",
    "merge_parts": "mimres_cli.coding.shards",
    "CODE_COLUMNS": "mimres_cli.coding.schema",
    "INTERVIEW_COLUMNS": "mimres_cli.coding.schema",
    "SEGMENT_COLUMNS": "mimres_cli.coding.schema",
    "UNIT_COLUMNS": "mimres_cli.coding.schema",
    "metadata_columns": "mimres_cli.coding.schema",
    "validate_segments": "mimres_cli.coding.schema",
}

__all__ = sorted(_API)


def __getattr__(name: str) -> Any:
    if name in _API:
        return getattr(importlib.import_module(_API[name]), name)
    raise AttributeError(f"module 'mimres_cli.coding' has no attribute {name!r}")
