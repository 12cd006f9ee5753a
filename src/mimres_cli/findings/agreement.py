"""Agreement between two codings of the same units: counts, precision, recall, F1, kappa, alpha.

Each (unit, code) is one yes/no decision per coder. Coder A is the one being tested (usually
mimres), coder B the reference (usually a person): precision = both / coded by A, recall =
both / coded by B, F1 = 2·both / (coded by A + coded by B). Cohen's kappa is computed from the
2×2 table; Krippendorff's alpha (nominal) comes from the `krippendorff` package.

Codes roll up: a unit counts as coded with a theme when it is coded with the theme or any code
under it, on either side. The `(overall)` row and the disagreements use the *decision codes*:
every leaf code, plus any code that either side applied directly. A measure that is undefined
(no unit coded by either side, or no variation at all) is NaN, shown empty.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import krippendorff
import numpy as np
import pandas as pd

from mimres_cli.findings.coverage import roll_up

OVERALL = "(overall)"
AGREEMENT_COLUMNS = [
    "code", "units", "coded_a", "coded_b", "both", "only_a", "only_b", "neither",
    "precision", "recall", "f1", "kappa", "alpha",
]  # fmt: skip
_KEYS = ["interview_id", "unit_index"]


@dataclass(frozen=True)
class Agreement:
    """The agreement table (AGREEMENT_COLUMNS after the `by` columns) and the disagreements."""

    table: pd.DataFrame
    disagreements: pd.DataFrame
    names: tuple[str, ...]

    def overall(self, cell: dict[str, str] | None = None) -> pd.Series:
        """The overall row (of the whole table, or of one cell of `by`)."""
        rows = self.table[self.table["code"] == OVERALL]
        for column, value in (cell or {}).items():
            rows = rows[rows[column] == value]
        return rows.iloc[0]


def agreement(
    units: pd.DataFrame,
    a: pd.DataFrame,
    b: pd.DataFrame,
    codes: Sequence[str] = (),
    by: Sequence[str] = (),
    names: tuple[str, str] = ("a", "b"),
) -> Agreement:
    """Compare coder A with coder B over `units`.

    `units` has interview_id, unit_index, text and the `by` columns: only these units count.
    `a` and `b` have interview_id, unit_index and code (one row per coded unit and code).
    `codes` gives the rows and their order; codes only one side used are added after them.
    With `by`, every cell of those columns gets its own rows, overall included.
    """
    by = list(by)
    universe, rolled, order, decision = _prepare(units, [a, b], codes, by, ["text"])
    rows: list[dict] = []
    for key_values, part, index in _cells(universe, by):
        vectors = {
            code: (
                index.isin(rolled[0].get(code, _EMPTY)),
                index.isin(rolled[1].get(code, _EMPTY)),
            )
            for code in order
        }
        for code in order:
            rows.append({**key_values, "code": code, **_measures(*vectors[code])})
        pooled_a = np.concatenate([vectors[c][0] for c in decision]) if decision else _NONE
        pooled_b = np.concatenate([vectors[c][1] for c in decision]) if decision else _NONE
        overall = _measures(pooled_a, pooled_b)
        overall["units"] = len(part)
        rows.append({**key_values, "code": OVERALL, **overall})
    table = pd.DataFrame(rows, columns=[*by, *AGREEMENT_COLUMNS])
    return Agreement(table, _disagreements(universe, rolled, decision, by, names), names)


def coders_agreement(
    units: pd.DataFrame,
    sides: dict[str, pd.DataFrame],
    codes: Sequence[str] = (),
    by: Sequence[str] = (),
) -> Agreement:
    """Krippendorff's alpha of two or more coders, per code and overall (the decision codes).

    `sides` maps each coder's name to its codings (interview_id, unit_index, code). Columns:
    the `by` columns, code, units, one `coded_<name>` count per coder, alpha. The
    disagreements list each (unit, decision code) that some but not all coders coded.
    """
    by = list(by)
    universe, rolled_list, order, decision = _prepare(units, list(sides.values()), codes, by, [])
    rolled = dict(zip(sides, rolled_list, strict=True))
    rows: list[dict] = []
    for key_values, part, index in _cells(universe, by):
        vectors = {
            code: [index.isin(rolled[name].get(code, _EMPTY)) for name in sides] for code in order
        }
        for code in [*order, OVERALL]:
            if code == OVERALL:
                per_coder = [
                    np.concatenate([vectors[c][n] for c in decision]) if decision else _NONE
                    for n in range(len(sides))
                ]
            else:
                per_coder = vectors[code]
            row = {**key_values, "code": code, "units": len(part)}
            counts = zip(sides, per_coder, strict=True)
            row.update({f"coded_{name}": int(v.sum()) for name, v in counts})
            row["alpha"] = krippendorff_alpha(*per_coder)
            rows.append(row)
    columns = [*by, "code", "units", *(f"coded_{name}" for name in sides), "alpha"]
    table = pd.DataFrame(rows, columns=columns)
    return Agreement(table, _split_units(universe, units, rolled, decision, by), tuple(sides))


def _split_units(
    universe: pd.DataFrame,
    units: pd.DataFrame,
    rolled: dict[str, dict[str, pd.MultiIndex]],
    decision: list[str],
    by: list[str],
) -> pd.DataFrame:
    """(unit, code) pairs that some but not all coders coded, with who did."""
    texts = units[[*_KEYS, "text"]].drop_duplicates(_KEYS).astype({"unit_index": "int64"})
    table = universe.merge(texts, on=_KEYS, how="left")
    index = pd.MultiIndex.from_frame(table[_KEYS])
    parts = []
    for position, code in enumerate(decision):
        marks = np.vstack([index.isin(found.get(code, _EMPTY)) for found in rolled.values()])
        split = marks.any(axis=0) & ~marks.all(axis=0)
        if split.any():
            part = table[split].copy()
            part["code"], part["_order"] = code, position
            part["coded_by"] = [
                ", ".join(n for n, hit in zip(rolled, column, strict=True) if hit)
                for column in marks[:, split].T
            ]
            parts.append(part)
    columns = ["interview_id", "unit_index", *by, "code", "coded_by", "text"]
    if not parts:
        return pd.DataFrame(columns=columns)
    listed = pd.concat(parts, ignore_index=True)
    listed = listed.sort_values(["interview_id", "unit_index", "_order"], kind="stable")
    return listed[columns].reset_index(drop=True)


_EMPTY = pd.MultiIndex.from_tuples([], names=_KEYS)
_NONE = np.zeros(0, dtype=bool)


def cohen_kappa(a: np.ndarray, b: np.ndarray) -> float:
    """Cohen's kappa of two yes/no vectors; NaN when chance agreement is 1 (no variation)."""
    n = len(a)
    if n == 0:
        return math.nan
    observed = float(np.mean(a == b))
    pa, pb = float(np.mean(a)), float(np.mean(b))
    expected = pa * pb + (1 - pa) * (1 - pb)
    if expected >= 1:
        return math.nan
    return (observed - expected) / (1 - expected)


