"""`mimres corpus`: the interviews table on stdout, one line per problem on stderr, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import write_transcript
from mimres_cli.cli import app
from table_outputs import SUFFIX_OF, read_tables

runner = CliRunner()

SRT = "1\n00:00:00,000 --> 00:01:30,000\nSPEAKER_00: Hei.\n\n2\n00:01:30,000 --> 00:02:05,400\n" \
      "SPEAKER_01: Jeg jobber på sagbruket.\n"  # fmt: skip


def invoke(*args: str):
    return runner.invoke(app, list(args))


def good_corpus(folder: Path) -> Path:
    folder.mkdir()
    write_transcript(folder, "a.md", "id: a\nmunicipality: Sel\ngroup: flyktning\nalder: 30",
                     "I: Hvordan går det?\nInformant: Det går bra på jobben.\n")  # fmt: skip
    (folder / "b.srt").write_text(SRT, encoding="utf-8")
    (folder / "interviews.csv").write_text(
        "id,municipality,group,interviewer,informant\nb,Vågå,arbeidsgiver,SPEAKER_00,SPEAKER_01\n",
        encoding="utf-8",
    )
    return folder


def test_corpus_csv_is_the_interviews_table(tmp_path: Path) -> None:
    corpus = good_corpus(tmp_path / "c")
    result = invoke("corpus", str(corpus), "--format", "csv")
    assert result.exit_code == 0, result.output
    # The interviews and the problems (none), stacked with a `table` column.
    assert result.stdout == (
        "table,id,file,format,encoding,municipality,group,alder,language,turns,informant_turns,"
        "informant_words,duration,severity,code,kind,line,message\n"
        "interviews,a,a.md,text,utf-8,Sel,flyktning,30,nb,2,1,5,,,,,,\n"  # "Hvordan"
        "interviews,b,b.srt,srt,utf-8,Vågå,arbeidsgiver,,nb,2,1,4,125.4,,,,,\n"  # "Jeg"
    )
    assert result.stderr == "2 interview(s), 0 error(s), 0 warning(s)\n"


def test_corpus_table_and_json(tmp_path: Path) -> None:
    corpus = good_corpus(tmp_path / "c")
    table = invoke("corpus", str(corpus))
    assert table.exit_code == 0, table.output
    assert "Vågå" in table.stdout and "2:05" in table.stdout
    # 80 columns: the file names only repeat the ids, and the attributes are left to csv.
    assert table.stdout.splitlines()[-1].rstrip() == "file, attributes: see --format csv"
    data = json.loads(invoke("corpus", str(corpus), "-f", "json").stdout)["tables"]
    assert [row["id"] for row in data["interviews"]] == ["a", "b"]
    assert [row["duration"] for row in data["interviews"]] == [None, 125.4]
    assert data["problems"] == []


def test_corpus_errors_exit_2_and_each_problem_is_one_line(tmp_path: Path) -> None:
    corpus = good_corpus(tmp_path / "c")
    (corpus / "x.docx").write_bytes(b"\x00\x01ikke word")
    write_transcript(corpus, "d.md", "id: a\nmunicipality: Sel\ngroup: flyktning", "Inf: Ja.\n")
    result = invoke("corpus", str(corpus), "--format", "csv")
    assert result.exit_code == 2
    tables = read_tables(result.stdout, "csv")
    assert tables["interviews"].values.tolist() == [
        ["a", "a.md", "text", "utf-8", "Sel", "flyktning", "30", "nb", "2", "1", "5", ""],
        ["b", "b.srt", "srt", "utf-8", "Vågå", "arbeidsgiver", "", "nb", "2", "1", "4", "125.4"],
        ["a", "d.md", "text", "utf-8", "Sel", "flyktning", "", "", "1", "1", "1", ""],  # "Ja."
    ]
    assert tables["problems"][["severity", "code", "kind", "file", "line"]].values.tolist() == [
        ["error", "E101", "unreadable", str(corpus / "x.docx"), ""],
        ["error", "E104", "duplicate-id", str(corpus / "d.md"), "2"],
    ]
    assert result.stderr.splitlines() == [
        f"mimres: error[E101]: {corpus / 'x.docx'}: is not a readable Word document "
        "(PackageNotFoundError). Open it in Word and save it again as .docx (Word 2007 or later)",
        f"mimres: error[E104]: {corpus / 'd.md'}:2: interview id 'a' is used twice (also in "
        f"{corpus / 'a.md'}). Give each interview its own 'id'",
        "3 interview(s), 2 error(s), 0 warning(s)",
    ]
    data = json.loads(invoke("corpus", str(corpus), "-f", "json").stdout)["tables"]
    assert [(p["severity"], p["code"], p["kind"], p["line"]) for p in data["problems"]] == [
        ("error", "E101", "unreadable", None),
        ("error", "E104", "duplicate-id", 2),
    ]


def test_corpus_warnings_exit_0_unless_strict(tmp_path: Path) -> None:
    corpus = good_corpus(tmp_path / "c")
    (corpus / "notater.pdf").write_bytes(b"%PDF")
    relaxed = invoke("corpus", str(corpus), "-f", "csv")
    assert relaxed.exit_code == 0
    assert relaxed.stderr.splitlines() == [
        f"mimres: warning[W104]: {corpus / 'notater.pdf'}: "
        "skipped: '.pdf' is not a transcript format. "
        "Supported: .docx, .md, .srt, .txt, .vtt; or move it out of the corpus folder",
        "2 interview(s), 0 error(s), 1 warning(s)",
    ]
    strict = invoke("corpus", str(corpus), "-f", "csv", "--strict")
    assert strict.exit_code == 1
    assert strict.stdout == relaxed.stdout


def test_corpus_metadata_option_and_a_missing_folder(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "b.srt").write_text(SRT, encoding="utf-8")
    sheet = tmp_path / "ark.csv"
    sheet.write_text("file,municipality,group\nb.srt,Sel,hjelpeapparat\n", encoding="utf-8")
    result = invoke("corpus", str(corpus), "--metadata", str(sheet), "-f", "csv")
    assert result.exit_code == 0, result.output
    assert (
        result.stdout.splitlines()[1]
        == "interviews,b,b.srt,srt,utf-8,Sel,hjelpeapparat,nb,2,2,5,125.4,,,,,"
    )
    missing = invoke("corpus", str(tmp_path / "nei"))
    assert missing.exit_code == 2
    assert missing.stdout == ""
    assert missing.stderr.startswith(
        f"mimres: error[E001]: corpus '{tmp_path / 'nei'}' does not exist"
    )


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "markdown", "xlsx"])
def test_corpus_writes_interviews_and_problems_in_the_format_of_the_output_suffix(
    tmp_path: Path, fmt: str
) -> None:
    corpus = good_corpus(tmp_path / "c")
    (corpus / "notater.pdf").write_bytes(b"%PDF")
    output = tmp_path / f"corpus{SUFFIX_OF[fmt]}"
    result = invoke("corpus", str(corpus), "-o", str(output))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1] == "2 interview(s), 0 error(s), 1 warning(s)"
    tables = read_tables(output, fmt)
    assert list(tables) == ["interviews", "problems"]
    interviews = tables["interviews"]
    assert interviews[["id", "file", "municipality", "informant_words"]].values.tolist() == [
        ["a", "a.md", "Sel", "5"], ["b", "b.srt", "Vågå", "4"]
    ]  # fmt: skip
    assert tables["problems"][["severity", "kind", "file"]].values.tolist() == [
        ["warning", "unsupported", str(corpus / "notater.pdf")]
    ]
    if fmt != "xlsx":  # the same on stdout with --format
        shown = invoke("corpus", str(corpus), "--format", fmt)
        for name, table in read_tables(shown.stdout, fmt).items():
            assert table.equals(tables[name]), name
