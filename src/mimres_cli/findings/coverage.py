"""How many interviews and units each code reaches, overall and per cell of metadata."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from mimres_cli.design import DEFAULT_DESIGN, Design
from mimres_cli.findings.collate import nb_series_key
from mimres_cli.findings.stats import INTERVAL_COLUMNS, with_intervals

#: The groupings of `findings()` for the default design, in output order: (name in the `by`
#: column, columns).
STANDARD_GROUPINGS: tuple[tuple[str, tuple[str, ...]], ...] = DEFAULT_DESIGN.groupings()


def findings_columns(design: Design = DEFAULT_DESIGN) -> list[str]:
    """The columns of findings.csv: `by`, the design's two attributes, the counts, then the
    95 % Wilson interval of the share (appended, so older readers' columns keep their place)."""
    return ["by", *design.attributes, "code", "label", "interviews", "coded_interviews",
            "share", "segments", *INTERVAL_COLUMNS]  # fmt: skip


FINDINGS_COLUMNS = findings_columns()


def roll_up(segments: pd.DataFrame) -> pd.DataFrame:
    """One row per distinct (interview, unit, code or ancestor of the code).

    A theme's segments are the distinct units coded with it or any descendant, so a unit that
    two children of one theme both hit counts once for the theme. The unit's `words` column
    is kept when `segments` has one.
    """
    columns = ["interview_id", "unit_index", "code"]
    if "words" in segments.columns:
        columns.append("words")
    if segments.empty:
        return pd.DataFrame(columns=columns)
    units = segments[columns].copy()
    chains = {code: _self_and_ancestors(code) for code in units["code"].unique()}
    units["code"] = units["code"].map(chains)
    units = units.explode("code")
    return units.drop_duplicates().reset_index(drop=True)


def coverage(
    segments: pd.DataFrame,
    interviews: pd.DataFrame,
    codes: pd.DataFrame,
    by: Sequence[str] = (),
) -> pd.DataFrame:
    """Per code and cell of `by`: interviews, coded_interviews, share, segments and words.

    `codes` lists every code (columns `code`, `label`) in the order of the rows; codes with no
    segment and cells with no coded interview are kept with zeros. `share` is
    coded_interviews / interviews. `segments` counts distinct coded units (a theme's units
    once, however many of its codes hit them) and `words` sums the informant words in them.
    Interviews without informant turns (`informant_turns` 0) have nothing to code, so they
    are in no denominator.
    """
    by = list(by)
    if "informant_turns" in interviews.columns:
        interviews = interviews[interviews["informant_turns"] > 0]
    rolled = roll_up(segments)
    if "words" not in rolled.columns:
        rolled["words"] = 0
    rolled = rolled.merge(interviews[["interview_id", *by]], on="interview_id", how="left")
    cells = _cells(interviews, by)
    grid = cells.merge(codes[["code", "label"]], how="cross")
    coded = rolled.groupby([*by, "code"], dropna=False).agg(
        coded_interviews=("interview_id", "nunique"),
        segments=("unit_index", "size"),
        words=("words", "sum"),
    )
    table = grid.merge(coded.reset_index(), on=[*by, "code"], how="left")
    counts = ["coded_interviews", "segments", "words"]
    table[counts] = table[counts].fillna(0).astype("int64")
    table["share"] = (table["coded_interviews"] / table["interviews"]).round(4)
    order = {code: n for n, code in enumerate(codes["code"])}
    table = table.sort_values([*by, "code"], key=lambda col: _sort_key(col, order))
    columns = [*by, "code", "label", "interviews", "coded_interviews", "share", "segments"]
    return table[[*columns, "words"]].reset_index(drop=True)


def findings(
    segments: pd.DataFrame,
    interviews: pd.DataFrame,
    codes: pd.DataFrame,
    design: Design = DEFAULT_DESIGN,
) -> pd.DataFrame:
    """The findings table: coverage over all interviews, per attribute of the design, and both.

    Columns are `findings_columns(design)`; the cells a row is not grouped by are empty.
    """
    parts = []
    for name, by in design.groupings():
        part = coverage(segments, interviews, codes, by)
        part.insert(0, "by", name)
        parts.append(part)
    table = with_intervals(pd.concat(parts, ignore_index=True))
    for column in design.attributes:
        table[column] = table[column].astype("string").fillna("")
    return table[findings_columns(design)].reset_index(drop=True)


def _cells(interviews: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    if not by:
        return pd.DataFrame({"interviews": [len(interviews)]})
    cells = interviews.groupby(by, dropna=False).size().rename("interviews")
    return cells.reset_index()


def _self_and_ancestors(path: str) -> list[str]:
    parts = path.split("/")
    return ["/".join(parts[: n + 1]) for n in range(len(parts))]


def _sort_key(column: pd.Series, code_order: dict[str, int]) -> pd.Series:
    if column.name == "code":
        return column.map(code_order)
    return nb_series_key(column)
