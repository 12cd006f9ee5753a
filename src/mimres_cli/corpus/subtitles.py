"""Subtitle transcripts from automatic transcription: WebVTT (webvtt-py) and SRT (srt).

A cue's speaker comes from a `<v Name>` voice tag, or a `Name:`, `[SPEAKER_00]:` or
`[SPEAKER_00]` prefix. A cue without one continues the current speaker. Consecutive cues of the
same speaker merge into one turn, which keeps the start of its first cue and the end of its last.

The body is built from the turns, one line each: `Label: text`, the cue texts of a turn joined
by single spaces (cue tags removed, line breaks inside a cue become spaces). So offsets slice
turn text out of the body exactly as they do for text transcripts. Cues before the first
speaker label are written as lines without a label and belong to no turn.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from mimres_cli.corpus.hygiene import decode_text
from mimres_cli.corpus.model import Transcript
from mimres_cli.corpus.problems import problem
from mimres_cli.corpus.text import turns_from_labels
from mimres_cli.errors import CorpusError, Where

_VOICE = re.compile(r"<v(?:\.[\w.-]+)*\s+(?P<name>[^>]+?)\s*>")
_TAG = re.compile(r"</?[a-zA-Z][^>]*>|\{\\[^}]*\}")  # <i>, </v>, <c.x>, <00:00:01.000>, {\an8}
_PREFIX = re.compile(
    r"\A\s*(?:\[(?P<bracketed>[^\[\]\n]{1,40})\]\s*:|\[(?P<generic>speaker[ _-]?\d+)\]"
    r"|(?P<label>[^\W\d_][\w .\-]{0,39}?)[ \t]*:)(?=\s|\Z)\s*",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Cue:
    """One subtitle cue: its speaker where it names one, its text, and its times in seconds."""

    speaker: str | None
    text: str
    start_time: float
    end_time: float


def read_webvtt_transcript(path: Path) -> Transcript:
    """Read a `.vtt` file (see the module docstring for how turns and the body are built)."""
    import webvtt

    decoded = decode_text(path.read_bytes())
    try:
        captions = list(webvtt.WebVTT.from_string(decoded.text))
    except (webvtt.errors.MalformedFileError, webvtt.errors.MalformedCaptionError) as exc:
        raise CorpusError(
            f"is not a valid WebVTT file ({exc})",
            where=Where(path),
            fix="Check that it starts with a 'WEBVTT' line and that every cue has a "
            "'00:00:01.000 --> 00:00:04.000' timing line",
        ) from exc
    raw = [(c.raw_text, _seconds(c.start), _seconds(c.end)) for c in captions]
    return _transcript(path, "vtt", decoded.encoding, raw)


def read_srt_transcript(path: Path) -> Transcript:
    """Read a `.srt` file (see the module docstring for how turns and the body are built)."""
    import srt

    decoded = decode_text(path.read_bytes())
    try:
        subtitles = list(srt.parse(decoded.text))
    except (srt.SRTParseError, ValueError) as exc:
        raise CorpusError(
            f"is not a valid SRT file ({exc})",
            where=Where(path),
            fix="Check that every cue is a number, a '00:00:01,000 --> 00:00:04,000' line, "
            "then its text and a blank line",
        ) from exc
    raw = [(s.content, s.start.total_seconds(), s.end.total_seconds()) for s in subtitles]
    return _transcript(path, "srt", decoded.encoding, raw)


def parse_cues(raw: list[tuple[str, float, float]]) -> list[Cue]:
    """Cues with their speakers: a voice tag first, else a label prefix; empty cues dropped.

    A prefix label of three or more words counts only when it starts at least two cues, as in
    text transcripts, so that "Det var sånn: ..." stays text.
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
    seen = Counter(s for s, _, _, _, prefixed in found if prefixed is not None)
    cues = []
    for speaker, text, start, end, prefixed in found:
        if prefixed is not None and len(speaker.split()) > 2 and seen[speaker] < 2:
            speaker, text = None, prefixed
        if text or speaker:
            cues.append(Cue(speaker, text, start, end))
    return cues


def _seconds(timestamp: str) -> float:
    """'00:01:11.040' (or '01:11.040') → 71.04; `Caption.start` is this text in every version."""
    seconds = 0.0
    for part in timestamp.split(":"):
        seconds = seconds * 60 + float(part)
    return round(seconds, 3)


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
    path: Path, format: str, encoding: str, raw: list[tuple[str, float, float]]
) -> Transcript:
    groups: list[tuple[str | None, list[Cue]]] = []
    for cue in parse_cues(raw):
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
