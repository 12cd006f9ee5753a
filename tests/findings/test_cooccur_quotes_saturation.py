"""Co-occurrence, quotes and saturation on the hand-worked results (see hand_results.py)."""

from __future__ import annotations

import numpy as np
import pytest
from hand_results import hand_result

from mimres_cli.findings import (
    cooccurrence,
    cooccurrence_by,
    cooccurrence_codes,
    interview_order,
    match_spans,
    quotes,
    saturation,
    trim,
)


@pytest.fixture(scope="module")
def result():
    return hand_result()


def _matrix(table):
    return table.drop(columns=["code", "label"]).to_numpy()


def test_cooccurrence_of_themes_in_units(result) -> None:
    themes = cooccurrence_codes(result.codes)
    table = cooccurrence(result.segments, themes)
    assert list(table["code"]) == ["arbeid", "sprak", "bolig"]
    assert list(table.columns[2:]) == ["arbeid", "sprak", "bolig"]
    # Units: i1u1 {arbeid}, i1u2 {sprak}, i2u0 {arbeid}, i2u3 {arbeid}, i3u1 {arbeid, sprak},
    # i4u2 {bolig}.
    assert _matrix(table).tolist() == [[4, 1, 0], [1, 2, 0], [0, 0, 1]]


def test_cooccurrence_is_symmetric_with_code_totals_on_the_diagonal(result) -> None:
    every = result.codes
    matrix = _matrix(cooccurrence(result.segments, every))
    assert (matrix == matrix.T).all()
    assert np.diag(matrix).tolist() == [4, 2, 3, 2, 2, 1]  # distinct units per code


def test_cooccurrence_of_interviews_and_jaccard(result) -> None:
    themes = cooccurrence_codes(result.codes)
    counts = cooccurrence(result.segments, themes, level="interview")
    assert _matrix(counts).tolist() == [[3, 2, 0], [2, 2, 0], [0, 0, 1]]
    jaccard = _matrix(cooccurrence(result.segments, themes, level="interview", measure="jaccard"))
    assert jaccard[0, 1] == pytest.approx(2 / 3, abs=1e-4)  # 2 / (3 + 2 - 2)
    assert np.diag(jaccard).tolist() == [1.0, 1.0, 1.0]
    unit_jaccard = _matrix(cooccurrence(result.segments, themes, measure="jaccard"))
    assert unit_jaccard[0, 1] == pytest.approx(0.2)  # 1 / (4 + 2 - 1)


def test_cooccurrence_below_a_code_and_per_group(result) -> None:
    below = cooccurrence_codes(result.codes, "arbeid")
    assert list(below["code"]) == ["arbeid/jobb", "arbeid/praksis"]
    found = cooccurrence_by(result.segments, result.interviews, below, "group")
    assert list(found) == ["all", "group=arbeidsgiver", "group=flyktning", "group=hjelpeapparat"]
    assert _matrix(found["all"]).tolist() == [[2, 1], [1, 3]]
    assert _matrix(found["group=arbeidsgiver"]).tolist() == [[1, 0], [0, 1]]
    assert _matrix(found["group=hjelpeapparat"]).tolist() == [[0, 0], [0, 0]]


def test_quotes_are_balanced_across_cells_and_interviews(result) -> None:
    found = quotes(result.segments, result.codes, "arbeid", by=["municipality"], n=2)
    # Sel has three arbeid units in two interviews: one from each; Vågå has one unit.
    assert list(found["municipality"]) == ["Sel", "Sel", "Vågå"]
    assert set(found.loc[found["municipality"] == "Sel", "interview_id"]) == {"i1", "i2"}
    assert list(found.loc[found["municipality"] == "Vågå", "interview_id"]) == ["i3"]
    # i1u1 holds two codes of the theme: one candidate, its matches merged.
    merged = found[found["interview_id"] == "i1"]
    assert list(merged["matched"]) == ["jobben; praksisplassen"]


