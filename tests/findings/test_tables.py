"""Report tables on the hand-worked results (see hand_results.py for the counts)."""

from __future__ import annotations

import pytest
from hand_results import hand_result

from mimres_cli.errors import MimresError
from mimres_cli.findings import corpus_overview, coverage, crosstab, tables


@pytest.fixture(scope="module")
def result():
    return hand_result()


def _rows(table, column):
    return dict(zip(table["code"], table[column], strict=True))


def test_crosstab_share_by_municipality_rolls_themes_up(result) -> None:
    table = crosstab(result.segments, result.interviews, result.codes, "municipality")
    assert list(table.columns) == ["code", "label", "depth", "Sel", "Vågå", "All"]
    assert list(table["code"]) == [
        "arbeid", "arbeid/jobb", "arbeid/praksis", "sprak", "sprak/norsk", "bolig",
    ]  # fmt: skip
    assert _rows(table, "Sel") == {"arbeid": 1.0, "arbeid/jobb": 1.0, "arbeid/praksis": 1.0,
                                   "sprak": 0.5, "sprak/norsk": 0.5, "bolig": 0.0}  # fmt: skip
    assert _rows(table, "Vågå") == {"arbeid": 0.5, "arbeid/jobb": 0.0, "arbeid/praksis": 0.5,
                                    "sprak": 0.5, "sprak/norsk": 0.5, "bolig": 0.5}  # fmt: skip
    assert _rows(table, "All") == {"arbeid": 0.75, "arbeid/jobb": 0.5, "arbeid/praksis": 0.75,
                                   "sprak": 0.5, "sprak/norsk": 0.5, "bolig": 0.25}  # fmt: skip


def test_crosstab_segments_count_a_theme_unit_once(result) -> None:
    table = crosstab(result.segments, result.interviews, result.codes, "municipality", "segments")
    # i1u1 is coded with jobb and praksis: one unit for arbeid.
    assert _rows(table, "Sel")["arbeid"] == 3
    assert _rows(table, "Vågå")["arbeid"] == 1
    assert _rows(table, "All") == {"arbeid": 4, "arbeid/jobb": 2, "arbeid/praksis": 3,
                                   "sprak": 2, "sprak/norsk": 2, "bolig": 1}  # fmt: skip


def test_crosstab_words_are_informant_words_in_coded_units(result) -> None:
    table = crosstab(result.segments, result.interviews, result.codes, "municipality", "words")
    assert _rows(table, "Sel") == {"arbeid": 23, "arbeid/jobb": 18, "arbeid/praksis": 15,
                                   "sprak": 6, "sprak/norsk": 6, "bolig": 0}  # fmt: skip
    assert _rows(table, "All") == {"arbeid": 35, "arbeid/jobb": 18, "arbeid/praksis": 27,
                                   "sprak": 18, "sprak/norsk": 18, "bolig": 7}  # fmt: skip


def test_crosstab_coded_and_total_interviews(result) -> None:
    coded = crosstab(result.segments, result.interviews, result.codes, "group", "coded_interviews")
    totals = crosstab(result.segments, result.interviews, result.codes, "group", "interviews")
    assert list(coded.columns[3:]) == ["arbeidsgiver", "flyktning", "hjelpeapparat", "All"]
    assert _rows(coded, "flyktning") == {"arbeid": 2, "arbeid/jobb": 1, "arbeid/praksis": 2,
                                         "sprak": 2, "sprak/norsk": 2, "bolig": 0}  # fmt: skip
    assert set(_rows(totals, "flyktning").values()) == {2}
    assert set(_rows(totals, "hjelpeapparat").values()) == {1}
    assert set(_rows(totals, "All").values()) == {4}


def test_crosstab_by_another_attribute(result) -> None:
    table = crosstab(result.segments, result.interviews, result.codes, "gender")
    assert list(table.columns[3:]) == ["kvinne", "mann", "All"]
    assert _rows(table, "kvinne") == {"arbeid": 0.5, "arbeid/jobb": 0.5, "arbeid/praksis": 0.5,
                                      "sprak": 0.5, "sprak/norsk": 0.5, "bolig": 0.5}  # fmt: skip
    assert _rows(table, "mann") == {"arbeid": 1.0, "arbeid/jobb": 0.5, "arbeid/praksis": 1.0,
                                    "sprak": 0.5, "sprak/norsk": 0.5, "bolig": 0.0}  # fmt: skip


