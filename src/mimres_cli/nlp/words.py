"""What counts as a word, and which lemmas a token may have: shared by coding, counts and tags."""

from __future__ import annotations

import functools
from collections.abc import Collection
from typing import TYPE_CHECKING

from mimres_cli.corpus.marks import overlaps_mark
from mimres_cli.nlp.lemmas import lemma_candidates

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token


def is_word(token: Token, marks: list[tuple[int, int]]) -> bool:
    """A token that counts as a word: it has a letter or digit and is no transcription mark.

    `marks` are mark spans in the token's Doc text (character offsets).
    """
    if token.is_punct or token.is_space or not _has_alnum(token.text):
        return False
    return not overlaps_mark(token.idx, token.idx + len(token.text), marks)


def mark_tokens(doc: Doc, marks: list[tuple[int, int]]) -> frozenset[int]:
    """Indices of the tokens of `doc` that share a character with a mark span.

    One look-up per mark rather than one test per token: marks are few, tokens many.
    """
    found: set[int] = set()
    for start, end in marks:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None:
            found.update(range(span.start, span.end))
    return frozenset(found)


def is_word_token(token: Token, marks: Collection[int]) -> bool:
    """`is_word` for a token whose Doc's mark tokens (`mark_tokens`) are already known."""
    return (
        token.i not in marks
        and not token.is_punct
        and not token.is_space
        and _has_alnum(token.text)
    )


def token_candidates(token: Token) -> tuple[str, ...]:
    """The forms a codebook word may equal: predicted lemma, lowercase form, Ordbank lemmas.

    Trained pipelines get unseen compounds wrong ("introduksjonsprogramm"), so the Norsk
    Ordbank candidates are always added beside the predicted lemma. All are lowercase.
    """
    return _candidates(token.lemma_, token.text)


@functools.lru_cache(maxsize=500_000)
def _candidates(lemma: str, text: str) -> tuple[str, ...]:
    # Cached per (lemma, form): a corpus repeats the same few thousand pairs.
    seen: dict[str, None] = {}
    if lemma:
        seen[lemma.lower()] = None
    seen[text.lower()] = None
    for candidate in lemma_candidates(text):
        seen[candidate] = None
    return tuple(seen)


@functools.lru_cache(maxsize=200_000)
def _has_alnum(text: str) -> bool:
    return any(ch.isalnum() for ch in text)
