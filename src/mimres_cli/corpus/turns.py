"""Split an interview body into speaker turns (`Label: text`), keeping character offsets."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable

from mimres_cli.corpus.model import Role, Turn

#: Labels that mark the interviewer's turns, compared case-insensitively.
DEFAULT_INTERVIEWER_LABELS = frozenset({"i", "int", "intervjuer", "intervjuar", "interviewer"})

# A label starts a line: a letter, then up to 49 letters, digits, spaces, "_", "-", "." or
# apostrophes ("Dr. Ø'Brien", "Statsråd Valgerd Svarstad Haugland"). Transcribers often put a time
# code before it ("[00:12:33] I: ...") and Markdown files may set it in bold ("**I:**",
# "**I**:"): both stay outside the turn's text, and the time code gives the turn its start time.
LABEL_LINE = re.compile(
    r"^[ \t]*(?:[\[(](?P<time>\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?)[\])][ \t]*)?"
    r"(?:\*\*|__)?(?P<label>[^\W\d_][\w .'’\-]{0,49}?)(?:\*\*|__)?[ \t]*:(?:\*\*|__)?(?=\s|$)",
    re.MULTILINE,
)

#: Small words a name or title may have between its capitalised words ("Leder av NAV Sel",
#: "Ludwig van Beethoven").
NAME_PARTICLES = frozenset(
    {"i", "av", "for", "fra", "til", "på", "og", "van", "von", "der", "den", "de", "da", "di",
     "du", "la", "le", "af", "bin", "ibn", "al", "el"}
)  # fmt: skip


def label_key(label: str) -> str:
    """How labels are compared: white space collapsed, case ignored."""
    return " ".join(label.split()).casefold()


def looks_like_name(label: str) -> bool:
    """Whether a label reads as a name or title: its words capitalised, but for particles.

    "Statsråd Valgerd Svarstad Haugland" and "Ine M. Eriksen Søreide" do; "Det var slik" (a
    sentence that happens to end in a colon) does not.
    """
    words = label.split()
    if not words or not words[0][0].isupper() or not words[-1][0].isupper():
        return False
    return all(w[0].isupper() or w.casefold() in NAME_PARTICLES for w in words)


def is_label(label: str, seen: Counter[str], declared: Collection[str] = ()) -> bool:
    """Whether a `Label:` at the start of a line really starts a turn (see `find_labels`)."""
    key = label_key(label)
    return len(label.split()) <= 2 or key in declared or seen[key] > 1 or looks_like_name(label)


def find_labels(body: str, known: Iterable[str] = ()) -> list[re.Match[str]]:
    """Label matches that really start a turn.

    A label of one or two words ("Informant", "Daglig leder", "Dr. Ø'Brien") always counts, and
    so does a label declared for the interview or corpus (`known`: front matter `speaker`,
    `participants`, `interviewer`, `informant`, `speakers`, corpus.yaml, the metadata sheet).
    A longer one counts when it reads as a name or title ("Statsråd Kari Nordmann") or starts
    at least two lines, so that a sentence such as "Det var sånn: ..." at the start of a
    continuation line stays inside its turn.
    """
    matches = list(LABEL_LINE.finditer(body))
    declared = {label_key(k) for k in known}
    seen = Counter(label_key(m["label"]) for m in matches)
    return [m for m in matches if is_label(m["label"], seen, declared)]


def label_like_lines(body: str, known: Iterable[str] = ()) -> list[re.Match[str]]:
    """Lines that look like `Label:` but were read as text inside a turn (for `mimres corpus`)."""
    matches = list(LABEL_LINE.finditer(body))
    declared = {label_key(k) for k in known}
    seen = Counter(label_key(m["label"]) for m in matches)
    return [
        m for m in matches if m["label"][0].isupper() and not is_label(m["label"], seen, declared)
    ]


def role_of(label: str, interviewer_labels: Iterable[str] = ()) -> Role:
    """The role of a speaker label: interviewer for the default or listed labels, else informant."""
    wanted = DEFAULT_INTERVIEWER_LABELS | {x.strip().casefold() for x in interviewer_labels}
    return "interviewer" if label.strip().casefold() in wanted else "informant"


def parse_turns(
    body: str, interviewer_labels: Iterable[str] = (), known: Iterable[str] = ()
) -> tuple[Turn, ...]:
    """Split `body` into turns; text before the first label is not part of any turn.

    `known` lists labels declared for the interview (see `find_labels`).
    """
    labels = find_labels(body, known)
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
