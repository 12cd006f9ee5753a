"""The one problem catalogue: every code used is catalogued and documented, and the other way
round; problems print one way; `--fail-on warnings` counts reported problems."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

from mimres_cli import workflow
from mimres_cli.corpus.problems import CODE_OF_KIND
from mimres_cli.errors import (
    CODES,
    SEVERITIES,
    CodebookError,
    MimresError,
    ProjectError,
    Where,
    collecting,
    did_you_mean,
    problem,
    report,
)

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src" / "mimres_cli"
DOC = REPO / "docs" / "problems.md"
_CODE = re.compile(r"""["']([EWN]\d{3})["']""")
# A corpus problem may be named by its kind: problem("no-speaker", ...), of_error("metadata", ...)
_KIND = re.compile(r"""\b(?:problem|of_error)\(\s*["']([a-z0-9-]+)["']""")


def _sources() -> dict[Path, str]:
    """Every source file's text; in errors.py, the catalogue itself is left out."""
    texts = {path: path.read_text(encoding="utf-8") for path in sorted(SRC.rglob("*.py"))}
    errors = texts[SRC / "errors.py"]
    start = errors.index("CODES: dict[str, Entry] = {")
    texts[SRC / "errors.py"] = errors[:start] + errors[errors.index("\n}\n", start) :]
    return texts


def _used_codes() -> dict[str, list[str]]:
    """Code → the files that use it, by literal (`"E104"`) or by corpus kind (`"empty"`)."""
    used: dict[str, list[str]] = {}
    for path, text in _sources().items():
        found = set(_CODE.findall(text))
        found |= {CODE_OF_KIND[kind] for kind in _KIND.findall(text) if kind in CODE_OF_KIND}
        for code in found:
            used.setdefault(code, []).append(path.relative_to(SRC).as_posix())
    return used


def test_every_code_used_in_the_source_is_in_the_catalogue() -> None:
    unknown = {code: files for code, files in _used_codes().items() if code not in CODES}
    assert unknown == {}


def test_every_catalogued_code_is_used_somewhere() -> None:
    assert [code for code in CODES if code not in _used_codes()] == []


def test_every_code_is_documented_with_its_severity_and_name() -> None:
    rows = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if len(cells) == 5 and re.fullmatch(r"[EWN]\d{3}", cells[0]):
            rows[cells[0]] = cells
    expected = {code: [code, SEVERITIES[code[0]], f"`{e.name}`"] for code, e in CODES.items()}
    assert {code: cells[:3] for code, cells in rows.items()} == expected
    assert all(cells[3] and cells[4] for cells in rows.values())  # a meaning and a fix each


def test_codes_are_well_formed_and_names_unique() -> None:
    assert all(re.fullmatch(r"[EWN][0-6]\d\d", code) for code in CODES)
    names = [entry.name for entry in CODES.values()]
    assert len(names) == len(set(names))


def test_a_problem_prints_with_its_code_severity_place_and_fix() -> None:
    found = problem("E104", "interview id 'x' is used twice", Where("b.md", 2), "Give each its own")
    assert found.formatted() == (
        "mimres: error[E104]: b.md:2: interview id 'x' is used twice. Give each its own"
    )
    assert str(problem("W102", "has no informant turns", "c.md")) == "c.md: has no informant turns"
    assert problem("N101", "is Windows-1252").severity == "notice"
    assert problem("W205", "not a lemma").kind == "not-a-lemma"
    with pytest.raises(KeyError):
        problem("E999", "not catalogued")


def test_an_error_carries_its_problems_and_the_class_gives_a_default_code() -> None:
    assert CodebookError("bad").code == "E200"
    assert ProjectError("bad", code="E305").problem.code == "E305"
    assert MimresError("bad").problems[0].severity == "error"
    both = ProjectError.collected([problem("E304", "a", Where("m.yaml", 2)),
                                   problem("E306", "b", Where("m.yaml", 3))])  # fmt: skip
    assert [p.code for p in both.problems] == ["E304", "E306"]
    assert str(both) == "m.yaml:2: a\nm.yaml:3: b"


def test_did_you_mean_names_the_closest_choices_or_says_what_else() -> None:
    assert did_you_mean("trems", ("terms", "regex")) == "Did you mean 'terms'?"
    assert did_you_mean("xyz", ("terms",), otherwise="Use terms") == "Use terms"
    assert did_you_mean("jobb", ("jobber", "lønn", "jobb1"), n=3) == (
        "Did you mean 'jobb1', 'jobber'?"
    )


def test_collecting_gets_reported_problems_even_when_logging_is_off() -> None:
    logger = logging.getLogger("mimres_cli.test_problems")
    logger.setLevel(logging.CRITICAL)  # as under --quiet: nothing shown
    try:
        with collecting() as outer:
            with collecting() as inner:
                report(problem("W102", "has no informant turns", "c.md"), logger)
            report(problem("N101", "is Windows-1252", "d.md"), logger)
        report(problem("W103", "not collected: after the block"), logger)
    finally:
        logger.setLevel(logging.NOTSET)
    assert [p.code for p in inner] == ["W102"]
    assert [p.code for p in outer] == ["W102", "N101"]


def test_fail_on_warnings_counts_input_warnings_not_log_lines_or_the_environment() -> None:
    plain = logging.getLogger("mimres_cli.corpus.load")
    with workflow._collecting_warnings() as warnings:
        plain.warning("a log line that is no catalogued problem")
        report(problem("W602", "parse cache: cannot write x"), logging.getLogger("mimres_cli.x"))
        report(problem("N101", "is Windows-1252", "a.md"), plain)
        report(
            problem("W102", "has no informant turns", "d.md"), logging.getLogger("mimres_cli.nlp")
        )
    assert [(p.code, str(p.path)) for p in warnings] == [("W102", "d.md")]
