"""Word transcripts (`.docx`), read with python-docx.

The body is the document's paragraphs in order, joined with `\\n` (a line break inside a
paragraph stays a `\\n`). A paragraph that starts with a speaker label (`Navn:`, plain or bold)
starts a turn; paragraphs without one continue it. A two-column speaker | text table counts as
one `Speaker: text` line per row (a row without a speaker continues the turn). Metadata may
come from a leading key | value table that has an `id` row or a row of a default design
attribute, or from a `---` front-matter block in the first paragraphs.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from mimres_cli.corpus.hygiene import normalise_text
from mimres_cli.corpus.model import Problem, Transcript
from mimres_cli.corpus.problems import problem, unreadable_file
from mimres_cli.corpus.speakers import declared_labels
from mimres_cli.corpus.text import (
    ROLE_KEYS,
    plain_value,
    split_front_matter,
    turns_from_labels,
)
from mimres_cli.corpus.turns import LABEL_LINE, find_labels
from mimres_cli.design import DEFAULT_ATTRIBUTES
from mimres_cli.errors import CorpusError, Where


def read_word_transcript(path: Path, labels: Iterable[str] = ()) -> Transcript:
    """Read a `.docx` transcript (see the module docstring for what becomes the body).

    `labels` are speaker labels declared for the corpus; they always start a turn.
    """
    import docx  # python-docx: imported here, only when a corpus has Word files
    from docx.opc.exceptions import OpcError
    from docx.table import Table
    from lxml.etree import XMLSyntaxError

    try:
        document = docx.Document(str(path))
        blocks = list(document.iter_inner_content())
    except (OpcError, zipfile.BadZipFile, KeyError, ValueError, XMLSyntaxError) as exc:
        raise CorpusError(
            f"is not a readable Word document ({type(exc).__name__})",
            where=Where(path),
            fix="Open it in Word and save it again as .docx (Word 2007 or later)",
        ) from exc
    except OSError as exc:
        raise CorpusError.collected([unreadable_file(path, exc)]) from exc
    problems: list[Problem] = []
    table_metadata: dict[str, Any] | None = None
    items: list[tuple[str, bool]] = []  # (a line of the body, whether it surely starts a label)
    for number, block in enumerate(blocks):
        if not isinstance(block, Table):
            items.append((normalise_text(block.text), _starts_with_bold_label(block)))
        elif number == 0 and _is_metadata(block):
            table_metadata = _table_metadata(block, path)
        elif len(block.columns) == 2:
            items.extend(_speaker_rows(block))
        else:
            problems.append(_skipped_table(path))
    full = "\n".join(text for text, _ in items)
    front, lines, body = split_front_matter(full, path)
    if table_metadata is not None:
        if front is not None:
            raise CorpusError(
                "has both a metadata table and a '---' front-matter block",
                where=Where(path),
                fix="Keep one of them",
            )
        front, lines = table_metadata, {}
    offset = len(full) - len(body)
    known = [*labels, *declared_labels(front or {})]
    found = {m.start(): m for m in find_labels(body, known)}
    start = 0
    for text, certain in items:
        at = start - offset
        start += len(text) + 1
        if certain and at >= 0 and at not in found and (match := LABEL_LINE.match(body, at)):
            found[at] = match
    ordered = [found[k] for k in sorted(found)]
    turns = turns_from_labels(body, [(m["label"].strip(), m.start(), m.end()) for m in ordered])
    return Transcript(
        path=path,
        format="docx",
        body=body,
        turns=turns,
        front_matter=front,
        front_matter_lines=lines,
        encoding="utf-8",
        problems=tuple(problems),
        body_line=None,  # Word shows no line numbers
        front_matter_name="metadata table" if table_metadata is not None else "front matter",
    )


def _is_metadata(table: Any) -> bool:
    """A leading key | value table that names an interview's id or a default design attribute."""
    if len(table.columns) != 2:
        return False
    keys = {row.cells[0].text.strip().casefold() for row in table.rows}
    return bool(keys & {"id", *DEFAULT_ATTRIBUTES})


def _speaker_rows(table: Any) -> list[tuple[str, bool]]:
    """A speaker | text table: each row a `Speaker: text` line (no speaker: it continues)."""
    rows = []
    for number, row in enumerate(table.rows):
        speaker, text = (normalise_text(cell.text).strip() for cell in row.cells[:2])
        if number == 0 and speaker.casefold() in _HEADERS:
            continue
        label = speaker.rstrip(":").strip()
        is_label = bool(label) and LABEL_LINE.fullmatch(label + ":") is not None
        rows.append((f"{label}: {text}" if is_label else " ".join(filter(None, (speaker, text))),
                     is_label))  # fmt: skip
    return rows


def _starts_with_bold_label(paragraph: Any) -> bool:
    match = LABEL_LINE.match(paragraph.text)
    return match is not None and _starts_bold(paragraph, match.end("label"))


def _table_metadata(table: Any, path: Path) -> dict[str, Any]:
    metadata: dict[str, Any] = {}
    for row in table.rows:
        key, value = (cell.text.strip() for cell in row.cells[:2])
        if not key:
            continue
        if key in ROLE_KEYS and key != "speakers":
            metadata[key] = [x.strip() for x in value.replace(";", ",").split(",") if x.strip()]
        else:
            metadata[key] = plain_value(value)
    return metadata


_HEADERS = {"speaker", "taler", "navn", "name", "person", "informant/intervjuer"}


def _starts_bold(paragraph: Any, length: int) -> bool:
    """True when the first `length` characters (the label and its colon) are bold."""
    seen = 0
    for run in paragraph.runs:
        if seen >= length:
            break
        if run.text.strip() and not run.bold:
            return False
        seen += len(run.text)
    return seen >= length


def _skipped_table(path: Path) -> Problem:
    return problem(
        "skipped-table",
        "a table of more than two columns was left out",
        path,
        "Use paragraphs, a speaker | text table, or a key | value metadata table first",
    )
