"""Token patterns of the kinds codebooks use, checked without importing spaCy.

Checking a token pattern with spaCy (`spacy.schemas.validate_token_pattern` and a `Matcher`)
imports spaCy, which costs more than a whole warm re-code of 250,000 words. `plainly_valid`
accepts only patterns of a narrow kind that spaCy certainly accepts: word-form, lemma and
label tests with a string, an `IN`/`NOT_IN` list of strings or a `REGEX`, flag tests with
true/false, and the four simple operators. Anything else (and every invalid pattern) is left
to spaCy, whose messages the codebook errors quote.
"""

from __future__ import annotations

import re
from typing import Any

#: Attributes whose value is a string or a string predicate in spaCy's `TokenPattern`.
_STRING_KEYS = frozenset({"ORTH", "TEXT", "LOWER", "POS", "TAG", "DEP", "LEMMA", "NORM", "SHAPE",
                          "ENT_TYPE"})  # fmt: skip
#: Attributes whose value is true or false.
_FLAG_KEYS = frozenset({
    "IS_ALPHA", "IS_ASCII", "IS_DIGIT", "IS_LOWER", "IS_UPPER", "IS_TITLE", "IS_PUNCT",
    "IS_SPACE", "IS_BRACKET", "IS_QUOTE", "IS_LEFT_PUNCT", "IS_RIGHT_PUNCT", "IS_CURRENCY",
    "IS_STOP", "LIKE_NUM", "LIKE_URL", "LIKE_EMAIL",
})  # fmt: skip
_OPERATORS = frozenset({"+", "*", "?", "!"})


def plainly_valid(pattern: Any) -> bool:
    """Whether `pattern` is a token pattern of the narrow kind spaCy certainly accepts (see the
    module notes); False says nothing: spaCy decides then."""
    if not isinstance(pattern, list) or not pattern:
        return False
    return all(isinstance(token, dict) and all(_plain(k, v) for k, v in token.items())
               for token in pattern)  # fmt: skip


def _plain(key: Any, value: Any) -> bool:
    if key == "OP":
        return isinstance(value, str) and value in _OPERATORS
    if key in _FLAG_KEYS:
        return type(value) is bool
    if key not in _STRING_KEYS:
        return False
    if type(value) is str:
        return True
    if not isinstance(value, dict) or not value:
        return False
    for predicate, argument in value.items():
        if predicate in ("IN", "NOT_IN"):
            if not isinstance(argument, list) or not all(type(a) is str for a in argument):
                return False
        elif predicate == "REGEX":
            if type(argument) is not str or not _compiles(argument):
                return False
        else:
            return False
    return True


def _compiles(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except re.error:
        return False
    return True
