"""The study design as data: a corpus whose attributes are `kommune` and `informantgruppe`.

Four interviews, counted by hand (informant turns only; `jobb` codes arbeid, `bolig` codes
bolig):

    id  kommune  informantgruppe  arbeid  bolig
    v1  Vågå     flyktning        yes     -
    v2  Vågå     arbeidsgiver     -       yes
    s1  Sel      flyktning        yes     yes
    s2  Sel      flyktning        -       -

So arbeid reaches 2/4 interviews, bolig 2/4; per kommune each code 1/2 in Sel and in Vågå;
per informantgruppe arbeid 0/1 arbeidsgiver and 2/3 flyktning, bolig 1/1 and 1/3.
"""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from conftest import write_codebook, write_transcript
from mimres_cli.cli import app
from mimres_cli.design import Design
from mimres_cli.errors import MimresError

runner = CliRunner()

CODEBOOK = """
codebook: studie
language: nb
codes:
  - id: arbeid
    label: Arbeid
    terms: [jobb]
  - id: bolig
    label: Bolig
    terms: [bolig]
"""
INTERVIEWS = (
    ("v1", "Vågå", "flyktning", "Jeg har fått jobb på sagbruket."),
    ("v2", "Vågå", "arbeidsgiver", "Vi mangler bolig til de nye."),
    ("s1", "Sel", "flyktning", "Jobb er viktig, og bolig også."),
    ("s2", "Sel", "flyktning", "Det er fint her."),
)
EXPECTED_FINDINGS = """\
by,kommune,informantgruppe,code,label,interviews,coded_interviews,share,segments,share_low,share_high
all,,,arbeid,Arbeid,4,2,0.5000,2,0.1500,0.8500
all,,,bolig,Bolig,4,2,0.5000,2,0.1500,0.8500
kommune,Sel,,arbeid,Arbeid,2,1,0.5000,1,0.0945,0.9055
kommune,Sel,,bolig,Bolig,2,1,0.5000,1,0.0945,0.9055
kommune,Vågå,,arbeid,Arbeid,2,1,0.5000,1,0.0945,0.9055
kommune,Vågå,,bolig,Bolig,2,1,0.5000,1,0.0945,0.9055
informantgruppe,,arbeidsgiver,arbeid,Arbeid,1,0,0.0000,0,0.0000,0.7935
informantgruppe,,arbeidsgiver,bolig,Bolig,1,1,1.0000,1,0.2065,1.0000
informantgruppe,,flyktning,arbeid,Arbeid,3,2,0.6667,2,0.2077,0.9385
informantgruppe,,flyktning,bolig,Bolig,3,1,0.3333,1,0.0615,0.7923
kommune+informantgruppe,Sel,flyktning,arbeid,Arbeid,2,1,0.5000,1,0.0945,0.9055
kommune+informantgruppe,Sel,flyktning,bolig,Bolig,2,1,0.5000,1,0.0945,0.9055
kommune+informantgruppe,Vågå,arbeidsgiver,arbeid,Arbeid,1,0,0.0000,0,0.0000,0.7935
kommune+informantgruppe,Vågå,arbeidsgiver,bolig,Bolig,1,1,1.0000,1,0.2065,1.0000
kommune+informantgruppe,Vågå,flyktning,arbeid,Arbeid,1,1,1.0000,1,0.2065,1.0000
kommune+informantgruppe,Vågå,flyktning,bolig,Bolig,1,0,0.0000,0,0.0000,0.7935
"""


def write_study(folder: Path, design: str = "[kommune, informantgruppe]") -> Path:
    """The corpus, its codebook and a project file naming the design; returns the project."""
    corpus = folder / "intervjuer"
    corpus.mkdir()
    for interview_id, kommune, gruppe, said in INTERVIEWS:
        write_transcript(
            corpus,
            f"{interview_id}.md",
            f"id: {interview_id}\nkommune: {kommune}\ninformantgruppe: {gruppe}",
            f"I: Hvordan går det?\nInformant: {said}\n",
        )
    write_codebook(folder, CODEBOOK, "studie.yaml")
    project = folder / "mimres.yaml"
    project.write_text(
        "version: 1\ncorpus: intervjuer\ncodebooks: [studie.yaml]\ncache: false\n"
        f"design: {design}\noutputs:\n  folder: resultater\n",
        encoding="utf-8",
    )
    return project


