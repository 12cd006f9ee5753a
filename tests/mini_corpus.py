"""A four-interview corpus whose findings were counted by hand (see test_foundation.py)."""

from __future__ import annotations

from pathlib import Path

from conftest import write_codebook, write_transcript

MINI_CODEBOOK = """
codebook: mini
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
        terms: ["*praksis", praksisplass]
  - id: sprak
    label: Språk
    codes:
      - id: opplaering
        label: Norskopplæring
        terms: ["*opplæring", norskkurs]
  - id: moteplass
    label: Møteplasser
    terms: [møteplass]
  - id: humor
    label: Humor
    terms: [le]
"""


def write_mini_corpus(folder: Path) -> tuple[Path, Path]:
    """Write the corpus and its codebook into `folder`; return (corpus folder, codebook)."""
    corpus = folder / "corpus"
    corpus.mkdir()
    write_transcript(
        corpus,
        "a.md",
        "id: a\nmunicipality: Sel\ngroup: flyktning",
        """\
        I: Har du jobb nå?
        Informant: Ja, e ... jeg jobber på hotellet,
        og praksisplassen var fin.
        I: Og norskopplæringen?
        Informant: Norskopplæringen (...) var bra.
        """,
    )
    write_transcript(
        corpus,
        "b.md",
        "id: b\nmunicipality: Sel\ngroup: arbeidsgiver",
        """\
        I: Har dere tatt inn folk i språkpraksis?
        Daglig leder: Ja, to i språkpraksis. # Arbeidsgiverne her er positive.
        """,
    )
    write_transcript(
        corpus,
        "c.md",
        "id: c\nmunicipality: Vågå\ngroup: flyktning",
        """\
        INT: Savner du noe?
        inf_03gk: Jeg savner møteplasser.
        """,
    )
    write_transcript(
        corpus,
        "d.md",
        "id: d\nmunicipality: Vågå\ngroup: arbeidsgiver",
        """\
        I: Hva driver dere med?
        Daglig leder: Vi driver med sau (ler).
        Daglig leder: Og litt turisme.
        """,
    )
    codebook = write_codebook(folder, MINI_CODEBOOK, "mini.yaml")
    return corpus, codebook
