"""The compiled matcher: hits of every rule kind, with token positions, through one word index."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import write_codebook
from mimres_cli.codebook import compile_codebooks, load_codebook
from mimres_cli.errors import CodebookError

BOOK = """
codes:
  - id: arbeid
    label: Arbeid
    codes:
      - id: jobb
        label: Jobb
        terms: ["jobb*", "fast jobb"]
        regex: ['\\b100 ?%']
        not_terms: [jobbintervju]
        near: {terms: [butikk], within: 2}
      - id: praksis
        label: Praksis
        patterns: [[{LOWER: fikk}, {LOWER: praksisplass}]]
"""


def test_scan_reports_every_rule_kind_with_its_tokens(tmp_path: Path, fallback_pipeline) -> None:
    matcher = compile_codebooks([load_codebook(write_codebook(tmp_path, BOOK))])
    doc = fallback_pipeline.nlp(
        "Fast jobb i butikken, 100 % etter jobbintervju, og fikk praksisplass"
    )
    found = [(h.code, h.rule, h.pattern, h.words, h.first, h.last) for h in matcher.scan(doc[:])]
    assert sorted(found) == sorted([
        ("arbeid/jobb", "term", "jobb*", "jobb", 1, 1),
        ("arbeid/jobb", "term", "fast jobb", "Fast jobb", 0, 1),
        ("arbeid/jobb", "term", "jobb*", "jobbintervju", 8, 8),
        ("arbeid/jobb", "not_terms", "jobbintervju", "jobbintervju", 8, 8),
        ("arbeid/jobb", "near", "butikk", "butikken", 3, 3),
        ("arbeid/jobb", "regex", "\\b100 ?%", "100 %", 5, 6),
        ("arbeid/praksis", "pattern", '[{"LOWER":"fikk"},{"LOWER":"praksisplass"}]',
         "fikk praksisplass", 11, 12),
    ])  # fmt: skip
    # match() keeps the hits that can make a code apply: no not_terms or near hits.
    assert {h.rule for h in matcher.match(doc[:])} == {"term", "regex", "pattern"}


def test_find_code_by_path_or_unique_id(tmp_path: Path) -> None:
    matcher = compile_codebooks([load_codebook(write_codebook(tmp_path, BOOK))])
    assert matcher.find_code("arbeid/jobb") == "arbeid/jobb"
    assert matcher.find_code("praksis") == "arbeid/praksis"
    with pytest.raises(CodebookError, match="Did you mean 'arbeid/jobb'"):
        matcher.find_code("jobbb")


def test_roles_are_the_speakers_of_any_code(tmp_path: Path) -> None:
    book = BOOK + "    speakers: [interviewer]\n"
    matcher = compile_codebooks([load_codebook(write_codebook(tmp_path, book))])
    assert matcher.roles == {"informant", "interviewer"}


def test_fold_case_makes_what_a_regex_matches_ignoring_case_equal_to_a_literal() -> None:
    import regex

    from mimres_cli.codebook.compile import _LITERAL_CHARS, fold_case

    # every case pair of a letter with Latin letters or digits lies in the first plane
    every = "".join(chr(i) for i in range(0x10000) if not 0xD800 <= i < 0xE000)
    for char in sorted(_LITERAL_CHARS):
        for found in regex.finditer(regex.escape(char), every, regex.IGNORECASE):
            assert char in fold_case(found.group()), (char, hex(ord(found.group())))


@pytest.mark.parametrize(
    ("pattern", "literals"),
    [
        (r"\bi\s+arbeid\b(?!\w)", (("arbeid",), ("i",))),
        (r"\b[1-9]\d?\s*(%|prosent)\s+(stilling|jobb)", (("jobb", "stilling"),)),
        (r"\bbade(r)?\b|\bbada\b", (("bad",), ("a", "e"))),  # Python factors out "bad"
        (r"\bNAV(-kontor)?", (("nav",),)),  # one run, lowercased
        (r"\b(nav|kommunen)?\s+samordn\w*", (("samordn",),)),  # an optional group: nothing
        (r"(ja|)\s+takk", (("takk",),)),
        (r"(ja|)", None),  # an empty alternative
        (r"\p{L}+jobb", None),  # regex-only syntax: Python cannot parse it
        (r"(?:jobb){e<=1}", None),  # fuzzy matching: Python reads the braces as literals
        (r"[jJ]obb", (("obb",),)),
        (r"søk(e|er|te)", (("søk",), ("e", "er", "te"))),
        (r"(har|fikk)\s+ikke\s+tid\b", (("ikke",), ("fikk", "har"), ("tid",))),
        (r"\w+", None),
    ],
)
def test_required_literals_are_what_every_match_contains(pattern: str, literals) -> None:
    from mimres_cli.codebook.compile import required_literals

    assert required_literals(pattern) == literals


@pytest.mark.parametrize(
    ("pattern", "leading"),
    [
        (r"\b(har|hadde|ha|få|fikk)\s+ikke\s+tid\b", ("fikk", "få", "ha")),  # "ha" begins "har"
        (r"\bNAV(-kontor)?", ("nav",)),
        (r"\b(ansett\w*|(?<!de )tilset(te)?)\s+folk", ("ansett", "tilset")),  # look-behind
        (r"\bbade(r)?\b|\bbada\b", ("bad",)),
        (r"(jobb)+\s+her", ("jobb",)),
        (r"\bå\s+bo", None),  # one letter: searched whole
        (r"\b(nav|kommunen)?\s+samordn\w*", None),  # an optional group first
        (r"(ja|)\s+takk", None),  # an empty alternative
        (r"[jJ]obb", None),  # a set first
        (r"(?:jobb){e<=1}", None),  # fuzzy matching
        (r"\p{L}+jobb", None),
    ],
)
def test_leading_literals_begin_every_match(pattern: str, leading) -> None:
    from mimres_cli.codebook.compile import leading_literals

    assert leading_literals(pattern) == leading


@pytest.mark.parametrize(
    "pattern",
    [
        r"\b(har|hadde|ha|få|fikk)\s+ikke\s+tid\b",
        r"\b(ansett\w*|(?<!de )tilset(te)?)\s+folk",
        r"\bbade(r)?\b|\bbada\b",
        r"\b(nav|kommunen)\b(\W+\w+){0,3}?\W+samordn\w*",
        r"(jobb)+(?!en)",
    ],
)
def test_a_regex_tried_where_its_leading_strings_begin_finds_what_finditer_finds(
    pattern: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import random

    import regex

    from mimres_cli.codebook import compile as compile_module
    from mimres_cli.codebook.compile import _search_from, fold_case, leading_literals

    monkeypatch.setattr(compile_module, "_CHARS_PER_TRY", 1)  # never the whole search
    from mimres_cli.codebook.model import Code

    words = ("har", "Hadde", "ha", "få", "FIKK", "ikke", "tid", "de", "tilsette", "ansetter",
             "folk", "bade", "bader", "bada", "Badet", "NAV", "kommunen", "samordning", "og",
             "jobbjobb", "jobben", "xhar", "tilset", ",", ".")  # fmt: skip
    compiled = regex.compile(pattern, regex.IGNORECASE)
    leading = leading_literals(pattern)
    assert leading is not None
    code = Code(id="c", label="C", path="c")
    rng = random.Random(5)
    for _ in range(300):
        text = "".join(rng.choice(words) + rng.choice(("", " ", "  ")) for _ in range(12))
        expected = [(m.start(), m.end()) for m in compiled.finditer(text)]
        found = _search_from(compiled, text, fold_case(text), leading, code, pattern)
        assert [(m.start(), m.end()) for m in found] == expected, text


def test_glob_heads_and_tails_of_several_lengths_match_by_their_own_length(tmp_path: Path) -> None:
    book = """
