"""Writing files without ever leaving a half-written one behind, and tables as stable CSV.

The one atomic-write helper of mimres: every stage that writes files uses it. This module
imports nothing from mimres_cli but `errors`, so every stage may use it.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mimres_cli.errors import OutputError

if TYPE_CHECKING:
    import pandas as pd

#: Floats are written with a fixed format so that reruns are byte-identical.
FLOAT_FORMAT = "%.4f"


def table_to_csv(table: pd.DataFrame) -> str:
    """A table as CSV text: UTF-8, `\\n` line endings, fixed float format, no index."""
    return table.to_csv(index=False, lineterminator="\n", float_format=FLOAT_FORMAT)


def write_text_atomic(path: Path | str, text: str) -> None:
    """Write `text` to `path` through a temporary file in the same folder, then rename."""
    path = Path(path)
    write_files_atomic(path.parent, {path.name: lambda target: target.write_text(text, "utf-8")})


def write_files_atomic(folder: Path, writers: Mapping[str, Callable[[Path], Any]]) -> list[Path]:
    """Create every file in `folder` only when all of them could be written.

    Each writer gets a temporary path to write to. Files appear in `folder` only after every
    writer has succeeded, each by an atomic rename, so a failure leaves `folder` as it was.
    """
    created = not folder.exists()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".mimres-", dir=folder))
    except OSError as exc:
        raise OutputError(f"cannot write to '{folder}' ({exc.strerror})",
                          fix="Choose a folder you can write to with --out") from exc  # fmt: skip
    try:
        for name, writer in writers.items():
            writer(staging / name)
        written = []
        for name in writers:
            (staging / name).replace(folder / name)
            written.append(folder / name)
        return written
    except BaseException as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if created:
            shutil.rmtree(folder, ignore_errors=True)
        if not isinstance(exc, OSError):
            raise
        raise OutputError(
            f"cannot write to '{folder}' ({exc.strerror})",
            fix="Check the free space and permissions of the folder",
        ) from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
