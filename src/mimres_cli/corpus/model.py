"""The corpus data model: an interview is metadata plus speaker turns with character offsets."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mimres_cli.design import DEFAULT_ATTRIBUTES
from mimres_cli.errors import Problem, Severity
from mimres_cli.vocabulary import ROLES, Role

__all__ = ["REQUIRED_METADATA", "ROLES", "Interview", "Problem", "Role", "Severity", "Transcript",
           "Turn"]  # fmt: skip

#: Metadata keys every interview must have when no design names others (see `design.Design`).
REQUIRED_METADATA = DEFAULT_ATTRIBUTES


@dataclass(frozen=True)
class Turn:
    """One speaker turn. Offsets are 0-based, end-exclusive character offsets into the body."""

    index: int
    speaker: str
    role: Role
    start: int
    end: int
    text: str
    start_time: float | None = None  # seconds from the start of the recording, where known
    end_time: float | None = None

    def __repr__(self) -> str:
        text = self.text if len(self.text) <= 40 else self.text[:39] + "…"
        return (
            f"Turn({self.index}, {self.speaker!r}, {self.role}, {self.start}-{self.end}, {text!r})"
        )


@dataclass(frozen=True)
class Interview:
    """One transcript: its id, its attributes and its turns over `body`."""

    id: str
    path: Path
    body: str
    metadata: dict[str, Any]
    turns: tuple[Turn, ...]
    format: str = "text"
    encoding: str = "utf-8"
    notes: tuple[str, ...] = field(default=())  # warnings met while reading, for `mimres corpus`

    def __repr__(self) -> str:
        metadata = repr(self.metadata)
        metadata = metadata if len(metadata) <= 80 else metadata[:78] + "…}"
        return (f"Interview({self.id!r}, file={self.path.name!r}, turns={len(self.turns)}, "
                f"chars={len(self.body)}, metadata={metadata})")  # fmt: skip

    def informant_turns(self) -> tuple[Turn, ...]:
        return tuple(t for t in self.turns if t.role == "informant")


@dataclass(frozen=True)
class Transcript:
    """What a reader gets out of one file, before metadata and speaker roles are merged in.

    `front_matter` is None when the file has none; `front_matter_lines` gives the 1-based file
    line of each front-matter key, for messages. Turn roles are provisional (default labels).
    """

    path: Path
    format: str
    body: str
    turns: tuple[Turn, ...]
    front_matter: dict[str, Any] | None = None
    front_matter_lines: dict[str, int] = field(default_factory=dict)
    encoding: str = "utf-8"
    problems: tuple[Problem, ...] = field(default=())
    body_line: int | None = 1  # the file line the body starts on; None for files without lines
    front_matter_name: str = "front matter"  # what messages call it ("metadata table" in Word)
