"""The segments table: the one shape every later stage works on.

One row per coded segment, that is per (interview, unit, code) where a rule of the code matched.
A theme's roll-up (units coded with it or any descendant) is computed by the findings stage,
not stored here, so exports never duplicate a selection. Renaming a column is a breaking change.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from mimres_cli.design import DEFAULT_ATTRIBUTES, Design
from mimres_cli.errors import MimresError

#: Fixed columns of the segments table, in order, with their pandas dtypes.
#: The interview's metadata columns (the design's two attributes, then the rest sorted) follow
#: `interview_id`.
SEGMENT_COLUMNS: dict[str, str] = {
    "interview_id": "string",  # the interview's id
    "speaker": "string",  # the speaker label as written ("Daglig leder")
    "role": "string",  # interviewer | informant
    "unit": "string",  # turn | sentence: what one unit of coding is
    "unit_index": "int64",  # 0-based index of the unit within the interview
    "turn_index": "int64",  # 0-based index of the turn the unit belongs to
    "start": "int64",  # character offset of the unit in the interview body, 0-based
    "end": "int64",  # end-exclusive character offset; body[start:end] == text
    "start_time": "Float64",  # seconds, for timed sources (subtitles); empty otherwise
    "end_time": "Float64",
    "code": "string",  # code path, ids joined by "/"
    "theme": "string",  # the top-level code of `code`
    "label": "string",  # the code's label
    "codebook": "string",  # the name of the codebook the code comes from
    "matched": "string",  # the words that matched, distinct, in text order, joined by "; "
    "rule": "string",  # the kinds of rule that matched (term, regex, ...), joined by "; "
    "pattern": "string",  # the rules (terms, regexes, ...) that matched, joined by "; "
    "negated": "boolean",  # a negator governs or precedes every match (see negation rules)
    "words": "int64",  # words in the unit, transcription marks excluded
    "text": "string",  # the unit's text, exactly body[start:end]
    "evidence_start": "int64",  # the sentence(s) or window holding the evidence, in the body
    "evidence_end": "int64",  # end-exclusive; body[evidence_start:evidence_end] == evidence
    "evidence": "string",  # what a quote shows: the coded sentence of a long turn
    "context_turn": "Int64",  # rule "question": the turn_index of the interviewer's question
}
#: Columns added after the first release: a segments table without them reads as if each
#: segment's evidence were its whole unit and none came from a question.
_LATER_COLUMNS = ("evidence_start", "evidence_end", "evidence", "context_turn")

#: Columns of the units table: every unit of coding, coded or not (for agreement and words).
UNIT_COLUMNS: dict[str, str] = {
    "interview_id": "string",
    "speaker": "string",
    "role": "string",
    "unit": "string",
    "unit_index": "int64",
    "turn_index": "int64",
    "start": "int64",
    "end": "int64",
    "start_time": "Float64",
    "end_time": "Float64",
    "words": "int64",
    "text": "string",
}

#: Columns of the interviews table (one row per interview, coded or not), before metadata.
INTERVIEW_COLUMNS: dict[str, str] = {
    "interview_id": "string",
    "file": "string",
    "format": "string",
    "language": "string",  # nb | nn | mixed: detected, or the `language` metadata when given
    "turns": "int64",
    "informant_turns": "int64",
    "informant_words": "int64",
}

#: The tables built of rows, one row per segment, unit or interview, and their fixed columns.
ROW_TABLES = {"segments": SEGMENT_COLUMNS, "units": UNIT_COLUMNS, "interviews": INTERVIEW_COLUMNS}

#: Columns of codes.csv; the descriptive ones feed the codebook appendix of reports.
CODE_COLUMNS = [
    "code", "theme", "label", "parent", "depth", "codebook", "color",
    "definition", "when_to_use", "when_not_to_use", "example",
]  # fmt: skip


@dataclass(frozen=True)
class TableLayout:
    """The columns and dtypes of a run's segments, units and interviews tables, fixed by the
    interviews' metadata before any row is built: every table of rows is then typed alike,
    built whole or in chunks (`rows_table`)."""

    metadata: list[str]  # every metadata key of the interviews
    first: Sequence[str]  # the design's attributes, first among the metadata columns
    dtypes: dict[str, Any]  # `metadata_dtypes`

    @classmethod
    def of(cls, metadata: Sequence[Mapping[str, Any]], design: Design) -> TableLayout:
        """The layout for interviews with this metadata (one mapping per interview)."""
        dtypes = metadata_dtypes(metadata)
        return cls(sorted(dtypes), design.attributes, dtypes)

    def table(self, name: str, rows: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
        """Table `name` (segments, units or interviews) of `rows` (all or a chunk of them)."""
        fixed = ROW_TABLES[name]
        # the interviews table has a fixed `language` column, which wins over a metadata key
        keys = [key for key in self.metadata if key not in fixed]
        return rows_table(rows, fixed, keys, self.first, self.dtypes)


def metadata_columns(table: pd.DataFrame, fixed: dict[str, str] = SEGMENT_COLUMNS) -> list[str]:
    """The metadata columns of a table: every column that is not a fixed one."""
    return [c for c in table.columns if c not in fixed]


def order_columns(
    table: pd.DataFrame,
    fixed: dict[str, str],
    metadata: list[str],
    first: Sequence[str] = DEFAULT_ATTRIBUTES,
    dtypes: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """Put the fixed columns in order with `metadata` right after `interview_id` (the `first`
    attributes, then the rest sorted), typed: the metadata columns with `dtypes` (see
    `metadata_dtypes`) when given, else as `convert_dtypes` infers them from `table`."""
    meta = [c for c in first if c in metadata]
    meta += sorted(c for c in metadata if c not in first)
    columns = ["interview_id", *meta, *[c for c in fixed if c != "interview_id"]]
    for name in columns:
        if name not in table.columns:
            table[name] = pd.Series(dtype=fixed.get(name, "string"))
    table = table[columns].astype({name: fixed[name] for name in fixed})
    # Nullable dtypes keep a whole-number attribute whole ("5", not "5.0000") where some
    # interviews lack it.
    if meta and dtypes is not None:
        table[meta] = table[meta].astype({name: dtypes.get(name, "string") for name in meta})
    elif meta:
        table[meta] = table[meta].convert_dtypes()
    return table


def metadata_dtypes(metadata: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The dtype of each metadata column, from every interview's metadata (one mapping per
    interview): what `order_columns` infers for a table holding each interview's values.

    A table of rows gets the same dtypes whichever interviews it holds rows of, so a column
    is typed alike in every table, and a table written in chunks (`rows_table`) is typed as
    when it is built whole.
    """
    keys = sorted({key for one in metadata for key in one})
    columns = {key: _objects([one.get(key, _MISSING) for one in metadata]) for key in keys}
    inferred = pd.DataFrame(columns, index=range(len(metadata)))
    return {key: inferred[key].infer_objects().convert_dtypes().dtype for key in keys}


