"""`mimres quotes`: balanced, reproducible quotes with the matches marked."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from findings.hand_results import write_results
from mimres_cli.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> Path:
    return write_results(tmp_path_factory.mktemp("quotes") / "results")


def test_quotes_as_csv_one_per_cell(results: Path, tmp_path: Path) -> None:
    out = tmp_path / "sitater.csv"
    result = runner.invoke(app, ["quotes", str(results), "arbeid", "--by", "municipality",
                                 "--n", "1", "--max-chars", "40", "-o", str(out)])  # fmt: skip
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out)
    assert list(table["municipality"]) == ["Sel", "Vågå"]
    assert list(table.columns[:5]) == ["code", "interview_id", "speaker", "municipality", "group"]
    assert (table["quote"].str.len() <= 42).all()
    assert table.loc[1, "interview_id"] == "i3"
    # The CSV file is pure data; its provenance (from manifest.json) is in a sidecar.
    sidecar = (tmp_path / "sitater.csv.provenance.json").read_text(encoding="utf-8")
    assert '"pipeline": "mimres_fallback_nb"' in sidecar


def test_quotes_are_the_same_on_every_run_and_change_with_the_seed(results: Path) -> None:
    args = ["quotes", str(results), "arbeid", "--by", "group", "-f", "csv"]
    first = runner.invoke(app, [*args, "--seed", "1"]).stdout
    assert first == runner.invoke(app, [*args, "--seed", "1"]).stdout
    seeds = {runner.invoke(app, [*args, "--seed", str(s)]).stdout for s in range(8)}
    assert len(seeds) > 1


def test_quotes_on_the_terminal_show_who_said_it(results: Path) -> None:
    result = runner.invoke(app, ["quotes", str(results), "sprak/norsk"])
    assert result.exit_code == 0, result.output
    assert "Quotes for sprak/norsk (2, seed 0)" in result.stdout
    assert "Norskopplæringen var bra." in result.stdout
    assert "Informant" in result.stdout


def test_quotes_report_an_unknown_code(results: Path) -> None:
    result = runner.invoke(app, ["quotes", str(results), "arbeid/lonn"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "mimres: error[E000]: no code 'arbeid/lonn'" in result.stderr


def test_quotes_are_report_ready_unless_raw(tmp_path: Path) -> None:
    import json

    from mini_corpus import write_mini_corpus

    corpus, codebook = write_mini_corpus(tmp_path)
    out = tmp_path / "results"
    made = runner.invoke(app, ["run", "--corpus", str(corpus), "-c", str(codebook), "--out",
                               str(out), "-q"])  # fmt: skip
    assert made.exit_code == 0, made.output

    def quote(*extra: str) -> str:
        result = runner.invoke(app, ["quotes", str(out), "sprak", "-f", "json", *extra])
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)["rows"][0]["quote"]

    assert quote() == "Norskopplæringen … var bra."
    assert quote("--raw") == "Norskopplæringen (...) var bra."
