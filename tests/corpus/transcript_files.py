"""Real transcript files written in tests: Word, WebVTT, SRT, odd encodings, metadata sheets."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import docx
import openpyxl


def write_docx(
    path: Path,
    paragraphs: list[str | tuple[str, str]],
    metadata: list[tuple[str, str]] | None = None,
) -> Path:
    """A Word document: an optional key | value table first, then paragraphs.

    A paragraph given as (label, text) gets a bold `label` run, then `text` as a plain run.
    """
    document = docx.Document()
    if metadata:
        table = document.add_table(rows=len(metadata), cols=2)
        for row, (key, value) in zip(table.rows, metadata, strict=True):
            row.cells[0].text, row.cells[1].text = key, value
    for item in paragraphs:
        if isinstance(item, tuple):
            paragraph = document.add_paragraph()
            paragraph.add_run(item[0]).bold = True
            paragraph.add_run(item[1])
        else:
            document.add_paragraph(item)
    document.save(str(path))
    return path


def write_text(path: Path, text: str, encoding: str = "utf-8", newline: str = "\n") -> Path:
    """Write dedented text in an encoding ("utf-8-sig" adds a BOM) with a line ending."""
    data = textwrap.dedent(text).lstrip().replace("\n", newline)
    path.write_bytes(data.encode(encoding))
    return path


def write_xlsx(path: Path, rows: list[list[Any]], speakers: list[list[str]] | None = None) -> Path:
    """A workbook: the sheet 'interviews' (header row first) and an optional 'speakers' sheet."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "interviews"
    for row in rows:
        sheet.append(row)
    if speakers is not None:
        roles = book.create_sheet("speakers")
        for row in speakers:
            roles.append(row)
    book.save(path)
    return path


def write_docx_table(path: Path, rows: list[tuple[str, str]], before: list[str] = ()) -> Path:
    """A Word document with paragraphs `before`, then a two-column table of `rows`."""
    document = docx.Document()
    for text in before:
        document.add_paragraph(text)
    table = document.add_table(rows=len(rows), cols=2)
    for row, cells in zip(table.rows, rows, strict=True):
        row.cells[0].text, row.cells[1].text = cells
    document.save(str(path))
    return path
