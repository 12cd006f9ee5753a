"""A parsed turn's token attributes as arrays, so coding reads ints instead of building Tokens.

Building a spaCy `Token` object costs about a microsecond, and decoding a cached DocBin into
Docs costs more than coding them. A `DocArrays` holds what coding reads about each token of one
turn, either read from a Doc once with `Doc.to_array` (one C call; `DocArrays.of_doc`) or
straight from the parse cache's array file beside the DocBin (`nlp.cache`, `TurnArrays`), in
which case the Doc itself is decoded only when a rule asks for it (`DocArrays.doc`: spaCy's
Matcher for token `patterns` that test more than the word form):

- each token's *type*: its (form, lemma) pair as an id in the process-wide `TYPES` table, so
  a codebook's word tables are consulted once per distinct type of the corpus, and a unit's
  tokens are tested with one array look-up (`codebook.compile`);
- character offsets, white space, punctuation, sentence starts, and the part of speech,
  dependency label and head where the pipeline sets them;
- the Doc-level facts (`has_pos`, `has_dep`, `has_sents`) that `Doc.has_annotation` works out
  by walking every token.

`doc_arrays(doc)` gives the arrays of a Doc (kept for the last Docs asked for, and for every
Doc decoded from a cache entry whose arrays were read first, so both views agree).
`TokenSpan` is a unit's tokens, the part of a spaCy `Span` coding reads, without the Doc.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable, Collection, Iterator, Sequence
from itertools import pairwise
from typing import TYPE_CHECKING, Any

import numpy as np

from mimres_cli.corpus.marks import find_marks
from mimres_cli.nlp.words import _candidates, _has_alnum

if TYPE_CHECKING:  # spaCy is imported where a Doc is read, not on a warm run's path
    from spacy.strings import StringStore
    from spacy.tokens import Doc, Span
    from spacy.vocab import Vocab


@functools.cache
def _attrs() -> list[int]:
    """The token attributes `DocArrays.of_doc` reads, in the order of its table's columns."""
    from spacy.attrs import DEP, HEAD, IS_PUNCT, IS_SPACE, LEMMA, ORTH, POS, SENT_START, SPACY

    return [ORTH, LEMMA, SPACY, IS_SPACE, IS_PUNCT, SENT_START, POS, DEP, HEAD]


#: A (form, lemma) pair of 64-bit string hashes as one sortable value.
_PAIR = np.dtype((np.void, 16))
#: Bits of the `flags` column: a space after the token, a white-space token, punctuation, and
#: (in the parse cache only) a token that shares a character with a transcription mark.
SPACE_AFTER, IS_WS, PUNCT, MARK = 1, 2, 4, 8


