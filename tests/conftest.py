"""Shared fixtures: the pipelines, built once per session, and tiny corpora written in tests."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
STAND_IN_MODEL = SHARED / "models" / "nb_mimres_sm"


@pytest.fixture(autouse=True)
def _no_inputs_in_use():
    """Each test starts a new session of inputs in use (see mimres_cli.safety), as each
    command of the CLI does: a corpus read by one test never blocks another's output."""
    from mimres_cli.safety import forget_inputs

    forget_inputs()
    yield
    forget_inputs()


@pytest.fixture(scope="session")
def fallback_pipeline():
    from mimres_cli.nlp import build_fallback_pipeline

    return build_fallback_pipeline()


@pytest.fixture(scope="session")
def stand_in_pipeline():
    """The trained stand-in Bokmål pipeline from ../shared/models (skipped where absent)."""
    if not STAND_IN_MODEL.is_dir():
        pytest.skip(f"the stand-in pipeline is not at {STAND_IN_MODEL} (../shared is absent)")
    from mimres_cli.nlp import load_pipeline

    return load_pipeline(str(STAND_IN_MODEL))


def write_transcript(folder: Path, name: str, front: str, body: str) -> Path:
    """Write a format-v1 transcript: front matter lines, then the body (both dedented)."""
    path = folder / name
    text = "---\n" + textwrap.dedent(front).strip() + "\n---\n" + textwrap.dedent(body).lstrip()
    path.write_text(text, encoding="utf-8")
    return path


def write_codebook(folder: Path, text: str, name: str = "codebook.yaml") -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


#: Front matter of the one-interview corpora the rule tests write.
REFUGEE_FRONT = "id: sel_flyktning_01\nmunicipality: Sel\ngroup: flyktning"


def code_one(tmp_path: Path, pipeline, code: str, rules: str, body: str, *, explain: str = ""):
    """The segments of one refugee interview with `body`, coded with one code `code` of `rules`
    (indented YAML keys); with `explain` (a code id), the explanations of that code instead."""
    from mimres_cli.codebook import compile_codebooks, load_codebook
    from mimres_cli.coding import code_interviews
    from mimres_cli.coding.explain import explain_code
    from mimres_cli.corpus import load_corpus
    from mimres_cli.nlp import parse_interviews

    corpus = tmp_path / "corpus"
    corpus.mkdir(exist_ok=True)
    write_transcript(corpus, "sel_flyktning_01.md", REFUGEE_FRONT, body)
    head = f"codes:\n  - id: {code}\n    label: {code.capitalize()}\n"
    matcher = compile_codebooks([load_codebook(write_codebook(tmp_path, head + rules))])
    parsed = list(parse_interviews(load_corpus(corpus), pipeline))
    if explain:
        return explain_code(parsed, matcher, explain)
    return code_interviews(parsed, matcher).segments


def segment_rows(segments, *columns: str) -> list[tuple]:
    """The segments' values in `columns`, row by row."""
    return [tuple(row) for row in segments[list(columns)].itertuples(index=False)]
