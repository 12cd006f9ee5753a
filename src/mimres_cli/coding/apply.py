"""Apply a compiled codebook to parsed interviews and build the segments table."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace

import pandas as pd

from mimres_cli.codebook.compile import EVIDENCE_RULES, CodeMatcher, Hit
from mimres_cli.codebook.model import Code
from mimres_cli.coding.evidence import (
    Evidence,
    UnitContext,
    distinct_terms,
    find_evidence,
    has_content,
    same_sentence,
    word_range,
)
from mimres_cli.coding.negation import Negation, find_negation
from mimres_cli.coding.results import Manifest, Results
from mimres_cli.coding.schema import CODE_COLUMNS, TableLayout
from mimres_cli.corpus.language import interview_language
from mimres_cli.corpus.model import Interview, Turn
from mimres_cli.design import DEFAULT_DESIGN, Design
from mimres_cli.nlp.arrays import TokenSpan
from mimres_cli.nlp.parse import ParsedInterview
from mimres_cli.nlp.units import unit_spans
from mimres_cli.vocabulary import UnitKind


@dataclass(frozen=True)
class Unit:
    """One unit of coding: a turn or a sentence, with its place in the interview body."""

    interview: Interview
    turn: Turn
    kind: UnitKind
    index: int
    span: TokenSpan  # the unit's tokens in the turn's arrays (a Span where a Doc is needed)
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
        words = one.span.arrays.words(one.span.start, one.span.end, one.skip)
        yield Unit(parsed.interview, one.turn, unit, one.index, one.span, one.start, one.end,
                   words, one.skip)  # fmt: skip


def code_interviews(
    parsed: Iterable[ParsedInterview],
    matcher: CodeMatcher,
    *,
    unit: UnitKind = "turn",
    on_interview: Callable[[Interview], None] | None = None,
    design: Design = DEFAULT_DESIGN,
    layout: TableLayout | None = None,
) -> Results:
    """Code every unit with the codes that apply to its speaker; one row per (unit, code).

    The rows are `coded_rows`', kept in memory as the tables of `Results` (a run writing its
    folder while coding, `coding.results.ResultsFolder`, writes the same rows as they come).
    The design's attributes come first among the metadata columns, typed by `layout`
    (default: from these interviews' metadata); the results' manifest records only the design.
    """
    segment_rows: list[dict] = []
    unit_rows: list[dict] = []
    interview_rows: list[dict] = []
    metadata: list[dict] = []
    for coded in coded_rows(parsed, matcher, unit=unit, on_interview=on_interview):
        metadata.append(coded.interview.metadata)
        segment_rows += coded.segments
        unit_rows += coded.units
        interview_rows.append(coded.row)
    layout = layout or TableLayout.of(metadata, design)
    return Results(
        segments=layout.table("segments", segment_rows),
        units=layout.table("units", unit_rows),
        interviews=layout.table("interviews", interview_rows),
        codes=codes_table(matcher),
        manifest=Manifest(design=design),
    )


@dataclass(frozen=True)
class CodedInterview:
    """The rows one interview adds to the segments, units and interviews tables."""

    interview: Interview
    segments: list[dict]
    units: list[dict]
    row: dict  # its row of the interviews table


def coded_rows(
    parsed: Iterable[ParsedInterview],
    matcher: CodeMatcher,
    *,
    unit: UnitKind = "turn",
    on_interview: Callable[[Interview], None] | None = None,
) -> Iterator[CodedInterview]:
    """Each interview's table rows, in corpus order, as soon as it is coded (nothing of it is
    kept here once the caller has taken it).

    Which codes apply to a unit is decided by `judge_unit`. Informant words are counted for
    the interviews table whatever the codes' speakers.
    """
    code_order = {path: n for n, path in enumerate(matcher.codes)}
    for item in parsed:
        interview = item.interview
        informant_words = 0
        segment_rows: list[dict] = []
        unit_rows: list[dict] = []
        for one, verdicts in judge_units(item, matcher, unit):
            unit_row = _unit_row(one)  # its text is shared by the unit's segment rows
            unit_rows.append(unit_row)
            if one.turn.role == "informant":
                informant_words += one.words
            applying = [v for v in verdicts if v.applies]
            for verdict in sorted(applying, key=lambda v: code_order[v.code]):
                segment_rows.append(_segment_row(one, verdict, matcher, unit_row))
        if on_interview is not None:
            on_interview(interview)
        yield CodedInterview(interview, segment_rows, unit_rows,
                             _interview_row(interview, informant_words))  # fmt: skip


def judge_units(
    parsed: ParsedInterview, matcher: CodeMatcher, unit: UnitKind = "turn"
) -> Iterator[tuple[Unit, list[Verdict]]]:
    """Every unit of an interview with its verdicts (in no set order), question context included.

    The verdicts of a unit are `judge_unit`'s, plus, for an informant unit, a verdict from the
    question for each code with `question_context` that the interviewer's question found, the
    unit does not have by itself, and whose `not_terms` do not occur in the unit (see
    `question_verdicts`). In an informant unit, the hits of a code whose `question_not_terms`
    the question has do not count, and the code is not carried over. Units whose role no code
    applies to get no verdicts.
    """
    asking = any(code.question_context or code.question_not_terms
                 for code in matcher.codes.values())  # fmt: skip
    question: dict[str, Verdict] = {}
    question_turn = -1
    vetoes: dict[str, str] = {}  # code → why the question vetoes its hits (question_not_terms)
    for one in iter_units(parsed, unit):
        role = one.turn.role
        if role not in matcher.roles and not (asking and role == "interviewer"):
            yield one, []
            continue
        hits = matcher.scan(one.span, one.skip)
        verdicts = judge_unit(one, matcher, hits, vetoes if role == "informant" else None)
        if asking and role == "interviewer":
            if one.turn.index != question_turn and has_content(one.span, one.skip):
                question, question_turn, vetoes = {}, one.turn.index, {}  # a new question
            if one.turn.index == question_turn:
                for verdict in verdicts:
                    code = matcher.codes[verdict.code]
                    if code.question_context and verdict.found and verdict.code not in question:
                        question[verdict.code] = verdict
                for hit in hits:
                    if hit.rule == "question_not_terms" and hit.code not in vetoes:
                        vetoes[hit.code] = (
                            f"the question (turn {question_turn}) has "
                            f"'{hit.words}' (question_not_terms '{hit.pattern}')"
                        )
        if asking and role == "informant" and one.words:
            own = {v.code for v in verdicts if v.applies} | set(vetoes)
            own |= {h.code for h in hits if h.rule == "not_terms"}  # vetoed in the answer
            verdicts += question_verdicts(question, question_turn, own, one, matcher)
        yield one, verdicts


def question_verdicts(
    question: dict[str, Verdict], turn: int, own: set[str], unit: Unit, matcher: CodeMatcher
) -> list[Verdict]:
    """Verdicts that carry the question's codes over to an informant unit of the answer."""
    return [
        Verdict(code, True, verdict.negated, (), (), (), "", True, verdict.evidence, turn)
        for code, verdict in question.items()
        if code not in own and unit.turn.role in matcher.codes[code].speakers
    ]


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
    """A term, regex, pattern or weak-term hit and whether it counts for its code.

    `dropped` says why it does not count ("" when it does): its part of speech, a `near`
    constraint it fails, a `not_phrases` idiom or `not_near` term around it, or a negator
    under `negation: exclude`.
    """

    hit: Hit
    negation: Negation | None
    dropped: str = ""