codes:
  - id: ord
    label: Ord
    codes:
      - id: a
        label: A
        terms: ["arbeid*", "inn*", "*skole", "*plass", "*tilbud"]
"""
    matcher = compile_codebooks([load_codebook(write_codebook(tmp_path, book))])
    words = {word: n for n, word in enumerate(matcher._word_ids)}

    def satisfied(form: str) -> set[str]:
        ids = matcher.word_ids((form,))
        return {word for word, n in words.items() if n in ids}

    assert satisfied("arbeidsliv") == {"arbeid*"}  # a head longer than the shortest head
    assert satisfied("innvandrer") == {"inn*"}
    assert satisfied("arbe") == set()  # the shortest head's length, no head
    assert satisfied("innarbeid") == {"inn*"}
    assert satisfied("voksenskole") == {"*skole"}
    assert satisfied("kommunetilbud") == {"*tilbud"}  # a tail longer than the shortest tail
    assert satisfied("innplass") == {"inn*", "*plass"}
    assert satisfied("in") == set()  # shorter than every head and tail
    assert satisfied("skole") == {"*skole"}


def test_a_regex_tried_where_its_leading_string_begins_still_stops_in_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import regex

    from mimres_cli.codebook import compile as compile_module
    from mimres_cli.codebook.compile import _search_from, leading_literals
    from mimres_cli.codebook.model import Code
    from mimres_cli.errors import CodebookError

    monkeypatch.setattr(compile_module, "_CHARS_PER_TRY", 1)
    monkeypatch.setattr(compile_module, "REGEX_SECONDS", 0.2)
    pattern = "ab(a|aa)+$"  # backtracks catastrophically after "ab"
    assert leading_literals(pattern) == ("ab",)
    text = "ab" + "a" * 60 + "!"
    with pytest.raises(CodebookError) as caught:
        _search_from(
            regex.compile(pattern, regex.I),
            text,
            text,
            ("ab",),
            Code(id="c", label="C", path="c"),
            pattern,
        )
    assert caught.value.code == "E221"


def test_literal_sets_held_by_a_units_types_are_those_its_text_holds(
    tmp_path: Path, fallback_pipeline
) -> None:
    from spacy.tokens import Doc

    from mimres_cli.codebook.compile import _LiteralTypes, fold_case, required_literals
    from mimres_cli.nlp.arrays import doc_arrays

    patterns = [r"\bsamordn\w*", r"\b(har|fikk)\s+ikke\s+tid\b", r"\bkjed(er|et)\s+(meg|oss)\b",
                r"\b(nav|kommunen)\b", r"\b(ha|få)\s+tid"]  # fmt: skip
    literal_types = _LiteralTypes(required_literals(p) for p in patterns)
    assert ("få", "ha") in literal_types.sets  # two letters: read from the types
    nlp = fallback_pipeline.nlp
    texts = ["Jeg har ikke tid, sa NAV-kontoret.", "Samordningen kjeder meg.", "Fikk vi tid?",
             "Kommunen og nav kjedet oss ikke."]  # fmt: skip
    for text in texts:
        doc = nlp(text)
        held = literal_types.held(doc_arrays(doc), 0, len(doc))
        assert held, text
        for strings, found in held.items():
            assert found == any(one in fold_case(doc.text) for one in strings), (text, strings)
    # "sam" and "ordning" written together: "samordn" lies across two tokens, so the unit
    # is told from its text, and the regex still finds it
    glued = Doc(nlp.vocab, words=["Vi", "sam", "ordner", "."], spaces=[True, False, False, False])
    assert literal_types.held(doc_arrays(glued), 0, len(glued)) == {}
    book = "codes:\n  - id: s\n    label: S\n    regex: ['\\bsamordn\\w*']\n"
    matcher = compile_codebooks([load_codebook(write_codebook(tmp_path, book))])
    assert [h.words for h in matcher.match(glued[:])] == ["samordner"]
