"""Every problem `mimres corpus` lists, found in one folder, each with its one-line message."""

from __future__ import annotations

from pathlib import Path

import pytest
from transcript_files import write_text

from mimres_cli.corpus import check_corpus, interview_rows, load_corpus
from mimres_cli.errors import CorpusError

FRONT = "---\nid: {id}\nmunicipality: Sel\ngroup: flyktning\n---\n"


def test_check_corpus_lists_every_problem_and_still_loads_the_rest(tmp_path: Path) -> None:
    write_text(tmp_path / "a_ok.md", FRONT.format(id="ok") + "I: Hei.\nInf: Hei, ja.\n")
    write_text(tmp_path / "b_no_group.md", "---\nid: b\nmunicipality: Sel\n---\nInf: Ja.\n")
    write_text(tmp_path / "c_dup.md", FRONT.format(id="ok") + "Inf: Nei.\n")
    (tmp_path / "d_empty.txt").write_bytes(b"")
    write_text(tmp_path / "e_only_interviewer.md", FRONT.format(id="e") + "I: Hallo?\n")
    write_text(tmp_path / "f_diarised.md", FRONT.format(id="f") + "SPEAKER_00: Hva tenker du?\n")
    (tmp_path / "g_broken.docx").write_bytes(b"PK\x03\x04 ikke en zip")
    (tmp_path / "h_notes.pdf").write_bytes(b"%PDF-1.4")
    write_text(tmp_path / "i_no_front.txt", "I: Hei.\nInf: Hei.\n")
    check = check_corpus(tmp_path)

    def at(name: str, line: int | None = None) -> str:
        return f"{tmp_path / name}:{line}" if line else str(tmp_path / name)

    assert [(p.severity, p.kind, str(p)) for p in check.problems] == [
        ("error", "missing-metadata", f"{at('b_no_group.md', 2)}: front matter has no 'group'. "
         "Add 'group: <value>' between the '---' lines"),
        ("error", "empty",
         f"{at('d_empty.txt')}: is empty. Delete it, or put the transcript in it"),
        ("warning", "no-informant", f"{at('e_only_interviewer.md')}: has speaker turns but none "
         "by an informant, so nothing in it is coded and it is in no denominator. Check the "
         "speaker roles ('interviewer:'/'informant:' in the front matter or corpus.yaml)"),
        ("warning", "unknown-speaker", f"{at('f_diarised.md')}: speaker label 'SPEAKER_00' has "
         "no role, so its turns are coded as informant. Map it under 'speakers:' in corpus.yaml "
         "or the front matter, e.g. 'SPEAKER_00: interviewer'"),
        ("error", "unreadable", f"{at('g_broken.docx')}: is not a readable Word document "
         "(PackageNotFoundError). Open it in Word and save it again as .docx (Word 2007 or later)"),
        ("warning", "unsupported", f"{at('h_notes.pdf')}: skipped: '.pdf' is not a transcript "
         "format. Supported: .docx, .md, .srt, .txt, .vtt; or move it out of the corpus folder"),
        ("error", "missing-metadata", f"{at('i_no_front.txt', 1)}: no front matter and no "
         "metadata sheet, so no 'municipality'. Start the file with '---', 'municipality: "
         "<value>' (and the design's other attribute), '---' lines, or describe it in a row of "
         "interviews.csv beside it"),
        ("error", "missing-metadata", f"{at('i_no_front.txt', 1)}: no front matter and no "
         "metadata sheet, so no 'group'. Start the file with '---', 'group: <value>' (and the "
         "design's other attribute), '---' lines, or describe it in a row of interviews.csv "
         "beside it"),
        ("error", "duplicate-id", f"{at('c_dup.md', 2)}: interview id 'ok' is used twice (also "
         f"in {at('a_ok.md')}). Give each interview its own 'id'"),
    ]  # fmt: skip
    assert [i.id for i in check.interviews] == ["ok", "b", "ok", "e", "f", "i_no_front"]
    assert check.skipped == (tmp_path / "h_notes.pdf",)
    # load_corpus stops at the first error, with the same message.
    with pytest.raises(CorpusError) as caught:
        load_corpus(tmp_path)
    assert str(caught.value) == str(check.errors[0])


def test_interview_rows_count_turns_words_and_duration(tmp_path: Path) -> None:
    write_text(
        tmp_path / "a.md",
        FRONT.format(id="a") + "I: Jobber du?\nInf: Ja, e ... jeg jobber (ler) på hotellet.\n",
    )
    write_text(
        tmp_path / "b.vtt",
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v I>Og nå?\n\n"
        "00:01:02.000 --> 00:01:05.250\n<v Inf>Nå har jeg fast jobb.\n",
    )
    write_text(tmp_path / "interviews.csv", "id,municipality,group,kjønn\nb,Vågå,flyktning,mann\n")
    rows = interview_rows(check_corpus(tmp_path))
    assert rows == [
        {"id": "a", "file": "a.md", "format": "text", "encoding": "utf-8", "municipality": "Sel",
         "group": "flyktning", "kjønn": "", "language": "nb", "turns": 2, "informant_turns": 1,
         "informant_words": 5, "duration": None},  # "e" and "(ler)" are marks, not words
        {"id": "b", "file": "b.vtt", "format": "vtt", "encoding": "utf-8", "municipality": "Vågå",
         "group": "flyktning", "kjønn": "mann", "language": "nb", "turns": 2,
         "informant_turns": 1, "informant_words": 5, "duration": 65.25},
    ]  # fmt: skip


def test_a_folder_without_transcripts_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    with pytest.raises(CorpusError, match=r"no transcripts found\. Put transcripts there"):
        check_corpus(tmp_path)


def test_a_sheet_under_another_name_is_skipped_with_a_hint(tmp_path: Path) -> None:
    write_text(tmp_path / "a.md", FRONT.format(id="a") + "Inf: Ja.\n")
    (tmp_path / "mimres.yaml").write_text("corpus: .\n", encoding="utf-8")  # a project file
    (tmp_path / "Intervjuer.csv").write_text("id,group\na,flyktning\n", encoding="utf-8")
    assert [str(p) for p in check_corpus(tmp_path).problems] == [
        f"{tmp_path / 'Intervjuer.csv'}: skipped: '.csv' is not a transcript format. Name a "
        "metadata sheet interviews.csv or interviews.xlsx, or give it with --metadata"
    ]


def test_a_link_to_the_metadata_sheet_is_no_transcript(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_text(corpus / "a.md", FRONT.format(id="a") + "I: Hei.\nInf: Hei, ja.\n")
    sheet = tmp_path / "ark.csv"
    sheet.write_text("id,municipality,group,alder\na,Sel,flyktning,34\n", encoding="utf-8")
    (corpus / "ark.txt").symlink_to(sheet)  # another name: only resolving it shows the sheet
    check = check_corpus(corpus, metadata=sheet)
    assert [i.id for i in check.interviews] == ["a"]
    assert not [p for p in check.problems if "ark" in str(p)]
