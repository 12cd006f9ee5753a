"""Corpus stage: transcript files → `Interview` objects with speaker turns and offsets."""

from mimres_cli.corpus.hygiene import decode_text, find_mojibake, normalise_text
from mimres_cli.corpus.load import Corpus, CorpusCheck, check_corpus, load_corpus
from mimres_cli.corpus.marks import find_marks, overlaps_mark
from mimres_cli.corpus.metadata import load_metadata_sheet
from mimres_cli.corpus.model import REQUIRED_METADATA, Interview, Problem, Role, Transcript, Turn
from mimres_cli.corpus.readers import READERS
from mimres_cli.corpus.table import interview_rows
from mimres_cli.corpus.turns import parse_turns

__all__ = [
    "READERS",
    "REQUIRED_METADATA",
    "Corpus",
    "CorpusCheck",
    "Interview",
    "Problem",
    "Role",
    "Transcript",
    "Turn",
    "check_corpus",
    "decode_text",
    "find_marks",
    "find_mojibake",
    "interview_rows",
    "load_corpus",
    "load_metadata_sheet",
    "normalise_text",
    "overlaps_mark",
    "parse_turns",
]
