"""Word, WebVTT and SRT transcripts: turns, labels, offsets and timestamps, worked out by hand."""

from __future__ import annotations

from pathlib import Path

import pytest
from transcript_files import write_docx, write_docx_table, write_text

from mimres_cli.corpus import check_corpus, load_corpus
from mimres_cli.corpus.subtitles import read_srt_transcript, read_webvtt_transcript
from mimres_cli.corpus.word import read_word_transcript
from mimres_cli.errors import CorpusError

META = [("id", "sel_arbeidsgiver_03"), ("municipality", "Sel"), ("group", "arbeidsgiver")]


def spans(interview) -> list[tuple[str, str, int, int, str]]:
    return [(t.speaker, t.role, t.start, t.end, t.text) for t in interview.turns]


def located(body: str, texts: list[str]) -> list[tuple[int, int, str]]:
    """(start, end, text) of each text, searched for in `body` after the one before: the
    offsets a reader of the written text would give, independent of the reader under test."""
    found, after = [], 0
    for text in texts:
        start = body.index(text, after)
        found.append((start, start + len(text), text))
        after = start + len(text)
    return found


def test_docx_paragraphs_become_the_body_and_labels_start_turns(tmp_path: Path) -> None:
    path = write_docx(
        tmp_path / "intervju.docx",
        [
            ("Intervjuer:", " Hvordan var det å begynne på jobben?"),
            "Leder: Det gikk fint, vi fikk god hjelp.",
            "Han lærte fort.",
            # A bold label of four words counts though it occurs once; plain text with a colon
            # ("Det var sånn:") continues the turn.
            ("Daglig leder i barnehagen:", " Og språket kom etter hvert."),
            "Det var sånn: vi snakket mye.",
        ],
        metadata=META,
    )
    interview = load_corpus(path).interviews[0]
    assert interview.id == "sel_arbeidsgiver_03"
    assert interview.format == "docx"
    assert interview.metadata == {"municipality": "Sel", "group": "arbeidsgiver"}
    assert interview.body == (
        "Intervjuer: Hvordan var det å begynne på jobben?\n"
        "Leder: Det gikk fint, vi fikk god hjelp.\n"
        "Han lærte fort.\n"
        "Daglig leder i barnehagen: Og språket kom etter hvert.\n"
        "Det var sånn: vi snakket mye."
    )
    assert spans(interview) == [
        ("Intervjuer", "interviewer", 12, 48, "Hvordan var det å begynne på jobben?"),
        ("Leder", "informant", 56, 105,
         "Det gikk fint, vi fikk god hjelp.\nHan lærte fort."),
        ("Daglig leder i barnehagen", "informant", 133, 190,
         "Og språket kom etter hvert.\nDet var sånn: vi snakket mye."),
    ]  # fmt: skip
    written = (  # the paragraphs given above, one line each
        "Intervjuer: Hvordan var det å begynne på jobben?\n"
        "Leder: Det gikk fint, vi fikk god hjelp.\n"
        "Han lærte fort.\n"
        "Daglig leder i barnehagen: Og språket kom etter hvert.\n"
        "Det var sånn: vi snakket mye."
    )
    turns = ["Hvordan var det å begynne på jobben?",
             "Det gikk fint, vi fikk god hjelp.\nHan lærte fort.",
             "Og språket kom etter hvert.\nDet var sånn: vi snakket mye."]  # fmt: skip
    assert [(t.start, t.end, t.text) for t in interview.turns] == located(written, turns)
    assert all(t.start_time is None and t.end_time is None for t in interview.turns)


