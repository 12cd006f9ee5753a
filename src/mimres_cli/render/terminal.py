"""Findings as rich tables for the terminal: codes as rows, cells of an attribute as columns."""

from __future__ import annotations

import pandas as pd
from rich.console import Console
from rich.table import Table
from rich.text import Text


def share_cell(coded: int, total: int) -> str:
    """'n/N (share %)', the way a report states how many interviews a code reaches."""
    if total == 0:
        return "–"
    return f"{coded}/{total} ({coded / total:.0%})"


def findings_table(findings: pd.DataFrame, codes: pd.DataFrame, by: str, title: str) -> Table:
    """One rich table: a row per code (themes bold, codes indented), a column per `by` value."""
    part = findings[findings["by"] == by]
    overall = findings[findings["by"] == "all"].set_index("code")
    values = sorted(part[by].unique(), key=str.casefold)
    table = Table(title=title, title_justify="left", show_lines=False)
    table.add_column("Code")
    for value in values:
        table.add_column(str(value), justify="right")
    table.add_column("All", justify="right")
    cells = part.set_index([by, "code"])
    for code in codes.itertuples():
        label = Text("  " * code.depth + str(code.label), style="bold" if code.depth == 0 else "")
        row = [label]
        for value in values:
            cell = cells.loc[(value, code.code)]
            row.append(share_cell(int(cell["coded_interviews"]), int(cell["interviews"])))
        total = overall.loc[code.code]
        row.append(share_cell(int(total["coded_interviews"]), int(total["interviews"])))
        table.add_row(*row)
    return table


def render_findings(
    findings: pd.DataFrame, codes: pd.DataFrame, console: Console, caption: str = ""
) -> None:
    """Print the findings per municipality and per stakeholder group."""
    for by, title in (("municipality", "Interviews coded, per municipality"),
                      ("group", "Interviews coded, per stakeholder group")):  # fmt: skip
        console.print(findings_table(findings, codes, by, title))
    if caption:
        console.print(caption, highlight=False, markup=False)