@dataclass(frozen=True)
class Verdict:
    """Whether one code applies to one unit, and why.

    `found` says whether the unit's text has the evidence, whoever speaks; `applies` also
    needs the speaker's role. A verdict carried over from the interviewer's question (turn
    `question_turn`, otherwise -1) has no hits of its own: `evidence` is the question's.
    """

    code: str
    applies: bool
    negated: bool  # every counting hit is negated (negation: flag)
    hits: tuple[JudgedHit, ...]
    vetoes: tuple[Hit, ...]  # not_terms hits in the unit
    near: tuple[Hit, ...]  # near-term hits in the unit
    reason: str = ""  # why the code does not apply, "" when it does
    found: bool = False
    evidence: Evidence | None = None
    question_turn: int = -1

    @property
    def counting(self) -> list[Hit]:
        """The hits that made the code apply (all that count, when the scope is the unit)."""
        if self.evidence is not None:
            return list(self.evidence.hits)
        return [judged.hit for judged in self.hits if not judged.dropped]


def judge_unit(
    unit: Unit,
    matcher: CodeMatcher,
    hits: list[Hit] | None = None,
    vetoes: dict[str, str] | None = None,
) -> list[Verdict]:
    """One verdict per code with a term, regex, pattern or weak-term hit in `unit`, in no set
    order. `vetoes` maps codes whose hits do not count to why (the question the unit answers
    has one of their `question_not_terms`, see `judge_units`).

    A code applies when its speakers include the unit's role, no `not_terms` term occurs in the
    unit, and its counting hits meet its evidence rules within its scope (coding/evidence.py).
    A hit counts when its part of speech is allowed, it lies in no `not_phrases` idiom and has
    no `not_near` term near it, every `near` constraint holds for it, and under
    `negation: exclude` it is not negated.
    """
    hits = matcher.scan(unit.span, unit.skip) if hits is None else hits
    by_code: dict[str, list[Hit]] = defaultdict(list)
    for hit in sorted(hits, key=lambda h: (h.start, h.end)):
        by_code[hit.code].append(hit)
    context = UnitContext.of(unit.span, unit.skip)
    verdicts = []
    for code_path, code_hits in by_code.items():
        if any(h.rule in EVIDENCE_RULES for h in code_hits):
            veto = vetoes.get(code_path, "") if vetoes else ""
            verdicts.append(_judge(unit, matcher.codes[code_path], code_hits, context, veto))
    return theme_rule(verdicts, matcher, unit.words)


