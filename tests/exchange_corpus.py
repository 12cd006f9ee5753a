"""A tiny corpus for the REFI-QDA exchange tests: emoji, æøå, CRLF input and an empty interview."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import write_codebook, write_transcript

REPO = Path(__file__).resolve().parents[1]
SPECS = REPO / ".." / "shared" / "specs" / "refi-qda"

EXCHANGE_CODEBOOK = """
codebook: utveksling
language: nb
codes:
  - id: arbeid
    label: Arbeid
    definition: Jobb og arbeidsliv.
    when_to_use: Når noen snakker om egen jobb.
    when_not_to_use: Ikke for skole & kurs <norsk>.
    examples: ["Jeg jobber på hotellet.", "Hun fikk praksis."]
    codes:
      - id: jobb
        label: Jobb
        terms: [jobb, jobbe]
      - id: praksis
        label: Praksis
        definition: Praksisplass i en bedrift.
        terms: ["praksis*"]
  - id: sprak
    label: Språk og kurs
    terms: ["norsk*"]
"""

FRONT = """
id: {id}
municipality: {municipality}
group: {group}
age: {age}
new_arrival: {new}
score: {score}
interview_date: 2024-03-0{day}
"""


def write_exchange_corpus(folder: Path) -> tuple[Path, Path]:
    """Three interviews (emoji and æøå; CRLF line ends; no body at all) and a codebook."""
    corpus = folder / "corpus"
    corpus.mkdir()
    write_transcript(
        corpus, "vaga_01.md",
        FRONT.format(id="vaga_01", municipality="Vågå", group="flyktning", age=34,
                     new="true", score=1.5, day=1),
        """
        I: Hvordan går det på jobben?
        Informant: Bra 😅 jeg har fått jobb på hotellet. Sjefen er snill.
        I: Og norsken?
        Informant: Norskkurset er bra 👍🏽, og æøå er lett nå.
        """,
    )  # fmt: skip
    crlf = (
        "---\r\nid: sel_02\r\nmunicipality: Sel\r\ngroup: arbeidsgiver\r\nage: 51\r\n"
        "new_arrival: false\r\nscore: 2\r\ninterview_date: 2024-03-02\r\n---\r\n"
        "I: Har dere praksisplasser?\r\n"
        "Daglig leder: Ja, vi har hatt praksis for tre.\r\nDe ville jobbe her etterpå.\r\n"
    )
    (corpus / "sel_02.txt").write_bytes(crlf.encode("utf-8"))
    write_transcript(
        corpus, "nordre_land_03.md",
        FRONT.format(id="nordre_land_03", municipality="Nordre Land", group="hjelpeapparat",
                     age=40, new="false", score=0.25, day=3),
        "",
    )  # fmt: skip
    return corpus, write_codebook(folder, EXCHANGE_CODEBOOK)


def code_to_results(corpus: Path, codebook: Path, out: Path) -> Path:
    """Code `corpus` with `codebook` and write the results folder `out`."""
    return code_to_results_with(corpus, codebook, out)


def code_to_results_with(corpus: Path, codebook: Path, out: Path, **options) -> Path:
    """Code `corpus` with `codebook` and `options` of `code`; write the results `out`."""
    from mimres_cli.workflow import code

    code(corpus, [codebook], **options).write(out)
    return out


def schema(name: str):
    """The official XSD `name` from ../shared/specs/refi-qda, or skip when ../shared is absent."""
    import xmlschema

    path = SPECS / name
    if not path.is_file():
        pytest.skip(f"the REFI-QDA schemas are not at {SPECS.resolve()} (../shared is absent)")
    return xmlschema.XMLSchema(str(path))


_CODED: dict[str, object] = {}


def exchange_results_once(tmp_path_factory) -> tuple[Path, Path, Path]:
    """(corpus, codebook, results folder) of the exchange corpus, coded once per session.

    Test modules wrap this in a fixture of their own (a conftest in a sub-folder would shadow
    tests/conftest.py, whose helpers the tests import by name).
    """
    if "exchange" not in _CODED:
        folder = tmp_path_factory.mktemp("exchange")
        corpus, codebook = write_exchange_corpus(folder)
        _CODED["exchange"] = (
            corpus,
            codebook,
            code_to_results(corpus, codebook, folder / "results"),
        )
    return _CODED["exchange"]  # type: ignore[return-value]


def sample_results_once(tmp_path_factory) -> Path:
    """The sample corpus coded with codebooks/integrering.yaml, once per session."""
    if "sample" not in _CODED:
        out = tmp_path_factory.mktemp("sample") / "results"
        _CODED["sample"] = code_to_results(
            REPO / "sample_interviews", REPO / "codebooks" / "integrering.yaml", out
        )
    return _CODED["sample"]  # type: ignore[return-value]
