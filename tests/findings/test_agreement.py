"""Agreement numbers worked out by hand on ten units, and checked against the reference alpha."""

from __future__ import annotations

import math

import krippendorff
import numpy as np
import pandas as pd
import pytest

from mimres_cli.findings.agreement import (
    AGREEMENT_COLUMNS,
    OVERALL,
    agreement,
    cohen_kappa,
    krippendorff_alpha,
)

CODES = ["tema", "tema/jobb", "tema/bolig", "sprak"]


def _units(n: int = 10) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "interview_id": ["sel_01"] * 5 + ["vaga_01"] * (n - 5),
            "unit_index": list(range(5)) + list(range(n - 5)),
            "group": ["flyktning"] * 5 + ["arbeidsgiver"] * (n - 5),
            "text": [f"Ytring nummer {i}." for i in range(n)],
        }
    )


def _coded(pairs: list[tuple[int, str]]) -> pd.DataFrame:
    """(global unit number 0..9, code) → rows keyed like the units table."""
    units = _units()
    return pd.DataFrame(
        [
            {"interview_id": units.interview_id[i], "unit_index": units.unit_index[i], "code": c}
            for i, c in pairs
        ],
        columns=["interview_id", "unit_index", "code"],
    )


# A codes tema/jobb on units 0-3 and tema/bolig on 5; B codes tema/jobb on 0, 1, 4 and
# tema/bolig on 5. Nobody codes sprak; tema is never applied directly, only rolled up.
A = _coded([(0, "tema/jobb"), (1, "tema/jobb"), (2, "tema/jobb"), (3, "tema/jobb"),
            (5, "tema/bolig")])  # fmt: skip
B = _coded([(0, "tema/jobb"), (1, "tema/jobb"), (4, "tema/jobb"), (5, "tema/bolig")])


def _row(table: pd.DataFrame, code: str) -> dict:
    return table.set_index("code").loc[code].to_dict()


def test_agreement_counts_and_measures_match_hand_worked_values() -> None:
    table = agreement(_units(), A, B, codes=CODES, names=("mimres", "anna")).table
    assert list(table.columns) == AGREEMENT_COLUMNS
    assert list(table["code"]) == [*CODES, OVERALL]
    jobb = _row(table, "tema/jobb")
    # both 2 (units 0, 1), only A 2 (2, 3), only B 1 (4), neither 5.
    assert [jobb[k] for k in ("units", "coded_a", "coded_b", "both", "only_a", "only_b",
                              "neither")] == [10, 4, 3, 2, 2, 1, 5]  # fmt: skip
    assert jobb["precision"] == pytest.approx(2 / 4)
    assert jobb["recall"] == pytest.approx(2 / 3)
    assert jobb["f1"] == pytest.approx(4 / 7)
    # po = 7/10, pe = .4·.3 + .6·.7 = .54, kappa = .16/.46.
    assert jobb["kappa"] == pytest.approx(0.16 / 0.46)
    # alpha = 1 - (N-1)·d / (n0·n1) with N = 20 values, d = 3 disagreements, n1 = 7, n0 = 13.
    assert jobb["alpha"] == pytest.approx(1 - 19 * 3 / (13 * 7))


def test_agreement_perfect_code_is_one_everywhere() -> None:
    bolig = _row(agreement(_units(), A, B, codes=CODES).table, "tema/bolig")
    assert [bolig[k] for k in ("coded_a", "coded_b", "both", "neither")] == [1, 1, 1, 9]
    assert [bolig[k] for k in ("precision", "recall", "f1", "kappa", "alpha")] == [1, 1, 1, 1, 1]


def test_agreement_code_neither_coder_used_has_counts_and_undefined_measures() -> None:
    sprak = _row(agreement(_units(), A, B, codes=CODES).table, "sprak")
    assert [sprak[k] for k in ("coded_a", "coded_b", "both", "only_a", "only_b", "neither")] == [
        0, 0, 0, 0, 0, 10
    ]  # fmt: skip
    for measure in ("precision", "recall", "f1", "kappa", "alpha"):
        assert math.isnan(sprak[measure]), measure


def test_agreement_theme_rolls_up_its_codes() -> None:
    tema = _row(agreement(_units(), A, B, codes=CODES).table, "tema")
    # A: units 0, 1, 2, 3, 5; B: units 0, 1, 4, 5.
    assert [tema[k] for k in ("coded_a", "coded_b", "both", "only_a", "only_b", "neither")] == [
        5, 4, 3, 2, 1, 4
    ]  # fmt: skip