def krippendorff_alpha(*coders: np.ndarray) -> float:
    """Krippendorff's alpha (nominal) of two or more coders' yes/no vectors (one per coder).

    NaN when there are no units or only one value occurs (no variation to agree on).
    """
    if not coders or len(coders[0]) == 0 or len(np.unique(np.concatenate(coders))) < 2:
        return math.nan
    data = np.vstack(coders).astype(float)
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


def _measures(a: np.ndarray, b: np.ndarray) -> dict:
    both = int(np.sum(a & b))
    coded_a, coded_b = int(np.sum(a)), int(np.sum(b))
    return {
        "units": len(a),
        "coded_a": coded_a,
        "coded_b": coded_b,
        "both": both,
        "only_a": coded_a - both,
        "only_b": coded_b - both,
        "neither": int(np.sum(~a & ~b)),
        "precision": both / coded_a if coded_a else math.nan,
        "recall": both / coded_b if coded_b else math.nan,
        "f1": 2 * both / (coded_a + coded_b) if coded_a + coded_b else math.nan,
        "kappa": cohen_kappa(a, b),
        "alpha": krippendorff_alpha(a, b),
    }


def _prepare(
    units: pd.DataFrame,
    sides: list[pd.DataFrame],
    codes: Sequence[str],
    by: list[str],
    extra: list[str],
) -> tuple[pd.DataFrame, list[dict[str, pd.MultiIndex]], list[str], list[str]]:
    """The units compared, each side's rolled-up codings, the codes in order and the decision
    codes (leaves, and any code a side applied directly) that the overall figure pools."""
    universe = units[[*_KEYS, *by, *extra]].drop_duplicates(_KEYS).reset_index(drop=True)
    universe["unit_index"] = universe["unit_index"].astype("int64")
    coded = [_in_universe(side, universe) for side in sides]
    used = [code for side in coded for code in side["code"]]
    order = list(dict.fromkeys([*codes, *used]))
    direct = set(used)
    decision = [c for c in order if _is_leaf(c, order) or c in direct]
    return universe, [_rolled(side) for side in coded], order, decision


