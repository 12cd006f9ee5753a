"""Regexes tried only where their first words begin (codebook/regex_anchors.py): the same hits
as searching the whole unit, on Norwegian inflected, compound and hyphenated forms."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import regex

from conftest import write_codebook
from mimres_cli.codebook import compile_codebooks, load_codebook
from mimres_cli.codebook.regex_anchors import anchors

REPO = Path(__file__).resolve().parents[2]

#: Regexes a per-token rewrite gets wrong somewhere: inside hyphenated compounds, across
#: tokens written together, with optional and skipped words, alternatives of both kinds.
TRICKY = [
    r"\bkontor\w*",  # begins inside "NAV-kontoret"
    r"\bnav\b",  # "NAV-kontoret", "nav."
    r"\bsamordn\w*",  # "sam" + "ordning" written together
    r"\bi\s+arbeid\b(?!\w)",  # not "i arbeidet"
    r"\b(har|hadde|ha|få|fikk)\s+ikke\s+tid\b",
    r"\b(få|får|fikk)\s+(\w+\s+)?tak\s+i\b",
    r"\bsnakk\w*\s+(ikke\s+|ofte\s+)?med\s+hverandre\b",
    r"\b(følg\w*|fulgt\w*)\s+(\w+\s+){0,2}opp\b",
    r"\bcv(-?en)?\b",
    r"\bbade(r)?\b|\bbada\b",
    r"\b(A1|A2|B1|B2)\b",
    r"\b[1-9]\d?\s*(%|prosent)\s+(stilling|jobb)",
    r"\b(ansett\w*|(?<!de )tilset(te)?)\s+folk",
    r"\b(nav|nav-kontor\w*|kommunen)\b(\W+\w+){0,3}?\W+(samordn\w*|koordiner\w*)\b",
    r"\bå\s+bo\b",
    r"\bjobb(en|er)?\s+her\b",
    r"\b(bli|ble|føle\w*\s+(meg|oss))\s+sett\b(?!\s+(på|i\s))",
    r"\bstram\w*\s+(\w+\s+){0,3}budsjett\w*|\bbudsjett\w*\s+(\w+\s+){0,3}stramm?\w*",
]
#: Tokens: inflected and compound forms, hyphenated ones, case variants, punctuation, a
#: letter that lowercases to two characters, and white-space tokens.
WORDS = (
    "har", "Hadde", "ha", "få", "FIKK", "får", "ikke", "tid", "tiden", "tak", "i", "henne",
    "NAV", "nav", "NAV-kontoret", "nav-kontor", "kontoret", "kommunen", "Kommunen",
    "samordning", "sam", "ordning", "koordinerer", "og", "arbeid", "arbeidet", "snakker",
    "snakket", "ofte", "med", "hverandre", "følger", "fulgte", "oss", "dem", "opp", "oppfølging",
    "CV", "cv-en", "cven", "bade", "bader", "bada", "Badet", "A1", "B2-nivå", "A1-kurs",
    "100", "50", "%", "prosent", "stilling", "jobb", "jobben", "deltidsjobb", "her", "å",
    "bo", "bor", "tilsette", "ansetter", "folk", "de", "İkke", "bli", "ble", "føler", "meg",
    "sett", "på", "budsjettet", "strammes", "stramt", ".", ",", "-", "'", "\n",
)  # fmt: skip


def _book(patterns: list[str]) -> str:
    lines = ["codes:", "  - id: r", "    label: R", "    codes:"]
    for n, pattern in enumerate(patterns):
        quoted = pattern.replace("'", "''")
        lines += [f"      - id: r{n}", f"        label: R{n}", f"        regex: ['{quoted}']"]
    return "\n".join(lines) + "\n"


def _shipped_regexes() -> list[str]:
    book = load_codebook(REPO / "codebooks" / "integrering.yaml")
    return [pattern for code in book.walk() for pattern in code.regex]


def test_first_and_second_words_are_read_from_the_pattern() -> None:
    read = anchors(r"\b(har|ha)\s+ikke\s+tid\b")
    assert read is not None
    (anchor,), taken = read
    assert anchor.boundary and taken == frozenset()
    assert anchor.first.words == {("har", False), ("ha", False)}  # whole tokens: \s+ follows
    assert anchor.second is not None and anchor.second.words == {("ikke", False)}
    (anchor,), _ = anchors(r"\b(følg\w*|fulgt)\s+(\w+\s+){0,2}opp\b")  # type: ignore[misc]
    assert anchor.first.words == {("følg", True), ("fulgt", False)}
    assert anchor.skip == 2 and anchor.second.words == {("opp", True)}  # type: ignore[union-attr]
    (anchor,), taken = anchors(r"\bcv(-?en)?\b")  # type: ignore[misc]
    assert taken == {"-"} and anchor.first.words is None  # "-": tested with the pattern
    # Alternatives that can take white space first: each way through them on its own.
    ways, _ = anchors(r"\b(samarbeid\w*|jobb\w*\s+sammen)\b")  # type: ignore[misc]
    assert [(a.first.words, a.second and a.second.words) for a in ways] == [
        ({("samarbeid", True)}, None),
        ({("jobb", True)}, {("sammen", True)}),
    ]
    # Nothing to begin with (a match may begin with white space): searched whole.
    assert anchors(r"(ja|)\s+takk") is None
    assert anchors(r"\w*") is None


def test_a_hit_inside_a_hyphenated_compound_and_across_tokens_written_together(
    tmp_path: Path, fallback_pipeline
) -> None:
    from spacy.tokens import Doc

    matcher = compile_codebooks([load_codebook(write_codebook(tmp_path, _book(TRICKY[:4])))])
    words = ["NAV-kontoret", "og", "sam", "ordning", "i", "arbeidet", "i", "arbeid", "."]
    spaces = [True, True, False, True, True, True, True, False, False]
    doc = Doc(fallback_pipeline.nlp.vocab, words=words, spaces=spaces)
    found = [(h.pattern, h.words, h.first, h.last) for h in matcher.scan(doc[:])]
    assert found == [
        (r"\bkontor\w*", "kontoret", 0, 0),  # inside a token: no token begins with it
        (r"\bnav\b", "NAV", 0, 0),  # a token that only begins with it
        (r"\bsamordn\w*", "samordning", 2, 3),  # two tokens: neither begins with it alone
        (r"\bi\s+arbeid\b(?!\w)", "i arbeid", 6, 7),  # not "i arbeidet"
    ]
    skipping = compile_codebooks([load_codebook(write_codebook(tmp_path, _book(TRICKY[5:8])))])
    words = ["Vi", "fikk", "henne", "tak", "i", "og", "følger", "dem", "ofte", "opp", "."]
    doc = Doc(fallback_pipeline.nlp.vocab, words=words, spaces=[True] * 9 + [False, False])
    found = [(h.pattern, h.words) for h in skipping.scan(doc[:])]
    assert found == [  # words skipped between the first and the second
        (r"\b(få|får|fikk)\s+(\w+\s+)?tak\s+i\b", "fikk henne tak i"),
        (r"\b(følg\w*|fulgt\w*)\s+(\w+\s+){0,2}opp\b", "følger dem ofte opp"),
    ]


@pytest.mark.parametrize("which", ["tricky", "shipped"])
def test_anchored_regexes_find_what_a_whole_search_finds(
    which: str, tmp_path: Path, fallback_pipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    from spacy.tokens import Doc

    from mimres_cli.codebook import compile as compile_module

    monkeypatch.setattr(compile_module, "_CHARS_PER_TRY", 1)  # never the whole search
    patterns = TRICKY if which == "tricky" else _shipped_regexes()
    read = [anchors(pattern) for pattern in patterns]
    assert sum(one is not None for one in read) >= len(patterns) * 3 // 4
    matcher = compile_codebooks([load_codebook(write_codebook(tmp_path, _book(patterns)))])
    compiled = [regex.compile(pattern, regex.IGNORECASE) for pattern in patterns]
    rng = random.Random(15)
    vocab = fallback_pipeline.nlp.vocab
    words = list(WORDS)
    if which == "shipped":  # the words of the codebook's own regexes
        words += sorted({w for p in patterns for w in regex.findall(r"[a-zæøå]{2,}", p)})
    for _ in range(400):
        size = rng.randint(1, 14)
        tokens = [rng.choice(words) for _ in range(size)]
        spaces = [rng.random() < 0.8 and t != "\n" for t in tokens]
        doc = Doc(vocab, words=tokens, spaces=spaces)
        found = [(h.pattern, h.start, h.end, h.words)
                 for h in matcher.scan(doc[:]) if h.rule == "regex"]  # fmt: skip
        expected = [(p, m.start(), m.end(), m.group())
                    for p, c in zip(patterns, compiled, strict=True)
                    for m in c.finditer(doc.text)]  # fmt: skip
        assert found == expected, doc.text
