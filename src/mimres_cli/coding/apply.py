"""Apply a compiled codebook to parsed interviews and build the segments table."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

import pandas as pd
from spacy.tokens import Span

from mimres_cli.codebook.compile import CodeMatcher, Hit
from mimres_cli.coding.schema import (
    INTERVIEW_COLUMNS,
    SEGMENT_COLUMNS,
    UNIT_COLUMNS,
    order_columns,
)
from mimres_cli.corpus.marks import find_marks, overlaps_mark
from mimres_cli.corpus.model import Interview, Turn
from mimres_cli.corpus.turns import strip_span
from mimres_cli.nlp.parse import ParsedInterview
from mimres_cli.nlp.words import is_word

UnitKind = Literal["turn", "sentence"]
CODED_ROLES = ("informant",)


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


@dataclass(frozen=True)
class CodingResult:
    """The segments table with the units, interviews and codes it was counted over."""

    segments: pd.DataFrame
    units: pd.DataFrame
    interviews: pd.DataFrame
    codes: pd.DataFrame


def iter_units(parsed: ParsedInterview, unit: UnitKind = "turn") -> Iterator[Unit]:
    """Every unit of an interview's turns (all roles), numbered from 0 in body order."""
    index = 0
    for turn, doc in zip(parsed.interview.turns, parsed.docs, strict=True):
        marks = find_marks(doc.text)
        skip = frozenset(t.i for t in doc if overlaps_mark(t.idx, t.idx + len(t.text), marks))
        spans = list(doc.sents) if unit == "sentence" and len(doc) else [doc[:]]
        for span in spans:
            start, end = strip_span(doc.text, span.start_char, span.end_char)
            if start == end and unit == "sentence":
                continue
            words = sum(1 for t in span if is_word(t, marks))
            yield Unit(parsed.interview, turn, unit, index, span, turn.start + start,
                       turn.start + end, words, skip)  # fmt: skip
            index += 1


def code_interviews(
    parsed: Iterable[ParsedInterview],
    matcher: CodeMatcher,
    *,
    unit: UnitKind = "turn",
    on_interview: Callable[[Interview], None] | None = None,
) -> CodingResult:
    """Code the informant units of every interview; one segment row per (unit, code)."""
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
            if one.turn.role not in CODED_ROLES:
                continue
            informant_words += one.words
            hits = matcher.match(one.span, one.skip)
            segment_rows.extend(_segment_rows(one, hits, matcher, code_order))
        interview_rows.append(_interview_row(interview, informant_words))
        if on_interview is not None:
            on_interview(interview)
    metadata = sorted(metadata_keys)
    return CodingResult(
        segments=order_columns(pd.DataFrame(segment_rows), SEGMENT_COLUMNS, metadata),
        units=order_columns(pd.DataFrame(unit_rows), UNIT_COLUMNS, metadata),
        interviews=order_columns(pd.DataFrame(interview_rows), INTERVIEW_COLUMNS, metadata),
        codes=codes_table(matcher),
    )


def codes_table(matcher: CodeMatcher) -> pd.DataFrame:
    """Every code in codebook order: path, theme, label, parent, depth and codebook name."""
    rows = [
        {
            "code": code.path,
            "theme": code.theme,
            "label": code.label,
            "parent": code.path.rpartition("/")[0],
            "depth": code.path.count("/"),
            "codebook": matcher.codebook_of(code.path),
        }
        for code in matcher.codes.values()
    ]
    return pd.DataFrame(rows, columns=["code", "theme", "label", "parent", "depth", "codebook"])


def _segment_rows(
    unit: Unit, hits: list[Hit], matcher: CodeMatcher, code_order: dict[str, int]
) -> list[dict]:
    by_code: dict[str, list[Hit]] = {}
    for hit in sorted(hits, key=lambda h: (h.start, h.end)):
        by_code.setdefault(hit.code, []).append(hit)
    rows = []
    for code_path in sorted(by_code, key=code_order.__getitem__):
        code_hits = by_code[code_path]
        code = matcher.codes[code_path]
        rows.append(
            {
                **_unit_row(unit),
                "code": code_path,
                "theme": code.theme,
                "label": code.label,
                "codebook": matcher.codebook_of(code_path),
                "matched": _joined(h.words for h in code_hits),
                "rule": _joined(h.rule for h in code_hits),
                "pattern": _joined(h.pattern for h in code_hits),
                "negated": False,
            }
        )
    return rows


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
