"""Plain-text transcripts (format v1) and the pieces other readers share: front matter, turns."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import yaml

from mimres_cli.corpus.hygiene import Decoded, decode_text
from mimres_cli.corpus.marks import find_marks, overlaps_mark
from mimres_cli.corpus.model import Problem, Transcript, Turn
from mimres_cli.corpus.problems import problem, unreadable_file
from mimres_cli.corpus.speakers import declared_labels
from mimres_cli.corpus.turns import find_labels, parse_turns, role_of, strip_span
from mimres_cli.errors import CorpusError, Where
from mimres_cli.yaml_limits import ALIAS_FIX, FAST_LOADER, load_within, too_deep

#: Front-matter keys that give speaker roles for one interview rather than a metadata column.
ROLE_KEYS = ("interviewer", "informant", "speakers")

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<yaml>.*?\n)?---[ \t]*(?:\n|\Z)", re.DOTALL)
_OPENING = re.compile(r"\A---[ \t]*(?:\n|\Z)")

#: Limits on YAML in front matter and corpus.yaml: values after expanding aliases (`*name`),
#: and how deep mappings and lists may nest. Real front matter is far below both.
MAX_YAML_VALUES = 10_000
MAX_YAML_DEPTH = 50
#: Control characters (other than tab, line and page breaks) in a share of a file's
#: characters above which it is not text but binary data with a text file's name.
_BINARY_SHARE = 0.01
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_TOP_LEVEL_KEY = re.compile(r"^(?P<key>[^\s#:][^:]*?)\s*:", re.MULTILINE)


def read_text_transcript(
    path: Path, labels: Iterable[str] = (), *, data: bytes | None = None
) -> Transcript:
    """Read a `.txt`/`.md` transcript: optional YAML front matter between `---` lines, then turns.

    Any common encoding is accepted (see `hygiene.decode_text`); the text is NFC with `\\n`.
    `labels` are speaker labels declared for the whole corpus; the front matter may declare
    more (see `speakers.declared_labels`). `data`: the file's bytes, where already read.
    """
    decoded = read_decoded(path, binary_check=True, data=data)
    front, lines, body = split_front_matter(decoded.text, path)
    body_line = decoded.text.count("\n", 0, len(decoded.text) - len(body)) + 1
    return Transcript(
        path=path,
        format="text",
        body=body,
        turns=parse_turns(body, known=[*labels, *declared_labels(front or {})]),
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
        if _OPENING.match(text):
            raise CorpusError(
                "front matter opened by '---' on line 1 is never closed",
                where=Where(path, 1),
                fix="Add a line '---' after the last 'key: value' line, before the transcript",
            )
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
    fix = "Write one 'key: value' per line between the '---' lines"
    data = load_yaml(source, path, first_line=2, what="front matter", fix=fix)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise CorpusError(
            "front matter is not a list of 'key: value' lines",
            where=Where(path, 2),
            fix="Write one 'key: value' per line between the '---' lines",
        )
    # Role keys name speaker labels, so they stay as written; other values become table cells.
    metadata = {}
    for k, v in data.items():
        key = str(k).strip()
        if key not in ROLE_KEYS and _has_mapping(v):
            raise CorpusError(
                f"front matter '{key}' is a mapping ({_short(v)}), not a value",
                where=Where(path, _line_of(source, key)),
                fix=f"Give '{key}' one value ('{key}: Sel') or a list ('{key}: [a, b]')",
            )
        metadata[key] = v if key in ROLE_KEYS else plain_value(v)
    return metadata


def read_decoded(path: Path, *, binary_check: bool = False, data: bytes | None = None) -> Decoded:
    """A file's text (see `hygiene.decode_text`), or CorpusError for a file that is not text.

    Unreadable files (permissions), files that mix UTF-8 with another encoding (the first
    line that is not UTF-8 is named) and, with `binary_check`, binary data are errors.
    """
    try:
        data = path.read_bytes() if data is None else data
    except OSError as exc:
        raise CorpusError.collected([unreadable_file(path, exc)]) from exc
    mixed = _mixed_utf8(data)
    if mixed is not None:
        line, byte = mixed
        raise CorpusError(
            f"mixes encodings: most of it is UTF-8, but line {line} is not (byte 0x{byte:02X}, "
            "likely Windows-1252)",
            where=Where(path, line),
            fix="Save the file again as UTF-8 in one editor, checking that line",
        )
    decoded = decode_text(data)
    if binary_check and decoded.encoding not in ("utf-16", "utf-32"):
        controls = len(_CONTROL.findall(decoded.text))
        if controls and controls > _BINARY_SHARE * len(decoded.text):
            raise CorpusError(
                f"is not a text file ({controls} control characters in "
                f"{len(decoded.text)}): binary data with a '{path.suffix}' name",
                where=Where(path),
                fix="Save the transcript as plain text (.txt, .md) or give it its real suffix "
                "(.docx)",
            )
    return decoded


def _mixed_utf8(data: bytes) -> tuple[int, int] | None:
    """(line, first bad byte) when some lines are UTF-8 with non-ASCII and one is not UTF-8."""
    try:
        data.decode("utf-8")
        return None
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    head = data[:first_bad]
    rest_ok = False
    for line in data.split(b"\n"):
        if max(line, default=0) < 0x80:
            continue
        try:
            line.decode("utf-8")
            rest_ok = True
            break
        except UnicodeDecodeError:
            continue
    if not rest_ok or data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    return head.count(b"\n") + 1, data[first_bad]


def load_yaml(source: str, path: Path, *, first_line: int, what: str, fix: str) -> Any:
    """Parse YAML safely and within limits: CorpusError with the line for what cannot be read.

    Aliases (`*name`) may not expand to more than MAX_YAML_VALUES values (an "alias bomb"
    of 1 KB would otherwise expand to gigabytes), nesting may not be deeper than
    MAX_YAML_DEPTH, and an impossible date (`2024-13-45`) is an error, not a traceback.
    `first_line` is the file line of the source's first line.
    """
    _check_depth(source, path, first_line, what)

    def too_many(excess: str, node: yaml.Node) -> CorpusError:
        line = first_line + node.start_mark.line
        return CorpusError(f"{what} {excess}", where=Where(path, line), fix=ALIAS_FIX)

    try:
        return load_within(source, (_FastLoader, _Loader), MAX_YAML_VALUES, too_many)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + first_line if mark is not None else first_line
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise CorpusError(
            f"{what} is not valid YAML ({problem})", where=Where(path, line), fix=fix
        ) from exc
    except _BadDateError as exc:
        raise CorpusError(
            f"{what} has '{exc.text}', which looks like a date but is not one ({exc.reason})",
            where=Where(path, exc.line + first_line),
            fix="Write a real date as YYYY-MM-DD, or put the value in quotes to keep it as text",
        ) from None


class _BadDateError(Exception):
    def __init__(self, text: str, line: int, reason: str) -> None:
        super().__init__(text)
        self.text, self.line, self.reason = text, line, reason


class _Dates:
    """Impossible dates raise _BadDateError with their line."""

    def construct_yaml_timestamp(self, node: yaml.Node) -> Any:
        try:
            return super().construct_yaml_timestamp(node)  # type: ignore[misc]
        except ValueError as exc:
            raise _BadDateError(str(node.value), node.start_mark.line, str(exc)) from None


class _Loader(_Dates, yaml.SafeLoader):
    """PyYAML's pure-Python safe loader: its error messages are the ones reported."""


