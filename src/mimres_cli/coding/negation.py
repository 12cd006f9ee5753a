"""Is a match negated? Norwegian negators that govern the match or precede it in its clause.

A hit (tokens `first`..`last` of a Doc) is negated when a negator word

1. governs it (only where the pipeline has a dependency parser): the negator is a dependent of
   a token of the hit, or of a head above the hit up to and including the head of the hit's
   clause. Walking up stops at a token attached by a clause relation (`CLAUSE_RELATIONS`), so
   in "Praksisplass har jeg ikke fått, men jeg fikk jobb" the `ikke` of the first clause
   negates "praksisplass" but not "jobb"; or
2. precedes it in its clause: walking back from the token before the hit, within the same
   sentence, a negator comes before any clause boundary (`CLAUSE_BREAKS`: punctuation
   , ; : . ! ? – — ( ) and the conjunctions and subjunctions listed). Transcription marks are
   passed over. There is no other limit on the distance.

A negator inside the hit itself (a term "ingen jobb") does not negate it, and "ikke"/"ikkje"
(or a dialect "ikkj", "itte", "itj") followed by "sant", "bare" or "berre" ("ikke sant?",
"ikkje berre ... men òg") is no negator.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from mimres_cli.nlp.arrays import TYPES, DocArrays, doc_arrays

if TYPE_CHECKING:
    from spacy.tokens import Doc

#: Negating words, Bokmål, Nynorsk and dialect (`ikkj`, `itte` and trøndersk `itj`),
#: compared in lowercase. "ikkje noko" and "ikkje nokon" are negated by their `ikkje`.
NEGATORS = frozenset({
    "ikke", "ikkje", "ikkj", "itte", "itj", "inkje", "aldri", "ingen", "inga",
    "ingi", "intet", "ingenting", "verken", "hverken", "korkje",
})  # fmt: skip
#: The negators that "sant", "bare", "berre" after them make no negation: "ikkje sant?".
_NOT_SANT = frozenset({"ikke", "ikkje", "ikkj", "itte", "itj"})
#: Words after "ikke"/"ikkje" that make it no negation: "ikke sant", "ikke bare" (not only).
NOT_NEGATING_NEXT = frozenset({"sant", "bare", "berre"})
#: Tokens that end the clause a preceding negator may negate.
CLAUSE_BREAKS = frozenset({
    ",", ";", ":", ".", "!", "?", "–", "—", "(", ")", "...", "…",
    "men", "og", "eller", "samt", "fordi", "mens", "medan", "hvis", "viss", "dersom", "når",
    "at", "som", "enn",
})  # fmt: skip
#: Dependency relations that start a new clause (UD): walking up to a governor stops there.
CLAUSE_RELATIONS = frozenset({
    "ROOT", "root", "ccomp", "advcl", "acl", "acl:relcl", "relcl", "conj", "parataxis", "csubj",
})  # fmt: skip


@dataclass(frozen=True)
class Negation:
    """The negator found for a hit and how: "governs" (dependency) or "precedes"."""

    word: str
    index: int  # the negator's token index in the Doc
    how: str


def find_negation(
    doc: Doc | DocArrays, first: int, last: int, skip: Collection[int] = ()
) -> Negation | None:
    """The negator that negates tokens `first`..`last` of `doc` (a Doc or a turn's arrays),
    or None (see module notes)."""
    if first < 0:
        return None
    arrays = doc if isinstance(doc, DocArrays) else doc_arrays(doc)
    inside = range(first, last + 1)
    if arrays.has_dep:
        found = _governing(arrays, inside)
        if found is not None:
            return found
    return _preceding(arrays, first, skip)


def _governing(arrays: DocArrays, inside: range) -> Negation | None:
    """A negator among the children of the hit's tokens and their heads up to the clause's."""
    assert arrays.head is not None
    heads = arrays.head
    governors: dict[int, None] = {}
    for i in inside:
        token = i
        governors[token] = None
        for _ in range(len(arrays)):  # a head chain never runs longer (nor in circles)
            head = int(heads[token])
            if arrays.dep_(token) in CLAUSE_RELATIONS or head == token:
                break
            token = head
            governors[token] = None
    children = arrays.children
    for i in governors:
        for child in children.get(i, ()):
            if _is_negator(arrays, child) and child not in inside:
                return Negation(arrays.token_text(child), child, "governs")
    return None


def _preceding(arrays: DocArrays, first: int, skip: Collection[int]) -> Negation | None:
    """The negator before the hit in its sentence, walking back to a clause break: only
    tokens whose type is a negator or a clause break (`_kinds`) are looked at."""
    start = arrays.sentence_start(first)
    if first <= start:
        return None
    kinds = _kinds()[arrays.type_of[start:first]]
    for at in np.flatnonzero(kinds)[::-1].tolist():
        i = start + at
        if i in skip or arrays.space[i]:
            continue
        if kinds[at] == _BREAK:
            return None
        if _is_negator(arrays, i):
            return Negation(arrays.token_text(i), i, "precedes")
    return None


_NEGATOR, _BREAK = 1, 2


class _TypeKinds:
    """Per type of `nlp.arrays.TYPES` (grown as types are seen): whether its lowercase form
    is a negator (`_NEGATOR`), a clause break (`_BREAK`) or neither (0)."""

    def __init__(self) -> None:
        self._kinds = np.zeros(1024, dtype=np.uint8)
        self._size = 0

    def __call__(self) -> np.ndarray:
        size = len(TYPES)
        if self._size < size:
            if size > len(self._kinds):  # capacity doubles: new types copy little
                grown = np.zeros(max(size, 2 * len(self._kinds)), dtype=np.uint8)
                grown[: self._size] = self._kinds[: self._size]
                self._kinds = grown
            for t in range(self._size, size):
                lower = TYPES.pairs[t][0].lower()
                self._kinds[t] = (
                    _NEGATOR if lower in NEGATORS else _BREAK if lower in CLAUSE_BREAKS else 0
                )
            self._size = size
        return self._kinds


_kinds = _TypeKinds()


def _is_negator(arrays: DocArrays, i: int) -> bool:
    lower = arrays.token_text(i).lower()
    if lower not in NEGATORS:
        return False
    if lower in _NOT_SANT:
        following = next((j for j in range(i + 1, len(arrays)) if not arrays.space[j]), None)
        return following is None or arrays.token_text(following).lower() not in NOT_NEGATING_NEXT
    return True
