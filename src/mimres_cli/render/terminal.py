"""Findings as rich tables for the terminal: codes as rows, cells of an attribute as columns.

Tables fit the terminal without losing a number (see `mimres_cli.tabletext`): a wide crosstab
is transposed or split into pages that repeat the code column, and a note says where the full
table is. Cells of fewer than SMALL_CELL interviews carry SMALL_MARK and a footnote.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.table import Table
from rich.text import Text

from mimres_cli.coding.results import Results
from mimres_cli.findings import SMALL_CELL, is_small
from mimres_cli.tabletext import Column, Grid, fit, frame_grid

#: Marks a share from fewer than SMALL_CELL interviews.
SMALL_MARK = "†"
SMALL_NOTE = (
    f"{SMALL_MARK} fewer than {SMALL_CELL} interviews in the cell: one interview more or less "
    "moves its share by 20 points or more."
)


def share_cell(coded: int, total: int, mark_small: bool = False) -> str:
    """'n/N (share %)', the way a report states how many interviews a code reaches; with
    `mark_small`, a cell of fewer than SMALL_CELL interviews ends in SMALL_MARK."""
    if total == 0:
        return "–"
    mark = SMALL_MARK if mark_small and is_small(total) else ""
    return f"{coded}/{total} ({coded / total:.0%}){mark}"


def _value_columns(table: pd.DataFrame) -> list[str]:
    return [c for c in table.columns if c not in ("code", "label", "depth")]


def crosstab_grid(
    table: pd.DataFrame,
    title: str,
    measure: str = "share",
    coded: pd.DataFrame | None = None,
    totals: pd.DataFrame | None = None,
    stub: str = "Code",
    corner: str = "Value",
) -> Grid:
    """The cells of a report table (`findings.crosstab`) as a `Grid` to fit: a label column
    (themes bold, codes indented, may wrap) and one column of whole numbers per value.

    For the share measure, `coded` and `totals` (the coded_interviews and interviews tables of
    the same codes, in any row order) turn cells into "4/6 (67%)", small cells marked; without
    them, "67%".
    """
    values = _value_columns(table)
    counts = None
    if measure == "share" and coded is not None and totals is not None:
        counts = (coded.set_index("code"), totals.set_index("code"))
    depths = [int(d) for d in table["depth"]] if "depth" in table else [0] * len(table)
    labels = [
        Text("  " * depth + str(label), style="bold" if depth == 0 else "")
        for label, depth in zip(table["label"], depths, strict=True)
    ]
    columns = [Column(stub, labels, wrap=True)]
    for value in values:
        cells: list[str] = []
        for code, number in zip(table["code"], table[value], strict=True):
            if counts is not None:
                coded_n, total_n = (int(part.at[code, value]) for part in counts)
                cells.append(share_cell(coded_n, total_n, mark_small=True))
            elif measure == "share":
                cells.append(f"{number:.0%}")
            else:
                cells.append(str(int(number)))
        columns.append(Column(str(value), cells, justify="right"))
    styles = ["bold" if d == 0 else "" for d in depths]
    return Grid(title, columns, transposable=True, corner=corner, row_styles=styles)


@dataclass
class Fitting:
    """A renderable that fits `grid` to the console's width when printed, then prints `notes`.

    `fallback` (optional) makes a smaller grid (e.g. themes only) to use when the whole grid
    needs pages; `fallback_note` then says so. `where` says where the full table is; it is
    printed whenever the table is transposed, paged or cut down.
    """

    grid: Grid
    where: str = ""
    fallback: Callable[[], Grid] | None = None
    fallback_note: str = ""
    notes: list[str] = field(default_factory=list)
    layout: str = ""

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        fitted = first = fit(self.grid, width)
        notes: list[str] = []
        if fitted.layout == "pages" and self.fallback is not None:
            fitted = fit(self.fallback(), width)
            notes.append(self.fallback_note)
        self.layout = fitted.layout
        if fitted.layout == "transposed":
            notes.append("Transposed to fit the terminal: values as rows, codes as columns.")
        elif fitted.layout == "pages":
            notes.append(
                f"In {len(fitted.tables)} parts to fit the terminal; each repeats the code column."
            )
        shown = list(fitted.tables)
        if any(SMALL_MARK in _cells_text(t) for t in shown):
            notes.append(SMALL_NOTE)
        reshaped = fitted.layout in ("transposed", "pages") or fitted is not first
        if self.where and reshaped:
            notes.append(f"Full table: {self.where}")
        yield from shown
        for note in [*notes, *self.notes]:
            yield Text(note, overflow="fold")


def _cells_text(table: Table) -> str:
    return " ".join(str(cell) for column in table.columns for cell in column.cells)


def crosstab_table(
    table: pd.DataFrame,
    title: str,
    measure: str = "share",
    coded: pd.DataFrame | None = None,
    totals: pd.DataFrame | None = None,
    where: str = "",
    corner: str = "Value",
) -> Fitting:
    """A report table (`findings.crosstab`) for the terminal, fitted to its width when printed:
    themes bold, codes indented, every number whole (see `crosstab_grid`). `where` names the
    file or command with the full table, said when the table had to be transposed or paged."""
    return Fitting(crosstab_grid(table, title, measure, coded, totals, corner=corner), where=where)


def render_findings(results: Results, console: Console, caption: str = "", where: str = "") -> None:
    """Print the findings per attribute of the results' design: one table each, fitted to the
    console; when a table with every code needs pages, its themes only, and `where` (the
    findings.csv written, or how to write it) for the rest."""
    for by in results.design.attributes:
        title = f"Interviews coded, per {by}"
        share, coded, totals = (results.crosstab(by, m) for m in _SHARE_PARTS)
        corner = results.design.label(by)
        grid = crosstab_grid(share, title, "share", coded, totals, corner=corner)

        def themes(share=share, coded=coded, totals=totals, title=title, corner=corner) -> Grid:
            top = share[share["depth"] == 0].reset_index(drop=True)
            return crosstab_grid(top, f"{title}, themes only", "share", coded, totals,
                                 corner=corner)  # fmt: skip

        has_codes = bool((share["depth"] > 0).any())
        console.print(
            Fitting(
                grid,
                where=where,
                fallback=themes if has_codes else None,
                fallback_note="Themes only: the table with every code does not fit the terminal.",
            )
        )
    if caption:
        console.print(caption, highlight=False, markup=False)


_SHARE_PARTS = ("share", "coded_interviews", "interviews")


def highlighted(text: str, spans: list[tuple[int, int]]) -> Text:
    """`text` with `spans` (character offsets) in bold and underlined, readable without colour."""
    result = Text(text)
    for start, end in spans:
        result.stylize("bold underline", start, end)
    return result


def quotes_table(quotes: pd.DataFrame, title: str, by: list[str]) -> QuotesView:
    """Quotes (from `findings.quotes`) with their cell, interview and speaker, matches marked;
    a table where it fits with room for the quote, else one block per quote (never cropped)."""
    return QuotesView(quotes, title, list(by))


#: The narrowest a quote column may be before quotes are stacked instead.
QUOTE_MIN_WIDTH = 40


@dataclass
class QuotesView:
    """Quotes fitted to the console when printed (see `quotes_table`)."""

    quotes: pd.DataFrame
    title: str
    by: list[str]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from mimres_cli.findings import match_spans

        records = [row._asdict() for row in self.quotes.itertuples(index=False)]
        ids = [
            max(len(str(r["interview_id"])), len(str(r["speaker"])), len("Interview"))
            for r in records
        ]
        widths = [max([len(name), *(len(str(r[name])) for r in records)]) for name in self.by]
        widths.append(max(ids, default=9))
        needed = sum(widths) + QUOTE_MIN_WIDTH + 3 * (len(widths) + 1) + 1
        quotes = [
            highlighted(str(r["quote"]), match_spans(str(r["quote"]), str(r["matched"])))
            for r in records
        ]
        if needed <= options.max_width:
            table = Table(title=self.title, title_justify="left", show_lines=True)
            for name, width in zip(self.by, widths, strict=False):
                table.add_column(name, no_wrap=True, min_width=width)
            table.add_column("Interview", no_wrap=True, min_width=widths[-1])
            table.add_column("Quote", ratio=1, min_width=QUOTE_MIN_WIDTH)
            for record, quote in zip(records, quotes, strict=True):
                who = Text(f"{record['interview_id']}\n{record['speaker']}")
                table.add_row(*(str(record[name]) for name in self.by), who, quote)
            yield table
            return
        yield Text(self.title, style="italic")
        for record, quote in zip(records, quotes, strict=True):
            cell = [str(record[name]) for name in self.by]
            head = " · ".join([*cell, str(record["interview_id"]), str(record["speaker"])])
            yield Text(head, style="bold", overflow="fold")
            yield quote
            yield Text("")


def kwic_table(
    hits: pd.DataFrame, title: str, width: int | None = None, group: str | None = None
) -> Table:
    """A concordance: left context right-aligned, the match bold and underlined, right context.

    Ids are never cut. `group` (an attribute column of `hits`, the design's second) is shown
    after the interview. With `width` (the console's), contexts are cut to fit on one line,
    keeping the text next to the match.
    """
    ids = [str(i) for i in hits["interview_id"]]
    id_width = max([len("Interview"), *(len(i) for i in ids)])  # ids are never cut
    match_width = max([len("Match"), *(len(m) for m in hits["match"])])
    groups = [str(g) for g in hits[group]] if group and group in hits.columns else None
    side = None
    if width is not None:
        fixed = id_width + match_width + 6  # three gaps of two spaces between four columns
        if groups is not None:
            fixed += max([len(str(group)), *(len(g) for g in groups)]) + 2
        side = max(1, (width - fixed) // 2)
    rich_table = Table(title=title, title_justify="left", box=None, pad_edge=False)
    rich_table.add_column("Interview", style="dim", no_wrap=True, min_width=id_width)
    if groups is not None:
        rich_table.add_column(str(group), no_wrap=True)
    rich_table.add_column("Left", justify="right", no_wrap=True)
    rich_table.add_column("Match", style="bold underline", no_wrap=True, min_width=match_width)
    rich_table.add_column("Right", no_wrap=True)
    for k, row in enumerate(hits.itertuples(index=False)):
        left, right = str(row.left), str(row.right)
        if side is not None:
            left, right = left[-side:], right[:side]
        cells = [ids[k], *([groups[k]] if groups is not None else []), left, str(row.match), right]
        rich_table.add_row(*cells)
    return rich_table


def kwic_by_codes(
    hits: pd.DataFrame, title: str, width: int | None = None, group: str | None = None
) -> Group:
    """A concordance sorted by code (`coding.kwic.sort_kwic`), one `kwic_table` per run of
    lines with the same codes, headed by them; lines in no coded unit under their own head."""
    parts: list[Any] = [Text(title)]
    for codes, lines in hits.groupby("codes", sort=False):
        head = f"Codes: {codes}" if codes else "No code: the term would code these anew"
        parts.append(kwic_table(lines.drop(columns="codes"), head, width=width, group=group))
    return Group(*parts)


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


def plain_table(
    table: pd.DataFrame,
    title: str,
    percent_columns: tuple[str, ...] = (),
    notes: Sequence[str] = (),
) -> Fitting:
    """Any table, fitted to the terminal when printed (`tabletext.frame_grid`: the same cells
    as the plain-text writer); too wide, in parts that repeat its leading text columns.
    `notes` are printed below it."""
    return Fitting(frame_grid(table, title, percent_columns), notes=list(notes))


def share_markdown(share: pd.DataFrame, coded: pd.DataFrame, totals: pd.DataFrame) -> pd.DataFrame:
    """A share table with each cell as text, "4/6 (67%)" (SMALL_MARK on small cells), for
    Markdown; the footnote is the caller's."""
    grid = crosstab_grid(share, "", "share", coded, totals)
    table = share[["code", "label"]].copy()
    for column in grid.columns[1:]:
        table[column.header] = [str(cell) for cell in column.cells]
    return table
