"""Lemma frequencies, keyness (G², log ratio) and entities on a tiny corpus counted by hand.

Group A (flyktning), 10 informant words: interview a1 "jobb×3 språk×2 og×2 bo", a2 "jobb bo".
Group B (arbeidsgiver), 20 informant words: interview b1 "jobb×2 ansatt×6 og×4 drift×8".
Marks, punctuation and interviewer turns are in the table too and must not count.

Keyness of A against B (c = 10, d = 20), worked by hand:
  jobb   a=4 b=2: E1 = 10·6/30 = 2, E2 = 4; G² = 2(4 ln 2 + 2 ln ½) = 4 ln 2 = 2.773;
                  log2((4/10)/(2/20)) = log2 4 = 2
  språk  a=2 b=0: E1 = 2/3; G² = 2·2 ln 3 = 4.394; log2((2/10)/(0.5/20)) = log2 8 = 3
  ansatt a=0 b=6: E2 = 4; G² = −2·6 ln 1.5 = −4.866; log2((0.5/10)/(6/20)) = log2 ⅙ = −2.585
  drift  a=0 b=8: E2 = 16/3; G² = −16 ln 1.5 = −6.487; log2((0.5/10)/(8/20)) = −3
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from mimres_cli.errors import MimresError
from mimres_cli.findings.words import (
    count_words,
    entities,
    frequencies,
    keyness,
    load_stopwords,
    log_likelihood,
)


def _row(interview, group, lemma, *, kind="word", role="informant", upos=None, entity=None,
         sentence=0, token=0, start=0, text=None):  # fmt: skip
    text = text or lemma
    return {
        "interview_id": interview, "group": group, "role": role, "sentence_index": sentence,
        "token_index": token, "text": text, "lemma": lemma, "upos": upos, "entity": entity,
        "start": start, "end": start + len(text), "kind": kind,
    }  # fmt: skip


def _tokens() -> list[pd.DataFrame]:
    a1 = ["jobb"] * 3 + ["språk"] * 2 + ["og"] * 2 + ["bo"]
    a2 = ["jobb", "bo"]
    b1 = ["jobb"] * 2 + ["ansatt"] * 6 + ["og"] * 4 + ["drift"] * 8
    chunk_a1 = [_row("a1", "flyktning", w) for w in a1]
    chunk_a1 += [
        _row("a1", "flyktning", "eh", kind="mark"),
        _row("a1", "flyktning", ".", kind="punct"),
    ]
    chunk_a2 = [_row("a2", "flyktning", w) for w in a2]
    chunk_b1 = [_row("b1", "arbeidsgiver", w) for w in b1]
    chunk_b1 += [_row("b1", "arbeidsgiver", "jobb", role="interviewer")] * 5
    return [pd.DataFrame(chunk) for chunk in (chunk_a1, chunk_a2, chunk_b1)]


def _records(table: pd.DataFrame) -> list[tuple]:
    return [tuple(row) for row in table.itertuples(index=False)]


def test_frequencies_count_per_10k_and_interviews_by_hand() -> None:
    counts = count_words(_tokens(), ["group"])
    table = frequencies(counts, stopwords={"og"})
    assert list(table.columns) == ["group", "lemma", "count", "per_10k", "interviews"]
    assert _records(table) == [
        ("arbeidsgiver", "drift", 8, 4000.0, 1),
        ("arbeidsgiver", "ansatt", 6, 3000.0, 1),
        ("arbeidsgiver", "jobb", 2, 1000.0, 1),
        ("flyktning", "jobb", 4, 4000.0, 2),
        ("flyktning", "bo", 2, 2000.0, 2),
        ("flyktning", "språk", 2, 2000.0, 1),
    ]


def test_frequencies_keep_stop_words_in_the_denominator_and_respect_top_and_min_count() -> None:
    counts = count_words(_tokens(), ["group"])
    table = frequencies(counts, stopwords={"OG"}, min_count=3, top=1)
    assert _records(table) == [("arbeidsgiver", "drift", 8, 4000.0, 1),
                               ("flyktning", "jobb", 4, 4000.0, 2)]  # fmt: skip
    everything = frequencies(counts)
    assert ("flyktning", "og", 2, 2000.0, 1) in _records(everything)


def test_frequencies_without_groups_count_the_whole_corpus() -> None:
    table = frequencies(count_words(pd.concat(_tokens()), []), stopwords={"og"}, top=3)
    # Ties are broken by the lemma, alphabetically.
    assert _records(table) == [("drift", 8, 2666.67, 1), ("ansatt", 6, 2000.0, 1),
                               ("jobb", 6, 2000.0, 3)]  # fmt: skip


def test_keyness_matches_the_hand_worked_g2_and_log_ratio() -> None:
    table = keyness(count_words(_tokens(), ["group"]), stopwords={"og"})
    assert list(table.columns) == ["group", "lemma", "count", "count_rest", "per_10k",
                                   "per_10k_rest", "g2", "log_ratio", "interviews"]  # fmt: skip
    flyktning = table[table["group"] == "flyktning"]
    assert _records(flyktning[["lemma", "count", "count_rest", "g2", "log_ratio"]]) == [
        ("bo", 2, 0, 4.394, 3.0),
        ("språk", 2, 0, 4.394, 3.0),
        ("jobb", 4, 2, 2.773, 2.0),
        ("ansatt", 0, 6, -4.866, -2.585),
        ("drift", 0, 8, -6.487, -3.0),
    ]
    employer = table[table["group"] == "arbeidsgiver"].set_index("lemma")
    assert employer.loc["drift", "g2"] == 6.487 and employer.loc["drift", "log_ratio"] == 3.0
    assert employer.loc["jobb", "g2"] == -2.773 and employer.loc["jobb", "per_10k"] == 1000.0
    assert employer.loc["jobb", "per_10k_rest"] == 4000.0
    assert employer.loc["språk", "interviews"] == 0


def test_log_likelihood_formula_and_zero_correction() -> None:
    g2, ratio = log_likelihood(4, 2, 10, 20)
    assert g2 == pytest.approx(4 * math.log(2))
    assert ratio == pytest.approx(2.0)
    g2, ratio = log_likelihood(0, 6, 10, 20)
    assert g2 == pytest.approx(-12 * math.log(1.5))
    assert ratio == pytest.approx(math.log2(1 / 6))
    assert log_likelihood(1, 2, 10, 20) == (0.0, 0.0)  # same relative frequency: not key


def test_keyness_needs_two_groups() -> None:
    with pytest.raises(MimresError, match="at least two groups"):
        keyness(count_words([_tokens()[0]], ["group"]))
    with pytest.raises(MimresError, match="no grouping"):
        keyness(count_words(_tokens(), []))


def test_pos_filter_needs_tags_and_selects_them() -> None:
    counts = count_words(_tokens(), ["group"])
    with pytest.raises(MimresError, match="--pos needs part-of-speech tags"):
        frequencies(counts, pos=["NOUN"])
    tagged = [c.assign(upos=c["lemma"].map({"jobb": "NOUN", "bo": "VERB"})) for c in _tokens()]
    table = frequencies(count_words(tagged, ["group"]), pos=["noun"])
    assert _records(table) == [("arbeidsgiver", "jobb", 2, 1000.0, 1),
                               ("flyktning", "jobb", 4, 4000.0, 2)]  # fmt: skip


def test_entities_join_bio_tokens_and_skip_marks_and_interviewers() -> None:
    rows = [
        _row("a1", "flyktning", "nordre", text="Nordre", entity="B-GPE_LOC", token=0, start=0),
        _row("a1", "flyktning", "land", text="Land", entity="I-GPE_LOC", token=1, start=7),
        _row("a1", "flyktning", "NAV", entity="B-ORG", token=2, start=12),
        _row("a1", "flyktning", "#", kind="mark", entity="B-GPE_LOC", token=3, start=16),
        _row("a1", "flyktning", "og", entity="O", token=4, start=18),
        _row("a2", "flyktning", "NAV", entity="B-ORG", sentence=1),
        _row("b1", "arbeidsgiver", "NAV", entity="B-ORG"),
        _row("b1", "arbeidsgiver", "Oslo", entity="B-GPE_LOC", role="interviewer", token=1),
    ]
    counts = count_words(pd.DataFrame(rows), ["group"])
    assert counts.has_entities
    assert _records(entities(counts)) == [
        ("arbeidsgiver", "ORG", "NAV", 1, 1),
        ("flyktning", "GPE_LOC", "Nordre Land", 1, 1),
        ("flyktning", "ORG", "NAV", 2, 2),
    ]


def test_entities_without_ner_is_an_empty_table() -> None:
    counts = count_words(_tokens(), ["group"])
    assert not counts.has_entities
    table = entities(counts)
    assert table.empty and list(table.columns) == ["group", "label", "entity", "count",
                                                   "interviews"]  # fmt: skip


def test_shipped_stopwords_are_function_words_not_content_words() -> None:
    stop = load_stopwords()
    assert {"og", "jeg", "meg", "være", "er", "ikke", "liksom", "altså", "ja"} <= stop
    # spaCy's nb list has these; in interviews they are what people talk about.
    assert not stop & {"kontakt", "ønsker", "mener", "viktig", "folk", "tid", "komme", "land"}


def test_load_stopwords_from_a_file_with_comments(tmp_path: Path) -> None:
    path = tmp_path / "stop.txt"
    path.write_text("# mine\nOg\n\njobb  # common here\n", encoding="utf-8")
    assert load_stopwords(path) == frozenset({"og", "jobb"})
