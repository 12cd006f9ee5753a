"""Compile codebooks into one matcher that finds every code's rule hits in a unit of text.

Terms are matched through an index keyed by word, not by looping over terms: each token's
candidate forms (predicted lemma, lowercase form, Norsk Ordbank lemmas) are looked up once in
hash tables of exact words, glob heads (`arbeidsgiver*`) and glob tails (`*opplæring`), and the
answer is cached per distinct set of candidates. The cost per token is therefore independent of
the number of codes. spaCy's Matcher would evaluate one Python predicate per pattern and token
for the extension attribute that holds several candidate lemmas, which grows with the codebook.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from mimres_cli.codebook.model import Code, Codebook
from mimres_cli.errors import CodebookError
from mimres_cli.nlp.words import token_candidates


@dataclass(frozen=True)
class Hit:
    """One rule of one code matching in a unit. Offsets are characters in the unit's Doc."""

    code: str
    rule: str  # "term" or "regex"
    pattern: str
    start: int
    end: int
    words: str


@dataclass(frozen=True)
class _Term:
    code: str
    text: str
    words: tuple[int, ...]  # ids of term words, see CodeMatcher._word_ids


@dataclass
class _WordTables:
    exact: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    heads: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))  # "x*"
    tails: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))  # "*x"
    inner: list[tuple[str, int]] = field(default_factory=list)  # "*x*", rare: scanned


class CodeMatcher:
    """All rules of one or more codebooks, ready to apply to units of parsed text."""

    def __init__(self, codebooks: Sequence[Codebook]) -> None:
        self.codebooks = tuple(codebooks)
        self.codes: dict[str, Code] = {}
        self.codes_origin: dict[str, Codebook] = {}
        for codebook in self.codebooks:
            for code in codebook.walk():
                if code.path in self.codes:
                    raise CodebookError(
                        f"code '{code.path}' is in two codebooks "
                        f"({self.codes_origin[code.path].path} and {codebook.path})",
                        fix="Rename the theme in one of them",
                    )
                self.codes[code.path] = code
                self.codes_origin[code.path] = codebook
        self._word_ids: dict[str, int] = {}
        self._tables = _WordTables()
        self._terms_by_first: dict[int, list[_Term]] = defaultdict(list)
        self._regex: list[tuple[str, str, re.Pattern[str]]] = []
        self._cache: dict[tuple[str, ...], frozenset[int]] = {}
        for code in self.codes.values():
            for term in code.terms:
                ids = tuple(self._word_id(word) for word in term.split())
                self._terms_by_first[ids[0]].append(_Term(code.path, term, ids))
            for pattern in code.regex:
                self._regex.append((code.path, pattern, re.compile(pattern, re.IGNORECASE)))

    def codebook_of(self, code_path: str) -> str:
        """The name of the codebook that defines `code_path`."""
        return self.codes_origin[code_path].name

    def _word_id(self, word: str) -> int:
        if word in self._word_ids:
            return self._word_ids[word]
        word_id = len(self._word_ids)
        self._word_ids[word] = word_id
        core = word.strip("*")
        if word.startswith("*") and word.endswith("*"):
            self._tables.inner.append((core, word_id))
        elif word.startswith("*"):
            self._tables.tails[core].add(word_id)
        elif word.endswith("*"):
            self._tables.heads[core].add(word_id)
        else:
            self._tables.exact[core].add(word_id)
        return word_id

    def word_ids(self, candidates: tuple[str, ...]) -> frozenset[int]:
        """The ids of every term word that one of `candidates` satisfies (cached)."""
        cached = self._cache.get(candidates)
        if cached is not None:
            return cached
        tables = self._tables
        found: set[int] = set()
        for form in candidates:
            found |= tables.exact.get(form, set())
            for cut in range(len(form) + 1):
                found |= tables.tails.get(form[cut:], set())
                found |= tables.heads.get(form[:cut], set())
            found.update(word_id for core, word_id in tables.inner if core in form)
        result = frozenset(found)
        self._cache[candidates] = result
        return result

    def match(self, unit: Span, skip: Iterable[int] = ()) -> list[Hit]:
        """Every term and regex hit in `unit`; tokens whose index is in `skip` never match.

        Multi-word terms match consecutive tokens, passing over skipped tokens (transcription
        marks), so "individuell # plan" still reads "individuell plan".
        """
        skipped = set(skip)
        tokens = [t for t in unit if t.i not in skipped and not t.is_space]
        ids = [self.word_ids(token_candidates(t)) for t in tokens]
        hits = [hit for pos in range(len(tokens)) for hit in self._terms_at(tokens, ids, pos)]
        hits.extend(self._regex_hits(unit, skipped))
        return hits

    def _terms_at(self, tokens: list[Token], ids: list[frozenset[int]], pos: int) -> list[Hit]:
        hits = []
        for first in ids[pos]:
            for term in self._terms_by_first.get(first, ()):
                end = pos + len(term.words)
                if end <= len(tokens) and all(
                    word in ids[pos + k] for k, word in enumerate(term.words[1:], start=1)
                ):
                    hits.append(_hit(term.code, "term", term.text, tokens[pos:end]))
        return hits

    def _regex_hits(self, unit: Span, skipped: set[int]) -> list[Hit]:
        doc = unit.doc
        hits = []
        for code, pattern, regex in self._regex:
            for found in regex.finditer(unit.text):
                start, end = unit.start_char + found.start(), unit.start_char + found.end()
                span = doc.char_span(start, end, alignment_mode="expand")
                if span is not None and all(t.i in skipped for t in span):
                    continue  # a match made of transcription marks only
                hits.append(Hit(code, "regex", pattern, start, end, found.group(0)))
        return hits


def _hit(code: str, rule: str, pattern: str, tokens: list[Token]) -> Hit:
    start = tokens[0].idx
    end = tokens[-1].idx + len(tokens[-1].text)
    return Hit(code, rule, pattern, start, end, " ".join(t.text for t in tokens))


def compile_codebooks(codebooks: Sequence[Codebook]) -> CodeMatcher:
    """One matcher for all `codebooks`; raises CodebookError when two define the same path."""
    return CodeMatcher(codebooks)
