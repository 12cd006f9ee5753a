"""`mimres code`: the results folder, nothing on stdout, the cache, --fail-on exit codes."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from conftest import write_codebook, write_transcript
from mimres_cli.cli import app

runner = CliRunner()

CODEBOOK = """
codebook: mini
language: nb
codes:
  - id: arbeid
    label: Arbeid
    terms: [jobb, "arbeidsgiver*"]
"""
FRONT = "id: {id}\nmunicipality: Sel\ngroup: flyktning"
RESULT_FILES = [".mimres-results.json", "codes.csv", "findings.csv", "interviews.csv",
                "manifest.json", "segments.csv", "units.csv"]  # fmt: skip


def _inputs(folder: Path, *, uncoded: bool = False, warning: bool = False) -> list[str]:
    corpus = folder / "corpus"
    corpus.mkdir()
    write_transcript(corpus, "a.md", FRONT.format(id="a"),
                     "I: Har du jobb?\nInformant: Ja, jobben er fin.\n")  # fmt: skip
    if uncoded:
        write_transcript(corpus, "b.md", FRONT.format(id="b"),
                         "I: Og fritiden?\nInformant: Vi går på tur.\n")  # fmt: skip
    if warning:  # an interview with no informant turn: a warning about the inputs
        write_transcript(corpus, "c.md", FRONT.format(id="c"), "I: Er det noen her?\n")
    book = write_codebook(folder, CODEBOOK)
    return ["--corpus", str(corpus), "-c", str(book), "--cache-dir", str(folder / "cache")]


def test_code_writes_the_results_folder_and_nothing_on_stdout(tmp_path: Path) -> None:
    out = tmp_path / "results"
    result = runner.invoke(app, ["code", *_inputs(tmp_path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert f"Coded 1 interviews (1 segments); wrote 6 files to {out}" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == RESULT_FILES
    segments = (out / "segments.csv").read_text(encoding="utf-8").splitlines()
    assert len(segments) == 2 and ",arbeid," in segments[1] and "jobb; jobben" not in segments[1]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["options"]["cache"] == str(tmp_path / "cache")
    assert manifest["parse_cache"] == {"hits": 0, "misses": 1, "rejected": 0}


def test_code_twice_gives_byte_identical_tables_from_the_cache(tmp_path: Path) -> None:
    inputs = _inputs(tmp_path, uncoded=True)
    for name in ("one", "two"):
        result = runner.invoke(app, ["code", *inputs, "--out", str(tmp_path / name), "-q"])
        assert result.exit_code == 0, result.output
        assert result.stderr == "" or "built-in Bokmål pipeline" in result.stderr
    manifest = json.loads((tmp_path / "two" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["parse_cache"]["hits"] == 2
    for table in sorted((tmp_path / "one").glob("*.csv")):
        assert table.read_bytes() == (tmp_path / "two" / table.name).read_bytes(), table.name


def test_code_fail_on_uncoded_interviews_exits_1_after_writing(tmp_path: Path) -> None:
    out = tmp_path / "results"
    inputs = _inputs(tmp_path, uncoded=True)
    result = runner.invoke(app, ["code", *inputs, "--out", str(out),
                                 "--fail-on", "uncoded-interviews"])  # fmt: skip
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert ("mimres: failed: 1 interview(s) with no coded segment: b "
            "(--fail-on uncoded-interviews)") in result.stderr  # fmt: skip
    assert sorted(p.name for p in out.iterdir()) == RESULT_FILES
    passed = runner.invoke(app, ["code", *inputs, "--out", str(out), "--fail-on", "warnings"])
    assert passed.exit_code == 0, passed.output


def test_code_fail_on_warnings_exits_1(tmp_path: Path) -> None:
    inputs = _inputs(tmp_path, warning=True)
    out = str(tmp_path / "results")
    result = runner.invoke(app, ["code", *inputs, "--out", out, "--fail-on", "warnings"])
    assert result.exit_code == 1, result.output
    assert "mimres: warning[W102]:" in result.stderr and "c.md" in result.stderr
    assert "mimres: failed: 1 warning(s) about the inputs (--fail-on warnings)" in result.stderr
    quiet = runner.invoke(app, ["code", *inputs, "--out", out, "--fail-on", "warnings", "-q"])
    assert quiet.exit_code == 1, quiet.output  # quiet hides warnings, but still counts them
    assert runner.invoke(app, ["code", *inputs, "--out", out]).exit_code == 0


def test_code_rejects_an_unknown_fail_on_condition(tmp_path: Path) -> None:
    result = runner.invoke(app, ["code", *_inputs(tmp_path), "--fail-on", "errors"])
    assert result.exit_code == 2
    assert "--fail-on" in result.stderr and "'errors'" in result.stderr


def test_code_no_cache_with_cache_dir_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["code", *_inputs(tmp_path), "--no-cache"])
    assert result.exit_code == 2
    assert "--no-cache and --cache-dir exclude each other" in result.stderr
    assert not (tmp_path / "results").exists()


def test_code_no_cache_writes_no_cache(tmp_path: Path) -> None:
    inputs = _inputs(tmp_path)[:-2]  # without --cache-dir
    out = tmp_path / "results"
    result = runner.invoke(app, ["code", *inputs, "--no-cache", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "cache").exists()
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["options"]["cache"] is None and manifest["parse_cache"] is None


def test_code_refuses_a_cache_folder_of_other_files(tmp_path: Path) -> None:
    inputs = _inputs(tmp_path)
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "notes.txt").write_text("mine", encoding="utf-8")
    result = runner.invoke(app, ["code", *inputs, "--out", str(tmp_path / "results")])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert (f"mimres: error[E602]: {tmp_path / 'cache'}: this folder is not a mimres parse cache"
            in result.stderr)  # fmt: skip
    assert not (tmp_path / "results").exists()


def test_code_verbose_shows_timings_per_stage(tmp_path: Path) -> None:
    out = str(tmp_path / "results")
    result = runner.invoke(app, ["code", *_inputs(tmp_path), "--out", out, "--verbose"])
    assert result.exit_code == 0, result.output
    assert "mimres: timings: load " in result.stderr
    assert "parse " in result.stderr and "findings " in result.stderr
    assert "mimres: parse cache: 0 interview(s) read, 1 parsed" in result.stderr


def test_code_reports_a_missing_corpus_in_one_line(tmp_path: Path) -> None:
    book = write_codebook(tmp_path, CODEBOOK)
    result = runner.invoke(app, ["code", "--corpus", str(tmp_path / "nope"), "-c", str(book),
                                 "--out", str(tmp_path / "results")])  # fmt: skip
    assert result.exit_code == 2
    assert result.stdout == ""
    assert f"mimres: error[E001]: corpus '{tmp_path / 'nope'}' does not exist" in result.stderr


SIGTERM_MIDWAY = """
import os, signal, sys
from mimres_cli.coding import results
added = results.ResultsFolder.add
def add(self, *args, **kwargs):  # the tables are being written: `kill` arrives now
    added(self, *args, **kwargs)
    os.kill(os.getpid(), signal.SIGTERM)
