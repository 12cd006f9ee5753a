"""Results written while coding (`workflow.code(..., out=FOLDER)`): byte for byte the folder
`Results.write` writes from memory, all files or none, and a `Results` without the text."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from codebook_samples import MINI_TWO_THEMES
from conftest import write_codebook, write_transcript
from mimres_cli import workflow
from mimres_cli.coding import results as results_module
from mimres_cli.coding.results import TEXT_COLUMNS, Results
from mimres_cli.coding.shards import merge_folders
from mimres_cli.errors import MimresError

CODEBOOK = MINI_TWO_THEMES
# Metadata whose column types depend on which interviews a table holds rows of: `years` is
# a whole number in the coded interviews and 2.5 in the uncoded one (so a float column),
# `ward` mixes a number and text, `urban` is a yes/no that one interview lacks.
INTERVIEWS = {
    "a": ("years: 4\nward: 3\nurban: true", "I: Har du jobb?\nInformant: Ja, jobben er god.\n"),
    "b": ("years: 2.5\nward: Nord", "I: Og fritiden?\nInformant: Vi går på tur.\n"),
    "c": ("ward: Sør\nurban: false", "I: Norsk?\nInformant: Norskopplæringen var bra.\n"),
    "d": ("years: 7", "I: Arbeidsgiveren?\nInformant: Arbeidsgiveren hjelper meg med norsk.\n"),
}


@pytest.fixture()
def inputs(tmp_path: Path) -> tuple[Path, Path]:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for one, (meta, body) in INTERVIEWS.items():
        front = f"id: {one}\nmunicipality: Sel\ngroup: flyktning\n{meta}"
        write_transcript(corpus, f"{one}.md", front, body)
    return corpus, write_codebook(tmp_path, CODEBOOK)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.csv"))}


def _without_run_keys(folder: Path) -> dict:
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    for key in ("started", "durations"):
        manifest.pop(key)
    return manifest


@pytest.mark.parametrize("unit", ["turn", "sentence"])
@pytest.mark.parametrize("chunk_rows", [1, 5000])
def test_written_while_coding_is_byte_identical_to_writing_from_memory(
    inputs, tmp_path: Path, monkeypatch, unit: str, chunk_rows: int
) -> None:
    corpus, book = inputs
    monkeypatch.setattr(results_module, "_CHUNK_ROWS", chunk_rows)  # 1: a chunk per row
    in_memory = workflow.code(corpus, [book], unit=unit)
    in_memory.write(tmp_path / "memory")
    streamed = workflow.code(corpus, [book], unit=unit, out=tmp_path / "stream")
    assert _files(tmp_path / "stream") == _files(tmp_path / "memory")
    assert _without_run_keys(tmp_path / "stream") == _without_run_keys(tmp_path / "memory")
    assert {p.name for p in (tmp_path / "stream").iterdir()} == {
        p.name for p in (tmp_path / "memory").iterdir()
    }
    # the returned tables are the in-memory ones without the text columns
    for name in ("segments", "units"):
        expected = getattr(in_memory, name).drop(columns=list(TEXT_COLUMNS), errors="ignore")
        pd.testing.assert_frame_equal(getattr(streamed, name), expected)
    pd.testing.assert_frame_equal(streamed.interviews, in_memory.interviews)
    pd.testing.assert_frame_equal(streamed.findings, in_memory.findings)
    assert streamed.manifest.tables == (
        "segments.csv", "findings.csv", "interviews.csv", "units.csv", "codes.csv"
    )  # fmt: skip


def test_a_metadata_column_is_typed_alike_in_every_table(inputs, tmp_path: Path) -> None:
    """`years` is 2.5 in interview b, which has no segment: the segments table still writes
    the column as numbers with decimals, as the units and interviews tables do."""
    corpus, book = inputs
    workflow.code(corpus, [book], out=tmp_path / "out")
    segments = (tmp_path / "out" / "segments.csv").read_text(encoding="utf-8")
    units = (tmp_path / "out" / "units.csv").read_text(encoding="utf-8")
    assert "\nb," not in segments and "\nb,Sel,flyktning,,Nord,2.5000," in units
    a_row = next(line for line in segments.splitlines() if line.startswith("a,"))
    assert a_row.startswith("a,Sel,flyktning,True,3,4.0000,")  # urban, ward, years
    read = Results.read(tmp_path / "out")
    assert list(read.segments["interview_id"]) == ["a", "c", "d", "d"]
    assert read.segments["text"].str.len().gt(0).all()


def test_only_the_tables_chosen_are_written(inputs, tmp_path: Path) -> None:
    corpus, book = inputs
    workflow.code(corpus, [book], out=tmp_path / "out", tables=["findings", "units"])
    names = {p.name for p in (tmp_path / "out").iterdir()}
    assert names == {"findings.csv", "units.csv", "manifest.json", ".mimres-results.json"}


def test_a_failing_run_leaves_the_previous_results_untouched(inputs, tmp_path: Path) -> None:
    corpus, book = inputs
    out = tmp_path / "out"
    workflow.code(corpus, [book], out=out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def fail_on_the_third(interview) -> None:
        if interview.id == "c":
            raise RuntimeError("stopped while coding")

    (corpus / "a.md").write_text(
        (corpus / "a.md").read_text(encoding="utf-8").replace("jobben", "jobben og norsk"),
        encoding="utf-8",
    )
    with pytest.raises(RuntimeError, match="stopped while coding"):
        workflow.code(corpus, [book], out=out, on_interview=fail_on_the_third)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # no staging folder left
    with pytest.raises(RuntimeError):
        workflow.code(corpus, [book], out=tmp_path / "new", on_interview=fail_on_the_third)
    assert not (tmp_path / "new").exists()


def test_results_without_text_are_not_written_again(inputs, tmp_path: Path) -> None:
    corpus, book = inputs
    streamed = workflow.code(corpus, [book], out=tmp_path / "out")
    assert "text" not in streamed.units.columns
    with pytest.raises(MimresError, match="hold no unit text"):
        streamed.write(tmp_path / "again")
    assert not (tmp_path / "again").exists()
    streamed.write(tmp_path / "findings_only", tables=["findings", "codes"])


def test_parts_written_while_coding_merge_into_the_one_machine_run(inputs, tmp_path: Path) -> None:
    corpus, book = inputs
    workflow.code(corpus, [book], out=tmp_path / "whole")
    parts = []
    for index in (1, 2, 3, 4, 5, 6):  # more shards than interviews: some parts are empty
        parts.append(tmp_path / f"part{index}")
        workflow.code(corpus, [book], shard=f"{index}/6", out=parts[-1])
    merge_folders(parts, tmp_path / "merged")
    assert _files(tmp_path / "merged") == _files(tmp_path / "whole")
