"""Load a corpus folder: every supported transcript becomes an `Interview`."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from mimres_cli.corpus.model import Interview
from mimres_cli.corpus.readers import READERS
from mimres_cli.errors import CorpusError, MissingInputError, Where

log = logging.getLogger(__name__)

# Files that document a corpus folder rather than belong to it.
_NOT_TRANSCRIPTS = ("readme", "license", "licence")


@dataclass(frozen=True)
class Corpus:
    """The interviews of a corpus folder, in file-name order, and the files that were skipped."""

    root: Path
    interviews: tuple[Interview, ...]
    skipped: tuple[Path, ...] = field(default=())

    def __len__(self) -> int:
        return len(self.interviews)

    def __iter__(self):
        return iter(self.interviews)


def load_corpus(root: Path) -> Corpus:
    """Read every transcript under `root` (a folder, searched recursively, or one file).

    Raises MissingInputError when `root` does not exist and CorpusError for an unreadable
    transcript, a duplicate id or a folder with no transcripts.
    """
    if not root.exists():
        raise MissingInputError(
            f"corpus '{root}' does not exist", fix="Give a folder of transcripts (.txt, .md)"
        )
    files = [root] if root.is_file() else sorted(_candidate_files(root))
    interviews: list[Interview] = []
    skipped: list[Path] = []
    first_file: dict[str, Path] = {}
    for path in files:
        reader = READERS.get(path.suffix.lower())
        if reader is None:
            skipped.append(path)
            log.info("%s: skipped, not a supported transcript format", path)
            continue
        interview = reader(path)
        if interview.id in first_file:
            raise CorpusError(
                f"interview id '{interview.id}' is used twice (also in {first_file[interview.id]})",
                where=Where(path, 2),
                fix="Give each interview its own 'id'",
            )
        first_file[interview.id] = path
        interviews.append(interview)
    if not interviews:
        raise CorpusError(
            "no transcripts found",
            where=Where(root),
            fix=f"Put .txt or .md transcripts there (supported: {', '.join(sorted(READERS))})",
        )
    return Corpus(root=root, interviews=tuple(interviews), skipped=tuple(skipped))


def _candidate_files(root: Path) -> list[Path]:
    return [
        p
        for p in root.rglob("*")
        if p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(root).parts)
        and not p.stem.lower().startswith(_NOT_TRANSCRIPTS)
    ]
