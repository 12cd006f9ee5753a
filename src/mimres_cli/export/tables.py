"""Write result tables to files without ever leaving a half-written output behind."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

# The atomic writers live in the bottom layer (`mimres_cli.files`) so every stage can use them.
from mimres_cli.files import FLOAT_FORMAT, table_to_csv, write_files_atomic, write_text_atomic

__all__ = ["FLOAT_FORMAT", "table_to_csv", "write_files_atomic", "write_tables",
           "write_text_atomic"]  # fmt: skip


def write_tables(
    folder: Path,
    tables: Mapping[str, pd.DataFrame],
    manifest: Mapping[str, Any] | None = None,
    *,
    sidecar: Mapping[str, Any] | None = None,
) -> list[Path]:
    """Write each table as `<name>.csv` (and `manifest.json`) into `folder`, all or nothing.

    `sidecar` (provenance fields) is written beside each CSV as `<name>.csv.provenance.json`.
    """
    writers: dict[str, Callable[[Path], Any]] = {
        f"{name}.csv": _csv_writer(table) for name, table in tables.items()
    }
    if sidecar is not None:
        text = json.dumps(sidecar, indent=2, ensure_ascii=False) + "\n"
        for name in tables:
            writers[f"{name}.csv.provenance.json"] = lambda target: target.write_text(
                text, encoding="utf-8"
            )
    if manifest is not None:
        text = json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
        writers["manifest.json"] = lambda target: target.write_text(text, encoding="utf-8")
    return write_files_atomic(folder, writers)


def _csv_writer(table: pd.DataFrame) -> Callable[[Path], Any]:
    text = table_to_csv(table)
    return lambda target: target.write_text(text, encoding="utf-8")
