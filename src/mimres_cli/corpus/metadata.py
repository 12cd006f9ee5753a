"""Metadata sheets (`interviews.csv` / `interviews.xlsx`) and the corpus file (`corpus.yaml`).

A metadata sheet has a header row and one row per interview, keyed by an `id` column or a
`file` column (the transcript's file name), with any further columns. The columns
`interviewer` and `informant` list that interview's speaker labels for each role (separated by
`;`). In an `.xlsx` workbook the rows are on the sheet named `interviews` (else the first
sheet), and a sheet named `speakers` (columns `label`, `role`) maps labels to roles for the
whole corpus, like the `speakers:` block of corpus.yaml.
"""

from __future__ import annotations

import csv
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mimres_cli.corpus.model import REQUIRED_METADATA, Role
from mimres_cli.corpus.speakers import labels_with_role, parse_role, parse_speakers
from mimres_cli.corpus.text import load_yaml, plain_value, read_decoded
from mimres_cli.design import Design
from mimres_cli.errors import CorpusError, MissingInputError, Where

#: Metadata sheets found in a corpus folder without being named.
SHEET_NAMES = ("interviews.csv", "interviews.xlsx")
#: The corpus file found in a corpus folder: `speakers:` maps labels to roles.
CORPUS_FILE = "corpus.yaml"

#: Every column mimres computes in a table that also carries interview metadata or `--by`
#: attributes (segments, units, interviews, tokens, kwic, findings, quotes, words, agreement,
#: saturation, co-occurrence, `mimres corpus`). A metadata key with one of these names
#: (compared ignoring case) is kept as `meta_<key>`: see `computed_free`.
#: tests/corpus/test_metadata_names.py checks it against every table's column list.
COMPUTED_COLUMNS = frozenset(
    {
        # segments, units, interviews and `mimres corpus`
        "interview_id", "speaker", "role", "unit", "unit_index", "turn_index", "start", "end",
        "start_time", "end_time", "code", "theme", "label", "codebook", "matched", "rule",
        "pattern", "negated", "words", "text", "file", "format", "encoding", "turns",
        "informant_turns", "informant_words", "duration", "evidence_start", "evidence_end",
        "evidence", "context_turn", "language",
        # tokens and kwic
        "sentence_index", "token_index", "lemma", "lemma_candidates", "upos", "morph", "head",
        "dep", "entity", "kind", "left", "match", "right", "sentence",
        # findings, report tables, codes, quotes
        "by", "interviews", "coded_interviews", "share", "segments", "depth", "column",
        "share_low", "share_high",  # the Wilson interval findings.csv appends
        "parent", "color", "definition", "when_to_use", "when_not_to_use", "example", "quote",
        # words, agreement, saturation, co-occurrence, compare, human codings
        "count", "per_10k", "count_rest", "per_10k_rest", "g2", "log_ratio", "units",
        "coded_a", "coded_b", "both", "only_a", "only_b", "neither", "precision", "recall",
        "f1", "kappa", "alpha", "coded_by", "position", "codes", "new_codes",
        "cumulative_codes", "cumulative_share", "new", "other", "value", "change", "coder",
    }
)  # fmt: skip
#: What a metadata key that is also a computed column gets in front of its name.
COMPUTED_PREFIX = "meta_"
#: Computed columns that a metadata key of the same name sets instead of colliding with:
#: `language` (nb, nn, mixed) is detected unless the front matter or sheet gives it.
OVERRIDES = frozenset({"language"})
_COMPUTED_ONLY = COMPUTED_COLUMNS - OVERRIDES  # the computed columns a metadata key yields to


