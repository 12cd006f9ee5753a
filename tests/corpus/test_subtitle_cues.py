"""Cue timings as webvtt-py and srt read them: the well-formed cues a hand-written block scanner
gets wrong (identifiers that look like times, many hour digits, cue settings, cues without a
blank line between them), and the malformed ones it would accept (minutes over 59, `,` in
WebVTT), worked out by hand."""

from __future__ import annotations

from pathlib import Path

from transcript_files import write_text

from mimres_cli.corpus.subtitles import read_srt_transcript, read_webvtt_transcript

VTT = """\
WEBVTT Intervju 3
Kind: captions

STYLE
::cue { color: yellow }

NOTE laget med NB-Whisper,
over to linjer

1 av 2
00:00:01.000 --> 00:00:02.500 align:start position:10% line:0
<v Intervjuer>Hvordan går det?</v>

intervju-2
01:05.250 --> 01:07.000
<v.rolig Amina Hassan>Bra, takk.

100:00:00.000 --> 100:00:01.5 size:80%
<v Amina Hassan>Ja.
"""


def times(transcript) -> list[tuple[str, str, float | None, float | None]]:
    return [(t.speaker, t.text, t.start_time, t.end_time) for t in transcript.turns]


def test_vtt_identifiers_settings_and_long_hours_are_read_as_webvtt_defines_them(
    tmp_path: Path,
) -> None:
    path = write_text(tmp_path / "x.vtt", VTT)
    transcript = read_webvtt_transcript(path)
    assert transcript.body == "Intervjuer: Hvordan går det?\nAmina Hassan: Bra, takk. Ja.\n"
    # 01:05.250 has no hours: 65.25 s; 100 h = 360000 s; '.5' is 500 ms.
    assert times(transcript) == [
        ("Intervjuer", "Hvordan går det?", 1.0, 2.5),
        ("Amina Hassan", "Bra, takk. Ja.", 65.25, 360001.5),
    ]
    assert [str(p) for p in transcript.problems] == [
        f"{path}:18: cue has a time over 24 hours (100:00:00.000 --> 100:00:01.5 size:80%). "
        "Write the timing as '00:00:01.000 --> 00:00:04.000' (start before end); "
        "--strict makes this an error"
    ]


def test_vtt_timings_webvtt_refuses_are_warnings_and_keep_their_text(tmp_path: Path) -> None:
    path = write_text(
        tmp_path / "x.vtt",
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v I>Hei.\n\n"
        "00:75:00.000 --> 00:76:00.000\n<v Inf>Hallo.\n\n"  # minutes over 59
        "00:00:03,000 --> 00:00:04,000\n<v Inf>Ja.\n",  # ',' is SRT's separator
    )
    transcript = read_webvtt_transcript(path)
    assert times(transcript) == [("I", "Hei.", 1.0, 2.0), ("Inf", "Hallo. Ja.", 2.0, 2.0)]
    assert [(p.where.line, p.message) for p in transcript.problems] == [
        (6, "cue has a malformed timing line '00:75:00.000 --> 00:76:00.000' (its text is "
            "kept, with the time of the cue before it)"),
        (9, "cue has a malformed timing line '00:00:03,000 --> 00:00:04,000' (its text is "
            "kept, with the time of the cue before it)"),
    ]  # fmt: skip


def test_srt_indexes_coordinates_dot_separators_and_unseparated_cues(tmp_path: Path) -> None:
    path = write_text(
        tmp_path / "x.srt",
        "7\n00:00:01,000 --> 00:00:02,000 X1:40 X2:600 Y1:20 Y2:50\nSPEAKER_00: Hei.\n\n"
        "8\n00:00:02.500 --> 00:00:04.000\nSPEAKER_01: Hallo.\n"
        "9\n00:00:04,000 --> 00:00:05,250\nSPEAKER_01: Ja.\n\n"  # no blank line before 9
        "10\n00:00:06,000 --> 00:00:05,000\nSPEAKER_00: Godt.\n",
    )
    transcript = read_srt_transcript(path)
    assert transcript.body == "SPEAKER_00: Hei.\nSPEAKER_01: Hallo. Ja.\nSPEAKER_00: Godt.\n"
    assert times(transcript) == [
        ("SPEAKER_00", "Hei.", 1.0, 2.0),
        ("SPEAKER_01", "Hallo. Ja.", 2.5, 5.25),
        ("SPEAKER_00", "Godt.", 6.0, 5.0),
    ]
    assert [(p.where.line, p.message) for p in transcript.problems] == [
        (13, "cue ends before it starts (00:00:06,000 --> 00:00:05,000)")
    ]
