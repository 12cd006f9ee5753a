"""`mimres words`: frequencies, keyness and entities by group, counted by hand, and errors.

The corpus below has 9 informant words per group (interviewer turns, marks and punctuation do
not count): flyktning "Jobben min er fin. Eh, jeg lærte språket [pause] på jobben." and
arbeidsgiver "Vi har ansatt to fra kommunen. Kommunen hjalp oss." With the shipped stop words
(min, er, jeg, på, vi, har, fra, oss), flyktning has jobb 2, fin 1, lære 1, språk 1.
per_10k of jobb = 2 / 9 × 10,000 = 2222.22. Keyness of jobb for flyktning: a=2, b=0, c=d=9,
E1 = 9·2/18 = 1, G² = 2·2 ln 2 = 2.773, log ratio = log2((2/9)/(0.5/9)) = 2.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import STAND_IN_MODEL, write_transcript
from mimres_cli.cli import app

runner = CliRunner()


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch) -> None:
    """Run where no project file is, so the parse cache lands in the test's own folder."""
    monkeypatch.chdir(tmp_path)


def invoke(*args: str):
    return runner.invoke(app, list(args))


def _corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_transcript(
        corpus,
        "a.md",
        "id: a\nmunicipality: Sel\ngroup: flyktning",
        """\
        I: Hvordan går det med jobben og kommunen?
        Informant: Jobben min er fin. Eh, jeg lærte språket [pause] på jobben.
        """,
    )
    write_transcript(
        corpus,
        "b.md",
        "id: b\nmunicipality: Vågå\ngroup: arbeidsgiver",
        """\
        I: Og kommunen?
        Leder: Vi har ansatt to fra kommunen. Kommunen hjalp oss.
        """,
    )
    return corpus


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _assert_one_line_error(result, *fragments: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    errors = [line for line in result.stderr.splitlines() if line.startswith("mimres: error[")]
    assert any(all(f in line for f in fragments) for line in errors), result.stderr
    assert "Traceback" not in result.stderr


def test_words_frequencies_by_group_counted_by_hand(tmp_path: Path) -> None:
    result = invoke("words", "--corpus", str(_corpus(tmp_path)), "-f", "csv")
    assert result.exit_code == 0, result.output
    rows = _csv(result.stdout)
    flyktning = [(r["lemma"], r["count"], r["per_10k"], r["interviews"])
                 for r in rows if r["group"] == "flyktning"]  # fmt: skip
    assert flyktning == [
        ("jobb", "2", "2222.2200", "1"),
        ("fin", "1", "1111.1100", "1"),
        ("lære", "1", "1111.1100", "1"),
        ("språk", "1", "1111.1100", "1"),
    ]
    employers = {r["lemma"]: r["count"] for r in rows if r["group"] == "arbeidsgiver"}
    assert employers["kommune"] == "2"  # the interviewer's "kommunen" does not count
    assert "vi" not in employers and "ha" not in employers


def test_words_keyness_json(tmp_path: Path) -> None:
    result = invoke("words", "--corpus", str(_corpus(tmp_path)), "--keyness", "--top", "1",
                    "-f", "json")  # fmt: skip
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["provenance"]["pipeline"] == "mimres_fallback_nb"
    rows = document["rows"]
    assert [(r["group"], r["lemma"], r["g2"], r["log_ratio"]) for r in rows] == [
        ("arbeidsgiver", "kommune", 2.773, 2.0),
        ("flyktning", "jobb", 2.773, 2.0),
    ]


def test_words_own_stopwords_and_by_municipality(tmp_path: Path) -> None:
    stop = tmp_path / "stop.txt"
    stop.write_text("# nothing but this\njobb\n", encoding="utf-8")
    result = invoke("words", "--corpus", str(_corpus(tmp_path)), "--by", "municipality",
                    "--stopwords", str(stop), "--min-count", "2", "-f", "csv")  # fmt: skip
    assert result.exit_code == 0, result.output
    # The own list replaces the shipped one, so "Vi" and "oss" (lemma vi) now count.
    assert [(r["municipality"], r["lemma"], r["count"]) for r in _csv(result.stdout)] == [
        ("Vågå", "kommune", "2"),
        ("Vågå", "vi", "2"),
    ]
    # CSV on stdout has no room for provenance: the pipeline is named on stderr.
    assert "mimres: notice: pipeline mimres_fallback_nb 0.1.0 (built-in fallback" in result.stderr


def test_words_entities_without_ner_gives_a_notice_and_no_rows(tmp_path: Path) -> None:
    result = invoke("words", "--corpus", str(_corpus(tmp_path)), "--entities", "-f", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout == "group,label,entity,count,interviews\n"
    assert "has no entity recogniser" in result.stderr


def test_words_entities_with_the_stand_in(tmp_path: Path) -> None:
    if not STAND_IN_MODEL.is_dir():
        pytest.skip(f"the stand-in pipeline is not at {STAND_IN_MODEL}")
    corpus = _corpus(tmp_path)
    write_transcript(corpus, "c.md", "id: c\nmunicipality: Sel\ngroup: flyktning",
                     "Informant: Jeg fikk et brev fra NAV i Lillehammer.\n")  # fmt: skip
    result = invoke("words", "--corpus", str(corpus), "--entities", "-m", str(STAND_IN_MODEL),
                    "-f", "csv")  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = [(r["group"], r["label"], r["entity"], r["count"]) for r in _csv(result.stdout)]
    assert ("flyktning", "GPE_LOC", "Lillehammer", "1") in rows
    assert ("flyktning", "ORG", "NAV", "1") in rows
    assert "mimres: notice: pipeline nb_mimres_sm 0.1.0 (spaCy " in result.stderr


def test_words_pos_needs_a_tagger(tmp_path: Path) -> None:
    result = invoke("words", "--corpus", str(_corpus(tmp_path)), "--pos", "NOUN")
    _assert_one_line_error(result, "--pos needs part-of-speech tags", "--model")


def test_words_unknown_attribute(tmp_path: Path) -> None:
    result = invoke("words", "--corpus", str(_corpus(tmp_path)), "--by", "kommune")
    _assert_one_line_error(result, "'kommune'", "municipality, group")


def test_words_keyness_and_entities_conflict(tmp_path: Path) -> None:
    result = invoke("words", "--corpus", str(_corpus(tmp_path)), "--keyness", "--entities")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "pick one" in result.stderr


def test_words_pos_with_the_stand_in(tmp_path: Path) -> None:
    if not STAND_IN_MODEL.is_dir():
        pytest.skip(f"the stand-in pipeline is not at {STAND_IN_MODEL}")
    result = invoke("words", "--corpus", str(_corpus(tmp_path)), "-m", str(STAND_IN_MODEL),
                    "--pos", "NOUN,VERB", "-f", "csv")  # fmt: skip
    assert result.exit_code == 0, result.output
    # "fin" (ADJ) and "to" (NUM) are left out; per_10k still counts all 9 words.
    assert [(r["group"], r["lemma"], r["count"], r["per_10k"]) for r in _csv(result.stdout)] == [
        ("arbeidsgiver", "kommune", "2", "2222.2200"),
        ("arbeidsgiver", "ansette", "1", "1111.1100"),
        ("arbeidsgiver", "hjelpe", "1", "1111.1100"),
        ("flyktning", "jobb", "2", "2222.2200"),
        ("flyktning", "lære", "1", "1111.1100"),
        ("flyktning", "språk", "1", "1111.1100"),
    ]


def test_words_xlsx_holds_the_same_numbers_as_csv(tmp_path: Path) -> None:
    import pandas as pd

    corpus = str(_corpus(tmp_path))
    target = tmp_path / "words.xlsx"
    written = invoke("words", "--corpus", corpus, "--keyness", "-o", str(target))
    assert written.exit_code == 0, written.output
    assert written.stdout == ""
    as_csv = invoke("words", "--corpus", corpus, "--keyness", "-f", "csv")
    from_xlsx = pd.read_excel(target)
    from_csv = pd.read_csv(io.StringIO(as_csv.stdout))
    pd.testing.assert_frame_equal(from_xlsx, from_csv, check_dtype=False)


def _coded(tmp_path: Path, **options) -> Path:
    """The corpus above coded into tmp_path/results (a one-code codebook: only the folder's
    manifest matters to `words`)."""
    from conftest import write_codebook
    from exchange_corpus import code_to_results_with

    book = write_codebook(tmp_path, "codebook: c\ncodes:\n  - id: jobb\n    terms: [jobb]\n")
    return code_to_results_with(_corpus(tmp_path), book, tmp_path / "results", **options)


def test_words_takes_a_results_folder_and_its_design(tmp_path: Path) -> None:
    # Coded with the design turned round, so the default --by is the results' second
    # attribute (municipality), not the corpus default (group).
    results = _coded(tmp_path, design="group,municipality")
    result = invoke("words", str(results), "-f", "csv")
    assert result.exit_code == 0, result.output
    rows = _csv(result.stdout)
    assert list(rows[0])[:2] == ["municipality", "lemma"]
    sel = [(r["lemma"], r["count"], r["per_10k"]) for r in rows if r["municipality"] == "Sel"]
    assert sel == [("jobb", "2", "2222.2200"), ("fin", "1", "1111.1100"),
                   ("lære", "1", "1111.1100"), ("språk", "1", "1111.1100")]  # fmt: skip
    # The same numbers as from the corpus itself, grouped the same way.
    direct = invoke("words", "--corpus", str(tmp_path / "corpus"), "--by", "municipality",
                    "-f", "csv")  # fmt: skip
    assert direct.stdout == result.stdout


def test_words_results_folder_whose_corpus_moved_or_changed(tmp_path: Path) -> None:
    results = _coded(tmp_path)
    moved = tmp_path / "moved"
    (tmp_path / "corpus").rename(moved)
    gone = invoke("words", str(results))
    _assert_one_line_error(gone, "the coded corpus", "is not there", "--corpus")
    found = invoke("words", str(results), "--corpus", str(moved), "-f", "csv")
    assert found.exit_code == 0, found.output
    assert ("flyktning", "jobb", "2") in [(r["group"], r["lemma"], r["count"])
                                         for r in _csv(found.stdout)]  # fmt: skip
    (moved / "a.md").write_text((moved / "a.md").read_text(encoding="utf-8") + "Ny linje.\n",
                                encoding="utf-8")  # fmt: skip
    changed = invoke("words", str(results), "--corpus", str(moved))
    _assert_one_line_error(changed, "transcript changed since it was coded")


def test_words_results_folder_brings_its_own_metadata(tmp_path: Path) -> None:
    results = _coded(tmp_path)
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("id,age\na,30\n", encoding="utf-8")
    result = invoke("words", str(results), "--metadata", str(sheet))
    _assert_one_line_error(result, "a results folder brings the metadata it was coded with",
                           "Drop --metadata")  # fmt: skip


def test_words_verbose_and_quiet(tmp_path: Path) -> None:
    corpus = str(_corpus(tmp_path))
    verbose = invoke("words", "--corpus", corpus, "-v", "-f", "csv")
    assert verbose.exit_code == 0, verbose.output
    both = invoke("words", "--corpus", corpus, "-v", "-q")
    assert both.exit_code == 2 and "--quiet and --verbose exclude each other" in both.stderr


def test_words_by_language_uses_the_detected_standard_and_a_given_key(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    # Nynorsk by its marker words (eg, ikkje, trur), with no `language` key.
    write_transcript(corpus, "c.md", "id: c\nmunicipality: Vågå\ngroup: flyktning", """\
        I: Korleis er det å jobbe der?
        Informant: Eg trur ikkje eg vil flytte frå sagbruket.
        """)  # fmt: skip
    # Bokmål text, but the researcher's front matter says Nynorsk: the key wins.
    write_transcript(corpus, "d.md", "id: d\nmunicipality: Sel\ngroup: flyktning\n"
                     "language: nynorsk", "I: Og?\nInformant: Sagbruket er stort.\n")  # fmt: skip
    result = invoke("words", "--corpus", str(corpus), "--by", "language", "-f", "csv")
    assert result.exit_code == 0, result.output
    rows = _csv(result.stdout)
    assert {r["language"] for r in rows} == {"nb", "nn"}
    nynorsk = {r["lemma"]: r["count"] for r in rows if r["language"] == "nn"}
    assert nynorsk["sagbruk"] == "2"  # c's "sagbruket" and d's, given as nynorsk
    bokmal = {r["lemma"]: r["count"] for r in rows if r["language"] == "nb"}
    assert bokmal["jobb"] == "2" and "sagbruk" not in bokmal
