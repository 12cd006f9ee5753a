"""Report tables: codes as rows, the values of a metadata attribute as columns, one measure."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from mimres_cli.design import CROSS, DEFAULT_DESIGN
from mimres_cli.errors import MimresError
from mimres_cli.findings.collate import nb_series_key, nb_sorted
from mimres_cli.findings.coverage import coverage
from mimres_cli.vocabulary import MEASURES, SORT_ORDERS

#: The column with the measure over all interviews.
TOTAL = "All"
#: The tables of the default design: one per attribute.
DEFAULT_BY: tuple[str, ...] = DEFAULT_DESIGN.attributes
#: The column of interviews that lack the attribute (an empty front-matter value).
BLANK = "(blank)"
#: Joins attributes crossed in one `--by` ("kommune+gruppe"); CROSS_VALUE joins their values.
CROSS_VALUE = " · "


def select_codes(codes: pd.DataFrame, under: str | None) -> pd.DataFrame:
    """The rows of `codes` in the subtree of the code path `under` (all rows when None).

    Raises MimresError naming the themes when `under` is no code.
    """
    if not under:
        return codes
    under = under.strip("/")
    paths = codes["code"].astype(str)
    keep = (paths == under) | paths.str.startswith(under + "/")
    if not keep.any():
        themes = ", ".join(codes.loc[codes["depth"] == 0, "code"].astype(str))
        raise MimresError(
            f"no code '{under}' in the results",
            fix=f"Give a code path such as a theme ({themes}) or 'theme/code'",
        )
    return codes[keep]


def check_attributes(interviews: pd.DataFrame, by: Sequence[str]) -> list[list[str]]:
    """Split each `by` entry on "+" and check every attribute is a column of `interviews`."""
    groups = []
    for entry in by:
        names = [name.strip() for name in entry.split(CROSS) if name.strip()]
        for name in names:
            if name not in interviews.columns:
                known = [c for c in interviews.columns if c not in _NOT_ATTRIBUTES]
                raise MimresError(
                    f"no attribute '{name}' in the interviews",
                    fix=f"Use one of {', '.join(known)}",
                    code="E002",
                )
        groups.append(names)
    return groups


_NOT_ATTRIBUTES = frozenset(
    {"interview_id", "file", "format", "turns", "informant_turns", "informant_words"}
)


def crosstab(
    segments: pd.DataFrame,
    interviews: pd.DataFrame,
    codes: pd.DataFrame,
    by: str | Sequence[str],
    measure: str = "share",
) -> pd.DataFrame:
    """One report table: a row per code (codebook order), a column per value of `by`, then All.

    Columns: `code`, `label`, `depth`, one per value (attributes in `by` crossed, values joined
    with " · "), and `All`. Cells hold `measure` (see MEASURES): `share` is
    coded_interviews / interviews of the column, `segments` counts distinct coded units (a
    theme counts each unit once), `words` the informant words in them.
    """
    if measure not in MEASURES:
        raise MimresError(f"unknown measure '{measure}'", fix=f"Use one of {', '.join(MEASURES)}")
    by = [by] if isinstance(by, str) else list(by)
    cells = coverage(segments, interviews, codes, by)
    total = coverage(segments, interviews, codes, ())
    if by:
        keys = cells[by].astype("string").fillna("").replace("", BLANK)
        column = keys[by[0]]
        for attribute in by[1:]:  # the values joined by CROSS_VALUE, a column at a time
            column = column + CROSS_VALUE + keys[attribute]
        cells = cells.assign(column=column.astype(object))
        values = (
            cells[[*by, "column"]]
            .drop_duplicates()
            .sort_values(by, key=nb_series_key)["column"]
            .tolist()
        )
        wide = cells.pivot(index="code", columns="column", values=measure)[values]
    else:
        values, wide = [], pd.DataFrame(index=codes["code"])
    wide[TOTAL] = total.set_index("code")[measure]
    wide = wide.reindex(codes["code"])
    table = codes[["code", "label", "depth"]].reset_index(drop=True)
    table = pd.concat([table, wide.reset_index(drop=True)], axis=1)
    table.columns = ["code", "label", "depth", *values, TOTAL]
    dtype = "float64" if measure == "share" else "int64"
    for column in [*values, TOTAL]:
        table[column] = table[column].fillna(0).astype(dtype)
    return table


def tables(
    segments: pd.DataFrame,
    interviews: pd.DataFrame,
    codes: pd.DataFrame,
    by: Sequence[str] = DEFAULT_BY,
    *,
    measure: str = "share",
    under: str | None = None,
    min_share: float = 0.0,
    sort: str = "codebook",
) -> dict[str, pd.DataFrame]:
    """The report tables, one per entry of `by` (an attribute, or attributes crossed "a+b").

    `under` keeps the subtree of one code; `min_share` drops codes that reach a smaller share of
    all interviews; `sort` is "codebook" (file order), "total" (All, largest first, ties in
    codebook order) or "label" (alphabetical).
    """
    if sort not in SORT_ORDERS:
        raise MimresError(
            f"unknown sort order '{sort}'", fix=f"Use one of {', '.join(SORT_ORDERS)}"
        )
    if not 0.0 <= min_share <= 1.0:
        raise MimresError(
            f"--min-share {min_share} is not a share", fix="Give a number from 0 to 1, e.g. 0.2"
        )
    groups = check_attributes(interviews, by)
    chosen = select_codes(codes, under)
    if min_share > 0:
        reach = coverage(segments, interviews, chosen, ())
        kept = reach.loc[reach["share"] >= min_share - 1e-9, "code"]
        chosen = chosen[chosen["code"].isin(kept)]
    result = {}
    for names in groups:
        table = crosstab(segments, interviews, chosen, names, measure)
        result[CROSS.join(names)] = _sorted(table, sort)
    return result


def _sorted(table: pd.DataFrame, sort: str) -> pd.DataFrame:
    if sort == "total":
        table = table.sort_values(TOTAL, ascending=False, kind="stable")
    elif sort == "label":
        table = table.sort_values("label", key=nb_series_key, kind="stable")
    return table.reset_index(drop=True)


def corpus_overview(
    interviews: pd.DataFrame,
    rows: str = DEFAULT_DESIGN.rows,
    columns: str = DEFAULT_DESIGN.columns,
) -> pd.DataFrame:
    """Interviews per value of `rows` × value of `columns`, with an `All` row and column."""
    check_attributes(interviews, [rows, columns])
    labels = interviews[[rows, columns]].astype("string").fillna("").replace("", BLANK)
    counts = pd.crosstab(labels[rows], labels[columns])
    counts = counts.reindex(nb_sorted(counts.index))
    counts = counts[nb_sorted(counts.columns)]
    counts[TOTAL] = counts.sum(axis=1)
    counts.loc[TOTAL] = counts.sum(axis=0)
    counts.columns.name = None
    table = counts.reset_index().rename(columns={"index": rows, "row_0": rows})
    table.columns = [rows, *table.columns[1:]]
    return table.astype(dict.fromkeys(table.columns[1:], "int64"))


#: Suffixes of the columns `share_details` puts beside each share.
DETAIL_SUFFIXES = (" n", " N", " ci_low", " ci_high")


def share_details(share: pd.DataFrame, coded: pd.DataFrame, totals: pd.DataFrame) -> pd.DataFrame:
    """A share table (`crosstab(..., "share")`) with, beside each value's share, its n (coded
    interviews), N (interviews) and 95 % Wilson interval: columns `V`, `V n`, `V N`,
    `V ci_low`, `V ci_high` for each value V (and All). `coded` and `totals` are the
    coded_interviews and interviews tables of the same codes, in any row order."""
    from mimres_cli.findings.stats import wilson_bounds

    values = [c for c in share.columns if c not in ("code", "label", "depth")]
    coded_by, totals_by = coded.set_index("code"), totals.set_index("code")
    table = share[["code", "label", "depth"]].copy()
    for value in values:
        n = [int(coded_by.at[c, value]) for c in share["code"]]
        big_n = [int(totals_by.at[c, value]) for c in share["code"]]
        lows, highs = wilson_bounds(np.array(n, dtype=np.int64), np.array(big_n, dtype=np.int64))
        table[value] = share[value].to_numpy()
        table[f"{value} n"] = pd.array(n, dtype="int64")
        table[f"{value} N"] = pd.array(big_n, dtype="int64")
        table[f"{value} ci_low"] = [round(float(low), 4) for low in lows]
        table[f"{value} ci_high"] = [round(float(high), 4) for high in highs]
    return table


def share_percent_columns(table: pd.DataFrame) -> list[str]:
    """The columns of a `share_details` table that hold shares (0–1)."""
    fixed = {"code", "label", "depth"}
    return [
        c for c in table.columns
        if c not in fixed and not str(c).endswith((" n", " N"))
    ]  # fmt: skip