class _FastLoader(_Dates, FAST_LOADER):  # type: ignore[misc,valid-type]
    """The same loader on libyaml where PyYAML has it: front matter of hundreds of files is
    read about ten times faster; text it cannot read is read again by `_Loader`."""


for _class in (_Loader, _FastLoader):
    _class.add_constructor("tag:yaml.org,2002:timestamp", _Dates.construct_yaml_timestamp)


def _check_depth(source: str, path: Path, first_line: int, what: str) -> None:
    """CorpusError when mappings and lists nest deeper than MAX_YAML_DEPTH (before parsing,
    which would otherwise run out of stack)."""
    mark = too_deep(source, MAX_YAML_DEPTH)
    if mark is not None:
        raise CorpusError(
            f"{what} nests lists or mappings more than {MAX_YAML_DEPTH} deep",
            where=Where(path, mark.line + first_line),
            fix="Give each key a value or a flat list",
        )


def _has_mapping(value: Any) -> bool:
    if isinstance(value, dict):
        return True
    return isinstance(value, list) and any(_has_mapping(x) for x in value)


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _line_of(source: str, key: str) -> int:
    for m in _TOP_LEVEL_KEY.finditer(source):
        if m["key"].strip() == key:
            return source.count("\n", 0, m.start()) + 2
    return 2


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
