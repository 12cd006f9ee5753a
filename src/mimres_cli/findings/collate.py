"""Norwegian alphabetical order: … x y z æ ø å, for every list of values a person reads.

Python's own order is by code point, which puts Å (U+00C5) before Æ and Ø, and every capital
before every small letter. `nb_key` is the one sort key that tables, the terminal, the HTML and
Word reports and the XLSX workbook use: case is ignored, æ ø å come after z (ä and ö sort as æ and
ø, as Norwegian dictionaries do), "aa" sorts as "å" (the old spelling, kept in names: "Aasen"
after "Ørsta", beside "Åsen"), other accents sort with their base letter (é as e), and
numbers in a value sort by their value ("Kommune 2" before "Kommune 10").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import pandas as pd

# After "z" (U+007A) in code point order, so "{" "|" "}" stand for æ, ø, å in a key.
_AFTER_Z = {"æ": "{", "ä": "{", "ø": "|", "ö": "|", "å": "}"}
_DIGITS = re.compile(r"\d+")
_WIDTH = 20  # digits a number is padded to, so numbers compare by value


def nb_key(value: object) -> str:
    """The sort key of `value` (any object, as its text) in Norwegian alphabetical order.

    Values that differ only in case or accents sort by their text, so the order is total.
    """
    text = str(value)
    primary = []
    for char in text.casefold().replace("aa", "å"):
        if char in _AFTER_Z:
            primary.append(_AFTER_Z[char])
        else:
            base = unicodedata.normalize("NFD", char)
            primary.append("".join(c for c in base if not unicodedata.combining(c)) or char)
    key = _DIGITS.sub(lambda m: m.group().rjust(_WIDTH, "0"), "".join(primary))
    return key + "\x00" + text


def nb_sorted(values: Iterable[object]) -> list:
    """`values` in Norwegian alphabetical order (see `nb_key`)."""
    return sorted(values, key=nb_key)


def nb_series_key(column: pd.Series) -> pd.Series:
    """`nb_key` for a column: the `key=` of `DataFrame.sort_values`.

    Computed once per distinct value (a findings table repeats each cell's values once per
    code), then looked up.
    """
    text = column.astype("string").fillna("")
    distinct = text.unique()
    return text.map(dict(zip(distinct, map(nb_key, distinct), strict=True)))
