"""`mimres agree`: numbers counted by hand on the exchange corpus, thresholds and errors.

The informant units are sel_02/1 ("Ja, vi har hatt praksis for tre. De ville jobbe her
etterpå."), vaga_01/1 ("Bra 😅 jeg har fått jobb på hotellet. ...") and vaga_01/3
("Norskkurset er bra 👍🏽, ..."). mimres coded sel_02/1 with arbeid/jobb and arbeid/praksis,
vaga_01/1 with arbeid/jobb and vaga_01/3 with sprak.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exchange_corpus import exchange_results_once, sample_results_once
from mimres_cli.cli import app
from table_outputs import SUFFIX_OF, read_tables

runner = CliRunner()

#: Columns only the disagreements table has, in the stacked CSV of both tables.
_DISAGREEMENT_ONLY = {"interview_id", "unit_index", "coded_by", "text"}


def _agreement_csv(stdout: str) -> str:
    """The agreement table out of the stacked CSV (`table` column) of agreement and
    disagreements, as the CSV it would be alone."""
    header, *rows = csv.reader(io.StringIO(stdout))
    assert header[0] == "table", header
    keep = [n for n, name in enumerate(header) if n and name not in _DISAGREEMENT_ONLY]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([header[n] for n in keep])
    writer.writerows([row[n] for n in keep] for row in rows if row[0] == "agreement")
    return buffer.getvalue()


HEADER = "code,units,coded_a,coded_b,both,only_a,only_b,neither,precision,recall,f1,kappa,alpha"

# anna: 'praksis' in sel_02/1, 'Bra 😅 j' in vaga_01/1 and 'Norskkurset' in vaga_01/3; her
# selection in the interviewer's question ('Hvordan') touches no informant unit.
ANNA = """interview_id,start,end,code,coder
sel_02,58,65,Praksis,anna
vaga_01,41,48,Jobb,anna
vaga_01,121,132,sprak,anna
vaga_01,3,10,Jobb,anna
"""
# bjørn: jobb (not praksis) in sel_02/1, and the same as anna in vaga_01.
BJORN = """interview_id,start,end,code,coder
sel_02,42,50,arbeid/jobb,bjørn
vaga_01,50,60,arbeid/jobb,bjørn
vaga_01,121,160,sprak,bjørn
"""


@pytest.fixture
def coded(tmp_path_factory) -> tuple[Path, Path, Path]:
    return exchange_results_once(tmp_path_factory)


def invoke(*args: str):
    return runner.invoke(app, [str(a) for a in args])


def _pipeline(results: Path) -> str:
    """The pipeline name the results folder's manifest.json records."""
    return json.loads((results / "manifest.json").read_text(encoding="utf-8"))["pipeline"]["name"]


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_agree_mimres_vs_a_human_as_csv(coded, tmp_path: Path) -> None:
    _, _, results = coded
    anna = _write(tmp_path, "anna.csv", ANNA)
    result = invoke("agree", results, "--human", anna, "--format", "csv")
    assert result.exit_code == 0, result.output
    # arbeid/jobb: mimres {sel_02/1, vaga_01/1}, anna {vaga_01/1} of 3 units:
    # P = 1/2, R = 1, F1 = 2/3; po = 2/3, pe = (2/3)(1/3) + (1/3)(2/3) = 4/9, kappa = 0.4;
    # alpha = 1 - (6-1)·1 / (3·3) = 4/9.
    # Overall over the 3 leaf codes × 3 units = 9 decisions: both 3, only mimres 1,
    # neither 5: P = 3/4, R = 1, F1 = 6/7; kappa = (8/9 - 42/81) / (1 - 42/81) = 30/39;
    # alpha = 1 - 17·1 / (11·7) = 60/77.
    assert _agreement_csv(result.stdout).splitlines() == [
        HEADER,
        "arbeid,3,2,2,2,0,0,1,1.0000,1.0000,1.0000,1.0000,1.0000",
        "arbeid/jobb,3,2,1,1,1,0,1,0.5000,1.0000,0.6667,0.4000,0.4444",
        "arbeid/praksis,3,1,1,1,0,0,2,1.0000,1.0000,1.0000,1.0000,1.0000",
        "sprak,3,1,1,1,0,0,2,1.0000,1.0000,1.0000,1.0000,1.0000",
        "(overall),3,4,3,3,1,0,5,0.7500,1.0000,0.8571,0.7692,0.7792",
    ]
    # stdout is pure CSV; the pipeline that coded the results is named on stderr.
    assert result.stderr.startswith(f"mimres: notice: pipeline {_pipeline(results)} ")