def test_quotes_are_deterministic_and_independent_of_other_cells(result) -> None:
    one = quotes(result.segments, result.codes, "arbeid", by=["group"], n=1, seed=7)
    again = quotes(result.segments, result.codes, "arbeid", by=["group"], n=1, seed=7)
    assert one.equals(again)
    without_vaga = result.segments[result.segments["municipality"] != "Vågå"]
    sel_only = quotes(without_vaga, result.codes, "arbeid", by=["group"], n=1, seed=7)
    picked = one[one["group"] == "arbeidsgiver"][["interview_id", "unit_index"]]
    assert sel_only[sel_only["group"] == "arbeidsgiver"][["interview_id", "unit_index"]].equals(
        picked.reset_index(drop=True)
    )
    chosen = {
        tuple(quotes(result.segments, result.codes, "arbeid", by=[], n=1, seed=s)["interview_id"])
        for s in range(12)
    }
    assert len(chosen) > 1  # the seed matters


def test_quotes_of_a_leaf_code_and_of_an_empty_one(result) -> None:
    found = quotes(result.segments, result.codes, "sprak/norsk", by=["group"], n=3)
    # Both in the flyktning cell, in the seed's order.
    assert sorted(zip(found["interview_id"], found["matched"], strict=True)) == [
        ("i1", "Norskopplæringen"), ("i3", "norskopplæring"),
    ]  # fmt: skip
    assert found.columns[:5].tolist() == ["code", "interview_id", "speaker", "municipality",
                                          "group"]  # fmt: skip
    assert quotes(result.segments.iloc[0:0], result.codes, "bolig").empty


def test_trim_cuts_around_the_match_at_word_boundaries() -> None:
    text = (
        "Først bodde vi i et lite hus utenfor sentrum. Så fikk jeg praksisplass på "
        "hotellet, og etter et år fikk jeg fast jobb der. Det var veldig bra for oss."
    )
    short = trim(text, "praksisplass", 60)
    assert "praksisplass" in short
    assert short.startswith("…") and short.endswith("…")
    assert len(short) <= 62
    inner = short[1:-1]
    at = text.find(inner)
    assert at > 0 and text[at - 1] == " "  # starts at a word
    assert text[at + len(inner)] == " "  # ends at a word
    assert trim(text, "praksisplass", 0) == text
    assert trim("Kort.\nTekst", "", 100) == "Kort. Tekst"


def test_match_spans_find_each_matched_word_case_insensitively() -> None:
    text = "Jobben er fin, og jobben gir praksis. Fast jobb!"
    assert match_spans(text, "jobben; fast jobb") == [(0, 6), (18, 24), (38, 47)]
    assert match_spans(text, "") == []


def test_saturation_in_file_order(result) -> None:
    table = saturation(result.segments, result.interviews)
    assert list(table["interview_id"]) == ["i1", "i2", "i3", "i4"]
    assert list(table["codes"]) == [3, 2, 2, 1]
    assert list(table["new_codes"]) == [3, 0, 0, 1]
    assert list(table["cumulative_codes"]) == [3, 3, 3, 4]
    assert list(table["cumulative_share"]) == [0.75, 0.75, 0.75, 1.0]
    assert table["new"].iloc[0] == "arbeid/jobb; arbeid/praksis; sprak/norsk"


def test_saturation_by_date_and_by_group(result) -> None:
    by_date = saturation(result.segments, result.interviews, order="date")
    assert list(by_date["interview_id"]) == ["i4", "i2", "i3", "i1"]
    assert list(by_date["new_codes"]) == [1, 2, 1, 0]
    by_group = saturation(result.segments, result.interviews, by="group")
    assert list(by_group["group"]) == ["arbeidsgiver", "flyktning", "flyktning", "hjelpeapparat"]
    assert list(by_group["position"]) == [1, 1, 2, 1]
    assert list(by_group["new_codes"]) == [2, 3, 0, 1]
    assert list(by_group["cumulative_share"]) == [1.0, 1.0, 1.0, 1.0]


def test_random_order_depends_only_on_the_seed(result) -> None:
    first = interview_order(result.interviews, "random", seed=3)
    assert first == interview_order(result.interviews, "random", seed=3)
    assert sorted(first) == ["i1", "i2", "i3", "i4"]
    orders = {tuple(interview_order(result.interviews, "random", seed=s)) for s in range(10)}
    assert len(orders) > 1
    # Dropping an interview leaves the others in the same relative order.
    fewer = interview_order(result.interviews[result.interviews["interview_id"] != "i2"],
                            "random", seed=3)  # fmt: skip
    assert fewer == [i for i in first if i != "i2"]
