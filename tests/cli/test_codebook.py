"""`mimres codebook validate|show|explain|schema` through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from codebook_samples import FIVE_ERRORS
from conftest import write_codebook, write_transcript
from mimres_cli.cli import app

runner = CliRunner()


VALID = """\
codebook: arbeid
codes:
  - id: arbeid
    label: Arbeid og praksis
    definition: Flyktningers vei inn i arbeidslivet.
    codes:
      - id: praksis
        label: Praksis
        definition: Utplassering i en virksomhet.
        when_to_use: Når informanten forteller om praksisplass.
        when_not_to_use: Ikke for språkpraksis.
        examples: ["Han fikk praksisplass på verkstedet."]
        terms: [praksisplass, praksisplassen]
        near: {terms: [få], within: 3}
        negation: exclude
      - id: jobb
        label: Jobb
        terms: [jobb]
        regex: ['\\bjobb\\w*']
"""


def invoke(*args: str):
    return runner.invoke(app, list(args))


def test_validate_prints_all_five_errors_with_line_and_column(tmp_path: Path) -> None:
    book = write_codebook(tmp_path, FIVE_ERRORS)
    result = invoke("codebook", "validate", "--no-lemmas", str(book))
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert [line.split(": ", 3)[:3] for line in lines[:5]] == [
        ["mimres", "error[E204]", f"{book}:5:5"],
        ["mimres", "error[E210]", f"{book}:10:17"],
        ["mimres", "error[E207]", f"{book}:11:13"],
        ["mimres", "error[E211]", f"{book}:17:13"],
        ["mimres", "error[E208]", f"{book}:18:5"],
    ]
    assert lines[0].endswith("unknown code key 'trems'. Did you mean 'terms'?")
    assert "regex '(lønn' of 'arbeid/jobb' is invalid" in lines[1]
    assert "code 'arbeid/jobb' is defined twice (first at line 7)" in lines[2]
    assert "token pattern 1 of 'arbeid/praksis' is invalid" in lines[3]
    assert "code 'tom' has no rules and no child codes" in lines[4]
    assert lines[5] == "5 error(s), 0 warning(s) in 1 codebook(s)"


def test_validate_a_valid_codebook_prints_one_line(tmp_path: Path) -> None:
    book = write_codebook(tmp_path, VALID)
    result = invoke("codebook", "validate", str(book))
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"{book}: valid, 3 codes in 1 theme; terms: 3, regex: 1, near: 1; 1 warning(s)\n"
    )
    # The inflected term is a warning on stderr, with the lemma to write instead.
    assert (
        f"mimres: warning[W205]: {book}:13:31: "
        "term 'praksisplassen' of 'arbeid/praksis' is not a lemma" in result.stderr
    )
    assert "Write 'praksisplass' to match every form" in result.stderr


def test_validate_counts_the_evidence_rule_kinds(tmp_path: Path) -> None:
    # A codebook with weak terms and sense vetoes is summed up, not a crash in the summary.
    book = tmp_path / "svak.yaml"
    book.write_text(
        "codes:\n"
        "  - id: jobb\n"
        "    terms: [jobb]\n"
        "    weak_terms: [lønn, arbeidstaker]\n"
        "    not_phrases: ['gjøre en god jobb']\n"
        "    not_near: {terms: [sak], within: 3}\n",
        encoding="utf-8",
    )
    result = invoke("codebook", "validate", "--no-lemmas", str(book))
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"{book}: valid, 1 code in 1 theme; terms: 1, weak_terms: 2, not_near: 1, not_phrases: 1\n"
    )


def test_validate_a_missing_file(tmp_path: Path) -> None:
    result = invoke("codebook", "validate", str(tmp_path / "nei.yaml"))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "nei.yaml' does not exist" in result.stderr


def test_show_prints_the_tree_with_rule_counts(tmp_path: Path) -> None:
    book = write_codebook(tmp_path, VALID)
    result = invoke("codebook", "show", str(book))
    assert result.exit_code == 0, result.output
    assert "arbeid/praksis  Praksis  (terms: 2, near: 1; negation: exclude)" in result.stdout
    assert "arbeid/jobb  Jobb  (terms: 1, regex: 1)" in result.stdout


def test_show_markdown_is_a_codebook_appendix(tmp_path: Path) -> None:
    book = write_codebook(tmp_path, VALID)
    result = invoke("codebook", "show", str(book), "--format", "markdown")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Codebook: arbeid\n\n## Arbeid og praksis (`arbeid`)\n")
    assert (
        "### Praksis (`arbeid/praksis`)\n\n"
        "**Definition:** Utplassering i en virksomhet.  \n"
        "**When to use:** Når informanten forteller om praksisplass.  \n"
        "**When not to use:** Ikke for språkpraksis.  \n"
        "**Examples:** «Han fikk praksisplass på verkstedet.»  \n"
        "**Rules:** terms: 2, near: 1; negation: exclude\n"
    ) in result.stdout


def test_show_reports_a_broken_codebook(tmp_path: Path) -> None:
    book = write_codebook(tmp_path, FIVE_ERRORS)
    result = invoke("codebook", "show", str(book))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert f"mimres: error[E204]: {book}:5:5: unknown code key 'trems'" in result.stderr


def test_explain_text_shows_tokens_rules_and_verdict(tmp_path: Path) -> None:
    book = write_codebook(tmp_path, VALID)
    result = invoke(
        "codebook", "explain", "praksis", "-c", str(book),
        "--text", "Jeg har ikke fått praksisplass.",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("text · unit 0 · informant\nJeg har ikke fått praksisplass.\n")
    assert "negator (precedes" in out and "near 'få'" in out and "term 'praksisplass'" in out
    assert out.rstrip().endswith(
        "→ arbeid/praksis: not coded (no hit counts: negated by 'ikke' (negation: exclude))"
    )


def test_explain_an_unknown_code_suggests_one(tmp_path: Path) -> None:
    book = write_codebook(tmp_path, VALID)
    result = invoke("codebook", "explain", "praksiss", "-c", str(book), "--text", "x")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "no code 'praksiss' in the codebook(s). Did you mean 'arbeid/praksis'" in result.stderr


def test_explain_needs_text_or_interview(tmp_path: Path) -> None:
    book = write_codebook(tmp_path, VALID)
    result = invoke("codebook", "explain", "praksis", "-c", str(book))
    assert result.exit_code == 2
    assert "give either --text or --interview" in result.stderr


def test_schema_prints_the_json_schema() -> None:
    result = invoke("codebook", "schema")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["title"] == "mimres codebook"


def test_explain_interview_shows_only_units_where_a_rule_fired(tmp_path: Path) -> None:
    book = write_codebook(tmp_path, VALID)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_transcript(
        corpus,
        "sel_flyktning_01.md",
        "id: sel_flyktning_01\nmunicipality: Sel\ngroup: flyktning",
        """
        I: Har du jobb?
        Informant: Nei, men jeg fikk praksisplass i fjor.
        Informant: Det var fint.
        """,
    )
    result = invoke(
        "codebook", "explain", "arbeid/praksis", "-c", str(book),
        "--interview", "sel_flyktning_01", "--corpus", str(corpus),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("sel_flyktning_01 · unit 1 · informant\n")
    assert "unit 0" not in result.stdout and "unit 2" not in result.stdout
    assert result.stdout.rstrip().endswith(
        "→ arbeid/praksis: coded (term 'praksisplass' matched 'praksisplass')"
    )
    missing = invoke(
        "codebook", "explain", "praksis", "-c", str(book), "-i", "nei", "--corpus", str(corpus)
    )
    assert missing.exit_code == 2
    assert "no interview 'nei' in the corpus" in missing.stderr


def test_explain_a_theme_without_rules_points_at_its_children(tmp_path: Path) -> None:
    book = write_codebook(tmp_path, VALID)
    result = invoke("codebook", "explain", "arbeid", "-c", str(book), "--text", "jobb")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert (
        "code 'arbeid' has no rules of its own (its child codes roll up into it). "
        "Explain one of its child codes: arbeid/praksis, arbeid/jobb"
    ) in result.stderr
