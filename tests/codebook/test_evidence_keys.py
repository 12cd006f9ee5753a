"""Checking the evidence rules of a codebook: values, defaults, and problems with their lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import write_codebook
from mimres_cli.codebook import Near, check_codebook, load_codebook


@pytest.mark.parametrize(
    ("snippet", "message", "fix"),
    [
        ("min_hits: 0", "min_hits of 'jobb' must be a whole number, 1 or more, not '0'",
         "Write e.g. 'min_hits: 2'"),
        ("min_terms: to", "min_terms of 'jobb' must be a whole number, 1 or more, not 'to'",
         "Write e.g. 'min_terms: 2'"),
        # values said as the codebook writes them in YAML, not as Python's repr (True, None)
        ("min_hits: true", "min_hits of 'jobb' must be a whole number, 1 or more, not 'true'",
         "Write e.g."),
        ("min_terms:", "min_terms of 'jobb' must be a whole number, 1 or more, not empty",
         "Write e.g."),
        ("question_context:", "question_context of 'jobb' must be true or false, not empty",
         "Write 'question_context: true'"),
        ("scope: [sentence]",
         "scope '[sentence]' of 'jobb' is not unit, sentence or {words: N}",
         "Did you mean 'sentence'?"),
        ("scope: sentense", "scope 'sentense' of 'jobb' is not unit, sentence or {words: N}",
         "Did you mean 'sentence'?"),
        ("scope: {words: 0}", "'words' of the scope of 'jobb' must be a whole number, 1 or more",
         "Write e.g. 'scope: {words: 12}'"),
        ("scope: {ord: 5}", "unknown scope key 'ord'", "Did you mean 'words'?"),
        ("question_context: ja", "question_context of 'jobb' must be true or false, not 'ja'",
         "Write 'question_context: true'"),
        ("not_near: {terms: [sak], within: -1}",
         "'within' of 'jobb' must be a whole number of words, 1 or more", "Write e.g."),
        ("not_near: [sak]", "'not_near' of 'jobb' must be {terms: [...], within: N}",
         "Write 'not_near: {terms: [plass], within: 3}'"),
        # an empty list of terms would drop the constraint silently (the code looser)
        ("not_near: {terms: [], within: 2, side: before}", "'not_near' of 'jobb' has no 'terms'",
         "Add 'terms: [...]'"),
        ("not_near: {terms: , within: 2}", "'not_near' of 'jobb' has no 'terms'", "Add 'terms"),
        ("not_near: {terms: [bli], within: 2, side: BEFORE}",
         "side 'BEFORE' of 'not_near' of 'jobb' is not before, after or both",
         "Did you mean 'before'?"),
        ("not_near: {terms: [bli], within: 2, side: }",
         "side of 'not_near' of 'jobb' is empty, not before, after or both",
         "Write 'side: before' (the term before the hit)"),
        ("not_near: {terms: [bli], within: 2, side: null}",
         "side of 'not_near' of 'jobb' is empty, not before, after or both",
         "Write 'side: before'"),
        ("not_near: {terms: [bli], within: 2, side: [before]}",
         "side '[before]' of 'not_near' of 'jobb' is not before, after or both",
         "Did you mean 'before'?"),
        ("not_near: {terms: [bli], within: 2, side: true}",
         "side 'true' of 'not_near' of 'jobb' is not before, after or both",
         "Write 'side: before'"),
        ("weak_terms: ['*']", "term '*' of 'jobb' would match every word", "Give at least"),
        ("not_phrases: ['jobbe m*d saken']",
         "term 'jobbe m*d saken' of 'jobb' has '*' inside a word", "Put '*' only"),
    ],
)  # fmt: skip
def test_bad_evidence_values_are_errors_on_their_line(
    tmp_path: Path, snippet: str, message: str, fix: str
) -> None:
    book = write_codebook(
        tmp_path, f"codes:\n  - id: jobb\n    label: Jobb\n    terms: [jobb]\n    {snippet}\n"
    )
    errors = check_codebook(book).errors
    assert [e.message for e in errors] == [message]
    assert errors[0].fix.startswith(fix)
    assert errors[0].line == 5
    assert str(errors[0]).startswith(f"{book}:5:")
    key = snippet.split(":")[0]
    expected = {"not_near": "E212", "weak_terms": "E209", "not_phrases": "E209", "scope": "E220"}
    if "{ord:" in snippet:
        expected["scope"] = "E204"
    assert errors[0].code == expected.get(key, "E220")


def test_bad_evidence_default_is_an_error_on_its_line(tmp_path: Path) -> None:
    book = write_codebook(
        tmp_path,
        "defaults:\n  negation: flag\n  scope: setning\ncodes:\n  - id: jobb\n    terms: [jobb]\n",
    )
    [error] = check_codebook(book).errors
    assert (error.line, error.column) == (3, 10)
    assert error.message == "scope 'setning' of 'defaults' is not unit, sentence or {words: N}"


def test_evidence_rules_load_and_defaults_apply(tmp_path: Path) -> None:
    book = write_codebook(
        tmp_path,
        """
        defaults:
          scope: sentence
          min_hits: 2
          question_context: true
          not_phrases: ['i praksis']
        codes:
          - id: arbeid
            terms: [jobb, lønn]
            weak_terms: [sjef]
            min_terms: 2
            not_near: {terms: [sak], within: 3}
          - id: praksis
            terms: [praksis]
            scope: {words: 12}
            min_hits: 1
            question_context: false
            not_phrases: ['praksis i']
        """,
    )
    arbeid, praksis = load_codebook(book).codes
    assert (arbeid.scope, arbeid.scope_words, arbeid.min_hits, arbeid.min_terms) == (
        "sentence", 0, 2, 2
    )  # fmt: skip
    assert arbeid.weak_terms == ("sjef",)
    assert arbeid.not_near == (Near(("sak",), 3),)
    assert arbeid.not_phrases == ("i praksis",)
    assert arbeid.question_context is True
    assert (praksis.scope, praksis.scope_words, praksis.scope_text) == ("words", 12, "12 words")
    assert (praksis.min_hits, praksis.min_terms, praksis.question_context) == (1, 1, False)
    assert praksis.not_phrases == ("praksis i",)


def test_defaults_leave_a_code_without_evidence_rules_as_before(tmp_path: Path) -> None:
    book = write_codebook(tmp_path, "codes:\n  - id: jobb\n    terms: [jobb]\n")
    [code] = load_codebook(book).codes
    assert (code.scope, code.min_hits, code.min_terms, code.weak_terms) == ("unit", 1, 1, ())
    assert (code.not_near, code.not_phrases, code.question_context) == ((), (), False)


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ("weak_terms: [sjef]", "'jobb' has one weak term and no other rule: it can never apply"),
        ("terms: [jobb]\n    min_terms: 3",
         "min_terms 3 of 'jobb' can never be met: it has 1 rule(s)"),
    ],
)  # fmt: skip
def test_rules_that_can_never_be_met_are_warnings(tmp_path: Path, rules: str, message: str) -> None:
    book = write_codebook(tmp_path, f"codes:\n  - id: jobb\n    {rules}\n")
    check = check_codebook(book)
    assert check.errors == []
    assert [(w.line, w.message) for w in check.warnings] == [(3 if "weak" in rules else 4, message)]
    assert check.warnings[0].code == "W206"


def test_a_code_with_two_weak_terms_only_is_no_empty_leaf(tmp_path: Path) -> None:
    book = write_codebook(tmp_path, "codes:\n  - id: jobb\n    weak_terms: [sjef, kollega]\n")
    check = check_codebook(book)
    assert check.problems == ()
    assert check.codebook is not None and check.codebook.codes[0].has_rules


def test_validate_prints_evidence_rule_errors_with_their_lines(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from mimres_cli.cli import app

    book = write_codebook(
        tmp_path,
        """
        defaults:
          scope: setning
        codes:
          - id: jobb
            terms: [jobb]
            min_hits: 0
            weak_terms: [sjef]
            question_context: kanskje
        """,
    )
    result = CliRunner().invoke(app, ["codebook", "validate", "--no-lemmas", str(book)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"mimres: error[E220]: {book}:2:10: scope 'setning' of 'defaults' is not unit, sentence "
        "or {words: N}. Use unit, sentence or {words: N}",
        f"mimres: error[E220]: {book}:6:15: min_hits of 'jobb' must be a whole number, 1 or "
        "more, not '0'. Write e.g. 'min_hits: 2'",
        f"mimres: error[E220]: {book}:8:23: question_context of 'jobb' must be true or false, "
        "not 'kanskje'. Write 'question_context: true'",
        "3 error(s), 0 warning(s) in 1 codebook(s)",
    ]


def test_the_reach_of_a_near_constraint_reads_as_english() -> None:
    # explain says "'vart' within 1 word before it (not_near)", not "within 1 words"
    assert Near(("bli",), 1, "before").where == "1 word before it"
    assert Near(("kommune",), 3).where == "3 words"
