"""What counts as a word, and which lemmas a token may have: shared by coding, counts and tags."""

from __future__ import annotations

from spacy.tokens import Token

from mimres_cli.corpus.marks import overlaps_mark
from mimres_cli.nlp.lemmas import lemma_candidates


def is_word(token: Token, marks: list[tuple[int, int]]) -> bool:
    """A token that counts as a word: it has a letter or digit and is no transcription mark.

    `marks` are mark spans in the token's Doc text (character offsets).
    """
    if token.is_punct or token.is_space or not any(ch.isalnum() for ch in token.text):
        return False
    return not overlaps_mark(token.idx, token.idx + len(token.text), marks)


def token_candidates(token: Token) -> tuple[str, ...]:
    """The forms a codebook word may equal: predicted lemma, lowercase form, Ordbank lemmas.

    Trained pipelines get unseen compounds wrong ("introduksjonsprogramm"), so the Norsk
    Ordbank candidates are always added beside the predicted lemma. All are lowercase.
    """
    seen: dict[str, None] = {}
    if token.lemma_:
        seen[token.lemma_.lower()] = None
    seen[token.lower_] = None
    for lemma in lemma_candidates(token.text):
        seen[lemma] = None
    return tuple(seen)
