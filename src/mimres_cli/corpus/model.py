"""The corpus data model: an interview is metadata plus speaker turns with character offsets."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

Role = Literal["interviewer", "informant"]

#: Metadata keys every interview must have.
REQUIRED_METADATA = ("municipality", "group")


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

    @property
    def municipality(self) -> str:
        return str(self.metadata.get("municipality", ""))

    @property
    def group(self) -> str:
        return str(self.metadata.get("group", ""))

    def informant_turns(self) -> tuple[Turn, ...]:
        return tuple(t for t in self.turns if t.role == "informant")
