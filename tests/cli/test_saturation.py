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


@pytest.fixture(scope="module")
def more_attributes(tmp_path_factory) -> Path:
    """The hand-worked results with two more attributes: `alder` (numbers: i1 41, i2 9.5,
    i3 -, i4 30; i3 has none) and `dato` (Norwegian dates, in the order i3 i1 i4 i2)."""
    import pandas as pd

    folder = write_results(tmp_path_factory.mktemp("saturation_more") / "results")
    table = pd.read_csv(folder / "interviews.csv", dtype=str, keep_default_na=False)
    table["alder"] = ["41", "9.5", "", "30"]
    table["dato"] = ["2.3.2023", "11.10.2023", "15.1.2023", "3.3.2023"]
    table.to_csv(folder / "interviews.csv", index=False)
    return folder


def _order(result) -> list[str]:
    return [line.split(",")[1] for line in result.stdout.splitlines()[1:]]


def test_saturation_orders_by_any_attribute_of_numbers_or_dates(results, more_attributes):
    # interview_date by its name, as 'date' does: 2024-01-01 i4, 01-15 i2, 02-01 i3, 03-01 i1.
    named = runner.invoke(app, ["saturation", str(results), "--order", "interview_date",
                                "-f", "csv"])  # fmt: skip
    assert named.exit_code == 0, named.output
    assert _order(named) == ["i4", "i2", "i3", "i1"]
    # By value, not as text ("9.5" < "30" < "41"); i3 has no value and comes last.
    ages = runner.invoke(app, ["saturation", str(more_attributes), "--order", "alder", "-f", "csv"])
    assert ages.exit_code == 0, ages.output
    assert _order(ages) == ["i2", "i4", "i1", "i3"]
    # Day.month.year dates by date, not as text.
    dates = runner.invoke(app, ["saturation", str(more_attributes), "--order", "dato"])
    assert dates.exit_code == 0, dates.output
    assert "New codes per interview (dato order)" in dates.stdout
    rows = [line for line in dates.stdout.splitlines() if line.startswith("│")]
    assert [row.split("│")[2].strip() for row in rows] == ["i3", "i1", "i4", "i2"]


def test_saturation_order_by_an_unusable_attribute_is_one_line(results) -> None:
    text = runner.invoke(app, ["saturation", str(results), "--order", "gender"])
    assert text.exit_code == 2
    assert text.stdout == ""
    assert text.stderr == (
        "mimres: error[E004]: attribute 'gender' is neither numbers nor dates: 'kvinne' in i1. "
        "Order by an attribute of numbers or dates (YYYY-MM-DD or D.M.YYYY), or use "
        "--order file or --order random\n"
    )
    missing = runner.invoke(app, ["saturation", str(results), "--order", "alder"])
    assert missing.exit_code == 2
    assert missing.stderr.startswith(
        "mimres: error[E002]: no attribute 'alder' in the interviews. Use one of municipality, "
        "group, gender, interview_date"
    )


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
