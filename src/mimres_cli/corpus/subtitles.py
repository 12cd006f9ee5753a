"""Subtitle transcripts from automatic transcription: WebVTT (webvtt-py) and SRT (srt).

The libraries read every well-formed cue: its timing (any number of hour digits, the
format's own millisecond separator), cue identifier or SRT index, cue settings, and its text
with its tags. What they cannot do is report a malformed cue: webvtt-py drops it, text and
all, without a word, and srt refuses the whole file. So this module splits the file into its
blank-line-separated blocks and hands each block to the library on its own: one bad block
does not sink the file, and a block the library reads no cue from is located by its line.
Such a block with a timing line is a warning naming that line; one with text but no timing
line is a warning too; either way its text is kept, with the time of the cue before it.
Reversed and absurd (over 24 h) cue times, which the libraries accept, are warnings. A file
with no well-formed timing line at all is an error.

A cue's speaker comes from a `<v Name>` voice tag, or a `Name:`, `[SPEAKER_00]:` or
`[SPEAKER_00]` prefix (found here: webvtt-py's `Caption.voice` names only a cue's first
voice, srt none, and a cue with two voices is split between them). A cue without one
continues the current speaker. Consecutive cues of the same speaker merge into one turn,
which keeps the start of its first cue and the end of its last.

The body is built from the turns, one line each: `Label: text`, the cue texts of a turn joined
by single spaces (cue tags removed, line breaks inside a cue become spaces). So offsets slice
turn text out of the body exactly as they do for text transcripts. Cues before the first
speaker label are written as lines without a label and belong to no turn.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import srt

from mimres_cli.corpus.model import Problem, Transcript
from mimres_cli.corpus.problems import problem
from mimres_cli.corpus.text import read_decoded, turns_from_labels
from mimres_cli.corpus.turns import is_label, label_key
from mimres_cli.errors import CorpusError, Where

if TYPE_CHECKING:
    import webvtt

_VOICE = re.compile(r"<v(?:\.[\w.-]+)*\s+(?P<name>[^>]+?)\s*>")
_TAG = re.compile(r"</?[a-zA-Z][^>]*>|\{\\[^}]*\}")  # <i>, </v>, <c.x>, <00:00:01.000>, {\an8}
_PREFIX = re.compile(
    r"\A\s*(?:\[(?P<bracketed>[^\[\]\n]{1,40})\]\s*:|\[(?P<generic>speaker[ _-]?\d+)\]"
    r"|(?P<label>[^\W\d_][\w .\-]{0,39}?)[ \t]*:)(?=\s|\Z)\s*",
    re.IGNORECASE,
)


#: A cue time longer than this is absurd for an interview recording and flagged.
MAX_CUE_SECONDS = 24 * 3600

# Only used to locate timing lines; the libraries decide which are well-formed. A timing line
# has an arrow; one with a typo may have an arrow of some kind, or two times side by side.
_ARROW = re.compile(r"-+\s*>")
_TIMING_LIKE = re.compile(rf"{_ARROW.pattern}|^\s*\d[\d:.,]*\s+\S{{1,4}}\s+\d[\d:.,]*\s*$")
_VTT_BLOCKS = ("NOTE", "STYLE", "REGION")  # WebVTT blocks that are not cues

RawCue = tuple[str, float, float]  # (text with its tags, start, end in seconds)


@dataclass(frozen=True)
class Cue:
    """One subtitle cue: its speaker where it names one, its text, and its times in seconds."""

    speaker: str | None
    text: str
    start_time: float
    end_time: float


def read_webvtt_transcript(path: Path, labels: Iterable[str] = ()) -> Transcript:
    """Read a `.vtt` file (see the module docstring for how turns and the body are built)."""
    text = read_decoded(path).text
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    if not first.startswith("WEBVTT"):
        raise CorpusError(
            "is not a valid WebVTT file (its first line is not 'WEBVTT')",
            where=Where(path),
            fix="Check that it starts with a 'WEBVTT' line and that every cue has a "
            "'00:00:01.000 --> 00:00:04.000' timing line",
        )
    return _read_cues(path, "vtt", text, labels)


def read_srt_transcript(path: Path, labels: Iterable[str] = ()) -> Transcript:
    """Read a `.srt` file (see the module docstring for how turns and the body are built)."""
    return _read_cues(path, "srt", read_decoded(path).text, labels)


def _read_cues(path: Path, format: str, text: str, labels: Iterable[str]) -> Transcript:
    """Cues from the blocks of a subtitle file; malformed cues are warnings, their text kept."""
    raw, problems, (timings, valid) = scan_cues(path, format, text)
    if not valid:
        name, example = ("WebVTT", "00:00:01.000") if format == "vtt" else ("SRT", "00:00:01,000")
        if timings:
            what = f"none of its {timings} timing line(s) is well-formed"
        else:
            what = "it has no cue with a timing line"
        raise CorpusError(
            f"is not a valid {name} file ({what})",
            where=Where(path),
            fix=f"Every cue needs a timing line such as '{example} --> "
            f"{example[:-5]}4{example[-4:]}' before its text",
        )
    transcript = _transcript(path, format, "utf-8", raw, labels)
    return replace(transcript, problems=(*problems, *transcript.problems))


def scan_cues(
    path: Path, format: str, text: str
) -> tuple[list[RawCue], list[Problem], tuple[int, int]]:
    """(text, start, end) of every cue, the problems found, and (timing lines, well-formed ones).

    Each block goes to the library alone (see the module docstring); a block it reads no cue
    from keeps its text with the previous cue's end as its times and is a warning naming its
    line. Reversed (start after end) and absurd (over MAX_CUE_SECONDS) times are warnings too.
    """
    cues: list[RawCue] = []
    problems: list[Problem] = []
    timings = valid = 0
    for n, block in enumerate(_blocks(text)):
        lines = [line for _, line in block]
        parsed = _vtt_cues(lines, header=n == 0) if format == "vtt" else _srt_cues(lines)
        if parsed:
            arrows = [(number, line) for number, line in block if _ARROW.search(line)]
            for index, cue in enumerate(parsed):
                number, line = arrows[index] if index < len(arrows) else block[0]
                problems.extend(_odd_times(path, number, line, cue))
            cues.extend(parsed)
            timings, valid = timings + len(parsed), valid + len(parsed)
        elif not (format == "vtt" and (n == 0 or lines[0].split()[0] in _VTT_BLOCKS)):
            arrow = next((found for found in block if _TIMING_LIKE.search(found[1])), None)
            timings += arrow is not None
            kept, why = _kept(path, format, block, arrow, cues[-1][2] if cues else 0.0)
            cues.extend(kept)
            problems.extend(why)
    return cues, problems, (timings, valid)


def _blocks(text: str) -> list[list[tuple[int, str]]]:
    """The file's blocks: runs of non-blank lines, each line with its number."""
    blocks: list[list[tuple[int, str]]] = [[]]
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            blocks[-1].append((number, line))
        elif blocks[-1]:
            blocks.append([])
    return [block for block in blocks if block]


