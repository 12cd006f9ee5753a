"""Language per interview: Bokmål, Nynorsk or mixed, detected or given in the metadata."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import write_transcript
from mimres_cli.corpus import check_corpus
from mimres_cli.corpus.language import detect_language
from mimres_cli.corpus.table import corpus_tables


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("eg har ikkje fått praksisplass", "nn"),
        ("kva gjer du no", "nn"),
        ("jeg har ikke fått praksisplass", "nb"),
        ("hva gjør du nå", "nb"),
        ("eg har ikke fått noe praksisplass", "mixed"),  # eg / ikke, noe
        ("ja det har vi", ""),  # spelt alike in both: no marker
    ],
)
def test_detect_language_on_short_turns(text: str, language: str) -> None:
    assert detect_language([text]) == language


def test_the_interviews_table_has_the_language_and_metadata_overrides_it(tmp_path: Path) -> None:
    front = "id: {id}\nmunicipality: Vågå\ngroup: flyktning"
    write_transcript(tmp_path, "a.md", front.format(id="a"), "A: Eg trur ikkje det.\n")
    write_transcript(tmp_path, "b.md", front.format(id="b"), "A: Jeg tror ikke det.\n")
    write_transcript(tmp_path, "c.md", front.format(id="c") + "\nlanguage: nynorsk",
                     "A: Jeg tror ikke det.\n")  # fmt: skip
    table = corpus_tables(check_corpus(tmp_path))["interviews"]
    assert dict(zip(table["id"], table["language"], strict=True)) == {
        "a": "nn", "b": "nb", "c": "nn"}  # fmt: skip
