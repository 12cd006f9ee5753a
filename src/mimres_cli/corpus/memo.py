"""What the text reader found in each transcript, kept beside the parse cache (`TranscriptMemo`).

A warm run (the codebook changed, every parse cached) used to read every transcript again in
Python: front matter through YAML, turns through the label expressions. The memo keeps, per
plain-text transcript (`.txt`, `.md`) the reader read without a problem, what it found: where
the body starts, the front matter, the line of each front-matter key and each turn's speaker,
role, offsets and time code. It is filed under the SHA-256 of the file's bytes and the speaker
labels declared for the corpus, so a transcript that changed in any byte is read again by the
reader, with all its checks and errors; the checks that need the whole corpus (metadata sheet,
corpus.yaml, roles, design attributes, duplicate ids, mojibake, turn warnings) run on every
load as before (`load._build`).

Only what gives back exactly the reader's `Transcript` is kept: UTF-8 files whose text needs
no normalising (`hygiene.normalise_text` leaves it as it is), front matter whose values come
back from JSON as the same types and values, no problem reported by the reader. Anything else
is read by the reader every time. The memo lives in `.mimres-corpus/` of the cache folder, one
JSON file per corpus folder, holding the transcripts of its last load; `mimres cache clear`
removes it with the parses. A memo that cannot be read, or was written by other reader code
(`code_key`), is ignored; one that cannot be written costs speed only.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
from collections.abc import Callable, Iterable
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any

from mimres_cli.corpus.model import ROLES, Transcript, Turn
from mimres_cli.corpus.text import read_text_transcript
from mimres_cli.files import write_atomic

log = logging.getLogger(__name__)

#: The folder of the memos inside a parse cache folder (removed by `mimres cache clear`).
MEMO_FOLDER = ".mimres-corpus"
_CACHE_MARKER = "mimres-cache.json"  # what makes a folder a parse cache (`nlp.cache`)
_FORMAT = 1


class TranscriptMemo:
    """The memo of one corpus folder (see the module notes). `read` reads a transcript through
    it; `save` writes what this load read, when it differs from what the memo held."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self.records: dict[str, dict[str, Any]] = {}
        self.used: dict[str, dict[str, Any]] = {}
        self.hits = 0
        #: The SHA-256 of each file read through the memo, as read (for the run's manifest).
        self.file_sha256: dict[Path, str] = {}
        if path is not None and _in_parse_cache(path):
            self.records = _read_records(path)

    @classmethod
    def of(cls, cache: Path, corpus: Path) -> TranscriptMemo:
        """The memo of `corpus` in the parse cache folder `cache`. In a folder that is not a
        parse cache yet (a first, cold run) it starts empty, and `save` writes it once the run
        has made the folder one, so the first warm run already finds it."""
        name = hashlib.sha256(str(corpus.resolve()).encode("utf-8")).hexdigest()[:16]
        return cls(cache / MEMO_FOLDER / f"{name}.json")

    def reader(self, reader: Callable[..., Transcript]) -> Callable[..., Transcript]:
        """`reader` through the memo where it is the plain-text reader, else `reader` itself."""
        if reader is not read_text_transcript:
            return reader
        return self.read

    def read(self, path: Path, labels: Iterable[str] = ()) -> Transcript:
        """`read_text_transcript(path, labels)`, from the memo where it holds the file."""
        labels = list(labels)
        try:
            data = path.read_bytes()
        except OSError:
            return read_text_transcript(path, labels)  # its one-line error
        digest = hashlib.sha256(data)
        self.file_sha256[path] = digest.hexdigest()
        digest.update(json.dumps(labels, ensure_ascii=False).encode("utf-8"))
        key = digest.hexdigest()
        record = self.records.get(key)
        found = _transcript(path, data, record) if record is not None else None
        if found is not None:
            self.hits += 1
            self.used[key] = record  # type: ignore[assignment]
            return found
        transcript = read_text_transcript(path, labels, data=data)
        record = _record(transcript, data)
        if record is not None:
            self.used[key] = record
        return transcript

    def save(self) -> None:
        """Write the records of this load (only when they differ from the memo read), and let
        them go: memory is not held for them while the run goes on."""
        changed = self.used != self.records
        used, self.used, self.records = self.used, {}, {}
        if self.path is None or not changed or not _in_parse_cache(self.path):
            return  # nothing new, or a folder that is no parse cache: nothing written there
        document = {"format": _FORMAT, "code": code_key(), "transcripts": used}
        try:
            self.path.parent.mkdir(exist_ok=True)
            write_atomic(self.path, json.dumps(document, ensure_ascii=False))
        except (OSError, ValueError) as exc:  # a full or read-only disk; text UTF-8 cannot hold
            log.info("transcript memo: cannot write %s (%s)", self.path, exc)


