"""The codebook data model: a tree of codes, each with its matching rules."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Code:
    """One code. `path` is its ids joined by "/" from the theme down (e.g. "arbeid/praksis")."""

    id: str
    path: str
    label: str
    definition: str = ""
    when_to_use: str = ""
    when_not_to_use: str = ""
    examples: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()
    regex: tuple[str, ...] = ()
    children: tuple[Code, ...] = ()
    color: str = ""  # "#rrggbb", kept for QDA exports
    line: int = 0  # where the code starts in its file (1-based), for messages

    @property
    def theme(self) -> str:
        """The id of the top-level code this code belongs to."""
        return self.path.split("/", 1)[0]

    @property
    def has_rules(self) -> bool:
        return bool(self.terms or self.regex)

    def walk(self) -> Iterator[Code]:
        """This code and all its descendants, depth first, in file order."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class Codebook:
    """A loaded, validated codebook."""

    name: str
    path: Path
    sha256: str
    language: str = "nb"
    description: str = ""
    codes: tuple[Code, ...] = field(default=())

    def walk(self) -> Iterator[Code]:
        """Every code, depth first, in file order (the order tables use)."""
        for code in self.codes:
            yield from code.walk()

    def by_path(self) -> dict[str, Code]:
        return {code.path: code for code in self.walk()}