def test_docx_front_matter_in_paragraphs(tmp_path: Path) -> None:
    path = write_docx(
        tmp_path / "x.docx",
        ["---", "id: vaga_01", "municipality: Vågå", "group: flyktning", "---",
         "I: Trives du?", "Informant: Ja, jeg trives på Vågå."],
    )  # fmt: skip
    interview = load_corpus(path).interviews[0]
    assert (interview.id, interview.metadata["municipality"], interview.metadata["group"]) == (
        "vaga_01",
        "Vågå",
        "flyktning",
    )
    assert interview.body == "I: Trives du?\nInformant: Ja, jeg trives på Vågå."
    assert spans(interview)[1] == ("Informant", "informant", 25, 48, "Ja, jeg trives på Vågå.")


def test_docx_speaker_table_rows_become_turns(tmp_path: Path) -> None:
    path = write_docx_table(
        tmp_path / "tabell.docx",
        [("Taler", "Tekst"), ("Intervjuer", "Hva jobber du med?"),
         ("Daglig leder i barnehagen", "Jeg leder en barnehage."), ("", "Med tjue ansatte.")],
        before=["---", "id: t1", "municipality: Sel", "group: arbeidsgiver", "---"],
    )  # fmt: skip
    interview = load_corpus(path).interviews[0]
    assert interview.body == (
        "Intervjuer: Hva jobber du med?\n"
        "Daglig leder i barnehagen: Jeg leder en barnehage.\n"
        "Med tjue ansatte."
    )
    assert spans(interview) == [
        ("Intervjuer", "interviewer", 12, 30, "Hva jobber du med?"),
        ("Daglig leder i barnehagen", "informant", 58, 99,
         "Jeg leder en barnehage.\nMed tjue ansatte."),
    ]  # fmt: skip


def test_a_corrupt_docx_is_an_error_for_that_file_only(tmp_path: Path) -> None:
    (tmp_path / "brukket.docx").write_bytes(bytes(range(256)) * 4)
    write_text(
        tmp_path / "ok.md", "---\nid: ok\nmunicipality: Sel\ngroup: flyktning\n---\nInf: Ja.\n"
    )
    check = check_corpus(tmp_path)
    assert [i.id for i in check.interviews] == ["ok"]
    assert [(p.kind, str(p)) for p in check.errors] == [
        ("unreadable", f"{tmp_path / 'brukket.docx'}: is not a readable Word document "
         "(PackageNotFoundError). Open it in Word and save it again as .docx (Word 2007 or later)"),
    ]  # fmt: skip
    with pytest.raises(CorpusError, match=r"brukket\.docx: is not a readable Word document"):
        read_word_transcript(tmp_path / "brukket.docx")


VTT = """\
WEBVTT

NOTE laget med NB-Whisper

1
00:00:01.000 --> 00:00:04.500
<v Intervjuer>Hvordan kom du til Vågå?</v>

2
00:00:05.000 --> 00:00:08.250
<v Amina Hassan>Vi kom i 2019, først til Otta.</v>

3
00:00:08.250 --> 00:01:11.040
<v.sakte Amina Hassan>Så fikk jeg praksis
på sykehjemmet.</v>

4
00:01:11.500 --> 00:01:13.000
<v Intervjuer>Og nå?</v>
"""


def test_vtt_voice_tags_give_speakers_and_cues_of_one_speaker_merge(tmp_path: Path) -> None:
    transcript = read_webvtt_transcript(write_text(tmp_path / "vaga_flyktning_05.vtt", VTT))
    assert transcript.format == "vtt"
    assert transcript.front_matter is None
    assert transcript.body == (
        "Intervjuer: Hvordan kom du til Vågå?\n"
        "Amina Hassan: Vi kom i 2019, først til Otta. Så fikk jeg praksis på sykehjemmet.\n"
        "Intervjuer: Og nå?\n"
    )
    assert [(t.speaker, t.start, t.end, t.start_time, t.end_time) for t in transcript.turns] == [
        ("Intervjuer", 12, 36, 1.0, 4.5),
        ("Amina Hassan", 51, 117, 5.0, 71.04),
        ("Intervjuer", 130, 136, 71.5, 73.0),
    ]
    written = ("Intervjuer: Hvordan kom du til Vågå?\n"  # the cues above, one line per speaker
               "Amina Hassan: Vi kom i 2019, først til Otta. Så fikk jeg praksis på sykehjemmet.\n"
               "Intervjuer: Og nå?\n")  # fmt: skip
    turns = [
        "Hvordan kom du til Vågå?",
        "Vi kom i 2019, først til Otta. Så fikk jeg praksis på sykehjemmet.",
        "Og nå?",
    ]
    assert [(t.start, t.end, t.text) for t in transcript.turns] == located(written, turns)