class TypeTable:
    """Every (form, lemma) pair seen in this process, numbered from 0: the corpus' types.

    Per type it keeps the form, the lemma, its length, whether the form has a letter or digit,
    and the lemma candidates a codebook word may equal (`nlp.words._candidates`; read from the
    parse cache where it holds them, worked out on first use otherwise).
    """

    def __init__(self) -> None:
        self.ids: dict[tuple[str, str], int] = {}
        self.pairs: list[tuple[str, str]] = []
        self._candidates: list[tuple[str, ...] | None] = []
        self._unknown = 0  # types without candidates yet
        self._lengths: list[int] = []
        self._alnum: list[bool] = []
        self._length_column = np.zeros(0, dtype=np.int64)
        self._alnum_column = np.zeros(0, dtype=bool)
        self._filled = 0
        self._hashed: dict[tuple[int, int], int] = {}  # (form hash, lemma hash) -> id

    def __len__(self) -> int:
        return len(self.pairs)

    def add(self, form: str, lemma: str, candidates: tuple[str, ...] | None = None) -> int:
        key = (form, lemma)
        found = self.ids.get(key)
        if found is not None:
            if candidates is not None and self._candidates[found] is None:
                self._candidates[found] = candidates
                self._unknown -= 1
            return found
        found = self.ids[key] = len(self.pairs)
        self.pairs.append(key)
        self._candidates.append(candidates)
        self._unknown += candidates is None
        self._lengths.append(len(form))
        self._alnum.append(_has_alnum(form))
        return found

    def ids_of(
        self,
        pairs: Sequence[tuple[str, str]],
        candidates: Callable[[int], tuple[str, ...]] | None = None,
    ) -> np.ndarray:
        """The ids of these (form, lemma) pairs, added where new; `candidates(n)` gives the
        lemma candidates of pair n, asked only for types that lack them."""
        get = self.ids.get
        out = [get(pair, -1) for pair in pairs]
        if candidates is not None and self._unknown:
            known = self._candidates
            todo = [n for n, found in enumerate(out) if found < 0 or known[found] is None]
        else:
            todo = [n for n, found in enumerate(out) if found < 0]
        for n in todo:
            out[n] = self.add(*pairs[n], candidates(n) if candidates is not None else None)
        return np.array(out, dtype=np.intp)

    def ids_of_hashes(self, rows: list[list[int]], strings: StringStore) -> np.ndarray:
        """The ids of the (form hash, lemma hash) rows of a Doc's `to_array`, added where new:
        a known type costs one dict look-up, not two StringStore look-ups."""
        keys = list(map(tuple, rows))
        out = list(map(self._hashed.get, keys))
        if None in out:
            todo = [n for n, found in enumerate(out) if found is None]
            texts = texts_of(strings, [h for n in todo for h in keys[n]])
            new = self.ids_of(list(zip(texts[::2], texts[1::2], strict=True)))
            for n, found in zip(todo, new.tolist(), strict=True):
                out[n] = self._hashed[keys[n]] = found  # type: ignore[index]
        return np.array(out, dtype=np.intp)

    def candidates(self, type_id: int) -> tuple[str, ...]:
        """The forms a codebook word may equal for this type (see the class notes)."""
        found = self._candidates[type_id]
        if found is None:
            form, lemma = self.pairs[type_id]
            found = self._candidates[type_id] = _candidates(lemma, form)
        return found

    def form(self, type_id: int) -> str:
        return self.pairs[type_id][0]

    def columns(self) -> tuple[np.ndarray, np.ndarray]:
        """Per type: the form's length and whether it has a letter or digit (grown as types
        are added, never rebuilt)."""
        size = len(self.pairs)
        if self._filled < size:
            if len(self._length_column) < size:
                capacity = max(size, 2 * len(self._length_column), 1024)
                self._length_column = np.resize(self._length_column, capacity)
                self._alnum_column = np.resize(self._alnum_column, capacity)
            self._length_column[self._filled : size] = self._lengths[self._filled : size]
            self._alnum_column[self._filled : size] = self._alnum[self._filled : size]
            self._filled = size
        return self._length_column[:size], self._alnum_column[:size]


#: The types of this process (see `TypeTable`).
TYPES = TypeTable()
#: The string of each hash looked up: a hash names the same string in every vocab, and a dict
#: look-up costs a fraction of `StringStore.__getitem__`, which decodes the string each time.
_TEXT_OF: dict[int, str] = {}


def texts_of(strings: StringStore, hashes: list[int]) -> list[str]:
    """`strings[h]` of each hash, remembered for the process."""
    found = list(map(_TEXT_OF.get, hashes))
    if None in found:
        for n, text in enumerate(found):
            if text is None:
                found[n] = _TEXT_OF[hashes[n]] = strings[hashes[n]]
    return found  # type: ignore[return-value]


