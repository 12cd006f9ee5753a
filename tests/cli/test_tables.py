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
    # Each share has its n and N beside it, and its 95 % Wilson interval: 1/2 is
    # 0.5 ± 1.96·sqrt(0.125 + 0.2401)/2.9208 = (0.0945, 0.9055), worked by hand.
    assert result.stdout == (
        "code,label,depth,kvinne,kvinne n,kvinne N,kvinne ci_low,kvinne ci_high,"
        "mann,mann n,mann N,mann ci_low,mann ci_high,All,All n,All N,All ci_low,All ci_high\n"
        "arbeid,Arbeid og praksis,0,0.5000,1,2,0.0945,0.9055,1.0000,2,2,0.3424,1.0000,"
        "0.7500,3,4,0.3006,0.9544\n"
        "arbeid/jobb,Jobb,1,0.5000,1,2,0.0945,0.9055,0.5000,1,2,0.0945,0.9055,"
        "0.5000,2,4,0.1500,0.8500\n"
        "arbeid/praksis,Praksisplass,1,0.5000,1,2,0.0945,0.9055,1.0000,2,2,0.3424,1.0000,"
        "0.7500,3,4,0.3006,0.9544\n"
        "sprak,Språk,0,0.5000,1,2,0.0945,0.9055,0.5000,1,2,0.0945,0.9055,"
        "0.5000,2,4,0.1500,0.8500\n"
        "sprak/norsk,Norskopplæring,1,0.5000,1,2,0.0945,0.9055,0.5000,1,2,0.0945,0.9055,"
        "0.5000,2,4,0.1500,0.8500\n"
        "bolig,Bolig,0,0.5000,1,2,0.0945,0.9055,0.0000,0,2,0.0000,0.6576,"
        "0.2500,1,4,0.0456,0.6994\n"
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
    group = book["group"]
    codes = [row[0] for row in group.iter_rows(min_row=3, values_only=True) if row[1]]
    assert "bolig" not in codes and len(codes) == 5
    # Two header rows: each value over its share, n, N and 95 % interval; codes frozen.
    assert [c.value for c in group[1][:8]] == ["Kode", "Tema / kode", "arbeidsgiver", None, None,
                                               None, None, "flyktning"]  # fmt: skip
    assert [c.value for c in group[2][2:7]] == ["Andel", "n", "N", "95 % KI fra", "95 % KI til"]
    assert group.freeze_panes == "C3"
    # arbeid among arbeidsgiver: 1/1 interview (i2), a small cell: grey italics, footnote.
    assert [c.value for c in group[3][:5]] == ["arbeid", "Arbeid og praksis", 1.0, 1, 1]
    assert group["C3"].number_format == "0%" and group["C3"].font.italic
    assert group["A3"].font.bold and not group["A4"].font.bold
    assert group["B4"].alignment.indent == 2
    assert any("færre enn 5 intervjuer" in str(row[0]) for row in group.iter_rows(values_only=True))


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
    # Wrapped at spaces to the terminal's width, like the table above it.
    assert " ".join(result.stdout.split()).endswith(
        "Provenance: pipeline mimres_fallback_nb 0.1.0 (built-in fallback, spaCy 3.8), "
        "mimres-cli 0.1.0, codebook hand sha256 abababababab, coded 2026-01-02T03:04:05+00:00"
    )
    assert max(len(line) for line in result.stdout.splitlines()) <= 80


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


def test_stats_test_each_code_between_values_with_scipy(results: Path) -> None:
    import json

    from scipy.stats import fisher_exact

    result = invoke("tables", str(results), "--by", "gender", "--stats", "-f", "json")
    assert result.exit_code == 0, result.output
    rows = {r["code"]: r for r in json.loads(result.stdout)["tables"]["gender stats"]}
    # arbeid: kvinne 1 of 2 (i1; not i4), mann 2 of 2 (i2, i3): the 2×2 table [[1, 1], [2, 0]].
    arbeid = rows["arbeid"]
    assert (arbeid["test"], arbeid["interviews"], arbeid["coded_interviews"]) == ("fisher", 4, 3)
    assert arbeid["p_value"] == pytest.approx(fisher_exact([[1, 1], [2, 0]]).pvalue)
    assert arbeid["p_value"] == pytest.approx(1.0)  # 3/6 + 3/6: both tables as likely
    assert "without correction for multiple tests" in arbeid["caution"]
    shown = invoke("tables", str(results), "--by", "gender", "--stats")
    assert "Exploratory" in shown.stdout and "fisher" in shown.stdout


def test_all_needs_a_workbook(results: Path) -> None:
    _assert_one_line_error(invoke("tables", str(results), "--all"), "--all writes one workbook")
