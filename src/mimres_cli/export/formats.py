"""Write any result table as table, CSV, TSV, JSON, Markdown or XLSX, to a file or stdout.

One entry point per shape: `write_table` for one table, `write_tables` for several named tables
(one XLSX sheet each, one JSON key each, one Markdown section each; CSV and TSV stack them with a
leading `table` column). The format comes from `--format`, or from the output file's suffix
(`format_from_suffix`). Files are written atomically; without an output file, text goes to stdout.

Columns named in `percent_columns` hold shares (0–1): they stay numbers in CSV, TSV, JSON and
XLSX (with a percent number format there), and are shown as "67%" in Markdown and the terminal.

Provenance (`provenance=`, the fields of `provenance_fields`: tool and version, spaCy pipeline,
codebooks with their sha256, when coded) travels with the table: a "provenance" sheet in XLSX,
a footer in Markdown and the plain-text table, a "provenance" key in JSON, and for CSV and TSV
written to a file a sidecar `<file>.provenance.json` written together with it. CSV and TSV on
stdout stay pure data: the CLI says the pipeline on stderr instead.

No cell becomes a formula (docs/reliability.md): XLSX cells are text, stripped of the control
characters XLSX cannot hold; in CSV and TSV, text that starts with `=`, `+`, `-`, `@`, a tab or
a carriage return gets a leading `'` (`mimres --raw-csv` writes it as it is).
"""

from __future__ import annotations

import io
import json
import math
import sys
import textwrap
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import pandas as pd

from mimres_cli.coding.results import Manifest, PipelineRecord
from mimres_cli.errors import OutputError
from mimres_cli.files import FLOAT_FORMAT, write_files_atomic
from mimres_cli.safety import as_text_cells, escape_table, xlsx_cell
from mimres_cli.tabletext import cell_text
from mimres_cli.vocabulary import TABLE_FORMATS, TableFormat

if TYPE_CHECKING:
    from mimres_cli.nlp.pipeline import PipelineInfo

#: Every table format, in the order `--format` lists them (the vocabulary's TableFormat).
FORMATS: tuple[TableFormat, ...] = TABLE_FORMATS
#: Widest XLSX column, in characters; longer text wraps.
_MAX_XLSX_WIDTH = 60
#: Width of the plain-text table when it goes to a file rather than a terminal.
_FILE_TABLE_WIDTH = 160
#: Suffix of the sidecar that carries a CSV or TSV file's provenance.
SIDECAR_SUFFIX = ".provenance.json"


def provenance_fields(manifest: Manifest | Mapping[str, Any]) -> dict[str, Any]:
    """The provenance a table output records, from a results folder's manifest (or from
    `pipeline_manifest`): tool, tool_version, pipeline, pipeline_version, fallback, spacy,
    codebooks (name and sha256) and created. Unknown values are None, no codebooks is []."""
    if not isinstance(manifest, Manifest):
        manifest = Manifest.from_dict(manifest)
    pipeline = manifest.pipeline
    return {
        "tool": "mimres-cli",
        "tool_version": manifest.tool_version or None,
        "pipeline": pipeline.name or None,
        "pipeline_version": pipeline.version or None,
        "fallback": pipeline.fallback,
        "spacy": pipeline.spacy or None,
        "codebooks": [{"name": book.name, "sha256": book.sha256} for book in manifest.codebooks],
        "created": manifest.coded_at or None,
    }


def pipeline_manifest(info: PipelineInfo) -> dict[str, Any]:
    """A manifest-like mapping for outputs parsed right now: this mimres and `info`'s pipeline."""
    from mimres_cli import __version__

    pipeline = PipelineRecord(info.name, info.version, info.spacy_version, info.fallback)
    return Manifest(tool_version=__version__, pipeline=pipeline).to_dict()