def test_agreement_overall_pools_the_leaf_codes() -> None:
    overall = _row(agreement(_units(), A, B, codes=CODES).table, OVERALL)
    # 3 leaf codes × 10 units = 30 decisions: both 3, only A 2, only B 1, neither 24.
    assert [overall[k] for k in ("units", "coded_a", "coded_b", "both", "only_a", "only_b",
                                 "neither")] == [10, 5, 4, 3, 2, 1, 24]  # fmt: skip
    assert overall["precision"] == pytest.approx(3 / 5)
    assert overall["recall"] == pytest.approx(3 / 4)
    assert overall["f1"] == pytest.approx(2 / 3)
    # po = 27/30, pe = (5/30)(4/30) + (25/30)(26/30) = 670/900, kappa = (810-670)/(900-670).
    assert overall["kappa"] == pytest.approx(140 / 230)
    # N = 60, d = 3, n1 = 9, n0 = 51.
    assert overall["alpha"] == pytest.approx(1 - 59 * 3 / (51 * 9))


def test_agreement_zero_agreement() -> None:
    units = _units(10).head(4)
    a = _coded([(0, "sprak"), (1, "sprak")])
    b = _coded([(2, "sprak"), (3, "sprak")])
    row = _row(agreement(units, a, b, codes=["sprak"]).table, "sprak")
    assert [row[k] for k in ("both", "only_a", "only_b", "neither")] == [0, 2, 2, 0]
    assert [row[k] for k in ("precision", "recall", "f1")] == [0, 0, 0]
    assert row["kappa"] == pytest.approx(-1.0)  # po = 0, pe = .5
    assert row["alpha"] == pytest.approx(1 - 7 * 4 / (4 * 4))  # N = 8, d = 4, n0 = n1 = 4


def test_agreement_lists_disagreements_with_text_and_side() -> None:
    result = agreement(_units(), A, B, codes=CODES, names=("mimres", "anna"))
    listed = result.disagreements
    assert list(listed.itertuples(index=False, name=None)) == [
        ("sel_01", 2, "tema/jobb", "mimres", "Ytring nummer 2."),
        ("sel_01", 3, "tema/jobb", "mimres", "Ytring nummer 3."),
        ("sel_01", 4, "tema/jobb", "anna", "Ytring nummer 4."),
    ]


def test_agreement_by_group_splits_the_units() -> None:
    table = agreement(_units(), A, B, codes=CODES, by=["group"]).table
    assert list(table.columns) == ["group", *AGREEMENT_COLUMNS]
    refugees = table[(table["group"] == "flyktning") & (table["code"] == "tema/jobb")].iloc[0]
    assert [refugees[k] for k in ("units", "both", "only_a", "only_b", "neither")] == [
        5, 2, 2, 1, 0
    ]  # fmt: skip
    employers = table[(table["group"] == "arbeidsgiver") & (table["code"] == "tema/bolig")]
    assert employers.iloc[0]["kappa"] == 1.0
    assert set(table[table["code"] == OVERALL]["group"]) == {"flyktning", "arbeidsgiver"}


def test_agreement_keeps_codes_only_one_side_used_after_the_codebook() -> None:
    b = pd.concat([B, _coded([(7, "nytt")])], ignore_index=True)
    table = agreement(_units(), A, b, codes=CODES).table
    assert list(table["code"]) == [*CODES, "nytt", OVERALL]
    assert _row(table, "nytt")["only_b"] == 1


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ([1, 1, 0, 0, 0, 1, 0, 1], [1, 0, 0, 0, 1, 1, 0, 0]),
        ([1, 1, 1, 1, 0, 0, 0, 0, 0, 0], [1, 1, 0, 0, 1, 0, 0, 0, 0, 0]),
        ([0, 1], [1, 0]),
    ],
)
def test_alpha_matches_the_reference_and_the_two_coder_formula(a: list[int], b: list[int]):
    x, y = np.array(a, dtype=bool), np.array(b, dtype=bool)
    reference = krippendorff.alpha(reliability_data=[a, b], level_of_measurement="nominal")
    n1 = int(x.sum() + y.sum())
    n0 = 2 * len(a) - n1
    disagreements = int((x != y).sum())
    assert krippendorff_alpha(x, y) == pytest.approx(reference)
    assert krippendorff_alpha(x, y) == pytest.approx(
        1 - (2 * len(a) - 1) * disagreements / (n0 * n1)
    )


