"""Compile codebooks into one matcher that finds every code's rule hits in a unit of text.

Terms (and the terms of `not_terms` and `near`) are matched through an index keyed by word, not
by looping over terms: each token's candidate forms (predicted lemma, lowercase form, Norsk
Ordbank lemmas) are looked up once in hash tables of exact words, glob heads (`arbeidsgiver*`)
and glob tails (`*opplæring`), and the answer is cached per distinct set of candidates. The cost
per token is therefore independent of the number of codes. spaCy's Matcher would evaluate one
Python predicate per pattern and token for the extension attribute that holds several candidate
lemmas, which grows with the codebook; it is used only for the `patterns` power users write.

The matcher reports hits; deciding whether a code applies to a unit (near, not_terms, negation,
speakers) is the coding stage's job (coding/apply.py).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import regex
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from mimres_cli.codebook.equivalents import Equivalents
from mimres_cli.codebook.model import Code, Codebook
from mimres_cli.errors import CodebookError, Where, close_matches, problem, report, suggest
from mimres_cli.nlp.arrays import TYPES, DocArrays, TokenSpan, arrays_of

log = logging.getLogger(__name__)

#: Rule kinds that can make a code apply; "not_terms" and "near" only qualify those hits.
POSITIVE_RULES = ("term", "regex", "pattern")
#: Seconds one codebook regex may search one unit (the `regex` module stops it): far above
#: what a sane pattern needs on the longest turn, far below a hang.
REGEX_SECONDS = 1.0
#: Hits that count as evidence for a code: positive ones, and weak cues (which need company).
EVIDENCE_RULES = (*POSITIVE_RULES, "weak")


@dataclass(frozen=True)
class Hit:
    """One rule of one code matching in a unit. Offsets are characters in the unit's Doc.

    `first` and `last` are the Doc indices of the first and last token the hit covers.
    `near` is the index of the `near` (or `not_near`) constraint a "near" ("not_near") hit
    belongs to. `rejected` says why
    a term hit does not count (its part of speech), "" when it counts.
    """

    code: str
    rule: str  # "term", "regex", "pattern", "weak", "not_terms", "near", "not_near", "not_phrases"
    pattern: str
    start: int
    end: int
    words: str
    first: int = -1
    last: int = -1
    near: int = -1
    rejected: str = ""


@dataclass(frozen=True)
class _Term:
    code: str
    text: str
    words: tuple[int, ...]  # ids of term words, see CodeMatcher._word_id
    rule: str  # "term", "weak", "not_terms", "near", "not_near" or "not_phrases"
    near: int = -1


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
                        fix="Give one of them its own 'namespace:', or rename the theme",
                        code="E207",
                    )
                self.codes[code.path] = code
                self.codes_origin[code.path] = codebook
        self._word_ids: dict[str, int] = {}
        #: Bokmål ↔ Nynorsk: a term word also matches its equivalents (codebook/equivalents.py).
        self.equivalents = Equivalents(g for book in self.codebooks for g in book.equivalents)
        self._tables = _WordTables()
        self._terms_by_first: dict[int, list[_Term]] = defaultdict(list)
        self._regex: list[tuple[str, str, regex.Pattern[str]]] = []
        self._patterns: list[tuple[str, str, list]] = []
        self._matcher: tuple[Vocab, Matcher] | None = None
        self._pattern_filter: _PatternFilter | None = None
        self._sizes: tuple[frozenset[int], frozenset[int]] | None = None
        self._cache: dict[tuple[str, ...], frozenset[int]] = {}
        #: Per type of `nlp.arrays.TYPES` (grown as types are seen): the term words it
        #: satisfies, and whether it satisfies any (see `type_ids`).
        self._ids_by_type: list[frozenset[int]] = []
        self._relevant_type = np.zeros(0, dtype=bool)
        self._doc_ids: tuple[DocArrays, np.ndarray] | None = None
        self._pos_warned = False
        for code in self.codes.values():
            for rule, terms, near in _term_lists(code):
                for term in terms:
                    ids = tuple(self._word_id(word) for word in term.split())
                    self._terms_by_first[ids[0]].append(_Term(code.path, term, ids, rule, near))
            for pattern in code.regex:
                self._regex.append((code.path, pattern, regex.compile(pattern, regex.IGNORECASE)))
            for text, pattern in zip(code.patterns, code.token_patterns, strict=True):
                self._patterns.append((code.path, text, pattern))
        #: The speaker roles at least one code applies to.
        self.roles = frozenset(role for code in self.codes.values() for role in code.speakers)

    def codebook_of(self, code_path: str) -> str:
        """The name of the codebook that defines `code_path`."""
        return self.codes_origin[code_path].name

    def find_code(self, name: str) -> str:
        """The path of the code called `name` (a path, or an id used by one code only).

        Raises CodebookError, with the closest paths, when there is no such code.
        """
        if name in self.codes:
            return name
        same_id = [path for path, code in self.codes.items() if code.id == name]
        if len(same_id) == 1:
            return same_id[0]
        if same_id:
            raise CodebookError(f"code id '{name}' is used by {', '.join(same_id)}",
                                fix="Give the full path", code="E218")  # fmt: skip
        by_id = {code.id: path for path, code in self.codes.items()}
        close = close_matches(name, self.codes, n=3)
        close += [by_id[i] for i in close_matches(name, by_id, n=3)]
        raise CodebookError(
            f"no code '{name}' in the codebook(s)",
            fix=suggest(list(dict.fromkeys(close))[:3],
                        otherwise="Run 'mimres codebook show FILE' to list the codes"),
            code="E218",
        )  # fmt: skip

    def _word_id(self, word: str) -> int:
        if word in self._word_ids:
            return self._word_ids[word]
        word_id = len(self._word_ids)
        self._word_ids[word] = word_id
        stripped = word.strip("*")
        for core in (stripped, *self.equivalents.of(stripped)):
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
        tail_sizes, head_sizes = self._glob_sizes()
        for form in candidates:
            found |= tables.exact.get(form, set())
            size = len(form)
            for cut in range(size + 1):  # only the cuts a glob of that length can meet
                if size - cut in tail_sizes:
                    found |= tables.tails.get(form[cut:], set())
                if cut in head_sizes:
                    found |= tables.heads.get(form[:cut], set())
            found.update(word_id for core, word_id in tables.inner if core in form)
        result = frozenset(found)
        self._cache[candidates] = result
        return result

    def _glob_sizes(self) -> tuple[frozenset[int], frozenset[int]]:
        """The lengths of the glob tails (`*x`) and heads (`x*`) in the word tables."""
        if self._sizes is None:
            self._sizes = (frozenset(map(len, self._tables.tails)),
                           frozenset(map(len, self._tables.heads)))  # fmt: skip
        return self._sizes

    def match(self, unit: Span | TokenSpan, skip: Iterable[int] = ()) -> list[Hit]:
        """Every term, regex and token-pattern hit in `unit` that counts for its code.

        Tokens whose index is in `skip` (transcription marks) never match. Multi-word terms
        match consecutive tokens, passing over skipped tokens, so "individuell # plan" still
        reads "individuell plan". Term hits outside a code's `pos` are left out.
        """
        return [h for h in self.scan(unit, skip) if h.rule in POSITIVE_RULES and not h.rejected]

    def scan(self, unit: Span | TokenSpan, skip: Iterable[int] = ()) -> list[Hit]:
        """Every hit of every rule kind in `unit`, including not_terms, near and rejected hits."""
        skipped = set(skip)
        arrays = arrays_of(unit)
        hits = self._term_hits(arrays, unit.start, unit.end, skipped)
        hits.extend(self._regex_hits(arrays, unit.start, unit.end, skipped))
        hits.extend(self._pattern_hits(unit, arrays, skipped))
        return hits

    def type_ids(self) -> tuple[list[frozenset[int]], np.ndarray]:
        """For each type of the corpus (`nlp.arrays.TYPES`), the term words it satisfies, and
        whether it satisfies any: worked out once per type, from its lemma candidates."""
        done, size = len(self._ids_by_type), len(TYPES)
        if done < size:
            new = [self.word_ids(TYPES.candidates(t)) for t in range(done, size)]
            self._ids_by_type.extend(new)
            relevant = np.fromiter((bool(one) for one in new), dtype=bool, count=len(new))
            self._relevant_type = np.concatenate([self._relevant_type, relevant])
        return self._ids_by_type, self._relevant_type

    def _relevant_tokens(self, arrays: DocArrays) -> np.ndarray:
        """For each token of a turn, whether its type satisfies any term word."""
        if self._doc_ids is not None and self._doc_ids[0] is arrays:
            return self._doc_ids[1]
        _, relevant = self.type_ids()
        self._doc_ids = (arrays, relevant[arrays.type_of])
        return self._doc_ids[1]

    def _term_hits(self, arrays: DocArrays, start: int, end: int, skipped: set[int]) -> list[Hit]:
        """Term hits in tokens `start`..`end` of a turn, read from its arrays: a unit none of
        whose types satisfies a term word costs one array test."""
        relevant = self._relevant_tokens(arrays)
        if not relevant[start:end].any():
            return []
        ids, _ = self.type_ids()
        kept = arrays.kept(start, end, skipped)
        kept_ids = [ids[t] for t in arrays.type_of[kept].tolist()]
        tokens = kept.tolist()
        hits = []
        for pos in np.flatnonzero(relevant[kept]).tolist():
            for first in kept_ids[pos]:
                for term in self._terms_by_first.get(first, ()):
                    stop = pos + len(term.words)
                    if stop <= len(tokens) and all(
                        word in kept_ids[pos + k] for k, word in enumerate(term.words[1:], start=1)
                    ):
                        covered = tokens[pos:stop]
                        rejected = ""
                        if term.rule in ("term", "weak"):
                            rejected = self._pos_rejection(term, arrays, covered)
                        hits.append(_hit(term, arrays, covered, rejected))
        return hits

    def _pos_rejection(self, term: _Term, arrays: DocArrays, covered: list[int]) -> str:
        allowed = self.codes[term.code].pos
        if not allowed:
            return ""
        if not arrays.has_pos:
            self._warn_no_tagger()
            return ""
        tags = [arrays.pos_(i) for i in covered]
        if any(tag in allowed for tag in tags):
            return ""
        tags = "/".join(dict.fromkeys(tag or "?" for tag in tags))
        return f"part of speech {tags} is not in pos [{', '.join(allowed)}]"

    def _warn_no_tagger(self) -> None:
        if self._pos_warned:
            return
        self._pos_warned = True
        with_pos = [path for path, code in self.codes.items() if code.pos and code.terms]
        paths = ", ".join(f"'{p}'" for p in with_pos)
        report(problem(
            "W204",
            f"the pipeline has no tagger, so 'pos' restrictions are ignored: the terms of {paths} "
            "match words of any part of speech",
            fix="Use a trained pipeline (--model) to apply them",
        ), log)  # fmt: skip

    def _regex_hits(self, arrays: DocArrays, first: int, last: int, skipped: set[int]) -> list[Hit]:
        hits = []
        text = arrays.span_text(first, last)  # Span.text builds Tokens
        offset = int(arrays.idx[first]) if first < len(arrays) else len(arrays.text)
        for code, pattern, compiled in self._regex:
            for found in _search(compiled, text, self.codes[code], pattern):
                start, end = offset + found.start(), offset + found.end()
                span = arrays.char_span(start, end)
                if span is not None and all(i in skipped for i in range(*span)):
                    continue  # a match made of transcription marks only
                at, stop = (span[0], span[1] - 1) if span is not None else (-1, -1)
                hits.append(Hit(code, "regex", pattern, start, end, found.group(0), at, stop))
        return hits

    def _pattern_hits(
        self, unit: Span | TokenSpan, arrays: DocArrays, skipped: set[int]
    ) -> list[Hit]:
        if not self._patterns:
            return []
        if self._pattern_filter is None:
            self._pattern_filter = _PatternFilter([p for _, _, p in self._patterns])
        if not self._pattern_filter.possible(arrays, unit.start, unit.end):
            return []  # no pattern can match: no token has the forms they need
        span = unit.as_span() if isinstance(unit, TokenSpan) else unit  # decodes the Doc
        matcher = self._spacy_matcher(span.doc.vocab)
        hits = []
        for key, start, end in matcher(span):
            code, text, _ = self._patterns[int(span.doc.vocab.strings[key])]
            found = span.doc[span.start + start : span.start + end]
            if any(t.i in skipped for t in found):
                continue  # a pattern never spans a transcription mark
            hits.append(Hit(code, "pattern", text, found.start_char, found.end_char,
                            found.text, found.start, found.end - 1))  # fmt: skip
        return hits

    def _spacy_matcher(self, vocab: Vocab) -> Matcher:
        if self._matcher is None or self._matcher[0] is not vocab:
            matcher = Matcher(vocab, validate=True)
            for n, (_, _, pattern) in enumerate(self._patterns):
                matcher.add(str(n), [pattern], greedy="LONGEST")
            self._matcher = (vocab, matcher)
        return self._matcher[1]


#: Token-pattern keys whose value depends on the word form alone (spaCy lexeme attributes).
_FORM_KEYS = frozenset({
    "ORTH", "TEXT", "LOWER", "LENGTH", "IS_ALPHA", "IS_ASCII", "IS_DIGIT", "IS_LOWER",
    "IS_UPPER", "IS_TITLE", "IS_PUNCT", "IS_SPACE", "IS_STOP", "LIKE_NUM", "LIKE_URL",
    "LIKE_EMAIL", "SHAPE", "PREFIX", "SUFFIX", "IS_BRACKET", "IS_QUOTE", "IS_LEFT_PUNCT",
    "IS_RIGHT_PUNCT", "IS_CURRENCY",
})  # fmt: skip
#: Operators under which a pattern token must occur at least once.
_REQUIRED_OPS = (None, "1", "+")


class _PatternFilter:
    """Which units a token pattern may match in, known from the forms of their tokens.

    Each token of a pattern that must occur (no operator, "1" or "+") and tests the form
    (`_FORM_KEYS`: LOWER, ORTH, REGEX on them, IS_PUNCT, ...) gives a condition: its form
    keys alone, as a one-token pattern. spaCy's Matcher evaluates each condition once per
    distinct form of the corpus, so the conditions mean exactly what they mean in the
    pattern. A unit where no pattern has every condition met by some token cannot match any
    pattern, and the Matcher (which builds a Token per token and state) is not run on it.
    At most 64 conditions are kept: a condition left out only makes the filter let more
    units through.
    """

    def __init__(self, patterns: Sequence[list[dict[str, Any]]]) -> None:
        self.specs: list[dict[str, Any]] = []
        self.needs: list[int] = []  # per pattern: a bit per condition it needs
        for pattern in patterns:
            need = 0
            for token in pattern:
                spec = {key: value for key, value in token.items() if key.upper() in _FORM_KEYS}
                if token.get("OP") in _REQUIRED_OPS and spec and len(self.specs) < 64:
                    need |= 1 << len(self.specs)
                    self.specs.append(spec)
            self.needs.append(need)
        self._bits: dict[str, int] = {}  # form -> the conditions it meets
        self._matcher: tuple[Vocab, Matcher] | None = None
        self._doc_bits: tuple[DocArrays, np.ndarray] | None = None
        self._type_bits = np.zeros(0, dtype=np.uint64)  # per type of `TYPES`

    def possible(self, arrays: DocArrays, start: int, end: int) -> bool:
        """Whether some pattern may match in tokens `start`..`end` of the arrays' Doc."""
        if end <= start:
            return False
        if not all(self.needs):
            return True  # a pattern without a form condition: always run the Matcher
        met = int(np.bitwise_or.reduce(self._token_bits(arrays)[start:end]))
        return any(need & met == need for need in self.needs)

    def _token_bits(self, arrays: DocArrays) -> np.ndarray:
        if self._doc_bits is not None and self._doc_bits[0] is arrays:
            return self._doc_bits[1]
        done, size = len(self._type_bits), len(TYPES)
        if done < size:  # types seen since: their forms' conditions, once per distinct form
            forms = [TYPES.form(t) for t in range(done, size)]
            new = [form for form in dict.fromkeys(forms) if form not in self._bits]
            if new:
                assert arrays.vocab is not None
                self._evaluate(arrays.vocab, new)
            bits = np.array([self._bits[form] for form in forms], dtype=np.uint64)
            self._type_bits = np.concatenate([self._type_bits, bits])
        self._doc_bits = (arrays, self._type_bits[arrays.type_of])
        return self._doc_bits[1]

    def _evaluate(self, vocab: Vocab, forms: list[str]) -> None:
        if self._matcher is None or self._matcher[0] is not vocab:
            matcher = Matcher(vocab)
            for n, spec in enumerate(self.specs):
                matcher.add(str(n), [[spec]])
            self._matcher = (vocab, matcher)
        matcher = self._matcher[1]
        found = dict.fromkeys(forms, 0)
        for key, start, _ in matcher(Doc(vocab, words=forms)):
            found[forms[start]] |= 1 << int(vocab.strings[key])
        self._bits.update(found)


