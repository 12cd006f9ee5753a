"""Findings stage: pure pandas functions from the segments table to tables."""

from mimres_cli.findings.collate import nb_key, nb_series_key, nb_sorted
from mimres_cli.findings.cooccur import (
    COOCCUR_MEASURES,
    LEVELS,
    cooccurrence,
    cooccurrence_by,
    cooccurrence_codes,
    top_pairs,
)
from mimres_cli.findings.coverage import (
    FINDINGS_COLUMNS,
    STANDARD_GROUPINGS,
    coverage,
    findings,
    findings_columns,
    roll_up,
)
from mimres_cli.findings.quotes import QUOTE_COLUMNS, match_spans, quote_columns, quotes, trim
from mimres_cli.findings.saturation import ORDERS, interview_order, saturation
from mimres_cli.findings.stats import (
    CAUTION,
    SMALL_CELL,
    group_differences,
    is_small,
    wilson_bounds,
    wilson_interval,
    with_intervals,
)
from mimres_cli.findings.tables import (
    DEFAULT_BY,
    MEASURES,
    SORT_ORDERS,
    TOTAL,
    corpus_overview,
    crosstab,
    select_codes,
    tables,
)

__all__ = [
    "CAUTION",
    "COOCCUR_MEASURES",
    "DEFAULT_BY",
    "FINDINGS_COLUMNS",
    "LEVELS",
    "MEASURES",
    "ORDERS",
    "QUOTE_COLUMNS",
    "SMALL_CELL",
    "SORT_ORDERS",
    "STANDARD_GROUPINGS",
    "TOTAL",
    "cooccurrence",
    "cooccurrence_by",
    "cooccurrence_codes",
    "corpus_overview",
    "coverage",
    "crosstab",
    "findings",
    "findings_columns",
    "group_differences",
    "interview_order",
    "is_small",
    "match_spans",
    "nb_key",
    "nb_series_key",
    "nb_sorted",
    "quote_columns",
    "quotes",
    "roll_up",
    "saturation",
    "select_codes",
    "tables",
    "top_pairs",
    "trim",
    "wilson_bounds",
    "wilson_interval",
    "with_intervals",
]
