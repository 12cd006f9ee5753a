"""`mimres cooccur`: code × code matrices of a results folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from findings.hand_results import write_results
from mimres_cli.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> Path:
    return write_results(tmp_path_factory.mktemp("cooccur") / "results")


def test_cooccur_of_themes_as_csv(results: Path) -> None:
    result = runner.invoke(app, ["cooccur", str(results), "-f", "csv"])
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "code,label,arbeid,sprak,bolig\n"
        "arbeid,Arbeid og praksis,4,1,0\n"
        "sprak,Språk,1,2,0\n"
        "bolig,Bolig,0,0,1\n"
    )


def test_cooccur_jaccard_of_interviews_per_group_as_json(results: Path) -> None:
    result = runner.invoke(app, ["cooccur", str(results), "--codes", "arbeid", "--level",
                                 "interview", "--measure", "jaccard", "--by", "group",
                                 "-f", "json"])  # fmt: skip
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["provenance"]["pipeline"] == "mimres_fallback_nb"
    data = document["tables"]
    assert list(data) == ["all", "group=arbeidsgiver", "group=flyktning", "group=hjelpeapparat"]
    # jobb in i1, i2; praksis in i1, i2, i3: 2 / 3.
    assert data["all"][0] == {"code": "arbeid/jobb", "label": "Jobb", "arbeid/jobb": 1.0,
                              "arbeid/praksis": 0.6667}  # fmt: skip


def test_cooccur_on_the_terminal(results: Path) -> None:
    result = runner.invoke(app, ["cooccur", str(results), "--codes", "arbeid"])
    assert result.exit_code == 0, result.output
    assert "Units coded with both codes" in result.stdout
    assert "praksis" in result.stdout and "Praksisplass" in result.stdout


def test_cooccur_reports_an_unknown_code(results: Path) -> None:
    result = runner.invoke(app, ["cooccur", str(results), "--codes", "arbeid/lonn"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "mimres: error[E000]: no code 'arbeid/lonn' in the results" in result.stderr
