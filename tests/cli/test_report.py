"""`mimres report`: one self-contained HTML file, for the hand-worked results and the sample."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import REPO
from findings.hand_results import write_results
from mimres_cli.cli import app

runner = CliRunner()
SAMPLE = REPO / "sample_interviews"
CODEBOOK = REPO / "codebooks" / "integrering.yaml"


def _assert_self_contained(page: str) -> None:
    assert not re.search(r"(?i)\b(https?|ftp|file):", page)
    without_images = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", page)
    assert "//" not in without_images and "url(" not in page
    assert not re.search(r"<(script|link|iframe)\b", page)


def test_report_writes_one_html_file(tmp_path: Path) -> None:
    results = write_results(tmp_path / "results")
    out = tmp_path / "rapport" / "report.html"
    result = runner.invoke(app, ["report", str(results), "-o", str(out), "--title", "Funn"])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert f"Wrote {out}" in result.stderr
    assert [p.name for p in out.parent.iterdir()] == ["report.html"]
    page = out.read_text(encoding="utf-8")
    _assert_self_contained(page)
    assert "<h1>Funn</h1>" in page and page.count("<table>") >= 5
    assert page.count('src="data:image/png;base64,') == 2


def test_report_in_markdown_from_the_suffix(tmp_path: Path) -> None:
    results = write_results(tmp_path / "results")
    out = tmp_path / "report.md"
    result = runner.invoke(app, ["report", str(results), "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Funn fra intervjuene") and "<html" not in text


def test_report_orders_the_saturation_curve_by_any_attribute_of_dates(tmp_path: Path) -> None:
    # As in 'mimres saturation': the attribute by name; one of text fails before writing.
    results = write_results(tmp_path / "results")
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["report", str(results), "-o", str(out),
                                 "--order", "interview_date"])  # fmt: skip
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "i rekkefølge etter Interview_date" in page
    text = runner.invoke(app, ["report", str(results), "-o", str(tmp_path / "x.html"),
                               "--order", "gender"])  # fmt: skip
    assert text.exit_code == 2 and "error[E004]" in text.stderr
    assert not (tmp_path / "x.html").exists()


def test_report_reports_a_missing_results_folder(tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", str(tmp_path / "nowhere"), "-o", "r.html"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "mimres: error[E001]: results folder" in result.stderr
    assert not Path("r.html").exists()


def test_report_of_the_sample_corpus(tmp_path: Path) -> None:
    if not (SAMPLE.is_dir() and CODEBOOK.is_file()):
        pytest.skip("the sample corpus or codebooks/integrering.yaml is not in this checkout")
    results = tmp_path / "results"
    run = runner.invoke(app, ["run", "--corpus", str(SAMPLE), "-c", str(CODEBOOK),
                              "--out", str(results)])  # fmt: skip
    assert run.exit_code == 0, run.output
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["report", str(results), "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    _assert_self_contained(page)
    for municipality in ("Sel", "Vågå", "Nordre Land"):
        assert f"<td>{municipality}</td>" in page
    assert "Språkopplæring og kvalifisering" in page  # a theme of the codebook, æøå intact
    assert page.count('src="data:image/png;base64,') == 2
    assert "<mark>" in page and "Vedlegg A: Kodebok" in page


def test_the_codebook_appendix_leaves_out_rules_of_a_changed_codebook(tmp_path: Path) -> None:
    from mimres_cli.cli.report import code_rules
    from mimres_cli.coding.results import CodebookRecord, Manifest

    book = tmp_path / "bok.yaml"
    book.write_text("codebook: bok\nlanguage: nb\ncodes:\n  - id: arbeid\n    label: Arbeid\n"
                    "    terms: [jobb, praksisplass]\n", encoding="utf-8")  # fmt: skip
    import hashlib

    digest = hashlib.sha256(book.read_bytes()).hexdigest()
    manifest = Manifest(codebooks=(CodebookRecord("bok", str(book), digest),))
    assert code_rules(manifest) == {"arbeid": "termer: jobb, praksisplass"}
    book.write_text(book.read_text(encoding="utf-8") + "# endret\n", encoding="utf-8")
    assert code_rules(manifest) == {}  # not the rules that coded these results
