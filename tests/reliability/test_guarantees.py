"""The guarantees of docs/reliability.md that the catalogue does not show one case at a time:
the CSV escape is exact, XLSX takes any text, a slow regex stops a run, no network is used,
and results folders of earlier versions are still written."""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import write_codebook, write_transcript
from mimres_cli.cli import app
from mimres_cli.codebook import compile as compile_module
from mimres_cli.codebook import load as load_module
from mimres_cli.errors import CodebookError, OutputError
from mimres_cli.safety import (
    FORMULA_STARTS,
    RESULTS_MARKER,
    check_results_folder,
    escape_cell,
    results_marker,
    xlsx_text,
)

runner = CliRunner()
FRONT = "id: {id}\nmunicipality: Sel\ngroup: flyktning"


@settings(max_examples=200, derandomize=True, deadline=None)
@given(st.text(alphabet=st.sampled_from(["'", "=", "+", "-", "@", "\t", "\r", "a", "1", " "])))
def test_the_csv_escape_starts_no_formula_and_one_quote_less_gives_the_text_back(
    text: str,
) -> None:
    escaped = escape_cell(text)
    assert not escaped.startswith(FORMULA_STARTS)
    if escaped != text:
        assert escaped == "'" + text
        assert escaped.lstrip("'")[:1] in FORMULA_STARTS  # so a reader knows to drop one


def test_the_csv_escape_leaves_numbers_and_plain_text() -> None:
    assert escape_cell(-1.5) == -1.5
    assert escape_cell("jobb - og lønn") == "jobb - og lønn"
    assert escape_cell("-1") == "'-1"
    assert escape_cell("'=x") == "''=x"


@settings(max_examples=100, derandomize=True, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=30))
def test_any_text_fits_an_xlsx_cell_once_cleaned(text: str) -> None:
    sheet = openpyxl.Workbook().active
    sheet["A1"] = xlsx_text(text)  # openpyxl raises IllegalCharacterError on what XLSX cannot hold
    assert len(sheet["A1"].value) == len(text)


def test_a_regex_that_runs_out_of_time_stops_the_run_naming_code_and_regex(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A slow regex that `codebook validate`'s probes miss still cannot hang a run."""
    monkeypatch.setattr(load_module, "regex_problem", lambda pattern: "")
    monkeypatch.setattr(compile_module, "REGEX_SECONDS", 0.2)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_transcript(corpus, "a.md", FRONT.format(id="a"), "I: Ja?\nInformant: " + "a" * 40 + "!\n")
    book = write_codebook(tmp_path, "codebook: t\ncodes:\n  - id: sakte\n    label: Sakte\n"
                                    "    regex: ['(a|aa)+$']\n")  # fmt: skip
    result = runner.invoke(app, ["code", "-q", "--no-cache", "--corpus", str(corpus), "-c",
                                 str(book), "--out", str(tmp_path / "out")])  # fmt: skip
    assert result.exit_code == 2, result.output
    assert "error[E221]" in result.output
    assert "regex '(a|aa)+$' of code 'sakte'" in result.output
    assert f"{book}:3:" in result.output  # the line where the code starts
    assert not (tmp_path / "out").exists()


def test_the_regex_limit_holds_per_unit_in_seconds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fallback_pipeline
) -> None:
    """`(a|aa)+$` on 60 a's and a '!' would take hours without the limit."""
    monkeypatch.setattr(load_module, "regex_problem", lambda pattern: "")
    book = write_codebook(tmp_path, "codebook: t\ncodes:\n  - id: sakte\n    label: Sakte\n"
                                    "    regex: ['(a|aa)+$']\n")  # fmt: skip
    matcher = compile_module.compile_codebooks([load_module.load_codebook(book)])
    doc = fallback_pipeline.nlp("a" * 60 + "!")
    began = time.perf_counter()
    with pytest.raises(CodebookError) as caught:
        matcher.match(doc[:])
    assert time.perf_counter() - began < 20  # the limit is 1 s; checks come late on a busy CPU
    assert caught.value.code == "E221"


def test_no_command_opens_a_network_connection(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("mimres opened a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.chdir(tmp_path)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_transcript(corpus, "a.md", FRONT.format(id="a"), "I: Jobb?\nInformant: Ja, jobb.\n")
    book = write_codebook(tmp_path, "codebook: t\ncodes:\n  - id: jobb\n    label: J\n"
                                    "    terms: [jobb]\n")  # fmt: skip
    for args in (["code", "-q", "--corpus", "corpus", "-c", str(book), "--out", "out"],
                 ["tables", "out", "-o", "t.xlsx"], ["report", "out", "-o", "r.html"],
                 ["codebook", "validate", str(book)]):  # fmt: skip
        result = runner.invoke(app, args)
        assert result.exit_code == 0, (args, result.output)


def test_a_results_folder_of_an_earlier_version_is_written_again(tmp_path: Path) -> None:
    folder = tmp_path / "results"
    folder.mkdir()
    (folder / "manifest.json").write_text(json.dumps({"tool": {"name": "mimres-cli"}}), "utf-8")
    (folder / "segments.csv").write_text("old\n", encoding="utf-8")
    check_results_folder(folder, ["segments.csv", "manifest.json"])
    (folder / "manifest.json").write_text("{}", encoding="utf-8")  # not written by mimres
    with pytest.raises(OutputError) as caught:
        check_results_folder(folder, ["segments.csv", "manifest.json"])
    assert caught.value.code == "E507"


def test_the_marker_keeps_the_files_written_before(tmp_path: Path) -> None:
    folder = tmp_path / "results"
    folder.mkdir()
    (folder / "findings.csv").write_text("x\n", encoding="utf-8")
    (folder / RESULTS_MARKER).write_text(results_marker(folder, ["findings.csv"], "0"), "utf-8")
    marker = json.loads(results_marker(folder, ["segments.csv"], "0"))
    assert marker["files"] == ["findings.csv", "segments.csv"]


def test_what_the_corpus_reads_is_what_output_safety_knows() -> None:
    from mimres_cli.corpus.metadata import CORPUS_FILE, SHEET_NAMES
    from mimres_cli.corpus.readers import READERS
    from mimres_cli.safety import CORPUS_NAMES, CORPUS_SUFFIXES

    assert set(CORPUS_SUFFIXES) == set(READERS)
    assert set(CORPUS_NAMES) == {*SHEET_NAMES, CORPUS_FILE}


@settings(max_examples=60, derandomize=True, deadline=None)
@given(
    st.lists(st.one_of(st.none(), st.integers(), st.floats(), st.text(max_size=5),
                       st.sampled_from(["=1+1", "-", "@a", "'=x"])), max_size=6),
    st.sampled_from(["object", "string"]),
)  # fmt: skip
def test_escaping_a_table_keeps_its_shape_and_other_cells(values: list, dtype: str) -> None:
    import pandas as pd

    from mimres_cli.safety import escape_table

    if dtype == "string":
        values = [v for v in values if isinstance(v, str) or v is None]
    table = pd.DataFrame({"x": pd.Series(values, dtype=dtype), "n": range(len(values))})
    escaped = escape_table(table, raw=False)
    assert list(escaped.dtypes) == list(table.dtypes)
    for before, after in zip(table["x"], escaped["x"], strict=True):
        if before is None or before is pd.NA or (isinstance(before, float) and before != before):
            assert pd.isna(after)
        else:
            assert after == escape_cell(before)
