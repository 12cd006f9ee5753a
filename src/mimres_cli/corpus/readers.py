"""Readers turn one transcript file into an `Interview`; `READERS` maps file suffixes to them.

Adding a format is one new reader function and one entry in `READERS`.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from mimres_cli.corpus.model import Interview
from mimres_cli.corpus.turns import parse_turns
from mimres_cli.errors import CorpusError, Where

Reader = Callable[[Path], Interview]

#: Column names of the segments table that interview metadata may not take.
RESERVED_KEYS = frozenset(
    {
        "interview_id", "speaker", "role", "unit", "unit_index", "turn_index", "start", "end",
        "start_time", "end_time", "code", "theme", "label", "matched", "rule", "pattern",
        "negated", "words", "text", "codebook", "file", "format",
    }
)  # fmt: skip

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<yaml>.*?\n)?---[ \t]*(?:\n|\Z)", re.DOTALL)


def read_text_transcript(path: Path) -> Interview:
    """Read a transcript in format v1: YAML front matter between `---` lines, then turns."""
    text = normalise_text(decode_utf8(path))
    match = _FRONT_MATTER.match(text)
    if match is None:
        raise CorpusError(
            "no front matter",
            where=Where(path, 1),
            fix="Start the file with a '---' line, then 'id:', 'municipality:' and 'group:' "
            "lines, then a closing '---' line",
        )
    metadata = parse_front_matter(match["yaml"] or "", path)
    body = text[match.end() :]
    interviewer = metadata.pop("interviewer", [])
    labels = [interviewer] if isinstance(interviewer, str) else list(interviewer or [])
    return Interview(
        id=str(metadata.pop("id")),
        path=path,
        body=body,
        metadata=metadata,
        turns=parse_turns(body, labels),
        format="text",
    )


def decode_utf8(path: Path) -> str:
    """The file's text as UTF-8 (a byte-order mark is dropped)."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CorpusError(
            "is not UTF-8 text",
            where=Where(path, line),
            fix="Save it as UTF-8 (in Word: 'Plain text', encoding 'Unicode (UTF-8)')",
        ) from exc


def normalise_text(text: str) -> str:
    """NFC and `\\n` line endings, so offsets mean the same on every platform."""
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def parse_front_matter(source: str, path: Path) -> dict[str, Any]:
    """Parse and check front matter: a mapping with `id`, `municipality` and `group`."""
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
    if not isinstance(data, dict):
        raise CorpusError(
            "front matter is not a list of 'key: value' lines",
            where=Where(path, 2),
            fix="Write one 'key: value' per line between the '---' lines",
        )
    # `interviewer` names speaker labels, so it stays a list; other values become table cells.
    metadata = {
        str(k).strip(): v if str(k).strip() == "interviewer" else _plain_value(v)
        for k, v in data.items()
    }
    for key in ("id", "municipality", "group"):
        if metadata.get(key) in (None, ""):
            raise CorpusError(
                f"front matter has no '{key}'",
                where=Where(path, 2),
                fix=f"Add '{key}: <value>' between the '---' lines",
            )
    for key in metadata:
        if key in RESERVED_KEYS:
            raise CorpusError(
                f"front matter key '{key}' is reserved for a column of the results",
                where=Where(path, 2),
                fix=f"Rename it, e.g. to 'interview_{key}'",
            )
    return metadata


def _plain_value(value: Any) -> Any:
    """Metadata as table cells: dates as ISO text, lists joined, everything else unchanged."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return "; ".join(str(_plain_value(x)) for x in value)
    if value is None:
        return ""
    return value


READERS: dict[str, Reader] = {
    ".txt": read_text_transcript,
    ".md": read_text_transcript,
}
