"""Human codings from a QDA project (`.qdpx`) or a CSV file, mapped onto our units of coding.

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
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from mimres_cli.codebook.qdc import (
    child_text,
    children,
    code_guid,
    codes_of,
    id_from_name,
    local,
    normal_guid,
    parse_xml,
    read_project_xml,
    stable_guid,
    tool_user_guid,
)
from mimres_cli.errors import CodebookError, CodingsError, MissingInputError, Where, problem, report

log = logging.getLogger(__name__)

#: Columns of a human codings table (one row per selection and code).
CODING_COLUMNS = ["interview_id", "start", "end", "code", "coder"]
#: Columns of a unit codings table (one row per unit, code and coder).
UNIT_CODING_COLUMNS = ["interview_id", "unit_index", "code", "coder"]
#: The coder name of the codings mimres itself wrote into an exported project.
TOOL_CODER = "mimres"
#: Roles whose units are coded (and so compared); interviewer turns are not.
COMPARED_ROLES = ("informant",)


@dataclass(frozen=True)
class HumanCodings:
    """Codings read from a file: the table (CODING_COLUMNS + text) and what was left out."""

    codings: pd.DataFrame
    notes: tuple[str, ...] = field(default=())


class _CodeResolver:
    """Maps a code name, path or GUID from a QDA file to a code path of our codebook."""

    def __init__(self, codes: pd.DataFrame) -> None:
        paths = [str(p) for p in codes["code"]]
        labels = [str(x) for x in codes["label"]] if "label" in codes else paths
        self.paths = set(paths)
        self.by_guid = {code_guid(p): p for p in paths}
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


def read_codings(
    path: Path, interviews: pd.DataFrame, units: pd.DataFrame, codes: pd.DataFrame
) -> HumanCodings:
    """Read human codings from a `.qdpx` project or a CSV file (by suffix).

    `interviews`, `units` and `codes` are the tables of the results folder the codings are
    compared with: interviews are matched by source GUID, name or file name; codes by GUID,
    path, label or id; and a project's source texts are checked against the units' text.
    """
    if not path.is_file():
        raise MissingInputError(f"codings file '{path}' does not exist",
                                fix="Give a .qdpx project or a CSV of codings")  # fmt: skip
    if path.suffix.lower() == ".qdpx":
        return read_qdpx_codings(path, interviews, units, codes)
    return read_csv_codings(path, interviews, codes)


def read_qdpx_codings(
    path: Path, interviews: pd.DataFrame, units: pd.DataFrame, codes: pd.DataFrame
) -> HumanCodings:
    """Every `PlainTextSelection` × `Coding` of a REFI-QDA project as a codings table."""
    root = parse_xml(read_project_xml(path), path)
    resolver = _CodeResolver(codes)
    notes: list[str] = []
    users = {tool_user_guid(): TOOL_CODER}
    for users_el in children(root, "Users"):
        for user in children(users_el, "User"):
            guid = normal_guid(user.get("guid", ""))
            if guid != tool_user_guid():
                users[guid] = user.get("name") or user.get("id") or guid
    code_paths = _project_code_paths(root, path, resolver, notes)
    source_ids = _source_matcher(interviews)
    rows: list[dict] = []
    with zipfile.ZipFile(path) as archive:
        members = {name.lower(): name for name in archive.namelist()}
        for sources in children(root, "Sources"):
            for source in children(sources, "TextSource"):
                name = source.get("name", "")
                interview_id = source_ids(normal_guid(source.get("guid", "")), name)
                if interview_id is None:
                    notes.append(f"source '{name}' is not an interview of the results; skipped")
                    continue
                text = _source_text(source, archive, members)
                shift = _check_text(text, interview_id, units, name, path)
                for selection in children(source, "PlainTextSelection"):
                    start, end = _positions(selection, path)
                    start, end = start - shift, end - shift
                    if not 0 <= start < end:
                        notes.append(f"an empty or negative selection in '{name}'; skipped")
                        continue
                    for coding in children(selection, "Coding"):
                        refs = children(coding, "CodeRef")
                        target = normal_guid(refs[0].get("targetGUID", "")) if refs else ""
                        code = code_paths.get(target)
                        if code is None:
                            notes.append(f"a coding in '{name}' refers to no code; skipped")
                            continue
                        user = normal_guid(
                            coding.get("creatingUser") or selection.get("creatingUser") or ""
                        )
                        quote = text[start + shift : end + shift] if text is not None else ""
                        rows.append({"interview_id": interview_id, "start": start, "end": end,
                                     "code": code, "coder": users.get(user, user or "unknown"),
                                     "text": quote})  # fmt: skip
                if children(source, "Coding"):
                    notes.append(f"codings of the whole source '{name}' are not compared")
    report([problem("W401", note, path) for note in dict.fromkeys(notes)], log)
    return HumanCodings(_table(rows), tuple(dict.fromkeys(notes)))


def _positions(selection, path: Path) -> tuple[int, int]:
    try:
        return int(selection.get("startPosition", "")), int(selection.get("endPosition", ""))
    except ValueError:
        raise CodingsError(
            f"project.qde:{selection.sourceline}: a PlainTextSelection has no whole-number "
            "startPosition and endPosition",
            where=Where(path),
            fix="Export the project again from the QDA tool",
            code="E402",
        ) from None


def read_csv_codings(path: Path, interviews: pd.DataFrame, codes: pd.DataFrame) -> HumanCodings:
    """A CSV of codings: columns interview_id, start, end, code (path, label or id), coder.

    `coder` is optional (default: the file's name without suffix); other columns are ignored.
    """
    resolver = _CodeResolver(codes)
    known = set(interviews["interview_id"])
    notes: list[str] = []
    rows: list[dict] = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
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
            if not 0 <= start < end:
                raise CodingsError(
                    f"selection {start}-{end} is empty or negative",
                    where=Where(path, line),
                    fix="Give 0 <= start < end (end exclusive)",
                    code="E402",
                )
            if interview_id not in known:
                notes.append(f"interview '{interview_id}' is not in the results; skipped")
                continue
            name = (record["code"] or "").strip()
            code = resolver.resolve(name, fallback=_new_code(name))
            if code not in resolver.paths:
                notes.append(f"code '{name}' is not in the codebook; kept as '{code}'")
            coder = (record.get("coder") or "").strip() or path.stem
            rows.append({"interview_id": interview_id, "start": start, "end": end,
                         "code": code, "coder": coder, "text": ""})  # fmt: skip
    report([problem("W401", note, path) for note in dict.fromkeys(notes)], log)
    return HumanCodings(_table(rows), tuple(dict.fromkeys(notes)))


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


def _table(rows: list[dict]) -> pd.DataFrame:
    table = pd.DataFrame(rows, columns=[*CODING_COLUMNS, "text"])
    table = table.astype({"start": "int64", "end": "int64"})
    table = table.drop_duplicates(subset=CODING_COLUMNS)
    return table.sort_values(["interview_id", "start", "end", "code", "coder"]).reset_index(
        drop=True
    )


def _new_code(name: str) -> str:
    return "/".join(id_from_name(part) for part in name.split("/")) if name else "kode"


def _project_code_paths(root, path: Path, resolver: _CodeResolver, notes: list[str]):
    """GUID of every code in the project's codebook → our code path (or a new path)."""
    try:
        tree = codes_of(root, path)
    except CodebookError:
        return {}
    found: dict[str, str] = {}
    for top in tree:
        for parents, code in top.walk():
            # A code a person added goes under its parent's path (ours, when the parent is ours).
            parent = found.get(parents[-1].guid, "") if parents else ""
            fallback = f"{parent}/{id_from_name(code.name)}" if parent else id_from_name(code.name)
            resolved = resolver.resolve(code.name, code.guid, fallback)
            if resolved not in resolver.paths:
                notes.append(f"code '{code.name}' is not in the codebook; kept as '{resolved}'")
            found[code.guid] = resolved
    return found


def _source_matcher(interviews: pd.DataFrame):
    ids = [str(i) for i in interviews["interview_id"]]
    by_guid = {stable_guid("source", i): i for i in ids}
    by_name = {i: i for i in ids}
    if "file" in interviews:
        for interview_id, file in zip(ids, interviews["file"], strict=True):
            by_name.setdefault(Path(str(file)).name, interview_id)
            by_name.setdefault(Path(str(file)).stem, interview_id)

    def match(guid: str, name: str) -> str | None:
        if guid in by_guid:
            return by_guid[guid]
        for key in (name, Path(name).name, Path(name).stem):
            if key in by_name:
                return by_name[key]
        return None

    return match


def _source_text(source, archive: zipfile.ZipFile, members: dict[str, str]) -> str | None:
    """The plain text of a source: its internal `.txt` (any case of `sources/`) or inline."""
    plain = source.get("plainTextPath", "")
    if plain.lower().startswith("internal://"):
        member = members.get(f"sources/{plain[len('internal://') :]}".lower())
        if member is not None:
            return archive.read(member).decode("utf-8-sig")
    inline = [c for c in source if isinstance(c.tag, str) and local(c) == "PlainTextContent"]
    return child_text(source, "PlainTextContent") if inline else None


def _check_text(
    text: str | None, interview_id: str, units: pd.DataFrame, name: str, path: Path
) -> int:
    """How far the source text is shifted from the coded body (0 when it is the same text).

    A source made from the whole transcript file (front matter included) is shifted by the
    length of what precedes the body; any other difference is an error, because offsets would
    then point at other words.
    """
    if text is None:
        report(problem("W402", f"the text of source '{name}' is not in the archive; "
                       "offsets not checked", path), log)  # fmt: skip
        return 0
    mine = units[(units["interview_id"] == interview_id) & (units["end"] > units["start"])]
    spans = list(mine[["start", "end", "text"]].itertuples(index=False))
    if all(text[u.start : u.end] == u.text for u in spans):
        return 0
    if spans:
        first = spans[0]
        shift = text.find(first.text) - first.start
        if shift > 0 and all(text[u.start + shift : u.end + shift] == u.text for u in spans):
            report(problem("N401", f"source '{name}' starts {shift} characters before the body",
                           path), log)  # fmt: skip
            return shift
    if "\r" in text:
        raise CodingsError(
            f"the text of source '{name}' has CR line ends, so its offsets are ambiguous",
            where=Where(path),
            fix="Code in the project written by 'mimres export project' (LF line ends)",
            code="E403",
        )
    raise CodingsError(
        f"the text of source '{name}' is not the text of interview '{interview_id}' that was coded",
        where=Where(path),
        fix="Code in the project written by 'mimres export project', so offsets match",
        code="E403",
    )
