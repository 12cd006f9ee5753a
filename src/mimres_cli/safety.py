"""Output safety: an output never replaces an input, and a table cell never becomes a formula.

Inputs in use. Every reader registers what it reads (`use_input`: the corpus folder and its
transcripts, metadata sheets, corpus.yaml, codebooks, project files, codings files, the
files of a results folder). Every write goes through `files.write_files_atomic`, which calls
`check_targets`: a file that is an input in use is never replaced, and nothing is written
inside a corpus folder in use (its next read would take the output for a transcript or a
metadata sheet, or warn about it). `check_results_folder` adds the rules for `--out`: a
results folder is written only where mimres wrote before (the marker file
`.mimres-results.json`, like the parse cache's `mimres-cache.json`) or where nothing is,
unless `force`.

Formulas. Spreadsheet programs run a cell that starts with `=`, `+`, `-` or `@` (and, in some,
a tab or carriage return) as a formula: `=HYPERLINK(...)` in a transcript would become a live
link in the user's tables. `escape_cell` prefixes such text with `'`, the documented policy for
CSV and TSV; XLSX cells are written as text instead and
stripped of the control characters the format cannot hold (`xlsx_text`).

This module imports nothing from mimres_cli but `errors`, so every stage may use it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from mimres_cli.errors import OutputError, Where

if TYPE_CHECKING:
    import pandas as pd

InputKind = Literal[
    "corpus folder", "transcript", "metadata sheet", "corpus.yaml", "codebook", "project file",
    "codings file", "results file",
]  # fmt: skip

#: The marker file of a results folder: which files mimres wrote there.
RESULTS_MARKER = ".mimres-results.json"
RESULTS_FORMAT = 1
#: Files an earlier mimres (before the marker) wrote into a results folder.
_LEGACY_RESULT_FILES = frozenset(
    {"segments.csv", "findings.csv", "interviews.csv", "units.csv", "codes.csv", "manifest.json"}
)


_inputs: ContextVar[dict[Path, InputKind] | None] = ContextVar("mimres_inputs", default=None)


def use_input(path: Path | str, kind: InputKind) -> None:
    """Record that `path` is read as `kind`: no output of this session may replace it."""
    _registry().setdefault(_resolved(Path(path)), kind)


def inputs_in_use() -> dict[Path, InputKind]:
    """The inputs recorded since the last `forget_inputs` (the CLI forgets per command), by
    resolved path."""
    return dict(_registry())


def forget_inputs() -> None:
    """Start a new session: no input is in use."""
    _inputs.set({})


def _registry() -> dict[Path, InputKind]:
    found = _inputs.get()
    if found is None:
        found = {}
        _inputs.set(found)
    return found


def check_targets(folder: Path, names: Iterable[str], *, inside_corpus: bool = False) -> None:
    """OutputError (E506) when a file about to be written in `folder` is an input in use, or,
    unless `inside_corpus`, a file the next read of a corpus folder in use would take for a
    transcript, metadata sheet or corpus.yaml (see CORPUS_SUFFIXES, CORPUS_NAMES)."""
    root = _resolved(folder)
    registry = _registry()
    names = list(names)
    for name in names:
        kind = registry.get(root / name)
        if kind is not None and kind != "corpus folder":
            raise OutputError(
                f"would replace the {kind} '{Path(folder) / name}' that this command reads",
                where=Where(Path(folder) / name),
                fix="Write the output somewhere else: mimres never overwrites its inputs",
                code="E506",
            )
    corpus = None if inside_corpus else _corpus_around(root)
    if corpus is not None and names:
        raise OutputError(
            f"'{Path(folder) / names[0]}' is inside the corpus folder '{corpus}': the next read "
            f"of the corpus would {_what_corpus_reads(names[0])}",
            where=Where(Path(folder) / names[0]),
            fix="Write the output outside the corpus folder",
            code="E506",
        )


def check_results_folder(folder: Path, names: Iterable[str], *, force: bool = False) -> None:
    """OutputError unless `folder` may receive a results folder's files `names`.

    It may when it does not exist or is empty, or when mimres wrote it (its marker, or the
    manifest.json of an earlier version) and every file about to be replaced is one mimres
    wrote. `force` allows a folder of other files and a folder inside the corpus, but never
    replacing an input in use (`check_targets`).
    """
    names = list(names)
    corpus = None if force else _corpus_around(_resolved(folder))
    if corpus is not None:
        where = "is" if corpus == _resolved(folder) else "is inside"
        raise OutputError(
            f"'{folder}' {where} the corpus folder '{corpus}': the next read of the corpus would "
            "take the results for transcripts and a metadata sheet",
            where=Where(folder),
            fix="Give a results folder outside the corpus folder with --out (or add --force)",
            code="E506",
        )
    check_targets(folder, names, inside_corpus=force)
    if force or not folder.is_dir():
        return
    present = {p.name for p in folder.iterdir() if not p.name.startswith(".mimres-")}
    if not present and not (folder / RESULTS_MARKER).exists():
        return
    ours = _written_by_mimres(folder)
    if ours is None:
        raise OutputError(
            f"'{folder}' holds files mimres did not write ({_some(present)}), and is no results "
            "folder",
            where=Where(folder),
            fix="Give a new or empty folder with --out, or add --force to write into it anyway "
            "(files of the same names are replaced)",
            code="E507",
        )
    foreign = sorted(name for name in names if name in present and name not in ours)
    if foreign:
        raise OutputError(
            f"would replace {_some(set(foreign))} in '{folder}', which mimres did not write",
            where=Where(folder / foreign[0]),
            fix="Move the file away, give another folder with --out, or add --force",
            code="E507",
        )


def results_marker(folder: Path, names: Iterable[str], version: str) -> str:
    """The text of the marker file of a results folder about to receive `names`: those and
    the files mimres wrote there before that are still there."""
    before = {name for name in _written_by_mimres(folder) or () if (folder / name).is_file()}
    record = {"format": RESULTS_FORMAT, "written_by": f"mimres-cli {version}",
              "files": sorted((before | set(names)) - {RESULTS_MARKER})}  # fmt: skip
    return json.dumps(record, indent=2) + "\n"


def _written_by_mimres(folder: Path) -> set[str] | None:
    """The names of the files mimres wrote into `folder`, or None when it is no results folder."""
    marker = folder / RESULTS_MARKER
    if marker.is_file():
        try:
            record = json.loads(marker.read_text(encoding="utf-8"))
            return {str(name) for name in record["files"]} | {RESULTS_MARKER}
        except (OSError, ValueError, KeyError, TypeError):
            return None
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        written = (
            isinstance(manifest, dict) and manifest.get("tool", {}).get("name") == "mimres-cli"
        )
    except (OSError, ValueError, AttributeError):
        return None
    return set(_LEGACY_RESULT_FILES) if written else None


#: What a corpus reader reads in a corpus folder (corpus/readers.py READERS, metadata.py
#: SHEET_NAMES and CORPUS_FILE; tests/reliability/test_guarantees.py keeps them in step).
#: Any other file there is warned about on every read (W104).
CORPUS_SUFFIXES = (".txt", ".md", ".docx", ".vtt", ".srt")
CORPUS_NAMES = ("interviews.csv", "interviews.xlsx", "corpus.yaml")


def _what_corpus_reads(name: str) -> str:
    if Path(name).suffix.lower() in CORPUS_SUFFIXES:
        return "take it for a transcript"
    if name.lower() in CORPUS_NAMES:
        return "take it for its metadata"
    return "warn about it as a file that is no transcript"


def _corpus_around(path: Path) -> Path | None:
    registry = _registry()
    for folder in (path, *path.parents):
        if registry.get(folder) == "corpus folder":
            return folder
    return None


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a symlink loop
        return path.absolute()


def _some(names: set[str]) -> str:
    shown = sorted(names)[:3]
    return ", ".join(shown) + (f" and {len(names) - 3} more" if len(names) > 3 else "")


# --------------------------------------------------------------------------- formulas

#: What a spreadsheet program may read as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_ESCAPED = re.compile(r"'+[=+\-@\t\r]")
#: Characters an XLSX file cannot hold (openpyxl's ILLEGAL_CHARACTERS_RE: C0 controls but
#: tab, line feed and carriage return).
_ILLEGAL_XLSX = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
#: What an illegal character becomes in XLSX.
XLSX_REPLACEMENT = "\ufffd"


def escape_cell(value: Any) -> Any:
    """`value` as a CSV/TSV cell that no spreadsheet program runs: text that starts with a
    formula character, or with quotes and then one, gets one more leading `'`.

    Numbers and other values stay as they are. Removing one leading `'` from a text that
    starts with quotes and a formula character gives the value back exactly.
    """
    if isinstance(value, str) and value and (value.startswith(FORMULA_STARTS)
                                             or _ESCAPED.match(value)):  # fmt: skip
        return "'" + value
    return value


_raw_csv: ContextVar[bool] = ContextVar("mimres_raw_csv", default=False)


def set_raw_csv(raw: bool) -> None:
    """Write CSV and TSV cells as they are (`mimres --raw-csv`), or escaped (the default)."""
    _raw_csv.set(raw)


def escape_table(table: pd.DataFrame, raw: bool | None = None) -> pd.DataFrame:
    """`table` with `escape_cell` applied to its text cells and column names, for CSV/TSV.

    `raw` (default: `set_raw_csv`'s choice) returns the table as it is.
    """
    if _raw_csv.get() if raw is None else raw:
        return table
    names = [escape_cell(name) if isinstance(name, str) else name for name in table.columns]
    escaped = table.set_axis(names, axis=1) if names != list(table.columns) else table
    for n, (_, values) in enumerate(escaped.items()):
        if values.dtype.kind not in "OSU" and str(values.dtype) != "string":
            continue  # numbers stay numbers: -1 is no formula
        needs = [escape_cell(value) is not value for value in values]
        if any(needs):  # only then copy, so other cells keep their values and dtype
            escaped = escaped.copy() if escaped is table else escaped
            column = escaped.iloc[:, n].copy()
            column.loc[needs] = ["'" + v for v, need in zip(values, needs, strict=True) if need]
            escaped.isetitem(n, column)
    return escaped


def xlsx_cell(value: Any) -> Any:
    """A value as an XLSX cell holds it: text without the control characters XLSX cannot
    hold (see `xlsx_text`); other values as they are. Formulas: see `as_text_cells`."""
    return xlsx_text(value) if isinstance(value, str) else value


def as_text_cells(cells: Iterable[Any]) -> None:
    """Make openpyxl cells whose text starts like a formula plain text: no spreadsheet runs
    them (openpyxl would store `=...` as a formula)."""
    for cell in cells:
        if cell.data_type == "f":
            cell.data_type = "s"


def xlsx_text(value: str) -> str:
    """Text as an XLSX cell can hold it: the control characters it cannot are replaced."""
    return _ILLEGAL_XLSX.sub(XLSX_REPLACEMENT, value)
