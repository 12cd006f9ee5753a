"""Speaker labels as transcribers write them: time codes before, Markdown bold around."""

from __future__ import annotations

from pathlib import Path

from conftest import write_transcript
from mimres_cli.corpus import check_corpus, parse_turns

BODY = (
    "[00:00:05] I: Hva jobber du med?\n"
    "[00:01:09.5] Informant: Jeg jobber på hotellet.\n"
    "**I:** Og praksisplassen?\n"
    "**Daglig leder**: Den var bra.\n"
)


def test_time_codes_before_a_label_start_the_turn_and_give_its_time() -> None:
    turns = parse_turns(BODY)
    assert [(t.speaker, t.role, t.start_time) for t in turns[:2]] == [
        ("I", "interviewer", 5.0),
        ("Informant", "informant", 69.5),
    ]
    assert [BODY[t.start : t.end] for t in turns[:2]] == [
        "Hva jobber du med?",
        "Jeg jobber på hotellet.",
    ]


def test_bold_markdown_labels_are_labels() -> None:
    turns = parse_turns(BODY)
    assert [(t.speaker, t.text) for t in turns[2:]] == [
        ("I", "Og praksisplassen?"),
        ("Daglig leder", "Den var bra."),
    ]


def test_words_before_the_first_label_are_reported(tmp_path: Path) -> None:
    path = write_transcript(
        tmp_path,
        "a.md",
        "id: a\nmunicipality: Sel\ngroup: flyktning",
        "Intervju tatt opp i mai [pause].\nI: Hei.\nInformant: Hei.\n",
    )
    check = check_corpus(tmp_path)
    messages = [str(p) for p in check.problems if p.kind == "no-speaker"]
    assert messages == [
        f"{path}:6: 5 word(s) before the first speaker label belong to no turn and are not "
        "coded. Start the transcript with a speaker label such as 'Informant: '"
    ]