@pytest.fixture(scope="module")
def study(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The study coded once with `mimres run --project`: (results folder, stdout)."""
    folder = tmp_path_factory.mktemp("studie")
    project = write_study(folder)
    result = runner.invoke(app, ["run", "--project", str(project), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    return folder / "resultater", result.stdout


def test_run_prints_the_findings_per_design_attribute(study: tuple[Path, str]) -> None:
    _, stdout = study
    assert "Interviews coded, per kommune" in stdout
    assert "Interviews coded, per informantgruppe" in stdout
    assert "municipality" not in stdout and "per group" not in stdout
    kommune, gruppe = stdout.split("Interviews coded, per informantgruppe")
    arbeid = next(line for line in kommune.splitlines() if "Arbeid" in line)
    assert arbeid.count("1/2 (50%)") == 2 and "2/4 (50%)" in arbeid
    arbeid = next(line for line in gruppe.splitlines() if "Arbeid" in line)
    assert "0/1 (0%)" in arbeid and "2/3 (67%)" in arbeid
    bolig = next(line for line in gruppe.splitlines() if "Bolig" in line)
    assert "1/1 (100%)" in bolig and "1/3 (33%)" in bolig


def test_findings_csv_has_the_design_attributes_as_columns(study: tuple[Path, str]) -> None:
    results, _ = study
    assert (results / "findings.csv").read_text(encoding="utf-8") == EXPECTED_FINDINGS
    header = (results / "interviews.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("interview_id,kommune,informantgruppe,file,")


def test_tables_of_the_results_use_the_recorded_design(study: tuple[Path, str]) -> None:
    results, _ = study
    result = runner.invoke(app, ["tables", str(results), "--format", "csv"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    # Each share is followed by its n, N and 95 % interval ("V n", "V N", "V ci_low", …).
    header = lines[0].split(",")
    shares = [c for c in header[4:] if not c.endswith((" n", " N", " ci_low", " ci_high"))]
    assert header[:4] == ["table", "code", "label", "depth"]
    assert shares == ["Sel", "Vågå", "arbeidsgiver", "flyktning", "All"]
    rows = [dict(zip(header, line.split(","), strict=True)) for line in lines[1:]]
    sel = rows[0]
    assert (sel["table"], sel["code"], sel["Sel"], sel["Sel n"], sel["Sel N"]) == (
        "kommune", "arbeid", "0.5000", "1", "2",
    )  # fmt: skip
    assert [(r["code"], r["flyktning"], r["flyktning n"], r["flyktning N"]) for r in rows[2:4]] == [
        ("arbeid", "0.6667", "2", "3"), ("bolig", "0.3333", "1", "3"),
    ]  # fmt: skip
    assert rows[2]["arbeidsgiver"] == "0.0000" and rows[2]["Sel"] == ""


def test_xlsx_workbook_has_one_sheet_per_design_attribute(
    study: tuple[Path, str], tmp_path: Path
) -> None:
    results, _ = study
    target = tmp_path / "tabeller.xlsx"
    result = runner.invoke(app, ["tables", str(results), "--measure", "coded_interviews",
                                 "-o", str(target)])  # fmt: skip
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(target)
    assert book.sheetnames[:2] == ["kommune", "informantgruppe"]
    rows = [list(r) for r in book["informantgruppe"].iter_rows(values_only=True)]
    assert rows[0] == ["code", "label", "depth", "arbeidsgiver", "flyktning", "All"]
    assert rows[1:] == [["arbeid", "Arbeid", 0, 0, 2, 2], ["bolig", "Bolig", 0, 1, 1, 2]]


def test_html_report_names_and_counts_the_design_attributes(
    study: tuple[Path, str], tmp_path: Path
) -> None:
    results, _ = study
    target = tmp_path / "rapport.html"
    result = runner.invoke(app, ["report", str(results), "-o", str(target)])
    assert result.exit_code == 0, result.output
    page = target.read_text(encoding="utf-8")
    assert "Tabellen viser antall intervjuer per kommune og informantgruppe" in page
    assert "Andel intervjuer per kommune" in page
    assert "Andel intervjuer per informantgruppe" in page
    assert ">2/3 (67%)<" in page and ">0/1 (0%)<" in page and ">1/3 (33%)<" in page
    assert "<th>Kommune</th>" in page  # the overview's rows
    # One quote per informantgruppe and theme, with its interview, kommune and informantgruppe.
    assert re.findall(r"<cite>([^<]*)</cite>", page) == [
        "s1 · Informant · Sel · flyktning",  # arbeid: no arbeidsgiver said jobb
        "v2 · Informant · Vågå · arbeidsgiver",  # bolig
        "s1 · Informant · Sel · flyktning",
    ]
    assert "municipality" not in page and "informantgruppe (group)" not in page


def test_design_labels_from_the_project_file_head_the_report(tmp_path: Path) -> None:
    project = write_study(tmp_path, "{kommune: Kommune, informantgruppe: Gruppe}")
    result = runner.invoke(app, ["code", "--project", str(project), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    target = tmp_path / "rapport.md"
    result = runner.invoke(app, ["report", str(tmp_path / "resultater"), "-o", str(target)])
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    assert "### Andel intervjuer per gruppe" in text
    assert "| Kommune | arbeidsgiver | flyktning | Sum |" in text
    page = tmp_path / "rapport.html"
    result = runner.invoke(app, ["report", str(tmp_path / "resultater"), "-o", str(page)])
    assert result.exit_code == 0, result.output
    assert "<h3>Andel intervjuer per gruppe</h3>" in page.read_text(encoding="utf-8")


def test_design_on_the_command_line_overrides_the_recorded_one(
    study: tuple[Path, str],
) -> None:
    results, _ = study
    result = runner.invoke(app, ["tables", str(results), "--format", "csv",
                                 "--design", "informantgruppe,kommune"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1].startswith("informantgruppe,arbeid,Arbeid,0,0.0000,")
    result = runner.invoke(app, ["tables", str(results), "--design", "kommune,group"])
    assert result.exit_code == 2
    assert "no attribute 'group' in the interviews" in result.stderr


def test_a_corpus_without_the_design_attributes_fails_naming_them(tmp_path: Path) -> None:
    project = write_study(tmp_path, "[region, aldersgruppe]")
    result = runner.invoke(app, ["run", "--project", str(project)])
    assert result.exit_code == 2
    assert "s1.md:2: front matter has no 'region'" in result.stderr
    assert not (tmp_path / "resultater").exists()


def test_a_design_of_one_attribute_is_a_project_file_error(tmp_path: Path) -> None:
    project = write_study(tmp_path, "[kommune]")
    result = runner.invoke(app, ["run", "--project", str(project)])
    assert result.exit_code == 2
    assert f"{project}:5: a design names two different attributes, not kommune" in result.stderr


def test_corpus_yaml_names_the_design_for_the_python_api(tmp_path: Path) -> None:
    import mimres_cli

    write_study(tmp_path)
    corpus = tmp_path / "intervjuer"
    (corpus / "corpus.yaml").write_text("design: [kommune, informantgruppe]\n", encoding="utf-8")
    r = mimres_cli.code(str(corpus), [str(tmp_path / "studie.yaml")])
    assert r.design == Design(("kommune", "informantgruppe"), ("Kommune", "Informantgruppe"))
    table = r.crosstab(by="informantgruppe", measure="coded_interviews")
    assert table[["code", "arbeidsgiver", "flyktning", "All"]].values.tolist() == [
        ["arbeid", 0, 2, 2],
        ["bolig", 1, 1, 2],
    ]
    assert r.findings.to_csv(index=False, float_format="%.4f") == EXPECTED_FINDINGS


def test_design_parsing() -> None:
    assert Design.parse("kommune, informantgruppe").attributes == ("kommune", "informantgruppe")
    assert Design.from_data({"attributes": ["a", "b"], "labels": ["A1", "B1"]}).label("b") == "B1"
    assert Design().groupings()[3] == ("municipality+group", ("municipality", "group"))
    with pytest.raises(MimresError, match="two different attributes, not a, a"):
        Design.parse("a,a")
