"""`mimres export codebook|project`: files written, nothing on stdout, one-line errors."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import write_codebook
from exchange_corpus import exchange_results_once, schema
from mimres_cli.cli import app

runner = CliRunner()


@pytest.fixture
def coded(tmp_path_factory) -> tuple[Path, Path, Path]:
    return exchange_results_once(tmp_path_factory)


def invoke(*args: str):
    return runner.invoke(app, [str(a) for a in args])


def test_export_codebook_writes_a_valid_qdc(coded, tmp_path: Path) -> None:
    _, codebook, _ = coded
    target = tmp_path / "kb.qdc"
    result = invoke("export", "codebook", codebook, "-o", target)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == f"Wrote {target}: 4 codes\n"
    schema("Codebook.xsd").validate(str(target))


def test_export_codebook_names_the_line_of_a_broken_codebook(tmp_path: Path) -> None:
    book = write_codebook(tmp_path, "codebook: x\ncodes:\n  - id: Arbeid\n    terms: [jobb]\n")
    result = invoke("export", "codebook", book, "-o", tmp_path / "kb.qdc")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert f"mimres: error[E206]: {book}:3" in result.stderr and "'Arbeid'" in result.stderr
    assert not (tmp_path / "kb.qdc").exists()


def test_export_project_writes_a_valid_qdpx(coded, tmp_path: Path) -> None:
    _, _, results = coded
    target = tmp_path / "review.qdpx"
    result = invoke("export", "project", results, "-o", target, "--name", "Vågå & Sel")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    # sel_02's turn is coded arbeid/praksis in its first sentence and arbeid/jobb in its
    # second: each is a selection of its own evidence, so 4 selections for 4 codings.
    assert f"Wrote {target}: 3 interviews, 4 selections, 4 codings\n" in result.stderr
    assert "mimres: warning[W501]: interview 'vaga_01'" in result.stderr  # the emoji warning
    with zipfile.ZipFile(target) as archive:
        qde = archive.read("project.qde").decode("utf-8")
        assert sum(n.startswith("sources/") for n in archive.namelist()) == 3
    schema("Project.xsd").validate(qde)
    assert 'name="Vågå &amp; Sel"' in qde


def test_export_project_of_a_missing_results_folder_is_one_error_line(tmp_path: Path) -> None:
    result = invoke("export", "project", tmp_path / "nope", "-o", tmp_path / "x.qdpx")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"mimres: error[E001]: results folder '{tmp_path / 'nope'}'")


def test_export_project_refuses_a_changed_transcript(coded, tmp_path: Path) -> None:
    corpus, _, results = coded
    copy = tmp_path / "corpus"
    shutil.copytree(corpus, copy)
    (copy / "sel_02.txt").write_bytes((corpus / "sel_02.txt").read_bytes().replace(b"tre", b"to"))
    result = invoke("export", "project", results, "-o", tmp_path / "x.qdpx", "--corpus", copy)
    assert result.exit_code == 2
    assert result.stdout == ""
    errors = [line for line in result.stderr.splitlines() if line.startswith("mimres: error[")]
    assert len(errors) == 1
    assert errors[0].startswith(
        f"mimres: error[E100]: {copy / 'sel_02.txt'}: transcript changed since it was coded"
    )
    assert not (tmp_path / "x.qdpx").exists()


def test_an_error_on_line_100_keeps_its_line_number(tmp_path: Path) -> None:
    """Rich reads ':100:' as an emoji code unless told not to."""
    padding = "".join(f"# {n}\n" for n in range(97))
    book = write_codebook(
        tmp_path, f"codebook: x\ncodes:\n{padding}  - id: Arbeid\n    terms: [a]\n"
    )
    result = invoke("export", "codebook", book, "-o", tmp_path / "kb.qdc")
    assert result.exit_code == 2
    assert f"mimres: error[E206]: {book}:100:" in result.stderr