def _vtt_cues(lines: list[str], header: bool) -> list[RawCue]:
    """The cues webvtt-py reads from one block (the header block is read as it stands)."""
    import webvtt  # here: only .vtt files need it, and every corpus load imports this module

    try:
        found = webvtt.WebVTT.from_string("\n".join(["WEBVTT", ""] * (not header) + lines))
    except (webvtt.errors.MalformedFileError, webvtt.errors.MalformedCaptionError):
        return []
    return [
        (c.raw_text, _vtt_seconds(c.start_time), _vtt_seconds(c.end_time)) for c in found.captions
    ]


def _vtt_seconds(time: webvtt.models.Timestamp) -> float:
    return round(time.in_seconds() + time.milliseconds / 1000, 3)  # in every 0.5+ version


def _srt_cues(lines: list[str]) -> list[RawCue]:
    """The cues srt reads from one block; none when it refuses the block."""
    try:
        return [
            (s.content, s.start.total_seconds(), s.end.total_seconds())
            for s in srt.parse("\n".join(lines))
        ]
    except srt.SRTParseError:
        return []


def _odd_times(path: Path, number: int, line: str, cue: RawCue) -> list[Problem]:
    """A warning for a well-formed cue whose end is before its start, or a time over 24 h."""
    _, start, end = cue
    if start > end:
        return [cue_problem(path, number, f"ends before it starts ({line.strip()})", None)]
    if max(start, end) > MAX_CUE_SECONDS:
        return [cue_problem(path, number, f"has a time over 24 hours ({line.strip()})", None)]
    return []


