"""`mimres tag`: token rows on stdout or in a file, the fallback notice, and one-line errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import conllu
import pytest
from typer.testing import CliRunner

from conftest import STAND_IN_MODEL, write_transcript
from mimres_cli import __version__
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
        I: Hvordan går det med jobben?
        Informant: Jobben min er fin. Eh, jeg lærte språket [pause] på jobben.
        """,
    )
    write_transcript(
        corpus,
        "b.md",
        "id: b\nmunicipality: Vågå\ngroup: arbeidsgiver",
        "Leder: Vi har ansatt to fra kommunen i Lillehammer.\n",
    )
    return corpus


def _assert_one_line_error(result, *fragments: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    errors = [line for line in result.stderr.splitlines() if line.startswith("mimres: error[")]
    assert any(all(f in line for f in fragments) for line in errors), result.stderr
    assert "Traceback" not in result.stderr


def test_tag_writes_csv_rows_to_stdout_with_a_notice_on_stderr(tmp_path: Path) -> None:
    result = invoke("tag", "--corpus", str(_corpus(tmp_path)))
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["text"] for r in rows[:5]] == ["Jobben", "min", "er", "fin", "."]
    assert rows[0]["lemma"] == "jobb" and rows[0]["upos"] == "" and rows[0]["entity"] == ""
    assert {r["role"] for r in rows} == {"informant"}
    assert [r["text"] for r in rows if r["kind"] == "mark"] == ["Eh", "[", "pause", "]"]
    assert "upos, morph, head, dep, entity are empty" in result.stderr
    assert "Norsk Ordbank" in result.stderr
    # CSV on stdout carries no provenance, so the pipeline is named on stderr.
    assert f"mimres: notice: pipeline mimres_fallback_nb {__version__} (built-in" in result.stderr


def test_tag_all_speakers_includes_the_interviewer(tmp_path: Path) -> None:
    result = invoke("tag", "--corpus", str(_corpus(tmp_path)), "--all-speakers", "-f", "jsonl")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows[0]["text"] == "Hvordan" and rows[0]["role"] == "interviewer"
    assert rows[0]["upos"] is None and rows[0]["start"] == 3


def test_tag_conllu_file_from_the_suffix(tmp_path: Path) -> None:
    target = tmp_path / "out" / "tokens.conllu"
    target.parent.mkdir()
    result = invoke("tag", "--corpus", str(_corpus(tmp_path)), "-o", str(target))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    sentences = conllu.parse(target.read_text(encoding="utf-8"))
    assert [s.metadata["sent_id"] for s in sentences] == ["a-1", "a-2", "b-0"]
    assert sentences[0].metadata["text"] == "Jobben min er fin."
    # Each document header names the pipeline and this mimres (the conllu reader keeps them
    # in the metadata of the document's first sentence).
    assert [s.metadata.get("pipeline") for s in sentences] == [
        f"mimres_fallback_nb {__version__}",
        None,
        f"mimres_fallback_nb {__version__}",
    ]  # the fallback's version is the package's
    assert sentences[2].metadata["mimres_version"] == __version__
    assert "Wrote 25 tokens" in result.stderr
    assert (
        f"notice: pipeline mimres_fallback_nb {__version__} (" not in result.stderr
    )  # the file says it
    assert sorted(p.name for p in target.parent.iterdir()) == ["tokens.conllu"]


def test_tag_parquet_file(tmp_path: Path) -> None:
    import pandas as pd

    target = tmp_path / "tokens.parquet"
    result = invoke("tag", "--corpus", str(_corpus(tmp_path)), "--unit", "sentence",
                    "-o", str(target))  # fmt: skip
    assert result.exit_code == 0, result.output
    table = pd.read_parquet(target)
    assert len(table) == 25
    assert list(table["unit_index"]) == list(table["sentence_index"])
    import pyarrow.parquet as pq

    provenance = json.loads(pq.read_schema(target).metadata[b"mimres"])
    assert provenance["pipeline"] == "mimres_fallback_nb"
    assert provenance["tool_version"] == __version__ and provenance["fallback"] is True
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["tokens.parquet"]


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_tag_csv_and_jsonl_files_get_a_provenance_sidecar(tmp_path: Path, suffix: str) -> None:
    target = tmp_path / "out" / f"tokens{suffix}"
    result = invoke("tag", "--corpus", str(_corpus(tmp_path)), "-o", str(target))
    assert result.exit_code == 0, result.output
    sidecar = target.parent / f"tokens{suffix}.provenance.json"
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name, sidecar.name]
    provenance = json.loads(sidecar.read_text(encoding="utf-8"))
    assert provenance["pipeline"] == "mimres_fallback_nb"
    assert provenance["tool"] == "mimres-cli" and provenance["tool_version"] == __version__
    assert f"notice: pipeline mimres_fallback_nb {__version__} (" not in result.stderr


