"""What a codebook change does: the segments one coding has and the other has not."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from mimres_cli.codebook import Codebook, compile_codebooks
from mimres_cli.coding.apply import UnitKind, code_interviews
from mimres_cli.coding.results import Results
from mimres_cli.nlp.parse import ParsedInterview

#: Columns of the table `compare_codings` returns.
CHANGE_COLUMNS = [
    "code", "change", "interview_id", "unit_index", "start", "end", "rule", "matched", "negated",
    "evidence", "text",
]  # fmt: skip
#: The kinds of change, in the order rows are listed within a code.
CHANGES = ("gained", "lost", "negated", "unnegated")
_KEY = ["interview_id", "unit_index", "code"]


def compare_codings(old: Results, new: Results) -> pd.DataFrame:
    """One row per segment gained, lost, or whose `negated` flag changed.

    `change` is "gained" (a segment in `new` only), "lost" (in `old` only), "negated" (in both,
    negated in `new` only) or "unnegated" (in both, negated in `old` only). Other columns come
    from `new`, or from `old` for lost segments: `rule` and `matched` say why it is coded
    (`question` for one the interviewer's question gave), `evidence` is the sentence or window
    that was coded, `text` the whole unit. A segment is identified by (interview, unit, code),
    so both codings must come from the same parsed corpus and unit; a segment whose matched
    words alone differ is not listed. Rows are in codebook order (the new codebook's
    codes first, then codes only the old one has), then in the order of CHANGES, then in
    interview and unit order.
    """
    gained = _only_in(new.segments, old.segments).assign(change="gained")
    lost = _only_in(old.segments, new.segments).assign(change="lost")
    both = new.segments.merge(
        old.segments[[*_KEY, "negated"]], on=_KEY, suffixes=("", "_old"), how="inner"
    )
    flipped = both[both["negated"] != both["negated_old"]].drop(columns="negated_old")
    flipped = flipped.assign(change=flipped["negated"].map({True: "negated", False: "unnegated"}))
    parts = [part for part in (gained, lost, flipped) if not part.empty]
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in CHANGE_COLUMNS})
    table = pd.concat(parts, ignore_index=True)
    order = {code: n for n, code in enumerate(new.codes["code"])}
    for code in old.codes["code"]:
        order.setdefault(code, len(order))
    table["_order"] = table["code"].map(order)
    table["_change"] = table["change"].map({change: n for n, change in enumerate(CHANGES)})
    table = table.sort_values(["_order", "_change", "interview_id", "unit_index"], kind="stable")
    return table[CHANGE_COLUMNS].reset_index(drop=True)


def _only_in(one: pd.DataFrame, other: pd.DataFrame) -> pd.DataFrame:
    merged = one.merge(other[_KEY].drop_duplicates(), on=_KEY, how="left", indicator=True)
    return merged[merged["_merge"] == "left_only"].drop(columns="_merge")


@dataclass(frozen=True)
class CodebookComparison:
    """What changing the codebook from `old` to `new` does to one parsed corpus."""

    changes: pd.DataFrame  # CHANGE_COLUMNS, as `compare_codings` returns it
    interviews: int  # how many interviews both codebooks coded
    codebooks: tuple[Codebook, Codebook]  # old, new


def compare_codebooks(
    parsed: Iterable[ParsedInterview], old: Codebook, new: Codebook, *, unit: UnitKind = "turn"
) -> CodebookComparison:
    """Code the same parsed interviews with `old` and with `new` and compare the codings.

    The interviews are parsed once (`parsed` is read once and kept), so the two codings differ
    only by the codebook.
    """
    parsed = list(parsed)
    before, after = (code_interviews(parsed, compile_codebooks([b]), unit=unit) for b in (old, new))
    return CodebookComparison(compare_codings(before, after), len(parsed), (old, new))