def test_crosstab_crossed_attributes_name_columns_by_both_values(result) -> None:
    table = crosstab(result.segments, result.interviews, result.codes, ["municipality", "group"])
    assert list(table.columns[3:]) == [
        "Sel · arbeidsgiver", "Sel · flyktning", "Vågå · flyktning", "Vågå · hjelpeapparat", "All",
    ]  # fmt: skip
    assert _rows(table, "Sel · arbeidsgiver")["arbeid/praksis"] == 1.0
    assert _rows(table, "Vågå · hjelpeapparat")["bolig"] == 1.0


def test_tables_one_per_by_with_subtree_min_share_and_sorting(result) -> None:
    args = (result.segments, result.interviews, result.codes)
    found = tables(*args, ["municipality", "gender"], under="sprak")
    assert list(found) == ["municipality", "gender"]
    assert list(found["gender"]["code"]) == ["sprak", "sprak/norsk"]
    kept = tables(*args, ["group"], min_share=0.5)["group"]
    assert list(kept["code"]) == ["arbeid", "arbeid/jobb", "arbeid/praksis", "sprak", "sprak/norsk"]
    by_total = tables(*args, ["group"], sort="total")["group"]
    # Ties keep codebook order.
    assert list(by_total["code"]) == [
        "arbeid", "arbeid/praksis", "arbeid/jobb", "sprak", "sprak/norsk", "bolig",
    ]  # fmt: skip
    by_label = tables(*args, ["group"], sort="label")["group"]
    assert list(by_label["label"]) == [
        "Arbeid og praksis", "Bolig", "Jobb", "Norskopplæring", "Praksisplass", "Språk",
    ]  # fmt: skip


def test_tables_report_an_unknown_attribute_or_code(result) -> None:
    args = (result.segments, result.interviews, result.codes)
    with pytest.raises(MimresError, match=r"no attribute 'kommune'.*municipality, group, gender"):
        tables(*args, ["kommune"])
    with pytest.raises(MimresError, match=r"no code 'arbeid/lonn'.*arbeid, sprak, bolig"):
        tables(*args, under="arbeid/lonn")
    with pytest.raises(MimresError, match="not a share"):
        tables(*args, min_share=20)


def test_coverage_keeps_its_columns_and_adds_words(result) -> None:
    table = coverage(result.segments, result.interviews, result.codes, ["group"])
    assert list(table.columns) == ["group", "code", "label", "interviews", "coded_interviews",
                                   "share", "segments", "words"]  # fmt: skip
    row = table[(table["group"] == "arbeidsgiver") & (table["code"] == "arbeid")].iloc[0]
    assert (row["interviews"], row["coded_interviews"], row["segments"], row["words"]) == (
        1, 1, 2, 13,
    )  # fmt: skip


def test_corpus_overview_counts_interviews_with_totals(result) -> None:
    table = corpus_overview(result.interviews)
    assert list(table.columns) == ["municipality", "arbeidsgiver", "flyktning", "hjelpeapparat",
                                   "All"]  # fmt: skip
    assert table.to_dict(orient="list") == {
        "municipality": ["Sel", "Vågå", "All"],
        "arbeidsgiver": [1, 0, 1],
        "flyktning": [1, 1, 2],
        "hjelpeapparat": [0, 1, 1],
        "All": [2, 2, 4],
    }


def test_crosstab_names_a_blank_attribute_value(result) -> None:
    interviews = result.interviews.copy()
    interviews.loc[interviews["interview_id"] == "i4", "gender"] = ""
    table = crosstab(result.segments, interviews, result.codes, "gender")
    assert list(table.columns[3:]) == ["(blank)", "kvinne", "mann", "All"]
    assert _rows(table, "(blank)")["bolig"] == 1.0


def test_tables_of_results_without_segments_are_zeros(result) -> None:
    empty = result.segments.iloc[0:0]
    table = crosstab(empty, result.interviews, result.codes, "group", "segments")
    assert len(table) == 6
    assert (table[["arbeidsgiver", "flyktning", "hjelpeapparat", "All"]] == 0).all().all()
