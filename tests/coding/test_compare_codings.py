"""Two codebook versions on one parsed corpus: exactly the segments gained and lost."""

from __future__ import annotations

from pathlib import Path

from conftest import write_codebook, write_transcript
from mimres_cli.codebook import compile_codebooks, load_codebook
from mimres_cli.coding import code_interviews
from mimres_cli.coding.compare import CHANGE_COLUMNS, compare_codebooks, compare_codings
from mimres_cli.corpus import load_corpus
from mimres_cli.nlp import parse_interviews

OLD = """
codebook: versjon
codes:
  - id: arbeid
    label: Arbeid
    codes:
      - id: praksis
        label: Praksis
        terms: [praksisplass]
      - id: jobb
        label: Jobb
        terms: [jobb]
"""
NEW = OLD.replace("terms: [praksisplass]", "terms: [praksis]")


def write_corpus(folder: Path) -> Path:
    """Two interviews; the expected changes were worked out by hand (see the test)."""
    corpus = folder / "corpus"
    corpus.mkdir()
    write_transcript(
        corpus,
        "sel_flyktning_01.md",
        "id: sel_flyktning_01\nmunicipality: Sel\ngroup: flyktning",
        """
        I: Hva gjør du nå?
        Informant: Jeg har fått praksisplass på butikken.
        Informant: Praksis er viktig for meg, og jobb.
        """,
    )
    write_transcript(
        corpus,
        "vaga_flyktning_01.md",
        "id: vaga_flyktning_01\nmunicipality: Vågå\ngroup: flyktning",
        """
        Informant: Praksisplassen var fin, og praksisen lærte meg mye.
        """,
    )
    return corpus


def test_compare_codings_lists_exactly_the_gained_and_lost(tmp_path: Path, fallback_pipeline):
    corpus = write_corpus(tmp_path)
    parsed = list(parse_interviews(load_corpus(corpus), fallback_pipeline))
    old, new = (
        code_interviews(parsed, compile_codebooks([load_codebook(write_codebook(tmp_path, t, n))]))
        for t, n in ((OLD, "old.yaml"), (NEW, "new.yaml"))
    )
    changes = compare_codings(old, new)
    assert list(changes.columns) == CHANGE_COLUMNS
    # sel #1 "praksisplass" matches only the old term; sel #2 "Praksis" only the new one.
    # vaga #0 has both "Praksisplassen" (old) and "praksisen" (new): unchanged. "jobb": same.
    assert changes[["code", "change", "interview_id", "unit_index", "matched"]].values.tolist() == [
        ["arbeid/praksis", "gained", "sel_flyktning_01", 2, "Praksis"],
        ["arbeid/praksis", "lost", "sel_flyktning_01", 1, "praksisplass"],
    ]
    assert changes["text"].tolist() == [
        "Praksis er viktig for meg, og jobb.",
        "Jeg har fått praksisplass på butikken.",
    ]


def test_compare_codings_of_equal_codings_is_empty(tmp_path: Path, fallback_pipeline) -> None:
    corpus = write_corpus(tmp_path)
    parsed = list(parse_interviews(load_corpus(corpus), fallback_pipeline))
    matcher = compile_codebooks([load_codebook(write_codebook(tmp_path, OLD))])
    coding = code_interviews(parsed, matcher)
    changes = compare_codings(coding, coding)
    assert changes.empty and list(changes.columns) == CHANGE_COLUMNS


def test_compare_codings_lists_negation_changes(tmp_path: Path, fallback_pipeline) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_transcript(
        corpus,
        "sel_flyktning_01.md",
        "id: sel_flyktning_01\nmunicipality: Sel\ngroup: flyktning",
        "Informant: Jeg har ikke fått praksisplass.\nInformant: Jeg har fått praksisplass.\n",
    )
    parsed = list(parse_interviews(load_corpus(corpus), fallback_pipeline))
    ignore = OLD.replace("terms: [praksisplass]", "terms: [praksisplass]\n        negation: ignore")
    old, new = (
        code_interviews(parsed, compile_codebooks([load_codebook(write_codebook(tmp_path, t, n))]))
        for t, n in ((ignore, "old.yaml"), (OLD, "new.yaml"))
    )
    changes = compare_codings(old, new)
    # Unit 0 is coded by both, but only the default (flag) marks it negated; unit 1 is equal.
    assert changes[["code", "change", "unit_index", "negated"]].values.tolist() == [
        ["arbeid/praksis", "negated", 0, True]
    ]
    reverse = compare_codings(new, old)
    assert reverse["change"].tolist() == ["unnegated"]


def test_compare_codebooks_parses_once_and_codes_with_both(tmp_path: Path, fallback_pipeline):
    corpus = write_corpus(tmp_path)
    parsed = parse_interviews(load_corpus(corpus), fallback_pipeline)  # a one-pass iterator
    books = [load_codebook(write_codebook(tmp_path, t, n))
             for t, n in ((OLD, "old.yaml"), (NEW, "new.yaml"))]  # fmt: skip
    found = compare_codebooks(parsed, *books)
    assert found.interviews == 2
    assert found.codebooks == tuple(books)
    assert found.changes[["change", "interview_id", "unit_index"]].values.tolist() == [
        ["gained", "sel_flyktning_01", 2], ["lost", "sel_flyktning_01", 1]
    ]  # fmt: skip
