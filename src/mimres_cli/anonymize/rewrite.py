"""Choose among overlapping candidates and write the replacements into a text."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from mimres_cli.anonymize.detect import Candidate
from mimres_cli.anonymize.kinds import IDENTIFIER_KINDS

# Which method wins when two candidates cover exactly the same words.
_METHOD_RANK = (
    "speaker label",
    "metadata",
    "key",
    "known entity",
    "NER",
    "place list",
    "country list",
    "first-name list",
    "name lists",
    "surname list",
    "capitalised word",
)


def _rank(candidate: Candidate) -> int:
    for rank, prefix in enumerate(_METHOD_RANK):
        if candidate.method.startswith(prefix):
            return rank
    return len(_METHOD_RANK)


def resolve(candidates: Iterable[Candidate], threshold: float) -> list[Candidate]:
    """Non-overlapping candidates, in text order: the sure ones (at or above `threshold`)
    first, identifiers before names, then the longest, the most confident, the best method."""
    ordered = sorted(
        candidates,
        key=lambda c: (
            c.confidence < threshold,
            c.kind not in IDENTIFIER_KINDS,
            -(c.end - c.start),
            -c.confidence,
            _rank(c),
            c.start,
        ),
    )
    chosen: list[Candidate] = []
    for candidate in ordered:
        if not any(candidate.overlaps(other) for other in chosen):
            chosen.append(candidate)
    return sorted(chosen, key=lambda c: c.start)


@dataclass(frozen=True)
class Edit:
    """Replace text[start:end] with `text`; `keep` leaves it as it is (a rejected one)."""

    start: int
    end: int
    text: str
    keep: bool = False


def apply_edits(text: str, edits: Sequence[Edit]) -> tuple[str, list[int]]:
    """The text with the edits made (they must not overlap), and where each kept span starts
    in the new text, in the order of the kept edits."""
    parts: list[str] = []
    kept: list[int] = []
    position = 0
    length = 0
    for edit in sorted(edits, key=lambda e: e.start):
        parts.append(text[position : edit.start])
        length += edit.start - position
        new = text[edit.start : edit.end] if edit.keep else edit.text
        if edit.keep:
            kept.append(length)
        parts.append(new)
        length += len(new)
        position = edit.end
    parts.append(text[position:])
    return "".join(parts), kept


def line_and_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def context(text: str, start: int, end: int, width: int = 40) -> str:
    """The span in its surroundings, on one line, the span marked with ⟦ ⟧."""
    before = text[max(0, start - width) : start]
    after = text[end : end + width]
    return f"{before}⟦{text[start:end]}⟧{after}".replace("\n", " ⏎ ")
