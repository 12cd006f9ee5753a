"""`mimres tables`: report tables of a results folder in every format, and one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from findings.hand_results import write_results
from mimres_cli.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> Path:
    return write_results(tmp_path_factory.mktemp("tables") / "results")


def invoke(*args: str):
    return runner.invoke(app, list(args))


def test_tables_by_another_attribute_as_csv(results: Path) -> None:
    result = invoke("tables", str(results), "--by", "gender", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "code,label,depth,kvinne,mann,All\n"
        "arbeid,Arbeid og praksis,0,0.5000,1.0000,0.7500\n"
        "arbeid/jobb,Jobb,1,0.5000,0.5000,0.5000\n"
        "arbeid/praksis,Praksisplass,1,0.5000,1.0000,0.7500\n"
        "sprak,Språk,0,0.5000,0.5000,0.5000\n"
        "sprak/norsk,Norskopplæring,1,0.5000,0.5000,0.5000\n"
        "bolig,Bolig,0,0.5000,0.0000,0.2500\n"
    )
    # stdout stays pure data; the pipeline that coded the results is named on stderr.
    assert result.stderr.startswith(
        "mimres: notice: pipeline mimres_fallback_nb 0.1.0 (built-in fallback, spaCy 3.8), "
        "mimres-cli 0.1.0, codebook hand sha256 abababababab"
    )


def test_tables_on_the_terminal_show_counts_and_shares(results: Path) -> None:
    result = invoke("tables", str(results))
    assert result.exit_code == 0, result.output
    assert "Share of interviews coded, by municipality" in result.stdout
    assert "Share of interviews coded, by group" in result.stdout
    assert "3/4 (75%)" in result.stdout  # arbeid over all interviews
    assert "Norskopplæring" in result.stdout


def test_tables_words_of_a_subtree_sorted_as_json(results: Path) -> None:
    import json

    result = invoke("tables", str(results), "--by", "municipality", "--codes", "arbeid",
                    "--measure", "words", "--sort", "total", "-f", "json")  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["provenance"]["pipeline"] == "mimres_fallback_nb"  # from manifest.json
    assert data["provenance"]["codebooks"] == [{"name": "hand", "sha256": "ab" * 32}]
    assert [(r["code"], r["Sel"], r["Vågå"], r["All"]) for r in data["tables"]["municipality"]] == [
        ("arbeid", 23, 12, 35), ("arbeid/praksis", 15, 12, 27), ("arbeid/jobb", 18, 0, 18),
    ]  # fmt: skip


def test_tables_min_share_and_xlsx_output(results: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "tabeller.xlsx"
    result = invoke("tables", str(results), "--min-share", "0.5", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert f"Wrote {out}" in result.stderr
    book = load_workbook(out)
    assert book.sheetnames == ["municipality", "group", "provenance"]
    provenance = dict(book["provenance"].iter_rows(min_row=2, values_only=True))
    assert provenance["pipeline"] == "mimres_fallback_nb"
    assert provenance["codebook hand"] == "ab" * 32
    codes = [row[0] for row in book["group"].iter_rows(min_row=2, values_only=True)]
    assert "bolig" not in codes and len(codes) == 5
    assert book["group"]["D2"].number_format == "0%"


def _assert_one_line_error(result, *fragments: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("mimres: error["), result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def test_tables_errors_name_what_and_how(results: Path, tmp_path: Path) -> None:
    _assert_one_line_error(
        invoke("tables", str(tmp_path / "nowhere")), "nowhere' does not exist", "mimres run --out"
    )
    _assert_one_line_error(
        invoke("tables", str(results), "--by", "kommune"), "no attribute 'kommune'", "gender"
    )
    _assert_one_line_error(invoke("tables", str(results), "--codes", "lonn"), "no code 'lonn'")
    _assert_one_line_error(
        invoke("tables", str(results), "-o", str(tmp_path / "t.docx")), "suffix '.docx'"
    )
    assert not (tmp_path / "t.docx").exists()


def test_tables_on_the_terminal_end_with_the_provenance_line(results: Path) -> None:
    result = invoke("tables", str(results), "--by", "group")
    assert result.exit_code == 0, result.output
    assert result.stdout.rstrip("\n").splitlines()[-1] == (
        "Provenance: pipeline mimres_fallback_nb 0.1.0 (built-in fallback, spaCy 3.8), "
        "mimres-cli 0.1.0, codebook hand sha256 abababababab, coded 2026-01-02T03:04:05+00:00"
    )


def test_tables_as_markdown_end_with_a_provenance_footer(results: Path) -> None:
    result = invoke("tables", str(results), "--by", "group", "-f", "markdown")
    assert result.exit_code == 0, result.output
    last = result.stdout.rstrip("\n").splitlines()[-1]
    assert last.startswith("_Provenance: pipeline mimres_fallback_nb 0.1.0 (built-in fallback")
    assert result.stderr == ""


def test_tables_csv_file_gets_a_provenance_sidecar(results: Path, tmp_path: Path) -> None:
    import json

    out = tmp_path / "andeler.csv"
    result = invoke("tables", str(results), "--by", "group", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert out.read_text(encoding="utf-8").startswith("code,label,depth,")
    assert result.stderr == f"Wrote {out} and andeler.csv.provenance.json\n"
    sidecar = json.loads((tmp_path / "andeler.csv.provenance.json").read_text(encoding="utf-8"))
    assert sidecar["pipeline"] == "mimres_fallback_nb"
    assert sidecar["codebooks"] == [{"name": "hand", "sha256": "ab" * 32}]
    assert sidecar["created"] == "2026-01-02T03:04:05+00:00"
