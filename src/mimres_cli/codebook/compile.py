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

import json
import logging
import re
import re._constants as re_constants
import re._parser as re_parser
import time
import warnings
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import regex

from mimres_cli.codebook.equivalents import Equivalents
from mimres_cli.codebook.model import Code, Codebook, optional_word, term_variants
from mimres_cli.codebook.regex_anchors import LITERAL_CHARS as _LITERAL_CHARS
from mimres_cli.codebook.regex_anchors import Anchors, anchors, fold_case
from mimres_cli.codebook.regex_anchors import Rows as _Rows
from mimres_cli.codebook.token_match import (
    QUANTIFIERS,
    find_matches,
    longest,
    match_starts,
    program,
)
from mimres_cli.errors import CodebookError, Where, close_matches, problem, report, suggest
from mimres_cli.nlp.arrays import SPACE_AFTER, TYPES, DocArrays, TokenSpan, arrays_of
from mimres_cli.nlp.wordclass import ORDBANK_UPOS, word_classes

if TYPE_CHECKING:  # spaCy is imported where a rule needs its Matcher
    from spacy.matcher import Matcher
    from spacy.tokens import Doc, Span
    from spacy.vocab import Vocab

log = logging.getLogger(__name__)

#: The parts of speech `pos` can restrict to without a tagger, from Norsk Ordbank's readings.
_ORDBANK_CLASSES = tuple(ORDBANK_UPOS.values())
#: Rule kinds that can make a code apply; "not_terms" and "near" only qualify those hits.
POSITIVE_RULES = ("term", "regex", "pattern")
#: Seconds one codebook regex may search one unit (the `regex` module stops it): far above
#: what a sane pattern needs on the longest turn, far below a hang.
REGEX_SECONDS = 1.0
#: Hits that count as evidence for a code: positive ones, and weak cues (which need company).
EVIDENCE_RULES = (*POSITIVE_RULES, "weak")


class Hit(NamedTuple):
    """One rule of one code matching in a unit. Offsets are characters in the unit's Doc.

    `first` and `last` are the Doc indices of the first and last token the hit covers.
    `near` is the index of the `near` (or `not_near`) constraint a "near" ("not_near") hit
    belongs to. `rejected` says why
    a term hit does not count (its part of speech), "" when it counts.

    A named tuple (immutable, equal and hashed by its fields): a long turn has thousands of
    hits, and a frozen dataclass costs four times as much to make.
    """

    code: str
    #: "term", "regex", "pattern", "weak", "not_terms", "near", "not_near", "not_phrases" or
    #: "question_not_terms"
    rule: str
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


