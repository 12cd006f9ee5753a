"""Numbers a reader can trust: Wilson intervals and tests from SciPy, checked on cells worked
by hand; Norwegian alphabetical order; report-ready quotes."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy.special import ndtri
from scipy.stats import binomtest, chi2_contingency, fisher_exact

from mimres_cli.findings import (
    group_differences,
    nb_sorted,
    wilson_bounds,
    wilson_interval,
    with_intervals,
)
from mimres_cli.findings.collate import nb_key, nb_series_key
from mimres_cli.findings.quotes import clean_quote


@pytest.mark.parametrize(("coded", "total"), [(1, 2), (0, 2), (2, 2), (3, 7), (40, 120), (0, 1)])
def test_wilson_interval_is_the_library_function(coded: int, total: int) -> None:
    expected = binomtest(coded, total).proportion_ci(confidence_level=0.95, method="wilson")
    assert wilson_interval(coded, total) == pytest.approx((expected.low, expected.high))


def test_wilson_bounds_are_scipys_floats_exactly_for_every_count_up_to_300() -> None:
    # Not approx: findings.csv must not change by a digit when SciPy is no longer called.
    pairs = [(k, n) for n in range(1, 301) for k in range(n + 1)]
    lows, highs = wilson_bounds(np.array([k for k, _ in pairs]), np.array([n for _, n in pairs]))
    for (k, n), low, high in zip(pairs, lows, highs, strict=True):
        ci = binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
        assert (float(low), float(high)) == (ci.low, ci.high), (k, n)
    assert wilson_interval(3, 7) == (lows[pairs.index((3, 7))], highs[pairs.index((3, 7))])


def test_the_written_out_quantile_is_scipys() -> None:
    from mimres_cli.findings import stats

    assert float(ndtri(0.5 + 0.5 * 0.95)) == stats._Z


def test_wilson_bounds_of_an_empty_cell_are_nan() -> None:
    lows, highs = wilson_bounds(np.array([0, 1]), np.array([0, 1]))
    assert math.isnan(lows[0]) and math.isnan(highs[0])
    assert (lows[1], highs[1]) == wilson_interval(1, 1)


def test_nb_series_key_is_nb_key_of_each_value() -> None:
    column = pd.Series(["Ørsta", "Aasen", None, "Kommune 10", "Ørsta", "åsen", "Kommune 2"])
    assert nb_series_key(column).tolist() == [
        nb_key(v) for v in ["Ørsta", "Aasen", "", "Kommune 10", "Ørsta", "åsen", "Kommune 2"]
    ]


def test_wilson_interval_of_one_in_two_worked_by_hand() -> None:
    # p = 0.5, n = 2, z² = 3.8416: centre 0.5, half-width 1.96·sqrt(0.125 + 0.2401) / 2.9208.
    half = 1.96 * math.sqrt(0.125 + 0.2401) / 2.9208
    assert wilson_interval(1, 2) == pytest.approx((0.5 - half, 0.5 + half), abs=1e-4)
    assert math.isnan(wilson_interval(0, 0)[0])


def test_with_intervals_appends_columns_and_keeps_the_others() -> None:
    table = pd.DataFrame({"code": ["a", "b"], "interviews": [2, 120], "coded_interviews": [1, 40]})
    out = with_intervals(table)
    assert list(out.columns) == [
        "code",
        "interviews",
        "coded_interviews",
        "share_low",
        "share_high",
    ]
    assert out.loc[1, "share_low"] == round(wilson_interval(40, 120)[0], 4)


def _crosstabs(cells: dict[str, tuple[int, int]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """coded and totals crosstabs of one code over the values in `cells` (value: coded, all)."""
    base = {"code": ["x"], "label": ["X"], "depth": [0]}
    coded = pd.DataFrame({**base, **{v: [k] for v, (k, _) in cells.items()}})
    totals = pd.DataFrame({**base, **{v: [n] for v, (_, n) in cells.items()}})
    coded["All"] = sum(k for k, _ in cells.values())
    totals["All"] = sum(n for _, n in cells.values())
    return coded, totals


def test_fisher_exact_on_a_two_by_two_table_worked_by_hand() -> None:
    # 3 of 4 interviews in A have the code, 0 of 4 in B. With margins 4, 4 and 3, 5 the
    # hypergeometric probabilities of 0..3 coded in A are 5, 30, 30, 5 (of 70): the two tables
    # as extreme as the one seen (0 and 3) give p = 10/70 = 1/7.
    result = group_differences(*_crosstabs({"A": (3, 4), "B": (0, 4)})).iloc[0]
    assert result["test"] == "fisher"
    assert result["p_value"] == pytest.approx(1 / 7)
    assert result["p_value"] == pytest.approx(fisher_exact([[3, 1], [0, 4]]).pvalue)
    assert "purposive sample" in result["caution"]


def test_chi_square_for_more_groups_and_a_permutation_test_for_small_counts() -> None:
    big = {"A": (30, 60), "B": (20, 60), "C": (10, 60)}
    result = group_differences(*_crosstabs(big)).iloc[0]
    assert result["test"] == "chi2"
    expected = chi2_contingency([[30, 30], [20, 40], [10, 50]], correction=False)
    assert result["p_value"] == pytest.approx(expected.pvalue)
    assert result["statistic"] == pytest.approx(expected.statistic)
    small = {"A": (2, 3), "B": (0, 3), "C": (1, 2)}
    first = group_differences(*_crosstabs(small)).iloc[0]
    assert first["test"] == "chi2-permutation" and 0 < first["p_value"] <= 1
    assert first["min_expected"] < 5
    assert group_differences(*_crosstabs(small)).iloc[0]["p_value"] == first["p_value"]
    nobody = group_differences(*_crosstabs({"A": (0, 3), "B": (0, 3)})).iloc[0]
    assert nobody["test"] == "none" and math.isnan(nobody["p_value"])


def test_norwegian_alphabetical_order() -> None:
    names = ["Ål", "Ørsta", "Ærøy", "aurland", "Zebra", "Bø", "Évje", "Eid", "Kommune 10",
             "Kommune 2"]  # fmt: skip
    assert nb_sorted(names) == ["aurland", "Bø", "Eid", "Évje", "Kommune 2", "Kommune 10",
                                "Zebra", "Ærøy", "Ørsta", "Ål"]  # fmt: skip
    assert sorted(["Ål", "Ørsta"]) == ["Ål", "Ørsta"]  # what code point order would give


def test_norwegian_order_reads_aa_as_aa_ring() -> None:
    # "Aa" is the old spelling of "Å", kept in names: Aasen sorts with Å, after Ø and Zahl,
    # between Ål and Åsnes, in any case; a plain "a" is still an "a".
    names = ["Aasen", "Åsnes", "Ørsta", "Zahl", "Abel", "AAKRE", "Ål", "Haakon", "Hansen"]
    assert nb_sorted(names) == ["Abel", "Hansen", "Haakon", "Zahl", "Ørsta", "AAKRE", "Ål",
                                "Aasen", "Åsnes"]  # fmt: skip


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Ja, e ... jeg jobber på hotellet.", "Ja, … jeg jobber på hotellet."),
        ("Norskopplæringen (...) var bra.", "Norskopplæringen … var bra."),
        ("Jeg # e ## s- syntes det [ler] var *fint* [00:12:33] altså (ler).",
         "Jeg … syntes det [ler] var fint altså [ler]."),
        ("eh det var [uhørbart] hm greit", "det var [uhørbart] greit"),
        ("Emnet var arbeids- og velferdsetaten.", "Emnet var arbeids- og velferdsetaten."),
    ],
)  # fmt: skip
def test_quotes_for_reports_normalise_transcription_marks(raw: str, clean: str) -> None:
    assert clean_quote(raw) == clean
