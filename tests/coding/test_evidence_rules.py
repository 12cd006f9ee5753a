"""Evidence rules on Norwegian sentences: thresholds, weak cues, scope, idiom vetoes, question
context, and the evidence span a segment carries.

Built-in pipeline: its sentencizer ends a sentence at . ! ? and nowhere else, so an
unpunctuated turn is one sentence. Unit indices count every turn, interviewer turns included.
Offsets are characters of the interview body, which starts with the first speaker label.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from conftest import REFUGEE_FRONT, code_one, write_codebook, write_transcript
from conftest import segment_rows as rows
from mimres_cli.codebook import compile_codebooks, load_codebook
from mimres_cli.coding import code_interviews
from mimres_cli.corpus import load_corpus
from mimres_cli.nlp import parse_interviews

FRONT = REFUGEE_FRONT


def coded(tmp_path: Path, pipeline, rules: str, body: str, *, explain: str = ""):
    """One interview with `body` coded with one code `arbeid` of `rules` (see `code_one`)."""
    return code_one(tmp_path, pipeline, "arbeid", rules, body, explain=explain)


TWO_SENTENCES = "Informant: Jeg har en jobb. Lønnen er god.\n"
PATTERNS = ("    terms: [lønn]\n    patterns:\n      - [{LEMMA: jobbe}, {LOWER: i}]\n"
            "      - [{LOWER: {IN: [jobber, jobbet]}}, {LOWER: i}]\n")  # fmt: skip
ONE_SENTENCE = "Informant: Jobben gir god lønn.\n"


@pytest.mark.parametrize(
    ("rules", "body", "expected"),
    [
        # min_hits 2 in the unit: "jobb" + "Lønnen" in two sentences is enough
        ("    terms: [jobb, lønn]\n    min_hits: 2\n", TWO_SENTENCES, ["jobb; Lønnen"]),
        # ... not within one sentence: one hit in each
        ("    terms: [jobb, lønn]\n    min_hits: 2\n    scope: sentence\n", TWO_SENTENCES, []),
        ("    terms: [jobb, lønn]\n    min_hits: 2\n    scope: sentence\n", ONE_SENTENCE,
         ["Jobben; lønn"]),
        # min_terms counts distinct terms: "jobb" twice is one
        ("    terms: [jobb, lønn]\n    min_terms: 2\n", "Informant: Jobb og atter jobb.\n", []),
        ("    terms: [jobb, lønn]\n    min_hits: 2\n", "Informant: Jobb og atter jobb.\n",
         ["Jobb; jobb"]),
        # the defaults change nothing: one hit codes
        ("    terms: [jobb, lønn]\n", TWO_SENTENCES, ["jobb; Lønnen"]),
        # a word counts once: "kuttet" is matched by both kutt and kutte, one word, one term
        ("    terms: [kutt, kutte]\n    min_terms: 2\n", "Informant: Timene ble kuttet.\n", []),
        # ... two words, each with a term of its own, are two: kutt for "kuttet", kutte for
        # "kutte"
        ("    terms: [kutt, kutte]\n    min_terms: 2\n",
         "Informant: De kuttet timene og vil kutte mer.\n", ["kuttet; kutte"]),
        # Nynorsk equivalents: skule finds "skolen" as skole does, so "skolen" is one term
        ("    terms: [skole, skule]\n    min_terms: 2\n", "Informant: Ho går på skolen.\n", []),
        ("    terms: [skole, skule]\n    min_terms: 2\n",
         "Informant: Skulen er ny og skolen er stor.\n", ["Skulen; skolen"]),
        # two token patterns on "jobber i" are one word's evidence; "jobber" with "lønn" is two
        (PATTERNS + "    min_terms: 2\n", "Informant: Han jobber i butikken.\n", []),
        (PATTERNS + "    min_terms: 2\n", "Informant: Han jobber i butikken for lønn.\n",
         ["jobber i; lønn"]),
    ],
)  # fmt: skip
def test_threshold_met_and_not_met(
    tmp_path: Path, fallback_pipeline, rules: str, body: str, expected: list[str]
) -> None:
    segments = coded(tmp_path, fallback_pipeline, rules, body)
    assert list(segments["matched"]) == expected


WEAK = "    terms: [jobb]\n    weak_terms: [sjef, kollega]\n"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Informant: Sjefen var grei.\n", []),  # one weak cue alone: not coded
        ("Informant: Sjefen var grei, og sjefen var rettferdig.\n", []),  # the same cue twice
        ("Informant: Sjefen på jobben var grei.\n", [("Sjefen; jobben", "weak; term")]),
        ("Informant: Sjefen og kollegaene var greie.\n", [("Sjefen; kollegaene", "weak")]),
    ],
)
def test_weak_cue_alone_and_with_a_term(
    tmp_path: Path, fallback_pipeline, body: str, expected: list
) -> None:
    segments = coded(tmp_path, fallback_pipeline, WEAK, body)
    assert rows(segments, "matched", "rule") == expected


def test_a_term_inside_a_longer_weak_term_still_codes(tmp_path: Path, fallback_pipeline) -> None:
    # "fast jobb" is one occurrence shown by the longer weak term, but the term jobb matched
    # in it: adding a weak term never takes a code away from a unit its terms code alone
    rules = "    terms: [jobb]\n    weak_terms: [(fast) jobb, fast kontrakt]\n"
    segments = coded(tmp_path, fallback_pipeline, rules, "Informant: Jeg har fast jobb.\n")
    assert rows(segments, "matched", "rule") == [("fast jobb; jobb", "weak; term")]
    # a weak term alone, the same on its own word, is still not enough
    assert coded(tmp_path, fallback_pipeline, rules, "Informant: Fast kontrakt.\n").empty


def test_sentence_scope_does_not_join_words_across_a_sentence_boundary(
    tmp_path: Path, fallback_pipeline
) -> None:
    body = "Informant: Sjefen min heter Ola. Jobben er på Otta.\n"
    assert list(coded(tmp_path, fallback_pipeline, WEAK, body)["matched"]) == ["Sjefen; Jobben"]
    scoped = coded(tmp_path, fallback_pipeline, WEAK + "    scope: sentence\n", body)
    # "Jobben" alone codes its own sentence; the weak "Sjefen" in the first one does not count
    assert rows(scoped, "matched", "rule", "evidence") == [("Jobben", "term", "Jobben er på Otta.")]
    only_weak = "    terms: [lønn]\n    weak_terms: [sjef, jobb]\n    scope: sentence\n"
    assert coded(tmp_path, fallback_pipeline, only_weak, body).empty


def test_words_scope_in_an_unpunctuated_turn(tmp_path: Path, fallback_pipeline) -> None:
    # One sentence of 15 words: vi(0) kom hit i tjueseksten og(5) nå jobber(7) jeg på(9)
    # sagbruket(10) og det er fint(14)
    body = "Informant: vi kom hit i tjueseksten og nå jobber jeg på sagbruket og det er fint\n"
    rules = "    terms: [jobbe]\n    weak_terms: [kom, fin]\n    scope: {words: 5}\n"
    segments = coded(tmp_path, fallback_pipeline, rules, body)
    # the weak cues "kom" (1) and "fint" (14) are each within 5 words of nothing else, but
    # "jobber" is a term: evidence is its 5-word window, words 5 to 9
    assert rows(segments, "matched", "evidence") == [("jobber", "og nå jobber jeg på")]
    body_start = len("Informant: ") + len("vi kom hit i tjueseksten ")
    assert rows(segments, "evidence_start", "evidence_end") == [(body_start, body_start + 19)]
    weak_only = "    terms: [lønn]\n    weak_terms: [kom, fin]\n    scope: {words: 5}\n"
    assert coded(tmp_path, fallback_pipeline, weak_only, body).empty
    # "kom" (1) to "fint" (14) are 14 words, both ends included
    assert coded(tmp_path, fallback_pipeline, weak_only.replace("5}", "13}"), body).empty
    wide = coded(tmp_path, fallback_pipeline, weak_only.replace("5}", "14}"), body)
    assert rows(wide, "matched", "evidence") == [("kom; fint", body[14:-1])]


VETO = "    terms: [jobbe, praksis]\n    not_phrases: ['jobbe med saken', 'i praksis']\n"


def test_a_veto_idiom_drops_its_hit_and_keeps_the_word_in_another_sentence(
    tmp_path: Path, fallback_pipeline
) -> None:
    body = (
        "Informant: Departementet jobber med saken.\n"
        "Informant: Departementet jobber med saken. Selv jobber jeg på sagbruket.\n"
        "Informant: I praksis går det greit. Han hadde praksis på verkstedet.\n"
    )
    segments = coded(tmp_path, fallback_pipeline, VETO, body)
    assert rows(segments, "unit_index", "matched", "evidence") == [
        (1, "jobber", "Selv jobber jeg på sagbruket."),
        (2, "praksis", "Han hadde praksis på verkstedet."),
    ]
    first, second, _ = coded(tmp_path, fallback_pipeline, VETO, body, explain="arbeid")
    assert second.evidence == "Selv jobber jeg på sagbruket."
    assert not first.verdict.applies
    assert first.verdict.reason == (
        "no hit counts: in the idiom 'jobbe med saken' ('jobber med saken', not_phrases)"
    )


def test_not_near_drops_a_hit_with_the_word_close_by(tmp_path: Path, fallback_pipeline) -> None:
    rules = "    terms: [jobbe]\n    not_near: {terms: [sak], within: 3}\n"
    body = (
        "Informant: Vi jobber med den saken.\n"  # saken is 3 words after jobber
        "Informant: Vi jobber på sagbruket, og saken er en annen.\n"  # 5 words
    )
    segments = coded(tmp_path, fallback_pipeline, rules, body)
    assert list(segments["unit_index"]) == [1]


QUESTION = (
    "I: Hvordan var det å jobbe på sagbruket?\n"  # turn 0: a question about work
    "Informant: Ja, det var tungt.\n"  # 1: the answer
    "I: Ja, akkurat.\n"  # 2: a backchannel, not a new question
    "Informant: Og kaldt om vinteren.\n"  # 3: still the answer
    "I: Hvor bodde dere da?\n"  # 4: a new question, not about work
    "Informant: I en leilighet.\n"  # 5
)


def test_question_context_codes_the_answer(tmp_path: Path, fallback_pipeline) -> None:
    rules = "    terms: [jobbe, sagbruk]\n    question_context: true\n"
    segments = coded(tmp_path, fallback_pipeline, rules, QUESTION)
    assert rows(segments, "unit_index", "rule", "matched", "context_turn", "evidence") == [
        (1, "question", "jobbe; sagbruket", 0, "Ja, det var tungt."),
        (3, "question", "jobbe; sagbruket", 0, "Og kaldt om vinteren."),
    ]
    assert coded(tmp_path, fallback_pipeline, "    terms: [jobbe, sagbruk]\n", QUESTION).empty
    vetoed = coded(tmp_path, fallback_pipeline, rules + "    not_terms: [kald]\n", QUESTION)
    assert list(vetoed["unit_index"]) == [1]  # "kaldt" vetoes the code in unit 3
    explained = coded(tmp_path, fallback_pipeline, rules, QUESTION, explain="arbeid")
    assert explained[1].verdict is not None and explained[1].verdict.question_turn == 0
    assert explained[5].verdict is None


def test_question_context_from_defaults_and_an_answer_with_its_own_hit(
    tmp_path: Path, fallback_pipeline
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    body = "I: Hvordan var det å jobbe på sagbruket?\nInformant: Jeg jobbet der i to år.\n"
    write_transcript(corpus, "sel_flyktning_01.md", FRONT, body)
    book = write_codebook(
        tmp_path,
        "defaults:\n  question_context: true\n"
        "codes:\n  - id: arbeid\n    terms: [jobbe]\n  - id: sted\n    terms: [sagbruk]\n",
    )
    matcher = compile_codebooks([load_codebook(book)])
    segments = code_interviews(parse_interviews(load_corpus(corpus), fallback_pipeline), matcher)
    assert rows(segments.segments, "code", "rule", "matched", "context_turn") == [
        ("arbeid", "term", "jobbet", pd.NA),
        ("sted", "question", "sagbruket", 0),
    ]


def test_leite_is_not_leie(tmp_path: Path, fallback_pipeline) -> None:
    body = "Informant: Barna lekte gjemme og leite.\nInformant: Vi leier en leilighet.\n"
    segments = coded(tmp_path, fallback_pipeline, "    terms: [leie]\n", body)
    assert rows(segments, "unit_index", "matched") == [(1, "leier")]


def test_the_evidence_span_of_a_segment_in_a_multi_sentence_turn(
    tmp_path: Path, fallback_pipeline
) -> None:
    # body: "Informant: " is 0-10; the turn is 11-65; its second sentence
    # "Nå jobber jeg på sagbruket." starts at 11 + len("Vi kom hit i fjor. ") = 30, 27 long.
    body = "Informant: Vi kom hit i fjor. Nå jobber jeg på sagbruket. Det er fint.\n"
    segments = coded(tmp_path, fallback_pipeline, "    terms: [jobbe]\n", body)
    assert rows(segments, "start", "end", "evidence_start", "evidence_end", "evidence") == [
        (11, 70, 30, 57, "Nå jobber jeg på sagbruket.")
    ]
    assert segments["text"][0] == body[11:70]
    both = coded(tmp_path, fallback_pipeline, "    terms: [jobbe, fin]\n    min_hits: 2\n", body)
    # two hits needed: the evidence runs from the sentence of the first to that of the second
    assert rows(both, "evidence_start", "evidence_end") == [(30, 70)]


def test_quotes_and_kwic_show_the_coded_sentence(tmp_path: Path, fallback_pipeline) -> None:
    from mimres_cli.coding.kwic import kwic
    from mimres_cli.findings.quotes import quotes

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    body = "Informant: Vi kom hit i fjor. Nå jobber jeg på sagbruket. Det er fint.\n"
    write_transcript(corpus, "sel_flyktning_01.md", FRONT, body)
    book = write_codebook(tmp_path, "codes:\n  - id: arbeid\n    terms: [jobbe]\n")
    parsed = list(parse_interviews(load_corpus(corpus), fallback_pipeline))
    result = code_interviews(parsed, compile_codebooks([load_codebook(book)]))
    found = quotes(result.segments, result.codes, "arbeid")
    assert rows(found, "start", "end", "quote") == [(30, 57, "Nå jobber jeg på sagbruket.")]
    concordance = kwic(parsed, "jobbe", width=10)
    assert rows(concordance, "left", "match", "right", "sentence") == [
        (" fjor. Nå ", "jobber", " jeg på sa", "Nå jobber jeg på sagbruket.")
    ]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # "jobb" inside "fast jobb" is one occurrence, not two
        ("Informant: Jeg har fast jobb.\n", []),
        ("Informant: Fast jobb er bedre enn en jobb uten fast lønn.\n", ["Fast jobb; jobb"]),
    ],
)
def test_overlapping_hits_are_one_occurrence(
    tmp_path: Path, fallback_pipeline, body: str, expected: list[str]
) -> None:
    rules = "    terms: [jobb, 'fast jobb']\n    min_hits: 2\n"
    assert list(coded(tmp_path, fallback_pipeline, rules, body)["matched"]) == expected


def test_compare_shows_the_evidence_and_a_question_context(tmp_path: Path, fallback_pipeline):
    from mimres_cli.coding.compare import compare_codings

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_transcript(corpus, "sel_flyktning_01.md", FRONT, QUESTION)
    parsed = list(parse_interviews(load_corpus(corpus), fallback_pipeline))
    old = write_codebook(tmp_path, "codes:\n  - id: arbeid\n    terms: [jobbe]\n", "old.yaml")
    new = write_codebook(
        tmp_path, "codes:\n  - id: arbeid\n    terms: [jobbe]\n    question_context: true\n"
    )
    changes = compare_codings(
        *(code_interviews(parsed, compile_codebooks([load_codebook(b)])) for b in (old, new))
    )
    assert rows(changes, "change", "unit_index", "rule", "matched", "evidence") == [
        ("gained", 1, "question", "jobbe", "Ja, det var tungt."),
        ("gained", 3, "question", "jobbe", "Og kaldt om vinteren."),
    ]


@pytest.mark.parametrize(
    ("rules", "body", "reason"),
    [
        ("    terms: [jobb, lønn]\n    min_hits: 2\n    scope: sentence\n", TWO_SENTENCES,
         "not enough evidence: 1 of min_hits 2 hits in one sentence"),
        ("    terms: [jobb, lønn]\n    min_terms: 2\n", "Informant: Jobb og atter jobb.\n",
         "not enough evidence: 1 of min_terms 2 distinct terms in the unit"),
        ("    terms: [kutt, kutte]\n    min_terms: 2\n", "Informant: Timene ble kuttet.\n",
         "not enough evidence: 1 of min_terms 2 distinct terms in the unit"),
        (WEAK, "Informant: Sjefen var grei.\n",
         "not enough evidence: only the weak term 'sjef' (it needs another term of the code)"),
        ("    terms: [jobbe]\n    not_near: {terms: [sak], within: 3}\n",
         "Informant: Vi jobber med den saken.\n",
         "no hit counts: 'saken' within 3 words (not_near)"),
    ],
)  # fmt: skip
def test_explain_says_why_the_evidence_rules_do_not_code(
    tmp_path: Path, fallback_pipeline, rules: str, body: str, reason: str
) -> None:
    [unit] = coded(tmp_path, fallback_pipeline, rules, body, explain="arbeid")
    assert unit.verdict is not None and not unit.verdict.applies
    assert unit.verdict.reason == reason
