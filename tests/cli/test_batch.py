"""Batch and CI: `mimres init`, the project file mimres.yaml, `mimres cache info|clear`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import write_codebook, write_transcript
from mimres_cli.cli import app
from mimres_cli.errors import ProjectError
from mimres_cli.project import TEMPLATE, load_project

runner = CliRunner()

CODEBOOK = """
codebook: mini
language: nb
codes:
  - id: arbeid
    label: Arbeid
    terms: [jobb]
"""


def _project(folder: Path, extra: str = "") -> Path:
    corpus = folder / "intervjuer"
    corpus.mkdir()
    body = "I: Har du jobb?\nInformant: Ja. Jobben er fin. Jeg liker jobben.\n"
    write_transcript(corpus, "a.md", "id: a\nmunicipality: Sel\ngroup: flyktning", body)
    write_codebook(folder, CODEBOOK, "bok.yaml")
    path = folder / "mimres.yaml"
    path.write_text(
        "corpus: intervjuer\ncodebooks: [bok.yaml]\nunit: sentence\n"
        "outputs:\n  folder: ut\n  tables: [segments, units]\n" + extra,
        encoding="utf-8",
    )
    return path


def test_init_writes_a_project_that_runs_as_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = runner.invoke(app, ["init", str(tmp_path / "prosjekt")])
    assert result.exit_code == 0, result.output
    folder = tmp_path / "prosjekt"
    assert (folder / "mimres.yaml").read_text(encoding="utf-8") == TEMPLATE
    assert f"Created {folder / 'mimres.yaml'}" in result.stderr
    assert len(list((folder / "sample_interviews").glob("*.md"))) >= 18
    monkeypatch.chdir(folder)
    run = runner.invoke(app, ["run", "-q"])
    assert run.exit_code == 0, run.output
    assert "per municipality" in run.stdout
    assert sorted(p.name for p in (folder / "results").iterdir()) == [
        ".mimres-results.json", "codes.csv", "findings.csv", "interviews.csv", "manifest.json",
        "segments.csv", "units.csv",
    ]  # fmt: skip
    manifest = json.loads((folder / "results" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["project"] == "mimres.yaml"
    assert manifest["options"]["cache"] == ".mimres-cache"
    assert (folder / ".mimres-cache" / "CACHEDIR.TAG").is_file()


def test_init_never_overwrites_a_project_file_without_force(tmp_path: Path) -> None:
    (tmp_path / "mimres.yaml").write_text("corpus: mine\n", encoding="utf-8")
    result = runner.invoke(app, ["init", str(tmp_path), "--no-sample"])
    assert result.exit_code == 2
    assert f"mimres: error[E501]: '{tmp_path / 'mimres.yaml'}' already exists" in result.stderr
    assert "--force" in result.stderr
    assert (tmp_path / "mimres.yaml").read_text(encoding="utf-8") == "corpus: mine\n"
    forced = runner.invoke(app, ["init", str(tmp_path), "--no-sample", "--force"])
    assert forced.exit_code == 0, forced.output
    assert not (tmp_path / "sample_interviews").exists()


def test_run_without_arguments_runs_the_project_in_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _project(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["run", "-q"])
    assert result.exit_code == 0, result.output
    assert "unit: sentence" in result.stdout
    assert sorted(p.name for p in (tmp_path / "ut").iterdir()) == [
        ".mimres-results.json", "manifest.json", "segments.csv", "units.csv",
    ]  # fmt: skip
    units = (tmp_path / "ut" / "units.csv").read_text(encoding="utf-8")
    assert units.count(",sentence,") == 4  # the question and three informant sentences


def test_command_line_overrides_the_project_file(tmp_path: Path) -> None:
    project = _project(tmp_path)
    out = tmp_path / "annet"
    result = runner.invoke(app, ["code", "--project", str(project), "--unit", "turn",
                                 "--out", str(out), "--no-cache"])  # fmt: skip
    assert result.exit_code == 0, result.output
    units = (out / "units.csv").read_text(encoding="utf-8")
    assert units.count(",turn,") == 2 and ",sentence," not in units
    assert not (tmp_path / "ut").exists()
    assert not (tmp_path / ".mimres-cache").exists()


def test_project_fail_on_exits_1(tmp_path: Path) -> None:
    project = _project(tmp_path, "fail_on: [uncoded-interviews]\n")
    write_transcript(tmp_path / "intervjuer", "b.md", "id: b\nmunicipality: Vågå\ngroup: g",
                     "I: Hei.\nInformant: Hei på deg.\n")  # fmt: skip
    result = runner.invoke(app, ["code", "--project", str(project), "-q"])
    assert result.exit_code == 1, result.output
    assert "1 interview(s) with no coded segment: b" in result.stderr
    assert (tmp_path / "ut" / "segments.csv").is_file()


def test_project_file_problems_are_all_reported_with_their_lines(tmp_path: Path) -> None:
    path = tmp_path / "mimres.yaml"
    path.write_text(
        "corpus: finnes_ikke\n"  # 1
        "codebok: [bok.yaml]\n"  # 2
        "unit: avsnitt\n"  # 3
        "jobs: 0\n"  # 4
        "fail_on: [errors]\n",  # 5
        encoding="utf-8",
    )
    result = runner.invoke(app, ["run", "--project", str(path)])
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert lines == [
        f"mimres: error[E306]: {path}:1: corpus 'finnes_ikke' does not exist "
        f"(looked in {tmp_path}). "
        "Correct the path; it is relative to the project file",
        f"mimres: error[E304]: {path}:2: unknown key 'codebok'. Did you mean 'codebooks'?",
        f"mimres: error[E308]: {path}:3: unit 'avsnitt' is not one of turn, sentence. "
        "Write one of turn, sentence",
        f"mimres: error[E307]: {path}:4: jobs '0' is not a whole number of 1 or more. "
        "Write e.g. 'jobs: 2', or leave it out to use every core",
        f"mimres: error[E308]: {path}:5: fail_on: unknown value(s) errors. "
        "Choose from warnings, uncoded-interviews",
    ]


def test_load_project_resolves_paths_against_its_folder(tmp_path: Path) -> None:
    project = load_project(_project(tmp_path, "cache: false\nroles:\n  Forsker: interviewer\n"))
    assert project.corpus == tmp_path / "intervjuer"
    assert project.codebooks == (tmp_path / "bok.yaml",)
    assert project.out == tmp_path / "ut"
    assert project.tables == ("segments", "units")
    assert project.cache is None
    assert project.roles == (("Forsker", "interviewer"),)


def test_load_project_rejects_a_list(tmp_path: Path) -> None:
    path = tmp_path / "mimres.yaml"
    path.write_text("- corpus\n", encoding="utf-8")
    with pytest.raises(ProjectError, match="mapping of keys"):
        load_project(path)


def test_missing_project_file_is_an_input_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["code", "--project", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2
    assert f"project file '{tmp_path / 'nope.yaml'}' does not exist" in result.stderr
    assert "mimres init" in result.stderr


def test_cache_info_and_clear(tmp_path: Path) -> None:
    project = _project(tmp_path)
    cache = tmp_path / ".mimres-cache"
    assert runner.invoke(app, ["code", "--project", str(project), "-q"]).exit_code == 0
    info = runner.invoke(app, ["cache", "info", "--cache-dir", str(cache)])
    assert info.exit_code == 0, info.output
    header, row = info.stdout.strip().split("\n")
    assert header == "pipeline\tentries\tbytes\tfolder"
    assert row.startswith("mimres_fallback_nb 0.1.0\t1\t")
    cleared = runner.invoke(app, ["cache", "clear", "--cache-dir", str(cache)])
    assert cleared.exit_code == 0, cleared.output
    assert cleared.stdout == ""
    assert "Removed 1 entries" in cleared.stderr
    again = runner.invoke(app, ["cache", "info", "--cache-dir", str(cache)])
    assert again.stdout == ""
    assert f"No parse cache at {cache}" in again.stderr


def test_cache_clear_refuses_a_folder_that_is_not_a_cache(tmp_path: Path) -> None:
    (tmp_path / "thesis.docx").write_bytes(b"x")
    result = runner.invoke(app, ["cache", "clear", "--cache-dir", str(tmp_path)])
    assert result.exit_code == 2
    assert "not a mimres parse cache" in result.stderr
    assert (tmp_path / "thesis.docx").exists()


def test_project_metadata_sheet_and_roles_reach_the_tables(tmp_path: Path) -> None:
    project = _project(tmp_path, "metadata: ark.csv\nroles:\n  Informant: interviewer\n")
    (tmp_path / "ark.csv").write_text("id,gender\na,kvinne\n", encoding="utf-8")
    result = runner.invoke(app, ["code", "--project", str(project), "-q", "--no-cache"])
    assert result.exit_code == 0, result.output
    units = (tmp_path / "ut" / "units.csv").read_text(encoding="utf-8").splitlines()
    assert units[0].startswith("interview_id,municipality,group,gender,")
    assert all(",kvinne," in row and ",interviewer," in row for row in units[1:])
    assert (tmp_path / "ut" / "segments.csv").read_text(encoding="utf-8").count("\n") == 1
    manifest = json.loads((tmp_path / "ut" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["metadata"]["path"] == str(tmp_path / "ark.csv")
    assert manifest["options"]["roles"] == {"Informant": "interviewer"}