def provenance_line(fields: Mapping[str, Any]) -> str:
    """One line for people: "pipeline NAME VERSION (spaCy X), mimres-cli V, codebook ..."."""
    pipeline = " ".join(str(fields[k]) for k in ("pipeline", "pipeline_version") if fields.get(k))
    notes = ["built-in fallback"] if fields.get("fallback") else []
    notes += [f"spaCy {fields['spacy']}"] if fields.get("spacy") else []
    parts = [f"pipeline {pipeline or 'unknown'}" + (f" ({', '.join(notes)})" if notes else "")]
    parts.append(" ".join(str(v) for v in (fields.get("tool"), fields.get("tool_version")) if v))
    parts += [
        f"codebook {book['name']} sha256 {str(book['sha256'])[:12]}"
        for book in fields.get("codebooks") or []
    ]
    if fields.get("created"):
        parts.append(f"coded {fields['created']}")
    return ", ".join(parts)


def format_from_suffix(
    output: Path | None,
    fmt: str | None = None,
    *,
    writers: Mapping[str, Any] | None = None,
    default: str = "table",
) -> Any:
    """The format to write: `fmt` when given, else the one `output`'s suffix names, else
    `default`. `writers` is a registry (format → writer with `suffixes`): WRITERS, the table
    formats, unless given (export.tokens.TOKEN_WRITERS for the token table).

    Raises OutputError for an unknown format and for a suffix that names no format.
    """
    registry: Mapping[str, Any] = WRITERS if writers is None else writers
    if fmt:
        if fmt not in registry:
            raise OutputError(f"unknown format '{fmt}'", fix=f"Use one of {', '.join(registry)}",
                              code="E504")  # fmt: skip
        return fmt
    if output is None:
        return default
    suffixes = {suffix: name for name, writer in registry.items() for suffix in writer.suffixes}
    found = suffixes.get(output.suffix.lower())
    if found is None:
        raise OutputError(
            f"cannot tell the format of '{output}' from its suffix '{output.suffix}'",
            fix=f"Use a suffix among {', '.join(sorted(suffixes))}, or pass --format",
            code="E504",
        )
    return found


def write_table(
    table: pd.DataFrame,
    fmt: str | None = None,
    output: Path | None = None,
    *,
    sheet_name: str = "table",
    title: str = "",
    percent_columns: Sequence[str] = (),
    stream: TextIO | None = None,
    provenance: Manifest | Mapping[str, Any] | None = None,
) -> Path | None:
    """Write one table in `fmt` (default: from `output`'s suffix) to `output`, or to `stream`.

    `stream` defaults to stdout. XLSX needs an output file. Returns the path written, if any.
    `provenance` is a manifest-like mapping (see `provenance_fields`).
    """
    return write_tables(
        {sheet_name: table},
        fmt,
        output,
        titles={sheet_name: title} if title else None,
        percent_columns=percent_columns,
        stream=stream,
        single=True,
        provenance=provenance,
    )


def write_tables(
    tables: Mapping[str, pd.DataFrame],
    fmt: str | None = None,
    output: Path | None = None,
    *,
    titles: Mapping[str, str] | None = None,
    percent_columns: Sequence[str] = (),
    stream: TextIO | None = None,
    single: bool = False,
    provenance: Manifest | Mapping[str, Any] | None = None,
) -> Path | None:
    """Write several named tables into one output (see the module docstring for each format).

    `single=True` writes a lone table without the multi-table wrapping (JSON "rows" instead of
    "tables", no `table` column), which is what `write_table` does. `provenance` is a
    manifest-like mapping (see `provenance_fields`); CSV and TSV to a file get it as a sidecar.
    """
    fmt = format_from_suffix(output, fmt)
    writer = WRITERS[fmt]
    layout = Layout(
        titles=dict(titles or {}),
        percent_columns=tuple(percent_columns),
        single=single,
        width=_FILE_TABLE_WIDTH if output else None,
        provenance=provenance_fields(provenance) if provenance is not None else None,
    )
    if writer.text is None:
        if output is None:
            raise OutputError(f"{fmt.upper()} cannot be written to the terminal",
                              fix=f"Add --output FILE{writer.suffixes[0]}",
                              code="E503")  # fmt: skip
        assert writer.file is not None  # a registry entry has one or the other
        to_file = writer.file
        files = {output.name: lambda target: to_file(target, tables, layout)}
    else:
        text = writer.text(tables, layout)
        if output is None:
            (stream or sys.stdout).write(text)
            return None
        files = {output.name: lambda target: target.write_text(text, encoding="utf-8")}
    if layout.provenance is not None and writer.sidecar:
        sidecar = json.dumps(layout.provenance, ensure_ascii=False, indent=2) + "\n"
        files[output.name + SIDECAR_SUFFIX] = lambda target: target.write_text(
            sidecar, encoding="utf-8"
        )
    write_files_atomic(output.parent, files)
    return output


