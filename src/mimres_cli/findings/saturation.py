"""Saturation: how many codes not seen before each further interview adds, in a stated order."""

from __future__ import annotations

import hashlib

import pandas as pd

from mimres_cli.errors import MimresError
from mimres_cli.findings.collate import nb_sorted
from mimres_cli.findings.tables import check_attributes
from mimres_cli.vocabulary import SATURATION_ORDERS as ORDERS

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
    """The interview ids in `order`: by file path, by `date_column` (ties by file), or shuffled
    by `seed` (a hash of seed and id, so adding an interview does not reshuffle the others)."""
    if order not in ORDERS:
        raise MimresError(f"unknown order '{order}'", fix=f"Use one of {', '.join(ORDERS)}")
    table = interviews.assign(file=interviews.get("file", interviews["interview_id"]))
    if order == "date":
        if date_column not in table.columns:
            raise MimresError(
                f"the interviews have no '{date_column}' attribute to order by",
                fix="Add 'interview_date: YYYY-MM-DD' to the front matter, or use --order file",
            )
        table = table.sort_values([date_column, "file"], kind="stable")
    elif order == "random":
        key = table["interview_id"].map(
            lambda i: hashlib.sha256(f"{seed}\x1f{i}".encode()).hexdigest()
        )
        table = table.assign(key=key).sort_values("key", kind="stable")
    else:
        table = table.sort_values("file", kind="stable")
    return table["interview_id"].astype(str).tolist()


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