def _in_parse_cache(memo_path: Path) -> bool:
    return (memo_path.parent.parent / _CACHE_MARKER).is_file()


def _read_records(path: Path) -> dict[str, dict[str, Any]]:
    try:
        document = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return {}
    if (
        not isinstance(document, dict)
        or document.get("format") != _FORMAT
        or document.get("code") != code_key()
        or not isinstance(document.get("transcripts"), dict)
    ):
        return {}
    return document["transcripts"]


@functools.cache
def code_key() -> str:
    """A hash of the code that reads transcripts (every module of `corpus`, the YAML limits)
    and of the YAML and mimres versions: a memo by other code is not read."""
    here = Path(__file__).parent
    digest = hashlib.sha256()
    for path in [*sorted(here.glob("*.py")), here.parent / "yaml_limits.py"]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    for package in ("pyyaml", "mimres-cli"):
        try:
            digest.update(importlib_metadata.version(package).encode())
        except importlib_metadata.PackageNotFoundError:
            digest.update(b"absent")
    return digest.hexdigest()[:16]


def _record(transcript: Transcript, data: bytes) -> dict[str, Any] | None:
    """What the memo keeps of a transcript, or None when it cannot give it back exactly."""
    if transcript.problems or transcript.encoding != "utf-8" or transcript.body_line is None:
        return None
    if transcript.format != "text" or transcript.front_matter_name != "front matter":
        return None
    text = data.decode("utf-8")
    at = len(text) - len(transcript.body)
    if text[at:] != transcript.body:  # normalising changed the text
        return None
    front = transcript.front_matter
    if front is not None and not _same(json.loads(json.dumps(front)), front):
        return None
    for turn in transcript.turns:
        if turn.end_time is not None or not (
            turn.start_time is None or isinstance(turn.start_time, float)
        ):
            return None
    return {
        "at": at,
        "front": front,
        "lines": transcript.front_matter_lines,
        "line": transcript.body_line,
        "turns": [[t.speaker, t.role, t.start, t.end, t.start_time] for t in transcript.turns],
    }


def _transcript(path: Path, data: bytes, record: dict[str, Any]) -> Transcript | None:
    """The transcript a record describes, or None when it does not fit the file."""
    try:
        text = data.decode("utf-8")
        at, front, lines, line = record["at"], record["front"], record["lines"], record["line"]
        if not (isinstance(at, int) and 0 <= at <= len(text) and isinstance(line, int)):
            return None
        if not (front is None or isinstance(front, dict)) or not isinstance(lines, dict):
            return None
        if not all(isinstance(n, int) for n in lines.values()):
            return None
        body = text[at:]
        turns = []
        for index, (speaker, role, start, end, start_time) in enumerate(record["turns"]):
            if not (
                isinstance(speaker, str)
                and role in ROLES
                and isinstance(start, int)
                and isinstance(end, int)
                and 0 <= start <= end <= len(body)
                and (start_time is None or isinstance(start_time, float))
            ):
                return None
            turns.append(Turn(index, speaker, role, start, end, body[start:end], start_time))
    except (UnicodeDecodeError, KeyError, TypeError, ValueError):
        return None
    return Transcript(
        path=path,
        format="text",
        body=body,
        turns=tuple(turns),
        front_matter=front,
        front_matter_lines=lines,
        encoding="utf-8",
        body_line=line,
    )


def _same(a: Any, b: Any) -> bool:
    """Equal and of the same types all the way down (JSON gives lists for tuples, str keys)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(type(k) is str and _same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and a != a:  # NaN
        return False
    return bool(a == b)