def render_text(
    tables: Mapping[str, pd.DataFrame],
    fmt: str,
    *,
    titles: Mapping[str, str] | None = None,
    percent_columns: Sequence[str] = (),
    single: bool = False,
    width: int | None = None,
    provenance: Mapping[str, Any] | None = None,
) -> str:
    """The text of `tables` in a text format (table, csv, tsv, json, markdown).

    `provenance` (the fields of `provenance_fields`) goes into JSON, Markdown and the table;
    CSV and TSV have no place for it.
    """
    writer = WRITERS.get(fmt)  # type: ignore[call-overload]  # any str may be asked for
    if writer is None or writer.text is None:
        text_formats = [name for name, w in WRITERS.items() if w.text is not None]
        raise OutputError(f"'{fmt}' is not a text format",
                          fix=f"Use one of {', '.join(text_formats)}", code="E504")  # fmt: skip
    layout = Layout(dict(titles or {}), tuple(percent_columns), single, width,
                    dict(provenance) if provenance else None)  # fmt: skip
    return writer.text(tables, layout)


@dataclass(frozen=True)
class Layout:
    """How the tables of one output are laid out (the same for every format)."""

    titles: dict[str, str]
    percent_columns: tuple[str, ...]
    single: bool  # a lone table: no `table` column in CSV, "rows" rather than "tables" in JSON
    width: int | None  # of the plain-text table; None: the terminal's
    provenance: dict[str, Any] | None  # the fields of `provenance_fields`


Tables = Mapping[str, pd.DataFrame]


@dataclass(frozen=True)
class TableWriter:
    """One output format: the file suffixes that name it and how tables become it.

    A text format has `text` (written to stdout or a file); a binary one has `file`, which
    writes to a path and so needs `--output`. `sidecar`: provenance goes beside the file.
    """

    suffixes: tuple[str, ...]
    text: Callable[[Tables, Layout], str] | None = None
    file: Callable[[Path, Tables, Layout], None] | None = None
    sidecar: bool = False


def _delimited(sep: str) -> Callable[[Tables, Layout], str]:
    def text(tables: Tables, layout: Layout) -> str:
        if layout.single or len(tables) == 1:
            table = next(iter(tables.values()))
        else:
            # Integer columns stay integers where another table has no such column.
            parts = [
                _nullable_ints(t).assign(table=name)[["table", *t.columns]]
                for name, t in tables.items()
            ]
            table = pd.concat(parts, ignore_index=True)[_stacked_columns(parts)]
        return escape_table(table).to_csv(
            index=False, sep=sep, lineterminator="\n", float_format=FLOAT_FORMAT
        )

    return text


def _json_text(tables: Tables, layout: Layout) -> str:
    records = {name: _records(table) for name, table in tables.items()}
    data: dict[str, Any] = {"provenance": layout.provenance}
    if layout.single:
        data["rows"] = next(iter(records.values()))
    else:
        data["tables"] = records
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _markdown_text(tables: Tables, layout: Layout) -> str:
    parts = []
    for name, table in tables.items():
        heading = layout.titles.get(name) or ("" if layout.single else name)
        if heading:
            parts.append(f"## {heading}\n")
        parts.append(markdown_table(table, layout.percent_columns) + "\n")
    if layout.provenance:
        parts.append(f"_Provenance: {_md_escape(provenance_line(layout.provenance))}._\n")
    return "\n".join(parts)


