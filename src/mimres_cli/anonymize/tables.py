"""Reading the CSV files this tool writes (key, review) back, with one-line errors."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from pathlib import Path

from mimres_cli.errors import CorpusError, Where


def read_rows(
    path: Path, needed: Sequence[str], what: str, fix: str, code: str
) -> Iterator[tuple[int, dict[str, str]]]:
    """(file line, row) of a CSV file with the `needed` columns. CorpusError (of `code`) for a
    file that cannot be read as UTF-8 or lacks a column; `what` names it, `fix` says where it
    comes from."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise CorpusError(
            f"cannot read the {what} ({exc.__class__.__name__})",
            where=Where(path),
            fix=fix,
            code=code,
        ) from exc
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in needed if c not in (reader.fieldnames or [])]
    if missing:
        raise CorpusError(
            f"the {what} has no column '{missing[0]}'",
            where=Where(path, 1),
            fix=f"Keep the columns {', '.join(needed)}",
            code=code,
        )
    for line, row in enumerate(reader, start=2):
        yield line, {k: v or "" for k, v in row.items() if k is not None}