#: Glob tails or heads of the word tables, as `CodeMatcher._globs` gives them.
_Globs = tuple[tuple[int, ...], int, frozenset[str], dict[str, set[int]], bool]


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
        #: (code, pattern, compiled, sets of literals every match needs one of each, or None;
        #: the strings every match begins with, or None: see `leading_literals`)
        self._regex: list[
            tuple[
                str,
                str,
                regex.Pattern[str],
                tuple[tuple[str, ...], ...] | None,
                tuple[str, ...] | None,
            ]
        ] = []
        self._patterns: list[tuple[str, str, list]] = []
        self._literal_types: _LiteralTypes | None = None
        self._anchors: Anchors | None = None  # where each regex can begin, see `_regex_hits`
        self._matcher: tuple[Vocab, Matcher] | None = None
        self._token_patterns: _TokenPatterns | None = None
        self._sizes: tuple[_Globs, _Globs] | None = None
        self._cache: dict[tuple[str, ...], frozenset[int]] = {}
        self._parts: dict[str, list[Collection[int]]] = {}  # see `_form_parts`
        #: Per type of `nlp.arrays.TYPES` (grown as types are seen): the term words it
        #: satisfies, and whether it satisfies any (see `type_ids`).
        self._ids_by_type: list[frozenset[int]] = []
        self._terms_of_type: list[tuple[_Term, ...]] = []  # the terms each type can start
        self._type_flags = _Rows(3)  # see `type_ids`
        self._pos_warned = False
        self._classes: dict[int, frozenset[str]] = {}  # Ordbank parts of speech, per type
        self._optional: set[str] = set()  # terms with optional words ("ble (vi) flyttet")
        for code in self.codes.values():
            for rule, terms, near in _term_lists(code):
                for term in terms:
                    for variant in term_variants(term):  # one, unless it has optional words
                        ids = tuple(self._word_id(word) for word in variant)
                        self._terms_by_first[ids[0]].append(_Term(code.path, term, ids, rule, near))
                    if any(optional_word(word) for word in term.split()):
                        self._optional.add(term)
            for pattern in code.regex:
                compiled = regex.compile(pattern, regex.IGNORECASE)
                literals = required_literals(pattern)
                if literals is not None:  # the sets with fewest strings are tested first
                    literals = tuple(sorted(literals, key=len))
                leading = leading_literals(pattern)
                self._regex.append((code.path, pattern, compiled, literals, leading))
            for text, pattern in zip(code.patterns, code.token_patterns, strict=True):
                self._patterns.append((code.path, text, pattern))
        #: The words that are the second word of a term of several words.
        self._second_words = frozenset(
            term.words[1] for terms in self._terms_by_first.values() for term in terms
            if len(term.words) > 1
        )  # fmt: skip
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
        found: set[int] = set()
        for form in candidates:
            for part in self._form_parts(form):
                found.update(part)
        result = frozenset(found)
        self._cache[candidates] = result
        return result

    def _form_parts(self, form: str) -> list[Collection[int]]:
        """The word ids one candidate form satisfies, as the tables give them: its exact
        words, the glob tails (`*x`) it ends with, the glob heads (`x*`) it starts with, and
        the inner globs (`*x*`) it holds. A form whose shortest possible tail or head is none
        of a glob's is not cut further (most forms: one look-up each)."""
        cached = self._parts.get(form)
        if cached is not None:
            return cached
        tables = self._tables
        tails, heads = self._globs()
        parts: list[Collection[int]] = []
        if form in tables.exact:
            parts.append(tables.exact[form])
        size = len(form)
        for sizes, shortest, gate, table, ending in (tails, heads):
            if (
                size < shortest
                or (form[size - shortest :] if ending else form[:shortest]) not in gate
            ):
                continue
            for length in sizes:
                if length > size:
                    break
                found = table.get(form[size - length :] if ending else form[:length])
                if found is not None:
                    parts.append(found)
        inner = [word_id for core, word_id in tables.inner if core in form]
        if inner:
            parts.append(inner)
        self._parts[form] = parts
        return parts

    def _globs(self) -> tuple[_Globs, _Globs]:
        """For the glob tails (`*x`) and heads (`x*`) of the word tables: their lengths in
        increasing order, the shortest, the ends of that length they begin or end with, the
        table, and whether they are tails."""
        if self._sizes is None:
            globs = []
            for table, ending in ((self._tables.tails, True), (self._tables.heads, False)):
                sizes = sorted({len(core) for core in table})
                shortest = sizes[0] if sizes else 1
                gate = frozenset(
                    core[len(core) - shortest :] if ending else core[:shortest] for core in table
                )
                globs.append((tuple(sizes), shortest, gate, table, ending))
            self._sizes = (globs[0], globs[1])
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
        a row of flags: it starts a one-word term, it starts a longer term, it can be the
        second word of a longer term. Worked out once per type, from its lemma candidates."""
        done, size = len(self._ids_by_type), len(TYPES)
        if done < size:
            new = [self.word_ids(TYPES.candidates(t)) for t in range(done, size)]
            starting = [
                tuple(term for first in ids for term in self._terms_by_first.get(first, ()))
                for ids in new
            ]
            self._ids_by_type.extend(new)
            self._terms_of_type.extend(starting)
            rows = np.zeros((len(new), 3), dtype=bool)
            second = self._second_words
            for n, (ids, terms) in enumerate(zip(new, starting, strict=True)):
                if ids:
                    for term in terms:
                        rows[n, 0 if len(term.words) == 1 else 1] = True
                    rows[n, 2] = not second.isdisjoint(ids)
            self._type_flags.extend(rows)
        return self._ids_by_type, self._type_flags.rows

    def _term_hits(self, arrays: DocArrays, start: int, end: int, skipped: set[int]) -> list[Hit]:
        """Term hits in tokens `start`..`end` of a turn, read from its arrays. The places a
        term can start are found with arrays (a one-word term's type, or a longer term's
        first type followed by a type that can be its second word); Python runs only there."""
        ids, flags = self.type_ids()
        kept = arrays.kept(start, end, skipped)
        found = flags[arrays.type_of[kept]]
        places = found[:, 0].copy()
        places[:-1] |= found[:-1, 1] & found[1:, 2]
        if not places.any():
            return []
        starting = self._terms_of_type
        types = arrays.type_of[kept].tolist()
        tokens = kept.tolist()
        hits = []
        for pos in np.flatnonzero(places).tolist():
            for term in starting[types[pos]]:
                words = term.words
                stop = pos + len(words)
                if len(words) == 1 or (
                    stop <= len(tokens)
                    and words[1] in ids[types[pos + 1]]
                    and all(
                        ids[types[pos + k]].__contains__(words[k]) for k in range(2, len(words))
                    )
                ):
                    covered = tokens[pos:stop]
                    rejected = ""
                    if term.rule in ("term", "weak"):
                        rejected = self._pos_rejection(term, arrays, covered)
                    hits.append(_hit(term, arrays, covered, rejected))
        return _longest(hits, self._optional) if self._optional else hits

    def _pos_rejection(self, term: _Term, arrays: DocArrays, covered: list[int]) -> str:
        allowed = self.codes[term.code].pos
        if not allowed:
            return ""
        if not arrays.has_pos:
            return self._ordbank_rejection(allowed, arrays, covered)
        tags = [arrays.pos_(i) for i in covered]
        if any(tag in allowed for tag in tags):
            return ""
        tags = "/".join(dict.fromkeys(tag or "?" for tag in tags))
        return f"part of speech {tags} is not in pos [{', '.join(allowed)}]"

    def _ordbank_rejection(
        self, allowed: tuple[str, ...], arrays: DocArrays, covered: list[int]
    ) -> str:
        """Without a tagger: why no token of a hit has a Norsk Ordbank reading in `allowed`
        ("" when one has, or when one is unknown to the Ordbank and so cannot be judged). A
        `pos` with a class the Ordbank lacks (PROPN, AUX, ...) is not applied (W204)."""
        if not all(tag in _ORDBANK_CLASSES for tag in allowed):
            self._warn_no_tagger()
            return ""
        found = [self.word_classes(t) for t in arrays.type_of[covered].tolist()]
        if any(not classes or not classes.isdisjoint(allowed) for classes in found):
            return ""
        shown = "/".join(dict.fromkeys(tag for classes in found for tag in sorted(classes)))
        return f"part of speech {shown} (Norsk Ordbank) is not in pos [{', '.join(allowed)}]"

    def word_classes(self, type_id: int) -> frozenset[str]:
        """The parts of speech Norsk Ordbank has readings of for a type's form (cached per
        type: the token arrays of the parse cache carry no part of speech)."""
        found = self._classes.get(type_id)
        if found is None:
            found = self._classes[type_id] = word_classes(TYPES.form(type_id))
        return found

    def _warn_no_tagger(self) -> None:
        if self._pos_warned:
            return
        self._pos_warned = True
        with_pos = [path for path, code in self.codes.items() if code.pos and code.terms
                    and not all(tag in _ORDBANK_CLASSES for tag in code.pos)]  # fmt: skip
        paths = ", ".join(f"'{p}'" for p in with_pos)
        report(problem(
            "W204",
            f"the pipeline has no tagger, so 'pos' restrictions with a class other than "
            f"{', '.join(_ORDBANK_CLASSES)} are ignored: the terms of {paths} match words of any "
            "part of speech",
            fix="Use a trained pipeline (--model) to apply them, or restrict to those classes, "
            "which Norsk Ordbank's readings of each word tell",
        ), log)  # fmt: skip

    def _regex_hits(self, arrays: DocArrays, first: int, last: int, skipped: set[int]) -> list[Hit]:
        """Regex hits in tokens `first`..`last`. A regex whose first words can be told from
        the types (`codebook.regex_anchors`) is tried only where they begin. Any other is
        not searched when the unit lacks every string of one of its literal sets: whether
        the unit holds a set of strings of two letters or more is read from its types
        (`_LiteralTypes`), others from its text."""
        hits = []
        text = arrays.span_text(first, last)  # Span.text builds Tokens
        offset = int(arrays.idx[first]) if first < len(arrays) else len(arrays.text)
        folded = ""
        if self._literal_types is None:
            self._anchors = Anchors([
                anchors(pattern) if _python_parse(pattern) is not None else None
                for _, pattern, *_ in self._regex
            ])  # fmt: skip
            anchored = set(self._anchors.regexes)  # (their literals are looked for in the text)
            self._literal_types = _LiteralTypes(
                lit for n, (*_, lit, _) in enumerate(self._regex) if lit and n not in anchored
            )
        assert self._anchors is not None
        anchored = self._anchors.candidates(arrays, first, last)
        #: sets of strings found in the unit or not (the rest are looked for in its text)
        present: dict[tuple[str, ...], bool] | None = None
        in_text: dict[tuple[str, ...], bool] = {}  # sets looked for in the text
        for n, (code, pattern, compiled, literals, leading) in enumerate(self._regex):
            places = anchored.get(n)
            if places is not None:
                if not places:
                    continue
                if len(places) > _FEW_PLACES and literals is not None:
                    folded = folded or fold_case(text)
                    if not all(_holds(in_text, strings, folded) for strings in literals):
                        continue  # lacking all strings of a set: no match
                found_all = _search_at(compiled, text, places, self.codes[code], pattern)
            else:
                if literals is not None or leading is not None:
                    folded = folded or fold_case(text)
                if literals is not None:
                    if present is None:
                        present = self._literal_types.held(arrays, first, last)
                    if not all(_holds(present, strings, folded) for strings in literals):
                        continue  # lacking all strings of a set: no match
                if leading is not None and len(folded) == len(text):
                    found_all = _search_from(compiled, text, folded, leading, self.codes[code],
                                             pattern)  # fmt: skip
                else:
                    found_all = _search(compiled, text, self.codes[code], pattern)
            for found in found_all:
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
        """Token-pattern hits: spaCy's Matcher, run only on the part of the unit where the
        patterns can match (`_TokenPatterns.window`), on a Doc of its forms when the patterns
        test forms only (else on the turn's Doc, decoded from the parse cache)."""
        if not self._patterns:
            return []
        if self._token_patterns is None:
            self._token_patterns = _TokenPatterns([p for _, _, p in self._patterns])
        window = self._token_patterns.window(arrays, unit.start, unit.end)
        if window is None:
            return []  # no pattern can match in this unit
        first, last = window
        found = (
            self._token_patterns.matches(arrays, first, last)
            if self._token_patterns.plain
            else None
        )
        if found is not None:
            return self._pattern_hit_list(found, first, arrays, skipped)
        if self._token_patterns.form_only:
            from spacy.tokens import Doc

            assert arrays.vocab is not None
            words = [TYPES.form(t) for t in arrays.type_of[first:last].tolist()]
            spaces = (arrays.flags[first:last] & SPACE_AFTER).astype(bool).tolist()
            doclike: Doc | Span = Doc(arrays.vocab, words=words, spaces=spaces)
        else:
            doclike = arrays.doc[first:last]
        matcher = self._spacy_matcher(doclike.vocab)
        strings = doclike.vocab.strings
        try:
            matched = matcher(doclike)
        except ValueError as exc:  # spaCy's E155/E156: POS, TAG, MORPH or DEP left unset
            unset = re.search(r"the attribute (POS|TAG|MORPH|DEP)\b", str(exc))
            if unset is None:
                raise
            tagged = {"POS", "TAG", "MORPH", "DEP"}
            codes = ", ".join(
                f"'{c}'"
                for c in dict.fromkeys(
                    c for c, _, p in self._patterns if tagged & {k.upper() for t in p for k in t}
                )
            )
            needs = "parser" if unset[1] == "DEP" else "tagger"
            raise CodebookError(
                f"the token patterns of {codes} test a tag or dependency that the pipeline "
                f"does not set ({unset[1]}: it has no {needs})",
                fix="Run with a trained pipeline (--model) that sets it, or test LOWER or "
                "LEMMA instead",
                code="E211",
            ) from exc
        found = [(int(strings[key]), start, end) for key, start, end in matched]
        return self._pattern_hit_list(found, first, arrays, skipped)

    def _pattern_hit_list(
        self, found: list[tuple[int, int, int]], first: int, arrays: DocArrays, skipped: set[int]
    ) -> list[Hit]:
        """The hits of the matches (pattern index, start, end) found from token `first` on."""
        hits = []
        for n, start, end in found:
            code, text, _ = self._patterns[n]
            start, end = start + first, end + first
            if any(i in skipped for i in range(start, end)):
                continue  # a pattern never spans a transcription mark
            hits.append(Hit(code, "pattern", text, int(arrays.idx[start]),
                            int(arrays.end[end - 1]), arrays.span_text(start, end), start,
                            end - 1))  # fmt: skip
        return hits

    def _spacy_matcher(self, vocab: Vocab) -> Matcher:
        if self._matcher is None or self._matcher[0] is not vocab:
            from spacy.matcher import Matcher

            matcher = Matcher(vocab, validate=True)
            for n, (_, _, pattern) in enumerate(self._patterns):
                matcher.add(str(n), [pattern], greedy="LONGEST")
            self._matcher = (vocab, matcher)
        return self._matcher[1]


class _LiteralTypes:
    """Which literal sets of the regexes (`required_literals`) whose strings all have two
    letters or more each type of the corpus holds: whether its case-folded form contains
    one string of the set (worked out once per type, as types are seen).

    A unit's text is its tokens' forms, each followed by nothing or one space, so a literal
    (letters and digits only) lies within one token, or across tokens written together whose
    meeting characters are both literal characters ("glued"): a unit with such a pair is
    told from its text. Sets with a string of one letter are too: it occurs in most forms,
    and early in most units' text.
    """

    def __init__(self, sets: Iterable[tuple[tuple[str, ...], ...]]) -> None:
        self.sets: dict[tuple[str, ...], int] = {}
        for literals in sets:
            for strings in literals:
                if min(map(len, strings)) >= 2:
                    self.sets.setdefault(strings, len(self.sets))
        self.strings = sorted({one for strings in self.sets for one in strings})
        #: the sets that hold each string: `_member_sets[_member_at[n] : _member_at[n + 1]]`
        holding: dict[str, list[int]] = defaultdict(list)
        for strings, n in self.sets.items():
            for one in strings:
                holding[one].append(n)
        self._member_at = np.zeros(len(self.strings) + 1, dtype=np.int64)
        np.cumsum([len(holding[one]) for one in self.strings], out=self._member_at[1:])
        self._member_sets = np.array([n for one in self.strings for n in holding[one]],
                                     dtype=np.int64)  # fmt: skip
        #: per type: whether it holds each set, and whether its folded form begins and ends
        #: with a literal character
        self._table = _Rows(len(self.sets) + 2)

    def held(self, arrays: DocArrays, start: int, end: int) -> dict[tuple[str, ...], bool]:
        """For each set, whether tokens `start`..`end` hold one of its strings (nothing for a
        unit with glued tokens, see the class notes)."""
        if not self.sets:
            return {}
        self._grow()
        types = arrays.type_of[start:end]
        table = self._table.rows
        if len(types) > 1:
            apart = (arrays.flags[start : end - 1] & SPACE_AFTER).astype(bool)
            if (~apart & table[types[:-1], -1] & table[types[1:], -2]).any():
                return {}
        found = table[types].any(axis=0).tolist()
        return {strings: found[n] for strings, n in self.sets.items()}

    def _grow(self) -> None:
        done, size = len(self._table), len(TYPES)
        if done >= size:
            return
        folded = [fold_case(TYPES.form(t)) for t in range(done, size)]
        rows = np.zeros((len(folded), len(self.sets) + 2), dtype=bool)
        forms, strings = _containing(self.strings, folded)
        first = self._member_at[strings]
        counts = self._member_at[strings + 1] - first
        ends = np.cumsum(counts)
        within = np.arange(ends[-1] if len(ends) else 0) - np.repeat(ends - counts, counts)
        rows[np.repeat(forms, counts), self._member_sets[np.repeat(first, counts) + within]] = True
        chars = _LITERAL_CHARS
        rows[:, -2] = np.fromiter((f[:1] in chars for f in folded), dtype=bool, count=len(folded))
        rows[:, -1] = np.fromiter((f[-1:] in chars for f in folded), dtype=bool, count=len(folded))
        self._table.extend(rows)


def _containing(strings: Sequence[str], forms: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Which forms contain which strings, as (form, string) index pairs (one `str.find` per
    place a string occurs in the forms joined by new lines, which no string holds)."""
    lengths = np.fromiter(map(len, forms), dtype=np.int64, count=len(forms)) + 1
    starts = np.zeros(len(forms), dtype=np.int64)
    np.cumsum(lengths[:-1], out=starts[1:])
    joined = "\n".join(forms)
    places: list[int] = []
    which: list[int] = []
    for n, string in enumerate(strings):
        at = joined.find(string)
        while at >= 0:
            places.append(at)
            which.append(n)
            at = joined.find(string, at + 1)
    held = np.searchsorted(starts, places, side="right") - 1
    return held.astype(np.int64), np.array(which, dtype=np.int64)


#: Token-pattern keys whose value depends on the word form alone (spaCy lexeme attributes).
_FORM_KEYS = frozenset({
    "ORTH", "TEXT", "LOWER", "LENGTH", "IS_ALPHA", "IS_ASCII", "IS_DIGIT", "IS_LOWER",
    "IS_UPPER", "IS_TITLE", "IS_PUNCT", "IS_SPACE", "IS_STOP", "LIKE_NUM", "LIKE_URL",
    "LIKE_EMAIL", "SHAPE", "PREFIX", "SUFFIX", "IS_BRACKET", "IS_QUOTE", "IS_LEFT_PUNCT",
    "IS_RIGHT_PUNCT", "IS_CURRENCY",
})  # fmt: skip
#: Operators `_TokenPatterns` follows; with any other ("!", "{n,m}") a unit is matched whole.
_OPS = frozenset({None, "1", "?", "*", "+"})
#: The keys `_TokenPatterns` tests itself (TEXT is ORTH).
_FORM_OF = frozenset({"ORTH", "TEXT", "LOWER"})
#: The keys of patterns found on the arrays (`_TokenPatterns.plain`).
_PLAIN = frozenset({*_FORM_OF, "LEMMA", "IS_PUNCT"})


class _TokenPatterns:
    """Where in a unit spaCy's Matcher can find the token patterns, known from the arrays.

    Each pattern token's tests of the form (`_FORM_KEYS`) are evaluated once per type of the
    corpus: ORTH, TEXT and LOWER with a string, IN, NOT_IN or REGEX as spaCy's Matcher
    evaluates them (REGEX with Python's `re.search`), IS_PUNCT from the token's punctuation
    flag, and any other form test by spaCy's Matcher itself on a Doc of the distinct forms.
    Tests of other attributes (LEMMA, POS, extensions) are taken to hold, so what follows
    finds every match and possibly more. Following each pattern's operators over the unit's
    tokens gives every (start, end) the pattern can match, and the Matcher is run only on the
    tokens from the first start to the last end: it finds there exactly what it finds in the
    whole unit, in the same order (see `window`).
    """

    def __init__(
        self, patterns: Sequence[list[dict[str, Any]]], tested: frozenset[str] = _FORM_KEYS
    ) -> None:
        self.specs: list[dict[str, Any]] = []
        index: dict[str, int] = {}
        self.patterns: list[list[tuple[int, str | None]]] = []
        self.followed = True  # every operator is one `_OPS` follows
        self.form_only = True
        #: every test is one `_native_test` knows and every operator one of spaCy's simple
        #: ones: the matches are found on the arrays (`matches`), without spaCy
        self.plain = True
        for pattern in patterns:
            steps = []
            for token in pattern:
                op = token.get("OP")
                spec = {key: value for key, value in token.items() if key != "OP"}
                self.form_only &= all(key.upper() in _FORM_KEYS for key in spec)
                self.plain &= op in QUANTIFIERS and all(key.upper() in _PLAIN for key in spec)
                form = {k: v for k, v in spec.items() if k.upper() in tested}
                key = json.dumps(form, sort_keys=True, ensure_ascii=False)
                steps.append((index.setdefault(key, len(index)), op))
                if steps[-1][0] == len(self.specs):
                    self.specs.append(form)
                self.followed &= op in _OPS
            if all(op in ("?", "*") for _, op in steps):
                self.followed = False  # it may match anywhere (even nothing)
            self.patterns.append(steps)
        self._native = [_native_test(spec) for spec in self.specs]
        self._punct = [_punct_test(spec) for spec in self.specs]
        self.plain &= all(test is not None for test in self._native)
        self._type_sat = _Rows(len(self.specs))  # per type, per spec
        self._by_form: dict[str, np.ndarray] = {}  # specs spaCy evaluates, per form
        self._matcher: tuple[Vocab, Matcher] | None = None
        #: the LEMMA tests are left out of `specs` (the window takes them to hold); `matches`
        #: evaluates every test, on patterns of their own
        self.lemma = any(key.upper() == "LEMMA" for p in patterns for t in p for key in t)
        self._exact = self
        if self.plain and self.lemma and "LEMMA" not in tested:
            self._exact = _TokenPatterns(patterns, tested | {"LEMMA"})
        self.programs = [program(steps) for steps in self.patterns] if self.plain else []
        self._lemma_set = np.zeros(0, dtype=bool)  # per type: it has a lemma

    def window(self, arrays: DocArrays, start: int, end: int) -> tuple[int, int] | None:
        """The tokens (start, end) of `start`..`end` that hold every match of every pattern,
        or None when no pattern can match there."""
        if end <= start:
            return None
        if not self.followed:
            return start, end
        sat = self._satisfied(arrays, start, end)
        lo, hi = end, start
        size = len(sat)
        for steps in self.patterns:
            ends = np.flatnonzero(_reachable(steps, sat))
            if len(ends):
                starts = np.flatnonzero(_reachable(steps[::-1], sat[::-1]))
                lo, hi = min(lo, size - int(starts[-1]) + start), max(hi, int(ends[-1]) + start)
        return (lo, hi) if lo < hi else None

    def matches(self, arrays: DocArrays, start: int, end: int) -> list[tuple[int, int, int]] | None:
        """What spaCy's Matcher, with each pattern under its own key and `greedy="LONGEST"`,
        returns on tokens `start`..`end`: (pattern index, start, end) with token indices
        counted from `start`, in its order (`codebook.token_match`). Only when `plain`; None
        when a pattern tests LEMMA and no token of the turn has one (the Matcher refuses such
        a Doc, with its own message)."""
        exact = self._exact
        sat = exact._satisfied(arrays, start, end)
        if self.lemma:
            size = len(TYPES)
            if len(self._lemma_set) < size:
                new = [bool(TYPES.pairs[t][1]) for t in range(len(self._lemma_set), size)]
                self._lemma_set = np.concatenate([self._lemma_set, np.array(new, dtype=bool)])
            if not self._lemma_set[arrays.type_of].any():
                return None
        starting: list[list[int]] = [[] for _ in range(len(sat))]
        for key, steps in enumerate(exact.programs):
            for i in np.flatnonzero(match_starts(steps, sat)).tolist():
                starting[i].append(key)
        return longest(find_matches(exact.programs, sat, starting), len(sat))

    def _satisfied(self, arrays: DocArrays, start: int, end: int) -> np.ndarray:
        """Per token of `start`..`end` and per spec: whether the token passes its tests."""
        types = arrays.type_of[start:end]
        self._grow(arrays)
        sat = self._type_sat.rows[types]
        punct = arrays.punct[start:end]
        for n, wanted in enumerate(self._punct):
            if wanted is not None:
                sat[:, n] &= punct == wanted
        return sat

    def _grow(self, arrays: DocArrays) -> None:
        """Rows of `_satisfied` for the types added since (the Vocab, which may load the
        pipeline, is asked for only when spaCy evaluates a spec)."""
        done, size = len(self._type_sat), len(TYPES)
        if done >= size:
            return
        forms = [TYPES.form(t) for t in range(done, size)]
        rows = np.ones((len(forms), len(self.specs)), dtype=bool)
        done_tests: dict[tuple[str, str, Any], Any] = {}  # shared by the specs
        if any(attribute == "LEMMA" for tests in self._native for attribute, *_ in tests or ()):
            done_tests["", "lemma", None] = [TYPES.pairs[t][1] for t in range(done, size)]
        for n, tests in enumerate(self._native):
            if tests is not None:
                rows[:, n] = _evaluate_native(tests, forms, done_tests)
        if any(test is None for test in self._native):
            vocab = arrays.vocab
            assert vocab is not None
            self._evaluate(vocab, [f for f in dict.fromkeys(forms) if f not in self._by_form])
            spacy_specs = [n for n, test in enumerate(self._native) if test is None]
            for row, form in zip(rows, forms, strict=True):
                row[spacy_specs] = self._by_form[form][spacy_specs]
        self._type_sat.extend(rows)

    def _evaluate(self, vocab: Vocab, forms: list[str]) -> None:
        """The specs spaCy evaluates, on one Doc of the distinct forms."""
        from spacy.matcher import Matcher
        from spacy.tokens import Doc

        if self._matcher is None or self._matcher[0] is not vocab:
            matcher = Matcher(vocab)
            for n, spec in enumerate(self.specs):
                if self._native[n] is None:
                    matcher.add(str(n), [[spec]])
            self._matcher = (vocab, matcher)
        found = {form: np.zeros(len(self.specs), dtype=bool) for form in forms}
        if forms:
            for key, start, _ in self._matcher[1](Doc(vocab, words=forms)):
                found[forms[start]][int(vocab.strings[key])] = True
        self._by_form.update(found)


def _native_test(spec: dict[str, Any]) -> list[tuple[str, str, Any]] | None:
    """The spec's tests of ORTH/TEXT/LOWER (and LEMMA, when `_TokenPatterns` keeps it in its
    specs) as (attribute, predicate, value), evaluated as
    spaCy's Matcher does (`_evaluate_native`), or None when the spec has a key or a predicate
    left to spaCy (IS_PUNCT is tested apart)."""
    tests: list[tuple[str, str, Any]] = []
    for key, value in spec.items():
        name = key.upper()
        if name == "IS_PUNCT" and isinstance(value, bool):
            continue
        if name not in _FORM_OF and name != "LEMMA":
            return None
        attribute = name if name in ("LOWER", "LEMMA") else "ORTH"
        if isinstance(value, str):
            tests.append((attribute, "==", value))
            continue
        if not isinstance(value, dict) or not value:
            return None
        for predicate, argument in value.items():
            if (
                predicate in ("IN", "NOT_IN")
                and isinstance(argument, list)
                and all(isinstance(item, str) for item in argument)
            ):
                tests.append((attribute, predicate, frozenset(argument)))
            elif predicate == "REGEX" and isinstance(argument, str):
                tests.append((attribute, predicate, re.compile(argument)))
            else:
                return None
    return tests


def _evaluate_native(
    tests: list[tuple[str, str, Any]],
    forms: list[str],
    done: dict[tuple[str, str, Any], np.ndarray] | None = None,
) -> np.ndarray:
    """Which forms pass every test of `_native_test` (one list pass per test; a test already
    in `done`, from another spec over the same forms, is not evaluated again)."""
    done = {} if done is None else done
    passed = np.ones(len(forms), dtype=bool)
    for test in tests:
        found = done.get(test)
        if found is None:
            found = done[test] = _evaluate_test(*test, forms, done)
        passed &= found
    return passed


def _evaluate_test(
    attribute: str,
    predicate: str,
    value: Any,
    forms: list[str],
    done: dict[tuple[str, str, Any], Any],
) -> np.ndarray:
    values = forms
    if attribute == "LEMMA":  # the types' lemmas, given by `_grow`
        values = done["", "lemma", None]
    elif attribute == "LOWER":
        values = done.get(("", "lower", None))
        if values is None:
            values = done["", "lower", None] = [form.lower() for form in forms]
    if predicate == "==":
        found = [one == value for one in values]
    elif predicate == "IN":
        found = [one in value for one in values]
    elif predicate == "NOT_IN":
        found = [one not in value for one in values]
    else:
        found = [value.search(one) is not None for one in values]
    return np.array(found, dtype=bool)


def _punct_test(spec: dict[str, Any]) -> bool | None:
    """The IS_PUNCT value a spec asks for (None: it asks none, or spaCy tests the spec)."""
    if _native_test(spec) is None:
        return None
    values = [v for k, v in spec.items() if k.upper() == "IS_PUNCT"]
    return bool(values[0]) if values else None


def _reachable(steps: list[tuple[int, str | None]], sat: np.ndarray) -> np.ndarray:
    """For each place 0..len(sat) between tokens, whether a match of the pattern (`_OPS`
    operators) over tokens whose specs `sat` (token × spec) ends there, starting anywhere:
    the places reachable step by step, as whole arrays. On the reversed steps and tokens it
    gives where matches start (counted from the end), so the first start and the last end
    of any match are known without following each start."""
    places = np.ones(len(sat) + 1, dtype=bool)
    places[-1] = False  # a match takes a token

    def step(at: np.ndarray, spec: int) -> np.ndarray:
        following = np.zeros_like(at)
        following[1:] = at[:-1] & sat[:, spec]
        return following

    for spec, op in steps:
        once = step(places, spec)
        if op == "?":
            places = places | once
        elif op in ("*", "+"):
            reached, more = once.copy(), once
            while more.any():
                more = step(more, spec) & ~reached
                reached |= more
            places = reached | places if op == "*" else reached
        else:
            places = once
    return places


def required_literals(pattern: str) -> tuple[tuple[str, ...], ...] | None:
    """Sets of strings such that every match of the (case-insensitive) regex contains one
    string of each set, in lowercase, or None when none can be told: a unit whose folded text
    lacks every string of one set cannot match.

    Read from Python's own parse of the pattern, on the constructs both it and the `regex`
    module read alike: runs of literal letters and digits, groups, alternatives, repeats at
    least once. Anything else (sets, classes, look-arounds, and any pattern Python parses
    otherwise or not at all) requires nothing.
    """
    parsed = _python_parse(pattern)
    if parsed is None:
        return None
    found = sorted(_required(list(parsed)), key=lambda strings: -min(map(len, strings)))
    return tuple(tuple(sorted(strings)) for strings in found) or None


def _python_parse(pattern: str) -> Any:
    """Python's parse of the (case-insensitive) pattern, or None where it cannot parse it or
    may read it otherwise than the `regex` module."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            parsed = re_parser.parse(pattern, re.IGNORECASE)
    except (re.error, RecursionError, OverflowError, ValueError):
        return None
    if "{" in pattern and _has_literal(parsed, ord("{")):
        return None  # `regex` reads some braces Python takes literally (fuzzy matching)
    return parsed


def leading_literals(pattern: str) -> tuple[str, ...] | None:
    """Strings (lowercase, two characters or more, none the beginning of another) one of
    which begins every match of the (case-insensitive) regex in the case-folded text, or
    None when none can be told: read as `required_literals` reads, from the first item that
    takes characters (after `\\b`, anchors and look-arounds): a run of literal letters or
    digits, or a group, alternatives or a repeat (at least once) whose every way begins
    with one."""
    parsed = _python_parse(pattern)
    if parsed is None:
        return None
    found = _leading(list(parsed))
    if not found or min(map(len, found)) < 2:
        return None
    return tuple(sorted(one for one in found if not any(
        other != one and one.startswith(other) for other in found)))  # fmt: skip


#: Items that take no characters: `\b`, `^`, `$` and look-arounds.
_ZERO_WIDTH = (re_constants.AT, re_constants.ASSERT, re_constants.ASSERT_NOT)


def _literal_char(op: Any, value: Any) -> str:
    """The lowercase `_LITERAL_CHARS` character a parsed item is, or ""."""
    char = chr(value).lower() if op is re_constants.LITERAL else ""
    return char if len(char) == 1 and char in _LITERAL_CHARS else ""


def _leading(items: list) -> frozenset[str] | None:
    """The strings one of which begins every match of a sequence of parsed items."""
    run = ""
    for op, value in items:
        char = _literal_char(op, value)
        if char:
            run += char
            continue
        if run:
            return frozenset({run})
        if op in _ZERO_WIDTH:
            continue
        if op is re_constants.SUBPATTERN:
            return _leading(list(value[-1]))
        if op is re_constants.ATOMIC_GROUP:
            return _leading(list(value))
        if op in (re_constants.MAX_REPEAT, re_constants.MIN_REPEAT,
                  re_constants.POSSESSIVE_REPEAT):  # fmt: skip
            return _leading(list(value[2])) if value[0] >= 1 else None
        if op is re_constants.BRANCH:
            found: set[str] = set()
            for branch in value[1]:
                need = _leading(list(branch))
                if not need:
                    return None
                found |= need
            return frozenset(found)
        return None
    return frozenset({run}) if run else None


def _has_literal(items: Any, char: int) -> bool:
    for op, value in items:
        if op is re_constants.LITERAL and value == char:
            return True
        for part in value if isinstance(value, (tuple, list)) else ():
            if isinstance(part, re_parser.SubPattern) and _has_literal(part, char):
                return True
            if isinstance(part, list) and any(
                isinstance(sub, re_parser.SubPattern) and _has_literal(sub, char) for sub in part
            ):
                return True
    return False


def _required(items: list) -> list[frozenset[str]]:
    """What a sequence of parsed items requires: one string of each set (runs of literals,
    and what its elements require)."""
    options: list[frozenset[str]] = []
    run = ""
    for op, value in items:
        char = _literal_char(op, value)
        if char:
            run += char
            continue
        if run:
            options.append(frozenset({run}))
        run = ""
        if op is re_constants.LITERAL:
            continue  # a character outside `_LITERAL_CHARS`: it only ends the run
        need = _required_item(op, value)
        if need:
            options.append(need)
    if run:
        options.append(frozenset({run}))
    return options


def _best(options: list[frozenset[str]]) -> frozenset[str] | None:
    """The most telling of the sets a sequence requires: longest shortest string, fewest."""
    if not options:
        return None
    return max(options, key=lambda strings: (min(map(len, strings)), -len(strings)))


def _required_item(op: Any, value: Any) -> frozenset[str] | None:
    if op is re_constants.SUBPATTERN:
        return _best(_required(list(value[-1])))
    if op is re_constants.ATOMIC_GROUP:
        return _best(_required(list(value)))
    if op in (re_constants.MAX_REPEAT, re_constants.MIN_REPEAT,
              re_constants.POSSESSIVE_REPEAT):  # fmt: skip
        low, _, item = value
        return _best(_required(list(item))) if low >= 1 else None
    if op is re_constants.BRANCH:
        found: set[str] = set()
        for branch in value[1]:
            need = _best(_required(list(branch)))
            if not need:
                return None
            found |= need
        return frozenset(found)
    return None


def _holds(present: dict[tuple[str, ...], bool], strings: tuple[str, ...], text: str) -> bool:
    """Whether `text` holds one of `strings`, remembered in `present` (regexes share sets)."""
    found = present.get(strings)
    if found is None:
        found = present[strings] = any(one in text for one in strings)
    return found


def _search(compiled: regex.Pattern[str], text: str, code: Code, pattern: str) -> list[Any]:
    """Every match of a codebook regex in one unit's text, within REGEX_SECONDS."""
    try:
        return list(compiled.finditer(text, timeout=REGEX_SECONDS))
    except TimeoutError:
        raise _too_slow(code, pattern, text) from None


def _too_slow(code: Code, pattern: str, text: str) -> CodebookError:
    where = Where(code.file, code.line or None) if code.file else None
    return CodebookError(
        f"regex '{pattern}' of code '{code.path}' took more than {REGEX_SECONDS:g} s on one "
        f"unit of {len(text):,} characters: it backtracks catastrophically",
        where=where,
        fix="Rewrite it so that no part can be repeated in several ways (e.g. '(a|aa)+' as "
        "'a+'), or use terms; 'mimres codebook validate' tries each regex",
        code="E221",
    )


#: Places to try a regex at above which the unit's text is first looked at for its literals
#: (`required_literals`; the sets with fewest strings first): a few tries cost less.
_FEW_PLACES = 2
#: About how many characters the `regex` engine scans in the time one `match` call from
#: Python takes (measured: 5 µs against 35 ns a character).
_CHARS_PER_TRY = 150


def _search_from(
    compiled: regex.Pattern[str],
    text: str,
    folded: str,
    leading: tuple[str, ...],
    code: Code,
    pattern: str,
) -> list[Any]:
    """What `_search` finds, for a regex every match of which begins with one of `leading`
    (in `folded`, the text case-folded character for character): the regex is tried only
    where one of them begins, as `finditer` would try it there (it sees the text before and
    after), and the next try begins where a match ended, as in `finditer`. Where they
    begin more often than once in `_CHARS_PER_TRY` characters, the text is searched whole."""
    places: set[int] = set()
    most = len(text) // _CHARS_PER_TRY  # more tries than this: one search is cheaper
    for string in leading:
        at = folded.find(string)
        while at >= 0:
            places.add(at)
            if len(places) > most:
                return _search(compiled, text, code, pattern)
            at = folded.find(string, at + 1)
    return _search_at(compiled, text, sorted(places), code, pattern)


def _search_at(
    compiled: regex.Pattern[str], text: str, places: list[int], code: Code, pattern: str
) -> list[Any]:
    """What `_search` finds, given places (in increasing order) that include every place
    where a match can begin: the regex is tried only there, as `finditer` would try it (it
    sees the text before and after), and the next try begins where a match ended, as in
    `finditer`. With more places than one in `_CHARS_PER_TRY` characters, the text is
    searched whole."""
    if len(places) > len(text) // _CHARS_PER_TRY:
        return _search(compiled, text, code, pattern)
    found: list[Any] = []
    began = time.perf_counter()
    after = 0
    for at in places:
        if at < after:
            continue
        left = REGEX_SECONDS - (time.perf_counter() - began)
        try:
            if left <= 0:
                raise TimeoutError
            match = compiled.match(text, at, timeout=left)
        except TimeoutError:
            raise _too_slow(code, pattern, text) from None
        if match is not None:
            found.append(match)
            after = match.end()
    return found


def _term_lists(code: Code) -> list[tuple[str, tuple[str, ...], int]]:
    lists = [("term", code.terms, -1), ("not_terms", code.not_terms, -1)]
    lists += [("near", near.terms, n) for n, near in enumerate(code.near)]
    lists += [("weak", code.weak_terms, -1), ("not_phrases", code.not_phrases, -1)]
    lists += [("not_near", near.terms, n) for n, near in enumerate(code.not_near)]
    if code.question_not_terms:
        lists.append(("question_not_terms", code.question_not_terms, -1))
    return lists


def _longest(hits: list[Hit], optional: set[str]) -> list[Hit]:
    """`hits` without those of a term with optional words that lie within a longer (or an
    equal, earlier) hit of the same term and rule: "ble vi flyttet" is one hit of
    "ble (vi) flyttet", not also "flyttet" of its shortest form (`term_variants`)."""
    spans: dict[tuple[str, str, str, int], list[tuple[int, int]]] = defaultdict(list)
    for hit in hits:
        if hit.pattern in optional:
            spans[(hit.code, hit.rule, hit.pattern, hit.near)].append((hit.first, hit.last))
    if not spans:
        return hits
    kept, seen = [], set()
    for hit in hits:
        key = (hit.code, hit.rule, hit.pattern, hit.near)
        if hit.pattern in optional:
            inside = any(
                first <= hit.first and hit.last <= last and last - first > hit.last - hit.first
                for first, last in spans[key]
            )
            if inside or (key, hit.first, hit.last) in seen:
                continue
            seen.add((key, hit.first, hit.last))
        kept.append(hit)
    return kept


def _hit(term: _Term, arrays: DocArrays, covered: list[int], rejected: str = "") -> Hit:
    first, last = covered[0], covered[-1]
    start, end = int(arrays.idx[first]), int(arrays.end[last])
    if first == last:
        words = arrays.text[start:end]
    else:
        words = " ".join(arrays.token_text(i) for i in covered)
    return Hit(term.code, term.rule, term.text, start, end, words, first, last, term.near,
               rejected)  # fmt: skip


def compile_codebooks(codebooks: Sequence[Codebook]) -> CodeMatcher:
    """One matcher for all `codebooks`; raises CodebookError when two define the same path."""
    return CodeMatcher(codebooks)
