"""Render stage: tables for people (terminal, HTML report)."""

from mimres_cli.render.terminal import (
    crosstab_table,
    highlighted,
    kwic_by_codes,
    kwic_table,
    matrix_table,
    plain_table,
    quotes_table,
    render_findings,
    share_cell,
)

__all__ = [
    "crosstab_table",
    "highlighted",
    "kwic_by_codes",
    "kwic_table",
    "matrix_table",
    "plain_table",
    "quotes_table",
    "render_findings",
    "share_cell",
]
