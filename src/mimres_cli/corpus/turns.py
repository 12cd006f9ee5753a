"""Split an interview body into speaker turns (`Label: text`), keeping character offsets."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from mimres_cli.corpus.model import Role, Turn

#: Labels that mark the interviewer's turns, compared case-insensitively.
DEFAULT_INTERVIEWER_LABELS = frozenset({"i", "int", "intervjuer", "intervjuar", "interviewer"})

# A label starts a line: a letter, then up to 39 letters, digits, spaces, "_", "-" or ".".
# Transcribers often put a time code before it ("[00:12:33] I: ...") and Markdown files may set
# it in bold ("**I:**", "**I**:"): both stay outside the turn's text, and the time code gives the
# turn its start time.
_LABEL_LINE = re.compile(
    r"^[ \t]*(?:[\[(](?P<time>\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?)[\])][ \t]*)?"
    r"(?:\*\*|__)?(?P<label>[^\W\d_][\w .\-]{0,39}?)(?:\*\*|__)?[ \t]*:(?:\*\*|__)?(?=\s|$)",
    re.MULTILINE,
)


def find_labels(body: str) -> list[re.Match[str]]:
    """Label matches that really start a turn.

    A label of one or two words ("Informant", "Daglig leder") always counts. A longer one counts
    only when it starts at least two lines, so that a sentence such as "Det var sånn: ..." at
    the start of a continuation line stays inside its turn.
    """
    matches = list(_LABEL_LINE.finditer(body))
    seen = Counter(m["label"].strip() for m in matches)
    return [m for m in matches if len(m["label"].split()) <= 2 or seen[m["label"].strip()] > 1]


def role_of(label: str, interviewer_labels: Iterable[str] = ()) -> Role:
    """The role of a speaker label: interviewer for the default or listed labels, else informant."""
    wanted = DEFAULT_INTERVIEWER_LABELS | {x.strip().casefold() for x in interviewer_labels}
    return "interviewer" if label.strip().casefold() in wanted else "informant"


def parse_turns(body: str, interviewer_labels: Iterable[str] = ()) -> tuple[Turn, ...]:
    """Split `body` into turns; text before the first label is not part of any turn."""
    labels = find_labels(body)
    turns: list[Turn] = []
    for index, match in enumerate(labels):
        stop = labels[index + 1].start() if index + 1 < len(labels) else len(body)
        start, end = strip_span(body, match.end(), stop)
        label = match["label"].strip()
        turns.append(
            Turn(
                index=index,
                speaker=label,
                role=role_of(label, interviewer_labels),
                start=start,
                end=end,
                text=body[start:end],
                start_time=time_code_seconds(match["time"]),
            )
        )
    return tuple(turns)


def time_code_seconds(code: str | None) -> float | None:
    """Seconds of a time code such as "00:12:33", "12:33" or "00:12:33.5"; None for None."""
    if not code:
        return None
    seconds = 0.0
    for part in code.replace(",", ".").split(":"):
        seconds = seconds * 60 + float(part)
    return seconds


def strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Narrow [start, end) so that it neither starts nor ends with white space."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
