"""KWIC finds what a codebook term would code: inflections, compounds by glob, phrases."""

from __future__ import annotations

import pytest

from conftest import write_transcript
from mimres_cli.coding.kwic import kwic, kwic_counts, term_matcher
from mimres_cli.corpus import load_corpus
from mimres_cli.errors import MimresError
from mimres_cli.nlp import parse_interviews


@pytest.fixture(scope="module")
def parsed(tmp_path_factory, fallback_pipeline):
    folder = tmp_path_factory.mktemp("kwic")
    write_transcript(
        folder,
        "a.md",
        "id: a\nmunicipality: Sel\ngroup: flyktning",
        """\
        I: Har du jobb nå?
        Informant: Ja, jeg fikk jobben i fjor. Før det var norskopplæringen viktig.
        Nå jobber jeg, og sommerjobben var fin.
        """,
    )
    write_transcript(
        folder,
        "b.md",
        "id: b\nmunicipality: Vågå\ngroup: arbeidsgiver",
        """\
        I: Hva med opplæring?
        Daglig leder: Vi har jobber til alle. Opplæringa tar tid,
        men fast jobb får de fleste.
        """,
    )
    corpus = load_corpus(folder)
    return corpus, list(parse_interviews(corpus, fallback_pipeline))


def test_kwic_finds_inflected_forms_of_a_lemma_in_informant_turns(parsed) -> None:
    corpus, docs = parsed
    hits = kwic(docs, "jobb", width=12)  # "Ja, jeg fikk " is 13 characters
    # jobben (noun, definite), jobber (verb present and noun plural) and the bare form;
    # the interviewer's "jobb" is not searched, and the compound sommerjobben needs a glob.
    assert list(hits["match"]) == ["jobben", "jobber", "jobber", "jobb"]
    assert list(hits["interview_id"]) == ["a", "a", "b", "b"]
    first = hits.iloc[0]
    assert first["left"] == "a, jeg fikk "
    assert first["right"] == " i fjor. Før"
    # Offsets against the raw files: where each hit stands, found by its words around it.
    raw = {item.id: item.path.read_text(encoding="utf-8").split("---\n", 2)[2] for item in corpus}
    located = [("a", "fikk jobben", "jobben"), ("a", "Nå jobber", "jobber"),
               ("b", "har jobber", "jobber"), ("b", "fast jobb", "jobb")]  # fmt: skip
    expected = []
    for interview, words, match in located:
        start = raw[interview].index(words) + words.index(match)
        expected.append((interview, start, start + len(match)))
    assert list(zip(hits["interview_id"], hits["start"], hits["end"], strict=True)) == expected


def test_kwic_glob_finds_compounds(parsed) -> None:
    _, docs = parsed
    assert list(kwic(docs, "*jobb")["match"]) == ["jobben", "jobber", "sommerjobben", "jobber",
                                                   "jobb"]  # fmt: skip
    assert list(kwic(docs, "*opplæring")["match"]) == ["norskopplæringen", "Opplæringa"]


def test_kwic_phrases_roles_and_counts(parsed) -> None:
    _, docs = parsed
    assert list(kwic(docs, "fast jobb")["match"]) == ["fast jobb"]
    everyone = kwic(docs, "jobb", roles=None)
    assert list(everyone["role"]).count("interviewer") == 1
    counts = kwic_counts(kwic(docs, "jobb"), "municipality")
    assert counts.to_dict(orient="list") == {
        "municipality": ["Sel", "Vågå"],
        "matches": [2, 2],
        "interviews": [1, 1],
        "forms": ["jobben; jobber", "jobb; jobber"],
    }


def test_kwic_context_does_not_cross_lines_into_labels(parsed) -> None:
    _, docs = parsed
    hit = kwic(docs, "*opplæring", width=200).iloc[1]
    assert "Daglig leder" not in hit["left"]
    assert "\n" not in hit["right"]


@pytest.mark.parametrize("term", ["*", "* *", "jo*bb"])
def test_term_matcher_rejects_terms_a_codebook_would_reject(term: str) -> None:
    with pytest.raises(MimresError, match="term"):
        term_matcher(term)
