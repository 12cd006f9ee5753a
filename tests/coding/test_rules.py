"""Rules per code on Norwegian sentences: negation, near, not_terms, patterns, speakers, pos.

Every expected table was worked out by hand from the sentences. Unit indices count every turn,
interviewer turns included, from 0.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd
import pytest

from conftest import write_codebook, write_transcript
from mimres_cli.codebook import compile_codebooks, load_codebook
from mimres_cli.coding import code_interviews
from mimres_cli.corpus import load_corpus
from mimres_cli.errors import CodebookError
from mimres_cli.nlp import parse_interviews

FRONT = "id: sel_flyktning_01\nmunicipality: Sel\ngroup: flyktning"


def code(tmp_path: Path, pipeline, codebook: str, body: str, *more: str) -> pd.DataFrame:
    """The segments of one interview with `body`, coded with `codebook` (and `more` books)."""
    corpus = tmp_path / "corpus"
    corpus.mkdir(exist_ok=True)
    write_transcript(corpus, "sel_flyktning_01.md", FRONT, body)
    books = [write_codebook(tmp_path, codebook)]
    books += [write_codebook(tmp_path, text, f"more{n}.yaml") for n, text in enumerate(more)]
    matcher = compile_codebooks([load_codebook(path) for path in books])
    parsed = parse_interviews(load_corpus(corpus), pipeline)
    return code_interviews(parsed, matcher).segments


def rows(segments: pd.DataFrame, *columns: str) -> list[tuple]:
    return [tuple(row) for row in segments[list(columns)].itertuples(index=False)]


PRAKSIS = """
codebook: test
codes:
  - id: praksis
    label: Praksis
    terms: [praksisplass]
    negation: {mode}
"""


@pytest.mark.parametrize("pipeline_name", ["fallback_pipeline", "stand_in_pipeline"])
@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        # (unit_index, negated) for "ikke fått" (unit 0) and "fått" (unit 1)
        ("flag", [(0, True), (1, False)]),
        ("exclude", [(1, False)]),
        ("ignore", [(0, False), (1, False)]),
    ],
)
def test_code_interviews_negation_modes(
    tmp_path: Path, request: pytest.FixtureRequest, pipeline_name: str, mode: str, expected: list
) -> None:
    pipeline = request.getfixturevalue(pipeline_name)
    body = "Informant: Jeg har ikke fått praksisplass.\nInformant: Jeg har fått praksisplass.\n"
    segments = code(tmp_path, pipeline, PRAKSIS.format(mode=mode), body)
    assert rows(segments, "unit_index", "negated") == expected
    assert set(segments["matched"]) == {"praksisplass"}


def test_negation_stops_at_a_clause_boundary(tmp_path: Path, fallback_pipeline) -> None:
    # "ikke" negates "jobb" in the first clause; ", men" ends that clause before "praksisplass".
    body = "Informant: Jeg fikk ikke jobb, men praksisplass fikk jeg.\n"
    book = PRAKSIS.format(mode="flag") + "  - id: jobb\n    label: Jobb\n    terms: [jobb]\n"
    segments = code(tmp_path, fallback_pipeline, book, body)
    assert rows(segments, "code", "negated") == [("praksis", False), ("jobb", True)]


def test_negation_by_the_parse_where_the_negator_follows(tmp_path: Path, request) -> None:
    # Verb-second order: the negator comes after "praksisplass". Only the dependency parse
    # sees that "ikke" modifies "fått", whose subject is "praksisplass"; "jobb" belongs to the
    # conjoined clause "men jeg fikk jobb", where walking up stops.
    body = "Informant: Praksisplass har jeg ikke fått, men jeg fikk jobb.\n"
    book = PRAKSIS.format(mode="flag") + "  - id: jobb\n    label: Jobb\n    terms: [jobb]\n"
    fallback = code(tmp_path, request.getfixturevalue("fallback_pipeline"), book, body)
    assert rows(fallback, "code", "negated") == [("praksis", False), ("jobb", False)]
    trained = code(tmp_path, request.getfixturevalue("stand_in_pipeline"), book, body)
    assert rows(trained, "code", "negated") == [("praksis", True), ("jobb", False)]


@pytest.mark.parametrize("pipeline_name", ["fallback_pipeline", "stand_in_pipeline"])
def test_ikke_bare_is_no_negation(tmp_path: Path, request, pipeline_name: str) -> None:
    body = "Informant: Jeg fikk ikke bare praksisplass, men også jobb.\n"
    pipeline = request.getfixturevalue(pipeline_name)
    segments = code(tmp_path, pipeline, PRAKSIS.format(mode="flag"), body)
    assert rows(segments, "negated") == [(False,)]


def test_negated_only_when_every_match_is(tmp_path: Path, fallback_pipeline) -> None:
    body = "Informant: Jeg fikk ingen praksisplass i Sel, men praksisplass i Vågå.\n"
    segments = code(tmp_path, fallback_pipeline, PRAKSIS.format(mode="flag"), body)
    assert rows(segments, "negated", "matched") == [(False, "praksisplass")]


NEAR = """
codebook: test
codes:
  - id: bolig
    label: Bolig fra kommunen
    terms: [leilighet]
    near: {{terms: [kommune], within: {within}}}