results.ResultsFolder.add = add
from mimres_cli.cli import main
sys.argv = ["mimres", *sys.argv[1:]]
main()
"""


def test_code_killed_while_writing_leaves_no_temporary_folder(tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    inputs = [*_inputs(tmp_path), "--model", "fallback", "-q"]
    assert runner.invoke(app, ["code", *inputs, "--out", str(old)]).exit_code == 0
    before = {p.name: p.read_bytes() for p in old.iterdir()}
    for out in (old, new):
        killed = subprocess.run([sys.executable, "-c", SIGTERM_MIDWAY, "code", *inputs,
                                 "--out", str(out)], capture_output=True, text=True)  # fmt: skip
        assert killed.returncode == -signal.SIGTERM, killed.stderr
    assert {p.name: p.read_bytes() for p in old.iterdir()} == before  # no .mimres-* folder
    assert not new.exists()


def test_code_quiet_shows_only_errors_as_its_help_says(tmp_path: Path) -> None:
    inputs = _inputs(tmp_path, warning=True)  # c.md has no informant turn: a warning
    quiet = runner.invoke(app, ["code", *inputs, "--out", str(tmp_path / "out"), "-q",
                                "--fail-on", "warnings"])  # fmt: skip
    assert quiet.exit_code == 1 and "warning[W" not in quiet.stderr
    shown = runner.invoke(app, ["code", "--help"], env={"COLUMNS": "300"}).stdout
    assert "or warnings: only errors." in " ".join(shown.split())
