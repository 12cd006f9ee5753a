"""Human codings: the codings table, CSV codings, the overlap rule and agreement with them.

(A REFI-QDA project's codings are read by export/refi/codings.py into the same table, and
`agree_with_humans` takes the tables read, so this module knows no QDA-XML.)

A human coding is a selection `[start, end)` (code points, end exclusive) of an interview body
with a code. The overlap rule: **a unit counts as coded by a person with a code when at least
one of that person's selections with the code shares at least one character with the unit**,
that is when `start < unit.end and unit.start < end`. Units are stripped of surrounding white
space and speaker labels, so a selection that covers only a label, a line break or the space
between two units codes none of them; a selection across two turns codes both.
"""

from __future__ import annotations

import csv
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from mimres_cli.codebook.model import id_from_name
from mimres_cli.coding.schema import UNIT_COLUMNS
from mimres_cli.errors import CodingsError, MimresError, Where, problem, report
from mimres_cli.findings.agreement import Agreement, agreement, coders_agreement
from mimres_cli.safety import use_input

if TYPE_CHECKING:
    from mimres_cli.coding.results import Results

log = logging.getLogger(__name__)

#: Columns of a human codings table (one row per selection and code).
CODING_COLUMNS = ["interview_id", "start", "end", "code", "coder"]
#: Columns of a unit codings table (one row per unit, code and coder).
UNIT_CODING_COLUMNS = ["interview_id", "unit_index", "code", "coder"]
#: The coder name of the codings mimres itself wrote into an exported project.
TOOL_CODER = "mimres"
#: The largest character offset a selection may have (no transcript comes near it; beyond
#: it, offsets such as 10^23 would overflow the tables' 64-bit integers).
MAX_OFFSET = 2**31 - 1
#: Roles whose units are coded (and so compared); interviewer turns are not.
COMPARED_ROLES = ("informant",)


@dataclass(frozen=True)
class HumanCodings:
    """Codings read from a file: the table (CODING_COLUMNS + text) and what was left out."""

    codings: pd.DataFrame
    notes: tuple[str, ...] = field(default=())


class CodeResolver:
    """Maps a code name, path or GUID from a codings file to a code path of our codebook.

    `guids` maps GUIDs to code paths (a REFI-QDA project's codes; none for CSV).
    """

    def __init__(self, codes: pd.DataFrame, guids: dict[str, str] | None = None) -> None:
        paths = [str(p) for p in codes["code"]]
        labels = [str(x) for x in codes["label"]] if "label" in codes else paths
        self.paths = set(paths)
        self.by_guid = dict(guids or {})
        self.by_label: dict[str, list[str]] = {}
        self.by_id: dict[str, list[str]] = {}
        for path, label in zip(paths, labels, strict=True):
            self.by_label.setdefault(label.casefold(), []).append(path)
            self.by_label.setdefault(f"{label} ({path})".casefold(), []).append(path)
            self.by_id.setdefault(path.rsplit("/", 1)[-1], []).append(path)

    def resolve(self, name: str, guid: str = "", fallback: str = "") -> str | None:
        if guid and guid in self.by_guid:
            return self.by_guid[guid]
        name = name.strip()
        if name in self.paths:
            return name
        for table, key in ((self.by_label, name.casefold()), (self.by_id, name)):
            found = table.get(key, [])
            if len(found) == 1:
                return found[0]
        return fallback or None


def read_csv_codings(path: Path, interviews: pd.DataFrame, codes: pd.DataFrame) -> HumanCodings:
    """A CSV of codings: columns interview_id, start, end, code (path, label or id), coder.

    `coder` is optional (default: the file's name without suffix); other columns are ignored.
    """
    use_input(path, "codings file")
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows, notes = _csv_rows(path, handle, set(interviews["interview_id"]), codes)
    except (UnicodeDecodeError, csv.Error) as exc:
        why = (
            f"is not UTF-8 text ({exc.reason})"
            if isinstance(exc, UnicodeDecodeError)
            else f"is not a readable CSV file ({exc})"
        )
        raise CodingsError(
            why,
            where=Where(path),
            code="E401",
            fix="Save the codings as a UTF-8 CSV file, one coding a line",
        ) from None
    report([problem("W401", note, path) for note in dict.fromkeys(notes)], log)
    return HumanCodings(coding_table(rows), tuple(dict.fromkeys(notes)))


