"""What a codebook change does: the segments one coding has and the other has not."""

from __future__ import annotations

import pandas as pd

from mimres_cli.coding.apply import CodingResult

#: Columns of the table `compare_codings` returns.
CHANGE_COLUMNS = [
    "code", "change", "interview_id", "unit_index", "start", "end", "matched", "negated", "text",
]  # fmt: skip
_KEY = ["interview_id", "unit_index", "code"]


def compare_codings(old: CodingResult, new: CodingResult) -> pd.DataFrame:
    """One row per segment gained (in `new` only) or lost (in `old` only).

    A segment is identified by (interview, unit, code), so both codings must come from the
    same parsed corpus and unit. Rows are in codebook order (the new codebook's codes first,
    then codes only the old one has), gained before lost, then in interview and unit order.
    A segment in both codings is not listed, even if its matched words or `negated` differ.
    """
    gained = _only_in(new.segments, old.segments).assign(change="gained")
    lost = _only_in(old.segments, new.segments).assign(change="lost")
    table = pd.concat([gained, lost], ignore_index=True)
    if table.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in CHANGE_COLUMNS})
    order = {code: n for n, code in enumerate(new.codes["code"])}
    for code in old.codes["code"]:
        order.setdefault(code, len(order))
    table["_order"] = table["code"].map(order)
    table["_change"] = table["change"].map({"gained": 0, "lost": 1})
    table = table.sort_values(["_order", "_change", "interview_id", "unit_index"], kind="stable")
    return table[CHANGE_COLUMNS].reset_index(drop=True)


def _only_in(one: pd.DataFrame, other: pd.DataFrame) -> pd.DataFrame:
    merged = one.merge(other[_KEY].drop_duplicates(), on=_KEY, how="left", indicator=True)
    return merged[merged["_merge"] == "left_only"].drop(columns="_merge")
