"""Explaining one code on one text: tokens, lemmas, the rules that fired, and the verdict."""

from __future__ import annotations

from pathlib import Path

import pytest

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


def test_explain_picks_the_interview_and_checks_the_code(tmp_path: Path, fallback_pipeline):
    from mimres_cli.coding.explain import explain as explain_units
    from mimres_cli.corpus.model import Interview, Turn
    from mimres_cli.errors import MimresError

    book = BOOK.replace(
        "codes:\n",
        "codes:\n  - id: tema\n    label: Tema\n    codes:\n"
        "      - id: under\n        label: Under\n        terms: [x]\n",
        1,
    )
    matcher = compile_codebooks([load_codebook(write_codebook(tmp_path, book))])
    body = "Informant: Jeg fikk praksisplass.\nInformant: Det var fint."
    turns = (Turn(0, "Informant", "informant", 11, 33, "Jeg fikk praksisplass."),
             Turn(1, "Informant", "informant", 45, 57, "Det var fint."))  # fmt: skip
    interview = Interview(id="sel_01", path=Path("sel_01.md"), body=body, metadata={},
                          turns=turns)  # fmt: skip
    found = explain_units(matcher, "praksis", fallback_pipeline, interviews=[interview],
                          interview="sel_01")  # fmt: skip
    assert found.code == "praksis"
    assert [(u.interview_id, u.unit_index) for u in found.units] == [("sel_01", 0)]  # hits only
    with pytest.raises(MimresError, match="no interview 'vaga_01' in the corpus"):
        explain_units(matcher, "praksis", fallback_pipeline, interviews=[interview],
                      interview="vaga_01")  # fmt: skip
    with pytest.raises(MimresError, match=r"code 'tema' has no rules of its own.*tema/under"):
        explain_units(matcher, "tema", fallback_pipeline, text="x")


SENTENCE_SCOPE = """
codes:
  - id: flytting
    terms: [flytte]
    near: {terms: [kommune], within: 6}
    scope: sentence
  - id: tvang
    terms: [flytte]
    not_near: {terms: [bli], within: 3, side: before}
    scope: sentence
  - id: jobb
    terms: [jobb]
    weak_terms: [sjef, kollega]
    scope: sentence
"""


@pytest.mark.parametrize(
    ("code", "text", "applies", "notes"),
    [
        # 'kommunen' is 3 words before 'flytter', but in the sentence before
        ("flytting", "Vi bor i kommunen. Vi flytter snart.", False, {
            "kommunen": ("near 'kommune'", "in another sentence (scope: sentence): does not "
                         "count for 'flytter'"),
            "flytter": ("term 'flytte'", "does not count: none of [kommune] within 6 words",
                        "near 'kommunen' within 6 words is in another sentence (scope: "
                        "sentence)")}),
        ("flytting", "Vi flytter til kommunen.", True, {
            "flytter": ("term 'flytte'",), "kommunen": ("near 'kommune'",)}),
        # 'ble' would veto 'flyttet' two words on, but it ends the sentence before
        ("tvang", "Det ble. Vi flyttet i fjor.", True, {
            "ble": ("not_near 'bli'", "in another sentence (scope: sentence): does not veto "
                    "'flyttet'"),
            "flyttet": ("term 'flytte'", "not_near 'ble' within 3 words before it is in "
                        "another sentence (scope: sentence)")}),
        # a weak cue whose only partner is in another sentence: the term codes alone
        ("jobb", "Sjefen var grei. Jobben var fin.", True, {
            "Sjefen": ("weak 'sjef'", "does not count: its partner 'Jobben' is in another "
                       "sentence (scope: sentence)"),
            "Jobben": ("term 'jobb'",)}),
        ("jobb", "Sjefen var grei. Kollegaene var greie.", False, {
            "Sjefen": ("weak 'sjef'", "does not count: its partner 'Kollegaene' is in another "
                       "sentence (scope: sentence)"),
            "Kollegaene": ("weak 'kollega'", "does not count: its partner 'Sjefen' is in "
                           "another sentence (scope: sentence)")}),
        ("jobb", "Sjefen og kollegaene var greie.", True, {
            "Sjefen": ("weak 'sjef'",), "kollegaene": ("weak 'kollega'",)}),
    ],
)  # fmt: skip
def test_explain_says_a_partner_was_in_another_sentence(
    tmp_path: Path, fallback_pipeline, code: str, text: str, applies: bool, notes: dict
) -> None:
    matcher = compile_codebooks([load_codebook(write_codebook(tmp_path, SENTENCE_SCOPE))])
    parsed = parse_interviews([interview_from_text(text)], fallback_pipeline)
    [unit] = explain_code(parsed, matcher, code)
    assert unit.verdict is not None and unit.verdict.applies is applies
    assert {t.text: t.notes for t in unit.tokens if t.notes} == notes