def _csv_rows(
    path: Path, handle: Any, known: set[str], codes: pd.DataFrame
) -> tuple[list[dict], list[str]]:
    resolver = CodeResolver(codes)
    notes: list[str] = []
    rows: list[dict] = []
    reader = csv.DictReader(handle)
    missing = [c for c in CODING_COLUMNS[:4] if c not in (reader.fieldnames or [])]
    if missing:
        raise CodingsError(
            f"codings CSV lacks column(s) {', '.join(missing)}",
            where=Where(path, 1),
            fix="Give a header line 'interview_id,start,end,code' (and optionally 'coder')",
            code="E401",
        )
    for line, record in enumerate(reader, start=2):
        interview_id = (record["interview_id"] or "").strip()
        try:
            start, end = int(record["start"]), int(record["end"])
        except (TypeError, ValueError):
            raise CodingsError(
                f"start '{record['start']}' and end '{record['end']}' must be whole numbers",
                where=Where(path, line),
                fix="Give code-point offsets into the interview body, end exclusive",
                code="E401",
            ) from None
        _check_selection(start, end, Where(path, line))
        if interview_id not in known:
            notes.append(f"interview '{interview_id}' is not in the results; skipped")
            continue
        name = (record["code"] or "").strip()
        code = resolver.resolve(name, fallback=new_code(name))
        if code not in resolver.paths:
            notes.append(f"code '{name}' is not in the codebook; kept as '{code}'")
        coder = (record.get("coder") or "").strip() or path.stem
        rows.append({"interview_id": interview_id, "start": start, "end": end,
                     "code": code, "coder": coder, "text": ""})  # fmt: skip
    return rows, notes


def _check_selection(start: int, end: int, where: Where) -> None:
    if not 0 <= start < end:
        raise CodingsError(
            f"selection {start}-{end} is empty or negative",
            where=where,
            fix="Give 0 <= start < end (end exclusive)",
            code="E402",
        )
    if end > MAX_OFFSET:
        raise CodingsError(
            f"selection {start}-{end} ends beyond any interview (offsets go up to {MAX_OFFSET:,})",
            where=where,
            fix="Give code-point offsets into the interview body",
            code="E402",
        )


def unit_codings(
    codings: pd.DataFrame, units: pd.DataFrame, roles: tuple[str, ...] = COMPARED_ROLES
) -> pd.DataFrame:
    """Map selections onto units by the overlap rule; one row per (unit, code, coder).

    Only units whose role is in `roles` count; a selection that overlaps no such unit is
    dropped (see `uncovered`).
    """
    pool = units[units["role"].isin(roles)][["interview_id", "unit_index", "start", "end"]]
    if codings.empty or pool.empty:
        return pd.DataFrame(columns=UNIT_CODING_COLUMNS)
    pairs = codings[CODING_COLUMNS].merge(pool, on="interview_id", suffixes=("", "_unit"))
    hit = (pairs["start"] < pairs["end_unit"]) & (pairs["start_unit"] < pairs["end"])
    table = pairs.loc[hit, UNIT_CODING_COLUMNS].drop_duplicates()
    table = table.astype({"unit_index": "int64"})
    return table.sort_values(["interview_id", "unit_index", "code", "coder"]).reset_index(drop=True)


def with_units(
    codings: pd.DataFrame, units: pd.DataFrame, roles: tuple[str, ...] = COMPARED_ROLES
) -> pd.DataFrame:
    """The codings table with a `units` column: the unit indexes each selection overlaps.

    An empty `text` (a CSV gives none) is filled with the quote when the selection lies within
    one unit of any role.
    """
    table = codings.copy()
    spans = {
        key: list(group[["unit_index", "role", "start", "end", "text"]].itertuples(index=False))
        for key, group in units.groupby("interview_id")
    }
    table["units"] = [
        ";".join(
            str(u.unit_index) for u in spans.get(row.interview_id, [])
            if u.role in roles and row.start < u.end and u.start < row.end
        )
        for row in table.itertuples(index=False)
    ]  # fmt: skip
    table["text"] = [row.text or _quote(row, spans.get(row.interview_id, []))
                     for row in table.itertuples(index=False)]  # fmt: skip
    return table[[*CODING_COLUMNS, "units", "text"]]


def _quote(row, spans: list) -> str:
    for unit in spans:
        if unit.start <= row.start and row.end <= unit.end:
            return unit.text[row.start - unit.start : row.end - unit.start]
    return ""


