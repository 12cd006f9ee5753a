"""A mixed folder (Word, WebVTT, SRT, Windows-1252, UTF-8 with BOM, an .xlsx sheet) codes exactly
like the same interviews written as format-v1 text files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from transcript_files import write_docx, write_text, write_xlsx

from conftest import write_codebook, write_transcript
from mimres_cli.workflow import code

CODEBOOK = """
codebook: likhet
language: nb
codes:
  - id: arbeid
    label: Arbeid
    codes:
      - id: jobb
        label: Jobb
        terms: [jobb, "arbeidsgiver*"]
      - id: praksis
        label: Praksis
        terms: ["*praksis", "praksisplass*"]
  - id: sprak
    label: Språk
    terms: ["*opplæring", "norskkurs*"]
  - id: moteplass
    label: Møteplasser
    terms: [møteplass]
"""

# The interviews as format v1: (file name, front matter, body).
V1 = [
    (
        "sel_flyktning_01.md",
        "id: sel_flyktning_01\nmunicipality: Sel\ngroup: flyktning\ngender: kvinne",
        "Intervjuer: Har du jobb nå?\n"
        "Informant: Ja, e ... jeg jobber på hotellet,\n"
        "og praksisplassen var fin.\n"
        "Intervjuer: Og norskopplæringen?\n"
        "Informant: Norskopplæringen (...) var bra, men norskkurset om kvelden var kort.\n",
    ),
    (
        "vaga_flyktning_01.md",
        "id: vaga_flyktning_01\nmunicipality: Vågå\ngroup: flyktning\ngender: kvinne\n"
        "interview_date: 2024-05-14",
        "Intervjuer: Hva har du gjort siden du kom?\n"
        "Amina: Jeg fikk praksis i barnehagen. Nå har jeg jobb der, og jeg går på norskkurs.\n"
        "Intervjuer: Savner du noe?\n"
        "Amina: Jeg savner en møteplass for kvinner.\n",
    ),
    (
        "vaga_arbeidsgiver_01.md",
        "id: vaga_arbeidsgiver_01\nmunicipality: Vågå\ngroup: arbeidsgiver\ngender: mann\n"
        "interview_date: 2024-05-15\n"
        "speakers:\n  SPEAKER_00: interviewer\n  SPEAKER_01: informant",
        "SPEAKER_00: Har dere tatt inn folk i språkpraksis?\n"
        "SPEAKER_01: Ja, to i språkpraksis. Arbeidsgiverne her er positive til praksisplasser.\n",
    ),
    (
        "sel_arbeidsgiver_01.md",
        "id: sel_arbeidsgiver_01\nmunicipality: Sel\ngroup: arbeidsgiver\ngender: mann",
        "I: Hva driver dere med?\n"
        "Daglig leder: Vi driver med sau og litt turisme – «jobb» nok for to.\n"
        "Daglig leder: Vi har hatt én på arbeidspraksis, og hun fikk jobb etterpå.\n",
    ),
    (
        "nordre_land_hjelpeapparat_01.md",
        "id: nordre_land_hjelpeapparat_01\nmunicipality: Nordre Land\ngroup: hjelpeapparat\n"
        "gender: kvinne",
        "INT: Hva gjør dere i flyktningtjenesten?\n"
        "inf_03gk: Vi følger opp introduksjonsprogrammet og norskopplæringen.\n",
    ),
]


def write_v1(folder: Path) -> Path:
    folder.mkdir()
    for name, front, body in V1:
        write_transcript(folder, name, front, body)
    return folder


def write_mixed(folder: Path) -> Path:
    folder.mkdir()
    write_docx(
        folder / "sel_flyktning_01.docx",
        [
            ("Intervjuer:", " Har du jobb nå?"),
            "Informant: Ja, e ... jeg jobber på hotellet,",
            "og praksisplassen var fin.",
            ("Intervjuer:", " Og norskopplæringen?"),
            ("Informant:", " Norskopplæringen (...) var bra, men norskkurset om kvelden var kort."),
        ],
        metadata=[("id", "sel_flyktning_01"), ("municipality", "Sel"), ("group", "flyktning"),
                  ("gender", "kvinne")],
    )  # fmt: skip
    write_text(
        folder / "vaga_flyktning_01.vtt",
        """\
        WEBVTT

        00:00:00.000 --> 00:00:02.500
        <v Intervjuer>Hva har du gjort siden du kom?

        00:00:03.000 --> 00:00:05.000
        <v Amina>Jeg fikk praksis i barnehagen.

        00:00:05.000 --> 00:00:09.000
        <v Amina>Nå har jeg jobb der,
        og jeg går på norskkurs.

        00:00:10.000 --> 00:00:11.000
        <v Intervjuer>Savner du noe?

        00:00:11.500 --> 00:00:14.000
        <v Amina>Jeg savner en møteplass for kvinner.
        """,
    )
    write_text(
        folder / "vaga_arbeidsgiver_01.srt",
        """\
        1
        00:00:00,000 --> 00:00:03,000
        SPEAKER_00: Har dere tatt inn folk i språkpraksis?

        2
        00:00:03,500 --> 00:00:05,000
        SPEAKER_01: Ja, to i språkpraksis.

        3
        00:00:05,000 --> 00:00:08,000
        SPEAKER_01: Arbeidsgiverne her er positive til praksisplasser.
        """,
    )
    (folder / "corpus.yaml").write_text(
        "speakers:\n  SPEAKER_00: interviewer\n  SPEAKER_01: informant\n", encoding="utf-8"
    )
    _, front, body = V1[3]
    text = f"---\n{front}\n---\n{body}"
    write_text(folder / "sel_arbeidsgiver_01.txt", text, encoding="cp1252", newline="\r\n")
    _, front, body = V1[4]
    text = f"---\n{front}\n---\n{body}"
    write_text(folder / "nordre_land_hjelpeapparat_01.md", text, encoding="utf-8-sig")
    write_xlsx(
        folder / "interviews.xlsx",
        [
            ["id", "municipality", "group", "gender", "interview_date"],
            ["vaga_flyktning_01", "Vågå", "flyktning", "kvinne", dt.datetime(2024, 5, 14)],
            ["vaga_arbeidsgiver_01", "Vågå", "arbeidsgiver", "mann", dt.datetime(2024, 5, 15)],
            ["sel_arbeidsgiver_01", "Sel", None, "mann", None],  # agrees with its front matter
        ],
    )
    return folder


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("formats")
    codebook = write_codebook(folder, CODEBOOK)
    v1 = write_v1(folder / "v1")
    mixed = write_mixed(folder / "mixed")
    return code(v1, [codebook]), code(mixed, [codebook]), mixed


def test_mixed_formats_give_the_same_findings_as_v1_text(runs) -> None:
    v1, mixed, _ = runs
    pd.testing.assert_frame_equal(mixed.findings, v1.findings)
    assert mixed.findings["segments"].sum() > 0
    all_rows = mixed.findings[mixed.findings["by"] == "all"].set_index("code")
    assert all_rows["coded_interviews"].to_dict() == {
        "arbeid": 4, "arbeid/jobb": 4, "arbeid/praksis": 4, "sprak": 3, "moteplass": 1,
    }  # fmt: skip


def test_mixed_formats_give_the_same_segments_apart_from_timestamps(runs) -> None:
    v1, mixed, _ = runs
    timed = ["start_time", "end_time"]
    pd.testing.assert_frame_equal(
        mixed.segments.drop(columns=timed), v1.segments.drop(columns=timed)
    )
    assert v1.segments["start_time"].isna().all()
    subtitles = mixed.segments[mixed.segments["interview_id"].str.startswith("vaga_")]
    times = zip(
        subtitles["interview_id"], subtitles["start_time"], subtitles["end_time"], strict=True
    )
    assert sorted(times) == [
        ("vaga_arbeidsgiver_01", 3.5, 8.0),
        ("vaga_arbeidsgiver_01", 3.5, 8.0),
        ("vaga_flyktning_01", 3.0, 9.0),
        ("vaga_flyktning_01", 3.0, 9.0),
        ("vaga_flyktning_01", 3.0, 9.0),
        ("vaga_flyktning_01", 11.5, 14.0),
    ]
    interviews = mixed.interviews.set_index("interview_id")["format"].to_dict()
    assert interviews == {
        "nordre_land_hjelpeapparat_01": "text",
        "sel_arbeidsgiver_01": "text",
        "sel_flyktning_01": "docx",
        "vaga_arbeidsgiver_01": "srt",
        "vaga_flyktning_01": "vtt",
    }


#: Every coded unit, as a reader of the transcripts above sees it: (interview, unit) → text.
CODED_UNITS = {
    ("nordre_land_hjelpeapparat_01", 1):
        "Vi følger opp introduksjonsprogrammet og norskopplæringen.",
    ("sel_arbeidsgiver_01", 1): "Vi driver med sau og litt turisme – «jobb» nok for to.",
    ("sel_arbeidsgiver_01", 2): "Vi har hatt én på arbeidspraksis, og hun fikk jobb etterpå.",
    ("sel_flyktning_01", 1): "Ja, e ... jeg jobber på hotellet,\nog praksisplassen var fin.",
    ("sel_flyktning_01", 3):
        "Norskopplæringen (...) var bra, men norskkurset om kvelden var kort.",
    ("vaga_arbeidsgiver_01", 1):
        "Ja, to i språkpraksis. Arbeidsgiverne her er positive til praksisplasser.",
    ("vaga_flyktning_01", 1):
        "Jeg fikk praksis i barnehagen. Nå har jeg jobb der, og jeg går på norskkurs.",
    ("vaga_flyktning_01", 3): "Jeg savner en møteplass for kvinner.",
}  # fmt: skip


def test_offsets_of_every_format_point_at_the_unit_in_the_transcript_text(runs) -> None:
    """The offsets are checked against where each unit's hand-written text stands in the v1
    body written above (not against the loaded body, which the unit text is sliced from)."""
    _, mixed, _ = runs
    bodies = {name.removesuffix(".md"): body for name, _, body in V1}
    found = mixed.segments.drop_duplicates(["interview_id", "unit_index"])
    assert sorted(zip(found["interview_id"], found["unit_index"], strict=True)) == sorted(
        CODED_UNITS
    )
    for row in found.itertuples():
        expected = CODED_UNITS[(row.interview_id, row.unit_index)]
        start = bodies[row.interview_id].index(expected)
        assert (row.start, row.end, row.text) == (start, start + len(expected), expected)


def test_mimres_run_writes_the_same_findings_csv_for_both_folders(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from mimres_cli.cli import app

    codebook = write_codebook(tmp_path, CODEBOOK)
    written = []
    for name, write in (("v1", write_v1), ("mixed", write_mixed)):
        folder = write(tmp_path / name)
        out = tmp_path / f"out_{name}"
        args = ["run", "--corpus", str(folder), "-c", str(codebook), "--out", str(out)]
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, result.output
        written.append((out / "findings.csv").read_text(encoding="utf-8"))
    assert written[0] == written[1]
    assert "all,,,arbeid/praksis,Praksis,5,4,0.8000,4," in written[1]  # then the interval