class DocArrays:
    """The token attributes of one turn that coding reads (see the module notes).

    `type_of` are ids in `TYPES`; `flags` hold `SPACE_AFTER`, `IS_WS` and `PUNCT`;
    `sent_start` is spaCy's (1 a start, -1 not, 0 unknown); `pos` and `dep` are label strings
    per token ("" where unset) and `head` absolute token indices, or None when the pipeline
    sets none. `text` must be the Doc's text: the parse cache checks it against the turn.
    """

    def __init__(
        self,
        type_of: np.ndarray,
        flags: np.ndarray,
        sent_start: np.ndarray,
        text: str,
        *,
        labels: tuple[list[str], np.ndarray, np.ndarray] | None = None,
        head: np.ndarray | None = None,
        doc: Doc | None = None,
        load: Callable[[], None] | None = None,
        vocab: Vocab | Callable[[], Vocab] | None = None,
        marks: frozenset[int] | None = None,
    ) -> None:
        self.type_of = type_of
        self.flags = flags
        self.sent_marks = sent_start
        self.text = text
        lengths, _ = TYPES.columns()
        size = lengths[type_of] + (flags & SPACE_AFTER).astype(np.int64)
        self.idx: np.ndarray = np.zeros(len(type_of), dtype=np.int64)
        if len(type_of) > 1:
            np.cumsum(size[:-1], out=self.idx[1:])
        self.end: np.ndarray = self.idx + lengths[type_of]
        self.space: np.ndarray = (flags & IS_WS).astype(bool)
        self.punct: np.ndarray = (flags & PUNCT).astype(bool)
        self.sent_start: np.ndarray = sent_start == 1
        self.labels = labels  # (label strings, POS ids, DEP ids) into the strings
        self.head = head
        self.has_pos = labels is not None and bool(labels[1].any())
        self.has_dep = labels is not None and bool(labels[2].any())
        self.has_sents = len(type_of) == 1 or bool(sent_start[1:].any())
        self.hooked = False  # sentences come from a `user_hooks["sents"]` of the Doc
        self._doc = doc
        self._load = load
        self._vocab = doc.vocab if doc is not None else vocab
        if marks is not None:
            self.marks = marks  # read from the parse cache (see `marks`)

    @classmethod
    def of_doc(cls, doc: Doc) -> DocArrays:
        """The arrays of a Doc, read with one `Doc.to_array`."""
        attrs = _attrs()
        table = doc.to_array(attrs) if len(doc) else np.zeros((0, len(attrs)), np.uint64)
        pairs = np.ascontiguousarray(table[:, :2]).view(_PAIR).ravel()
        keys, inverse = np.unique(pairs, return_inverse=True)
        strings = doc.vocab.strings
        local = TYPES.ids_of_hashes(keys.view(np.uint64).reshape(-1, 2).tolist(), strings)
        type_of = local[inverse.reshape(-1)]
        flags = (
            table[:, 2].astype(np.int64) * SPACE_AFTER
            + table[:, 3].astype(np.int64) * IS_WS
            + table[:, 4].astype(np.int64) * PUNCT
        )
        sent_start = table[:, 5].view(np.int64)
        forms = [TYPES.pairs[t][0] for t in local.tolist()]
        text = _joined(forms, inverse.reshape(-1), table[:, 2].astype(bool))
        labels = head = None
        if table[:, 6].any() or table[:, 7].any():
            pos_dep = table[:, 6:8]
            codes, ids = np.unique(pos_dep, return_inverse=True)
            names = [strings[int(code)] if code else "" for code in codes.tolist()]
            ids = ids.reshape(pos_dep.shape)
            labels = (names, ids[:, 0].copy(), ids[:, 1].copy())
            labels = _unset_empty(labels, codes)
            head = np.arange(len(doc), dtype=np.int64) + table[:, 8].view(np.int64)
        arrays = cls(type_of, flags, sent_start, text, labels=labels, head=head, doc=doc)
        if "sents" in doc.user_hooks:  # sentences from a hook: Doc.sents asks it
            arrays.has_sents = arrays.hooked = True
        return arrays

    @property
    def vocab(self) -> Vocab | None:
        """The pipeline's Vocab; given as a function, loaded when first asked for (a warm run
        that needs no Doc never loads the pipeline)."""
        if callable(self._vocab):
            self._vocab = self._vocab()
        return self._vocab

    @property
    def doc(self) -> Doc:
        """The spaCy Doc of the turn (decoded from the parse cache on first use)."""
        if self._doc is None:
            assert self._load is not None
            self._load()  # sets `_doc` of this turn (and of the entry's other turns)
        assert self._doc is not None
        return self._doc

    def attach(self, doc: Doc) -> None:
        """Give the arrays their Doc, decoded from the same entry, and file them under it."""
        self._doc = doc
        _remember(doc, self)

    def __len__(self) -> int:
        return len(self.idx)

    def form(self, i: int) -> str:
        return TYPES.pairs[int(self.type_of[i])][0]

    def pos_(self, i: int) -> str:
        """Token i's coarse part of speech (`Token.pos_`), "" when unset."""
        if self.labels is None:
            return ""
        return self.labels[0][int(self.labels[1][i])]

    def dep_(self, i: int) -> str:
        if self.labels is None:
            return ""
        return self.labels[0][int(self.labels[2][i])]

    @functools.cached_property
    def marks(self) -> frozenset[int]:
        """Tokens that share a character with a transcription mark (`corpus.marks`): they are
        no words and never match."""
        return mark_token_indices(self, find_marks(self.text))

    @functools.cached_property
    def children(self) -> dict[int, list[int]]:
        """Each token's children, in token order (`Token.children`)."""
        found: dict[int, list[int]] = {}
        if self.head is None:
            return found
        for child, head in enumerate(self.head.tolist()):
            if head != child:
                found.setdefault(head, []).append(child)
        return found

    @functools.cached_property
    def word(self) -> np.ndarray:
        """Tokens that are words when no transcription mark covers them: not punctuation or
        white space, with a letter or digit (`nlp.words.is_word_token`)."""
        _, alnum = TYPES.columns()
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

    def sentence_bounds(self) -> list[tuple[int, int]]:
        """The (start, end) tokens of each sentence (`Doc.sents`)."""
        if not self.has_sents or self.hooked:
            return [(span.start, span.end) for span in self.doc.sents]  # or spaCy's error
        starts = [0, *(np.flatnonzero(self.sent_start[1:]) + 1).tolist(), len(self)]
        return [(a, b) for a, b in pairwise(starts) if b > a]

    def token_at(self, char: int) -> int:
        """The token whose text or trailing space holds character `char`, or -1."""
        if char < 0 or char >= len(self.text) or not len(self):
            return -1
        return int(np.searchsorted(self.idx, char, side="right")) - 1

    def char_span(self, start: int, end: int) -> tuple[int, int] | None:
        """The tokens `Doc.char_span(start, end, alignment_mode="expand")` covers, or None."""
        first = self.token_at(start)
        if first < 0:
            return None
        last = self.token_at(end - 1)
        if last < 0:
            return None
        if start == self.end[first]:
            first += 1
        return first, last + 1

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


