"""Explaining one code on one text: tokens, lemmas, the rules that fired, and the verdict."""

from __future__ import annotations

from pathlib import Path

from conftest import write_codebook
from mimres_cli.codebook import compile_codebooks, load_codebook
from mimres_cli.coding.explain import explain_code, interview_from_text
from mimres_cli.nlp import parse_interviews

BOOK = """
codes:
  - id: praksis
    label: Praksis
    terms: [praksisplass]
    not_terms: [hotell]
"""


def explain(tmp_path: Path, pipeline, text: str, role: str = "informant"):
    matcher = compile_codebooks([load_codebook(write_codebook(tmp_path, BOOK))])
    parsed = parse_interviews([interview_from_text(text, role)], pipeline)
    [unit] = explain_code(parsed, matcher, "praksis")
    return unit


def test_explain_shows_the_match_and_the_negator(tmp_path: Path, fallback_pipeline) -> None:
    unit = explain(tmp_path, fallback_pipeline, "Jeg har ikke fått praksisplassen.")
    notes = {t.text: t.notes for t in unit.tokens if t.notes}
    assert notes == {
        "ikke": ("negator (precedes 'praksisplassen')",),
        "praksisplassen": ("term 'praksisplass'",),
    }
    token = next(t for t in unit.tokens if t.text == "praksisplassen")
    assert "praksisplass" in token.candidates
    assert unit.text[token.start : token.end] == "praksisplassen"
    assert unit.verdict is not None and unit.verdict.applies and unit.verdict.negated


def test_explain_shows_a_veto(tmp_path: Path, fallback_pipeline) -> None:
    unit = explain(tmp_path, fallback_pipeline, "Praksisplass på hotellet.")
    assert unit.verdict is not None and not unit.verdict.applies
    assert unit.verdict.reason == "vetoed by not_terms 'hotell' ('hotellet')"


def test_explain_says_when_the_speaker_does_not_fit(tmp_path: Path, fallback_pipeline) -> None:
    unit = explain(tmp_path, fallback_pipeline, "Fikk du praksisplass?", role="interviewer")
    assert unit.verdict is not None
    assert unit.verdict.reason == "the code applies to informant turns, not interviewer"
