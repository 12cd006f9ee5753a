"""Findings as rich tables for the terminal: codes as rows, cells of an attribute as columns."""

from __future__ import annotations

import pandas as pd
from rich.console import Console
from rich.table import Table
from rich.text import Text

from mimres_cli.coding.results import Results


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


def render_findings(results: Results, console: Console, caption: str = "") -> None:
    """Print the findings per attribute of the results' design (findings.csv, computed once)."""
    for by in results.design.attributes:
        title = f"Interviews coded, per {by}"
        console.print(findings_table(results.findings, results.codes, by, title))
    if caption:
        console.print(caption, highlight=False, markup=False)


def crosstab_table(
    table: pd.DataFrame,
    title: str,
    measure: str = "share",
    coded: pd.DataFrame | None = None,
    totals: pd.DataFrame | None = None,
) -> Table:
    """A rich table of one report table (`findings.crosstab`): themes bold, codes indented.

    For the share measure, `coded` and `totals` (the coded_interviews and interviews tables of
    the same codes, in any row order) turn cells into "4/6 (67%)"; without them, "67%".
    """
    values = [c for c in table.columns if c not in ("code", "label", "depth")]
    counts = None
    if measure == "share" and coded is not None and totals is not None:
        counts = (coded.set_index("code"), totals.set_index("code"))
    rich_table = Table(title=title, title_justify="left")
    rich_table.add_column("Code")
    for value in values:
        rich_table.add_column(str(value), justify="right")
    for row in table.itertuples(index=False):
        depth = int(getattr(row, "depth", 0))
        cells: list[Text | str] = [
            Text("  " * depth + str(row.label), style="bold" if depth == 0 else "")
        ]
        for k, value in enumerate(values, start=3):
            number = row[k]
            if counts is not None:
                coded_n, total_n = (int(part.at[row.code, value]) for part in counts)
                cells.append(share_cell(coded_n, total_n))
            elif measure == "share":
                cells.append(f"{number:.0%}")
            else:
                cells.append(str(int(number)))
        rich_table.add_row(*cells)
    return rich_table


def highlighted(text: str, spans: list[tuple[int, int]]) -> Text:
    """`text` with `spans` (character offsets) in bold and underlined, readable without colour."""
    result = Text(text)
    for start, end in spans:
        result.stylize("bold underline", start, end)
    return result


def quotes_table(quotes: pd.DataFrame, title: str, by: list[str]) -> Table:
    """Quotes (from `findings.quotes`) with their cell, interview and speaker, matches marked."""
    from mimres_cli.findings import match_spans

    rich_table = Table(title=title, title_justify="left", show_lines=True)
    for name in by:
        rich_table.add_column(name, no_wrap=True)
    rich_table.add_column("Interview")
    rich_table.add_column("Quote", ratio=1, min_width=40)
    for row in quotes.itertuples(index=False):
        record = row._asdict()
        quote = highlighted(
            str(record["quote"]), match_spans(str(record["quote"]), str(record["matched"]))
        )
        who = Text(f"{record['interview_id']}\n{record['speaker']}")
        rich_table.add_row(*(str(record[name]) for name in by), who, quote)
    return rich_table


def kwic_table(hits: pd.DataFrame, title: str, width: int | None = None) -> Table:
    """A concordance: left context right-aligned, the match bold and underlined, right context.

    With `width` (the console's), contexts are cut to fit on one line, keeping the text next
    to the match.
    """
    ids = [str(i) for i in hits["interview_id"]]
    id_width = min(28, max((len(i) for i in ids), default=9))
    match_width = max((len(m) for m in hits["match"]), default=5)
    side = None
    if width is not None:
        side = max(10, (width - id_width - match_width - 6) // 2)
    rich_table = Table(title=title, title_justify="left", box=None, pad_edge=False)
    rich_table.add_column("Interview", style="dim", no_wrap=True, max_width=id_width)
    rich_table.add_column("Left", justify="right", no_wrap=True)
    rich_table.add_column("Match", style="bold underline", no_wrap=True, min_width=match_width)
    rich_table.add_column("Right", no_wrap=True)
    for interview_id, row in zip(ids, hits.itertuples(index=False), strict=True):
        left, right = str(row.left), str(row.right)
        if side is not None:
            left, right = left[-side:], right[:side]
        rich_table.add_row(interview_id, left, str(row.match), right)
    return rich_table


def matrix_table(matrix: pd.DataFrame, title: str) -> Table:
    """A code × code matrix (from `findings.cooccurrence`), columns headed by the code's last id."""
    paths = [c for c in matrix.columns if c not in ("code", "label")]
    rich_table = Table(title=title, title_justify="left")
    rich_table.add_column("Code")
    for path in paths:
        rich_table.add_column(str(path).rsplit("/", 1)[-1], justify="right")
    for row in matrix.itertuples(index=False):
        cells = [str(row.label)]
        for k in range(len(paths)):
            value = row[2 + k]
            cells.append(f"{value:.2f}" if isinstance(value, float) else str(value))
        rich_table.add_row(*cells)
    return rich_table


def plain_table(table: pd.DataFrame, title: str, percent_columns: tuple[str, ...] = ()) -> Table:
    """Any table as a rich table: numbers right-aligned, shares in `percent_columns` as "67%"."""
    rich_table = Table(title=title, title_justify="left")
    for column in table.columns:
        numeric = pd.api.types.is_numeric_dtype(table[column])
        rich_table.add_column(str(column), justify="right" if numeric else "left")
    for row in table.itertuples(index=False):
        cells = []
        for column, value in zip(table.columns, row, strict=True):
            if column in percent_columns:
                cells.append(f"{value:.0%}")
            elif isinstance(value, float):
                cells.append(f"{value:.4g}")
            else:
                cells.append("" if pd.isna(value) else str(value))
        rich_table.add_row(*cells)
    return rich_table
