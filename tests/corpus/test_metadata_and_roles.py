"""Metadata sheets merged with front matter, and speaker roles from every place they come from."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from transcript_files import write_text, write_xlsx

from mimres_cli.corpus import check_corpus, load_corpus
from mimres_cli.errors import CorpusError, MissingInputError

SRT = """\
1
00:00:00,000 --> 00:00:02,000
SPEAKER_00: Har dere ansatt flyktninger?

2
00:00:02,000 --> 00:00:05,000
SPEAKER_01: Ja, to i fjor.
"""


def roles(interview) -> list[tuple[str, str]]:
    return [(t.speaker, t.role) for t in interview.turns]


def test_xlsx_sheet_gives_metadata_and_speaker_roles_to_a_subtitle_file(tmp_path: Path) -> None:
    write_text(tmp_path / "vaga_arbeidsgiver_07.srt", SRT)
    write_xlsx(
        tmp_path / "interviews.xlsx",
        [
            ["ID", "Municipality", "Group", "age", "interview_date"],
            ["vaga_arbeidsgiver_07", "Vågå", "arbeidsgiver", 52, dt.datetime(2024, 5, 14)],
        ],
        speakers=[["label", "role"], ["SPEAKER_00", "intervjuer"], ["SPEAKER_01", "informant"]],
    )
    corpus = load_corpus(tmp_path)
    interview = corpus.interviews[0]
    assert corpus.metadata == tmp_path / "interviews.xlsx"
    assert interview.id == "vaga_arbeidsgiver_07"  # from the file name: there is no front matter
    assert interview.metadata == {
        "municipality": "Vågå",
        "group": "arbeidsgiver",
        "age": 52,
        "interview_date": "2024-05-14",
    }
    assert roles(interview) == [("SPEAKER_00", "interviewer"), ("SPEAKER_01", "informant")]
    assert corpus.problems == ()


def test_csv_sheet_in_windows_1252_with_semicolons_keyed_by_file(tmp_path: Path) -> None:
    write_text(tmp_path / "opptak 3.srt", SRT)
    write_text(
        tmp_path / "interviews.csv",
        "file;id;municipality;group;interviewer\n"
        "opptak 3.srt;nordre_land_arbeidsgiver_03;Nordre Land;arbeidsgiver;SPEAKER_00\n",
        encoding="cp1252",
    )
    interview = load_corpus(tmp_path).interviews[0]
    assert interview.id == "nordre_land_arbeidsgiver_03"  # the sheet's id wins over the file name
    assert interview.metadata["municipality"] == "Nordre Land"
    assert roles(interview) == [("SPEAKER_00", "interviewer"), ("SPEAKER_01", "informant")]


def test_front_matter_and_sheet_merge_when_they_agree(tmp_path: Path) -> None:
    write_text(
        tmp_path / "sel_01.md",
        "---\nid: sel_01\nmunicipality: Sel\nage: 34\nfictional: true\n---\nInf: Ja.\n",
    )
    write_text(
        tmp_path / "interviews.csv",
        "id,group,age,fictional,gender\nsel_01,flyktning,34,TRUE,kvinne\n",
    )
    interview = load_corpus(tmp_path).interviews[0]
    assert interview.metadata == {
        "municipality": "Sel",
        "age": 34,
        "fictional": True,
        "group": "flyktning",
        "gender": "kvinne",
    }


def test_a_conflict_between_front_matter_and_sheet_names_both_values(tmp_path: Path) -> None:
    path = write_text(
        tmp_path / "sel_01.md",
        "---\nid: sel_01\nmunicipality: Sel\ngroup: flyktning\n---\nInf: Ja.\n",
    )
    write_text(tmp_path / "interviews.csv", "id,municipality\nsel_01,Vågå\n")
    with pytest.raises(CorpusError) as caught:
        load_corpus(tmp_path)
    assert str(caught.value) == (
        f"{path}:3: 'municipality' is 'Sel' in the front matter but 'Vågå' in "
        f"{tmp_path / 'interviews.csv'}:2. Make the two the same, or leave it out of one of them"
    )


def test_an_explicit_metadata_sheet_and_a_row_that_matches_nothing(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    write_text(corpus / "a.srt", SRT)
    sheet = write_text(
        tmp_path / "ark.csv",
        "id,municipality,group\na,Sel,hjelpeapparat\nb,Sel,flyktning\n",
    )
    check = check_corpus(corpus, metadata=sheet, roles={"SPEAKER_00": "interviewer"})
    assert check.interviews[0].metadata == {"municipality": "Sel", "group": "hjelpeapparat"}
    assert roles(check.interviews[0]) == [
        ("SPEAKER_00", "interviewer"),
        ("SPEAKER_01", "informant"),
    ]
    assert [(p.kind, str(p)) for p in check.problems] == [
        ("unknown-speaker", f"{corpus / 'a.srt'}: speaker label 'SPEAKER_01' has no role, so its "
         "turns are coded as informant. Map it under 'speakers:' in corpus.yaml or the front "
         "matter, e.g. 'SPEAKER_01: interviewer'"),
        ("unmatched-row", f"{sheet}:3: row for id 'b' matches no transcript. Check it against "
         "the transcripts' ids and file names, or delete the row"),
    ]  # fmt: skip
    with pytest.raises(MissingInputError, match=r"metadata sheet '.*nei\.csv' does not exist"):
        check_corpus(corpus, metadata=tmp_path / "nei.csv")


def test_corpus_yaml_maps_labels_and_front_matter_overrides_it(tmp_path: Path) -> None:
    (tmp_path / "corpus.yaml").write_text(
        "speakers:\n  SPEAKER_00: interviewer\n  SPEAKER_01: informant\n", encoding="utf-8"
    )
    front = "---\nid: {id}\nmunicipality: Sel\ngroup: flyktning\n{extra}---\n"
    body = "SPEAKER_00: Hei.\nSPEAKER_01: Hei, ja.\n"
    write_text(tmp_path / "a.md", front.format(id="a", extra="") + body)
    # In b, the diarisation swapped the labels; its front matter says so.
    swapped = "speakers:\n  SPEAKER_00: informant\n  SPEAKER_01: interviewer\n"
    write_text(tmp_path / "b.md", front.format(id="b", extra=swapped) + body)
    a, b = load_corpus(tmp_path).interviews
    assert roles(a) == [("SPEAKER_00", "interviewer"), ("SPEAKER_01", "informant")]
    assert roles(b) == [("SPEAKER_00", "informant"), ("SPEAKER_01", "interviewer")]
    assert "speakers" not in b.metadata


def test_the_roles_argument_overrides_corpus_yaml(tmp_path: Path) -> None:
    (tmp_path / "corpus.yaml").write_text("speakers:\n  SPEAKER_00: interviewer\n")
    write_text(tmp_path / "x.srt", SRT)
    write_text(tmp_path / "interviews.csv", "id,municipality,group\nx,Sel,flyktning\n")
    corpus = load_corpus(tmp_path, roles={"speaker_00": "informant", "SPEAKER_01": "interviewer"})
    assert roles(corpus.interviews[0]) == [
        ("SPEAKER_00", "informant"),
        ("SPEAKER_01", "interviewer"),
    ]


def test_a_role_that_is_not_a_role_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "corpus.yaml").write_text("speakers:\n  SPEAKER_00: leder\n")
    write_text(tmp_path / "x.md", "---\nid: x\nmunicipality: Sel\ngroup: g\n---\nInf: Ja.\n")
    with pytest.raises(CorpusError) as caught:
        load_corpus(tmp_path)
    assert str(caught.value) == (
        f"{tmp_path / 'corpus.yaml'}: speaker 'SPEAKER_00' has role 'leder', which is not a role. "
        "Use 'interviewer' or 'informant'"
    )


def test_interviewer_lists_warn_of_nothing_but_a_speakers_block_must_be_complete(
    tmp_path: Path,
) -> None:
    front = "---\nid: {id}\nmunicipality: Sel\ngroup: flyktning\n{extra}\n---\n"
    body = "Forsker: Hei.\nInformant: Hei.\nTolk: Hun sier hei.\n"
    write_text(tmp_path / "a.md", front.format(id="a", extra="interviewer: [Forsker]") + body)
    block = "speakers:\n  Forsker: interviewer\n  Informant: informant"
    b = write_text(tmp_path / "b.md", front.format(id="b", extra=block) + body)
    check = check_corpus(tmp_path)
    assert [roles(i) for i in check.interviews] == [
        [("Forsker", "interviewer"), ("Informant", "informant"), ("Tolk", "informant")],
    ] * 2
    assert [(p.kind, p.path) for p in check.problems] == [("unknown-speaker", b)]
    assert "speaker label 'Tolk' has no role" in str(check.problems[0])


def test_one_file_gets_the_sheet_of_its_folder(tmp_path: Path) -> None:
    path = write_text(tmp_path / "x.srt", SRT)
    write_text(tmp_path / "interviews.csv", "id,municipality,group\nx,Sel,flyktning\n")
    corpus = load_corpus(path, roles={"SPEAKER_00": "interviewer", "SPEAKER_01": "informant"})
    assert corpus.interviews[0].metadata == {"municipality": "Sel", "group": "flyktning"}
