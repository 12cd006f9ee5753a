"""Encodings, NFC, line endings, mojibake: æ, ø, å survive every path, or the file is reported."""

from __future__ import annotations

from pathlib import Path

import pytest
from transcript_files import write_text

from mimres_cli.corpus import check_corpus, decode_text, find_mojibake, load_corpus
from mimres_cli.errors import CorpusError

TEXT = "Inf: Jeg lærer norsk – «kjøkken», “blåbær” og smørbrød på Vågå.\n"
FRONT = "---\nid: x\nmunicipality: Vågå\ngroup: flyktning\n---\n"


@pytest.mark.parametrize(
    ("encoding", "reported"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("utf-16", "utf-16"),  # with a BOM, as Notepad writes it
        ("utf-16-le", "utf-16-le"),  # without one
        ("cp1252", "cp1252"),
    ],
)
def test_decode_text_reads_every_encoding_transcripts_come_in(encoding, reported) -> None:
    decoded = decode_text(TEXT.encode(encoding))
    assert decoded.text == TEXT
    assert decoded.encoding == reported


def test_latin1_without_windows_characters_decodes_the_same() -> None:
    text = "Inf: Æ bor på Skåbu, og kjøkkenet er lite.\n"
    assert decode_text(text.encode("latin-1")).text == text


def test_line_endings_and_decomposed_letters_are_normalised() -> None:
    decomposed = "Inf: Det gikk bra pa\u030a Va\u030aga\u030a.\r\nI: Ja?\r"
    assert decode_text(decomposed.encode("utf-8")).text == "Inf: Det gikk bra på Vågå.\nI: Ja?\n"


def test_a_windows_1252_file_loads_and_is_reported_as_not_utf8(tmp_path: Path) -> None:
    path = write_text(tmp_path / "x.txt", FRONT + TEXT, encoding="cp1252", newline="\r\n")
    check = check_corpus(tmp_path)
    interview = check.interviews[0]
    assert interview.body == TEXT
    assert interview.turns[0].text == TEXT[5:-1]
    assert interview.metadata["municipality"] == "Vågå"
    assert interview.encoding == "cp1252"
    assert [(p.kind, p.severity, str(p)) for p in check.problems] == [
        ("not-utf8", "notice", f"{path}: is Windows-1252, not UTF-8 (decoded and normalised). "
         "Save it as UTF-8 so every tool reads it the same"),
    ]  # fmt: skip


def test_a_utf8_bom_file_loads_without_a_notice(tmp_path: Path) -> None:
    write_text(tmp_path / "x.md", FRONT + TEXT, encoding="utf-8-sig", newline="\r\n")
    check = check_corpus(tmp_path)
    assert check.problems == ()
    assert check.interviews[0].body == TEXT
    assert check.interviews[0].id == "x"  # the BOM did not end up in the first key


def test_find_mojibake_names_the_line_and_the_meant_letter() -> None:
    assert find_mojibake("Hei\nJeg bor pÃ¥ Otta, kjÃ¸kken og Ã¦.\n") == [
        (2, "Ã¥", "å"),
        (2, "Ã¸", "ø"),
        (2, "Ã¦", "æ"),
    ]
    assert find_mojibake("Det var â€“ sÃ¥nn.") == [(1, "â€“", "–"), (1, "Ã¥", "å")]
    # Trøndersk "Æ" (jeg) in curly quotes, Å before an ellipsis: letters, not mojibake.
    assert find_mojibake("Åse, Ørnulf og Ærlige Ål – «sånn». “Æ” sa han. Å… ja.") == []


def test_a_mojibake_file_is_an_error_not_coded(tmp_path: Path) -> None:
    path = write_text(tmp_path / "x.md", FRONT + "I: Hei\nInf: Jeg bor pÃ¥ Otta, kjÃ¸kken.\n")
    message = (
        f"{path}:7: has 2 double-encoded character(s), e.g. 'Ã¥' for 'å'. It was saved as "
        "UTF-8 and read back as Windows-1252 somewhere: export it again from the original, "
        "or repair it (e.g. with ftfy) before coding"
    )
    assert [str(p) for p in check_corpus(tmp_path).errors] == [message]
    with pytest.raises(CorpusError) as caught:
        load_corpus(tmp_path)
    assert str(caught.value) == message
