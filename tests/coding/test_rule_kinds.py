"""The rule kinds added after the third codebook revision (docs/validity.md, "Rule kinds the
language lacks"), on Norwegian interviews coded with the built-in pipeline: a veto from the
interviewer's question (`question_not_terms`).

Unit indices count every turn, interviewer turns included.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import REFUGEE_FRONT, code_one, write_codebook, write_transcript
from conftest import segment_rows as rows
from mimres_cli.codebook import check_codebook, compile_codebooks, load_codebook
from mimres_cli.codebook.describe import rule_summary
from mimres_cli.coding import code_interviews
from mimres_cli.corpus import load_corpus
from mimres_cli.nlp import parse_interviews

FRONT = REFUGEE_FRONT


def coded(tmp_path: Path, pipeline, rules: str, body: str, *, explain: str = ""):
    """One interview with `body` coded with one code `familie` of `rules` (see `code_one`)."""
    return code_one(tmp_path, pipeline, "familie", rules, body, explain=explain)


# --------------------------------------------------------------------------- question_not_terms

FAMILY = "    terms: [barnehage, '*skole', barn]\n"
VETO = FAMILY + "    question_not_terms: [nabolag, 'reklame for']\n"
ADVERTISE = (
    "I: Hvordan ville du reklamert for nabolaget?\n"  # 0: the question names the neighbourhood
    "Informant: Ungdomsskole og barneskole, barnehage.\n"  # 1: school words about the place
    "I: Ja, akkurat.\n"  # 2: a backchannel: the answer goes on
    "Informant: Og barna trives.\n"  # 3: still the answer to question 0
    "I: Hvordan har barna det på skolen?\n"  # 4: a new question, about the children
    "Informant: Barna går i barnehagen i nabolaget.\n"  # 5: coded: its own 'nabolaget' is no veto
)


def test_question_not_terms_drops_the_answers_hits(tmp_path: Path, fallback_pipeline) -> None:
    assert list(coded(tmp_path, fallback_pipeline, FAMILY, ADVERTISE)["unit_index"]) == [1, 3, 5]
    segments = coded(tmp_path, fallback_pipeline, VETO, ADVERTISE)
    assert rows(segments, "unit_index", "matched") == [(5, "Barna; barnehagen")]
    explained = coded(tmp_path, fallback_pipeline, VETO, ADVERTISE, explain="familie")
    verdict = explained[1].verdict
    assert verdict is not None and not verdict.applies
    assert verdict.reason == (
        "no hit counts: the question (turn 0) has 'nabolaget' (question_not_terms 'nabolag')"
    )
    notes = {t.text: t.notes for t in explained[1].tokens}
    assert notes["barnehage"] == (
        "term 'barnehage'",
        "does not count: the question (turn 0) has 'nabolaget' (question_not_terms 'nabolag')",
    )
    assert explained[0].tokens[-2].notes == ("question_not_terms 'nabolag'",)


def test_question_not_terms_multi_word_and_nynorsk(tmp_path: Path, fallback_pipeline) -> None:
    body = (
        "I: Korleis ville du laga reklame for staden?\n"  # "reklame for": a two-word term
        "Informant: Ungdomsskulen ligg nær, og barnehagen.\n"
        "I: Korleis har borna det på skulen?\n"  # Nynorsk 'skulen' is 'skole'
        "Informant: Ungdomsskulen er god.\n"
    )
    assert rows(coded(tmp_path, fallback_pipeline, FAMILY, body), "unit_index", "matched") == [
        (1, "Ungdomsskulen; barnehagen"),
        (3, "Ungdomsskulen"),
    ]
    assert list(coded(tmp_path, fallback_pipeline, VETO, body)["unit_index"]) == [3]
    # the near miss: "reklame" alone in the question is not the term "reklame for"
    near_miss = body.replace("reklame for staden", "reklame i avisa")
    assert list(coded(tmp_path, fallback_pipeline, VETO, near_miss)["unit_index"]) == [1, 3]


def test_question_not_terms_stops_question_context(tmp_path: Path, fallback_pipeline) -> None:
    body = (
        "I: Er skolen og barnehagen noe du ville reklamert med for nabolaget?\n"
        "Informant: Ja, absolutt.\n"
        "I: Hvordan trives barna på skolen?\n"
        "Informant: Veldig godt.\n"
    )
    asked = FAMILY + "    question_context: true\n"
    assert rows(coded(tmp_path, fallback_pipeline, asked, body), "unit_index", "rule") == [
        (1, "question"),
        (3, "question"),
    ]
    vetoed = asked + "    question_not_terms: [nabolag]\n"
    assert rows(coded(tmp_path, fallback_pipeline, vetoed, body), "unit_index", "rule") == [
        (3, "question")
    ]


def test_question_not_terms_from_defaults_and_not_on_interviewer_turns(
    tmp_path: Path, fallback_pipeline
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_transcript(corpus, "sel_flyktning_01.md", FRONT, ADVERTISE)
    book = write_codebook(
        tmp_path,
        "defaults:\n  question_not_terms: [nabolag]\n"
        "codes:\n  - id: familie\n    terms: [barn, barnehage]\n"
        "  - id: spor\n    terms: [nabolag, barn]\n    speakers: [interviewer]\n",
    )
    loaded = load_codebook(book)
    assert [c.question_not_terms for c in loaded.walk()] == [("nabolag",), ("nabolag",)]
    assert rule_summary(loaded.codes[0]) == "terms: 2, question_not_terms: 1"
    matcher = compile_codebooks([loaded])
    segments = code_interviews(parse_interviews(load_corpus(corpus), fallback_pipeline), matcher)
    # the interviewer's own turns are questions, not answers: the veto is not applied to them
    assert rows(segments.segments, "code", "unit_index") == [
        ("spor", 0),
        ("spor", 4),
        ("familie", 5),
    ]


def test_bad_question_not_terms_are_errors_on_their_line(tmp_path: Path) -> None:
    book = write_codebook(
        tmp_path,
        "codes:\n  - id: familie\n    terms: [barn]\n    question_not_terms: [nabo, '*']\n"
        "  - id: skole\n    terms: [skole]\n    question_not_terms: {nabolag: 1}\n",
    )
    errors = check_codebook(book).errors
    assert [(e.code, e.line, e.message, e.fix) for e in errors] == [
        ("E209", 4, "term '*' of 'familie' would match every word",
         "Give at least one letter, e.g. '*opplæring'"),
        ("E217", 7, "'question_not_terms' of 'skole' must be a list of texts",
         "Write 'question_not_terms: [first, second]'"),
    ]  # fmt: skip
    assert str(errors[0]).startswith(f"{book}:4:")


# --------------------------------------------------------------------------- side, optional words

MOVED = (
    "Informant: Vi ble flyttet til Sel.\n"  # 0: passive, 'ble' 1 word before 'flyttet'
    "Informant: Hvis vi flytter herfra, blir det færre.\n"  # 1: 'blir' 2 words after 'flytter'
    "Informant: Så ble vi flyttet igjen.\n"  # 2: passive with the pronoun between
    "Informant: Vi ble glade og flyttet til byen.\n"  # 3: 'ble' 3 words before: not passive
)


def test_one_sided_not_near_vetoes_the_passive_only(tmp_path: Path, fallback_pipeline) -> None:
    both = "    terms: [flytte]\n    not_near: {terms: [bli], within: 2}\n"
    assert list(coded(tmp_path, fallback_pipeline, both, MOVED)["unit_index"]) == [3]
    before = "    terms: [flytte]\n    not_near: {terms: [bli], within: 2, side: before}\n"
    assert list(coded(tmp_path, fallback_pipeline, before, MOVED)["unit_index"]) == [1, 3]
    after = "    terms: [flytte]\n    not_near: {terms: [bli], within: 2, side: after}\n"
    assert list(coded(tmp_path, fallback_pipeline, after, MOVED)["unit_index"]) == [0, 2, 3]
    explained = coded(tmp_path, fallback_pipeline, before, MOVED, explain="familie")
    assert explained[2].verdict is not None
    assert explained[2].verdict.reason == (
        "no hit counts: 'ble' within 2 words before it (not_near)"
    )


def test_one_sided_not_near_in_nynorsk(tmp_path: Path, fallback_pipeline) -> None:
    body = "Informant: Vi vart flytta til Sel.\nInformant: Flyttar vi, blir det tomt.\n"
    before = "    terms: [flytte]\n    not_near: {terms: [bli], within: 2, side: before}\n"
    assert list(coded(tmp_path, fallback_pipeline, before, body)["unit_index"]) == [1]


def test_one_sided_near(tmp_path: Path, fallback_pipeline) -> None:
    body = (
        "Informant: Kommunen skaffet oss en leilighet.\n"  # 'Kommunen' 4 words before
        "Informant: Vi fikk en leilighet av kommunen.\n"  # 'kommunen' 2 words after
    )
    rules = "    terms: [leilighet]\n    near: {terms: [kommune], within: 4, side: before}\n"
    assert list(coded(tmp_path, fallback_pipeline, rules, body)["unit_index"]) == [0]
    both = rules.replace(", side: before", "")
    assert list(coded(tmp_path, fallback_pipeline, both, body)["unit_index"]) == [0, 1]
    explained = coded(tmp_path, fallback_pipeline, rules, body, explain="familie")
    assert explained[1].verdict is not None
    assert explained[1].verdict.reason == (
        "no hit counts: none of [kommune] within 4 words before it"
    )


def test_an_optional_word_in_not_phrases(tmp_path: Path, fallback_pipeline) -> None:
    rules = "    terms: [flytte]\n    not_phrases: [bli (vi) flytte]\n"
    body = MOVED + "Informant: Så ble dere flyttet.\n"  # 4: another pronoun: not the phrase
    segments = coded(tmp_path, fallback_pipeline, rules, body)
    assert rows(segments, "unit_index", "matched") == [(1, "flytter"), (3, "flyttet"),
                                                       (4, "flyttet")]  # fmt: skip
    explained = coded(tmp_path, fallback_pipeline, rules, body, explain="familie")
    assert explained[2].verdict is not None
    assert explained[2].verdict.reason == (
        "no hit counts: in the idiom 'bli (vi) flytte' ('ble vi flyttet', not_phrases)"
    )
    assert explained[0].verdict is not None
    assert explained[0].verdict.reason == (
        "no hit counts: in the idiom 'bli (vi) flytte' ('ble flyttet', not_phrases)"
    )


def test_an_optional_word_in_a_term_is_one_hit(tmp_path: Path, fallback_pipeline) -> None:
    rules = "    terms: [(fast) jobb]\n    min_hits: 2\n"
    body = "Informant: Jeg fikk fast jobb.\nInformant: Fast jobb, og en jobb.\n"
    # "fast jobb" is one hit of the whole term, not also "jobb" of its short form
    assert rows(coded(tmp_path, fallback_pipeline, rules, body), "unit_index", "matched") == [
        (1, "Fast jobb; jobb")
    ]
    once = rules.replace("    min_hits: 2\n", "")
    assert rows(coded(tmp_path, fallback_pipeline, once, body), "unit_index", "matched") == [
        (0, "fast jobb"),
        (1, "Fast jobb; jobb"),
    ]
    explained = coded(tmp_path, fallback_pipeline, once, body, explain="familie")
    assert [t.notes for t in explained[0].tokens[2:4]] == [("term '(fast) jobb'",)] * 2


def test_bad_sides_and_optional_words_are_errors_on_their_line(tmp_path: Path) -> None:
    book = write_codebook(
        tmp_path,
        "codes:\n  - id: flytting\n    terms: [flytte, '(vi)', 'ble (vi flyttet', 'fl(y)tte']\n"
        "    not_near: {terms: [bli], within: 2, side: befor}\n"
        "    near: {terms: [sel], within: 2, side: foran}\n",
    )
    errors = check_codebook(book).errors
    fix = ("Put an optional word in parentheses, apart from the other words, beside a word "
           "that is not: 'ble (vi) flyttet'")  # fmt: skip
    assert [(e.code, e.line, e.message, e.fix) for e in errors] == [
        ("E209", 3, "term '(vi)' of 'flytting' has only optional words", fix),
        ("E209", 3, "term 'ble (vi flyttet' of 'flytting' has '(' or ')' that does not enclose "
         "one whole word", fix),
        ("E209", 3, "term 'fl(y)tte' of 'flytting' has '(' or ')' that does not enclose one "
         "whole word", fix),
        ("E212", 4, "side 'befor' of 'not_near' of 'flytting' is not before, after or both",
         "Did you mean 'before'?"),
        ("E212", 5, "side 'foran' of 'near' of 'flytting' is not before, after or both",
         "Write 'side: before' (the term before the hit), 'side: after' or leave it out for "
         "both sides"),
    ]  # fmt: skip
    assert str(errors[3]).startswith(f"{book}:4:")


# --------------------------------------------------------------------------- pos without a tagger

POS_BODY = (
    "Informant: Hun jobber på butikken.\n"  # 0: 'jobber' is NOUN and VERB in Norsk Ordbank
    "Informant: Jobben er fin.\n"  # 1: 'Jobben' is NOUN only
    "Informant: Deltidsjobbene er mange.\n"  # 2: a compound: its tail's NOUN
    "Informant: Ho jobbar i butikken.\n"  # 3: Nynorsk 'jobbar': unknown to the Ordbank
    "Informant: Vi flytta hit.\n"  # 4: Nynorsk spelt like Bokmål 'flytta': VERB and ADJ
)


def test_pos_with_the_built_in_pipeline_uses_norsk_ordbank(
    tmp_path: Path, fallback_pipeline
) -> None:
    verbs = "    terms: [jobb, jobbe, '*jobb']\n    pos: [VERB]\n"
    segments = coded(tmp_path, fallback_pipeline, verbs, POS_BODY)
    assert rows(segments, "unit_index", "matched") == [(0, "jobber"), (3, "jobbar")]
    nouns = verbs.replace("VERB", "noun")
    assert list(coded(tmp_path, fallback_pipeline, nouns, POS_BODY)["unit_index"]) == [0, 1, 2, 3]
    explained = coded(tmp_path, fallback_pipeline, verbs, POS_BODY, explain="familie")
    assert explained[1].verdict is not None
    assert explained[1].verdict.reason == (
        "no hit counts: part of speech NOUN (Norsk Ordbank) is not in pos [VERB]"
    )
    assert [(t.text, t.pos) for t in explained[0].tokens[:2]] == [
        ("Hun", ""),  # a pronoun: no class (the Ordbank's only reading of 'hun' is a noun)
        ("jobber", "NOUN/VERB"),
    ]
    moved = "    terms: [flytte]\n    pos: [ADV]\n"
    assert coded(tmp_path, fallback_pipeline, moved, POS_BODY).empty
    assert list(coded(tmp_path, fallback_pipeline, moved.replace("ADV", "ADJ"), POS_BODY)
                ["unit_index"]) == [4]  # fmt: skip


def test_a_pronoun_has_no_class_so_pos_does_not_restrict_it(
    tmp_path: Path, fallback_pipeline
) -> None:
    # Without a tagger, 'Jeg' and 'min' are neither NOUN nor VERB: unknown, they pass any pos
    # (as a Nynorsk form the Ordbank lacks does), while 'flyttet' is still judged by its readings
    body = "Informant: Jeg flyttet hit med min mann.\n"
    rules = "    terms: [jeg, min, flytte]\n    pos: [NOUN]\n"
    assert rows(coded(tmp_path, fallback_pipeline, rules, body), "unit_index", "matched") == [
        (0, "Jeg; min")
    ]
    [explained] = coded(tmp_path, fallback_pipeline, rules, body, explain="familie")
    shown = {t.text: t.pos for t in explained.tokens}
    assert (shown["Jeg"], shown["flyttet"], shown["min"]) == ("", "ADJ/VERB", "")


def test_an_ambiguous_form_passes_for_each_of_its_readings(
    tmp_path: Path, fallback_pipeline
) -> None:
    # "dei tilsette" (the staff) and "tilsette folk" (to employ): the Ordbank reads the form
    # 'tilsette' as VERB and ADJ whatever the context, so pos cannot tell them apart here
    body = "Informant: Dei tilsette er nøgde.\nInformant: Vi må tilsette folk.\n"
    rules = "    terms: [tilsette]\n    pos: [VERB]\n"
    assert list(coded(tmp_path, fallback_pipeline, rules, body)["unit_index"]) == [0, 1]
    assert coded(tmp_path, fallback_pipeline, rules.replace("VERB", "NOUN"), body).empty


def test_pos_from_the_cached_token_arrays(tmp_path: Path, fallback_pipeline) -> None:
    from mimres_cli.nlp.cache import open_cache

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_transcript(corpus, "sel_flyktning_01.md", FRONT, POS_BODY)
    book = write_codebook(
        tmp_path, "codes:\n  - id: jobb\n    terms: [jobb, jobbe, '*jobb']\n    pos: [VERB]\n"
    )
    found = []
    for _ in range(2):  # parsed and stored, then read back as token arrays (no Doc, no POS)
        cache = open_cache(tmp_path / "cache", fallback_pipeline.info)
        parsed = parse_interviews(load_corpus(corpus), fallback_pipeline, cache=cache)
        segments = code_interviews(parsed, compile_codebooks([load_codebook(book)])).segments
        found.append(rows(segments, "unit_index", "matched"))
    assert cache.hits == 1
    assert found == [[(0, "jobber"), (3, "jobbar")]] * 2


def test_pos_with_a_class_norsk_ordbank_lacks_is_not_applied(
    tmp_path: Path, fallback_pipeline, caplog
) -> None:
    rules = "    terms: [jobb, jobbe]\n    pos: [VERB, AUX]\n"
    with caplog.at_level("WARNING", logger="mimres_cli.codebook.compile"):
        segments = coded(tmp_path, fallback_pipeline, rules, POS_BODY)
    assert list(segments["unit_index"]) == [0, 1, 3]
    warnings = [r.getMessage() for r in caplog.records if "no tagger" in r.getMessage()]
    assert warnings == [
        "the pipeline has no tagger, so 'pos' restrictions with a class other than NOUN, VERB, "
        "ADJ, ADV are ignored: the terms of 'familie' match words of any part of speech. Use a "
        "trained pipeline (--model) to apply them, or restrict to those classes, which Norsk "
        "Ordbank's readings of each word tell"
    ]
    book = write_codebook(
        tmp_path, "defaults:\n  pos: [PROPN]\ncodes:\n  - id: a\n    terms: [jobb]\n"
        "  - id: b\n    terms: [jobb]\n    pos: [noun, verb]\n"
    )  # fmt: skip
    assert check_codebook(book).problems == ()
    [warning] = check_codebook(book, tagger=False).warnings
    assert (warning.code, warning.line, warning.column) == ("W204", 2, 3)
    assert warning.message == (
        "the pipeline has no tagger, so this 'pos' will be ignored (without one, only NOUN, "
        "VERB, ADJ and ADV are told, not PROPN)"
    )


@pytest.mark.parametrize(
    ("form", "classes"),
    [
        ("jobber", {"NOUN", "VERB"}),
        ("Jobben", {"NOUN"}),
        ("deltidsjobbene", {"NOUN"}),  # a compound: its last part's noun and adjective readings
        ("NAV-kontoret", {"NOUN"}),  # hyphenated
        ("tilsette", {"VERB", "ADJ"}),
        ("heime", {"ADV", "VERB"}),  # Nynorsk spelt like a Bokmål form
        ("jobbar", set()),  # Nynorsk, unknown to the Ordbank: not "job" + "bar"
        ("skulen", set()),
        ("1990", set()),
        # pronouns and determiners: no class, not the Ordbank's rare other words of the form
        ("Jeg", set()),  # not NOUN ('et jeg')
        ("hun", set()),  # not NOUN
        ("dei", set()),
        ("det", set()),
        ("min", set()),  # not VERB ('mine')
        ("deres", set()),  # not NOUN of a compound tail
        ("alle", set()),  # not NOUN ('allé')
        ("en", set()),  # not VERB/ADV
        ("si", set()),  # "si" (to say) is also the possessive: neither class is claimed
    ],
)
def test_word_classes_from_norsk_ordbank(form: str, classes: set[str]) -> None:
    from mimres_cli.nlp.wordclass import word_classes

    assert word_classes(form) == classes


def test_the_json_schema_knows_the_new_rule_kinds() -> None:
    import json
    from importlib import resources

    import yaml

    jsonschema = pytest.importorskip("jsonschema")
    text = (resources.files("mimres_cli.codebook") / "codebook.schema.json").read_text("utf-8")
    schema = json.loads(text)
    book = yaml.safe_load(
        "defaults: {question_not_terms: [nabolag]}\n"
        "codes:\n  - id: flytting\n    terms: [flytte]\n    not_phrases: [bli (vi) flytte]\n"
        "    not_near: {terms: [bli], within: 2, side: before}\n    pos: [VERB]\n"
    )
    jsonschema.validate(book, schema)
    book["codes"][0]["not_near"]["side"] = "foran"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(book, schema)
