"""Keyword in context: every place a term matches, with the codebook's own term semantics.

A term is matched exactly as a codebook term would be (lemma candidates of each token, `*`
globs at the start or end of a word, several words in a row), because the search runs through
a `CodeMatcher` compiled from a one-term, in-memory codebook. So what `kwic` finds is what the
term would code if it were added to a codebook.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd

from mimres_cli.codebook.compile import CodeMatcher
from mimres_cli.codebook.model import Code, Codebook
from mimres_cli.coding.apply import iter_units
from mimres_cli.coding.evidence import UnitContext, find_evidence
from mimres_cli.design import DEFAULT_DESIGN, Design
from mimres_cli.errors import MimresError
from mimres_cli.findings.collate import nb_key
from mimres_cli.nlp.parse import ParsedInterview
from mimres_cli.vocabulary import KWIC_SORTS, KwicSort


def kwic_columns(design: Design = DEFAULT_DESIGN) -> list[str]:
    """The fixed columns of `kwic()`: the design's attributes after the interview id."""
    return ["interview_id", *design.attributes, "speaker", "role", "turn_index",
            "start", "end", "left", "match", "right", "sentence"]  # fmt: skip


KWIC_COLUMNS = kwic_columns()
_KWIC_CODE = "kwic"
_NOT_ATTRIBUTES = frozenset({"interview_id", "speaker", "role", "turn_index", "start", "end",
                             "left", "match", "right", "sentence"})  # fmt: skip


def term_matcher(term: str) -> CodeMatcher:
    """A matcher for one codebook term ("jobb", "*opplæring", "fast jobb").

    Raises MimresError for a term that would match every word or has `*` inside a word.
    """
    words = term.lower().split()
    if not words or all(set(word) <= {"*"} for word in words):
        raise MimresError(
            f"term '{term}' would match every word",
            fix="Give at least one letter, e.g. '*opplæring'",
            code="E209",
        )
    if any("*" in word.strip("*") for word in words):
        raise MimresError(
            f"term '{term}' has '*' inside a word",
            fix="Put '*' only at the start or end of a word",
            code="E209",
        )
    code = Code(id=_KWIC_CODE, path=_KWIC_CODE, label=term, terms=(" ".join(words),))
    book = Codebook(name="kwic", path=Path("<kwic>"), sha256="", codes=(code,))
    return CodeMatcher([book])


def kwic(
    parsed: Iterable[ParsedInterview],
    term: str,
    *,
    width: int = 40,
    roles: Sequence[str] | None = ("informant",),
    design: Design = DEFAULT_DESIGN,
) -> pd.DataFrame:
    """One row per match of `term` in the turns of `roles` (None: every turn), in corpus order.

    `start`/`end` are character offsets into the interview body (0-based, end-exclusive);
    `left` and `right` are up to `width` characters of the same turn around the match, line
    breaks as spaces; `sentence` is the sentence that holds the match, the evidence a code with
    this one term would quote (see coding/evidence.py). Metadata columns other than the
    design's follow `kwic_columns(design)`.
    """
    matcher = term_matcher(term)
    code = matcher.codes[_KWIC_CODE]
    fixed = kwic_columns(design)
    rows = []
    extra: dict[str, None] = {}
    for item in parsed:
        interview = item.interview
        for key in interview.metadata:
            if key not in fixed:
                extra[key] = None
        for unit in iter_units(item, "turn"):
            turn = unit.turn
            if roles is not None and turn.role not in roles:
                continue
            context = UnitContext.of(unit.span, unit.skip)
            for hit in sorted(matcher.match(unit.span, unit.skip), key=lambda h: h.start):
                found, _ = find_evidence(code, [hit], context)
                left = turn.text[max(0, hit.start - width) : hit.start]
                right = turn.text[hit.end : hit.end + width]
                rows.append(
                    {
                        # Metadata stay text, as in the results folder ("01" is an id).
                        **{str(k): _text(v) for k, v in interview.metadata.items()},
                        "interview_id": interview.id,
                        "speaker": turn.speaker,
                        "role": turn.role,
                        "turn_index": turn.index,
                        "start": turn.start + hit.start,
                        "end": turn.start + hit.end,
                        "left": _flat(left),
                        "match": _flat(turn.text[hit.start : hit.end]),
                        "right": _flat(right),
                        "sentence": _flat(turn.text[found.start : found.end]) if found else "",
                    }
                )
    columns = [*fixed, *sorted(extra)]
    table = pd.DataFrame(rows, columns=columns)
    return table.astype({"turn_index": "int64", "start": "int64", "end": "int64"})


