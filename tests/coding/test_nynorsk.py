"""Nynorsk and dialect transcripts coded with one codebook: Bokmål terms find Nynorsk words and
the other way round, Nynorsk negators, sentence units at pause marks in unpunctuated speech."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from conftest import write_codebook, write_transcript
from mimres_cli.codebook import compile_codebooks, load_codebook
from mimres_cli.coding import code_interviews
from mimres_cli.corpus import load_corpus
from mimres_cli.errors import CodebookError
from mimres_cli.nlp import parse_interviews

FRONT = "id: vaga_flyktning_01\nmunicipality: Vågå\ngroup: flyktning"


def segments(tmp_path: Path, pipeline, codebook: str, body: str, unit: str = "turn"):
    corpus = tmp_path / "corpus"
    corpus.mkdir(exist_ok=True)
    write_transcript(corpus, "vaga_flyktning_01.md", FRONT, body)
    matcher = compile_codebooks([load_codebook(write_codebook(tmp_path, codebook))])
    parsed = parse_interviews(load_corpus(corpus), pipeline)
    return code_interviews(parsed, matcher, unit=unit).segments  # type: ignore[arg-type]


def rows(table: pd.DataFrame, *columns: str) -> list[tuple]:
    return [tuple(row) for row in table[list(columns)].itertuples(index=False)]


BOOK = """
codebook: test
codes:
  - id: arbeid
    label: Arbeid
    terms: [{arbeid}]
  - id: bolig
    label: Bolig
    terms: [{bolig}]
  - id: kommune
    label: Kommune
    terms: [kommunen]
  - id: norsk
    label: Norskopplæring
    terms: [{norsk}]
"""
NYNORSK_TURNS = """
I: Korleis var det?
A: Arbeidsgjevaren min var grei.
A: Bustaden vår ligg nær skulen.
A: Eg snakka med kommunen.
A: Norskopplæringa var god.
"""
BOKMAL_TURNS = """
I: Hvordan var det?
A: Arbeidsgiveren min var grei.
A: Boligen vår ligger nær skolen.
A: Jeg snakket med kommunen.
A: Norskopplæringen var god.
"""
# (unit_index, code): unit 0 is the interviewer's question
EXPECTED = [(1, "arbeid"), (2, "bolig"), (3, "kommune"), (4, "norsk")]


@pytest.mark.parametrize(
    "terms",
    [
        {"arbeid": "arbeidsgiver", "bolig": "bolig", "norsk": "norskopplæringen"},  # Bokmål
        {"arbeid": "arbeidsgjevar", "bolig": "bustad", "norsk": "norskopplæringa"},  # Nynorsk
    ],
    ids=["bokmal-terms", "nynorsk-terms"],
)
@pytest.mark.parametrize("body", [NYNORSK_TURNS, BOKMAL_TURNS], ids=["nynorsk", "bokmal"])
def test_terms_in_either_standard_code_both(
    tmp_path: Path, fallback_pipeline, terms: dict[str, str], body: str
) -> None:
    found = segments(tmp_path, fallback_pipeline, BOOK.format(**terms), body)
    assert rows(found, "unit_index", "code") == EXPECTED


def test_a_codebooks_own_equivalents(tmp_path: Path, fallback_pipeline) -> None:
    book = """
    codebook: test
    equivalents:
      - [praksisplass, praksisstad]
    codes:
      - id: praksis
        label: Praksis
        terms: [praksisplass]
    """
    body = "A: Eg fekk praksisstaden i haust.\nA: Praksisplassen var fin.\nA: Plassen var fin.\n"
    found = segments(tmp_path, fallback_pipeline, book, body)
    assert rows(found, "unit_index", "code") == [(0, "praksis"), (1, "praksis")]


def test_a_bad_equivalents_group_is_e222(tmp_path: Path) -> None:
    path = write_codebook(tmp_path, """
    codebook: test
    equivalents:
      - [praksisplass]
    codes:
      - {id: praksis, label: Praksis, terms: [praksisplass]}
    """)  # fmt: skip
    with pytest.raises(CodebookError) as caught:
        load_codebook(path)
    assert "E222" in str(caught.value.problems[0].code)
    assert "two or more single words" in str(caught.value)


@pytest.mark.parametrize(
    ("sentence", "negated"),
    [
        ("eg har ikkje fått praksisplass", True),
        ("eg har itte fått praksisplass", True),  # dialect
        ("eg har ikkj fått nokon praksisplass", True),
        ("eg har aldri fått praksisplass", True),
        ("eg har fått praksisplass, ikkje sant", False),
        ("eg har fått praksisplass", False),
    ],
)
def test_nynorsk_and_dialect_negation(
    tmp_path: Path, fallback_pipeline, sentence: str, negated: bool
) -> None:
    book = "codebook: t\ncodes:\n  - {id: praksis, label: Praksis, terms: [praksisplass]}\n"
    found = segments(tmp_path, fallback_pipeline, book, f"A: {sentence}\n")
    assert rows(found, "code", "negated") == [("praksis", negated)]


def test_pause_marks_split_an_unpunctuated_turn_into_sentences(
    tmp_path: Path, fallback_pipeline
) -> None:
    book = """
    codebook: t
    codes:
      - {id: jobb, label: Jobb, terms: [jobb]}
      - {id: skule, label: Skule, terms: [skule]}
    """
    body = (
        "A: eg kom hit i fjor # så byrja eg på skulen ## og no har eg jobb [pause] "
        "det er fint (...) eg trivst\n"
        "A: Eg har jobb. Det er fint # eg trivst\n"  # punctuated: the pipeline's sentences
    )
    found = segments(tmp_path, fallback_pipeline, book, body, unit="sentence")
    # turn 1: 0 "eg kom hit i fjor #", 1 "så byrja ... skulen ##", 2 "og no har eg jobb [pause]",
    # 3 "det er fint (...)", 4 "eg trivst"; turn 2: 5 "Eg har jobb.", 6 "Det er fint # eg trivst"
    assert rows(found, "unit_index", "code") == [(1, "skule"), (2, "jobb"), (5, "jobb")]
    units = {row.unit_index: row.text for row in found.itertuples()}
    assert units[1] == "så byrja eg på skulen ##"
    assert units[2] == "og no har eg jobb [pause]"


def test_codebook_explain_shows_the_equivalents(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from mimres_cli.cli import app

    book = write_codebook(tmp_path, BOOK.format(arbeid="arbeidsgiver*", bolig="bolig", norsk="x"))
    args = ["codebook", "explain", "arbeid", "-c", str(book), "-t", "Arbeidsgjevaren var grei."]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "→ arbeid: coded (term 'arbeidsgiver*' matched 'Arbeidsgjevaren')" in result.stdout
    assert result.stdout.rstrip().endswith(
        "Bokmål/Nynorsk equivalents of its terms: arbeidsgiver* = arbeidsgjevar*"
    )