def _table_text(tables: Tables, layout: Layout) -> str:
    text = _rich_text(tables, layout.titles, layout.percent_columns, layout.single, layout.width)
    if not layout.provenance:
        return text
    from rich.console import Console

    # Wrapped at spaces to the table's width (never cut), like the table above it.
    footer = textwrap.fill(f"Provenance: {provenance_line(layout.provenance)}",
                           layout.width or Console().width, break_long_words=False,
                           break_on_hyphens=False)  # fmt: skip
    return text + footer + "\n"


def _xlsx_file(target: Path, tables: Tables, layout: Layout) -> None:
    _write_xlsx(target, tables, layout.percent_columns, layout.provenance)


#: Every table format: how it is written and the suffixes that name it (`-o x.xlsx`). Adding
#: a format is one writer function and one entry here; `--format` and the suffixes follow.
WRITERS: dict[TableFormat, TableWriter] = {
    "table": TableWriter((".txt",), text=_table_text),
    "csv": TableWriter((".csv",), text=_delimited(","), sidecar=True),
    "tsv": TableWriter((".tsv", ".tab"), text=_delimited("\t"), sidecar=True),
    "json": TableWriter((".json",), text=_json_text),
    "markdown": TableWriter((".md", ".markdown"), text=_markdown_text),
    "xlsx": TableWriter((".xlsx",), file=_xlsx_file),
}
assert tuple(WRITERS) == FORMATS, "one writer per format, in the Literal's order"
#: File suffix → format, from the registry.
SUFFIXES: dict[str, TableFormat] = {
    suffix: fmt for fmt, writer in WRITERS.items() for suffix in writer.suffixes
}


def _stacked_columns(parts: Sequence[pd.DataFrame]) -> list[str]:
    """Columns of stacked tables in order of appearance, except that the first table's leading
    and trailing columns that every table has stay first and last ("code", ..., "All")."""
    common = set.intersection(*(set(p.columns) for p in parts))
    first = list(parts[0].columns)
    lead: list[str] = []
    for column in first:
        if column not in common:
            break
        lead.append(column)
    trail: list[str] = []
    for column in reversed(first[len(lead) :]):
        if column not in common:
            break
        trail.insert(0, column)
    union = dict.fromkeys(c for p in parts for c in p.columns)
    rest = [c for c in union if c not in lead and c not in trail]
    return [*lead, *rest, *trail]