def rows_table(
    rows: Sequence[Mapping[str, Any]],
    fixed: dict[str, str],
    metadata: list[str],
    first: Sequence[str],
    dtypes: Mapping[str, Any],
) -> pd.DataFrame:
    """A table from row dicts, in `order_columns`' order and types, the metadata columns typed
    by `dtypes` (`metadata_dtypes`). The same rows give the same cells built whole or in
    chunks: each metadata value is taken as given, not as its chunk's column infers it."""
    table = pd.DataFrame(list(rows))
    for key in metadata:  # a value an interview lacks is <NA>, whatever the chunk holds
        values = _objects([row.get(key, pd.NA) for row in rows])
        table[key] = pd.Series(values, index=table.index, dtype=object)
    return order_columns(table, fixed, metadata, first, dtypes)


_MISSING = float("nan")  # a metadata key an interview lacks, as pandas fills it in


def _objects(values: list[Any]) -> Any:
    """`values` as an object array, each value as given (no inference)."""
    return pd.array(values, dtype=object)


def validate_segments(table: pd.DataFrame) -> pd.DataFrame:
    """Check that `table` has the segments columns; return it with the documented dtypes."""
    if not any(c in table.columns for c in _LATER_COLUMNS) and {"start", "end", "text"} <= set(
        table.columns
    ):
        table = table.assign(evidence_start=table["start"], evidence_end=table["end"],
                             evidence=table["text"], context_turn=pd.NA)  # fmt: skip
    missing = [c for c in SEGMENT_COLUMNS if c not in table.columns]
    if missing:
        raise MimresError(
            f"not a segments table: missing column(s) {', '.join(missing)}",
            fix="Use the segments.csv written by 'mimres code' or 'mimres run --out'",
            code="E500",
        )
    return table.astype(SEGMENT_COLUMNS)