def _unset_empty(labels: tuple[list[str], np.ndarray, np.ndarray],
                 codes: np.ndarray) -> tuple[list[str], np.ndarray, np.ndarray]:  # fmt: skip
    """Labels with id 0 meaning "unset" ("" first), as stored in the parse cache."""
    names, pos, dep = labels
    if len(codes) and codes[0] == 0:
        return names, pos, dep
    return ["", *names], pos + 1, dep + 1


def mark_token_indices(arrays: DocArrays, marks: list[tuple[int, int]]) -> frozenset[int]:
    """`nlp.words.mark_tokens` on a turn's arrays: the tokens that share a character with a
    mark span."""
    found: set[int] = set()
    for start, end in marks:
        span = arrays.char_span(start, end)
        if span is not None:
            found.update(range(*span))
    return frozenset(found)


class TokenSpan:
    """Tokens `start`..`end` of a turn's arrays: what coding reads of a unit's `Span`.

    Whatever else is asked of it (iterating Tokens, `sents`, `ents`) is the real Span's, built
    from the Doc (decoded from the parse cache on first use).
    """

    __slots__ = ("arrays", "end", "start")

    def __init__(self, arrays: DocArrays, start: int, end: int) -> None:
        self.arrays, self.start, self.end = arrays, start, end

    @property
    def doc(self) -> Doc:
        return self.arrays.doc

    @property
    def start_char(self) -> int:
        if self.start < len(self.arrays):
            return int(self.arrays.idx[self.start])
        return len(self.arrays.text)

    @property
    def end_char(self) -> int:
        if self.end == self.start:
            return self.start_char
        return int(self.arrays.end[self.end - 1])

    @property
    def text(self) -> str:
        return self.arrays.span_text(self.start, self.end)

    def as_span(self) -> Span:
        return self.arrays.doc[self.start : self.end]

    def __len__(self) -> int:
        return self.end - self.start

    def __iter__(self) -> Iterator[Any]:
        return iter(self.as_span())

    def __getitem__(self, item: Any) -> Any:
        return self.as_span()[item]

    def __getattr__(self, name: str) -> Any:
        return getattr(self.as_span(), name)

    def __repr__(self) -> str:
        return f"TokenSpan({self.text[:40]!r}, {self.start}, {self.end})"