def markdown_table(table: pd.DataFrame, percent_columns: Sequence[str] = ()) -> str:
    """A GitHub-flavoured Markdown table; numbers right-aligned, shares as percentages."""
    columns = [str(c) for c in table.columns]
    numeric = [pd.api.types.is_numeric_dtype(table[c]) for c in table.columns]
    head = "| " + " | ".join(_md_escape(c) for c in columns) + " |"
    rule = "| " + " | ".join("---:" if n else "---" for n in numeric) + " |"
    lines = [head, rule]
    for row in table.itertuples(index=False):
        cells = [
            _md_escape(cell_text(value, str(column) in percent_columns))
            for column, value in zip(table.columns, row, strict=True)
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _nullable_ints(table: pd.DataFrame) -> pd.DataFrame:
    ints = [c for c in table.columns if pd.api.types.is_integer_dtype(table[c])]
    return table.astype(dict.fromkeys(ints, "Int64")) if ints else table


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _records(table: pd.DataFrame) -> list[dict]:
    # pandas' own JSON writer escapes "/" and cannot keep æøå unescaped with indent; go via
    # Python objects so numbers stay numbers and missing values become null.
    records = []
    for row in table.to_dict(orient="records"):
        records.append({str(k): _plain(v) for k, v in row.items()})
    return records


def _plain(value: object) -> object:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()  # type: ignore[union-attr]
    return value


def _rich_text(
    tables: Mapping[str, pd.DataFrame],
    titles: Mapping[str, str],
    percent_columns: Sequence[str],
    single: bool,
    width: int | None,
) -> str:
    """The plain-text tables, fitted to `width` (default: the terminal's) by
    `mimres_cli.tabletext`: numbers whole, text wrapped, too wide tables in parts."""
    from rich.console import Console

    from mimres_cli.tabletext import fit, frame_grid

    buffer = io.StringIO()
    if width is None:
        console = Console(file=buffer, width=Console().width, force_terminal=False)
    else:
        console = Console(file=buffer, width=width, force_terminal=False, color_system=None)
    for name, table in tables.items():
        heading = titles.get(name) or ("" if single else name)
        for rich_table in fit(frame_grid(table, heading, percent_columns), console.width).tables:
            console.print(rich_table)
    return buffer.getvalue()


def _write_xlsx(
    target: Path,
    tables: Mapping[str, pd.DataFrame],
    percent_columns: Sequence[str],
    provenance: Mapping[str, Any] | None = None,
) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for name, table in tables.items():
        sheet = book.create_sheet(_sheet_title(name, used))
        sheet.append([xlsx_cell(str(c)) for c in table.columns])
        as_text_cells(sheet[1])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(vertical="top", wrap_text=True)
        for row in table.itertuples(index=False):
            sheet.append([xlsx_cell(_plain(v)) for v in row])
            as_text_cells(sheet[sheet.max_row])
        sheet.freeze_panes = "A2"
        for n, column in enumerate(table.columns, start=1):
            letter = get_column_letter(n)
            texts = [str(column)] + [cell_text(v) for v in table[column].head(500)]
            widest = max(8, *(len(t) + 2 for t in texts))
            sheet.column_dimensions[letter].width = min(_MAX_XLSX_WIDTH, widest)
            if widest > _MAX_XLSX_WIDTH:  # quotes, contexts: wrap within the column
                for cell in sheet[letter][1:]:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
            if str(column) in percent_columns:
                for cell in sheet[letter][1:]:
                    cell.number_format = "0%"
            elif pd.api.types.is_float_dtype(table[column]):
                for cell in sheet[letter][1:]:
                    cell.number_format = "0.0000"
        if len(table.columns):
            sheet.auto_filter.ref = sheet.dimensions
    if not tables:
        book.create_sheet("table")
    if provenance is not None:
        sheet = book.create_sheet(_sheet_title("provenance", used))
        sheet.append(["key", "value"])
        for key, value in flat_provenance(provenance):
            sheet.append([xlsx_cell(key), xlsx_cell(value)])
            as_text_cells(sheet[sheet.max_row])
        sheet.column_dimensions["A"].width = 18
        sheet.column_dimensions["B"].width = _MAX_XLSX_WIDTH
    book.save(target)


def flat_provenance(fields: Mapping[str, Any]) -> list[tuple[str, object]]:
    """Key/value rows: one per field, one per codebook ("codebook NAME" → sha256)."""
    rows: list[tuple[str, object]] = []
    for key, value in fields.items():
        if key == "codebooks":
            rows += [(f"codebook {book['name']}", book["sha256"]) for book in value]
        elif value is not None:
            rows.append((key, value))
    return rows


def _sheet_title(name: str, used: set[str]) -> str:
    # Excel forbids []:*?/\ in sheet names and allows at most 31 characters.
    clean = "".join("_" if ch in "[]:*?/\\" else ch for ch in name)[:31] or "table"
    title, n = clean, 2
    while title.casefold() in used:
        title = f"{clean[: 31 - len(str(n)) - 1]}_{n}"
        n += 1
    used.add(title.casefold())
    return title
