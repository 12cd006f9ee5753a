"""KWIC finds what a codebook term would code: inflections, compounds by glob, phrases."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import write_transcript
from mimres_cli.coding.kwic import kwic, kwic_counts, sort_kwic, term_matcher, with_codes
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


def _lines(left: list[str], right: list[str], match: list[str] | None = None) -> pd.DataFrame:
    """Concordance lines in corpus order: interview i0, i1, … each matching at offset 100."""
    n = len(left)
    return pd.DataFrame({"interview_id": [f"i{k}" for k in range(n)], "start": [100] * n,
                         "end": [104] * n, "left": left, "match": match or ["jobb"] * n,
                         "right": right})  # fmt: skip


def test_sort_left_by_the_nearest_words_in_norwegian_order() -> None:
    # Nearest left words: Zebra, ål, Ærlig, øl, apen, and "i" twice (then bor < jobber).
    hits = _lines(["en Zebra ", "et ål ", "Ærlig ", "på øl ", "apen ", "jobber i ", "bor i "],
                  [""] * 7)  # fmt: skip
    ordered = sort_kwic(hits, "left")
    # Code point order would put å before æ and ø, and capitals first: a … z æ ø å here.
    assert list(ordered["interview_id"]) == ["i4", "i6", "i5", "i0", "i2", "i3", "i1"]
    # No two lines tie, so the order does not depend on the order they came in.
    assert list(sort_kwic(hits.iloc[::-1], "left")["interview_id"]) == list(ordered["interview_id"])


def test_sort_right_by_the_following_words_then_the_match_then_corpus_order() -> None:
    hits = _lines([""] * 5, [" på Ål", " på Øyer", " på øya", ", men", " på Øyer"],
                  match=["jobb", "jobben", "jobb", "jobb", "jobb"])  # fmt: skip
    # ", men" has no punctuation in its key: men < på; Øyer/øya by letters (øya < øyer),
    # then i4 "jobb" before i1 "jobben" (the matched form), Ål last.
    assert list(sort_kwic(hits, "right")["interview_id"]) == ["i3", "i2", "i4", "i1", "i0"]
    assert list(sort_kwic(hits)["interview_id"]) == ["i0", "i1", "i2", "i3", "i4"]


def test_with_codes_and_sort_by_code_in_codebook_order_uncoded_last() -> None:
    hits = _lines([""] * 4, [""] * 4).assign(interview_id=["a", "a", "b", "b"],
                                            start=[5, 50, 5, 70])  # fmt: skip
    segments = pd.DataFrame({
        "interview_id": ["a", "a", "a", "b", "b"],
        "start": [0, 0, 40, 0, 60], "end": [20, 20, 60, 20, 70],
        "code": ["bolig", "arbeid/jobb", "bolig", "arbeid/jobb", "bolig"],
    })  # fmt: skip
    order = ["arbeid", "arbeid/jobb", "bolig"]
    coded = with_codes(hits, segments, order)
    # b's second match starts where its unit [60, 70) ends: in no coded unit.
    assert list(coded["codes"]) == ["arbeid/jobb; bolig", "bolig", "arbeid/jobb", ""]
    ordered = sort_kwic(coded, "code", order)
    assert list(zip(ordered["interview_id"], ordered["start"], strict=True)) == [
        ("b", 5), ("a", 5), ("a", 50), ("b", 70)]  # fmt: skip


def test_sort_by_code_needs_the_codes_of_a_results_folder() -> None:
    with pytest.raises(MimresError, match="needs the codes of a results folder"):
        sort_kwic(_lines(["a "], [""]), "code")
