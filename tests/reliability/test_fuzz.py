"""Property-based fuzzing of every reader: whatever the file holds, a reader returns or raises
MimresError (a one-line problem), never another exception, and within a time bound.

The example count is small so the suite stays fast (MIMRES_FUZZ_EXAMPLES raises it locally).
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pandas as pd
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mimres_cli.codebook.load import check_codebook
from mimres_cli.coding.human import read_csv_codings
from mimres_cli.corpus.metadata import load_metadata_sheet
from mimres_cli.corpus.readers import READERS
from mimres_cli.errors import MimresError
from mimres_cli.project import load_project

FUZZ = settings(
    max_examples=int(os.environ.get("MIMRES_FUZZ_EXAMPLES", "25")),
    deadline=None,  # the bound below is wall time per call, generous for a loaded CI machine
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,  # the same examples on every run: CI never fails by chance
)
#: Seconds one read of one small fuzzed file may take.
BOUND = 10.0

LABELS = ["I", "Intervjuer", "Informant", "Inf", "SPEAKER_00", "Dr. Ø'Brien", "Statsråd X Y"]
# Text a transcript might hold, and what a hostile one might: labels, dashes, front-matter
# fences, YAML syntax, control characters, invisible ones, Norwegian letters.
PIECES = st.sampled_from(
    [*(f"{label}: " for label in LABELS), "---\n", "\n", " ", "æøå", "ÆØÅ", "jobb", ":", "-",
     "&a", "*a", "[", "{", "}", "]", "#", "\x00", "\x01", "\x1b", "\u200b", "\ufeff", "\r\n",
     "=1+1", "'", '"', "0000-00-00", "2024-13-45", "00:00:01.000 --> 00:00:02.000", "WEBVTT"]
)  # fmt: skip
TEXTS = st.lists(st.one_of(PIECES, st.text(max_size=20)), max_size=40).map("".join)
SAFE_TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"),
    max_size=40,
)  # what XML (docx, xlsx) can hold
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
                    st.text(max_size=15))  # fmt: skip
YAML_DATA = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(_keys := [
            "codebook", "codes", "id", "label", "terms", "regex", "patterns", "near", "within",
            "not_terms", "pos", "negation", "speakers", "color", "include", "defaults",
            "namespace", "version", "corpus", "metadata", "roles", "codebooks", "unit", "model",
            "jobs", "cache", "outputs", "folder", "tables", "fail_on", "design"]),
            st.text(max_size=8)), inner, max_size=5),
    ),
    max_leaves=25,
)  # fmt: skip


@contextmanager
def _file(name: str, data: str | bytes) -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_bytes(data.encode("utf-8", "surrogatepass"))
        yield path


def _reads(read: Callable[[Path], Any], path: Path) -> None:
    """`read(path)` returns or raises MimresError, within BOUND seconds."""
    began = time.perf_counter()
    try:
        read(path)
    except MimresError as exc:
        assert exc.problems and all(p.code for p in exc.problems)
        assert all("\n" not in str(p) for p in exc.problems)
    assert time.perf_counter() - began < BOUND


# ---- transcripts


@FUZZ
@given(st.one_of(TEXTS, TEXTS.map(lambda body: "---\nid: x\n---\n" + body)))
def test_text_transcripts(text: str) -> None:
    for suffix in (".md", ".txt"):
        with _file(f"t{suffix}", text) as path:
            _reads(READERS[suffix], path)


@FUZZ
@given(st.binary(max_size=300))
def test_text_transcripts_of_any_bytes(data: bytes) -> None:
    with _file("t.md", data) as path:
        _reads(READERS[".md"], path)


TIMES = st.one_of(
    st.builds("{:02d}:{:02d}:{:02d}.{:03d}".format, st.integers(0, 99), st.integers(0, 99),
              st.integers(0, 99), st.integers(0, 999)),
    st.sampled_from(["00:00.000", "99999:00:00.000", "-1:00:00.000", "", "xx", "00:00:01,000"]),
)  # fmt: skip


def _cue(start: str, end: str, text: str, srt: bool, n: int) -> str:
    arrow = f"{start} --> {end}"
    return f"{n}\n{arrow.replace('.', ',')}\n{text}\n" if srt else f"{arrow}\n{text}\n"


CUES = st.lists(st.tuples(TIMES, TIMES, TEXTS), max_size=6)


@FUZZ
@given(CUES, st.booleans())
def test_webvtt(cues: list[tuple[str, str, str]], header: bool) -> None:
    text = ("WEBVTT\n\n" if header else "") + "\n".join(
        _cue(a, b, t, False, n) for n, (a, b, t) in enumerate(cues, start=1)
    )
    with _file("t.vtt", text) as path:
        _reads(READERS[".vtt"], path)


@FUZZ
@given(CUES)
def test_srt(cues: list[tuple[str, str, str]]) -> None:
    text = "\n".join(_cue(a, b, t, True, n) for n, (a, b, t) in enumerate(cues, start=1))
    with _file("t.srt", text) as path:
        _reads(READERS[".srt"], path)


@FUZZ
@given(
    st.lists(st.tuples(st.sampled_from(["", *(f"{label}:" for label in LABELS)]), SAFE_TEXT),
             max_size=8),
    st.lists(st.tuples(SAFE_TEXT, SAFE_TEXT), max_size=4),
    st.booleans(),
)  # fmt: skip
def test_word_documents(
    paragraphs: list[tuple[str, str]], table: list[tuple[str, str]], bold: bool
) -> None:
    document = docx.Document()
    if table:
        rows = document.add_table(rows=len(table), cols=2).rows
        for row, (key, value) in zip(rows, table, strict=True):
            row.cells[0].text, row.cells[1].text = key, value
    for label, text in paragraphs:
        paragraph = document.add_paragraph()
        paragraph.add_run(label).bold = bold
        paragraph.add_run(" " + text)
    with _file("t.docx", b"") as path:
        document.save(str(path))
        _reads(READERS[".docx"], path)


# ---- metadata sheets


@FUZZ
@given(st.lists(st.lists(TEXTS, max_size=5), max_size=6), st.booleans())
def test_metadata_csv(rows: list[list[str]], with_id: bool) -> None:
    header = "id,municipality,group\n" if with_id else ""
    text = header + "\n".join(",".join(row) for row in rows)
    with _file("interviews.csv", text) as path:
        _reads(load_metadata_sheet, path)


@FUZZ
@given(
    st.lists(st.lists(st.one_of(SAFE_TEXT, st.integers(-(10**15), 10**15), st.floats(
        allow_nan=False, allow_infinity=False), st.booleans(), st.none(), st.dates()),
        max_size=5), max_size=6),
    st.booleans(),
)  # fmt: skip
def test_metadata_xlsx(rows: list[list[Any]], with_id: bool) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    if with_id:
        sheet.append(["id", "municipality", "group"])
    for row in rows:
        sheet.append([f"'{v}" if isinstance(v, str) and v.startswith("=") else v for v in row])
    with _file("interviews.xlsx", b"") as path:
        book.save(path)
        _reads(load_metadata_sheet, path)


# ---- codebooks, project files, codings

VALID_CODEBOOK = "codebook: x\ncodes:\n  - id: jobb\n    label: Jobb\n    terms: [jobb]\n"


@FUZZ
@given(st.one_of(
    YAML_DATA.map(lambda data: yaml.safe_dump(data, allow_unicode=True)),
    TEXTS,
    st.tuples(st.integers(0, len(VALID_CODEBOOK)), TEXTS).map(
        lambda cut: VALID_CODEBOOK[: cut[0]] + cut[1] + VALID_CODEBOOK[cut[0]:]),
))  # fmt: skip
def test_codebooks(text: str) -> None:
    with _file("codebook.yaml", text) as path:
        _reads(check_codebook, path)


@FUZZ
@given(st.one_of(YAML_DATA.map(lambda data: yaml.safe_dump(data, allow_unicode=True)), TEXTS))
def test_project_files(text: str) -> None:
    with _file("mimres.yaml", text) as path:
        _reads(load_project, path)


INTERVIEWS = pd.DataFrame({"interview_id": ["a", "b"]})
CODES = pd.DataFrame({"code": ["jobb"], "theme": ["jobb"], "label": ["Jobb"], "parent": [""],
                      "depth": [0], "codebook": ["x"]})  # fmt: skip


@FUZZ
@given(
    st.lists(st.tuples(st.sampled_from(["a", "b", "", "zz"]),
                       st.one_of(st.integers(-5, 10**25), TEXTS),
                       st.one_of(st.integers(-5, 10**25), TEXTS),
                       st.sampled_from(["jobb", "Jobb", "", "ny kode"]), TEXTS), max_size=6),
    st.booleans(),
)  # fmt: skip
def test_codings_csv(rows: list[tuple[Any, ...]], header: bool) -> None:
    lines = ["interview_id,start,end,code,coder"] if header else []
    lines += [",".join(str(cell) for cell in row) for row in rows]
    with _file("codings.csv", "\n".join(lines)) as path:
        _reads(lambda p: read_csv_codings(p, INTERVIEWS, CODES), path)
