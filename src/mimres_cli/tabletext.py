"""Tables for a terminal of any width that never lose a number: fit, transpose, or page.

A table that is wider than the terminal is not squeezed: numbers and ids keep their full width
(they are never wrapped, cut or replaced by "…"); text columns (labels, quotes) may wrap at
spaces. When the table still does not fit, it is transposed (when its cells are all numbers and
that fits), or else its columns are split into pages that each repeat the first column (or the
first `keys` columns, when more than one identifies a row).

Used by the terminal renderers (`render.terminal`) and the plain-text table writer
(`export.formats`), which both build their grids from a DataFrame with `frame_grid`; imports
rich and pandas only.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import pandas as pd
from rich.table import Table
from rich.text import Text

#: Longest word a wrapping column keeps whole; a longer word is folded (labels, not ids).
MAX_WORD = 24
#: Widest the first column of a paged table grows before its labels wrap.
MAX_STUB = 28

Cell = str | Text


@dataclass(frozen=True)
class Column:
    """One column: a header and its cells. `wrap` columns hold text that may wrap at spaces;
    the others (numbers, ids) are printed whole on one line."""

    header: str
    cells: Sequence[Cell]
    wrap: bool = False
    justify: str = "left"
    style: str = ""


@dataclass(frozen=True)
class Grid:
    """A table to fit: its title and columns; the first `keys` columns (those that identify a
    row, such as group and lemma) are repeated on every page.

    `transposable`: the cells are numbers that read as well the other way round (a crosstab:
    codes × values becomes values × codes).
    """

    title: str
    columns: Sequence[Column]
    transposable: bool = False
    header_style: str = "bold"
    corner: str = ""  # the first column's header once transposed (what the old headers are)
    row_styles: Sequence[str] = field(default_factory=tuple)
    keys: int = 1


def cell_text(value: object, percent: bool = False) -> str:
    """A cell for people: shares as "67%", floats with up to 4 decimals, missing as ""."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    if percent and isinstance(value, int | float):
        return f"{value:.0%}"
    if isinstance(value, float):
        if math.isinf(value):  # an odds ratio with an empty cell
            return "∞" if value > 0 else "-∞"
        return f"{value:.4f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))
    return str(value)


def frame_grid(table: pd.DataFrame, title: str, percent_columns: Sequence[str] = ()) -> Grid:
    """Any table as a Grid: numbers right-aligned and whole, shares in `percent_columns` as
    "67%", text that may wrap. Its leading text columns identify a row (group, lemma), so each
    page of a split table repeats them."""
    columns: list[Column] = []
    keys = 0
    for column in table.columns:
        numeric = pd.api.types.is_numeric_dtype(table[column])
        keys += not numeric and keys == len(columns)
        cells = [cell_text(v, str(column) in percent_columns) for v in table[column]]
        wrap = not numeric and any(" " in c for c in cells)
        columns.append(Column(str(column), cells, wrap=wrap,
                              justify="right" if numeric else "left"))  # fmt: skip
    return Grid(title, columns, keys=max(1, keys))


@dataclass(frozen=True)
class Fitted:
    """What `fit` chose: "full", "wrapped", "transposed" or "pages", and the tables to print."""

    layout: str
    tables: list[Table]


def fit(grid: Grid, width: int) -> Fitted:
    """The tables that show every cell of `grid` within `width` columns (see the module doc)."""
    widths = _fit_widths(grid.columns, width)
    if widths is not None:
        natural = [_natural(c) for c in grid.columns]
        layout = "full" if widths == natural else "wrapped"
        return Fitted(layout, [_table(grid, grid.columns, widths, grid.title)])
    if grid.transposable and len(grid.columns) > 2:
        flipped = transpose(grid)
        widths = _fit_widths(flipped.columns, width)
        if widths is not None:
            return Fitted("transposed", [_table(flipped, flipped.columns, widths, flipped.title)])
    return Fitted("pages", _pages(grid, width))


def transpose(grid: Grid) -> Grid:
    """Rows become columns: the first column's cells head the new columns (as text that may
    wrap), the old headers become the first column (whole, as ids)."""
    stub, rest = grid.columns[0], grid.columns[1:]
    first = Column(
        grid.corner or stub.header, [Text(c.header, style="bold") for c in rest], wrap=False
    )
    columns = [first]
    for n, label in enumerate(stub.cells):
        plain = label.plain.strip() if isinstance(label, Text) else str(label).strip()
        columns.append(
            Column(plain, [c.cells[n] for c in rest], wrap=False, justify="right",
                   style=grid.row_styles[n] if n < len(grid.row_styles) else "")
        )  # fmt: skip
    return Grid(grid.title, columns, transposable=False)


