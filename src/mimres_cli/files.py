"""Writing files without ever leaving a half-written one behind, and tables as stable CSV.

The one atomic-write helper of mimres: every stage that writes files uses it. This module
imports nothing from mimres_cli but `errors` and `safety`, so every stage may use it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mimres_cli.errors import OutputError
from mimres_cli.safety import check_targets

if TYPE_CHECKING:
    import pandas as pd

#: Floats are written with a fixed format so that reruns are byte-identical.
FLOAT_FORMAT = "%.4f"


def table_to_csv(table: pd.DataFrame) -> str:
    """A table as CSV text: UTF-8, `\\n` line endings, fixed float format, no index."""
    return table.to_csv(index=False, lineterminator="\n", float_format=FLOAT_FORMAT)


def write_table_csv(table: pd.DataFrame, path: Path) -> None:
    """Write `table` to `path` as `table_to_csv` would, byte for byte, in chunks: the CSV text
    of a big table is never held in memory whole."""
    with Path(path).open("w", encoding="utf-8", newline="") as stream:
        table.to_csv(stream, index=False, lineterminator="\n", float_format=FLOAT_FORMAT)


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write `data` (str: as UTF-8) to `path` via a temporary file beside it, then rename.

    Readers see the old file or the new one, never a part. Raises OSError (and leaves no
    temporary file behind) when the folder cannot be written: for callers that go on without
    the file (the parse cache) or report the failure their own way (the project file).
    """
    handle, temporary = tempfile.mkstemp(prefix=".mimres-", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data.encode("utf-8") if isinstance(data, str) else data)
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_text_atomic(path: Path | str, text: str) -> None:
    """Write `text` to `path` through a temporary file in the same folder, then rename."""
    path = Path(path)
    write_files_atomic(path.parent, {path.name: lambda target: target.write_text(text, "utf-8")})


def write_files_atomic(
    folder: Path, writers: Mapping[str, Callable[[Path], Any]], *, inside_corpus: bool = False
) -> list[Path]:
    """Create every file in `folder` only when all of them could be written.

    Each writer gets a temporary path to write to. Files appear in `folder` only after every
    writer has succeeded, each by an atomic rename, so a failure leaves `folder` as it was.
    No file replaces an input in use, and nothing goes inside a corpus folder in use unless
    `inside_corpus` (see `safety.check_targets`).
    """
    with staged_files(folder, list(writers), inside_corpus=inside_corpus) as staging:
        for name, writer in writers.items():
            writer(staging / name)
    return [folder / name for name in writers]


#: The temporary folders `staged_files` is writing now, each with the results folder it made
#: (None when that folder was there before), for `remove_unfinished`.
_UNFINISHED: dict[Path, Path | None] = {}


def remove_unfinished() -> None:
    """Remove the temporary folders being written now (and the folders made for them), for a
    process that is ending at once (on SIGTERM) and so runs no `finally`: what it was writing
    is left as it was before."""
    for staging, made in list(_UNFINISHED.items()):
        shutil.rmtree(staging, ignore_errors=True)
        if made is not None:
            shutil.rmtree(made, ignore_errors=True)


@contextmanager
def staged_files(
    folder: Path, names: Sequence[str], *, inside_corpus: bool = False
) -> Iterator[Path]:
    """A temporary folder inside `folder` to write the files `names` into, bit by bit, while
    the block runs; when it ends without an error every file is moved into `folder` (each by
    an atomic rename), else none is and `folder` is left as it was.

    The files may be written as the data comes (`write_files_atomic` writes each at once), so
    the whole of a big table need never be in memory. Checked as `write_files_atomic` is.
    """
    check_targets(folder, names, inside_corpus=inside_corpus)
    created = not folder.exists()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".mimres-", dir=folder))
    except OSError as exc:
        raise OutputError(f"cannot write to '{folder}' ({exc.strerror})",
                          fix="Choose a folder you can write to with --out") from exc  # fmt: skip
    _UNFINISHED[staging] = folder if created else None
    try:
        yield staging
        for name in names:
            (staging / name).replace(folder / name)
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
        _UNFINISHED.pop(staging, None)
        shutil.rmtree(staging, ignore_errors=True)