def theme_rule(verdicts: list[Verdict], matcher: CodeMatcher, words: int) -> list[Verdict]:
    """The verdicts with a theme's `theme_evidence` applied: a code whose own rules are met
    still does not apply when the found codes of its theme together have fewer distinct
    counting terms in the unit than the theme needs for a unit of `words` words. Terms are
    counted as for `min_terms` (`distinct_terms`), over the hits of the theme's codes pooled:
    one word matched by terms of two codes counts once."""
    pooled: dict[str, list[Hit]] = defaultdict(list)
    for verdict in verdicts:
        if verdict.found:
            pooled[verdict.code.split("/", 1)[0]].extend(verdict.counting)
    terms: dict[str, int] = {}  # worked out only for a theme that needs some
    kept = []
    for verdict in verdicts:
        theme = matcher.codes.get(verdict.code.split("/", 1)[0])
        needed = theme.theme_needed(words) if theme is not None else 0
        if not needed or not verdict.found:
            kept.append(verdict)
            continue
        assert theme is not None
        if theme.path not in terms:
            terms[theme.path] = distinct_terms(pooled[theme.path]) if theme.path in pooled else 0
        have = terms[theme.path]
        if have < needed:
            reason = (f"not enough theme evidence: {have} of {needed} distinct terms of theme "
                      f"'{theme.path}' in a {words}-word unit (theme_evidence "
                      f"{theme.theme_evidence_text})")  # fmt: skip
            verdict = replace(verdict, applies=False, negated=False, reason=reason, found=False)
        kept.append(verdict)
    return kept