"""


@pytest.mark.parametrize(("within", "units"), [(2, [1]), (3, [1, 2]), (4, [0, 1, 2])])
def test_near_within_and_beyond_the_window(
    tmp_path: Path, fallback_pipeline, within: int, units: list[int]
) -> None:
    body = (
        # Kommunen(0) skaffet oss en leilighet(4): 4 words apart
        "Informant: Kommunen skaffet oss en leilighet.\n"
        # leilighet(2) av kommunen(4): 2 apart; punctuation and marks are no words
        "Informant: Vi fikk leilighet, e # av kommunen.\n"
        # leilighet(2) fra denne kommunen(5): 3 apart
        "Informant: Vi fikk leilighet fra denne kommunen.\n"
        # no "kommune" in the unit: never coded, though the next turn has one
        "Informant: En leilighet.\n"
        "I: Og kommunen?\n"
    )
    segments = code(tmp_path, fallback_pipeline, NEAR.format(within=within), body)
    assert list(segments["unit_index"]) == units
    assert set(segments["matched"]) == {"leilighet"}


def test_not_terms_veto_the_code_in_the_unit(tmp_path: Path, fallback_pipeline) -> None:
    book = """
    codebook: test
    codes:
      - id: jobb
        label: Jobb
        terms: [jobb*]
        not_terms: [jobbintervju]
    """
    body = (
        "Informant: Jeg har fått jobb på butikken.\n"
        "Informant: Jeg var på jobbintervju, og nå har jeg jobb.\n"
        "Informant: Jobbene er fine.\n"
    )
    segments = code(tmp_path, fallback_pipeline, book, body)
    assert rows(segments, "unit_index", "matched") == [(0, "jobb"), (2, "Jobbene")]


def test_a_token_pattern_matches_and_is_recorded(tmp_path: Path, fallback_pipeline) -> None:
    book = """
    codebook: test
    codes:
      - id: fikk_jobb
        label: Fikk jobb
        patterns:
          - [{LEMMA: få}, {LOWER: jobb}]
    """
    body = "Informant: Jeg fikk jobb i fjor.\nInformant: Jobb fikk jeg ikke.\n"
    segments = code(tmp_path, fallback_pipeline, book, body)
    assert rows(segments, "unit_index", "rule", "pattern", "matched") == [
        (0, "pattern", '[{"LEMMA":"få"},{"LOWER":"jobb"}]', "fikk jobb")
    ]


def test_a_token_pattern_of_tags_without_a_tagger_is_a_codebook_error(
    tmp_path: Path, fallback_pipeline
) -> None:
    book = """
    codebook: test
    codes:
      - id: skole
        label: Skole
        patterns:
          - [{POS: NOUN, LOWER: skolen}]
    """
    body = "Informant: Skolen var fin.\n"
    with pytest.raises(CodebookError, match=r"patterns of 'skole' test a tag .* no tagger"):
        code(tmp_path, fallback_pipeline, book, body)


def test_tag_patterns_with_the_built_in_pipeline_stop_before_any_parsing(tmp_path: Path) -> None:
    """`mimres code` knows the pipeline before it parses: a pattern testing POS or DEP with
    the built-in one is refused there, one located error per code, nothing parsed or cached."""
    from mimres_cli import workflow

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_transcript(corpus, "sel_flyktning_01.md", FRONT, "Informant: Skolen var fin.\n")
    book = write_codebook(tmp_path, """
        codes:
          - id: skole
            patterns:
              - [{POS: NOUN, LOWER: skolen}]
          - id: jobb
            terms: [jobb]
            patterns:
              - [{LEMMA: få}, {dep: obj, LEMMA: jobb}]
          - id: bolig
            patterns:
              - [{LEMMA: leilighet}]
        """)  # fmt: skip
    events: list = []
    with pytest.raises(CodebookError) as caught:
        workflow.code(corpus, [book], model="fallback", cache_dir=tmp_path / "cache",
                      on_progress=events.append)  # fmt: skip
    assert [(p.code, p.line, p.message) for p in caught.value.problems] == [
        ("E211", 2, "the token patterns of 'skole' test POS, which the built-in pipeline does "
         "not set (it has no tagger)"),
        ("E211", 5, "the token patterns of 'jobb' test DEP, which the built-in pipeline does "
         "not set (it has no parser)"),
    ]  # fmt: skip
    assert str(caught.value).startswith(f"{book}:2: the token patterns of 'skole'")
    assert events == []  # no interview parsed
    assert not any((tmp_path / "cache").glob("**/*.arrays"))


def test_speakers_interviewer_codes_only_interviewer_turns(
    tmp_path: Path, fallback_pipeline
) -> None:
    book = """
    codebook: test
    codes:
      - id: sporsmal
        label: Spør om praksis
        terms: [praksisplass]
        speakers: [interviewer]
      - id: praksis
        label: Praksis
        terms: [praksisplass]
    """
    body = "I: Har du fått praksisplass?\nInformant: Ja, jeg har fått praksisplass.\n"
    segments = code(tmp_path, fallback_pipeline, book, body)
    assert rows(segments, "unit_index", "role", "code") == [
        (0, "interviewer", "sporsmal"),
        (1, "informant", "praksis"),
    ]


POS = """
codebook: test
codes:
  - id: jobbe
    label: Å jobbe
    terms: [jobbe]
    pos: [verb]
