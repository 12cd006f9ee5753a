"""The theme-level evidence rule (`theme_evidence` on a top-level code) on Norwegian turns:
distinct terms pooled over a theme's sub-codes, and more of them needed in a long turn.

Unit words are counted without punctuation and without the speaker label.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import write_codebook, write_transcript
from mimres_cli.codebook import check_codebook, compile_codebooks, load_codebook
from mimres_cli.codebook.describe import codebook_markdown, rule_summary
from mimres_cli.coding import code_interviews
from mimres_cli.coding.explain import explain_code
from mimres_cli.corpus import load_corpus
from mimres_cli.nlp import parse_interviews

FRONT = "id: sel_flyktning_01\nmunicipality: Sel\ngroup: flyktning"
BOOK = """codes:
  - id: arbeid
    label: Arbeid
    theme_evidence: {min_terms: MIN, per_words: 20}
    codes:
      - id: jobb
        terms: [jobb, arbeidsplass]
      - id: lonn
        terms: [lønn]
  - id: familie
    terms: [barn]
"""
# 26 words, "jobb" the only term of arbeid, "barna" the only one of familie
SCHOOL = """codes:
  - id: skule
    label: Skule
    theme_evidence: {min_terms: 2}
    codes:
      - id: bokmal
        terms: [skole]
      - id: nynorsk
        terms: [skule]
      - id: larer
        terms: [lærer]
