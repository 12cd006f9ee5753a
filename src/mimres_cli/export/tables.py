"""A folder of CSV tables, written all or nothing (the atomic writing is in mimres_cli.files)."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from mimres_cli.files import table_to_csv, write_files_atomic
from mimres_cli.safety import escape_table


def write_csv_folder(
    folder: Path,
    tables: Mapping[str, pd.DataFrame],
    manifest: Mapping[str, Any] | None = None,
) -> list[Path]:
    """Write each table as `<name>.csv` (and `manifest.json`) into `folder`, all or nothing:
    a results folder. (One output file in a chosen format: export.formats.write_tables.)"""
    writers: dict[str, Callable[[Path], Any]] = {
        f"{name}.csv": _csv_writer(table) for name, table in tables.items()
    }
    if manifest is not None:
        text = json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
        writers["manifest.json"] = lambda target: target.write_text(text, encoding="utf-8")
    return write_files_atomic(folder, writers)


def _csv_writer(table: pd.DataFrame) -> Callable[[Path], Any]:
    text = table_to_csv(escape_table(table))  # no formulas (safety.escape_cell)
    return lambda target: target.write_text(text, encoding="utf-8")
