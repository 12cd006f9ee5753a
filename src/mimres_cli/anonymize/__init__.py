"""Offline pseudonymisation of interview transcripts: detectors, a pseudonym key kept apart,
a review loop and a check for identifiers left (see docs/anonymize.md)."""

from mimres_cli.anonymize.kinds import DEFAULT_KINDS, KINDS, chosen_kinds
from mimres_cli.anonymize.protect import codebook_words
from mimres_cli.anonymize.run import (
    MANIFEST,
    AnonymizeResult,
    Finding,
    Options,
    anonymize_corpus,
    check_identifiers,
    detect_texts,
)

__all__ = [
    "DEFAULT_KINDS",
    "KINDS",
    "MANIFEST",
    "AnonymizeResult",
    "Finding",
    "Options",
    "anonymize_corpus",
    "check_identifiers",
    "chosen_kinds",
    "codebook_words",
    "detect_texts",
]