"""
LONG = ("Informant: Da vi kom til Norge i fjor høst var alt nytt for oss og barna, "
        "men etter noen måneder fikk jeg endelig en jobb på lageret.\n")  # fmt: skip


def parsed_and_matcher(tmp_path: Path, pipeline, body: str, min_terms: int):
    corpus = tmp_path / "corpus"
    corpus.mkdir(exist_ok=True)
    write_transcript(corpus, "sel_flyktning_01.md", FRONT, body)
    book = write_codebook(tmp_path, BOOK.replace("MIN", str(min_terms)))
    matcher = compile_codebooks([load_codebook(book)])
    return list(parse_interviews(load_corpus(corpus), pipeline)), matcher


def coded(tmp_path: Path, pipeline, body: str, min_terms: int) -> list[tuple[str, str]]:
    parsed, matcher = parsed_and_matcher(tmp_path, pipeline, body, min_terms)
    segments = code_interviews(parsed, matcher).segments
    return [(row.code, row.matched) for row in segments.itertuples()]


def test_threshold_met_across_two_sub_codes(tmp_path: Path, fallback_pipeline) -> None:
    # 8 words: two distinct terms needed, one in each sub-code: both codes apply
    body = "Informant: Jeg har en jobb. Lønnen er god.\n"
    assert coded(tmp_path, fallback_pipeline, body, 2) == [
        ("arbeid/jobb", "jobb"),
        ("arbeid/lonn", "Lønnen"),
    ]


def test_one_term_twice_is_one_distinct_term(tmp_path: Path, fallback_pipeline) -> None:
    body = "Informant: Jobb og atter jobb.\n"
    assert coded(tmp_path, fallback_pipeline, body, 2) == []


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # "skolen" is matched by skole and by its Nynorsk equivalent skule: one word, one term
        # (each code finds both words below: a term finds its equivalents)
        ("Informant: Ho går på skolen.\n", []),
        ("Informant: Skulen er ny, og ho går på skolen.\n",
         [("skule/bokmal", "Skulen; skolen"), ("skule/nynorsk", "Skulen; skolen")]),
        # ... and "skolen" with a word of another code is two
        ("Informant: Ho går på skolen og har en god lærer.\n",
         [("skule/bokmal", "skolen"), ("skule/larer", "lærer"), ("skule/nynorsk", "skolen")]),
    ],
)  # fmt: skip
def test_one_word_matched_by_two_codes_is_one_term(
    tmp_path: Path, fallback_pipeline, body: str, expected: list[tuple[str, str]]
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_transcript(corpus, "sel_flyktning_01.md", FRONT, body)
    book = write_codebook(tmp_path, SCHOOL)
    segments = code_interviews(
        list(parse_interviews(load_corpus(corpus), fallback_pipeline)),
        compile_codebooks([load_codebook(book)]),
    ).segments
    assert sorted((row.code, row.matched) for row in segments.itertuples()) == expected


def test_not_met_by_one_term_in_a_long_turn(tmp_path: Path, fallback_pipeline) -> None:
    # 26 words with per_words 20: 1 + (26 - 1) // 20 = 2 distinct terms needed, "jobb" is
    # one; familie has no theme rule, so its one term still codes the turn
    parsed, matcher = parsed_and_matcher(tmp_path, fallback_pipeline, LONG, 1)
    units = code_interviews(parsed, matcher).units
    assert list(units["words"]) == [26]
    assert coded(tmp_path, fallback_pipeline, LONG, 1) == [("familie", "barna")]
    [unit] = explain_code(parsed, matcher, "arbeid/jobb")
    assert unit.verdict is not None and not unit.verdict.applies
    assert unit.verdict.reason == (
        "not enough theme evidence: 1 of 2 distinct terms of theme 'arbeid' in a 26-word "
        "unit (theme_evidence min_terms 1, +1 per 20 words)"
    )


def test_met_by_two_terms_in_the_long_turn(tmp_path: Path, fallback_pipeline) -> None:
    # 27 words: still 2 needed, now one term in each sub-code (segments in codebook order)
    body = LONG.replace("på lageret", "med god lønn")
    assert coded(tmp_path, fallback_pipeline, body, 1) == [
        ("arbeid/jobb", "jobb"),
        ("arbeid/lonn", "lønn"),
        ("familie", "barna"),
    ]


def test_met_in_a_short_answer(tmp_path: Path, fallback_pipeline) -> None:
    body = "Informant: Jeg fikk jobb.\n"  # 3 words: one term is enough
    assert coded(tmp_path, fallback_pipeline, body, 1) == [("arbeid/jobb", "jobb")]


@pytest.mark.parametrize(
    ("snippet", "message"),
    [
        ("theme_evidence: {min_terms: 0}",
         "min_terms of 'arbeid theme_evidence' must be a whole number, 1 or more, not '0'"),
        ("theme_evidence: 2", "theme_evidence of 'arbeid' must be a mapping with min_terms"),
        ("theme_evidence: {min_terms: 1, per_ord: 5}", "unknown theme_evidence key 'per_ord'"),
    ],
)  # fmt: skip
def test_bad_theme_evidence_is_an_error(tmp_path: Path, snippet: str, message: str) -> None:
    book = write_codebook(tmp_path, f"codes:\n  - id: arbeid\n    terms: [jobb]\n    {snippet}\n")
    errors = check_codebook(book).errors
    assert [e.message for e in errors] == [message]
    assert errors[0].line == 4


def test_theme_evidence_on_a_sub_code_is_an_error(tmp_path: Path) -> None:
    book = write_codebook(
        tmp_path,
        "codes:\n  - id: arbeid\n    codes:\n      - id: jobb\n        terms: [jobb]\n"
        "        theme_evidence: {min_terms: 2}\n",
    )
    errors = check_codebook(book).errors
    assert [e.message for e in errors] == [
        "theme_evidence of 'arbeid/jobb' is allowed only on a theme (top-level code)"
    ]
    assert errors[0].line == 6


def test_the_theme_rule_is_loaded_and_described(tmp_path: Path) -> None:
    book = load_codebook(write_codebook(tmp_path, BOOK.replace("MIN", "2")))
    arbeid, familie = book.codes
    assert (arbeid.theme_min_terms, arbeid.theme_per_words) == (2, 20)
    assert [arbeid.theme_needed(n) for n in (1, 20, 21, 40, 41, 600)] == [2, 2, 3, 3, 4, 31]
    assert familie.theme_needed(600) == 0  # no theme rule
    assert rule_summary(arbeid) == "theme_evidence: min_terms 2, +1 per 20 words"
    assert "**Rules:** theme_evidence: min_terms 2, +1 per 20 words" in codebook_markdown(book)
