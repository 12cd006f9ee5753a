"""The shipped codebook's sense rules on Norwegian sentences (codebooks/integrering.yaml).

Each expectation was worked out by hand from the theme's definition: a word named in passing
does not code its theme, two words of the theme in one sentence do, and an idiom in which the
word has another sense does not count.
"""

from __future__ import annotations

from pathlib import Path

from conftest import write_transcript
from mimres_cli.codebook import compile_codebooks, load_codebook
from mimres_cli.coding import code_interviews
from mimres_cli.corpus import load_corpus
from mimres_cli.nlp import parse_interviews

SHIPPED = Path(__file__).resolve().parents[2] / "codebooks" / "integrering.yaml"
FRONT = "id: sel_flyktning_01\nmunicipality: Sel\ngroup: flyktning"
THEMES = ("familie_skole", "bosted", "frivillighet", "moteplasser_fritid")


def coded(tmp_path: Path, pipeline, *lines: str) -> dict[int, set[str]]:
    """Unit index → codes of THEMES given to it by the shipped codebook (informant lines)."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    body = "".join(f"Informant: {line}\n" for line in lines)
    write_transcript(corpus, "sel_flyktning_01.md", FRONT, body)
    matcher = compile_codebooks([load_codebook(SHIPPED)])
    segments = code_interviews(parse_interviews(load_corpus(corpus), pipeline), matcher).segments
    found: dict[int, set[str]] = {index: set() for index in range(len(lines))}
    for row in segments.itertuples():
        if str(row.code).split("/")[0] in THEMES:
            found[int(row.unit_index)].add(str(row.code))
    return found


def test_passing_words_and_idioms_do_not_code(tmp_path: Path, fallback_pipeline) -> None:
    found = coded(
        tmp_path,
        fallback_pipeline,
        "Foreldrene kom på skolen hver uke.",  # two weak words of the theme in one sentence
        "Vi møttes ved skolen.",  # a school named in passing
        "Hele familien var der den dagen.",  # ... and a family
        "Det er frivillig om de vil komme.",  # frivillig as optional
        "Fordelen med å bo her er at alt er nært.",  # where one lives, not staying
        "Vi har bestemt oss for å bli boende.",
        "De økonomiske soner ble avtalt.",  # soner (zones) is no form of sønn
        "Det må være trening og opplæring for de ansatte.",  # training, not leisure
        "Frivillige fra Røde Kors hjelper oss.",
    )
    assert found == {
        0: {"familie_skole"},
        1: set(),
        2: set(),
        3: set(),
        4: set(),
        5: {"bosted/bli_boende"},
        6: set(),
        7: set(),
        8: {"frivillighet/frivillig_innsats", "frivillighet/frivillige_organisasjoner"},
    }
