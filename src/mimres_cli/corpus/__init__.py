"""Corpus stage: transcript files → `Interview` objects with speaker turns and offsets."""

from mimres_cli.corpus.load import Corpus, load_corpus
from mimres_cli.corpus.marks import find_marks, overlaps_mark
from mimres_cli.corpus.model import REQUIRED_METADATA, Interview, Role, Turn
from mimres_cli.corpus.readers import READERS
from mimres_cli.corpus.turns import parse_turns

__all__ = [
    "READERS",
    "REQUIRED_METADATA",
    "Corpus",
    "Interview",
    "Role",
    "Turn",
    "find_marks",
    "load_corpus",
    "overlaps_mark",
    "parse_turns",
]