def test_agree_table_lists_the_disagreement_with_its_text(coded, tmp_path: Path) -> None:
    _, _, results = coded
    anna = _write(tmp_path, "anna.csv", ANNA)
    result = invoke("agree", results, "--human", anna)
    assert result.exit_code == 0, result.output
    assert "Agreement on 3 units: A = mimres, B = anna (reference)" in result.stdout
    assert "Disagreements (1; first 20)" in result.stdout
    line = next(x for x in result.stdout.splitlines() if "sel_02" in x)
    assert "arbeid/jobb" in line and "mimres" in line and "Ja, vi har hatt praksis" in line
    last = result.stdout.rstrip("\n").splitlines()[-1]
    assert last.startswith(f"Provenance: pipeline {_pipeline(results)} ")


def test_agree_min_alpha_exits_1_below_the_threshold(coded, tmp_path: Path) -> None:
    _, _, results = coded
    anna = _write(tmp_path, "anna.csv", ANNA)
    below = invoke("agree", results, "--human", anna, "--format", "csv", "--min-alpha", "0.8")
    assert below.exit_code == 1
    assert below.stderr.endswith(
        "mimres: agreement: overall alpha 0.779 is below --min-alpha 0.8\n"
    )
    above = invoke("agree", results, "--human", anna, "--format", "csv", "--min-alpha", "0.7")
    assert above.exit_code == 0


def test_agree_human_vs_human(coded, tmp_path: Path) -> None:
    _, _, results = coded
    anna = _write(tmp_path, "anna.csv", ANNA)
    bjorn = _write(tmp_path, "bjorn.csv", BJORN)
    result = invoke("agree", results, "--human", anna, "--human", bjorn, "--format", "csv")
    assert result.exit_code == 0, result.output
    # 9 decisions: both 2, only anna 1 (praksis), only bjørn 1 (jobb in sel_02), neither 5.
    # kappa = (7/9 - 5/9) / (4/9) = 0.5; alpha = 1 - 17·2 / (12·6) = 38/72.
    assert _agreement_csv(result.stdout).splitlines()[-1] == (
        "(overall),3,3,3,2,1,1,5,0.6667,0.6667,0.6667,0.5000,0.5278"
    )


def test_agree_by_group_and_the_reviewed_project_itself(coded, tmp_path: Path) -> None:
    _, _, results = coded
    project = tmp_path / "review.qdpx"
    assert invoke("export", "project", results, "-o", project).exit_code == 0
    result = invoke("agree", results, "--human", project, "--coder", "mimres",
                    "--by", "group", "--format", "csv")  # fmt: skip
    assert result.exit_code == 0, result.output
    lines = _agreement_csv(result.stdout).splitlines()
    assert lines[0] == f"group,{HEADER}"
    assert "arbeidsgiver,(overall),1,2,2,2,0,0,1,1.0000,1.0000,1.0000,1.0000,1.0000" in lines
    assert "flyktning,(overall),2,2,2,2,0,0,4,1.0000,1.0000,1.0000,1.0000,1.0000" in lines


def test_agree_by_group_on_the_terminal_counts_each_cell_s_own_units(coded, tmp_path) -> None:
    # 3 informant units: 1 in arbeidsgiver (sel_02/1), 2 in flyktning (vaga_01/1 and /3). The
    # title counts them all, each cell's rows its own: not the largest or last cell's count.
    _, _, results = coded
    anna = _write(tmp_path, "anna.csv", ANNA)
    result = invoke("agree", results, "--human", anna, "--by", "group", "--show", "0")
    assert result.exit_code == 0, result.output
    assert "Agreement on 3 units: A = mimres, B = anna (reference)" in result.stdout
    overall = [line.split("│") for line in result.stdout.splitlines() if "Overall" in line]
    assert [(cells[1].strip(), cells[2].strip()) for cells in overall] == [
        ("arbeidsgiver", "1"),
        ("flyktning", "2"),
    ]


def test_agree_errors_are_one_line(coded, tmp_path: Path) -> None:
    _, _, results = coded
    project = tmp_path / "review.qdpx"
    invoke("export", "project", results, "-o", project)
    only_mimres = invoke("agree", results, "--human", project)
    assert only_mimres.exit_code == 2
    assert only_mimres.stdout == ""
    assert only_mimres.stderr.splitlines()[-1] == (
        f"mimres: error[E000]: '{project}' has no codings by a person. "
        "Code in the QDA tool as your own user, or choose coders with --coder (it has codings "
        "by mimres)"
    )
    assert invoke("agree", results, "--human", project, "--coder", "mimres").exit_code == 0
    anna = _write(tmp_path, "anna.csv", ANNA)
    bad_by = invoke("agree", results, "--human", anna, "--by", "region")
    assert bad_by.exit_code == 2
    assert bad_by.stderr.startswith("mimres: error[E000]: the units have no attribute 'region'")


