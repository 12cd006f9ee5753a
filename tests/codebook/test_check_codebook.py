"""Checking codebooks: every problem at once, each with its file, line and column."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest

from codebook_samples import FIVE_ERRORS
from conftest import REPO, write_codebook
from mimres_cli.codebook import check_codebook, load_codebook, pipeline_lemmatizer
from mimres_cli.codebook.load import CODE_KEYS, DEFAULT_KEYS, TOP_KEYS
from mimres_cli.errors import CodebookError


def test_check_codebook_reports_five_errors_in_file_order(tmp_path: Path) -> None:
    book = write_codebook(tmp_path, FIVE_ERRORS)
    check = check_codebook(book)
    found = [(p.line, p.column, p.message) for p in check.problems]
    assert [(line, col) for line, col, _ in found] == [
        (5, 5),
        (10, 17),
        (11, 13),
        (17, 13),
        (18, 5),
    ]
    assert found[0][2] == "unknown code key 'trems'"
    assert check.problems[0].fix == "Did you mean 'terms'?"
    assert found[1][2].startswith("regex '(lønn' of 'arbeid/jobb' is invalid (missing )")
    assert found[2][2] == "code 'arbeid/jobb' is defined twice (first at line 7)"
    assert found[3][2].startswith("token pattern 1 of 'arbeid/praksis' is invalid (")
    assert "LOWR" in found[3][2]
    assert found[4][2].startswith("code 'tom' has no rules and no child codes")
    assert all(p.severity == "error" and p.path == book for p in check.problems)


def test_load_codebook_raises_all_errors_at_once(tmp_path: Path) -> None:
    book = write_codebook(tmp_path, FIVE_ERRORS)
    with pytest.raises(CodebookError) as caught:
        load_codebook(book)
    lines = str(caught.value).splitlines()
    assert len(lines) == 5
    assert lines[0] == f"{book}:5:5: unknown code key 'trems'. Did you mean 'terms'?"


@pytest.mark.parametrize(
    ("snippet", "message", "fix"),
    [
        ("terms: [jobb, '*']", "term '*' of 'jobb' would match every word", "Give at least"),
        ("terms: ['jo*b']", "term 'jo*b' of 'jobb' has '*' inside a word", "Put '*' only"),
        ("regex: ['x*']", "regex 'x*' of 'jobb' matches empty text", "Make it require"),
        ("negation: exlude", "negation 'exlude' of 'jobb' is not flag, exclude or ignore",
         "Did you mean 'exclude'?"),
        ("negation:", "negation of 'jobb' is empty, not flag, exclude or ignore", "Use flag"),
        ("near: {terms: [lønn], within: 2, side: }",
         "side of 'near' of 'jobb' is empty, not before, after or both", "Write 'side: before'"),
        ("near: {terms: [lønn], within: 2, side: [after]}",
         "side '[after]' of 'near' of 'jobb' is not before, after or both",
         "Did you mean 'after'?"),
        ("pos: [NOUNS]", "unknown part of speech 'NOUNS' in 'jobb'", "Did you mean 'NOUN'?"),
        ("speakers: [intervjuer]", "unknown speaker role 'intervjuer' in 'jobb'",
         "Did you mean 'interviewer'?"),
        ("near: {terms: [lønn], within: 0}",
         "'within' of 'jobb' must be a whole number of words, 1 or more", "Write e.g."),
        ("near: {terms: [lønn], within: 2, innen: 3}", "unknown near key 'innen'",
         "Known keys: terms, within"),
        ("color: blå", "color 'blå' of 'jobb' is not a hex colour '#rrggbb'", "Quote it"),
        ("patterns: [[]]",
         "token pattern 1 of 'jobb' is invalid (a token pattern is a non-empty list of token "
         "mappings)", "See spaCy"),
    ],
)  # fmt: skip
def test_check_codebook_rule_errors(tmp_path: Path, snippet: str, message: str, fix: str) -> None:
    book = write_codebook(
        tmp_path, f"codes:\n  - id: jobb\n    label: Jobb\n    terms: [jobb]\n    {snippet}\n"
    )
    book.write_text(book.read_text(encoding="utf-8").replace("terms: [jobb]\n    terms", "terms"),
                    encoding="utf-8")  # fmt: skip
    errors = check_codebook(book).errors
    assert [e.message for e in errors] == [message]
    assert errors[0].fix.startswith(fix)
    assert errors[0].line in (4, 5)


def test_check_codebook_finds_a_key_given_twice(tmp_path: Path) -> None:
    book = write_codebook(tmp_path, "codes:\n  - id: a\n    terms: [x]\n    terms: [y]\n")
    [error] = check_codebook(book).errors
    assert (error.line, error.column) == (4, 5)
    assert error.message == "key 'terms' is given twice (first at line 3)"


def test_a_code_that_contains_itself_is_named_at_its_anchor(tmp_path: Path) -> None:
    """Code b is an alias inside its own anchor: the error names line 5, where b starts."""
    book = write_codebook(
        tmp_path,
        "codes:\n  - id: a\n    terms: [jobb]\n    label: A\n  - &b\n    id: b\n    codes: [*b]\n",
    )
    [error] = check_codebook(book).errors
    assert (error.code, error.line) == ("E003", 5)
    assert error.message == (
        "contains itself through a YAML alias ('*name' inside the value its '&name' marks)"
    )


def test_check_codebook_warns_about_an_inflected_term(tmp_path: Path, fallback_pipeline) -> None:
    book = write_codebook(
        tmp_path,
        "codes:\n  - id: praksis\n    terms: [praksisplass, praksisplassen, 'praksis*']\n",
    )
    check = check_codebook(book, lemmatize=pipeline_lemmatizer(fallback_pipeline.nlp))
    assert check.errors == []
    [warning] = check.warnings
    assert (warning.line, warning.column) == (3, 27)
    assert warning.message == (
        "term 'praksisplassen' of 'praksis' is not a lemma (the pipeline lemmatises it as "
        "'praksisplass'): it matches only this exact word form"
    )
    assert warning.fix == "Write 'praksisplass' to match every form"


def test_an_inflected_word_left_alone_by_optional_words_is_warned_about(
    tmp_path: Path, fallback_pipeline
) -> None:
    """Without '(fast)', '(fast) jobben' is the one-word term 'jobben': it finds "jobben" but
    not "Jeg fikk jobb". A phrase left when optional words drop ('bli flyttet', 'har bra') is
    a fixed phrase, inflected on purpose, as a phrase without optional words is."""
    book = write_codebook(
        tmp_path,
        "codes:\n  - id: flytting\n"
        "    terms: [bli (vi) flyttet, (fast) jobben, (fast) jobb, har (det) bra]\n"
        "    weak_terms: [(har) flyttet]\n",
    )
    check = check_codebook(book, lemmatize=pipeline_lemmatizer(fallback_pipeline.nlp))
    assert check.errors == []
    assert [(w.code, w.line, w.column, w.message, w.fix) for w in check.warnings] == [
        ("W205", 3, 31, "term '(fast) jobben' of 'flytting' has 'jobben' alone without its "
         "optional words, which is not a lemma (the pipeline lemmatises it as 'jobb'): it "
         "matches only this exact word form", "Write '(fast) jobb' to match every form"),
        ("W205", 4, 18, "term '(har) flyttet' of 'flytting' has 'flyttet' alone without its "
         "optional words, which is not a lemma (the pipeline lemmatises it as 'flytte, flytt'): "
         "it matches only this exact word form", "Write '(har) flytte' to match every form"),
    ]  # fmt: skip


def test_check_codebook_warns_about_a_very_broad_glob(tmp_path: Path) -> None:
    book = write_codebook(tmp_path, "codes:\n  - id: a\n    terms: ['ar*']\n")
    [warning] = check_codebook(book).warnings
    assert warning.message.startswith("glob 'ar*' in term 'ar*' of 'a' is very broad")


def test_include_reports_problems_in_the_included_file(tmp_path: Path) -> None:
    write_codebook(tmp_path, "codes:\n  - id: a\n    label: A\n", "del.yaml")
    book = write_codebook(
        tmp_path,
        "include: [del.yaml, mangler.yaml, codebook.yaml]\ncodes:\n  - id: b\n    terms: [b]\n",
    )
    problems = [(p.path.name, p.line, p.message) for p in check_codebook(book).problems]
    assert problems == [
        ("codebook.yaml", 1, "included file 'mangler.yaml' does not exist"),
        ("codebook.yaml", 1, "include 'codebook.yaml' includes itself (a cycle)"),
        ("del.yaml", 2, "code 'a' has no rules and no child codes (an empty leaf)"),
    ]


def test_defaults_are_checked_and_applied(tmp_path: Path) -> None:
    book = write_codebook(
        tmp_path,
        """
        defaults:
          negation: ignore
          speakers: [informant, interviewer]
          near: {terms: [kommune], within: 3}
          not_terms: [hotell]
          pos: [noun]
        namespace: bolig
        codes:
          - id: leilighet
            label: Leilighet
            terms: [leilighet]
            negation: exclude
            color: '#AABBCC'
        """,
    )
    [code] = load_codebook(book).walk()
    assert code.path == "bolig:leilighet"
    assert (code.negation, code.speakers, code.pos) == (
        "exclude", ("informant", "interviewer"), ("NOUN",)
    )  # fmt: skip
    assert [(n.terms, n.within) for n in code.near] == [(("kommune",), 3)]
    assert (code.not_terms, code.color) == (("hotell",), "#aabbcc")
    bad = write_codebook(tmp_path, "defaults: {terms: [x]}\ncodes:\n  - id: a\n    terms: [a]\n")
    [error] = check_codebook(bad).errors
    assert error.message == "unknown defaults key 'terms'"


def test_the_shipped_json_schema_knows_every_key() -> None:
    text = (resources.files("mimres_cli.codebook") / "codebook.schema.json").read_text("utf-8")
    schema = json.loads(text)
    assert set(schema["properties"]) == set(TOP_KEYS)
    assert set(schema["definitions"]["code"]["properties"]) == set(CODE_KEYS)
    assert set(schema["properties"]["defaults"]["properties"]) == set(DEFAULT_KEYS)


def test_the_sample_codebook_is_valid_by_the_json_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    import yaml

    text = (resources.files("mimres_cli.codebook") / "codebook.schema.json").read_text("utf-8")
    book = yaml.safe_load((REPO / "codebooks" / "integrering.yaml").read_text(encoding="utf-8"))
    jsonschema.validate(book, json.loads(text))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"codes": [{"id": "a", "trems": ["x"]}]}, json.loads(text))
    # the new rule kinds: side on a list-form near, optional words; an empty near is refused
    schema = json.loads(text)
    near = [{"terms": ["(ny) kommune"], "within": 2, "side": "before"}]
    code = {"id": "a", "terms": "(fast) jobb", "not_near": near, "question_not_terms": "nabolag"}
    jsonschema.validate({"codes": [code]}, schema)
    for bad in ({"terms": [], "within": 2}, {"terms": ["x"], "within": 2, "side": "før"}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate({"codes": [{"id": "a", "terms": "x", "near": bad}]}, schema)


def test_pos_without_a_tagger_is_a_warning_at_the_key(tmp_path: Path) -> None:
    book = write_codebook(
        tmp_path,
        "defaults:\n  pos: [PROPN]\ncodes:\n  - id: a\n    terms: [jobb]\n    pos: [VERB, AUX]\n"
        "  - id: b\n    terms: [jobb]\n    pos: [VERB]\n",
    )
    assert check_codebook(book).problems == ()
    # without a tagger, Norsk Ordbank's readings apply NOUN, VERB, ADJ and ADV, not the others
    warnings = check_codebook(book, tagger=False).warnings
    assert [(w.line, w.column) for w in warnings] == [(2, 3), (6, 5)]
    assert warnings[1].message == (
        "the pipeline has no tagger, so this 'pos' will be ignored (without one, only NOUN, "
        "VERB, ADJ and ADV are told, not AUX)"
    )


def test_a_rule_key_at_the_top_belongs_under_defaults(tmp_path: Path) -> None:
    book = write_codebook(tmp_path, "negation: exclude\ncodes:\n  - id: a\n    terms: [a]\n")
    [error] = check_codebook(book).errors
    assert (error.line, error.message) == (1, "unknown codebook key 'negation'")
    assert error.fix == "Put it under 'defaults:' to set it for every code"


def test_an_unquoted_colour_is_an_error_not_silence(tmp_path: Path) -> None:
    book = write_codebook(tmp_path, "codes:\n  - id: a\n    terms: [a]\n    color: #1f77b4\n")
    [error] = check_codebook(book).errors
    assert (error.line, error.message) == (4, "color of 'a' is empty")
