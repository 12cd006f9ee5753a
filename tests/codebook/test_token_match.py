"""Token patterns of form tests found on the arrays (`codebook.token_match`) as spaCy's Matcher
finds them: the same hits in the same order, on hand-worked sentences and on random patterns
over the sample interviews."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from conftest import REPO, write_codebook
from mimres_cli.codebook import compile_codebooks, load_codebook
from mimres_cli.codebook.compile import CodeMatcher, _TokenPatterns
from mimres_cli.corpus import load_corpus
from mimres_cli.nlp import parse_interviews
from mimres_cli.nlp.arrays import arrays_of
from mimres_cli.nlp.units import unit_spans


def _hits(matcher: CodeMatcher, unit, *, spacy: bool) -> list[tuple]:
    """The pattern hits of `unit`, found on the arrays or (`spacy`) by spaCy's Matcher."""
    patterns = _TokenPatterns([p for _, _, p in matcher._patterns])
    assert patterns.plain
    patterns.plain = not spacy
    matcher._token_patterns = patterns
    found = matcher._pattern_hits(unit, arrays_of(unit), set())
    return [(h.code, h.pattern, h.start, h.end, h.words) for h in found]


def _matcher(tmp_path: Path, patterns: list[list[dict]]) -> CodeMatcher:
    lines = "".join(f"      - {json.dumps(p, ensure_ascii=False)}\n" for p in patterns)
    book = write_codebook(tmp_path, f"codes:\n  - id: arbeid\n    patterns:\n{lines}")
    return compile_codebooks([load_codebook(book)])


def test_two_patterns_on_one_word_come_in_the_matchers_order(
    tmp_path: Path, fallback_pipeline
) -> None:
    # "jobber i" is matched by the first two patterns. The Matcher lists the patterns in the
    # order of their first match found (the first: its "*" retries on "i" and matches before
    # the second's state on the same token) and each pattern's matches longest first, so
    # "jobbet fast i" comes before "jobber i"; of the third's "fast i" and "fast i Sel" only
    # the longer is kept (they overlap)
    patterns = [
        [{"LOWER": {"REGEX": "^jobb"}}, {"LOWER": {"IN": ["nå", "fast"]}, "OP": "*"},
         {"LOWER": "i"}],
        [{"LOWER": {"IN": ["jobber", "jobbet"]}}, {"LOWER": "i"}],
        [{"LOWER": "fast"}, {"IS_PUNCT": False, "OP": "+"}],
    ]  # fmt: skip
    matcher = _matcher(tmp_path, patterns)
    doc = fallback_pipeline.nlp("Han jobber i butikken, og hun jobbet fast i Sel.")
    unit = doc[:]
    found = _hits(matcher, unit, spacy=False)
    assert found == _hits(matcher, unit, spacy=True)
    assert [(patterns.index(json.loads(p)), words) for _, p, _, _, words in found] == [
        (0, "jobbet fast i"), (0, "jobber i"), (1, "jobber i"), (2, "fast i Sel"),
    ]  # fmt: skip


OPS = [None, None, None, "?", "*", "+", "!"]


def _random_pattern(rng: random.Random, words: list[str]) -> list[dict]:
    pattern = []
    for _ in range(rng.randint(1, 4)):
        kind = rng.randrange(10)
        if kind == 0:
            spec: dict = {"LOWER": rng.choice(words)}
        elif kind == 1:
            spec = {"LOWER": {"IN": rng.sample(words, 4)}}
        elif kind == 2:
            spec = {"LOWER": {"NOT_IN": rng.sample(words, 6)}, "IS_PUNCT": False}
        elif kind == 3:
            spec = {"LOWER": {"REGEX": rng.choice(["^[a-f]", "e$", "^.{1,3}$", "r", "^s"])}}
        elif kind == 4:
            spec = {rng.choice(["ORTH", "TEXT"]): {"IN": [w.capitalize() for w in words[:30]]}}
        elif kind == 5:
            spec = {"IS_PUNCT": rng.random() < 0.5}
        elif kind == 6:
            spec = {}
        elif kind == 7:
            spec = {"LEMMA": {"IN": [*rng.sample(words, 4), "være", "ha", "jobbe"]}}
        elif kind == 8:
            spec = {
                "LEMMA": {"REGEX": rng.choice(["^[a-f]", "e$", "^.{1,3}$"])},
                "LOWER": {"NOT_IN": rng.sample(words, 3)},
            }
        else:
            spec = {"LOWER": {"IN": words[:12]}}
        op = rng.choice(OPS)
        pattern.append({**spec, "OP": op} if op else spec)
    return pattern


def test_random_patterns_match_as_spacys_matcher_on_real_text(
    tmp_path: Path, fallback_pipeline
) -> None:
    parsed = list(parse_interviews(load_corpus(REPO / "sample_interviews"), fallback_pipeline))
    units = [unit.span for interview in parsed[:6] for unit in unit_spans(interview, "turn")]
    counts: dict[str, int] = {}
    for unit in units:
        for i in range(unit.start, unit.end):
            form = unit.arrays.form(i).lower()
            if form.isalpha():
                counts[form] = counts.get(form, 0) + 1
    words = sorted(counts, key=lambda w: (-counts[w], w))[:60]
    rng = random.Random(20261203)
    compared = matched = 0
    for trial in range(40):
        folder = tmp_path / str(trial)
        folder.mkdir()
        matcher = _matcher(folder, [_random_pattern(rng, words) for _ in range(5)])
        for unit in units:
            found = _hits(matcher, unit, spacy=False)
            assert found == _hits(matcher, unit, spacy=True), (trial, unit.text)
            compared += 1
            matched += bool(found)
    assert compared == 40 * len(units) and matched > compared // 4


def test_lemma_patterns_and_a_turn_without_lemmas(tmp_path: Path, fallback_pipeline) -> None:
    import spacy

    # the built-in pipeline's lemma of "jobber" and "jobbet" is "jobbe"
    matcher = _matcher(tmp_path, [[{"LEMMA": "jobbe"}, {"LOWER": "i", "OP": "?"}]])
    unit = fallback_pipeline.nlp("Han jobber i butikken og jobbet der lenge.")[:]
    found = _hits(matcher, unit, spacy=False)
    assert found == _hits(matcher, unit, spacy=True)
    assert [words for *_, words in found] == ["jobber i", "jobbet"]
    # a Doc without lemmas: spaCy's Matcher refuses it, as before
    blank = spacy.blank("nb")("Han jobber i butikken.")[:]
    with pytest.raises(ValueError, match="E155"):
        _hits(matcher, blank, spacy=False)


def test_shipped_patterns_are_found_without_spacy() -> None:
    matcher = compile_codebooks([load_codebook(REPO / "codebooks" / "integrering.yaml")])
    assert _TokenPatterns([p for _, _, p in matcher._patterns]).plain


@pytest.mark.parametrize(
    "pattern",
    [
        [{"LOWER": "jobb", "OP": "{1,2}"}],
        [{"LENGTH": 4}],
        [{"LOWER": {"FUZZY": "jobb"}}],
    ],
)
def test_other_patterns_are_left_to_spacy(pattern: list) -> None:
    assert not _TokenPatterns([pattern]).plain
