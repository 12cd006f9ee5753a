"""`mimres compare OLD NEW`: the hand-worked gained and lost segments, as text and Markdown."""

from __future__ import annotations

import hashlib
import importlib.metadata
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import write_codebook, write_transcript
from mimres_cli import __version__
from mimres_cli.cli import app
from table_outputs import SUFFIX_OF, read_tables

runner = CliRunner()


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


def _provenance(old: Path, new: Path) -> str:
    """The footer's text: the pipeline (the built-in one here), mimres and both codebooks."""
    spacy_version = importlib.metadata.version("spacy")
    digests = [hashlib.sha256(path.read_bytes()).hexdigest()[:12] for path in (old, new)]
    return (
        f"pipeline mimres_fallback_nb {__version__} (built-in fallback, spaCy {spacy_version}), "
        f"mimres-cli {__version__}, codebook versjon sha256 {digests[0]}, "
        f"codebook versjon sha256 {digests[1]}"
    )


def test_compare_csv_names_the_pipeline_on_stderr(tmp_path: Path) -> None:
    corpus, old, new = setup(tmp_path)
    result = runner.invoke(
        app, ["compare", str(old), str(new), "--corpus", str(corpus), "--format", "csv"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("code,")  # pure CSV
    assert f"mimres: notice: {_provenance(old, new)}\n" in result.stderr


def setup(tmp_path: Path) -> tuple[Path, Path, Path]:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_transcript(
        corpus,
        "sel_flyktning_01.md",
        "id: sel_flyktning_01\nmunicipality: Sel\ngroup: flyktning",
        """
        I: Hva gjør du nå?
        Informant: Jeg har fått praksisplass på butikken.
        Informant: Praksis er viktig | for meg, og jobb.
        """,
    )
    write_transcript(
        corpus,
        "vaga_flyktning_01.md",
        "id: vaga_flyktning_01\nmunicipality: Vågå\ngroup: flyktning",
        "Informant: Praksisplassen var fin, og praksisen lærte meg mye.\n",
    )
    old = write_codebook(tmp_path, OLD, "old.yaml")
    new = write_codebook(tmp_path, NEW, "new.yaml")
    return corpus, old, new


def test_compare_lists_the_gained_and_lost_segments(tmp_path: Path) -> None:
    corpus, old, new = setup(tmp_path)
    result = runner.invoke(app, ["compare", str(old), str(new), "--corpus", str(corpus)])
    assert result.exit_code == 0, result.output
    # Unit 1 "praksisplass" matches only the old term, unit 2 "Praksis" only the new one;
    # Vågå's unit has both an old and a new match, so it stays coded.
    assert result.stdout == (
        f"{old} → {new}: +1 gained, -1 lost in 1 code(s) "
        "(2 interviews, unit: turn)\n"
        "\n"
        "arbeid/praksis  +1 -1\n"
        "  + sel_flyktning_01 #2 [Praksis]: Praksis er viktig | for meg, og jobb.\n"
        "  - sel_flyktning_01 #1 [praksisplass]: Jeg har fått praksisplass på butikken.\n"
        "\n"
        f"Provenance: {_provenance(old, new)}\n"
    )


def test_compare_markdown_for_a_pull_request(tmp_path: Path) -> None:
    corpus, old, new = setup(tmp_path)
    result = runner.invoke(
        app, ["compare", str(old), str(new), "--corpus", str(corpus), "--format", "markdown"]
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == (
        f"## {old} → {new}: +1 gained, −1 lost in 1 code(s) (2 interviews, unit: turn)"
    )
    assert "| arbeid/praksis | gained | sel_flyktning_01 | 2 |" in result.stdout
    assert "| Praksis er viktig \\| for meg, og jobb. |" in result.stdout
    assert lines[-1] == f"_Provenance: {_provenance(old, new)}._"


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "markdown", "xlsx"])
def test_compare_writes_the_changes_in_the_format_of_the_output_suffix(
    tmp_path: Path, fmt: str
) -> None:
    corpus, old, new = setup(tmp_path)
    output = tmp_path / f"changes{SUFFIX_OF[fmt]}"
    args = ["compare", str(old), str(new), "--corpus", str(corpus)]
    result = runner.invoke(app, [*args, "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    (changes,) = read_tables(output, fmt).values()
    assert changes[["code", "change", "interview_id", "unit_index", "matched"]].values.tolist() == [
        ["arbeid/praksis", "gained", "sel_flyktning_01", "2", "Praksis"],
        ["arbeid/praksis", "lost", "sel_flyktning_01", "1", "praksisplass"],
    ]
    assert changes["text"].tolist() == [
        "Praksis er viktig | for meg, og jobb.", "Jeg har fått praksisplass på butikken."
    ]  # fmt: skip
    if fmt != "xlsx":  # the same on stdout with --format
        shown = runner.invoke(app, [*args, "--format", fmt])
        assert shown.exit_code == 0, shown.output
        assert read_tables(shown.stdout, fmt)[next(iter(read_tables(output, fmt)))].equals(changes)


def test_compare_reports_a_broken_codebook(tmp_path: Path) -> None:
    corpus, old, _ = setup(tmp_path)
    broken = write_codebook(tmp_path, "codes:\n  - id: a\n    trems: [x]\n", "broken.yaml")
    result = runner.invoke(app, ["compare", str(old), str(broken), "--corpus", str(corpus)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert f"mimres: error[E204]: {broken}:3:5: unknown code key 'trems'" in result.stderr


def test_compare_shows_a_negation_change(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_transcript(
        corpus,
        "sel_flyktning_01.md",
        "id: sel_flyktning_01\nmunicipality: Sel\ngroup: flyktning",
        "Informant: Jeg har ikke fått praksisplass.\n",
    )
    flag = write_codebook(tmp_path, OLD, "flag.yaml")
    ignore = write_codebook(
        tmp_path,
        OLD.replace("terms: [praksisplass]", "terms: [praksisplass]\n        negation: ignore"),
        "ignore.yaml",
    )
    result = runner.invoke(app, ["compare", str(ignore), str(flag), "--corpus", str(corpus)])
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"{ignore} → {flag}: +0 gained, -0 lost, 1 negation change(s) in 1 code(s) "
        "(1 interviews, unit: turn)\n"
        "\n"
        "arbeid/praksis  +0 -0 ~1\n"
        "  ~ sel_flyktning_01 #0 [praksisplass] (now negated): Jeg har ikke fått praksisplass.\n"
        "\n"
        f"Provenance: {_provenance(ignore, flag)}\n"
    )
