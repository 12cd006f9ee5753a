"""The units of coding of a parsed interview: each turn, or each sentence of each turn.

The one place that splits turns into units, so the segments and units tables (coding) and the
token table (`mimres tag`) number them the same. A unit is stripped of white space at both
ends; with `sentence`, a sentence of white space only is no unit. Units are numbered from 0
over all turns of the interview, whoever speaks, in body order.

Sentences are the pipeline's (`Doc.sents`), except in a turn without sentence punctuation
(`.`, `!`, `?`, `…` outside transcription marks), as unpunctuated speech transcripts are: there
its pause marks (`#`, `##`, `[pause]`, `(...)`, a timed pause of a second or more such as
`(2.5)`; `corpus.marks.find_pauses`) end a sentence, each pause going with the words before it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise

from mimres_cli.corpus.marks import find_pauses, has_sentence_punctuation
from mimres_cli.corpus.model import Turn
from mimres_cli.corpus.turns import strip_span
from mimres_cli.nlp.arrays import DocArrays, TokenSpan
from mimres_cli.nlp.parse import ParsedInterview
from mimres_cli.vocabulary import UnitKind


@dataclass(frozen=True)
class UnitSpan:
    """One unit: where it is in the interview body, its tokens, and its turn."""

    index: int  # 0-based over the interview's units
    turn_index: int  # 0-based index of its turn
    turn: Turn
    span: TokenSpan  # the unit's tokens in the turn's arrays (a Span where a Doc is needed)
    start: int  # character offsets in the interview body, white space stripped
    end: int
    skip: frozenset[int]  # indices of the tokens in the turn's Doc that are transcription marks


def unit_spans(parsed: ParsedInterview, unit: UnitKind = "turn") -> Iterator[UnitSpan]:
    """Every unit of an interview's turns (all roles), numbered from 0 in body order.

    Read from the turns' arrays (`nlp.arrays`): no Doc is decoded or built."""
    index = 0
    turns = zip(parsed.interview.turns, parsed.arrays, strict=True)
    for turn_index, (turn, arrays) in enumerate(turns):
        text = arrays.text
        skip = arrays.marks
        if unit == "sentence" and len(arrays):
            bounds = sentences(arrays, text)
        else:
            bounds = [(0, len(arrays))]
        for first, last in bounds:
            span = TokenSpan(arrays, first, last)
            start, end = strip_span(text, span.start_char, span.end_char)
            if start == end and unit == "sentence":
                continue
            yield UnitSpan(index, turn_index, turn, span, turn.start + start, turn.start + end,
                           skip)  # fmt: skip
            index += 1


def sentences(arrays: DocArrays, text: str) -> list[tuple[int, int]]:
    """The (start, end) tokens of the sentences of a turn: the pipeline's, or split at pauses
    (see module notes)."""
    if has_sentence_punctuation(text):
        return arrays.sentence_bounds()
    pauses = (arrays.char_span(start, end) for start, end in find_pauses(text))
    ends = sorted({span[1] for span in pauses if span is not None})
    if not ends:
        return arrays.sentence_bounds()
    bounds = [0, *(end for end in ends if 0 < end < len(arrays)), len(arrays)]
    return [(a, b) for a, b in pairwise(bounds) if b > a]
