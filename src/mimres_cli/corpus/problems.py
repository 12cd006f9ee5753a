"""The corpus problems: one constructor per kind, so each wording lives in one place.

The codes (E1xx, W1xx, N1xx) and their short names (the `kind`: `duplicate-id`, ...) are in
the one catalogue, `mimres_cli.errors.CODES`. `mimres corpus` lists the problems;
`load_corpus` raises the first error.
"""

from __future__ import annotations

import os
import re
from dataclasses import replace
from pathlib import Path

from mimres_cli.corpus.hygiene import describe_encoding
from mimres_cli.errors import CODES, SEVERITIES, CorpusError, Problem, Where
from mimres_cli.errors import problem as coded

#: The corpus codes by their short names: `{"duplicate-id": "E104", ...}`.
CODE_OF_KIND: dict[str, str] = {
    entry.name: code for code, entry in CODES.items() if code[1] == "1"
}  # fmt: skip


def problem(kind: str, message: str, where: Where | Path | str | None, fix: str) -> Problem:
    """A corpus problem of a catalogued kind (`no-speaker`) or code (`W106`)."""
    return coded(CODE_OF_KIND.get(kind, kind), message, where, fix)


def of_error(kind: str, error: CorpusError) -> Problem:
    """The problem of an error a reader or loader raised, as `kind` unless it has its own code."""
    found = error.problem
    if found.code != CorpusError.default_code:
        return found
    code = CODE_OF_KIND[kind]
    return replace(found, code=code, severity=SEVERITIES[code[0]])


def empty(path: Path, after_front_matter: bool = False) -> Problem:
    if after_front_matter:
        return problem(
            "no-text", "has no interview text", path, "Put the transcript after the front matter"
        )
    return problem("empty", "is empty", path, "Delete it, or put the transcript in it")


def duplicate_id(interview_id: str, where: Where, first: Path) -> Problem:
    return problem(
        "duplicate-id",
        f"interview id '{interview_id}' is used twice (also in {first})",
        where,
        "Give each interview its own 'id'",
    )


def missing(
    key: str,
    where: Where,
    sheet: Path | None,
    has_front_matter: bool,
    has_row: bool,
    front_name: str = "front matter",
) -> Problem:
    """No `key` (the id, or an attribute of the study design) in the front matter (or a Word
    file's metadata table) or the metadata sheet."""
    sheet_name = sheet.name if sheet is not None else "interviews.csv"
    if has_front_matter and front_name == "metadata table":
        message = f"its metadata table has no '{key}'" + (f" and {sheet} neither" if sheet else "")
        fix = f"Add a row '{key} | <value>' to the key | value table at the start of the document"
    elif has_front_matter and sheet is None:
        message, fix = (
            f"front matter has no '{key}'",
            f"Add '{key}: <value>' between the '---' lines",
        )
    elif has_front_matter:
        message = f"has no '{key}' in its front matter or in {sheet}"
        fix = f"Add it to the front matter or to a '{key}' column of {sheet_name}"
    elif sheet is None:
        message = f"no front matter and no metadata sheet, so no '{key}'"
        fix = (
            f"Start the file with '---', '{key}: <value>' (and the design's other attribute), "
            f"'---' lines, or describe it in a row of {sheet_name} beside it"
        )
    elif not has_row:
        message = f"no front matter and no row in {sheet}, so no '{key}'"
        fix = f"Add a row with its id or file name ('{where.path}') to {sheet_name}"
    else:
        message = f"no '{key}' in its row of {sheet}"
        fix = f"Fill in its '{key}' cell"
    return problem("missing-metadata", message, where, fix)


def conflict(
    key: str,
    front: object,
    sheet: object,
    sheet_where: Where,
    where: Where,
    front_name: str = "front matter",
) -> Problem:
    return problem(
        "metadata-conflict",
        f"'{key}' is '{front}' in the {front_name} but '{sheet}' in {sheet_where}",
        where,
        "Make the two the same, or leave it out of one of them",
    )


def speaker_conflict(label: str, role: str, other: str, other_where: Path, where: Path) -> Problem:
    return problem(
        "metadata-conflict",
        f"speaker '{label}' is '{role}' here but '{other}' in {other_where}",
        where,
        "Give the label one role, in one of the two files",
    )


def mojibake(count: int, written: str, meant: str, where: Where) -> Problem:
    return problem(
        "mojibake",
        f"has {count} double-encoded character(s), e.g. '{written}' for '{meant}'",
        where,
        "It was saved as UTF-8 and read back as Windows-1252 somewhere: export it "
        "again from the original, or repair it (e.g. with ftfy) before coding",
    )


