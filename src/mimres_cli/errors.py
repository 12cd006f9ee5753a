"""The problems a user can fix, raised by every stage and reported by the CLI in one place.

This module imports nothing from mimres_cli, so every stage may use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar


@dataclass(frozen=True)
class Where:
    """A place in an input file: `path:line` (1-based), or `path:line:col`, or just `path`."""

    path: Path | str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        text = str(self.path)
        if self.line is not None:
            text += f":{self.line}"
            if self.column is not None:
                text += f":{self.column}"
        return text


class MimresError(Exception):
    """A problem the user can fix. Never raised for our own bugs."""

    exit_code: ClassVar[int] = 2

    def __init__(self, problem: str, *, where: Where | None = None, fix: str = "") -> None:
        super().__init__(problem)
        self.problem = problem
        self.where = where
        self.fix = fix

    def __str__(self) -> str:
        text = f"{self.where}: {self.problem}" if self.where else self.problem
        return f"{text}. {self.fix}" if self.fix else text


class MissingInputError(MimresError):
    """A file or folder that is not there."""


class CorpusError(MimresError):
    """A transcript or metadata file that cannot be used."""


class CodebookError(MimresError):
    """A codebook or project file that cannot be used."""

    def __init__(
        self,
        problem: str,
        *,
        where: Where | None = None,
        fix: str = "",
        problems: list[MimresError] | None = None,
    ) -> None:
        super().__init__(problem, where=where, fix=fix)
        self.problems = problems or []

    def __str__(self) -> str:
        if not self.problems:
            return super().__str__()
        return "\n".join(str(p) for p in self.problems)

    @classmethod
    def collected(cls, problems: list[MimresError]) -> CodebookError:
        """One error carrying every problem found in a codebook, printed one per line."""
        return cls(f"{len(problems)} problem(s) in the codebook", problems=problems)


class ModelError(MimresError):
    """A spaCy pipeline that is missing or unusable."""


class OutputError(MimresError):
    """Results that cannot be written."""