def arrays_of(unit: Span | TokenSpan | Doc) -> DocArrays:
    """The arrays of a unit's (or a Doc's) turn, without decoding a Doc that is not there."""
    if isinstance(unit, TokenSpan):
        return unit.arrays
    from spacy.tokens import Doc  # loaded already: `unit` is a spaCy object

    if isinstance(unit, Doc):
        return doc_arrays(unit)
    return doc_arrays(unit.doc)


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
    """The text of tokens of these (local) types, each followed by a space where `spaced`."""
    table = forms + [form + " " for form in forms]
    return "".join([table[k] for k in np.where(spaced, type_of + len(forms), type_of).tolist()])


#: How many Docs' arrays `doc_arrays` keeps: an interview's turns, read from the cache and
#: then coded, without keeping a long interview's arrays for the rest of the run.
_KEPT = 64
_kept: dict[int, DocArrays] = {}


def _remember(doc: Doc, arrays: DocArrays) -> None:
    if len(_kept) >= _KEPT:
        del _kept[next(iter(_kept))]
    _kept[id(doc)] = arrays


def doc_arrays(doc: Doc) -> DocArrays:
    """The arrays of `doc`, kept for the last Docs asked for (see the module notes).

    An entry holds its Doc, so the id it is filed under cannot be another Doc's meanwhile.
    """
    arrays = _kept.get(id(doc))
    if arrays is not None and arrays._doc is doc:
        return arrays
    arrays = _made.pop(doc, None)
    if arrays is not None:
        arrays.attach(doc)
        return arrays
    arrays = DocArrays.of_doc(doc)
    _remember(doc, arrays)
    return arrays


#: Arrays the built-in pipeline built while it parsed (`made_with`), until `doc_arrays` takes
#: them; weakly keyed, so a Doc nobody asks about leaves with its arrays.
_made: weakref.WeakKeyDictionary[Doc, DocArrays] = weakref.WeakKeyDictionary()


def made_with(doc: Doc, type_of: np.ndarray, table: np.ndarray, text: str) -> None:
    """File the arrays of a Doc of the built-in pipeline, built from the columns its
    lemmatiser read (ORTH, SPACY, IS_SPACE, IS_PUNCT, SENT_START; no POS, DEP or head):
    `type_of` are the tokens' ids in `TYPES`, `text` the Doc's text. `doc_arrays(doc)` then
    takes them: what `DocArrays.of_doc` would read, not read from the Doc a second time."""
    flags = (
        table[:, 1].astype(np.int64) * SPACE_AFTER
        + table[:, 2].astype(np.int64) * IS_WS
        + table[:, 3].astype(np.int64) * PUNCT
    )
    _made[doc] = DocArrays(type_of, flags, table[:, 4].view(np.int64), text, vocab=doc.vocab)
