"""The words the library and the command line share, each written once as a `Literal`.

Each vocabulary is one `Literal`; its tuple of values (for checks and "Use one of ..."
messages) is derived with `typing.get_args`, and so are the command line's choices
(`cli._options.choices`). A value added here appears everywhere at once. Like errors.py,
this module imports nothing from mimres_cli (and nothing heavy: the CLI reads it at start-up),
so every stage may use it.
"""

from __future__ import annotations

from typing import Literal, get_args

#: What one unit of coding is: a whole turn, or each sentence of it.
UnitKind = Literal["turn", "sentence"]
UNIT_KINDS: tuple[UnitKind, ...] = get_args(UnitKind)

#: Who speaks a turn.
Role = Literal["interviewer", "informant"]
ROLES: tuple[Role, ...] = get_args(Role)

#: Conditions under which `mimres run/code --fail-on` exits 1 after writing the results.
FailOn = Literal["warnings", "uncoded-interviews"]
FAIL_ON: tuple[FailOn, ...] = get_args(FailOn)

#: What a cell of a findings table holds.
Measure = Literal["share", "coded_interviews", "interviews", "segments", "words"]
MEASURES: tuple[Measure, ...] = get_args(Measure)

#: The order of the rows of a findings table.
SortOrder = Literal["codebook", "total", "label"]
SORT_ORDERS: tuple[SortOrder, ...] = get_args(SortOrder)

#: Co-occurrence: within one unit or one interview, as a count or as Jaccard's index.
CooccurLevel = Literal["unit", "interview"]
COOCCUR_LEVELS: tuple[CooccurLevel, ...] = get_args(CooccurLevel)
CooccurMeasure = Literal["count", "jaccard"]
COOCCUR_MEASURES: tuple[CooccurMeasure, ...] = get_args(CooccurMeasure)

#: The named orders in which saturation takes the interviews (any attribute of numbers or dates
#: is an order too: `findings.saturation.interview_order`).
SaturationOrder = Literal["file", "date", "random"]
SATURATION_ORDERS: tuple[SaturationOrder, ...] = get_args(SaturationOrder)

#: The order of a concordance: as in the corpus, by the words left or right of the match
#: (nearest first), or by the codes of the unit that holds it.
KwicSort = Literal["corpus", "left", "right", "code"]
KWIC_SORTS: tuple[KwicSort, ...] = get_args(KwicSort)

#: Output formats of every table command (export/formats.py has a writer for each).
TableFormat = Literal["table", "csv", "tsv", "json", "markdown", "xlsx"]
TABLE_FORMATS: tuple[TableFormat, ...] = get_args(TableFormat)

#: Output formats of the token table (`mimres tag`; export/tokens.py has a writer for each).
TokenFormat = Literal["csv", "jsonl", "parquet", "conllu"]
TOKEN_FORMATS: tuple[TokenFormat, ...] = get_args(TokenFormat)
