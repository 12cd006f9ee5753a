"""Which codes occur together: code × code counts of units (or interviews) coded with both."""

from __future__ import annotations

import numpy as np
import pandas as pd

from mimres_cli.errors import MimresError
from mimres_cli.findings.collate import nb_sorted
from mimres_cli.findings.coverage import roll_up
from mimres_cli.findings.tables import check_attributes, select_codes
from mimres_cli.vocabulary import COOCCUR_LEVELS as LEVELS
from mimres_cli.vocabulary import COOCCUR_MEASURES


def cooccurrence_codes(codes: pd.DataFrame, under: str | None = None) -> pd.DataFrame:
    """The codes a matrix shows: the themes, or the codes below `under` (its whole subtree)."""
    if not under:
        return codes[codes["depth"] == 0]
    chosen = select_codes(codes, under)
    below = chosen[chosen["code"] != under.strip("/")]
    return below if len(below) else chosen


def cooccurrence(
    segments: pd.DataFrame,
    codes: pd.DataFrame,
    *,
    level: str = "unit",
    measure: str = "count",
) -> pd.DataFrame:
    """A symmetric code × code matrix over the codes in `codes` (rows and columns in that order).

    A cell counts the units (level "unit") or interviews (level "interview") coded with both
    codes, themes rolled up; the diagonal counts those coded with the code at all. With
    measure "jaccard" a cell is |A ∩ B| / |A ∪ B| (the diagonal is 1 for a code that occurs).
    Columns: `code`, `label`, then one per code path.
    """
    if level not in LEVELS:
        raise MimresError(f"unknown level '{level}'", fix=f"Use one of {', '.join(LEVELS)}")
    if measure not in COOCCUR_MEASURES:
        raise MimresError(
            f"unknown measure '{measure}'", fix=f"Use one of {', '.join(COOCCUR_MEASURES)}"
        )
    paths = codes["code"].astype(str).tolist()
    rolled = roll_up(segments)
    rolled = rolled[rolled["code"].isin(paths)]
    keys = ["interview_id", "unit_index"] if level == "unit" else ["interview_id"]
    present = rolled[[*keys, "code"]].drop_duplicates().assign(hit=1)
    if present.empty:
        counts = np.zeros((len(paths), len(paths)), dtype="int64")
    else:
        incidence = present.pivot_table(
            index=keys, columns="code", values="hit", aggfunc="max", fill_value=0
        ).reindex(columns=paths, fill_value=0)
        matrix = incidence.to_numpy(dtype="int64")
        counts = matrix.T @ matrix
    if measure == "jaccard":
        diagonal = np.diag(counts)
        union = diagonal[:, None] + diagonal[None, :] - counts
        with np.errstate(divide="ignore", invalid="ignore"):
            values = np.where(union > 0, counts / np.where(union > 0, union, 1), 0.0)
        frame = pd.DataFrame(np.round(values, 4), columns=paths)
    else:
        frame = pd.DataFrame(counts, columns=paths)
    head = codes[["code", "label"]].reset_index(drop=True)
    return pd.concat([head, frame], axis=1)


def cooccurrence_by(
    segments: pd.DataFrame,
    interviews: pd.DataFrame,
    codes: pd.DataFrame,
    by: str | None = None,
    *,
    level: str = "unit",
    measure: str = "count",
) -> dict[str, pd.DataFrame]:
    """The matrix over all interviews ("all"), and with `by` one more per value ("group=x")."""
    result = {"all": cooccurrence(segments, codes, level=level, measure=measure)}
    if by:
        check_attributes(interviews, [by])
        values = nb_sorted(interviews[by].astype(str).unique())
        for value in values:
            ids = interviews.loc[interviews[by].astype(str) == value, "interview_id"]
            part = segments[segments["interview_id"].isin(ids)]
            result[f"{by}={value}"] = cooccurrence(part, codes, level=level, measure=measure)
    return result


def top_pairs(matrix: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The `n` largest off-diagonal cells of a matrix from `cooccurrence`, one row per pair."""
    paths = [c for c in matrix.columns if c not in ("code", "label")]
    rows = []
    for i, first in enumerate(paths):
        for second in paths[i + 1 :]:
            value = matrix.iloc[i][second]
            if value:
                rows.append({"code": first, "other": second, "value": value})
    pairs = pd.DataFrame(rows, columns=["code", "other", "value"])
    return pairs.sort_values("value", ascending=False, kind="stable").head(n).reset_index(drop=True)
