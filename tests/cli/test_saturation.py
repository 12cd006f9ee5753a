"""`mimres saturation`: new codes per further interview."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from findings.hand_results import write_results
from mimres_cli.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> Path:
    return write_results(tmp_path_factory.mktemp("saturation") / "results")


def test_saturation_by_date_as_csv(results: Path) -> None:
    result = runner.invoke(app, ["saturation", str(results), "--order", "date", "-f", "csv"])
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "position,interview_id,codes,new_codes,cumulative_codes,cumulative_share,new\n"
        "1,i4,1,1,1,0.2500,bolig\n"
        "2,i2,2,2,3,0.7500,arbeid/jobb; arbeid/praksis\n"
        "3,i3,2,1,4,1.0000,sprak/norsk\n"
        "4,i1,3,0,4,1.0000,\n"
    )
    assert result.stderr.startswith("mimres: notice: pipeline mimres_fallback_nb 0.1.0 ")


def test_saturation_xlsx_has_a_provenance_sheet(results: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "metning.xlsx"
    result = runner.invoke(app, ["saturation", str(results), "-o", str(out)])
    assert result.exit_code == 0, result.output
    book = load_workbook(out)
    assert book.sheetnames == ["saturation", "provenance"]
    provenance = dict(book["provenance"].iter_rows(min_row=2, values_only=True))
    assert provenance["pipeline"] == "mimres_fallback_nb"
    assert provenance["created"] == "2026-01-02T03:04:05+00:00"


def test_saturation_by_group_on_the_terminal(results: Path) -> None:
    result = runner.invoke(app, ["saturation", str(results), "--by", "group"])
    assert result.exit_code == 0, result.output
    assert "New codes per interview (file order), by group" in result.stdout
    assert "hjelpeapparat" in result.stdout


def test_saturation_random_order_is_seeded(results: Path) -> None:
    args = ["saturation", str(results), "--order", "random", "-f", "json"]
    assert (
        runner.invoke(app, [*args, "--seed", "4"]).stdout
        == runner.invoke(app, [*args, "--seed", "4"]).stdout
    )


def test_saturation_reports_an_unknown_attribute(results: Path) -> None:
    result = runner.invoke(app, ["saturation", str(results), "--by", "kommune"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "mimres: error[E002]: no attribute 'kommune'" in result.stderr