def _search(compiled: regex.Pattern[str], text: str, code: Code, pattern: str) -> list[Any]:
    """Every match of a codebook regex in one unit's text, within REGEX_SECONDS."""
    try:
        return list(compiled.finditer(text, timeout=REGEX_SECONDS))
    except TimeoutError:
        where = Where(code.file, code.line or None) if code.file else None
        raise CodebookError(
            f"regex '{pattern}' of code '{code.path}' took more than {REGEX_SECONDS:g} s on one "
            f"unit of {len(text):,} characters: it backtracks catastrophically",
            where=where,
            fix="Rewrite it so that no part can be repeated in several ways (e.g. '(a|aa)+' as "
            "'a+'), or use terms; 'mimres codebook validate' tries each regex",
            code="E221",
        ) from None


def _term_lists(code: Code) -> list[tuple[str, tuple[str, ...], int]]:
    lists = [("term", code.terms, -1), ("not_terms", code.not_terms, -1)]
    lists += [("near", near.terms, n) for n, near in enumerate(code.near)]
    lists += [("weak", code.weak_terms, -1), ("not_phrases", code.not_phrases, -1)]
    lists += [("not_near", near.terms, n) for n, near in enumerate(code.not_near)]
    return lists


def _hit(term: _Term, arrays: DocArrays, covered: list[int], rejected: str = "") -> Hit:
    first, last = covered[0], covered[-1]
    words = " ".join(arrays.token_text(i) for i in covered)
    return Hit(term.code, term.rule, term.text, int(arrays.idx[first]), int(arrays.end[last]),
               words, first, last, term.near, rejected)  # fmt: skip


def compile_codebooks(codebooks: Sequence[Codebook]) -> CodeMatcher:
    """One matcher for all `codebooks`; raises CodebookError when two define the same path."""
    return CodeMatcher(codebooks)