def coding_table(rows: list[dict]) -> pd.DataFrame:
    table = pd.DataFrame(rows, columns=[*CODING_COLUMNS, "text"])
    table = table.astype({"start": "int64", "end": "int64"})
    table = table.drop_duplicates(subset=CODING_COLUMNS)
    return table.sort_values(["interview_id", "start", "end", "code", "coder"]).reset_index(
        drop=True
    )


def new_code(name: str) -> str:
    return "/".join(id_from_name(part) for part in name.split("/")) if name else "kode"


@dataclass(frozen=True)
class HumanAgreement:
    """What `agree_with_humans` found: the agreement and the overall alpha over every unit."""

    result: Agreement  # per code, and per value of `by` when asked
    alpha: float  # Krippendorff's alpha of the decision codes over all units compared (NaN:
    # undefined), whatever `by`

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables to write: the agreement and the disagreements."""
        return {"agreement": self.result.table, "disagreements": self.result.disagreements}


def agree_with_humans(
    results: Results,
    human: Mapping[str, pd.DataFrame],
    *,
    coders: Sequence[str] = (),
    by: str | None = None,
    all_interviews: bool = False,
) -> HumanAgreement:
    """Agreement of coded `results` with human codings, unit by unit.

    `human` maps each codings file's name to its codings (`read_codings(...).codings`); each
    file is one side: the codings of `coders` in it (default: everyone but mimres itself).
    One file: mimres (A) against that human (B, the reference). Two: the first human against
    the second. More: Krippendorff's alpha of all of them. Only the informant units of the
    interviews every file coded count, unless `all_interviews` (a person usually double-codes
    a few interviews: the others are not disagreements). Raises MimresError for an attribute
    `by` the units lack and for a file with no codings by the chosen coders.
    """
    every_unit = results.units
    units = every_unit[every_unit["role"].isin(COMPARED_ROLES)]
    if by is not None and by not in units.columns:
        attributes = [c for c in units.columns if c not in UNIT_COLUMNS]
        raise MimresError(f"the units have no attribute '{by}'",
                          fix=f"Use one of: {', '.join(attributes) or '(none)'}")  # fmt: skip
    sides = [human_side(name, codings, every_unit, coders) for name, codings in human.items()]
    if not all_interviews and sides:
        coded = set.intersection(*(interviews for _, _, interviews in sides))
        units = units[units["interview_id"].isin(coded)]
    named = [(name, codings) for name, codings, _ in sides]
    if len(named) == 1:
        named.insert(0, (TOOL_CODER, results.segments[["interview_id", "unit_index", "code"]]))
    names = _distinct([name for name, _ in named])
    order = list(results.codes["code"])
    cells = [by] if by else []
    if len(named) == 2:
        (_, a), (_, b) = named
        pair = (names[0], names[1])
        result = agreement(units, a, b, codes=order, by=cells, names=pair)
        overall = agreement(units, a, b, codes=order, names=pair)
    else:
        coded_by = {name: side for name, (_, side) in zip(names, named, strict=True)}
        result = coders_agreement(units, coded_by, codes=order, by=cells)
        overall = coders_agreement(units, coded_by, codes=order)
    return HumanAgreement(result, float(overall.overall()["alpha"]))


def human_side(
    source: str, codings: pd.DataFrame, units: pd.DataFrame, coders: Sequence[str]
) -> tuple[str, pd.DataFrame, set[str]]:
    """One file's side: its coders' names, their unit codings and the interviews they coded."""
    chosen = (
        codings[codings["coder"].isin(coders)] if coders
        else codings[codings["coder"] != TOOL_CODER]
    )  # fmt: skip
    if chosen.empty:
        raise MimresError(
            f"'{source}' has no codings by {', '.join(coders) if coders else 'a person'}",
            fix="Code in the QDA tool as your own user, or choose coders with --coder (it has "
            f"codings by {', '.join(sorted(codings['coder'].unique())) or 'no one'})",
        )
    name = ", ".join(sorted(chosen["coder"].unique()))
    return name, unit_codings(chosen, units), set(chosen["interview_id"])


def _distinct(names: list[str]) -> list[str]:
    """Coder names, numbered where two files have the same coder."""
    return [
        f"{name} ({n})" if names.count(name) > 1 else name for n, name in enumerate(names, start=1)
    ]
