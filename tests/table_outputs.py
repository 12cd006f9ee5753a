"""Read back what a table command wrote, in any format, as {table name: DataFrame}.

Every table command writes through the one writer registry (export/formats.py), so one reader
serves the tests of all of them: CSV and TSV stack several tables with a leading `table`
column, JSON keeps them under "tables" (one table alone: "rows"), Markdown has one `## name`
section each, XLSX one sheet each (and a provenance sheet).
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pandas as pd

#: The formats and the suffix `-o` infers each from.
SUFFIX_OF = {"csv": ".csv", "tsv": ".tsv", "json": ".json", "markdown": ".md", "xlsx": ".xlsx"}


def read_tables(data: str | Path, fmt: str) -> dict[str, pd.DataFrame]:
    """The tables in `data` (the text written, or the file), all cells as strings."""
    if fmt == "xlsx":
        sheets = pd.read_excel(data, sheet_name=None, dtype=str, keep_default_na=False)
        return {name: sheet for name, sheet in sheets.items() if name != "provenance"}
    text = data.read_text(encoding="utf-8") if isinstance(data, Path) else data
    if fmt in ("csv", "tsv"):
        table = pd.read_csv(io.StringIO(text), sep="," if fmt == "csv" else "\t", dtype=str,
                            keep_default_na=False)  # fmt: skip
        if "table" not in table.columns:
            return {"": table}
        return {
            str(name): part.drop(columns="table").loc[:, lambda t: (t != "").any()]
            for name, part in table.groupby("table", sort=False)
        }
    if fmt == "json":
        loaded = json.loads(text)
        found = loaded["tables"] if "tables" in loaded else {"": loaded["rows"]}
        return {name: pd.DataFrame(rows).astype(str) for name, rows in found.items()}
    assert fmt == "markdown", fmt
    return _markdown_tables(text)


def _markdown_tables(text: str) -> dict[str, pd.DataFrame]:
    tables: dict[str, pd.DataFrame] = {}
    name = ""
    lines = text.splitlines()
    n = 0
    while n < len(lines):
        line = lines[n]
        if line.startswith("## "):
            name = line[3:]
        elif line.startswith("| "):
            block = []
            while n < len(lines) and lines[n].startswith("| "):
                block.append(lines[n])
                n += 1
            header, _, *rows = ([c.strip().replace("\\|", "|") for c in
                                 re.split(r"(?<!\\)\|", row)[1:-1]] for row in block)  # fmt: skip
            tables[name] = pd.DataFrame(rows, columns=header)
            continue
        n += 1
    return tables
