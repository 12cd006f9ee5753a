"""`mimres suggest`: a results folder of two fictional interviews, with and without human codings.

mimres codes `skole` only where the word *skole* is; a person (kari) also coded the answer
about the kindergarten, which the codebook misses: that unit is the near miss, and
*barnehage* the term it suggests.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from conftest import write_codebook, write_transcript
from exchange_corpus import code_to_results
from mimres_cli.cli import app

runner = CliRunner()

CODEBOOK = """
codebook: oppvekst
codes:
  - id: skole
    label: Barnehage og skole
    terms: [skole, lærer]
  - id: arbeid
    label: Arbeid
    codes:
      - id: jobb
        label: Jobb
        terms: [jobb]
"""
FRONT = "id: {id}\nmunicipality: Sel\ngroup: flyktning"
ANSWERS = {
    "sel_01": [
        ("Hvordan har barna det?", "Sønnen min går på skolen her, og læreren er snill."),
        ("Og den minste?", "Hun går i barnehagen. Barnehagen har gode voksne."),
        ("Jobber du?", "Jeg har fast jobb på sagbruket."),
    ],
    "sel_02": [
        ("Hva gjør barna?", "Datteren min begynte i barnehagen i fjor."),
        ("Liker hun seg?", "Ja, hun liker skolen og barnehagen."),
        ("Og du selv?", "Jeg søker jobb hver uke."),
    ],
}


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("suggest")
    corpus = folder / "corpus"
    corpus.mkdir()
    for interview, turns in ANSWERS.items():
        body = "".join(f"I: {question}\nInformant: {answer}\n" for question, answer in turns)
        write_transcript(corpus, f"{interview}.md", FRONT.format(id=interview), body)
    return code_to_results(corpus, write_codebook(folder, CODEBOOK), folder / "results")


def human_codings(results: Path, folder: Path) -> Path:
    """kari's CSV: every answer about children coded skole, the work answers arbeid/jobb."""
    units = pd.read_csv(results / "units.csv")
    units = units[units["role"] == "informant"]
    rows = ["interview_id,start,end,code,coder"]
    for unit in units.itertuples():
        code = "arbeid/jobb" if "jobb" in unit.text else "skole"
        rows.append(f"{unit.interview_id},{unit.start},{unit.end},{code},kari")
    path = folder / "kari.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def invoke(*args):
    return runner.invoke(app, ["suggest", *(str(a) for a in args), "--no-cache", "-q"])


def test_suggest_against_human_codings_with_near_misses(results: Path, tmp_path: Path) -> None:
    kari = human_codings(results, tmp_path)
    done = invoke("skole", results, "--human", kari, "--format", "json", "--min-count", "1")
    assert done.exit_code == 0, done.output
    tables = json.loads(done.stdout)["tables"]
    terms = {row["term"]: row for row in tables["terms"]}
    # kari's skole units are the four answers about children: c = 10 + 8 + 7 + 6 = 31 words;
    # the two about work have d = 6 + 5 = 11. barnehage is in three of the four (twice in
    # sel_01/3) and nowhere else: a = 4, b = 0, G² = 2 · 4 ln(42/31) = 8 · 0.303682 = 2.429.
    barnehage = terms["barnehage"]
    assert (barnehage["count"], barnehage["count_rest"]) == (4, 0)
    assert (barnehage["words"], barnehage["words_rest"], barnehage["g2"]) == (31, 11, 2.429)
    assert (barnehage["units"], barnehage["units_rest"]) == (3, 0)
    assert (barnehage["precision"], barnehage["recall"]) == (1.0, 0.75)
    assert barnehage["in_codebook"] is False
    assert terms["skole"]["in_codebook"] is True
    assert "jobb" not in terms  # over-represented in the other units, not in these
    # mimres coded sel_01/1 and sel_02/3 (skole); kari also sel_01/3 and sel_02/1.
    near = tables["near_misses"]
    assert [(row["interview_id"], row["unit_index"]) for row in near] == [
        ("sel_01", 3),
        ("sel_02", 1),
    ]
    assert near[0]["coders"] == "kari"
    assert near[0]["distinctive"].startswith("barnehage (")
    assert near[1]["text"] == "Datteren min begynte i barnehagen i fjor."


def test_suggest_without_human_codings_learns_from_mimres_own_coding(results: Path) -> None:
    done = runner.invoke(app, ["suggest", "arbeid", str(results), "--no-cache", "-f", "csv",
                               "--min-count", "1"])  # fmt: skip
    assert done.exit_code == 0, done.output
    lines = done.stdout.splitlines()
    assert lines[0].startswith("term,in_codebook,count,count_rest,words,words_rest,g2,")
    assert "near_misses" not in done.stdout  # one table: no `table` column, no near misses
    rows = {line.split(",")[0]: line.split(",") for line in lines[1:]}
    # arbeid rolls up arbeid/jobb: mimres coded the two answers with "jobb" in them.
    assert rows["jobb"][1:4] == ["True", "2", "0"]
    assert "near misses need a human reading" in done.stderr


def test_suggest_table_on_the_terminal_marks_known_terms(results: Path, tmp_path: Path) -> None:
    kari = human_codings(results, tmp_path)
    done = invoke("skole", results, "-H", kari, "--min-count", "2")
    assert done.exit_code == 0, done.output
    shown = " ".join(done.stdout.split())
    assert (
        "Terms for skole (Barnehage og skole): over-represented in the 4 of 6 units coded "
        "with it by kari" in shown
    )
    # Only barnehage, gå and skole reach --min-count 2; skole is a term of the code already.
    assert "│ barnehage │ │ 4 │ 0 │ 2.43 │" in shown
    assert "│ skole │ ✓ │ 2 │ 0 │ 1.22 │" in shown
    assert "Near misses: units kari coded with skole that mimres did not" in shown


def test_an_unknown_code_is_one_line_with_a_did_you_mean(results: Path) -> None:
    done = invoke("skule", results)
    assert done.exit_code == 2
    assert done.stderr.splitlines() == [
        "mimres: error[E218]: no code 'skule' in the results. Did you mean 'skole'?"
    ]


def test_writes_both_tables_to_a_file(results: Path, tmp_path: Path) -> None:
    kari = human_codings(results, tmp_path)
    target = tmp_path / "forslag.xlsx"
    done = invoke("skole", results, "--human", kari, "-o", target)
    assert done.exit_code == 0, done.output
    from openpyxl import load_workbook

    assert load_workbook(target).sheetnames[:2] == ["terms", "near_misses"]


def test_codings_by_no_chosen_coder_are_an_error(results: Path, tmp_path: Path) -> None:
    kari = human_codings(results, tmp_path)
    done = invoke("skole", results, "--human", kari, "--coder", "ola")
    assert done.exit_code == 2
    assert done.stderr.splitlines() == [
        f"mimres: error[E000]: '{kari}' has no codings by ola. Code in the QDA tool as your own "
        "user, or choose coders with --coder (it has codings by kari)"
    ]
