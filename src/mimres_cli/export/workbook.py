"""Report tables as an Excel workbook a researcher can read, sort and paste from.

Share tables get, for every value, the share with its n, N and 95 % Wilson interval side by
side under a two-row header; theme rows are bold and codes indented; the code and label columns
and the header rows are frozen; cells of fewer than SMALL_CELL interviews are set in grey italics
with a footnote. `write_workbook` writes every table of a results folder (the corpus overview,
one table per attribute of the design and both crossed, findings, report-ready quotes, the
codebook with each code's rules, saturation and provenance) into one file.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from mimres_cli.coding.results import Results
from mimres_cli.display import provenance_items
from mimres_cli.files import write_files_atomic
from mimres_cli.findings import (
    SMALL_CELL,
    corpus_overview,
    is_small,
    quotes,
    saturation,
    wilson_interval,
)
from mimres_cli.safety import as_text_cells, xlsx_cell

_MAX_WIDTH = 60
_SMALL_FILL = "EDEDED"
SMALL_FOOTNOTE = (
    f"Grå kursiv: færre enn {SMALL_CELL} intervjuer i cellen; ett intervju mer eller mindre "
    "flytter andelen 20 prosentpoeng eller mer."
)
_SUBHEADERS = ("Andel", "n", "N", "95 % KI fra", "95 % KI til")


@dataclass(frozen=True)
class ShareTable:
    """One share table and its counts (three `crosstab`s of the same codes and values)."""

    share: pd.DataFrame
    coded: pd.DataFrame
    totals: pd.DataFrame


def write_share_tables(
    path: Path,
    tables: Mapping[str, ShareTable],
    provenance: Sequence[tuple[str, object]] = (),
    provenance_sheet: str = "provenance",
    extra: Mapping[str, pd.DataFrame] | None = None,
) -> Path:
    """Write share tables (one sheet each, see the module doc), the `extra` tables as they are
    (e.g. the agreement with human codings) and a provenance sheet of (key, value) rows under a
    key/value header."""

    def build(target: Path) -> None:
        book = _book()
        for name, table in tables.items():
            _share_sheet(book, name, table)
        for name, frame in (extra or {}).items():
            _frame_sheet(book, name, frame)
        if provenance:
            _pairs_sheet(book, provenance_sheet, [("key", "value"), *provenance])
        book.save(target)

    write_files_atomic(path.parent, {path.name: build})
    return path


def write_workbook(
    results: Results,
    path: Path,
    *,
    rules: Mapping[str, str] | None = None,
    seed: int = 0,
    generated: str = "",
    extra: Mapping[str, pd.DataFrame] | None = None,
) -> Path:
    """Every table of `results` in one workbook at `path` (written whole or not at all).

    `rules` maps a code path to the text of its rules (for the codebook sheet); `extra` tables
    (e.g. the agreement with human codings) get a sheet each before the provenance.
    """
    design = results.design
    rows, cols = design.attributes
    groupings = {design.label(rows): rows, design.label(cols): cols,
                 f"{design.label(rows)} × {design.label(cols)}": design.crossed}  # fmt: skip
    shares = {
        name: ShareTable(*(results.crosstab(by, m) for m in ("share", "coded_interviews",
                                                             "interviews")))
        for name, by in groupings.items()
    }  # fmt: skip
    overview = corpus_overview(results.interviews, rows, cols)
    overview = overview.rename(columns={rows: design.label(rows), "All": "Sum"})
    overview.iloc[-1, 0] = "Sum"
    theme_quotes = _theme_quotes(results, seed)
    order = saturation(results.segments, results.interviews, seed=seed)
    codebook = _codebook(results.codes, rules or {})
    items = provenance_items(results.manifest, generated, path.parent, design.label)

    def build(target: Path) -> None:
        book = _book()
        _frame_sheet(book, "Materialet", overview)
        for name, table in shares.items():
            _share_sheet(book, name, table)
        _frame_sheet(book, "Funn (lang)", results.findings, percent=("share", "share_low",
                                                                      "share_high"))  # fmt: skip
        _frame_sheet(book, "Sitater", theme_quotes)
        _frame_sheet(book, "Kodebok", codebook, depth_column="depth")
        _frame_sheet(book, "Metning", order, percent=("cumulative_share",))
        for name, frame in (extra or {}).items():
            _frame_sheet(book, name, frame)
        _pairs_sheet(book, "Proveniens", items)
        book.save(target)

    write_files_atomic(path.parent, {path.name: build})
    return path


def _theme_quotes(results: Results, seed: int) -> pd.DataFrame:
    design = results.design
    parts = []
    for theme in results.codes[results.codes["depth"] == 0].itertuples(index=False):
        found = quotes(results.segments, results.codes, str(theme.code), by=[design.columns],
                       n=1, seed=seed, max_chars=0, design=design)  # fmt: skip
        if not found.empty:
            parts.append(found.assign(theme=str(theme.label)))
    if not parts:
        return pd.DataFrame(columns=["theme", "interview_id", "speaker", *design.attributes,
                                     "matched", "quote"])  # fmt: skip
    table = pd.concat(parts, ignore_index=True)
    return table[["theme", "interview_id", "speaker", *design.attributes, "matched", "quote"]]


def _codebook(codes: pd.DataFrame, rules: Mapping[str, str]) -> pd.DataFrame:
    columns = ["code", "label", "depth", "definition", "when_to_use", "when_not_to_use",
               "example"]  # fmt: skip
    table = codes[[c for c in columns if c in codes.columns]].copy()
    table["rules"] = [rules.get(str(code), "") for code in table["code"]]
    return table


def _book():
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    return book


def _sheet(book, name: str):
    # Excel forbids []:*?/\ in sheet names and allows at most 31 characters.
    clean = "".join("_" if ch in "[]:*?/\\" else ch for ch in name)[:31] or "Ark"
    title, n = clean, 2
    taken = {s.casefold() for s in book.sheetnames}
    while title.casefold() in taken:
        title = f"{clean[: 31 - len(str(n)) - 1]}_{n}"
        n += 1
    return book.create_sheet(title)


def _share_sheet(book, name: str, table: ShareTable) -> None:
    """Two header rows (value, then Andel n N KI), theme rows bold, codes indented, frozen."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    sheet = _sheet(book, name)
    share, coded, totals = (
        table.share,
        table.coded.set_index("code"),
        table.totals.set_index("code"),
    )
    values = [c for c in share.columns if c not in ("code", "label", "depth")]
    bold = Font(bold=True)
    sheet.cell(1, 1, "Kode").font = bold
    sheet.cell(1, 2, "Tema / kode").font = bold
    for k, value in enumerate(values):
        first = 3 + 5 * k
        head = _text_cell(sheet, 1, first, "Alle" if value == "All" else str(value))
        head.font = bold
        head.alignment = Alignment(horizontal="center")
        sheet.merge_cells(start_row=1, start_column=first, end_row=1, end_column=first + 4)
        for j, sub in enumerate(_SUBHEADERS):
            cell = sheet.cell(2, first + j, sub)
            cell.font = bold
            cell.alignment = Alignment(horizontal="right", wrap_text=True)
    small_font = Font(italic=True, color="555555")
    small_fill = PatternFill("solid", fgColor=_SMALL_FILL)
    any_small = False
    for i, record in enumerate(share.to_dict(orient="records"), start=3):
        depth = int(record["depth"])
        code_cell = _text_cell(sheet, i, 1, str(record["code"]))
        label_cell = _text_cell(sheet, i, 2, str(record["label"]))
        label_cell.alignment = Alignment(indent=2 * depth)
        if depth == 0:
            code_cell.font = label_cell.font = bold
        for k, value in enumerate(values):
            n = int(coded.at[record["code"], value])
            big_n = int(totals.at[record["code"], value])
            low, high = wilson_interval(n, big_n)
            cells = [
                sheet.cell(i, 3 + 5 * k, float(record[value]) if big_n else None),
                sheet.cell(i, 4 + 5 * k, n),
                sheet.cell(i, 5 + 5 * k, big_n),
                sheet.cell(i, 6 + 5 * k, round(low, 4) if big_n else None),
                sheet.cell(i, 7 + 5 * k, round(high, 4) if big_n else None),
            ]
            for cell in (cells[0], cells[3], cells[4]):
                cell.number_format = "0%"
            if depth == 0:
                for cell in cells:
                    cell.font = bold
            if is_small(big_n):
                any_small = True
                cells[0].font = Font(italic=True, color="555555", bold=depth == 0)
                cells[0].fill = small_fill
                for cell in cells[1:]:
                    cell.font = small_font
    if any_small:
        sheet.cell(len(share) + 4, 1, SMALL_FOOTNOTE).font = Font(italic=True)
    sheet.freeze_panes = "C3"
    codes = [len(str(c)) + 2 for c in share["code"]]
    sheet.column_dimensions["A"].width = min(_MAX_WIDTH, max(8, *codes))
    pairs = zip(share["label"], share["depth"], strict=True)
    labels = [len(str(label)) + 2 * int(depth) + 2 for label, depth in pairs]
    sheet.column_dimensions["B"].width = min(_MAX_WIDTH, max(12, *labels))
    for k, value in enumerate(values):
        for j in range(5):
            letter = get_column_letter(3 + 5 * k + j)
            sheet.column_dimensions[letter].width = max(7, len(str(value)) // 5 + 2) if j else 9


def _text_cell(sheet, row: int, column: int, text: str):
    """A cell of text from the data (a value of an attribute, a label): never a formula."""
    cell = sheet.cell(row, column, xlsx_cell(text))
    as_text_cells([cell])
    return cell


def _frame_sheet(
    book,
    name: str,
    table: pd.DataFrame,
    *,
    percent: Sequence[str] = (),
    depth_column: str | None = None,
) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    sheet = _sheet(book, name)
    sheet.append([xlsx_cell(str(c)) for c in table.columns])
    as_text_cells(sheet[1])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for record in table.itertuples(index=False):
        sheet.append([xlsx_cell(_plain(v)) for v in record])  # transcript text is untrusted
        as_text_cells(sheet[sheet.max_row])
    if depth_column and depth_column in table.columns:
        for i, depth in enumerate(table[depth_column], start=2):
            if int(depth) == 0:
                for cell in sheet[i]:
                    cell.font = Font(bold=True)
            if "label" in table.columns:
                column = list(table.columns).index("label") + 1
                sheet.cell(i, column).alignment = Alignment(indent=2 * int(depth), wrap_text=True)
    sheet.freeze_panes = "C2" if {"code", "label"} <= set(table.columns) else "A2"
    for n, column in enumerate(table.columns, start=1):
        letter = get_column_letter(n)
        texts = [str(column), *(str(v) for v in table[column].head(500))]
        widest = max(8, *(len(t) + 2 for t in texts))
        sheet.column_dimensions[letter].width = min(_MAX_WIDTH, widest)
        if widest > _MAX_WIDTH:
            for cell in sheet[letter][1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        if str(column) in percent:
            for cell in sheet[letter][1:]:
                cell.number_format = "0%"
    if len(table.columns):
        sheet.auto_filter.ref = sheet.dimensions


def _pairs_sheet(book, name: str, pairs: Sequence[tuple[str, object]]) -> None:
    from openpyxl.styles import Font

    sheet = _sheet(book, name)
    for key, value in pairs:
        sheet.append([xlsx_cell(key), xlsx_cell(value)])
        as_text_cells(sheet[sheet.max_row])
        sheet.cell(sheet.max_row, 1).font = Font(bold=True)
    sheet.column_dimensions["A"].width = 20
    sheet.column_dimensions["B"].width = _MAX_WIDTH


def _plain(value: object) -> object:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if hasattr(value, "item"):
        return value.item()  # type: ignore[union-attr]
    return value
