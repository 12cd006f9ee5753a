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


@pytest.fixture(scope="module")
def results(corpus: Path, tmp_path_factory) -> Path:
    """The corpus above coded: arbeid where the workplace is named, vente where queues are."""
    from conftest import write_codebook
    from exchange_corpus import code_to_results

    folder = tmp_path_factory.mktemp("kwic_results")
    book = write_codebook(folder, """
        codebook: t
        codes:
          - id: arbeid
            label: Arbeid
            terms: ["arbeidsplass*"]
          - id: vente
            label: Venting
            terms: ["kø*"]
    """)  # fmt: skip
    return code_to_results(corpus, book, folder / "results")


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


def test_kwic_from_a_results_folder_sorted_by_code(results: Path) -> None:
    result = runner.invoke(app, ["kwic", str(results), "*opplæring", "--sort", "code",
                                 "--no-cache", "-f", "json"])  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["rows"]
    # Codebook order (arbeid before vente), not corpus order (sel_01 before vaga_01).
    assert [(r["interview_id"], r["group"], r["match"], r["codes"]) for r in rows] == [
        ("vaga_01", "hjelpeapparat", "Opplæringen", "arbeid"),
        ("sel_01", "flyktning", "Norskopplæringen", "vente"),
        ("sel_01", "flyktning", "voksenopplæringa", "vente"),
    ]
    # On the terminal the lines stand under their codes.
    table = runner.invoke(app, ["kwic", str(results), "*opplæring", "--sort", "code",
                                "--no-cache"])  # fmt: skip
    assert table.exit_code == 0, table.output
    assert table.stdout.index("Codes: arbeid") < table.stdout.index("Codes: vente")


def test_kwic_sort_left_and_limit_with_the_group_on_the_terminal(corpus: Path) -> None:
    result = runner.invoke(app, ["kwic", "*opplæring", "--corpus", str(corpus), "--sort",
                                 "left", "--limit", "2", "--no-cache"])  # fmt: skip
    assert result.exit_code == 0, result.output
    title = " ".join(result.stdout.split("Interview")[0].split())
    assert title == ("'*opplæring': 3 matches in 2 interviews, by left context; 2 shown, "
                     "1 left out (--limit 2)")  # fmt: skip
    # Both shown lines start their turn (no left context), so the matched form decides;
    # voksenopplæringa (left: "men") is the one left out. The group is a column.
    lines = [line.split() for line in result.stdout.splitlines()]
    assert ["Interview", "group", "Left", "Match", "Right"] in lines
    assert [line[:3] for line in lines if line and line[0] in ("sel_01", "vaga_01")] == [
        ["sel_01", "flyktning", "Norskopplæringen"],
        ["vaga_01", "hjelpeapparat", "Opplæringen"],
    ]
    assert "voksenopplæringa" not in result.stdout


def test_kwic_limit_in_csv_is_said_on_stderr(corpus: Path) -> None:
    result = runner.invoke(app, ["kwic", "*opplæring", "--corpus", str(corpus), "--sort",
                                 "right", "-n", "1", "--no-cache", "-f", "csv"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == 2  # the header and one line
    assert "mimres: notice: 2 of 3 matches left out by --limit 1" in result.stderr


def test_kwic_sort_by_code_needs_a_results_folder(corpus: Path, results: Path) -> None:
    no_results = runner.invoke(app, ["kwic", "jobb", "--corpus", str(corpus), "--sort", "code"])
    assert no_results.exit_code == 2 and no_results.stdout == ""
    assert no_results.stderr.startswith(
        "mimres: error[E000]: --sort code sorts by the codes of a results folder, and none is "
        "given. Give one first: mimres kwic RESULTS 'jobb' --sort code"
    )
    no_term = runner.invoke(app, ["kwic", str(results)])
    assert no_term.exit_code == 2 and no_term.stdout == ""
    assert f"'{results}' is a results folder, and no term follows it" in no_term.stderr