"""
POS_BODY = "Informant: Hun jobber på butikken.\nInformant: Jobben er fin, jobber du?\n"


def test_pos_restricts_terms_with_a_tagger(tmp_path: Path, stand_in_pipeline) -> None:
    # "jobber" is a VERB in both units; "Jobben" (NOUN) would match the term "jobb" only.
    book = POS.replace("terms: [jobbe]", "terms: [jobb, jobbe]")
    segments = code(tmp_path, stand_in_pipeline, book, POS_BODY)
    assert rows(segments, "unit_index", "matched") == [(0, "jobber"), (1, "jobber")]
    only_noun = code(tmp_path, stand_in_pipeline, book, "Informant: Jobben er fin.\n")
    assert only_noun.empty


class _Messages(logging.Handler):
    """Collects log messages, whatever logging setup ran before in this process."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def test_pos_without_a_tagger_warns_once(tmp_path: Path, fallback_pipeline) -> None:
    # Without a tagger, VERB is told from Norsk Ordbank's readings (tests/coding/
    # test_rule_kinds.py); AUX is not, so this restriction cannot apply.
    book = POS.replace("terms: [jobbe]", "terms: [jobb, jobbe]").replace("[verb]", "[verb, aux]")
    logger = logging.getLogger("mimres_cli.codebook.compile")
    handler, level = _Messages(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    try:
        segments = code(tmp_path, fallback_pipeline, book, POS_BODY)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    # The restriction cannot apply: "Jobben" counts too, and the user is told so, once.
    assert rows(segments, "unit_index", "matched") == [(0, "jobber"), (1, "Jobben; jobber")]
    warnings = [m for m in handler.messages if "no tagger" in m]
    assert len(warnings) == 1
    assert "'jobbe'" in warnings[0] and "any part of speech" in warnings[0]


def test_defaults_apply_unless_a_code_sets_the_key(tmp_path: Path, fallback_pipeline) -> None:
    book = """
    codebook: test
    defaults:
      negation: exclude
      speakers: [informant, interviewer]
    codes:
      - id: praksis
        label: Praksis
        terms: [praksisplass]
      - id: praksis_flagget
        label: Praksis, flagget
        terms: [praksisplass]
        negation: flag
    """
    body = "I: Har du ikke fått praksisplass?\nInformant: Jeg har fått praksisplass.\n"
    segments = code(tmp_path, fallback_pipeline, book, body)
    assert rows(segments, "unit_index", "code", "negated") == [
        (0, "praksis_flagget", True),
        (1, "praksis", False),
        (1, "praksis_flagget", False),
    ]


def test_two_codebooks_need_distinct_namespaces(tmp_path: Path, fallback_pipeline) -> None:
    first = "codebook: en\ncodes:\n  - id: arbeid\n    label: Arbeid\n    terms: [jobb]\n"
    second = "codebook: to\ncodes:\n  - id: arbeid\n    label: Arbeid\n    terms: [lønn]\n"
    body = "Informant: Jobben gir god lønn.\n"
    with pytest.raises(CodebookError, match=r"'arbeid' is in two codebooks.*namespace"):
        code(tmp_path, fallback_pipeline, first, body, second)
    spaced = "namespace: to\n" + second
    segments = code(tmp_path, fallback_pipeline, first, body, spaced)
    assert rows(segments, "code", "theme", "codebook", "matched") == [
        ("arbeid", "arbeid", "en", "Jobben"),
        ("to:arbeid", "to:arbeid", "to", "lønn"),
    ]


def test_include_adds_codes_with_their_own_defaults(tmp_path: Path, fallback_pipeline) -> None:
    write_codebook(
        tmp_path,
        """
        defaults: {negation: ignore}
        codes:
          - id: jobb
            label: Jobb
            terms: [jobb]
        """,
        "felles.yaml",
    )
    book = """
    codebook: test
    include: [felles.yaml]
    codes:
      - id: praksis
        label: Praksis
        terms: [praksisplass]
        color: '#1F77B4'
    """
    body = "Informant: Jeg har ikke fått jobb eller praksisplass.\n"
    segments = code(tmp_path, fallback_pipeline, book, body)
    # "jobb" follows "ikke" in the clause, but its file says negation: ignore. "eller" ends
    # the clause before "praksisplass".
    assert rows(segments, "code", "negated") == [("jobb", False), ("praksis", False)]
    loaded = load_codebook(tmp_path / "codebook.yaml")
    assert [c.path for c in loaded.walk()] == ["jobb", "praksis"]
    assert loaded.by_path()["praksis"].color == "#1f77b4"
    assert loaded.includes == (tmp_path / "felles.yaml",)


def test_codes_table_keeps_the_colour(tmp_path: Path, fallback_pipeline) -> None:
    from mimres_cli.coding import codes_table

    book = write_codebook(
        tmp_path, "codes:\n  - id: jobb\n    label: Jobb\n    terms: [jobb]\n    color: '#aa0000'\n"
    )
    table = codes_table(compile_codebooks([load_codebook(book)]))
    assert table[["code", "color"]].values.tolist() == [["jobb", "#aa0000"]]
