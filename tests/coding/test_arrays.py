"""Coding from Doc arrays (nlp/arrays.py): the arrays say what the Tokens say, and a small
Nynorsk/compound/negation/evidence/pattern corpus codes to the segments worked out by hand."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from conftest import write_codebook, write_transcript
from mimres_cli.codebook import compile_codebooks, load_codebook
from mimres_cli.coding import code_interviews
from mimres_cli.corpus import load_corpus
from mimres_cli.corpus.marks import find_marks
from mimres_cli.nlp import parse_interviews
from mimres_cli.nlp.arrays import TYPES, DocArrays
from mimres_cli.nlp.cache import decode_arrays, encode_arrays
from mimres_cli.nlp.words import is_word_token, mark_tokens

TEXT = (
    "Eg har ikkje fått jobb hos arbeidsgjevaren, men norskopplæringa # var  fin. "
    "Ja ... [ler] Han fekk fast jobb!\n\nTo 100 % stillingar? Mm."
)


@pytest.mark.parametrize("pipeline_name", ["fallback_pipeline", "stand_in_pipeline"])
def test_the_arrays_say_what_the_tokens_say(pipeline_name: str, request) -> None:
    doc = request.getfixturevalue(pipeline_name).nlp(TEXT)
    built = DocArrays.of_doc(doc)
    # read back from the parse cache's arrays file, they say the same without the Doc
    stored = decode_arrays(encode_arrays([built]), [TEXT], doc.vocab)[0]
    for arrays in (built, stored):
        _same_as_tokens(arrays, doc)


def _same_as_tokens(arrays: DocArrays, doc) -> None:
    skip = mark_tokens(doc, find_marks(TEXT))
    assert skip  # "#" and "[ler]"
    assert arrays.text == doc.text == TEXT
    assert (arrays.has_pos, arrays.has_dep, arrays.has_sents) == (
        doc.has_annotation("POS"), doc.has_annotation("DEP"), doc.has_annotation("SENT_START"),
    )  # fmt: skip
    assert [arrays.token_text(t.i) for t in doc] == [t.text for t in doc]
    assert [TYPES.pairs[k] for k in arrays.type_of] == [(t.text, t.lemma_) for t in doc]
    assert [arrays.pos_(t.i) for t in doc] == [t.pos_ for t in doc]
    assert [arrays.dep_(t.i) for t in doc] == [t.dep_ for t in doc]
    if arrays.has_dep:
        assert arrays.head is not None
        assert arrays.head.tolist() == [t.head.i for t in doc]
        assert all(arrays.children.get(t.i, []) == [c.i for c in t.children] for t in doc)
    assert arrays.sentence_bounds() == [(s.start, s.end) for s in doc.sents]
    for start, end in [(0, 3), (1, 2), (2, 9), (10, len(TEXT)), (5, 5), (3, 40), (0, 200)]:
        span = doc.char_span(start, end, alignment_mode="expand")
        assert arrays.char_span(start, end) == (None if span is None else (span.start, span.end))
    for start, end in [(0, len(doc)), (3, 17), (5, len(doc) - 2)]:
        span = doc[start:end]
        assert arrays.words(start, end, skip) == sum(is_word_token(t, skip) for t in span)
        before, count = arrays.before(start, end, skip), 0
        for token in span:
            assert before[token.i] == count
            count += token.i not in skip and not token.is_space and not token.is_punct
        assert before[end] == count
        assert start - 1 not in before and end + 1 not in before
        sentences = arrays.sentences(start, end)
        for sent in span.sents:
            bounds = (max(sent.start, start), min(sent.end, end))
            assert all(sentences.get(i) == bounds for i in range(*bounds))
        assert sentences.get(end) is None
        for token in span:
            assert arrays.sentence_start(token.i) == token.sent.start


CODEBOOK = """
codebook: arrays
language: nb
codes:
  - id: jobb
    label: Jobb
    terms: [jobb, "arbeidsgiver*"]
    negation: flag
  - id: kurs
    label: Kurs
    terms: ["*opplæring", "norsk kurs"]
    min_hits: 2
    scope: sentence
  - id: fast
    label: Fast jobb
    patterns:
      - [{LOWER: fast}, {LOWER: {REGEX: "^jobb(en)?$"}}]
    negation: ignore
