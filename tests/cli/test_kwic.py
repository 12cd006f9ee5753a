"""`mimres kwic`: a concordance over a corpus with codebook term semantics."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import write_transcript
from mimres_cli import __version__
from mimres_cli.cli import app

runner = CliRunner()


def _default_pipeline_name() -> str:
    """nb_core_news_sm where it is installed, else the built-in fallback."""
    import spacy.util

    from mimres_cli.nlp.pipeline import DEFAULT_MODEL, FALLBACK_NAME

    return DEFAULT_MODEL if spacy.util.is_package(DEFAULT_MODEL) else FALLBACK_NAME


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("kwic_corpus")
    write_transcript(
        folder,
        "sel_01.md",
        "id: sel_01\nmunicipality: Sel\ngroup: flyktning",
        """\
        I: Hvordan var norskopplæringen?
        Informant: Norskopplæringen var bra, men voksenopplæringa hadde lange køer.
        """,
    )
    write_transcript(
        folder,
        "vaga_01.md",
        "id: vaga_01\nmunicipality: Vågå\ngroup: hjelpeapparat",
        """\
        I: Og opplæring på jobben?
        Lærer: Opplæringen skjer mest på arbeidsplassen.
        """,
    )
    return folder


def test_kwic_finds_compounds_and_inflections_as_json(corpus: Path) -> None:
    result = runner.invoke(app, ["kwic", "*opplæring", "--corpus", str(corpus), "-w", "10",
                                 "-f", "json"])  # fmt: skip
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["provenance"]["pipeline"] == _default_pipeline_name()
    assert document["provenance"]["tool_version"] == __version__
    hits = document["rows"]
    assert [(h["interview_id"], h["match"]) for h in hits] == [
        ("sel_01", "Norskopplæringen"), ("sel_01", "voksenopplæringa"), ("vaga_01", "Opplæringen"),
    ]  # fmt: skip
    assert hits[1]["left"] == " bra, men " and hits[1]["right"] == " hadde lan"


def test_kwic_counts_by_attribute_as_csv(corpus: Path) -> None:
    result = runner.invoke(app, ["kwic", "*opplæring", "--corpus", str(corpus), "--by", "group",
                                 "--all-roles", "-f", "csv"])  # fmt: skip
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("table,interview_id,")
    counts = [line for line in lines if line.startswith("by group,")]
    assert len(counts) == 2
    assert f"mimres: notice: pipeline {_default_pipeline_name()} " in result.stderr
    # The group column is shared with the concordance; the counts follow its columns.
    assert counts[0].startswith("by group,,,flyktning,")
    assert counts[0].endswith(",3,1,norskopplæringen; voksenopplæringa")
    assert counts[1].startswith("by group,,,hjelpeapparat,")
    assert counts[1].endswith(",2,1,opplæring; opplæringen")


def test_kwic_on_the_terminal(corpus: Path) -> None:
    result = runner.invoke(app, ["kwic", "opplæring", "--corpus", str(corpus)])
    assert result.exit_code == 0, result.output
    assert "'opplæring': 1 matches in 1 interviews" in result.stdout
    assert "Opplæringen" in result.stdout
    # The provenance footer closes the output, wrapped at spaces to the terminal's width.
    footer = " ".join(result.stdout.split("Provenance: ")[-1].split())
    assert footer.startswith(f"pipeline {_default_pipeline_name()} ")
    assert footer.endswith(f"mimres-cli {__version__}")


def test_kwic_rejects_a_bad_term_before_parsing(corpus: Path) -> None:
    result = runner.invoke(app, ["kwic", "jo*bb", "--corpus", str(corpus)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "mimres: error[E209]: term 'jo*bb' has '*' inside a word" in result.stderr
