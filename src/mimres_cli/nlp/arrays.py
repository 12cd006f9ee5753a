"""A parsed Doc's token attributes as arrays, so coding reads ints instead of building Tokens.

Building a spaCy `Token` object costs about a microsecond, and the coding stage used to build
one per token per unit and per question it asked (candidates, words, sentences, offsets). A
`DocArrays` reads the attributes once per Doc with `Doc.to_array` (one C call) and gives:

- each token's *type*: its (form, lemma) pair as an index into the Doc's distinct pairs, so a
  codebook's word tables are consulted once per distinct type, not once per token;
- character offsets, white space, punctuation and sentence starts;
- the Doc-level facts (`has_pos`, `has_dep`, `has_sents`) that `Doc.has_annotation` works out
  by walking every token, once per Doc instead of once per hit.

`doc_arrays(doc)` keeps the arrays of the last Docs asked for: the parse cache's check of an
entry's text, the units of a turn, and every stage that looks at one unit (words, terms,
evidence, negation) share them.
"""

from __future__ import annotations

import functools
from collections.abc import Collection

import numpy as np
from spacy.attrs import DEP, IDX, IS_PUNCT, IS_SPACE, LEMMA, LENGTH, ORTH, POS, SENT_START, SPACY
from spacy.tokens import Doc

from mimres_cli.nlp.words import _has_alnum

_ATTRS = [ORTH, LEMMA, IDX, LENGTH, IS_SPACE, IS_PUNCT, SENT_START, POS, DEP, SPACY]
#: A (form, lemma) pair of 64-bit string hashes as one sortable value.
_PAIR = np.dtype((np.void, 16))


class DocArrays:
    """The token attributes of one Doc that coding reads (see the module notes)."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        table = doc.to_array(_ATTRS) if len(doc) else np.zeros((0, len(_ATTRS)), np.uint64)
        pairs = np.ascontiguousarray(table[:, :2]).view(_PAIR).ravel()
        keys, inverse = np.unique(pairs, return_inverse=True)
        #: The distinct (ORTH, LEMMA) hashes of the Doc, one row per type.
        rows = keys.view(np.uint64).reshape(-1, 2).tolist()
        self.types: list[tuple[int, int]] = [(orth, lemma) for orth, lemma in rows]
        #: Each token's index into `types`.
        self.type_of: np.ndarray = inverse.reshape(-1).astype(np.intp)
        strings = doc.vocab.strings
        #: The form of each type.
        self.forms: list[str] = [strings[orth] for orth, _ in self.types]
        #: `Doc.text`, joined from the forms of the types (`Doc.text` builds every Token).
        self.text = _joined(self.forms, self.type_of, table[:, 9].astype(bool))
        self.idx: np.ndarray = table[:, 2].astype(np.int64)
        self.end: np.ndarray = self.idx + table[:, 3].astype(np.int64)
        self.space: np.ndarray = table[:, 4].astype(bool)
        self.punct: np.ndarray = table[:, 5].astype(bool)
        self.sent_start: np.ndarray = table[:, 6] == 1  # -1 (not a start) wraps in uint64
        # Doc.has_annotation, without its walk over every token in Python
        self.has_pos = bool(table[:, 7].any())
        self.has_dep = bool(table[:, 8].any())
        self.has_sents = "sents" in doc.user_hooks or len(doc) == 1 or bool(table[1:, 6].any())

    def __len__(self) -> int:
        return len(self.idx)

    def type_strings(self) -> list[tuple[str, str]]:
        """The (form, lemma) strings of each type (lemma "" when the pipeline set none)."""
        strings = self.doc.vocab.strings
        return [
            (form, strings[lemma]) for form, (_, lemma) in zip(self.forms, self.types, strict=True)
        ]

    @functools.cached_property
    def word(self) -> np.ndarray:
        """Tokens that are words when no transcription mark covers them: not punctuation or
        white space, with a letter or digit (`nlp.words.is_word_token`)."""
        alnum = np.array([_has_alnum(form) for form in self.forms], dtype=bool)
        return ~self.punct & ~self.space & alnum[self.type_of]

    @functools.cached_property
    def counted(self) -> np.ndarray:
        """Tokens counted by word positions: not white space or punctuation (marks aside)."""
        return ~self.space & ~self.punct

    @functools.cached_property
    def starts(self) -> np.ndarray:
        """Indices of the tokens that start a sentence."""
        return np.flatnonzero(self.sent_start)

    def sentence_start(self, i: int) -> int:
        """The first token of token `i`'s sentence (`Token.sent.start`; 0 without sentences)."""
        if not self.has_sents:
            return 0
        at = int(np.searchsorted(self.starts, i, side="right"))
        return int(self.starts[at - 1]) if at else 0

    def token_text(self, i: int) -> str:
        return self.text[self.idx[i] : self.end[i]]

    def span_text(self, start: int, end: int) -> str:
        """`Span.text` of tokens `start`..`end` (exclusive), without building the Span."""
        if end <= start:
            return ""
        return self.text[self.idx[start] : self.end[end - 1]]

    def words(self, start: int, end: int, skip: Collection[int]) -> int:
        """How many tokens of `start`..`end` are words (`is_word_token`) and no mark."""
        count = int(np.count_nonzero(self.word[start:end]))
        return count - sum(1 for i in skip if start <= i < end and self.word[i])

    def kept(self, start: int, end: int, skip: Collection[int]) -> np.ndarray:
        """Indices of tokens `start`..`end` that are no mark and no white space."""
        keep = np.flatnonzero(~self.space[start:end]) + start
        if skip:
            keep = keep[~np.isin(keep, np.fromiter(skip, dtype=np.int64, count=len(skip)))]
        return keep

    def before(self, start: int, end: int, skip: Collection[int]) -> Positions:
        """Words before each token index of `start`..`end` and the one after (word_positions)."""
        counted = self.counted[start:end].copy()
        for i in skip:
            if start <= i < end:
                counted[i - start] = False
        running = np.zeros(end - start + 1, dtype=np.int64)
        np.cumsum(counted, out=running[1:])
        return Positions(start, running)

    def sentences(self, start: int, end: int) -> Sentences:
        """Each token's sentence in `start`..`end`, clipped to it (`evidence.sentence_of`)."""
        if not self.has_sents:
            return Sentences(start, end, np.array([start, end], dtype=np.int64))
        inner = np.flatnonzero(self.sent_start[start + 1 : end]) + start + 1
        return Sentences(start, end, np.concatenate(([start], inner, [end])).astype(np.int64))