SRT = """\
1
00:00:00,500 --> 00:00:02,000
SPEAKER_00: Hvor lenge har dere hatt lærlinger?

2
00:00:02,400 --> 00:00:06,100
SPEAKER_01: I fem år. Den første kom fra Eritrea.

3
00:00:06,100 --> 00:00:07,900
[SPEAKER_01]: Han er fagarbeider nå.

4
00:00:08,000 --> 00:00:09,000
<i>Det er bra.</i>
"""


def test_srt_speaker_prefixes_and_unlabelled_cues_continue_the_turn(tmp_path: Path) -> None:
    transcript = read_srt_transcript(write_text(tmp_path / "lag.srt", SRT))
    assert transcript.body == (
        "SPEAKER_00: Hvor lenge har dere hatt lærlinger?\n"
        "SPEAKER_01: I fem år. Den første kom fra Eritrea. Han er fagarbeider nå. Det er bra.\n"
    )
    assert [(t.speaker, t.text, t.start_time, t.end_time) for t in transcript.turns] == [
        ("SPEAKER_00", "Hvor lenge har dere hatt lærlinger?", 0.5, 2.0),
        ("SPEAKER_01", "I fem år. Den første kom fra Eritrea. Han er fagarbeider nå. Det er bra.",
         2.4, 9.0),
    ]  # fmt: skip
    assert [(t.start, t.end) for t in transcript.turns] == [(12, 47), (60, 132)]


def test_cues_before_the_first_speaker_are_reported(tmp_path: Path) -> None:
    path = write_text(
        tmp_path / "x.srt",
        "1\n00:00:00,000 --> 00:00:01,000\n[musikk]\n\n"
        "2\n00:00:01,000 --> 00:00:02,000\nSPEAKER_00: Velkommen.\n",
    )
    transcript = read_srt_transcript(path)
    assert transcript.body == "[musikk]\nSPEAKER_00: Velkommen.\n"
    assert [t.text for t in transcript.turns] == ["Velkommen."]
    assert [str(p) for p in transcript.problems] == [
        f"{path}: 1 cue(s) before the first speaker label belong to no turn and are not coded. "
        "Start the first cue with a speaker, e.g. '<v SPEAKER_00>' or 'SPEAKER_00: '"
    ]


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("x.vtt", "00:00:01.000 --> 00:00:02.000\nHei\n", "is not a valid WebVTT file"),
        ("x.srt", "1\nikke en tid\nHei\n", "is not a valid SRT file"),
    ],
)
def test_a_malformed_subtitle_file_is_an_error(tmp_path: Path, name, text, message) -> None:
    path = write_text(tmp_path / name, text)
    with pytest.raises(CorpusError, match=message) as caught:
        load_corpus(path)
    assert str(caught.value).startswith(f"{path}: {message}")


def test_a_cue_with_two_voices_is_split_between_them(tmp_path: Path) -> None:
    path = write_text(
        tmp_path / "x.vtt",
        "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v I>Og skolen?</v> <v Inf>Den er fin.</v>\n",
    )
    transcript = read_webvtt_transcript(path)
    assert transcript.body == "I: Og skolen?\nInf: Den er fin.\n"
    assert [(t.speaker, t.text, t.start_time) for t in transcript.turns] == [
        ("I", "Og skolen?", 1.0),
        ("Inf", "Den er fin.", 1.0),
    ]