def test_kappa_of_a_worked_example() -> None:
    # 20 units: both yes 8, A only 2, B only 4, both no 6. po = 14/20,
    # pe = (10/20)(12/20) + (10/20)(8/20) = 0.5, kappa = (0.7 - 0.5) / 0.5 = 0.4.
    a = np.array([1] * 8 + [1] * 2 + [0] * 4 + [0] * 6, dtype=bool)
    b = np.array([1] * 8 + [0] * 2 + [1] * 4 + [0] * 6, dtype=bool)
    assert cohen_kappa(a, b) == pytest.approx(0.4)
    assert math.isnan(cohen_kappa(np.zeros(3, bool), np.zeros(3, bool)))


def test_coders_agreement_of_three_coders_matches_a_hand_worked_alpha() -> None:
    from mimres_cli.findings.agreement import coders_agreement

    c = _coded([(0, "tema/jobb"), (1, "tema/jobb"), (5, "tema/bolig"), (7, "sprak")])
    result = coders_agreement(_units(), {"a": A, "b": B, "c": c}, codes=CODES)
    jobb = _row(result.table, "tema/jobb")
    assert [jobb[k] for k in ("units", "coded_a", "coded_b", "coded_c")] == [10, 4, 3, 2]
    # Coincidences: units 0, 1 all yes → o11 = 6; units 2, 3, 4 split 1:2 → o01 = o10 = 3 and
    # o00 = 3; units 5-9 all no → o00 = 15 more. n1 = 9, n0 = 21, n = 30:
    # alpha = 1 - (6/30) / (2·21·9 / (30·29)) = 204/378.
    assert jobb["alpha"] == pytest.approx(204 / 378)
    assert jobb["alpha"] == pytest.approx(
        krippendorff.alpha(
            reliability_data=[[1, 1, 1, 1, 0, 0, 0, 0, 0, 0], [1, 1, 0, 0, 1, 0, 0, 0, 0, 0],
                              [1, 1, 0, 0, 0, 0, 0, 0, 0, 0]],
            level_of_measurement="nominal",
        )
    )  # fmt: skip
    assert list(result.disagreements["coded_by"]) == ["a", "a", "b", "c"]
    assert list(result.disagreements["code"]) == ["tema/jobb"] * 3 + ["sprak"]


def test_coders_agreement_of_two_coders_is_the_pairwise_alpha() -> None:
    from mimres_cli.findings.agreement import coders_agreement

    pairwise = agreement(_units(), A, B, codes=CODES).table["alpha"]
    two = coders_agreement(_units(), {"a": A, "b": B}, codes=CODES).table["alpha"]
    assert np.allclose(two, pairwise, equal_nan=True)


def test_agree_with_humans_keeps_the_interviews_every_file_coded() -> None:
    from mimres_cli.coding.human import agree_with_humans
    from mimres_cli.coding.results import Results
    from mimres_cli.errors import MimresError

    units = _units().assign(role="informant", start=[i * 10 for i in range(10)])
    units["end"] = units["start"] + 9
    segments = _coded([(0, "sprak"), (1, "sprak"), (6, "sprak")])
    codes = pd.DataFrame({"code": CODES})
    results = Results(segments, units, pd.DataFrame({"interview_id": ["sel_01", "vaga_01"]}), codes)
    # anna codes sel_01 unit 1 only (offsets 10-12): vaga_01 is left out, so mimres's coding
    # of vaga_01 unit 1 is no disagreement. sel_01 has 5 units: both 1, only mimres 1.
    anna = pd.DataFrame({"interview_id": ["sel_01"], "start": [10], "end": [12],
                         "code": ["sprak"], "coder": ["anna"], "text": [""]})  # fmt: skip
    found = agree_with_humans(results, {"anna.csv": anna})
    sprak = _row(found.result.table, "sprak")
    assert (sprak["units"], sprak["coded_a"], sprak["coded_b"], sprak["both"]) == (5, 2, 1, 1)
    assert found.result.names == ("mimres", "anna")
    assert list(found.tables) == ["agreement", "disagreements"]
    every = agree_with_humans(results, {"anna.csv": anna}, all_interviews=True)
    assert _row(every.result.table, "sprak")["units"] == 10
    with pytest.raises(MimresError, match=r"'anna\.csv' has no codings by bjørn"):
        agree_with_humans(results, {"anna.csv": anna}, coders=["bjørn"])
    with pytest.raises(MimresError, match=r"no attribute 'kommune'.*Use one of: group"):
        agree_with_humans(results, {"anna.csv": anna}, by="kommune")