class Positions:
    """Token index → words before it, for the indices `start`..`start + len - 1` (a read-only
    mapping over an array)."""

    __slots__ = ("running", "start")

    def __init__(self, start: int, running: np.ndarray) -> None:
        self.start = start
        self.running = running

    def __contains__(self, i: object) -> bool:
        return isinstance(i, int) and 0 <= i - self.start < len(self.running)

    def __getitem__(self, i: int) -> int:
        if i not in self:
            raise KeyError(i)
        return int(self.running[i - self.start])


class Sentences:
    """Token index → (start, end) of its sentence, for the tokens `start`..`end` - 1."""

    __slots__ = ("bounds", "end", "start")

    def __init__(self, start: int, end: int, bounds: np.ndarray) -> None:
        self.start, self.end, self.bounds = start, end, bounds

    def get(self, i: int, default: tuple[int, int] | None = None) -> tuple[int, int] | None:
        if not self.start <= i < self.end:
            return default
        at = int(np.searchsorted(self.bounds, i, side="right"))
        return int(self.bounds[at - 1]), int(self.bounds[at])


def _joined(forms: list[str], type_of: np.ndarray, spaced: np.ndarray) -> str:
    """The text of tokens of these types, each followed by a space where `spaced`."""
    table = forms + [form + " " for form in forms]
    return "".join([table[k] for k in np.where(spaced, type_of + len(forms), type_of).tolist()])


#: How many Docs' arrays `doc_arrays` keeps: an interview's turns, read from the cache and
#: then coded, without keeping a long interview's arrays for the rest of the run.
_KEPT = 64
_kept: dict[int, DocArrays] = {}


def doc_arrays(doc: Doc) -> DocArrays:
    """The arrays of `doc`, kept for the last Docs asked for (see the module notes).

    An entry holds its Doc, so the id it is filed under cannot be another Doc's meanwhile.
    """
    arrays = _kept.get(id(doc))
    if arrays is not None and arrays.doc is doc:
        return arrays
    arrays = DocArrays(doc)
    if len(_kept) >= _KEPT:
        del _kept[next(iter(_kept))]
    _kept[id(doc)] = arrays
    return arrays