def table_width(widths: Sequence[int]) -> int:
    """Characters a rich table with these column widths takes (borders and padding included)."""
    return sum(widths) + 3 * len(widths) + 1


def _length(cell: Cell) -> int:
    return len(cell.plain if isinstance(cell, Text) else str(cell))


def _lines_max(cell: Cell) -> int:
    text = cell.plain if isinstance(cell, Text) else str(cell)
    return max((len(line) for line in text.splitlines()), default=0)


def _words_max(cell: Cell) -> int:
    text = cell.plain if isinstance(cell, Text) else str(cell)
    return max((len(word) for word in text.split()), default=0) + _indent(text)


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(" "))


def _natural(column: Column) -> int:
    cells = [_lines_max(c) for c in column.cells]
    return max([len(column.header), *cells, 1])


def _minimum(column: Column) -> int:
    if not column.wrap:  # numbers and ids, and their header (a value of an attribute), whole
        return _natural(column)
    header_word = max((len(w) for w in column.header.split()), default=1)
    words = [min(MAX_WORD, _words_max(c)) for c in column.cells]
    return max([min(MAX_WORD, header_word), *words, 1])


def _fit_widths(columns: Sequence[Column], width: int) -> list[int] | None:
    """Column widths within `width`: natural where it fits, else wrap columns narrowed (never
    below their longest word); None when even that is too wide."""
    natural = [_natural(c) for c in columns]
    if table_width(natural) <= width:
        return natural
    least = [_minimum(c) for c in columns]
    if table_width(least) > width:
        return None
    spare = width - table_width(least)
    widths = list(least)
    # Give the room left to the wrapping columns, in proportion to what each would like.
    wants = [
        max(0, n - m) if c.wrap else 0 for c, n, m in zip(columns, natural, least, strict=True)
    ]
    total = sum(wants)
    if total:
        for k, want in enumerate(wants):
            widths[k] += min(want, spare * want // total)
    return widths


def _pages(grid: Grid, width: int) -> list[Table]:
    keys = _keys(grid, width)
    stubs, rest = list(grid.columns[:keys]), list(grid.columns[keys:])
    stub_widths = [max(_minimum(c), min(_natural(c), MAX_STUB)) for c in stubs]
    room = width - table_width(stub_widths)
    pages: list[list[int]] = [[]]
    used = 0
    for k, column in enumerate(rest):
        need = _natural(column) + 3
        if pages[-1] and used + need > room:
            pages.append([])
            used = 0
        pages[-1].append(k)
        used += need
    tables = []
    for n, page in enumerate(pages, start=1):
        columns = [*stubs, *(rest[k] for k in page)]
        numbers = [_natural(rest[k]) for k in page]
        # Too narrow even for the labels' longest words: the labels fold, the numbers stay whole.
        widths = _fit_widths(columns, width) or [
            *(max(4, (width - table_width([0] * keys + numbers)) // keys) for _ in stubs),
            *numbers,
        ]
        title = f"{grid.title} ({n}/{len(pages)})" if grid.title else f"({n}/{len(pages)})"
        tables.append(_table(grid, columns, widths, title))
    return tables


def _keys(grid: Grid, width: int) -> int:
    """How many leading columns each page repeats: `grid.keys`, or only the first when the
    key columns would leave less than half the width for the rest."""
    keys = max(1, min(grid.keys, len(grid.columns) - 1))
    if keys > 1 and table_width([_natural(c) for c in grid.columns[:keys]]) > width // 2:
        return 1
    return keys


def _table(grid: Grid, columns: Sequence[Column], widths: Sequence[int], title: str) -> Table:
    table = Table(title=title or None, title_justify="left", header_style=grid.header_style)
    for column, w in zip(columns, widths, strict=True):
        table.add_column(
            column.header,
            justify=column.justify,  # type: ignore[arg-type]
            width=w,
            no_wrap=not column.wrap,
            overflow="fold",
            style=column.style or None,
        )
    rows = max((len(c.cells) for c in columns), default=0)
    for n in range(rows):
        style = grid.row_styles[n] if n < len(grid.row_styles) else None
        table.add_row(*(_cell(c, c.cells[n]) for c in columns), style=style or None)
    return table


def _cell(column: Column, cell: Cell):
    """An indented label that may wrap keeps its indent on every line (as padding)."""
    if not column.wrap or not isinstance(cell, Text) or not cell.plain.startswith(" "):
        return cell
    from rich.padding import Padding

    indent = _indent(cell.plain)
    return Padding(cell[indent:], (0, 0, 0, indent))


def with_title(grid: Grid, title: str) -> Grid:
    """The same grid under another title."""
    return replace(grid, title=title)
