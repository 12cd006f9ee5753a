"""How good the coding is: per-theme agreement of mimres's coding with a human reading.

Pure pandas over the units, mimres's segments and the people's unit codings (interview_id,
unit_index, code, coder): `findings.agreement.agreement` with mimres as A and the people as B
(the reference), over the informant units of the interviews the people coded. Themes are
compared as themes: a unit counts for a theme when it is coded with the theme or any code
under it, on either side, and the overall row pools the (unit, theme) decisions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from mimres_cli.findings.agreement import OVERALL, agreement

#: Columns of the per-theme agreement table.
VALIDATION_COLUMNS = [
    "theme", "label", "units", "coded_mimres", "coded_human", "both", "precision", "recall",
    "f1", "kappa", "alpha",
]  # fmt: skip
_KEYS = ["interview_id", "unit_index"]


@dataclass(frozen=True)
class Validation:
    """Per-theme agreement of mimres with the people who coded some of the interviews."""

    coders: tuple[str, ...]
    interviews: tuple[str, ...]  # the interviews they coded (only their units count)
    table: pd.DataFrame  # VALIDATION_COLUMNS; the last row is the OVERALL one

    @property
    def alpha(self) -> float:
        """Krippendorff's alpha over every (unit, theme) decision (NaN: undefined)."""
        return float(self.table["alpha"].iloc[-1])


def validate(
    units: pd.DataFrame,
    segments: pd.DataFrame,
    human: pd.DataFrame,
    codes: pd.DataFrame,
    interviews: Iterable[str] | None = None,
) -> Validation:
    """Per-theme agreement of `segments` (mimres) with `human` unit codings.

    `units` are the units that can be coded (informant units); only those of `interviews`
    (default: the interviews in `human`) count, as `mimres agree` counts them. `codes` (code,
    theme, label, depth) names the themes and their labels; a human code that is not in it
    counts for the first part of its path.
    """
    interviews = tuple(sorted(set(human["interview_id"] if interviews is None else interviews)))
    units = units[units["interview_id"].isin(interviews)]
    theme_of = dict(zip(codes["code"], codes["theme"], strict=True))
    themes = [str(c) for c in codes.loc[codes["depth"] == 0, "code"]]

    def as_themes(table: pd.DataFrame) -> pd.DataFrame:
        keys = table[_KEYS].copy()
        keys["code"] = [theme_of.get(c, str(c).split("/", 1)[0]) for c in table["code"]]
        return keys.drop_duplicates()

    found = agreement(units, as_themes(segments), as_themes(human), codes=themes,
                      names=("mimres", "human")).table  # fmt: skip
    found = found.rename(
        columns={"code": "theme", "coded_a": "coded_mimres", "coded_b": "coded_human"}
    )
    labels = dict(zip(codes["code"], codes["label"], strict=True))
    found["label"] = [labels.get(t, "Samlet" if t == OVERALL else t) for t in found["theme"]]
    coders = tuple(sorted(set(map(str, human["coder"]))))
    return Validation(coders, interviews, found[VALIDATION_COLUMNS].reset_index(drop=True))