def test_agree_counts_only_the_interviews_the_human_coded(coded, tmp_path: Path) -> None:
    _, _, results = coded
    only_sel = _write(tmp_path, "sel.csv", "interview_id,start,end,code\nsel_02,58,65,Praksis\n")
    result = invoke("agree", results, "--human", only_sel, "--format", "csv")
    assert result.exit_code == 0, result.output
    # Only sel_02/1 counts: mimres coded it with jobb and praksis, the human with praksis.
    # 3 decisions: po = 2/3, pe = (2/3)(1/3) + (1/3)(2/3) = 4/9, kappa = (2/9)/(5/9) = 0.4;
    # alpha = 1 - (6-1)·1 / (3·3) = 4/9.
    assert _agreement_csv(result.stdout).splitlines()[-1] == (
        "(overall),1,2,1,1,1,0,1,0.5000,1.0000,0.6667,0.4000,0.4444"
    )
    every = invoke("agree", results, "--human", only_sel, "--format", "csv", "--all-interviews")
    assert _agreement_csv(every.stdout).splitlines()[-1].startswith("(overall),3,4,1,1,3,0,5,")


def test_the_documented_human_coding_quotes_the_sample(tmp_path_factory) -> None:
    """docs/exchange/anna_sel_flyktning_01.csv must keep pointing at the words it quotes."""
    import csv

    from mimres_cli.coding import Results

    results = sample_results_once(tmp_path_factory)
    coding = Results.read(results)
    units = coding.units[coding.units["interview_id"] == "sel_flyktning_01"]
    doc = Path(__file__).resolve().parents[2] / "docs" / "exchange" / "anna_sel_flyktning_01.csv"
    with doc.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            start, end = int(row["start"]), int(row["end"])
            unit = units[(units["start"] <= start) & (end <= units["end"])].iloc[0]
            offset = start - unit["start"]
            assert unit["text"][offset : offset + end - start] == row["quote"]
            assert row["code"] in set(coding.codes["code"])
    result = invoke("agree", results, "--human", doc, "--format", "csv")
    assert result.exit_code == 0, result.output
    assert _agreement_csv(result.stdout).splitlines()[-1].startswith("(overall),12,")


def test_agree_on_a_project_reviewed_in_a_qda_tool(coded, tmp_path: Path) -> None:
    """The review loop: export, a person adds her own coding as her own user, agree."""
    import zipfile

    from lxml import etree

    _, _, results = coded
    exported = tmp_path / "review.qdpx"
    assert invoke("export", "project", results, "-o", exported).exit_code == 0
    with zipfile.ZipFile(exported) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    root = etree.fromstring(files["project.qde"])
    ns = "{urn:QDA-XML:project:1.0}"
    anna = "0b5e7c9a-1d2f-4e3a-8b6c-7d8e9f0a1b2c"
    etree.SubElement(root.find(f"{ns}Users"), f"{ns}User", guid=anna, name="anna")
    praksis = root.find(f".//{ns}Code[@name='Praksis']").get("guid")
    source = root.find(f".//{ns}TextSource[@name='sel_02']")
    selection = etree.Element(
        f"{ns}PlainTextSelection", guid="1b5e7c9a-1d2f-4e3a-8b6c-7d8e9f0a1b2c",
        startPosition="58", endPosition="65", creatingUser=anna,
    )  # fmt: skip
    coding = etree.SubElement(
        selection, f"{ns}Coding", guid="2b5e7c9a-1d2f-4e3a-8b6c-7d8e9f0a1b2c", creatingUser=anna
    )
    etree.SubElement(coding, f"{ns}CodeRef", targetGUID=praksis)
    source.find(f"{ns}Description").addnext(selection)
    files["project.qde"] = etree.tostring(root, xml_declaration=True, encoding="utf-8")
    reviewed = tmp_path / "reviewed.qdpx"
    with zipfile.ZipFile(reviewed, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)

    result = invoke("agree", results, "--human", reviewed, "--format", "csv")
    assert result.exit_code == 0, result.output
    # Only sel_02 counts (anna coded nothing else); its one informant unit: mimres has jobb and
    # praksis, anna praksis. The same numbers as the CSV coding of the same words.
    assert _agreement_csv(result.stdout).splitlines()[-1] == (
        "(overall),1,2,1,1,1,0,1,0.5000,1.0000,0.6667,0.4000,0.4444"
    )


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "markdown", "xlsx"])
def test_agree_writes_both_tables_to_a_file_in_the_format_of_its_suffix(
    coded, tmp_path: Path, fmt: str
) -> None:
    _, _, results = coded
    anna = _write(tmp_path, "anna.csv", ANNA)
    output = tmp_path / f"agreement{SUFFIX_OF[fmt]}"
    result = invoke("agree", results, "--human", anna, "--by", "group", "-o", output)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    tables = read_tables(output, fmt)
    assert list(tables) == ["agreement", "disagreements"]
    listed = tables["disagreements"]
    assert listed[["interview_id", "unit_index", "group", "code", "coded_by"]].values.tolist() == [
        ["sel_02", "1", "arbeidsgiver", "arbeid/jobb", "mimres"]
    ]
    assert listed["text"].str.startswith("Ja, vi har hatt praksis for tre.").all()
    overall = tables["agreement"][tables["agreement"]["code"] == "(overall)"]
    assert overall[["group", "units", "both"]].values.tolist() == [
        ["arbeidsgiver", "1", "1"], ["flyktning", "2", "2"]
    ]  # fmt: skip
    sidecar = output.parent / f"{output.name}.provenance.json"
    assert sidecar.is_file() == (fmt in ("csv", "tsv"))
    if sidecar.is_file():
        assert json.loads(sidecar.read_text(encoding="utf-8"))["pipeline"] == _pipeline(results)


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "markdown"])
def test_agree_format_on_stdout_matches_the_file(coded, tmp_path: Path, fmt: str) -> None:
    _, _, results = coded
    anna = _write(tmp_path, "anna.csv", ANNA)
    output = tmp_path / f"agreement{SUFFIX_OF[fmt]}"
    shown = invoke("agree", results, "--human", anna, "--format", fmt)
    assert shown.exit_code == 0, shown.output
    invoke("agree", results, "--human", anna, "-o", output)
    on_stdout, in_file = read_tables(shown.stdout, fmt), read_tables(output, fmt)
    assert list(on_stdout) == ["agreement", "disagreements"]
    for name, table in in_file.items():
        assert on_stdout[name].equals(table), name