def not_utf8(path: Path, encoding: str) -> Problem:
    return problem(
        "not-utf8",
        f"is {describe_encoding(encoding)}, not UTF-8 (decoded and normalised)",
        path,
        "Save it as UTF-8 so every tool reads it the same",
    )


def no_informant(path: Path) -> Problem:
    return problem(
        "no-informant",
        "has speaker turns but none by an informant, so nothing in it is coded and it is in no "
        "denominator",
        path,
        "Check the speaker roles ('interviewer:'/'informant:' in the front matter or corpus.yaml)",
    )


def no_turns(path: Path, label_like: list[re.Match[str]]) -> Problem:
    """No line starts a turn; `label_like` holds the first line that looks like a label."""
    if label_like:
        label = label_like[0]["label"].strip()
        fix = (
            f"'{label}:' is read as text (a label of three or more words that is not "
            f"capitalised like a name and occurs once): declare it, e.g. 'participants: "
            f"[{label}]' in the front matter or under 'speakers:' in corpus.yaml"
        )
    else:
        fix = "Start each turn with a speaker label at the start of a line ('Informant: ...')"
    return problem(
        "no-turns",
        "has no speaker turns, so nothing in it is coded and it is in no denominator",
        path,
        fix,
    )


def one_turn(path: Path, speaker: str, lines: int) -> Problem:
    return problem(
        "one-turn",
        f"is a single turn of {lines} lines (by '{speaker}')",
        path,
        "If more people speak in it, check that each turn starts with 'Label: ' on its own line",
    )


def label_in_turn(label: str, count: int, where: Where) -> Problem:
    more = f" ({count} such lines in the file)" if count > 1 else ""
    return problem(
        "label-in-turn",
        f"'{label.strip()}:' starts a line inside a turn but is read as text{more}",
        where,
        f"If '{label.strip()}' is a speaker, declare it ('participants: [{label.strip()}]' in "
        "the front matter, or 'speakers:' in corpus.yaml); if not, ignore this",
    )


def long_turn(speaker: str, words: int, limit: int, where: Where) -> Problem:
    return problem(
        "long-turn",
        f"a turn by '{speaker}' has {words:,} words (more than {limit:,})",
        where,
        "Check that the turns of other speakers inside it start with 'Label: ' on their own line",
    )


def renamed_key(key: str, name: str, where: Where, count: int) -> Problem:
    return problem(
        "renamed-key",
        f"metadata key '{key}' is also a column mimres computes, so it is kept as '{name}' "
        f"(in {count} interview(s))",
        where,
        f"Use '{name}' for it (e.g. 'tables --by {name}'), or rename the key",
    )


def broken_link(path: Path, loops: bool) -> Problem:
    what = "is a symbolic link in a loop" if loops else "is a symbolic link to nothing"
    return problem(
        "broken-link",
        f"{what}, so it is skipped",
        path,
        "Point the link at the transcript, or delete it",
    )


def bad_file_name(path: Path) -> Problem:
    shown = os.fsencode(path).decode("utf-8", errors="backslashreplace")
    return problem(
        "bad-file-name",
        "file name is not valid UTF-8, so it is not read",
        shown,
        "Rename the file with letters your system shows correctly",
    )


def unreadable_file(path: Path, error: OSError) -> Problem:
    reason = (error.strerror or type(error).__name__).lower()
    return problem(
        "unreadable",
        f"cannot be read ({reason})",
        path,
        "Check that the file exists and that you may read it (e.g. chmod u+r)",
    )


def unknown_speaker(label: str, path: Path) -> Problem:
    return problem(
        "unknown-speaker",
        f"speaker label '{label}' has no role, so its turns are coded as informant",
        path,
        f"Map it under 'speakers:' in corpus.yaml or the front matter, e.g. '{label}: interviewer'",
    )


def unsupported(path: Path, supported: list[str]) -> Problem:
    if path.suffix.lower() in (".csv", ".xlsx"):
        fix = "Name a metadata sheet interviews.csv or interviews.xlsx, or give it with --metadata"
    else:
        fix = f"Supported: {', '.join(supported)}; or move it out of the corpus folder"
    return problem(
        "unsupported",
        f"skipped: '{path.suffix or path.name}' is not a transcript format",
        path,
        fix,
    )


def unmatched_row(described: str, where: Where) -> Problem:
    return problem(
        "unmatched-row",
        f"row for {described} matches no transcript",
        where,
        "Check it against the transcripts' ids and file names, or delete the row",
    )
