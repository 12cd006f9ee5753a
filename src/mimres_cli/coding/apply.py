"""Apply a compiled codebook to parsed interviews and build the segments table."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import pandas as pd
from spacy.tokens import Span

from mimres_cli.codebook.compile import POSITIVE_RULES, CodeMatcher, Hit
from mimres_cli.codebook.model import Code
from mimres_cli.coding.negation import Negation, find_negation
from mimres_cli.coding.results import Manifest, Results
from mimres_cli.coding.schema import (
    CODE_COLUMNS,
    INTERVIEW_COLUMNS,
    SEGMENT_COLUMNS,
    UNIT_COLUMNS,
    order_columns,
)
from mimres_cli.corpus.model import Interview, Turn
from mimres_cli.design import DEFAULT_DESIGN, Design
from mimres_cli.nlp.parse import ParsedInterview
from mimres_cli.nlp.units import unit_spans
from mimres_cli.nlp.words import is_word_token
from mimres_cli.vocabulary import UnitKind


@dataclass(frozen=True)
class Unit:
    """One unit of coding: a turn or a sentence, with its place in the interview body."""

    interview: Interview
    turn: Turn
    kind: UnitKind
    index: int
    span: Span  # the unit's tokens in the turn's Doc
    start: int
    end: int
    words: int
    skip: frozenset[int]  # token indices that are transcription marks

    @property
    def text(self) -> str:
        return self.interview.body[self.start : self.end]


def iter_units(parsed: ParsedInterview, unit: UnitKind = "turn") -> Iterator[Unit]:
    """Every unit of an interview's turns (all roles), numbered from 0 in body order
    (split by `nlp.units.unit_spans`, as the token table is)."""
    for one in unit_spans(parsed, unit):
        words = sum(1 for t in one.span if is_word_token(t, one.skip))
        yield Unit(parsed.interview, one.turn, unit, one.index, one.span, one.start, one.end,
                   words, one.skip)  # fmt: skip


def code_interviews(
    parsed: Iterable[ParsedInterview],
    matcher: CodeMatcher,
    *,
    unit: UnitKind = "turn",
    on_interview: Callable[[Interview], None] | None = None,
    design: Design = DEFAULT_DESIGN,
) -> Results:
    """Code every unit with the codes that apply to its speaker; one row per (unit, code).

    Which codes apply to a unit is decided by `judge_unit`. Informant words are counted for
    the interviews table whatever the codes' speakers. The design's attributes come first
    among the metadata columns; the results' manifest records only the design.
    """
    segment_rows: list[dict] = []
    unit_rows: list[dict] = []
    interview_rows: list[dict] = []
    metadata_keys: set[str] = set()
    code_order = {path: n for n, path in enumerate(matcher.codes)}
    for item in parsed:
        interview = item.interview
        metadata_keys |= set(interview.metadata)
        informant_words = 0
        for one in iter_units(item, unit):
            unit_rows.append(_unit_row(one))
            if one.turn.role == "informant":
                informant_words += one.words
            if one.turn.role not in matcher.roles:
                continue
            verdicts = [v for v in judge_unit(one, matcher) if v.applies]
            for verdict in sorted(verdicts, key=lambda v: code_order[v.code]):
                segment_rows.append(_segment_row(one, verdict, matcher))
        interview_rows.append(_interview_row(interview, informant_words))
        if on_interview is not None:
            on_interview(interview)
    metadata, first = sorted(metadata_keys), design.attributes
    return Results(
        segments=order_columns(pd.DataFrame(segment_rows), SEGMENT_COLUMNS, metadata, first),
        units=order_columns(pd.DataFrame(unit_rows), UNIT_COLUMNS, metadata, first),
        interviews=order_columns(pd.DataFrame(interview_rows), INTERVIEW_COLUMNS, metadata, first),
        codes=codes_table(matcher),
        manifest=Manifest(design=design),
    )


def codes_table(matcher: CodeMatcher) -> pd.DataFrame:
    """Every code in codebook order: path, place in the tree, codebook, colour and description."""
    rows = [
        {
            "code": code.path,
            "theme": code.theme,
            "label": code.label,
            "parent": code.path.rpartition("/")[0],
            "depth": code.path.count("/"),
            "codebook": matcher.codebook_of(code.path),
            "color": code.color,
            "definition": code.definition,
            "when_to_use": code.when_to_use,
            "when_not_to_use": code.when_not_to_use,
            "example": code.examples[0] if code.examples else "",
        }
        for code in matcher.codes.values()
    ]
    return pd.DataFrame(rows, columns=CODE_COLUMNS)


# --------------------------------------------------------------------------- rule evaluation


@dataclass(frozen=True)
class JudgedHit:
    """A term, regex or pattern hit and whether it counts for its code.

    `dropped` says why it does not count ("" when it does): its part of speech, a `near`
    constraint it fails, or a negator under `negation: exclude`.
    """

    hit: Hit
    negation: Negation | None
    dropped: str = ""


@dataclass(frozen=True)
class Verdict:
    """Whether one code applies to one unit, and why."""

    code: str
    applies: bool
    negated: bool  # every counting hit is negated (negation: flag)
    hits: tuple[JudgedHit, ...]
    vetoes: tuple[Hit, ...]  # not_terms hits in the unit
    near: tuple[Hit, ...]  # near-term hits in the unit
    reason: str = ""  # why the code does not apply, "" when it does

    @property
    def counting(self) -> list[Hit]:
        return [judged.hit for judged in self.hits if not judged.dropped]


def judge_unit(unit: Unit, matcher: CodeMatcher, hits: list[Hit] | None = None) -> list[Verdict]:
    """One verdict per code with a term, regex or pattern hit in `unit`, in no set order.

    A code applies when its speakers include the unit's role, at least one hit counts
    (its part of speech is allowed, every `near` constraint holds for it, and under
    `negation: exclude` it is not negated), and no `not_terms` term occurs in the unit.
    """
    hits = matcher.scan(unit.span, unit.skip) if hits is None else hits
    by_code: dict[str, list[Hit]] = defaultdict(list)
    for hit in sorted(hits, key=lambda h: (h.start, h.end)):
        by_code[hit.code].append(hit)
    needs_words = any(matcher.codes[path].near for path in by_code)
    before = _words_before(unit) if needs_words else {}
    verdicts = []
    for code_path, code_hits in by_code.items():
        positive = [h for h in code_hits if h.rule in POSITIVE_RULES]
        if positive:
            verdicts.append(_judge(unit, matcher.codes[code_path], code_hits, before))
    return verdicts


def _judge(unit: Unit, code: Code, hits: list[Hit], before: dict[int, int]) -> Verdict:
    vetoes = tuple(h for h in hits if h.rule == "not_terms")
    near = tuple(h for h in hits if h.rule == "near")
    judged = []
    for hit in (h for h in hits if h.rule in POSITIVE_RULES):
        negation = None
        if code.negation != "ignore":
            negation = find_negation(unit.span.doc, hit.first, hit.last, unit.skip)
        dropped = hit.rejected or _near_failure(code, hit, near, before)
        if not dropped and negation is not None and code.negation == "exclude":
            dropped = f"negated by '{negation.word}' (negation: exclude)"
        judged.append(JudgedHit(hit, negation, dropped))
    counting = [j for j in judged if not j.dropped]
    reason = ""
    if unit.turn.role not in code.speakers:
        reason = f"the code applies to {', '.join(code.speakers)} turns, not {unit.turn.role}"
    elif vetoes:
        reason = f"vetoed by not_terms '{vetoes[0].pattern}' ('{vetoes[0].words}')"
    elif not counting:
        reason = "no hit counts: " + "; ".join(dict.fromkeys(j.dropped for j in judged))
    negated = (
        code.negation == "flag" and bool(counting) and all(j.negation is not None for j in counting)
    )
    return Verdict(code.path, not reason, negated and not reason, tuple(judged), vetoes, near,
                   reason)  # fmt: skip


def _near_failure(code: Code, hit: Hit, near: tuple[Hit, ...], before: dict[int, int]) -> str:
    """Why `hit` fails a `near` constraint of `code`, or "" when it meets them all."""
    for number, constraint in enumerate(code.near):
        lo, hi = _word_range(hit, before)
        if not any(
            _gap(lo, hi, *_word_range(other, before)) <= constraint.within
            for other in near
            if other.near == number
        ):
            terms = ", ".join(constraint.terms)
            return f"none of [{terms}] within {constraint.within} words"
    return ""


def _words_before(unit: Unit) -> dict[int, int]:
    """For each token index of the unit (and the one after), the number of words before it.

    Words here are the tokens that are no transcription mark, space or punctuation.
    """
    before: dict[int, int] = {}
    count = 0
    for token in unit.span:
        before[token.i] = count
        if token.i not in unit.skip and not token.is_space and not token.is_punct:
            count += 1
    before[unit.span.end] = count
    return before


def _word_range(hit: Hit, before: dict[int, int]) -> tuple[int, int]:
    if hit.first < 0 or hit.first not in before or hit.last + 1 not in before:
        return (-(10**9), -(10**9))
    return before[hit.first], before[hit.last + 1] - 1


def _gap(lo: int, hi: int, other_lo: int, other_hi: int) -> float:
    """Words from one range to the other (1 = adjacent); overlapping ranges never count."""
    if other_lo > hi:
        return other_lo - hi
    if lo > other_hi:
        return lo - other_hi
    return math.inf


def _segment_row(unit: Unit, verdict: Verdict, matcher: CodeMatcher) -> dict:
    code = matcher.codes[verdict.code]
    hits = verdict.counting
    return {
        **_unit_row(unit),
        "code": code.path,
        "theme": code.theme,
        "label": code.label,
        "codebook": matcher.codebook_of(code.path),
        "matched": _joined(h.words for h in hits),
        "rule": _joined(h.rule for h in hits),
        "pattern": _joined(h.pattern for h in hits),
        "negated": verdict.negated,
    }


def _unit_row(unit: Unit) -> dict:
    return {
        "interview_id": unit.interview.id,
        **unit.interview.metadata,
        "speaker": unit.turn.speaker,
        "role": unit.turn.role,
        "unit": unit.kind,
        "unit_index": unit.index,
        "turn_index": unit.turn.index,
        "start": unit.start,
        "end": unit.end,
        "start_time": unit.turn.start_time,
        "end_time": unit.turn.end_time,
        "words": unit.words,
        "text": unit.text,
    }


def _interview_row(interview: Interview, informant_words: int) -> dict:
    return {
        "interview_id": interview.id,
        **interview.metadata,
        "file": str(interview.path),
        "format": interview.format,
        "turns": len(interview.turns),
        "informant_turns": len(interview.informant_turns()),
        "informant_words": informant_words,
    }


def _joined(values: Iterable[str]) -> str:
    return "; ".join(dict.fromkeys(values))
