"""How far a share can be trusted: Wilson intervals, small cells, and tests between groups.

The statistics come from SciPy rather than from formulas written here: `fisher_exact` for a 2×2
table, `chi2_contingency` (with a Monte Carlo permutation p-value when expected counts are
small) for more groups. The one exception is the 95 % Wilson interval of a share, computed for
every row of every findings table: SciPy's own formula (`binomtest(...).proportion_ci(
method="wilson")`) over whole columns, equal float for float (tested), so that a run needs
neither `scipy.stats` (over half a second to import) nor Python per row. Interviews are the
unit throughout: a share is coded interviews out of interviews, and the tests compare coded
and uncoded interviews across the values of an attribute.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

#: A cell with fewer interviews than this is marked: its share moves by 20+ points per interview.
SMALL_CELL = 5
#: The confidence level of the intervals.
CONFIDENCE = 0.95
#: Columns `with_intervals` appends: the 95 % Wilson interval of `share`.
INTERVAL_COLUMNS = ("share_low", "share_high")
#: Resamples of the permutation test (Monte Carlo, conditional on the margins).
RESAMPLES = 9999
#: Expected count under which chi-square's p-value is not trusted and a permutation test is used.
MIN_EXPECTED = 5.0
#: Columns of `group_differences`.
DIFFERENCE_COLUMNS = [
    "code", "label", "depth", "values", "interviews", "coded_interviews", "test", "statistic",
    "p_value", "min_expected", "caution",
]  # fmt: skip
#: The caution written beside every test (and in the output's notes).
CAUTION = (
    "Exploratory: one test per code without correction for multiple tests; interviews are a "
    "purposive sample, not a random one, so a p-value describes the material, not a population."
)


#: The normal quantile of the 95 % two-sided interval, `scipy.special.ndtri(0.975)`: the value
#: `binomtest(...).proportion_ci` computes (the tests check both against SciPy). It is written
#: out because importing `scipy.stats` costs a run over half a second for one constant.
_Z = 1.959963984540054


def wilson_interval(coded: int, total: int) -> tuple[float, float]:
    """The 95 % Wilson score interval of coded / total (NaN, NaN when total is 0).

    The same floats as `scipy.stats.binomtest(...).proportion_ci(method="wilson")` (no
    continuity correction); see `wilson_bounds`.
    """
    low, high = wilson_bounds(np.array([coded]), np.array([total]))
    return (float(low[0]), float(high[0]))


def wilson_bounds(coded: np.ndarray, total: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`wilson_interval` for arrays of counts at once: (lows, highs), NaN where total is 0.

    SciPy's formula (Newcombe 1998, as in `scipy.stats._binomtest`) with its operations in the
    same order, so every bound is the same float as SciPy's, with no Python per row.
    """
    k = np.asarray(coded, dtype=np.int64)
    n = np.asarray(total, dtype=np.int64)
    z2 = _Z**2
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        denom = 2 * (n + z2)
        center = (2 * n * p + z2) / denom
        q = 1 - p
        delta = _Z / denom * np.sqrt(4 * n * p * q + z2)
    low = np.where(k == 0, 0.0, center - delta)
    high = np.where(k == n, 1.0, center + delta)
    empty = n <= 0
    return np.where(empty, math.nan, low), np.where(empty, math.nan, high)


def with_intervals(
    table: pd.DataFrame, coded: str = "coded_interviews", total: str = "interviews"
) -> pd.DataFrame:
    """`table` with `share_low` and `share_high` appended: the Wilson interval of coded/total."""
    low, high = wilson_bounds(table[coded].to_numpy(), table[total].to_numpy())
    return table.assign(share_low=low.round(4), share_high=high.round(4))


def is_small(total: int) -> bool:
    """True for a cell of fewer than SMALL_CELL interviews (but at least one)."""
    return 0 < int(total) < SMALL_CELL


def group_differences(coded: pd.DataFrame, totals: pd.DataFrame, *, seed: int = 0) -> pd.DataFrame:
    """Per code (a row of the crosstabs `coded` and `totals` of one attribute, without the All
    column's use): is the share of interviews with the code different between the values?

    Two values: Fisher's exact test of the 2×2 table (coded, not coded × value). More: the
    chi-square test of independence, with a permutation p-value (Monte Carlo over tables with the
    same margins, `seed` fixed) when an expected count is under MIN_EXPECTED. A code that every or
    no interview has gets no test (`test` "none"). Columns: DIFFERENCE_COLUMNS.
    """
    from scipy.stats import MonteCarloMethod, chi2_contingency, fisher_exact

    values = [c for c in coded.columns if c not in ("code", "label", "depth", "All")]
    rows = []
    totals = totals.set_index("code")
    for record in coded.to_dict(orient="records"):
        yes = np.array([int(record[v]) for v in values])
        everyone = np.array([int(totals.at[record["code"], v]) for v in values])
        keep = everyone > 0
        yes, everyone = yes[keep], everyone[keep]
        table = np.column_stack([yes, everyone - yes])
        row = {
            "code": record["code"], "label": record["label"], "depth": int(record["depth"]),
            "values": int(keep.sum()), "interviews": int(everyone.sum()),
            "coded_interviews": int(yes.sum()), "test": "none", "statistic": math.nan,
            "p_value": math.nan, "min_expected": math.nan, "caution": CAUTION,
        }  # fmt: skip
        if len(yes) >= 2 and 0 < yes.sum() < everyone.sum():
            expected = np.outer(everyone, table.sum(axis=0)) / everyone.sum()
            row["min_expected"] = round(float(expected.min()), 4)
            if len(yes) == 2:
                result = fisher_exact(table)
                row.update(test="fisher", statistic=float(result.statistic))
            elif expected.min() < MIN_EXPECTED:
                method = MonteCarloMethod(n_resamples=RESAMPLES, rng=np.random.default_rng(seed))
                result = chi2_contingency(table, correction=False, method=method)
                row.update(test="chi2-permutation", statistic=float(result.statistic))
            else:
                result = chi2_contingency(table, correction=False)
                row.update(test="chi2", statistic=float(result.statistic))
            row["p_value"] = float(result.pvalue)
        rows.append(row)
    return pd.DataFrame(rows, columns=DIFFERENCE_COLUMNS)
