"""`findings.validation`: per-theme agreement of mimres with a human reading, counted by hand.

Four informant units of interview i (j is not coded by the human, so it does not count):

| unit | mimres           | human (kari)               |
| ---- | ---------------- | -------------------------- |
| i/0  | skole/barnehage  | skole                      |
| i/1  | skole            | arbeid/jobb                |
| i/2  | arbeid/jobb      | arbeid/jobb                |
| i/3  | -                | fritid/natur (not a code)  |
| j/0  | arbeid/jobb      | (interview not coded)      |
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from mimres_cli.findings.validation import VALIDATION_COLUMNS, validate

UNITS = pd.DataFrame(
    {
        "interview_id": ["i", "i", "i", "i", "j"],
        "unit_index": [0, 1, 2, 3, 0],
        "text": ["Barnehagen er fin.", "Skolen er bra.", "Jeg jobber.", "Vi går tur.", "Jobb."],
    }
)
CODES = pd.DataFrame(
    {
        "code": ["skole", "skole/barnehage", "arbeid", "arbeid/jobb"],
        "theme": ["skole", "skole", "arbeid", "arbeid"],
        "label": ["Barnehage og skole", "Barnehage", "Arbeid", "Jobb"],
        "depth": [0, 1, 0, 1],
    }
)
SEGMENTS = pd.DataFrame(
    [("i", 0, "skole/barnehage"), ("i", 1, "skole"), ("i", 2, "arbeid/jobb"),
     ("j", 0, "arbeid/jobb")],
    columns=["interview_id", "unit_index", "code"],
)  # fmt: skip
HUMAN = pd.DataFrame(
    [("i", 0, "skole", "kari"), ("i", 1, "arbeid/jobb", "kari"), ("i", 2, "arbeid/jobb", "kari"),
     ("i", 3, "fritid/natur", "kari")],
    columns=["interview_id", "unit_index", "code", "coder"],
)  # fmt: skip


def test_per_theme_agreement_counted_by_hand() -> None:
    found = validate(UNITS, SEGMENTS, HUMAN, CODES)
    assert (found.coders, found.interviews) == (("kari",), ("i",))
    table = found.table
    assert list(table.columns) == VALIDATION_COLUMNS
    rows = {row.theme: row for row in table.itertuples(index=False)}
    # skole over 4 units: mimres {i/0 (its child, rolled up), i/1}, kari {i/0}: both 1,
    # P = 1/2, R = 1, F1 = 2/3; po = 3/4, pe = (2/4)(1/4) + (2/4)(3/4) = 1/2, κ = 1/2;
    # α = 1 - (8-1)·1 / (5·3) = 8/15 (n = 8 values, 3 "yes", 1 unit in dispute).
    skole = rows["skole"]
    assert (skole.label, skole.units, skole.coded_mimres, skole.coded_human, skole.both) == (
        "Barnehage og skole", 4, 2, 1, 1,
    )  # fmt: skip
    assert (skole.precision, skole.recall) == (0.5, 1.0)
    assert skole.f1 == pytest.approx(2 / 3)
    assert skole.kappa == pytest.approx(0.5)
    assert skole.alpha == pytest.approx(8 / 15)
    # arbeid: mimres {i/2}, kari {i/1, i/2}: P = 1, R = 1/2, κ = 1/2, α = 8/15.
    arbeid = rows["arbeid"]
    assert (arbeid.coded_mimres, arbeid.coded_human, arbeid.precision, arbeid.recall) == (
        1, 2, 1.0, 0.5,
    )  # fmt: skip
    assert arbeid.alpha == pytest.approx(8 / 15)
    # fritid is no theme of the codebook: kari's code counts for the first part of its path.
    # mimres coded nothing: precision undefined, recall 0; α = 1 - 7·1/(7·1) = 0.
    fritid = rows["fritid"]
    assert (fritid.label, fritid.coded_mimres, fritid.coded_human, fritid.recall) == (
        "fritid", 0, 1, 0.0,
    )  # fmt: skip
    assert math.isnan(fritid.precision)
    # Overall over 3 themes × 4 units = 12 decisions: A 3, B 4, both 2; P = 2/3, R = 1/2;
    # po = 9/12, pe = (3/12)(4/12) + (9/12)(8/12) = 7/12, κ = (9/12 - 7/12)/(5/12) = 0.4;
    # α = 1 - 23·3 / (17·7) = 50/119.
    overall = table.iloc[-1]
    assert (overall["theme"], overall["label"]) == ("(overall)", "Samlet")
    assert (overall["coded_mimres"], overall["coded_human"], overall["both"]) == (3, 4, 2)
    assert overall["kappa"] == pytest.approx(0.4)
    assert found.alpha == pytest.approx(50 / 119)