def test_agree_xlsx_needs_an_output_file(coded, tmp_path: Path) -> None:
    _, _, results = coded
    anna = _write(tmp_path, "anna.csv", ANNA)
    result = invoke("agree", results, "--human", anna, "--format", "xlsx")
    assert result.exit_code == 2
    assert result.stderr == (
        "mimres: error[E503]: XLSX cannot be written to the terminal. Add --output FILE.xlsx\n"
    )


def test_agree_three_humans_gives_alpha_of_all(coded, tmp_path: Path) -> None:
    import krippendorff

    _, _, results = coded
    anna = _write(tmp_path, "anna.csv", ANNA)
    bjorn = _write(tmp_path, "bjorn.csv", BJORN)
    carl = _write(tmp_path, "carl.csv", "interview_id,start,end,code,coder\n"
                  "sel_02,58,65,arbeid/praksis,carl\nvaga_01,41,48,arbeid/jobb,carl\n")  # fmt: skip
    args = ["agree", results, "--human", anna, "--human", bjorn, "--human", carl]
    result = invoke(*args, "--format", "csv")
    assert result.exit_code == 0, result.output
    lines = _agreement_csv(result.stdout).splitlines()
    assert lines[0] == "code,units,coded_anna,coded_bjørn,coded_carl,alpha"
    # Decisions in the order jobb, praksis, sprak × units sel_02/1, vaga_01/1, vaga_01/3.
    reference = krippendorff.alpha(
        reliability_data=[[0, 1, 0, 1, 0, 0, 0, 0, 1], [1, 1, 0, 0, 0, 0, 0, 0, 1],
                          [0, 1, 0, 1, 0, 0, 0, 0, 0]],
        level_of_measurement="nominal",
    )  # fmt: skip
    assert lines[-1] == f"(overall),3,3,3,2,{reference:.4f}"
    table = invoke(*args)
    assert "Agreement on 3 units between anna, bjørn, carl" in table.stdout
    assert "praksis" in table.stdout and "carl" in table.stdout


def test_agree_shows_transcription_marks_in_the_disagreements(tmp_path: Path) -> None:
    """Unit text is data, not rich markup: '[pause]' and ':100:' are printed as written."""
    from exchange_corpus import code_to_results

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "sel_09.md").write_text(
        "---\nid: sel_09\nmunicipality: Sel\ngroup: flyktning\n---\n"
        "Informant: Jobben [pause] er bra :100: sier de.\n",
        encoding="utf-8",
    )
    codebook = _write(tmp_path, "kb.yaml", "codebook: k\ncodes:\n  - id: jobb\n    terms: [jobb]\n")
    results = code_to_results(corpus, codebook, tmp_path / "results")
    other = _write(tmp_path, "h.csv", "interview_id,start,end,code\nsel_09,0,3,nytt\n")
    result = invoke("agree", results, "--human", other)
    assert result.exit_code == 0, result.output
    assert "Jobben [pause] er bra :100: sier de." in result.stdout
