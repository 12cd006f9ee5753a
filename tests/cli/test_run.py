"""`mimres run`: the findings on stdout, the result files with --out, and one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import write_codebook, write_transcript
from mimres_cli.cli import app
from mini_corpus import MINI_CODEBOOK, write_mini_corpus

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, list(args))


def test_run_prints_findings_and_writes_results(tmp_path: Path) -> None:
    corpus, codebook = write_mini_corpus(tmp_path)
    out = tmp_path / "results"
    result = invoke("run", "--corpus", str(corpus), "-c", str(codebook), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "per municipality" in result.stdout
    assert "Vågå" in result.stdout and "2/4 (50%)" in result.stdout
    assert "pipeline: mimres_fallback_nb" in result.stdout
    assert result.stderr.count("built-in Bokmål pipeline") == 1
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        ".mimres-results.json", "codes.csv", "findings.csv", "interviews.csv", "manifest.json",
        "segments.csv", "units.csv",
    ]  # fmt: skip


def test_naming_the_built_in_pipeline_silences_its_warning(tmp_path: Path) -> None:
    # Chosen on purpose (--model fallback, or 'model: fallback' in the project file), the
    # built-in pipeline needs no warning that nb_core_news_sm is missing.
    corpus, codebook = write_mini_corpus(tmp_path)
    named = invoke("run", "--corpus", str(corpus), "-c", str(codebook), "--model", "fallback",
                   "--out", str(tmp_path / "named"))  # fmt: skip
    assert named.exit_code == 0, named.output
    assert "pipeline: mimres_fallback_nb" in named.stdout
    assert "W601" not in named.stderr and "built-in Bokmål pipeline" not in named.stderr
    project = tmp_path / "mimres.yaml"
    project.write_text(f"corpus: {corpus}\ncodebooks: [{codebook}]\nmodel: fallback\n",
                       encoding="utf-8")  # fmt: skip
    from_project = invoke("run", "--project", str(project), "--out", str(tmp_path / "project"))
    assert from_project.exit_code == 0, from_project.output
    assert "W601" not in from_project.stderr
    # Not named: one warning, however often the run loads a pipeline.
    default = invoke("-v", "run", "--corpus", str(corpus), "-c", str(codebook), "-v")
    assert default.exit_code == 0, default.output
    assert default.stderr.count("mimres: warning[W601]:") == 1
    assert "pass --model fallback" in default.stderr


def test_jobs_says_what_ran(tmp_path: Path) -> None:
    # The built-in pipeline parses in one process (more would be slower): --jobs 2 says so
    # once on stderr and the manifest records both; -q silences the notice, not the record.
    import json

    corpus, codebook = write_mini_corpus(tmp_path)
    args = ["code", "--corpus", str(corpus), "-c", str(codebook), "--model", "fallback",
            "--no-cache", "--jobs", "2"]  # fmt: skip
    result = invoke(*args, "--out", str(tmp_path / "two"))
    assert result.exit_code == 0, result.output
    notices = [line for line in result.stderr.splitlines() if "--jobs 2" in line]
    assert notices == [
        "mimres: notice: --jobs 2: parsed in 1 process(es); more would not have paid off (the "
        "built-in pipeline, few words to parse, or the parse cache: -v says which)"
    ]
    options = json.loads((tmp_path / "two" / "manifest.json").read_text("utf-8"))["options"]
    assert (options["jobs"], options["jobs_requested"]) == (1, 2)
    quiet = invoke(*args, "-q", "--out", str(tmp_path / "quiet"))
    assert quiet.exit_code == 0 and "--jobs" not in quiet.stderr
    one = invoke(*args[:-1], "1", "--out", str(tmp_path / "one"))
    assert "--jobs" not in one.stderr
    options = json.loads((tmp_path / "one" / "manifest.json").read_text("utf-8"))["options"]
    assert options["jobs"] == 1 and "jobs_requested" not in options


def _assert_one_line_error(result, *fragments: str) -> None:
    """Exit 2, nothing on stdout, and one `mimres: error:` line holding every fragment."""
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    errors = [line for line in lines if line.startswith("mimres: error[")]
    assert any(all(f in line for f in fragments) for line in errors), result.stderr
    assert "Traceback" not in result.stderr


def _run_corpus(tmp_path: Path, corpus: Path, codebook: Path | None = None):
    if codebook is None:
        codebook = write_codebook(tmp_path, MINI_CODEBOOK, "mini.yaml")
    out = tmp_path / "out"
    result = invoke("run", "--corpus", str(corpus), "-c", str(codebook), "--out", str(out))
    assert not out.exists(), "no output folder may be left behind after an error"
    return result


def test_transcript_without_front_matter(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "x.txt").write_text("I: Hei\nInformant: Hei.\n", encoding="utf-8")
    result = _run_corpus(tmp_path, corpus)
    _assert_one_line_error(result, f"{corpus / 'x.txt'}:1: no front matter", "'---'")


@pytest.mark.parametrize("missing", ["id", "municipality", "group"])
def test_front_matter_without_a_required_key(tmp_path: Path, missing: str) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    front = {"id": "x1", "municipality": "Sel", "group": "flyktning"}
    del front[missing]
    lines = "\n".join(f"{k}: {v}" for k, v in front.items())
    path = write_transcript(corpus, "x.md", lines, "Informant: Hei.\n")
    result = _run_corpus(tmp_path, corpus)
    _assert_one_line_error(result, f"{path}:2: front matter has no '{missing}'")


def test_duplicate_interview_id(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    first = write_transcript(corpus, "a.md", "id: x\nmunicipality: Sel\ngroup: g", "Inf: Hei.\n")
    second = write_transcript(corpus, "b.md", "id: x\nmunicipality: Sel\ngroup: g", "Inf: Ja.\n")
    result = _run_corpus(tmp_path, corpus)
    _assert_one_line_error(result, f"{second}:2: interview id 'x' is used twice", str(first))


def test_empty_corpus_folder(tmp_path: Path) -> None:
    corpus = tmp_path / "empty"
    corpus.mkdir()
    result = _run_corpus(tmp_path, corpus)
    _assert_one_line_error(result, f"{corpus}: no transcripts found")


def test_malformed_codebook_yaml(tmp_path: Path) -> None:
    corpus, _ = write_mini_corpus(tmp_path)
    book = write_codebook(tmp_path, "codes:\n  - id: a\n    terms: [x\n  - id: b\n", "bad.yaml")
    result = _run_corpus(tmp_path, corpus, book)
    _assert_one_line_error(result, f"{book}:4", "not valid YAML")


def test_invalid_regex(tmp_path: Path) -> None:
    corpus, _ = write_mini_corpus(tmp_path)
    book = write_codebook(
        tmp_path,
        """\
        codebook: b
        codes:
          - id: arbeid
            label: Arbeid
            regex:
              - 'jobb('
        """,
        "regex.yaml",
    )
    result = _run_corpus(tmp_path, corpus, book)
    _assert_one_line_error(result, f"{book}:6", "regex 'jobb('", "invalid")


def test_unknown_codebook_key(tmp_path: Path) -> None:
    corpus, _ = write_mini_corpus(tmp_path)
    book = write_codebook(
        tmp_path,
        """\
        codebook: b
        codes:
          - id: arbeid
            label: Arbeid
            term: [jobb]
        """,
        "key.yaml",
    )
    result = _run_corpus(tmp_path, corpus, book)
    assert result.exit_code == 2
    assert f"{book}:5" in result.stderr and "'term'" in result.stderr
    assert "terms" in result.stderr  # the suggestion
    assert "Traceback" not in result.stderr


def test_missing_corpus_folder(tmp_path: Path) -> None:
    result = _run_corpus(tmp_path, tmp_path / "nowhere")
    _assert_one_line_error(result, "does not exist")