def _judge(
    unit: Unit, code: Code, hits: list[Hit], context: UnitContext, veto: str = ""
) -> Verdict:
    vetoes = tuple(h for h in hits if h.rule == "not_terms")
    near = tuple(h for h in hits if h.rule == "near")
    not_near = [h for h in hits if h.rule == "not_near"]
    phrases = [h for h in hits if h.rule == "not_phrases"]
    judged = []
    for hit in (h for h in hits if h.rule in EVIDENCE_RULES):
        negation = None
        if code.negation != "ignore":
            negation = find_negation(unit.span.arrays, hit.first, hit.last, unit.skip)
        dropped = (
            veto
            or hit.rejected
            or _in_phrase(hit, phrases)
            or _near_failure(code, hit, not_near, context, veto=True)
            or _near_failure(code, hit, list(near), context)
        )
        if not dropped and negation is not None and code.negation == "exclude":
            dropped = f"negated by '{negation.word}' (negation: exclude)"
        judged.append(JudgedHit(hit, negation, dropped))
    counting = [j.hit for j in judged if not j.dropped]
    evidence, short = None, ""
    if counting:
        evidence, short = find_evidence(code, counting, context)
    reason = ""
    if vetoes:
        reason = f"vetoed by not_terms '{vetoes[0].pattern}' ('{vetoes[0].words}')"
    elif not counting:
        reason = "no hit counts: " + "; ".join(dict.fromkeys(j.dropped for j in judged))
    elif evidence is None:
        reason = f"not enough evidence: {short}"
    found = not reason
    if found and unit.turn.role not in code.speakers:
        reason = f"the code applies to {', '.join(code.speakers)} turns, not {unit.turn.role}"
    used = set(evidence.hits) if evidence is not None else set()
    negated = (
        code.negation == "flag"
        and bool(used)
        and all(j.negation is not None for j in judged if j.hit in used)
    )
    return Verdict(code.path, not reason, negated and found, tuple(judged), vetoes, near,
                   reason, found, evidence)  # fmt: skip


def _in_phrase(hit: Hit, phrases: list[Hit]) -> str:
    """The `not_phrases` idiom `hit` lies in (overlaps), as a reason; "" when none."""
    for phrase in phrases:
        if phrase.first <= hit.last and hit.first <= phrase.last:
            return f"in the idiom '{phrase.pattern}' ('{phrase.words}', not_phrases)"
    return ""


def _near_failure(
    code: Code, hit: Hit, others: list[Hit], context: UnitContext, *, veto: bool = False
) -> str:
    """Why `hit` fails a `near` constraint of `code` (with `veto`: meets a `not_near` one), or
    "" when it does not. With scope sentence, the other word must be in the hit's sentence."""
    constraints = code.not_near if veto else code.near
    if not constraints:
        return ""
    lo, hi = word_range(hit, context.before)
    for number, constraint in enumerate(constraints):
        close = [
            other
            for other in others
            if other.near == number
            and _gap(lo, hi, *word_range(other, context.before), constraint.side)
            <= constraint.within
            and (code.scope != "sentence" or same_sentence(hit, other, context.sentences))
        ]
        if veto and close:
            return f"'{close[0].words}' within {constraint.where} (not_near)"
        if not veto and not close:
            terms = ", ".join(constraint.terms)
            return f"none of [{terms}] within {constraint.where}"
    return ""


def _gap(lo: int, hi: int, other_lo: int, other_hi: int, side: str = "both") -> float:
    """Words from one range to the other (1 = adjacent); overlapping ranges never count, nor
    does the other range on the wrong `side` ("before" or "after" the first range)."""
    if other_lo > hi and side != "before":
        return other_lo - hi
    if lo > other_hi and side != "after":
        return lo - other_hi
    return math.inf


def _segment_row(unit: Unit, verdict: Verdict, matcher: CodeMatcher, unit_row: dict) -> dict:
    """One row of the segments table; `unit_row` (the unit's `_unit_row`) is reused, so the
    unit's text is one string however many codes the unit has."""
    code = matcher.codes[verdict.code]
    hits = verdict.counting
    offset = unit.turn.start
    start, end = unit.start, unit.end
    if verdict.evidence is not None and verdict.question_turn < 0:
        start, end = offset + verdict.evidence.start, offset + verdict.evidence.end
    rules = (h.rule for h in hits)
    return {
        **unit_row,
        "code": code.path,
        "theme": code.theme,
        "label": code.label,
        "codebook": matcher.codebook_of(code.path),
        "matched": _joined(h.words for h in hits),
        "rule": "question" if verdict.question_turn >= 0 else _joined(rules),
        "pattern": _joined(h.pattern for h in hits),
        "negated": verdict.negated,
        "context_turn": verdict.question_turn if verdict.question_turn >= 0 else None,
        "evidence_start": start,
        "evidence_end": end,
        "evidence": unit.interview.body[start:end],
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
        "language": interview_language(interview),  # a `language` key given, normalised
        "turns": len(interview.turns),
        "informant_turns": len(interview.informant_turns()),
        "informant_words": informant_words,
    }


def _joined(values: Iterable[str]) -> str:
    return "; ".join(dict.fromkeys(values))
