"""The review file: every replacement and every candidate below the threshold, one row each,
with an `action` column the researcher edits (accept, reject, or a replacement text).

A row points at one occurrence by file, line and column of the text-format copy (the same
as the input's for .txt/.md) and its original text. `reject` keeps that one occurrence as it
is; `accept` replaces it (for a candidate below the threshold too); any other text becomes the
pseudonym of that original everywhere, and in the key.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from mimres_cli.anonymize.kinds import KINDS
from mimres_cli.anonymize.tables import read_rows
from mimres_cli.errors import CorpusError, Where


class ReviewFileError(CorpusError):
    """A review file that cannot be used, or that does not match the corpus."""

    default_code = "E111"


REVIEW_COLUMNS = (
    "file",
    "line",
    "column",
    "original",
    "replacement",
    "kind",
    "method",
    "confidence",
    "context",
    "action",
)


@dataclass(frozen=True)
class ReviewRow:
    file: str
    line: int
    column: int
    original: str
    replacement: str
    kind: str
    method: str
    confidence: float
    context: str
    action: str


@dataclass(frozen=True)
class Decision:
    """What a reviewer decided for one occurrence."""

    file: str
    line: int
    column: int
    original: str
    kind: str
    action: str  # accept, reject or replace
    replacement: str | None = None  # the reviewer's text, for replace


def review_csv(rows: list[ReviewRow]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(REVIEW_COLUMNS)
    for row in rows:
        writer.writerow(
            [
                row.file,
                row.line,
                row.column,
                row.original,
                row.replacement,
                row.kind,
                row.method,
                f"{row.confidence:.2f}",
                row.context,
                row.action,
            ]
        )
    return buffer.getvalue()


def read_review(path: Path) -> dict[tuple[str, int, int, str], Decision]:
    """The decisions of a review file, by (file, line, column, original).

    Raises CorpusError for a file without the columns, a row without a whole line number, an
    empty action, or two different replacement texts for one original.
    """
    needed = ("file", "line", "column", "original", "kind", "action")
    rows = read_rows(path, needed, "review file", "Give the CSV file written by --review", "E111")
    decisions: dict[tuple[str, int, int, str], Decision] = {}
    texts: dict[str, tuple[str, int]] = {}
    for number, row in rows:
        where = Where(path, number)
        try:
            line, column = int(row["line"]), int(row["column"])
        except (TypeError, ValueError):
            raise ReviewFileError(
                "'line' and 'column' must be whole numbers",
                where=where,
                fix="Keep these cells as --review wrote them",
            ) from None
        action = (row["action"] or "").strip()
        original, kind = row["original"] or "", (row["kind"] or "").strip()
        if not action:
            raise ReviewFileError(
                f"empty action for '{original}'",
                where=where,
                fix="Write accept, reject or the replacement text",
            )
        if kind not in KINDS:
            raise ReviewFileError(
                f"unknown kind '{kind}'", where=where, fix=f"Use one of {', '.join(KINDS)}"
            )
        replacement = None
        if action.casefold() not in ("accept", "reject"):
            replacement = action
            earlier = texts.setdefault(original, (action, number))
            if earlier[0] != action:
                raise ReviewFileError(
                    f"'{original}' is given two replacements, '{earlier[0]}' (row {earlier[1]}) "
                    f"and '{action}'",
                    where=where,
                    fix="An original has one pseudonym: write the same text in both rows",
                )
            action = "replace"
        decisions[(row["file"] or "", line, column, original)] = Decision(
            row["file"] or "", line, column, original, kind, action.casefold(), replacement
        )
    return decisions
