"""Plain-text transcripts (format v1) and the pieces other readers share: front matter, turns."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from mimres_cli.corpus.hygiene import decode_text
from mimres_cli.corpus.marks import find_marks, overlaps_mark
from mimres_cli.corpus.model import Problem, Transcript, Turn
from mimres_cli.corpus.problems import problem
from mimres_cli.corpus.turns import find_labels, parse_turns, role_of, strip_span
from mimres_cli.errors import CorpusError, Where

#: Column names of the segments table that interview metadata may not take.
RESERVED_KEYS = frozenset(
    {
        "interview_id", "speaker", "role", "unit", "unit_index", "turn_index", "start", "end",
        "start_time", "end_time", "code", "theme", "label", "matched", "rule", "pattern",
        "negated", "words", "text", "codebook", "file", "format",
    }
)  # fmt: skip

#: Front-matter keys that give speaker roles for one interview rather than a metadata column.
ROLE_KEYS = ("interviewer", "informant", "speakers")

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<yaml>.*?\n)?---[ \t]*(?:\n|\Z)", re.DOTALL)
_TOP_LEVEL_KEY = re.compile(r"^(?P<key>[^\s#:][^:]*?)\s*:", re.MULTILINE)


def read_text_transcript(path: Path) -> Transcript:
    """Read a `.txt`/`.md` transcript: optional YAML front matter between `---` lines, then turns.

    Any common encoding is accepted (see `hygiene.decode_text`); the text is NFC with `\\n`.
    """
    decoded = decode_text(path.read_bytes())
    front, lines, body = split_front_matter(decoded.text, path)
    body_line = decoded.text.count("\n", 0, len(decoded.text) - len(body)) + 1
    return Transcript(
        path=path,
        format="text",
        body=body,
        turns=parse_turns(body),
        front_matter=front,
        front_matter_lines=lines,
        encoding=decoded.encoding,
        body_line=body_line,
        problems=unlabelled_start(body, Where(path, body_line)),
    )


def unlabelled_start(body: str, where: Where) -> tuple[Problem, ...]:
    """A warning when words come before the first speaker label: they belong to no turn."""
    labels = find_labels(body)
    head = body[: labels[0].start()] if labels else body
    marks = find_marks(head)
    words = [m for m in re.finditer(r"\w+", head) if not overlaps_mark(m.start(), m.end(), marks)]
    if not words or not labels:
        return ()  # no label at all is reported as an interview without informant turns
    return (
        problem(
            "no-speaker",
            f"{len(words)} word(s) before the first speaker label belong to no turn and are "
            "not coded",
            where,
            "Start the transcript with a speaker label such as 'Informant: '",
        ),
    )


def split_front_matter(text: str, path: Path) -> tuple[dict[str, Any] | None, dict[str, int], str]:
    """(front matter or None, the line of each key, body): the body follows the closing `---`."""
    match = _FRONT_MATTER.match(text)
    if match is None:
        return None, {}, text
    source = match["yaml"] or ""
    lines = {
        m["key"].strip(): source.count("\n", 0, m.start()) + 2
        for m in _TOP_LEVEL_KEY.finditer(source)
    }
    return parse_front_matter(source, path), lines, text[match.end() :]


def parse_front_matter(source: str, path: Path) -> dict[str, Any]:
    """Parse front matter: a mapping of attributes, plus the role keys kept as written.

    Which attributes are required is checked once metadata sheets are merged in (see load.py).
    """
    try:
        data = yaml.safe_load(source)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1  # +1 for 1-based, +1 for the '---' line
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise CorpusError(
            f"front matter is not valid YAML ({problem})",
            where=Where(path, line),
            fix="Write one 'key: value' per line between the '---' lines",
        ) from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise CorpusError(
            "front matter is not a list of 'key: value' lines",
            where=Where(path, 2),
            fix="Write one 'key: value' per line between the '---' lines",
        )
    # Role keys name speaker labels, so they stay as written; other values become table cells.
    metadata = {
        str(k).strip(): v if str(k).strip() in ROLE_KEYS else plain_value(v)
        for k, v in data.items()
    }
    for key in metadata:
        if key in RESERVED_KEYS:
            raise CorpusError(
                f"front matter key '{key}' is reserved for a column of the results",
                where=Where(path, 2),
                fix=f"Rename it, e.g. to 'interview_{key}'",
            )
    return metadata


def plain_value(value: Any) -> Any:
    """Metadata as table cells: dates as ISO text, lists joined, everything else unchanged."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return "; ".join(str(plain_value(x)) for x in value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if value is None:
        return ""
    return value


def turns_from_labels(
    body: str,
    labels: Sequence[tuple[str, int, int]],
    times: Sequence[tuple[float | None, float | None]] = (),
) -> tuple[Turn, ...]:
    """Turns from (label, where the label starts, where its text starts) in body order.

    A turn runs to the next label; its span is stripped of white space. `times` gives each
    turn's (start_time, end_time) in seconds where the source has them.
    """
    turns = []
    for index, (label, _, text_start) in enumerate(labels):
        stop = labels[index + 1][1] if index + 1 < len(labels) else len(body)
        start, end = strip_span(body, text_start, stop)
        start_time, end_time = times[index] if index < len(times) else (None, None)
        turns.append(
            Turn(
                index=index,
                speaker=label,
                role=role_of(label),
                start=start,
                end=end,
                text=body[start:end],
                start_time=start_time,
                end_time=end_time,
            )
        )
    return tuple(turns)
