"""The report and the tables workbook say how good the coding is (human codings kept or not).

The exchange corpus (tests/exchange_corpus.py): mimres coded sel_02/1 with arbeid/jobb and
arbeid/praksis, vaga_01/1 with arbeid/jobb and vaga_01/3 with sprak. kari coded vaga_01/1
arbeid/jobb and vaga_01/3 sprak, and nothing in sel_02.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exchange_corpus import exchange_results_once
from mimres_cli.cli import app

runner = CliRunner()
KARI = """interview_id,start,end,code,coder
vaga_01,41,48,arbeid/jobb,kari
vaga_01,121,132,sprak,kari
sel_02,0,1,arbeid/jobb,kari
"""


@pytest.fixture
def results(tmp_path_factory, tmp_path: Path) -> Path:
    """A fresh copy of the coded exchange corpus (the tests write into it)."""
    _, _, coded = exchange_results_once(tmp_path_factory)
    return Path(shutil.copytree(coded, tmp_path / "results"))


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def keep_kari(results: Path, tmp_path: Path) -> None:
    kari = tmp_path / "kari.csv"
    kari.write_text(KARI, encoding="utf-8")
    done = invoke("import", "codings", kari, "--results", results, "--save")
    assert done.exit_code == 0, done.output
    assert done.stderr.startswith(f"Wrote {results / 'human_codings.csv'}: 3 codings")


def test_a_report_without_human_codings_says_it_is_not_validated(results: Path) -> None:
    done = invoke("report", results, "-o", results.parent / "rapport.md")
    assert done.exit_code == 0, done.output
    text = (results.parent / "rapport.md").read_text(encoding="utf-8")
    assert (
        "## Hvor god er kodingen?\n\n**Kodingen er ikke validert mot en menneskelig "
        "lesning." in text
    )


def test_kept_codings_give_the_report_its_per_theme_agreement(results: Path, tmp_path) -> None:
    keep_kari(results, tmp_path)
    done = invoke("report", results, "-o", tmp_path / "rapport.md")
    assert done.exit_code == 0, done.output
    text = (tmp_path / "rapport.md").read_text(encoding="utf-8")
    assert "ikke validert" not in text
    # kari's selection at sel_02 0-1 is in the interviewer's question: she coded both
    # interviews, so their 3 informant units count. arbeid: mimres {sel_02/1, vaga_01/1},
    # kari {vaga_01/1}: P = 1/2, R = 1, F1 = 2/3, κ = 0.4, α = 1 - 5·1/(3·3) = 4/9.
    # Overall, 2 themes × 3 units: A 3, B 2, both 2; P = 2/3, R = 1; α = 1 - 11·1/(7·5) = 24/35.
    assert (
        "kari kodet 2 intervjuer (3 informantytringer). Samlet samsvar over ytring × tema "
        "er Krippendorffs α = 0,69 (presisjon 0,67, dekning 1,00)." in text
    )
    assert "| Arbeid | 2 | 1 | 1 | 0,50 | 1,00 | 0,67 | 0,40 | 0,44 |" in text
    assert "| Samlet | 3 | 2 | 2 | 0,67 | 1,00 | 0,80 | 0,67 | 0,69 |" in text
    html = invoke("report", results, "-o", tmp_path / "rapport.html")
    assert html.exit_code == 0, html.output
    page = (tmp_path / "rapport.html").read_text(encoding="utf-8")
    assert '<section id="kvalitet"><h2>Hvor god er kodingen?</h2><p>Kodingen er ' in page


def test_the_tables_workbook_gets_an_agreement_sheet_only_with_kept_codings(
    results: Path, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    invoke("tables", results, "-o", tmp_path / "before.xlsx")
    assert "agreement" not in load_workbook(tmp_path / "before.xlsx").sheetnames
    keep_kari(results, tmp_path)
    done = invoke("tables", results, "-o", tmp_path / "after.xlsx")
    assert done.exit_code == 0, done.output
    sheet = load_workbook(tmp_path / "after.xlsx")["agreement"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == ("theme", "label", "units", "coded_mimres", "coded_human", "both")
    assert rows[1][:6] == ("arbeid", "Arbeid", 3, 2, 1, 1)


def test_saving_codings_twice_needs_force_and_save_excludes_output(results: Path, tmp_path):
    keep_kari(results, tmp_path)
    again = invoke("import", "codings", tmp_path / "kari.csv", "--results", results, "--save")
    assert again.exit_code == 2
    assert "already exists" in again.stderr
    both = invoke("import", "codings", tmp_path / "kari.csv", "--results", results, "--save",
                  "-o", tmp_path / "x.csv")  # fmt: skip
    assert both.exit_code == 2
    assert "--save writes into the results folder: drop -o" in both.stderr


def test_agree_without_human_uses_the_kept_codings(results: Path, tmp_path: Path) -> None:
    none = invoke("agree", results)
    assert none.exit_code == 2
    assert none.stderr.splitlines() == [
        f"mimres: error[E001]: no human codings are kept in '{results}' (no human_codings.csv). "
        f"Give --human FILE, or keep codings with 'mimres import codings FILE --results "
        f"{results} --save'"
    ]
    keep_kari(results, tmp_path)
    done = invoke("agree", results, "--format", "csv")
    assert done.exit_code == 0, done.output
    # The same arbeid row as the report's: mimres 2, kari 1, both 1 of 3 units.
    assert "arbeid,3,2,1,1,1,0,1,0.5000,1.0000,0.6667,0.4000,0.4444" in done.stdout