def _cells(
    universe: pd.DataFrame, by: list[str]
) -> Iterator[tuple[dict, pd.DataFrame, pd.MultiIndex]]:
    """Each cell of `by` (one cell without it): its key values, units and their index."""
    cells = [((), universe)] if not by else list(universe.groupby(by, sort=True, dropna=False))
    for cell, part in cells:
        key_values = dict(zip(by, cell if isinstance(cell, tuple) else (cell,), strict=True))
        yield key_values, part, pd.MultiIndex.from_frame(part[_KEYS])


def _in_universe(side: pd.DataFrame, universe: pd.DataFrame) -> pd.DataFrame:
    table = side[[*_KEYS, "code"]].copy()
    table["unit_index"] = table["unit_index"].astype("int64")
    table = table.merge(universe[_KEYS], on=_KEYS, how="inner")
    return table.drop_duplicates().reset_index(drop=True)


def _rolled(side: pd.DataFrame) -> dict[str, pd.MultiIndex]:
    """Code → the units coded with it or any code under it."""
    rolled = roll_up(side)
    return {
        code: pd.MultiIndex.from_frame(group[_KEYS].astype({"unit_index": "int64"}))
        for code, group in rolled.groupby("code")
    }


def _is_leaf(code: str, codes: list[str]) -> bool:
    return not any(other.startswith(code + "/") for other in codes)


def _disagreements(
    universe: pd.DataFrame,
    rolled: list[dict[str, pd.MultiIndex]],
    decision: list[str],
    by: list[str],
    names: tuple[str, str],
) -> pd.DataFrame:
    index = pd.MultiIndex.from_frame(universe[_KEYS])
    parts = []
    for position, code in enumerate(decision):
        in_a = index.isin(rolled[0].get(code, _EMPTY))
        in_b = index.isin(rolled[1].get(code, _EMPTY))
        for mask, name in ((in_a & ~in_b, names[0]), (in_b & ~in_a, names[1])):
            if mask.any():
                part = universe[mask].copy()
                part["code"], part["coded_by"], part["_order"] = code, name, position
                parts.append(part)
    columns = ["interview_id", "unit_index", *by, "code", "coded_by", "text"]
    if not parts:
        return pd.DataFrame(columns=columns)
    table = pd.concat(parts, ignore_index=True)
    table = table.sort_values(["interview_id", "unit_index", "_order"], kind="stable")
    return table[columns].reset_index(drop=True)
