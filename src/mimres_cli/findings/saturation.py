"""Saturation: how many codes not seen before each further interview adds, in a stated order."""

from __future__ import annotations

import hashlib

import pandas as pd

from mimres_cli.errors import MimresError
from mimres_cli.findings.collate import nb_sorted
from mimres_cli.findings.tables import check_attributes
from mimres_cli.vocabulary import SATURATION_ORDERS as ORDERS

__all__ = ["ORDERS", "SATURATION_COLUMNS", "interview_order", "order_values", "saturation"]

SATURATION_COLUMNS = [
    "position", "interview_id", "codes", "new_codes", "cumulative_codes", "cumulative_share",
    "new",
]  # fmt: skip


def interview_order(
    interviews: pd.DataFrame,
    order: str = "file",
    *,
    seed: int = 0,
    date_column: str = "interview_date",
) -> list[str]:
    """The interview ids in `order`: by file path, shuffled by `seed` (a hash of seed and id, so
    adding an interview does not reshuffle the others), or by the values of an attribute whose
    values are all numbers or all dates (`order` is its name; "date" means `date_column`).

    Ties, and interviews without a value (last), go by file. Raises MimresError E002 for an
    attribute no interview has and E004 for one whose values are neither numbers nor dates.
    """
    table = interviews.assign(file=interviews.get("file", interviews["interview_id"]))
    if order == "random":
        key = table["interview_id"].map(
            lambda i: hashlib.sha256(f"{seed}\x1f{i}".encode()).hexdigest()
        )
        table = table.assign(key=key).sort_values("key", kind="stable")
    elif order == "file":
        table = table.sort_values("file", kind="stable")
    else:
        column = date_column if order == "date" else order
        key = order_values(table, column)
        table = table.assign(key=key).sort_values(["key", "file"], kind="stable",
                                                  na_position="last")  # fmt: skip
    return table["interview_id"].astype(str).tolist()


def order_values(interviews: pd.DataFrame, column: str) -> pd.Series:
    """The values of attribute `column` as numbers or dates (NaN/NaT where empty), to sort by.

    Numbers as written (`12`, `3.5`, `-1`); dates as ISO 8601 (`2024-03-01`, with or without a
    time) or Norwegian day.month.year (`1.3.2024`). Every value given must be of one kind.
    """
    check_attributes(interviews, [column])  # E002 when no interview has it
    raw = interviews[column]
    if pd.api.types.is_numeric_dtype(raw) or pd.api.types.is_datetime64_any_dtype(raw):
        return raw
    text = raw.astype("string").str.strip().replace("", pd.NA)
    given = text.notna()
    if not given.any():
        raise MimresError(
            f"attribute '{column}' has no value in any interview to order by",
            fix="Fill in the values (front matter or metadata sheet), or use --order file",
            code="E004",
        )
    numbers = pd.to_numeric(text, errors="coerce")
    if numbers[given].notna().all():
        return numbers
    for form in ("ISO8601", "%d.%m.%Y"):
        dates = pd.to_datetime(text, format=form, errors="coerce")
        if dates[given].notna().all():
            return dates
    bad = int(numbers[given].isna().to_numpy().nonzero()[0][0])
    where = interviews.loc[given[given].index[bad]]
    raise MimresError(
        f"attribute '{column}' is neither numbers nor dates: '{text[given].iloc[bad]}' in "
        f"{where['interview_id']}",
        fix="Order by an attribute of numbers or dates (YYYY-MM-DD or D.M.YYYY), or use "
        "--order file or --order random",
        code="E004",
    )


def saturation(
    segments: pd.DataFrame,
    interviews: pd.DataFrame,
    *,
    order: str = "file",
    seed: int = 0,
    by: str | None = None,
    date_column: str = "interview_date",
) -> pd.DataFrame:
    """One row per interview in `order`: its codes, the codes new so far, and the running total.

    Codes are those whose own rules matched (theme roll-ups would only repeat their children).
    `cumulative_share` is cumulative_codes over all codes found in the (group's) interviews.
    With `by`, each value of that attribute is its own sequence (first column `by`).
    """
    ids = interview_order(interviews, order, seed=seed, date_column=date_column)
    codes_of = segments.groupby("interview_id")["code"].agg(lambda c: set(c.astype(str)))
    if by:
        check_attributes(interviews, [by])
        value_of = dict(
            zip(interviews["interview_id"].astype(str), interviews[by].astype(str), strict=True)
        )
        values = nb_sorted(set(value_of.values()))
        parts = [
            _sequence([i for i in ids if value_of[i] == value], codes_of).assign(**{by: value})
            for value in values
        ]
        table = pd.concat(parts, ignore_index=True) if parts else _sequence([], codes_of)
        return table[[by, *SATURATION_COLUMNS]]
    return _sequence(ids, codes_of)


def _sequence(ids: list[str], codes_of: pd.Series) -> pd.DataFrame:
    seen: set[str] = set()
    rows = []
    for position, interview_id in enumerate(ids, start=1):
        found = set(codes_of.get(interview_id, ()))
        new = sorted(found - seen)
        seen |= found
        rows.append(
            {
                "position": position,
                "interview_id": interview_id,
                "codes": len(found),
                "new_codes": len(new),
                "cumulative_codes": len(seen),
                "new": "; ".join(new),
            }
        )
    table = pd.DataFrame(rows, columns=[c for c in SATURATION_COLUMNS if c != "cumulative_share"])
    total = len(seen)
    table["cumulative_share"] = (table["cumulative_codes"] / total).round(4) if total else 0.0
    table = table.astype(
        dict.fromkeys(("position", "codes", "new_codes", "cumulative_codes"), "int64")
    )
    return table[SATURATION_COLUMNS]
