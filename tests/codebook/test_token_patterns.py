"""Token patterns checked without spaCy (`codebook.token_patterns`) are ones spaCy accepts."""

from __future__ import annotations

import json

import pytest
from spacy.matcher import Matcher
from spacy.schemas import validate_token_pattern
from spacy.vocab import Vocab

from conftest import REPO
from mimres_cli.codebook import load_codebook
from mimres_cli.codebook.token_patterns import plainly_valid


def _spacy_accepts(pattern: list) -> bool:
    if validate_token_pattern(pattern):
        return False
    try:
        Matcher(Vocab(), validate=True).add("check", [pattern])
    except (ValueError, KeyError, TypeError):
        return False
    return True


def test_every_shipped_pattern_is_checked_without_spacy() -> None:
    patterns = [json.loads(p) for path in sorted((REPO / "codebooks").glob("*.yaml"))
                for code in load_codebook(path).walk() for p in code.patterns]  # fmt: skip
    assert len(patterns) >= 5
    assert all(plainly_valid(p) and _spacy_accepts(p) for p in patterns)


PLAIN = [
    [{"LOWER": "jobb"}],
    [{"LEMMA": {"IN": ["ha", "få"]}}, {"LOWER": {"NOT_IN": []}, "OP": "*"}, {"ORTH": "x"}],
    [{"LOWER": {"REGEX": "^jobb(en|er)?$"}}, {"IS_PUNCT": False, "OP": "?"}, {}],
    [{"POS": "NOUN", "DEP": "obj", "TAG": "x", "NORM": "y", "TEXT": "z", "OP": "!"}],
]
LEFT_TO_SPACY = [
    [{"lower": "jobb"}],  # spaCy takes lowercase keys too; we leave them to it
    [{"LOWR": "jobb"}],
    [{"LOWER": 1}],
    [{"LOWER": {"IN": ["a", 1]}}],
    [{"LOWER": {"REGEX": "(jobb"}}],
    [{"LOWER": {"FUZZY": "jobb"}}],
    [{"LOWER": {}}],
    [{"IS_PUNCT": "yes"}],
    [{"IS_PUNCT": 1}],
    [{"LOWER": "x", "OP": "{2}"}],
    [{"LOWER": "x", "OP": "++"}],
    [{"LENGTH": 3}],
    [{"_": {"x": 1}}],
    [],
    ["LOWER"],
]


@pytest.mark.parametrize("pattern", PLAIN)
def test_plain_patterns_are_ones_spacy_accepts(pattern: list) -> None:
    assert plainly_valid(pattern) and _spacy_accepts(pattern)


@pytest.mark.parametrize("pattern", LEFT_TO_SPACY)
def test_other_patterns_are_left_to_spacy(pattern: list) -> None:
    assert not plainly_valid(pattern)
