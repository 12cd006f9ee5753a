"""`mimres import codebook|codings`: YAML skeletons and human codings mapped onto units."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from exchange_corpus import exchange_results_once
from mimres_cli.cli import app

runner = CliRunner()


@pytest.fixture
def coded(tmp_path_factory) -> tuple[Path, Path, Path]:
    return exchange_results_once(tmp_path_factory)


def invoke(*args: str):
    return runner.invoke(app, [str(a) for a in args])


def test_import_codebook_prints_a_skeleton_that_validate_checks(coded, tmp_path: Path) -> None:
    _, codebook, _ = coded
    qdc = tmp_path / "kb.qdc"
    assert invoke("export", "codebook", codebook, "-o", qdc).exit_code == 0
    result = invoke("import", "codebook", qdc)
    assert result.exit_code == 0, result.output
    data = yaml.safe_load(result.stdout)
    assert [c["id"] for c in data["codes"]] == ["arbeid", "språk_og_kurs"]
    assert data["codes"][0]["when_not_to_use"] == "Ikke for skole & kurs <norsk>."
    assert data["codes"][1]["terms"] == []
    skeleton = tmp_path / "kb.yaml"
    assert invoke("import", "codebook", qdc, "-o", skeleton).exit_code == 0
    assert skeleton.read_text(encoding="utf-8") == result.stdout
    # `mimres codebook validate` names exactly the leaves that still need rules.
    validate = invoke("codebook", "validate", skeleton)
    assert validate.exit_code == 2
    errors = [line for line in validate.output.splitlines() if "error[E208]: " in line]
    messages = [line.split(": ", 3)[3] for line in errors]
    assert [message.split(" has no rules")[0] for message in messages] == [
        "code 'arbeid/jobb'", "code 'arbeid/praksis'", "code 'språk_og_kurs'"
    ]  # fmt: skip


def test_import_codebook_will_not_overwrite_without_force(coded, tmp_path: Path) -> None:
    _, codebook, _ = coded
    qdc = tmp_path / "kb.qdc"
    invoke("export", "codebook", codebook, "-o", qdc)
    existing = tmp_path / "kb.yaml"
    existing.write_text("mine\n", encoding="utf-8")
    result = invoke("import", "codebook", qdc, "-o", existing)
    assert result.exit_code == 2
    assert result.stderr == (
        f"mimres: error[E501]: '{existing}' already exists. Choose another file, or add --force\n"
    )
    assert existing.read_text(encoding="utf-8") == "mine\n"
    assert invoke("import", "codebook", qdc, "-o", existing, "--force").exit_code == 0


def test_import_codings_of_an_exported_project_prints_the_codings(coded, tmp_path) -> None:
    _, _, results = coded
    project = tmp_path / "review.qdpx"
    assert invoke("export", "project", results, "-o", project).exit_code == 0
    result = invoke("import", "codings", project, "--results", results)
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    # Each selection is its segment's evidence: the sentence that was coded. sel_02's turn
    # (42-102) is "Ja, vi har hatt praksis for tre." (42-74), a line break, and "De ville
    # jobbe her etterpå." (75-102); vaga_01's first sentence ends at 41 + 36 = 77.
    assert rows == [
        ["interview_id", "start", "end", "code", "coder", "units", "text"],
        ["sel_02", "42", "74", "arbeid/praksis", "mimres", "1", "Ja, vi har hatt praksis for tre."],
        ["sel_02", "75", "102", "arbeid/jobb", "mimres", "1", "De ville jobbe her etterpå."],
        ["vaga_01", "41", "77", "arbeid/jobb", "mimres", "1",
         "Bra 😅 jeg har fått jobb på hotellet."],
        ["vaga_01", "121", "162", "sprak", "mimres", "3",
         "Norskkurset er bra 👍🏽, og æøå er lett nå."],
    ]  # fmt: skip


def test_import_codings_csv_maps_labels_and_ignores_interviewer_turns(coded, tmp_path) -> None:
    _, _, results = coded
    human = tmp_path / "anna.csv"
    human.write_text(
        "interview_id,start,end,code\n"
        "vaga_01,3,10,Jobb\n"  # 'Hvordan' in the interviewer's question: no unit
        "vaga_01,41,48,Jobb\n"  # 'Bra 😅 j' overlaps unit 1 (41-94)
        "sel_02,58,65,Praksis\n",  # 'praksis' in unit 1 (42-102)
        encoding="utf-8",
    )
    result = invoke("import", "codings", human, "-r", results)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "interview_id,start,end,code,coder,units,text",
        "sel_02,58,65,arbeid/praksis,anna,1,praksis",
        "vaga_01,3,10,arbeid/jobb,anna,,Hvordan",  # quoted, though no informant unit
        "vaga_01,41,48,arbeid/jobb,anna,1,Bra 😅 j",
    ]


def test_import_codings_csv_with_a_bad_offset_names_the_line(coded, tmp_path) -> None:
    _, _, results = coded
    human = tmp_path / "anna.csv"
    human.write_text("interview_id,start,end,code\nvaga_01,3,10,Jobb\nvaga_01,x,9,Jobb\n",
                     encoding="utf-8")  # fmt: skip
    result = invoke("import", "codings", human, "-r", results)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(
        f"mimres: error[E401]: {human}:3: start 'x' and end '9' must be whole numbers."
    )
