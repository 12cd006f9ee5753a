"""The Nynorsk and dialect stop words, and a project's list that extends the shipped ones."""

from __future__ import annotations

from pathlib import Path

from mimres_cli.findings.words import load_stopwords


def test_shipped_lists_hold_nynorsk_and_dialect_function_words() -> None:
    stop = load_stopwords()
    assert {"eg", "ikkje", "ifrå", "ifra", "lissom", "sjø", "då", "kva", "kor", "fall"} <= stop
    assert {"jeg", "ikke"} <= stop  # the Bokmål list is still there
    assert not {"jobb", "skule", "arbeidsgjevar", "heim"} & stop  # content words are counted


def test_a_project_list_replaces_or_with_at_shipped_extends(tmp_path: Path) -> None:
    own = tmp_path / "stop.txt"
    own.write_text("bygda\n", encoding="utf-8")
    assert load_stopwords(own) == {"bygda"}
    own.write_text("@shipped\nbygda  # our village\n", encoding="utf-8")
    extended = load_stopwords(own)
    assert {"bygda", "eg", "jeg"} <= extended
    assert "@shipped" not in extended