def computed_free(metadata: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """`metadata` with every key that is also a computed column renamed, and {old: new}.

    `speaker` becomes `meta_speaker`; when that is taken too (by another key or a computed
    column), `meta_` is added again (`meta_meta_speaker`). Order and values are kept.
    """
    taken = {key.casefold() for key in metadata}
    kept: dict[str, Any] = {}
    renamed: dict[str, str] = {}
    for key, value in metadata.items():
        name = key
        while (name.casefold() in _COMPUTED_ONLY) or (name != key and name.casefold() in taken):
            name = COMPUTED_PREFIX + name
        if name != key:
            renamed[key] = name
            taken.add(name.casefold())
        kept[name] = value
    return kept, renamed


@dataclass(frozen=True)
class SheetRow:
    """One interview's row: where it is, its key cells, attributes and speaker roles."""

    line: int  # 1-based row number in the sheet (the header is row 1)
    id: str | None
    file: str | None
    values: dict[str, Any]
    speakers: dict[str, Role] = field(default_factory=dict)

    def describe(self) -> str:
        return f"id '{self.id}'" if self.id else f"file '{self.file}'"


@dataclass(frozen=True)
class MetadataSheet:
    """The rows of a metadata sheet and the corpus-level speaker roles it gives."""

    path: Path
    rows: tuple[SheetRow, ...]
    speakers: dict[str, Role] = field(default_factory=dict)

    def row_for(self, interview_id: str | None, file: Path, root: Path) -> SheetRow | None:
        """The row whose `id` is the interview's id or whose `file` names its file."""
        names = {file.name.casefold(), file.stem.casefold()}
        if root.is_dir() and file.is_relative_to(root):
            names.add(file.relative_to(root).as_posix().casefold())
        for row in self.rows:
            if interview_id is not None and row.id is not None and row.id == interview_id:
                return row
        for row in self.rows:
            if row.file is not None and row.file.casefold() in names:
                return row
        if interview_id is None:
            for row in self.rows:
                if row.id is not None and row.id.casefold() == file.stem.casefold():
                    return row
        return None

    def where(self, row: SheetRow) -> Where:
        return Where(self.path, row.line)


def find_sheet(root: Path) -> Path | None:
    """The metadata sheet in a corpus folder, if there is one."""
    if not root.is_dir():
        return None
    found = [root / name for name in SHEET_NAMES if (root / name).is_file()]
    if len(found) > 1:
        raise CorpusError(
            "has both interviews.csv and interviews.xlsx",
            where=Where(root),
            fix="Keep one metadata sheet, or name one with --metadata",
        )
    return found[0] if found else None


def load_metadata_sheet(path: Path) -> MetadataSheet:
    """Read a metadata sheet (`.csv` in any common encoding and delimiter, or `.xlsx`).

    Raises MissingInputError when it is not there and CorpusError for a sheet without an
    `id`/`file` column, or two rows for one interview.
    """
    if not path.is_file():
        raise MissingInputError(
            f"metadata sheet '{path}' does not exist",
            fix="Give a .csv or .xlsx file with one row per interview",
        )
    if path.suffix.lower() == ".xlsx":
        header, records, speakers = _read_xlsx(path)
    elif path.suffix.lower() == ".csv":
        header, records = _read_csv(path)
        speakers = {}
    else:
        raise CorpusError(
            f"metadata sheet has suffix '{path.suffix}'",
            where=Where(path),
            fix="Save it as .csv or .xlsx",
        )
    # "Municipality" and "GROUP" are the required columns too: spreadsheets capitalise headers.
    header = [h.casefold() if h.casefold() in REQUIRED_METADATA else h for h in header]
    return MetadataSheet(path, _rows(path, header, records), speakers)


def load_corpus_file(path: Path) -> dict[str, Role]:
    """The `speakers:` roles of a corpus.yaml (labels casefolded)."""
    return parse_speakers(_corpus_file(path).get("speakers"), Where(path))


def load_corpus_design(path: Path) -> Design | None:
    """The `design:` of a corpus.yaml (the two attributes the main tables cross), if any."""
    data = _corpus_file(path)
    return Design.from_data(data["design"], Where(path)) if "design" in data else None


def _corpus_file(path: Path) -> dict[str, Any]:
    data = load_yaml(
        read_decoded(path).text,
        path,
        first_line=1,
        what="corpus.yaml",
        fix="Write 'speakers:' and then one indented 'LABEL: interviewer' per line",
    )
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise CorpusError(
            "is not a mapping",
            where=Where(path, 1),
            fix="Write 'speakers:' and then one indented 'LABEL: interviewer' per line",
        )
    unknown = sorted(str(k) for k in data if k not in ("speakers", "design"))
    if unknown:
        raise CorpusError(
            f"unknown key '{unknown[0]}'",
            where=Where(path),
            fix="corpus.yaml takes only 'speakers:' and 'design:'",
        )
    return data


def same_value(a: Any, b: Any) -> bool:
    """Whether a front-matter value and a sheet cell agree (`34` = `"34"`, `true` = `TRUE`)."""
    return _comparable(a) == _comparable(b)


def _comparable(value: Any) -> str:
    value = plain_value(value)
    if isinstance(value, bool):
        return str(value).casefold()
    return str(value).strip().casefold()


def _rows(
    path: Path, header: list[str], records: list[tuple[int, list[Any]]]
) -> tuple[SheetRow, ...]:
    _check_header(path, header, records)
    keys = {name.casefold(): n for n, name in enumerate(header) if name}
    if "id" not in keys and "file" not in keys:
        raise CorpusError(
            "metadata sheet has no 'id' or 'file' column",
            where=Where(path, 1),
            fix="Name the column of interview ids 'id' (or of file names 'file') in the first row",
        )
    rows: list[SheetRow] = []
    first: dict[str, int] = {}
    for line, cells in records:
        cell = {
            name: plain_value(cells[n]) if n < len(cells) else ""
            for n, name in enumerate(header)
            if name
        }
        if all(v in ("", None) for v in cell.values()):
            continue
        by_key = {name.casefold(): value for name, value in cell.items()}
        row_id = str(by_key.get("id", "")).strip() or None
        file = str(by_key.get("file", "")).strip() or None
        if row_id is None and file is None:
            raise CorpusError(
                "row has neither an id nor a file name",
                where=Where(path, line),
                fix="Fill in its 'id' (or 'file') cell, or delete the row",
            )
        key = f"id '{row_id}'" if row_id else f"file '{file}'"
        if key in first:
            raise CorpusError(
                f"{key} has two rows (also row {first[key]})",
                where=Where(path, line),
                fix="Merge the two rows into one",
            )
        first[key] = line
        speakers: dict[str, Role] = {}
        for role in ("interviewer", "informant"):
            speakers |= labels_with_role(by_key.get(role), role)
        values = {
            name: value
            for name, value in cell.items()
            if name.casefold() not in ("id", "file", "interviewer", "informant")
            and value not in ("", None)
        }
        rows.append(SheetRow(line, row_id, file, values, speakers))
    return tuple(rows)


def _check_header(path: Path, header: list[str], records: list[tuple[int, list[Any]]]) -> None:
    """CorpusError for two columns of one name, or a column with values but no name."""
    seen: dict[str, int] = {}
    for n, name in enumerate(header):
        column = _column_name(n)
        if not name:
            filled = next((line for line, cells in records
                           if n < len(cells) and cells[n] not in ("", None)), None)  # fmt: skip
            if filled is not None:
                raise CorpusError(
                    f"column {column} has values (e.g. on row {filled}) but no name in the "
                    "header row",
                    where=Where(path, 1),
                    fix="Write the attribute's name in the first row, or delete the column",
                )
            continue
        key = name.casefold()
        if key in seen:
            raise CorpusError(
                f"columns {_column_name(seen[key])} and {column} are both named '{name}'",
                where=Where(path, 1),
                fix="Give each column its own name, or merge the two",
            )
        seen[key] = n


def _column_name(index: int) -> str:
    """0 → 'A', 26 → 'AA': columns as spreadsheets name them."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(ord("A") + rest) + name
    return name


def _read_csv(path: Path) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    text = read_decoded(path).text
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(text.splitlines(), dialect)
    lines = []
    try:
        lines.extend(reader)
    except csv.Error as exc:
        raise CorpusError(
            f"cannot be read as CSV ({exc}); often a quote '\"' that is never closed",
            where=Where(path, reader.line_num),
            fix="Close the quote on that row, or keep long texts out of the metadata sheet",
        ) from exc
    if not lines:
        raise CorpusError("metadata sheet is empty", where=Where(path),
                          fix="Write a header row with 'id' and the attribute names")  # fmt: skip
    header = [h.strip() for h in lines[0]]
    return header, [(n, [c.strip() for c in row]) for n, row in enumerate(lines[1:], start=2)]


def _read_xlsx(
    path: Path,
) -> tuple[list[str], list[tuple[int, list[Any]]], dict[str, Role]]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise CorpusError(
            f"is not a readable .xlsx workbook ({type(exc).__name__})",
            where=Where(path),
            fix="Open it in Excel and save it again as .xlsx",
        ) from exc
    try:
        names = {name.casefold(): name for name in book.sheetnames}
        main = names.get("interviews") or next(
            n for n in book.sheetnames if n.casefold() != "speakers"
        )
        records = [list(r) for r in book[main].iter_rows(values_only=True)]
        if any(c is None for r in records for c in r):
            _check_formulas(path, main)
        speakers: dict[str, Role] = {}
        if "speakers" in names:
            speakers = _speakers_sheet(
                path, [list(r) for r in book[names["speakers"]].iter_rows(values_only=True)]
            )
    finally:
        book.close()
    if not records:
        raise CorpusError("metadata sheet is empty", where=Where(path),
                          fix="Write a header row with 'id' and the attribute names")  # fmt: skip
    header = [str(h).strip() if h is not None else "" for h in records[0]]
    body = [
        (n, [c.strip() if isinstance(c, str) else c for c in row])
        for n, row in enumerate(records[1:], start=2)
    ]
    return header, body, speakers


def _check_formulas(path: Path, sheet: str) -> None:
    """CorpusError for a formula cell without a saved value (openpyxl reads it as empty)."""
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    try:
        values = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            for row, cached in zip(
                book[sheet].iter_rows(), values[sheet].iter_rows(values_only=True), strict=False
            ):
                for cell, value in zip(row, cached, strict=False):
                    if value is None and isinstance(cell.value, str) and cell.value.startswith("="):
                        raise CorpusError(
                            f"cell {cell.coordinate} of sheet '{sheet}' holds a formula "
                            f"({cell.value[:40]}) with no saved value, so it would read as empty",
                            where=Where(path, cell.row),
                            fix="Open the file in Excel or LibreOffice and save it again (that "
                            "stores the values), or type the values in",
                        )
        finally:
            values.close()
    finally:
        book.close()


def _speakers_sheet(path: Path, records: list[list[Any]]) -> dict[str, Role]:
    header = (
        [str(h).strip().casefold() if h is not None else "" for h in records[0]] if records else []
    )
    if "label" not in header or "role" not in header:
        raise CorpusError(
            "sheet 'speakers' needs the columns 'label' and 'role'",
            where=Where(path),
            fix="Write 'label' and 'role' in its first row",
        )
    label_at, role_at = header.index("label"), header.index("role")
    roles: dict[str, Role] = {}
    for n, row in enumerate(records[1:], start=2):
        label = row[label_at] if label_at < len(row) else None
        if label in (None, ""):
            continue
        where = Where(f"{path} (sheet speakers)", n)
        roles[str(label).strip().casefold()] = parse_role(
            row[role_at] if role_at < len(row) else "", str(label), where
        )
    return roles