def kwic_counts(hits: pd.DataFrame, by: str | Sequence[str]) -> pd.DataFrame:
    """Matches and interviews with a match, per value of `by`, and the matched forms."""
    by = [by] if isinstance(by, str) else list(by)
    missing = [name for name in by if name not in hits.columns]
    if missing:
        raise MimresError(
            f"no attribute '{missing[0]}' in the interviews",
            fix=f"Use one of {', '.join(c for c in hits.columns if c not in _NOT_ATTRIBUTES)}",
            code="E002",
        )
    if hits.empty:
        return pd.DataFrame(columns=[*by, "matches", "interviews", "forms"])
    table = (
        hits.assign(form=hits["match"].str.lower())
        .groupby(by, dropna=False)
        .agg(
            matches=("match", "size"),
            interviews=("interview_id", "nunique"),
            forms=("form", lambda f: "; ".join(sorted(set(f)))),
        )
    )
    return table.reset_index().astype({"matches": "int64", "interviews": "int64"})


def with_codes(
    hits: pd.DataFrame, segments: pd.DataFrame, order: Sequence[str] = ()
) -> pd.DataFrame:
    """`hits` with a last column `codes`: the codes of the coded units that hold each match
    (a results folder's segments of the same interviews), distinct, joined by "; ", in `order`
    (the codebook's; other codes after them by name). Empty where no unit holding the match
    was coded: what adding the term to a codebook would code anew.
    """
    hits = hits.reset_index(drop=True)
    rank = {code: i for i, code in enumerate(order)}
    units = segments[["interview_id", "start", "end", "code"]].rename(
        columns={"start": "unit_start", "end": "unit_end"}
    )
    pairs = hits[["interview_id", "start"]].reset_index(names="hit").merge(units, on="interview_id")
    inside = pairs[(pairs["unit_start"] <= pairs["start"]) & (pairs["start"] < pairs["unit_end"])]
    found: dict[int, set[str]] = {}
    for hit, code in zip(inside["hit"], inside["code"], strict=True):
        found.setdefault(hit, set()).add(str(code))
    joined = ["; ".join(sorted(found.get(hit, ()), key=lambda c: (rank.get(c, len(rank)),
                                                                  nb_key(c))))
              for hit in range(len(hits))]  # fmt: skip
    return hits.assign(codes=pd.Series(joined, dtype="string"))


def sort_kwic(
    hits: pd.DataFrame, by: KwicSort = "corpus", order: Sequence[str] = ()
) -> pd.DataFrame:
    """The concordance in the order `by` names, the same every time:

    - "corpus": as `kwic()` found them (interviews in file order, matches in text order);
    - "left": by the words left of the match, nearest first (1L, then 2L, …);
    - "right": by the words right of the match, in reading order (1R, then 2R, …);
    - "code": by the codes of the unit that holds the match (`with_codes`, in the codebook
      `order`), matches in no coded unit last.

    Words compare in Norwegian alphabetical order (`findings.collate.nb_key`: case ignored,
    … z æ ø å); ties go by the matched form, then corpus order.
    """
    if by not in KWIC_SORTS:
        raise MimresError(f"unknown concordance order '{by}'",
                          fix=f"Use one of {', '.join(KWIC_SORTS)}", code="E000")  # fmt: skip
    hits = hits.reset_index(drop=True)
    if by == "corpus":
        return hits
    if by == "code" and "codes" not in hits.columns:
        raise MimresError(
            "sorting by code needs the codes of a results folder",
            fix="Give the results folder: mimres kwic RESULTS TERM --sort code",
            code="E000",
        )
    rank = {code: i for i, code in enumerate(order)}

    def key(position: int) -> tuple:
        row = hits.iloc[position]
        if by == "left":
            first = tuple(nb_key(w) for w in reversed(_WORD.findall(str(row["left"]))))
        elif by == "right":
            first = tuple(nb_key(w) for w in _WORD.findall(str(row["right"])))
        else:
            codes = [c for c in str(row["codes"]).split("; ") if c]
            first = (not codes, tuple((rank.get(c, len(rank)), nb_key(c)) for c in codes))
        return first, nb_key(row["match"]), position

    return hits.iloc[sorted(range(len(hits)), key=key)].reset_index(drop=True)


_WORD = re.compile(r"\w+")


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _flat(text: str) -> str:
    return re.sub(r"\s", " ", text)
