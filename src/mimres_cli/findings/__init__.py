"""Findings stage: pure pandas functions from the segments table to tables."""

from mimres_cli.findings.coverage import (
    FINDINGS_COLUMNS,
    STANDARD_GROUPINGS,
    coverage,
    findings,
    roll_up,
)

__all__ = ["FINDINGS_COLUMNS", "STANDARD_GROUPINGS", "coverage", "findings", "roll_up"]