def _kept(
    path: Path,
    format: str,
    block: list[tuple[int, str]],
    arrow: tuple[int, str] | None,
    previous: float,
) -> tuple[list[RawCue], list[Problem]]:
    """The text of a block no cue was read from, at the `previous` cue's end, and why.

    `arrow` is the block's first timing line, if any: the text is what follows it.
    """
    if arrow is not None:
        number, what = arrow[0], f"has a malformed timing line '{arrow[1].strip()}'"
        body = block[block.index(arrow) + 1 :]
    else:
        number, what = block[0][0], "has no timing line"
        body = block[1:] if format == "srt" and block[0][1].strip().isdigit() else block
    text = "\n".join(line for _, line in body)
    kept = text if text.strip() else None
    why = [cue_problem(path, number, what, kept)] if arrow is not None or kept else []
    return ([(text, previous, previous)] if kept else []), why


def cue_problem(path: Path, line: int, what: str, text: str | None) -> Problem:
    kept = " (its text is kept, with the time of the cue before it)" if text else ""
    return problem(
        "bad-cue",
        f"cue {what}{kept}",
        Where(path, line),
        "Write the timing as '00:00:01.000 --> 00:00:04.000' (start before end); "
        "--strict makes this an error",
    )


def parse_cues(raw: list[RawCue], labels: Iterable[str] = ()) -> list[Cue]:
    """Cues with their speakers: a voice tag first, else a label prefix; empty cues dropped.

    A prefix label of three or more words counts, as in text transcripts, when it is declared
    (`labels`), reads as a name, or starts at least two cues, so that "Det var sånn: ..."
    stays text.
    """
    found = []
    for text, start, end in raw:
        for speaker, part in _voices(text):
            plain = " ".join(_TAG.sub("", part).split())
            if speaker is None and (match := _PREFIX.match(plain)):
                speaker = next(v for v in match.group("bracketed", "generic", "label") if v)
                found.append((speaker.strip(), plain[match.end() :], start, end, plain))
            else:
                found.append((speaker, plain, start, end, None))
    seen = Counter(label_key(s) for s, _, _, _, prefixed in found if prefixed is not None)
    declared = {label_key(label) for label in labels}
    cues = []
    for speaker, text, start, end, prefixed in found:
        if prefixed is not None and not is_label(speaker, seen, declared):
            speaker, text = None, prefixed
        if text or speaker:
            cues.append(Cue(speaker, text, start, end))
    return cues


def _voices(text: str) -> list[tuple[str | None, str]]:
    """A cue's text split at its voice tags: (name or None, text); two voices in one cue happen."""
    voices = list(_VOICE.finditer(text))
    if not voices:
        return [(None, text)]
    parts = (
        [(None, text[: voices[0].start()])]
        if _TAG.sub("", text[: voices[0].start()]).strip()
        else []
    )
    for n, voice in enumerate(voices):
        stop = voices[n + 1].start() if n + 1 < len(voices) else len(text)
        parts.append((voice["name"].strip(), text[voice.end() : stop]))
    return parts


def _transcript(
    path: Path,
    format: str,
    encoding: str,
    raw: list[RawCue],
    labels: Iterable[str] = (),
) -> Transcript:
    groups: list[tuple[str | None, list[Cue]]] = []
    for cue in parse_cues(raw, labels):
        speaker = cue.speaker if cue.speaker is not None else (groups[-1][0] if groups else None)
        if groups and groups[-1][0] == speaker:
            groups[-1][1].append(cue)
        else:
            groups.append((speaker, [cue]))
    lines: list[str] = []
    labels: list[tuple[str, int, int]] = []
    times: list[tuple[float | None, float | None]] = []
    at = 0
    for speaker, cues in groups:
        text = " ".join(c.text for c in cues if c.text)
        line = f"{speaker}: {text}" if speaker is not None else text
        if speaker is not None:
            labels.append((speaker, at, at + len(speaker) + 1))
            times.append((cues[0].start_time, cues[-1].end_time))
        lines.append(line)
        at += len(line) + 1
    body = "\n".join(lines) + ("\n" if lines else "")
    problems = []
    if groups and groups[0][0] is None:
        problems.append(
            problem(
                "no-speaker",
                f"{len(groups[0][1])} cue(s) before the first speaker label belong to no turn "
                "and are not coded",
                path,
                "Start the first cue with a speaker, e.g. '<v SPEAKER_00>' or 'SPEAKER_00: '",
            )
        )
    return Transcript(
        path=path,
        format=format,
        body=body,
        turns=turns_from_labels(body, labels, times),
        front_matter=None,
        encoding=encoding,
        problems=tuple(problems),
        body_line=None,  # the body is built, so its lines are not the file's
    )
