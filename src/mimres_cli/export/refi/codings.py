"""Human codings from a REFI-QDA project (`.qdpx`), and `read_codings` for .qdpx or CSV.

The codings become the table of coding/human.py (CODING_COLUMNS + text), whose overlap rule
maps them onto our units. Codes are matched by GUID (ours: `code_guid`), path, label or id;
interviews by source GUID, name or file name; and a source's text is checked against the
coded units, so offsets never point at other words.
"""

from __future__ import annotations

import logging
import zipfile
from pathlib import Path

import pandas as pd

from mimres_cli.codebook.model import id_from_name
from mimres_cli.coding.human import (
    TOOL_CODER,
    CodeResolver,
    HumanCodings,
    coding_table,
    read_csv_codings,
)
from mimres_cli.errors import CodebookError, CodingsError, MissingInputError, Where, problem, report
from mimres_cli.export.refi.qdc import (
    child_text,
    children,
    code_guid,
    codes_of,
    local,
    normal_guid,
    parse_xml,
    read_project_xml,
    stable_guid,
    tool_user_guid,
)
from mimres_cli.safety import use_input

log = logging.getLogger(__name__)


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
    use_input(path, "codings file")  # never an output
    if path.suffix.lower() == ".qdpx":
        return read_qdpx_codings(path, interviews, units, codes)
    return read_csv_codings(path, interviews, codes)


def read_qdpx_codings(
    path: Path, interviews: pd.DataFrame, units: pd.DataFrame, codes: pd.DataFrame
) -> HumanCodings:
    """Every `PlainTextSelection` × `Coding` of a REFI-QDA project as a codings table."""
    root = parse_xml(read_project_xml(path), path)
    resolver = _resolver(codes)
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
    return HumanCodings(coding_table(rows), tuple(dict.fromkeys(notes)))


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


def _resolver(codes: pd.DataFrame) -> CodeResolver:
    return CodeResolver(codes, guids={code_guid(str(p)): str(p) for p in codes["code"]})


def _project_code_paths(root, path: Path, resolver: CodeResolver, notes: list[str]):
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
