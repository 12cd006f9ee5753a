"""Parsing real corpora: cost linear in the number of turns, and turns longer than spaCy's
max_length parsed in pieces with their offsets kept."""

from __future__ import annotations

import time
from pathlib import Path

import spacy

from mimres_cli.corpus import Interview, parse_turns
from mimres_cli.nlp import parse
from mimres_cli.nlp.pipeline import Pipeline, PipelineInfo


def _tokenizer_only(max_length: int = 1_000_000) -> Pipeline:
    nlp = spacy.blank("nb")
    nlp.max_length = max_length
    return Pipeline(nlp, PipelineInfo("blank", "0", spacy.__version__, (), fallback=True))


def _interview(body: str) -> Interview:
    return Interview("x", Path("x.md"), body, {}, parse_turns(body))


def test_one_interview_of_100_000_turns_does_not_hang() -> None:
    body = "".join(f"{'I' if n % 2 else 'Informant'}: Svar {n}.\n" for n in range(100_000))
    interview = _interview(body)
    started = time.monotonic()
    (parsed,) = parse.parse_interviews([interview], _tokenizer_only(), batch_size=1000)
    seconds = time.monotonic() - started
    assert len(parsed.docs) == 100_000
    assert parsed.docs[-1].text == "Svar 99999."
    # A hang guard, not a speed test (speed is in benchmarks/): about 2 s on an idle machine,
    # while rescanning every pending turn after each parse (the old scheduling) took hours.
    assert seconds < 180


def test_a_turn_longer_than_max_length_is_parsed_in_pieces_with_offsets_kept() -> None:
    sentence = "Jeg har hatt praksis på sykehjemmet i Sel. "
    text = (sentence * 30).strip()
    body = f"I: Fortell.\nInformant: {text}\nI: Takk.\n"
    interview = _interview(body)
    (parsed,) = parse.parse_interviews([interview], _tokenizer_only(max_length=100))
    doc = parsed.docs[1]
    turn = interview.turns[1]
    assert doc.text == turn.text == text
    assert all(body[turn.start + t.idx : turn.start + t.idx + len(t)] == t.text for t in doc)
    assert [t.text for t in doc].count("Sel") == 30  # no word cut in two


def test_pieces_join_back_to_the_text_and_cut_after_a_sentence() -> None:
    text = "Ja. " * 10 + "Nei"
    parts = parse.pieces(text, 9)
    assert "".join(parts) == text
    assert all(len(p) <= 9 for p in parts)
    assert parts[0] == "Ja. Ja. "
    assert parse.pieces("x" * 25, 10) == ["x" * 10, "x" * 10, "x" * 5]  # no space: cut anyway
