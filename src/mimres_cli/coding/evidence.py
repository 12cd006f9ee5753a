"""Where a code's evidence lies: scopes, thresholds, weak cues, and the span a segment quotes.

A code's counting hits in a unit are grouped by its `scope`: the whole unit, each sentence, or
each window of N words. A group *meets* the code's evidence rules when it has at least
`min_hits` hits, at least `min_terms` distinct rules among them (each word counting once: see
`distinct_terms`), and something besides weak cues: a term, regex or pattern hit, or two
distinct weak terms. The code applies when one group
meets them. The segment's *evidence* is the shortest run of hits, in text order, that meets them
in the first such group, widened to whole sentences (scope unit or sentence) or to the scope's
N words (scope words): the part of a long turn a quote should show.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from mimres_cli.codebook.compile import Hit
from mimres_cli.codebook.model import Code
from mimres_cli.nlp.arrays import DocArrays, Positions, Sentences, TokenSpan, arrays_of

if TYPE_CHECKING:
    from spacy.tokens import Span

#: Words that alone do not make an interviewer turn a new question: backchannels and
#: acknowledgements ("ja", "mm", "okei", "akkurat"). Compared in lowercase.
BACKCHANNELS = frozenset({
    "ja", "jo", "nei", "nå", "mm", "mhm", "mmh", "hm", "hmm", "aha", "åja", "ok", "okei", "okey",
    "akkurat", "nettopp", "javel", "jasså", "jaså", "skjønner", "sant", "ikke", "riktig", "fint",
    "flott", "greit", "supert", "bra", "ja-ja", "å",
})  # fmt: skip


class UnitContext:
    """What scopes need to know about a unit: its tokens, word positions and sentences (each
    worked out once, when first needed, from the Doc's arrays: `nlp.arrays`)."""

    def __init__(self, span: Span | TokenSpan, skip: frozenset[int]) -> None:
        self.span = span
        self.skip = skip  # transcription marks
        self.arrays = arrays_of(span)

    @classmethod
    def of(cls, span: Span | TokenSpan, skip: frozenset[int]) -> UnitContext:
        return cls(span, skip)

    @functools.cached_property
    def before(self) -> Positions:
        """For each token index of the unit (and the one after), the number of words before
        it: tokens that are no transcription mark, space or punctuation."""
        return self.arrays.before(self.span.start, self.span.end, self.skip)

    @functools.cached_property
    def sentences(self) -> Sentences:
        """For each token index of the unit, the (start, end) token indices of its sentence
        within the unit. Without sentence boundaries (or in one unpunctuated sentence) that
        is the unit."""
        return self.arrays.sentences(self.span.start, self.span.end)


@dataclass(frozen=True)
class Evidence:
    """The hits that made a code apply, and the text span (Doc character offsets) to quote."""

    hits: tuple[Hit, ...]  # every counting hit of every group that meets the rules
    start: int
    end: int


def word_range(hit: Hit, before: Positions) -> tuple[int, int]:
    """The first and last word position of `hit` (far away when it has no tokens)."""
    if hit.first < 0 or hit.first not in before or hit.last + 1 not in before:
        return (-(10**9), -(10**9))
    return before[hit.first], before[hit.last + 1] - 1


def same_sentence(hit: Hit, other: Hit, sentences: Sentences) -> bool:
    """Both hits lie in one sentence (hits without tokens are in every sentence)."""
    if hit.first < 0 or other.first < 0:
        return True
    return sentences.get(hit.first) == sentences.get(other.first)


def _places(hits: Sequence[Hit]) -> list[list[Hit]]:
    """The hits grouped by place in the text: hits that share characters, directly or through
    another hit, are one group (in text order)."""
    found: list[list[Hit]] = []
    for hit in sorted(hits, key=lambda h: (h.start, h.end)):
        if found and hit.start < max(h.end for h in found[-1]):
            found[-1].append(hit)
        else:
            found.append([hit])
    return found


def occurrences(hits: Sequence[Hit]) -> list[Hit]:
    """One hit per place in the text: hits that share characters (`jobb` inside `fast jobb`,
    `praksisplass` and `praksisplass*` on one word) are one occurrence, shown by the longest
    (a term or pattern before a weak term of the same length)."""
    return [
        min(group, key=lambda h: (-(h.end - h.start), h.rule == "weak", h.start))
        for group in _places(hits)
    ]


def rule_key(hit: Hit) -> tuple[bool, str]:
    """What makes two hits the same rule for `min_terms` and `theme_evidence`: a weak term
    or not, and the rule as written (in lowercase: `Jobb` and `jobb` are one term)."""
    return hit.rule == "weak", hit.pattern.lower()


def distinct_terms(hits: Sequence[Hit]) -> int:
    """How many distinct rules these hits bring when each occurrence (hits that share
    characters, as for `min_hits`) counts once: the most occurrences that can each be
    credited to a different rule. "kuttet", matched by `kutt` and `kutte`, is one; "kuttet
    ... kutte" is two (`kutt` for the first word, `kutte` for the second); "jobb ... jobb" is
    one."""
    places = [sorted({rule_key(h) for h in group}) for group in _places(hits)]
    owner: dict[tuple[bool, str], int] = {}  # rule -> the occurrence credited with it

    def credit(place: int, seen: set[tuple[bool, str]]) -> bool:
        for rule in places[place]:
            if rule not in seen:
                seen.add(rule)
                if rule not in owner or credit(owner[rule], seen):
                    owner[rule] = place
                    return True
        return False

    return sum(credit(place, set()) for place in range(len(places)))


def meets(code: Code, hits: Sequence[Hit]) -> bool:
    """Whether these hits, together, meet the code's threshold and weak-cue rules: at least
    `min_hits` occurrences, `min_terms` distinct rules among them (`distinct_terms`), and not
    weak cues alone unless two different ones (a term inside a longer weak term, `jobb` in
    `fast jobb`, is not a weak cue alone: a weak term never takes a code away)."""
    if code.min_hits <= 1 and code.min_terms <= 1 and any(h.rule != "weak" for h in hits):
        return True  # one hit is one occurrence of one rule (the defaults: most codes)
    shown = occurrences(hits)
    if len(shown) < code.min_hits:
        return False
    terms = distinct_terms(hits)
    if terms < code.min_terms:
        return False
    return any(h.rule != "weak" for h in hits) or terms >= 2


def shortfall(code: Code, hits: Sequence[Hit]) -> str:
    """Why the best group of `hits` does not meet the rules (for explain), "" when it does."""
    if meets(code, hits):
        return ""
    shown = occurrences(hits)
    if shown and all(h.rule == "weak" for h in hits) and len({h.pattern for h in shown}) < 2:
        return f"only the weak term '{shown[0].pattern}' (it needs another term of the code)"
    where = f"in one {code.scope_text}" if code.scope != "unit" else "in the unit"
    if len(shown) < code.min_hits:
        return f"{len(shown)} of min_hits {code.min_hits} hits {where}"
    return f"{distinct_terms(hits)} of min_terms {code.min_terms} distinct terms {where}"


def groups(code: Code, hits: list[Hit], before: Positions, sentences: Sentences) -> list[list[Hit]]:
    """The counting hits grouped by the code's scope, each group in text order."""
    ordered = sorted(hits, key=lambda h: (h.start, h.end))
    if code.scope == "unit":
        return [ordered] if ordered else []
    if code.scope == "sentence":
        by_sentence: dict[tuple[int, int], list[Hit]] = {}
        for hit in ordered:
            key = sentences.get(hit.first, (-1, -1))
            by_sentence.setdefault(key, []).append(hit)
        return list(by_sentence.values())
    windows = []
    for anchor in ordered:
        lo = word_range(anchor, before)[0]
        hi = lo + code.scope_words - 1
        windows.append([h for h in ordered if lo <= word_range(h, before)[0] and
                        word_range(h, before)[1] <= hi])  # fmt: skip
    return windows


def find_evidence(
    code: Code, counting: list[Hit], unit: UnitContext
) -> tuple[Evidence | None, str]:
    """The evidence for `code` among its counting hits in a unit, or None and why not."""
    found = groups(code, counting, unit.before, unit.sentences)
    meeting = [group for group in found if meets(code, group)]
    if not meeting:
        best = max(found, key=lambda g: (len(occurrences(g)), distinct_terms(g)), default=[])
        return None, shortfall(code, best)
    first = meeting[0]
    run = next(first[:n] for n in range(1, len(first) + 1) if meets(code, first[:n]))
    start, end = _quoted(code, run, unit)
    kept = list(dict.fromkeys(h for group in meeting for h in group))
    return Evidence(tuple(sorted(kept, key=lambda h: (h.start, h.end))), start, end), ""


def _quoted(code: Code, run: list[Hit], unit: UnitContext) -> tuple[int, int]:
    """Doc character offsets of the text to quote for the evidence `run`."""
    span, arrays, before, sentences = unit.span, unit.arrays, unit.before, unit.sentences
    tokens = [h for h in run if h.first >= 0]
    if not tokens:  # regex hits whose text has no tokens: quote the unit
        return _trimmed(arrays, span.start, span.end)
    first = min(h.first for h in tokens)
    last = max(h.last for h in tokens)
    if code.scope == "words":  # the hits' words, widened evenly to N words within the unit
        words = [i for i in (np.flatnonzero(arrays.counted[span.start : span.end]) + span.start)
                 .tolist() if i not in unit.skip]  # fmt: skip
        lo, hi = before[first], before[last + 1] - 1
        extra = max(code.scope_words - (hi - lo + 1), 0)
        lo = max(lo - extra // 2, 0)
        hi = min(max(lo + code.scope_words - 1, hi), len(words) - 1)
        lo = max(min(lo, hi - code.scope_words + 1), 0)
        return int(arrays.idx[words[lo]]), int(arrays.end[words[hi]])
    whole = (span.start, span.end)
    sent_start = (sentences.get(first, whole) or whole)[0]
    sent_end = (sentences.get(last, whole) or whole)[1]
    return _trimmed(arrays, sent_start, sent_end)


def _trimmed(arrays: DocArrays, start: int, end: int) -> tuple[int, int]:
    """Character offsets of tokens `start`..`end` (exclusive) without white space at the ends
    (`Doc.text` would join every token again)."""
    while start < end - 1 and arrays.space[start]:
        start += 1
    while end - 1 > start and arrays.space[end - 1]:
        end -= 1
    return int(arrays.idx[start]), int(arrays.end[end - 1])


def has_content(span: Span | TokenSpan, skip: frozenset[int]) -> bool:
    """Whether a unit has a word that is no backchannel ("ja", "mm", "okei"): a question."""
    arrays = arrays_of(span)
    for i in (np.flatnonzero(arrays.counted[span.start : span.end]) + span.start).tolist():
        text = arrays.token_text(i)
        if i not in skip and any(ch.isalpha() for ch in text) and text.lower() not in BACKCHANNELS:
            return True
    return False