"""
BODY = """\
I: Korleis går det med arbeidet?
Informant: Eg har ikkje fått jobb hos arbeidsgjevaren # enno. Men norskopplæringa var fin.
I: Og kurset?
Informant: Eg tok norsk kurs og så vaksenopplæring. Han fekk fast jobb, og eg jobb fast.
Informant: Fast og jobb, men ingen fast stilling.
"""


@pytest.mark.parametrize("unit", ["turn", "sentence"])
def test_a_nynorsk_mini_corpus_codes_to_the_hand_worked_segments(
    tmp_path: Path, fallback_pipeline, unit: str
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_transcript(corpus, "nn.md", "id: nn\nmunicipality: Vågå\ngroup: flyktning", BODY)
    matcher = compile_codebooks([load_codebook(write_codebook(tmp_path, CODEBOOK))])
    parsed = parse_interviews(load_corpus(corpus), fallback_pipeline)
    segments = code_interviews(parsed, matcher, unit=unit).segments
    found = [
        (row.unit_index, row.code, row.matched, row.negated, row.evidence)
        for row in segments.itertuples(index=False)
    ]
    if unit == "turn":
        assert found == [
            # "jobb" and "arbeidsgjevaren" (arbeidsgiver* through its Nynorsk equivalent),
            # both after "ikkje" in the clause: negated; the quote is their sentence.
            (1, "jobb", "jobb; arbeidsgjevaren", True,
             "Eg har ikkje fått jobb hos arbeidsgjevaren # enno."),
            # norskopplæringa alone: min_hits 2 in one sentence not met, so no kurs in unit 1.
            # Unit 3: "norsk kurs" and "vaksenopplæring" in one sentence meet it; "jobb"
            # twice, not negated; the pattern "fast jobb" (not "jobb fast").
            (3, "jobb", "jobb", False, "Han fekk fast jobb, og eg jobb fast."),
            (3, "kurs", "norsk kurs; vaksenopplæring", False,
             "Eg tok norsk kurs og så vaksenopplæring."),
            (3, "fast", "fast jobb", False, "Han fekk fast jobb, og eg jobb fast."),
            # "Fast og jobb": the pattern needs the words together; "jobb" is not negated
            # (the "ingen" comes after it).
            (4, "jobb", "jobb", False, "Fast og jobb, men ingen fast stilling."),
        ]  # fmt: skip
    else:
        # Sentence units (0 the first question, 2 "Men norskopplæringa var fin.", 3 "Og
        # kurset?"): the same hits, each in its sentence's unit.
        assert found == [
            (1, "jobb", "jobb; arbeidsgjevaren", True,
             "Eg har ikkje fått jobb hos arbeidsgjevaren # enno."),
            (4, "kurs", "norsk kurs; vaksenopplæring", False,
             "Eg tok norsk kurs og så vaksenopplæring."),
            (5, "jobb", "jobb", False, "Han fekk fast jobb, og eg jobb fast."),
            (5, "fast", "fast jobb", False, "Han fekk fast jobb, og eg jobb fast."),
            (6, "jobb", "jobb", False, "Fast og jobb, men ingen fast stilling."),
        ]  # fmt: skip


def test_the_matcher_runs_only_where_a_pattern_can_match(tmp_path: Path, fallback_pipeline) -> None:
    matcher = compile_codebooks([load_codebook(write_codebook(tmp_path, CODEBOOK))])
    nlp = fallback_pipeline.nlp
    texts = ("Fast og jobb.", "Fast jobben.", "Ein dag.", "Ja, eg fekk fast jobb i går.")
    apart, together, neither, inside = (nlp(t) for t in texts)
    assert [h.words for h in matcher.match(together[:])] == ["jobben", "Fast jobben"]
    assert [h.words for h in matcher.match(apart[:])] == ["jobb"]
    hits = [(h.rule, h.words, h.first, h.last, h.start, h.end) for h in matcher.match(inside[:])]
    assert hits == [("term", "jobb", 5, 5, 17, 21), ("pattern", "fast jobb", 4, 5, 12, 21)]
    patterns = matcher._token_patterns
    assert patterns is not None and patterns.form_only
    from mimres_cli.nlp.arrays import doc_arrays

    # the tokens from the first possible start to the last possible end
    assert patterns.window(doc_arrays(inside), 0, len(inside)) == (4, 6)
    assert patterns.window(doc_arrays(together), 0, len(together)) == (0, 2)
    assert patterns.window(doc_arrays(apart), 0, len(apart)) is None
    assert patterns.window(doc_arrays(neither), 0, len(neither)) is None
    assert patterns.window(doc_arrays(inside), 0, 5) is None  # "fast" without its "jobb"
    spaced = nlp("fast  jobb")  # a white-space token between: no match, as in spaCy
    assert patterns.window(doc_arrays(spaced), 0, len(spaced)) is None


@pytest.mark.parametrize(
    "pattern",
    [
        [{"LOWER": {"IN": ["har", "fekk"]}}, {"IS_PUNCT": False, "OP": "*"}, {"LOWER": "jobb"}],
        [{"LOWER": "fast"}, {"OP": "?"}, {"TEXT": {"REGEX": "^jo"}}],
        [{"LOWER": {"NOT_IN": ["eg"]}, "OP": "+"}, {"LOWER": "jobb"}],
        [{"IS_ALPHA": True}, {"LOWER": "jobb"}],  # a form test left to spaCy
        [{"LEMMA": "jobb"}],  # not a form test: the turn's Doc
        [{"LOWER": "fast"}, {"LOWER": "jobb", "OP": "!"}],  # an operator it does not follow
    ],
)
def test_token_patterns_find_what_spacys_matcher_finds_in_the_whole_unit(
    pattern, fallback_pipeline, tmp_path: Path
) -> None:
    from spacy.matcher import Matcher

    book = "codebook: p\nlanguage: nb\ncodes:\n  - id: p\n    label: P\n    patterns:\n"
    book += f"      - {json.dumps(pattern, ensure_ascii=False)}\n"
    matcher = compile_codebooks([load_codebook(write_codebook(tmp_path, book))])
    whole = Matcher(fallback_pipeline.nlp.vocab)
    whole.add("p", [pattern], greedy="LONGEST")
    for text in ("Eg har fått meg fast jobb, og han fekk jobb.", "Fast, jobb! Har ikkje jobb."):
        doc = fallback_pipeline.nlp(text)
        expected = sorted((doc[s:e].text, s) for _, s, e in whole(doc))
        found = sorted((h.words, h.first) for h in matcher.match(doc[:]) if h.rule == "pattern")
        assert found == expected


def _matches_at(steps: list, sat: np.ndarray, start: int, end: int) -> bool:
    """Whether the pattern matches tokens start..end exactly (plain recursion: the reference)."""
    if not steps:
        return start == end
    (spec, op), rest = steps[0], steps[1:]
    if op in ("?", "*") and _matches_at(rest, sat, start, end):
        return True
    if start < end and sat[start, spec]:
        again = [(spec, "*"), *rest]  # after one token, "+" and "*" may take more
        if op in ("*", "+") and _matches_at(again, sat, start + 1, end):
            return True
        return _matches_at(rest, sat, start + 1, end)
    return False


def test_pattern_places_reached_are_the_first_start_and_last_end_of_every_match() -> None:
    from mimres_cli.codebook.compile import _reachable

    rng = np.random.default_rng(7)
    for _ in range(400):
        tokens, specs = int(rng.integers(0, 9)), int(rng.integers(1, 4))
        sat = rng.random((tokens, specs)) < 0.6
        steps = [(int(rng.integers(0, specs)), [None, "?", "*", "+"][int(rng.integers(0, 4))])
                 for _ in range(int(rng.integers(1, 4)))]  # fmt: skip
        if all(op in ("?", "*") for _, op in steps):
            continue  # such patterns are matched over the whole unit
        matches = [(s, e) for s in range(tokens) for e in range(s + 1, tokens + 1)
                   if _matches_at(steps, sat, s, e)]  # fmt: skip
        ends = np.flatnonzero(_reachable(steps, sat)).tolist()
        starts = [tokens - p for p in np.flatnonzero(_reachable(steps[::-1], sat[::-1]))]
        assert sorted(set(ends)) == sorted({e for _, e in matches})
        assert sorted(set(starts)) == sorted({s for s, _ in matches})


def test_types_known_by_their_hashes_belong_to_their_table(
    fallback_pipeline, stand_in_pipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    import mimres_cli.nlp.arrays as arrays_module

    first = DocArrays.of_doc(fallback_pipeline.nlp(TEXT))
    again = DocArrays.of_doc(fallback_pipeline.nlp(TEXT))  # known types: found by hash
    assert again.type_of.tolist() == first.type_of.tolist()
    fresh = arrays_module.TypeTable()
    monkeypatch.setattr(arrays_module, "TYPES", fresh)
    doc = stand_in_pipeline.nlp(TEXT)  # another vocab, another table
    built = DocArrays.of_doc(doc)
    assert [fresh.pairs[k] for k in built.type_of] == [(t.text, t.lemma_) for t in doc]
    assert len(fresh) == len({(t.text, t.lemma_) for t in doc})


def test_the_built_in_pipeline_gives_the_arrays_it_read_while_parsing(
    fallback_pipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The built-in lemmatiser builds each turn's arrays from its own `to_array` (no second
    read of the Doc): they are what `DocArrays.of_doc` reads, per language of the turn, and
    of the type table in use."""
    import mimres_cli.nlp.arrays as arrays_module
    from mimres_cli.nlp.arrays import doc_arrays

    nynorsk = "Eg kom heim frå skulen i går, og eg veit ikkje kva eg skal gjere no."
    bokmal = "Jeg kom hjem fra skolen i går, og jeg vet ikke hva jeg skal gjøre nå."
    for _ in range(2):  # the second time, every form is known
        for text, lemma in ((nynorsk, "kome"), (bokmal, "komme"), (TEXT, None)):
            doc = fallback_pipeline.nlp(text)
            assert doc in arrays_module._made  # filed while parsing
            arrays = doc_arrays(doc)
            assert doc not in arrays_module._made and arrays.doc is doc
            read = DocArrays.of_doc(doc)
            for name in ("type_of", "flags", "sent_marks", "idx", "end"):
                assert getattr(arrays, name).tolist() == getattr(read, name).tolist()
            assert (arrays.text, arrays.labels, arrays.head) == (text, None, None)
            assert [TYPES.pairs[k] for k in arrays.type_of] == [(t.text, t.lemma_) for t in doc]
            if lemma is not None:
                assert doc[1].text == "kom" and doc[1].lemma_ == lemma
    doc = fallback_pipeline.nlp(TEXT)
    _same_as_tokens(doc_arrays(doc), doc)
    fresh = arrays_module.TypeTable()
    monkeypatch.setattr(arrays_module, "TYPES", fresh)
    doc = fallback_pipeline.nlp(bokmal)  # the lemmatiser's ids are of the table in use
    assert [fresh.pairs[k] for k in doc_arrays(doc).type_of] == [(t.text, t.lemma_) for t in doc]
