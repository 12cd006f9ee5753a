"""Read a results folder (written by `mimres run --out` / `mimres code`) back into tables."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from mimres_cli.coding.apply import CODE_COLUMNS, CodingResult
from mimres_cli.coding.schema import INTERVIEW_COLUMNS, SEGMENT_COLUMNS, UNIT_COLUMNS
from mimres_cli.errors import MissingInputError, OutputError, Where

#: The files of a results folder; every later command reads these, never the transcripts.
RESULT_FILES = ("segments.csv", "units.csv", "interviews.csv", "codes.csv", "manifest.json")
_CODE_DTYPES = {"code": "string", "theme": "string", "label": "string", "parent": "string",
                "depth": "int64", "codebook": "string"}  # fmt: skip


def load_results(folder: Path) -> tuple[CodingResult, dict[str, Any]]:
    """The coding tables and the manifest of a results folder, with their documented dtypes."""
    if not folder.is_dir():
        raise MissingInputError(
            f"results folder '{folder}' does not exist",
            fix="Write one with 'mimres code ... --out FOLDER' or 'mimres run --out FOLDER'",
        )
    missing = [name for name in RESULT_FILES if not (folder / name).is_file()]
    if missing:
        raise MissingInputError(
            f"results folder '{folder}' lacks {', '.join(missing)}",
            fix="Write it again with 'mimres code ... --out FOLDER'",
        )
    result = CodingResult(
        segments=_read(folder / "segments.csv", SEGMENT_COLUMNS),
        units=_read(folder / "units.csv", UNIT_COLUMNS),
        interviews=_read(folder / "interviews.csv", INTERVIEW_COLUMNS),
        codes=_with_descriptions(_read(folder / "codes.csv", _CODE_DTYPES)),
    )
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return result, manifest


def _with_descriptions(codes: pd.DataFrame) -> pd.DataFrame:
    """codes.csv from before descriptions were written gets empty description columns."""
    for column in CODE_COLUMNS:
        if column not in codes.columns:
            codes[column] = ""
    return codes.fillna({"parent": ""})


def _read(path: Path, dtypes: dict[str, str]) -> pd.DataFrame:
    try:
        # Metadata columns stay text: "01" is an id, not the number 1.
        table = pd.read_csv(path, dtype="string", keep_default_na=False, na_values=[""])
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise OutputError(
            f"cannot read {path.name} ({exc})", where=Where(path), fix="Write the results again"
        ) from exc
    missing = [c for c in dtypes if c not in table.columns]
    if missing:
        raise OutputError(
            f"missing column(s) {', '.join(missing)}",
            where=Where(path),
            fix="Write the results folder again with this version of mimres",
        )
    for column, dtype in dtypes.items():
        if dtype == "boolean":
            table[column] = table[column].map({"True": True, "False": False}).astype("boolean")
        elif dtype != "string":
            table[column] = pd.to_numeric(table[column]).astype(dtype)
    for column in table.columns:
        if column not in dtypes:
            table[column] = table[column].fillna("")
    for column, dtype in dtypes.items():
        if dtype == "string":
            table[column] = table[column].fillna("")
    return table