def test_tag_with_the_stand_in_fills_tags(tmp_path: Path) -> None:
    if not STAND_IN_MODEL.is_dir():
        pytest.skip(f"the stand-in pipeline is not at {STAND_IN_MODEL}")
    result = invoke("tag", "--corpus", str(_corpus(tmp_path)), "-m", str(STAND_IN_MODEL))
    assert result.exit_code == 0, result.output
    rows = {r["text"]: r for r in csv.DictReader(io.StringIO(result.stdout))}
    assert rows["Lillehammer"]["entity"] == "B-GPE_LOC"
    assert rows["kommunen"]["upos"] == "NOUN" and rows["kommunen"]["lemma"] == "kommune"
    assert "are empty" not in result.stderr
    assert "mimres: notice: pipeline nb_mimres_sm 0.1.0 (spaCy " in result.stderr


def test_tag_parquet_needs_an_output_file(tmp_path: Path) -> None:
    result = invoke("tag", "--corpus", str(_corpus(tmp_path)), "-f", "parquet")
    _assert_one_line_error(result, "Parquet", "-o tokens.parquet")


def test_tag_unknown_suffix(tmp_path: Path) -> None:
    target = tmp_path / "tokens.xyz"
    result = invoke("tag", "--corpus", str(_corpus(tmp_path)), "-o", str(target))
    _assert_one_line_error(result, "tokens.xyz", "'.xyz'", "--format")
    assert not target.exists()


def test_tag_missing_corpus(tmp_path: Path) -> None:
    result = invoke("tag", "--corpus", str(tmp_path / "nowhere"))
    _assert_one_line_error(result, f"corpus '{tmp_path / 'nowhere'}' does not exist")


def test_tag_reads_the_parse_cache_the_second_time(tmp_path: Path) -> None:
    corpus = str(_corpus(tmp_path))
    first = invoke("tag", "--corpus", corpus, "-f", "jsonl")
    assert (tmp_path / ".mimres-cache").is_dir()
    second = invoke("tag", "--corpus", corpus, "-f", "jsonl")
    assert first.exit_code == second.exit_code == 0, second.output
    assert first.stdout == second.stdout
    uncached = invoke("tag", "--corpus", corpus, "-f", "jsonl", "--no-cache")
    assert uncached.stdout == first.stdout


def test_tag_quiet_keeps_stderr_empty(tmp_path: Path) -> None:
    target = tmp_path / "t.csv"
    result = invoke("tag", "--corpus", str(_corpus(tmp_path)), "-q", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert result.stderr == "" and result.stdout == ""
    assert target.read_text(encoding="utf-8").startswith("interview_id,municipality,group,")


def test_tag_takes_a_results_folder_in_its_unit(tmp_path: Path) -> None:
    """From results coded by sentence, tokens come in sentence units that join units.csv."""
    import pandas as pd

    from conftest import write_codebook
    from exchange_corpus import code_to_results_with

    book = write_codebook(tmp_path, "codebook: c\ncodes:\n  - id: jobb\n    terms: [jobb]\n")
    results = code_to_results_with(_corpus(tmp_path), book, tmp_path / "results",
                                   unit="sentence")  # fmt: skip
    result = invoke("tag", str(results), "-q")
    assert result.exit_code == 0, result.output
    tokens = pd.read_csv(io.StringIO(result.stdout), dtype={"interview_id": "string"})
    units = pd.read_csv(results / "units.csv", dtype={"interview_id": "string"})
    # a's informant turn has two sentences, so two units (1 and 2; the question is unit 0).
    assert sorted(set(tokens.loc[tokens["interview_id"] == "a", "unit_index"])) == [1, 2]
    joined = tokens.merge(units, on=["interview_id", "unit_index"], suffixes=("", "_unit"))
    assert len(joined) == len(tokens)  # every token lies in a unit of the results
    assert ((joined["start_unit"] <= joined["start"]) & (joined["end"] <= joined["end_unit"])).all()
    # --unit still overrides the results' unit: one unit per turn.
    turns = invoke("tag", str(results), "--unit", "turn", "-q")
    by_turn = pd.read_csv(io.StringIO(turns.stdout), dtype={"interview_id": "string"})
    assert sorted(set(by_turn.loc[by_turn["interview_id"] == "a", "unit_index"])) == [1]


def test_tag_verbose_is_accepted(tmp_path: Path) -> None:
    result = invoke("tag", "--corpus", str(_corpus(tmp_path)), "-v")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("interview_id,")


def test_tag_of_results_from_the_built_in_pipeline_loads_it_without_w601(tmp_path: Path) -> None:
    # The run fell back to the built-in pipeline (with W601); its manifest records that, so
    # tagging its results loads the built-in one by name: no second warning, the same lemmas.
    corpus, results = _corpus(tmp_path), tmp_path / "results"
    book = tmp_path / "c.yaml"
    book.write_text("codebook: c\ncodes:\n  - id: jobb\n    terms: [jobb]\n", encoding="utf-8")
    run = invoke("run", "--corpus", str(corpus), "-c", str(book), "--out", str(results))
    assert run.exit_code == 0, run.output
    assert run.stderr.count("warning[W601]") == 1  # the run chose it: warned once
    result = invoke("tag", str(results))
    assert result.exit_code == 0, result.output
    assert "W601" not in result.stderr and "nb_core_news_sm" not in result.stderr
    assert "mimres_fallback_nb" in result.stderr  # the provenance notice names the pipeline
    assert result.stdout.startswith("interview_id,")
