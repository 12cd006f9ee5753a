"""Transcription marks: pauses, overlaps, notes, time codes, fillers and truncated words.

Marks stay in the text and in every offset, but they are neither words in counts nor matches.
The conventions are listed in docs/formats.md.
"""

from __future__ import annotations

import re

FILLERS = ("e", "eh", "ehm", "em", "hm", "hmm", "mm", "mhm", "øh", "øhm")

_MARK_PATTERNS = [
    r"\[[^\[\]\n]{0,60}\]",  # [pause], [uhørbart], [00:12:33]
    r"\((?:\.+|…|(?-i:[a-zæøå][a-zæøå ]{0,30}))\)",  # (...), (.), (ler); not (NAV)
    r"#+",  # pauses
    r"\*",  # overlap
    # Fillers as whole words only: "em" must not hide in "emne".
    r"(?<![\w-])(?:" + "|".join(FILLERS) + r")(?![\w-])",
    # A truncated word ends in "-"; "arbeids- og velferdsetaten" is a compound ellipsis instead.
    r"(?<![\w-])\w+-(?=[\s,.!?]|$)(?!\s+(?:og|eller|enn|til)\b)",
]
_MARKS = re.compile("|".join(_MARK_PATTERNS), re.IGNORECASE)


def find_marks(text: str) -> list[tuple[int, int]]:
    """Return the (start, end) character spans of every transcription mark in `text`."""
    return [m.span() for m in _MARKS.finditer(text)]


def overlaps_mark(start: int, end: int, marks: list[tuple[int, int]]) -> bool:
    """True when the span [start, end) shares a character with any mark span."""
    return any(s < end and start < e for s, e in marks)


# Pause marks that end a sentence in a turn without sentence punctuation: `#`, `##`, `[pause]`
# (any bracketed note with "pause" in it), `(...)`, `(..)`, `(…)`, and a timed pause of a second
# or more, `(1.5)`. A micro-pause `(.)` does not.
_PAUSES = re.compile(
    r"#+|\[[^\[\]\n]{0,60}pause[^\[\]\n]{0,60}\]|\((?:\.{2,}|…)\)|\((?:[1-9]\d*(?:[.,]\d+)?)\)",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?…]")


def find_pauses(text: str) -> list[tuple[int, int]]:
    """The (start, end) spans of the pause marks in `text` that may end a sentence."""
    return [m.span() for m in _PAUSES.finditer(text)]


def has_sentence_punctuation(text: str) -> bool:
    """Whether `text` has `.`, `!`, `?` or `…` outside its transcription marks and pauses."""
    marks = find_marks(text) + find_pauses(text)
    return any(not overlaps_mark(m.start(), m.end(), marks) for m in _SENTENCE_END.finditer(text))
