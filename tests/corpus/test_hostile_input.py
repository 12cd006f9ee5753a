"""Hostile and broken input to the corpus stage: each class is one line on stderr with the file
(and line where known), the right exit code, no traceback, and the input files unchanged."""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from mimres_cli.cli import app
from mimres_cli.corpus import check_corpus

runner = CliRunner()
FRONT = "---\nid: {id}\nmunicipality: Sel\ngroup: flyktning\n---\n"
TURNS = "I: Hvordan går det?\nInformant: Det går bra på jobben.\n"


def _ok(folder: Path) -> None:
    (folder / "ok.md").write_text(FRONT.format(id="ok") + TURNS, encoding="utf-8")


def _raw(path: Path) -> bytes:
    with path.open("rb") as handle:  # not Path.read_bytes, which one test makes fail
        return handle.read()


def _hashes(folder: Path) -> dict[str, str]:
    return {
        str(p): hashlib.sha256(_raw(p)).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def _corpus(folder: Path, *args: str) -> tuple[int, list[str]]:
    """Run `mimres corpus` on `folder`: (exit code, the problem lines of stderr)."""
    before = _hashes(folder)
    result = runner.invoke(app, ["corpus", str(folder), "--format", "csv", *args])
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert _hashes(folder) == before  # inputs unchanged
    lines = [line for line in result.stderr.splitlines() if line.startswith("mimres:")]
    return result.exit_code, lines


def _subtitles(folder: Path, name: str, text: str) -> None:
    (folder / name).write_text(text, encoding="utf-8")
    (folder / "interviews.csv").write_text(f"file,municipality,group\n{name},Sel,x\n")


def _line(lines: list[str], severity: str, text: str) -> str:
    """The line of `severity` (with its problem code: `mimres: error[E101]: ...`) saying `text`."""
    found = [line for line in lines if line.startswith(f"mimres: {severity}[") and text in line]
    assert found, "\n".join(lines)
    return found[0]


# (name, write the bad input into a folder, exit code, severity, what the line says)
CASES: list[tuple[str, Callable[[Path], None], int, str, str]] = [
    ("alias bomb", lambda d: (d / "bomb.md").write_text(
        "---\nid: b\nmunicipality: Sel\ngroup: x\na: &a [x, x, x, x, x, x, x, x, x]\n"
        + "".join(f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\n"
                  for p, c in zip("abcdefgh", "bcdefghi", strict=True))
        + "---\nInformant: Hei.\n", encoding="utf-8"),
     2, "error[E101]", "bomb.md:2: front matter expands to more than 10,000 values through "
                        "YAML aliases"),
    ("impossible date", lambda d: (d / "dato.md").write_text(
        "---\nid: d\nmunicipality: Sel\ngroup: x\ndate: 2024-13-45\n---\nInformant: Hei.\n",
        encoding="utf-8"),
     2, "error[E101]", "dato.md:5: front matter has '2024-13-45', which looks like a date but "
                        "is not one (month must be in 1..12)"),
    ("mapping value", lambda d: (d / "kart.md").write_text(
        "---\nid: k\nmunicipality: {a: Sel}\ngroup: x\n---\nInformant: Hei.\n", encoding="utf-8"),
     2, "error[E101]", "kart.md:3: front matter 'municipality' is a mapping ({'a': 'Sel'}), "
                        "not a value"),
    ("deep nesting", lambda d: (d / "dyp.md").write_text(
        "---\nid: n\nmunicipality: Sel\ngroup: x\nx: " + "[" * 20_000 + "]" * 20_000
        + "\n---\nInformant: Hei.\n", encoding="utf-8"),
     2, "error[E101]", "dyp.md:5: front matter nests lists or mappings more than 50 deep"),
    ("unclosed front matter", lambda d: (d / "open.md").write_text(
        "---\nid: o\nmunicipality: Sel\ngroup: x\nInformant: Hei.\n", encoding="utf-8"),
     2, "error[E101]", "open.md:1: front matter opened by '---' on line 1 is never closed"),
    ("random bytes", lambda d: (d / "støy.txt").write_bytes(bytes(range(256)) * 8),
     2, "error[E101]", "støy.txt: is not a text file ("),
    ("mixed encodings", lambda d: (d / "blandet.md").write_bytes(
        (FRONT.format(id="m") + "I: Hvordan går det på skolen?\n").encode("utf-8")
        + "Informant: Det går bra på jobben.\n".encode("cp1252")),
     2, "error[E101]", "blandet.md:7: mixes encodings: most of it is UTF-8, but line 7 is not "
                        "(byte 0xE5, likely Windows-1252)"),
    ("dangling link", lambda d: (d / "borte.md").symlink_to(d / "finnes_ikke.md"),
     0, "warning[W111]", "borte.md: is a symbolic link to nothing, so it is skipped"),
    ("link loop", lambda d: ((d / "l1.md").symlink_to(d / "l2.md"),
                             (d / "l2.md").symlink_to(d / "l1.md")),
     0, "warning[W111]", "l1.md: is a symbolic link in a loop, so it is skipped"),
    ("huge csv field", lambda d: (d / "interviews.csv").write_text(
        'id,municipality,group,notat\nok,Sel,x,"' + "a" * 140_000 + "\n", encoding="utf-8"),
     2, "error[E102]", "interviews.csv:2: cannot be read as CSV (field larger than field limit "
                 "(131072)); often a quote '\"' that is never closed"),
    ("duplicate header", lambda d: (d / "interviews.csv").write_text(
        "id,municipality,group,Municipality\nok,Sel,x,Vågå\n", encoding="utf-8"),
     2, "error[E102]", "interviews.csv:1: columns B and D are both named 'municipality'"),
    ("blank header", lambda d: (d / "interviews.csv").write_text(
        "id,municipality,,group\nok,Sel,30,x\n", encoding="utf-8"),
     2, "error[E102]", "interviews.csv:1: column C has values (e.g. on row 2) but no name in the "
                 "header row"),
    ("vtt with a malformed cue", lambda d: _subtitles(d, "t.vtt",
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Informant>Jeg har jobb.\n\n"
        "00:00:03,000 -> 00:00:04.000\n<v Informant>Og det er bra.\n"),
     0, "warning[W112]", "t.vtt:6: cue has a malformed timing line '00:00:03,000 -> 00:00:04.000' "
                   "(its text is kept, with the time of the cue before it)"),
    ("reversed cue", lambda d: _subtitles(d, "r.srt",
        "1\n00:00:05,000 --> 00:00:01,000\nInformant: Hei.\n"),
     0, "warning[W112]", "r.srt:2: cue ends before it starts (00:00:05,000 --> 00:00:01,000)"),
    ("absurd cue", lambda d: _subtitles(d, "a.srt",
        "1\n99999:00:00,000 --> 99999:00:01,000\nInformant: Hei.\n"),
     0, "warning[W112]", "a.srt:2: cue has a time over 24 hours"),
    ("vtt without one good timing", lambda d: _subtitles(d, "x.vtt",
        "WEBVTT\n\n00:01.0 -> 00:02.0\nInformant: Hei.\n\n1:2 --> 3\nInformant: Ja.\n"),
     2, "error[E101]", "x.vtt: is not a valid WebVTT file (none of its 2 timing line(s) is "
                 "well-formed)"),
    ("alias inside its anchor", lambda d: (d / "selv.md").write_text(
        "---\nid: s\nmunicipality: Sel\ngroup: x\nløkke: &l\n  - *l\n---\nInformant: Hei.\n",
        encoding="utf-8"),
     2, "error[E101]", "selv.md:5: front matter contains itself through a YAML alias ('*name' "
                        "inside the value its '&name' marks)"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "write", "code", "severity", "text"), CASES,
                         ids=[c[0] for c in CASES])  # fmt: skip
def test_each_bad_input_is_one_line(tmp_path: Path, name, write, code, severity, text) -> None:
    folder = tmp_path / "c"
    folder.mkdir()
    _ok(folder)
    write(folder)
    started = time.monotonic()
    exit_code, lines = _corpus(folder)
    assert time.monotonic() - started < 10
    assert exit_code == code, lines
    line = _line(lines, severity.split("[")[0], text)
    assert line.startswith(f"mimres: {severity}: {folder}")
    if severity.startswith("warning"):  # --strict makes every warning fail the check
        assert _corpus(folder, "--strict")[0] == 1


def test_the_alias_bomb_fails_in_well_under_a_second(tmp_path: Path) -> None:
    CASES[0][1](tmp_path)
    started = time.monotonic()
    check = check_corpus(tmp_path)
    assert time.monotonic() - started < 1
    assert [p.kind for p in check.problems] == ["unreadable"]


def test_a_kept_malformed_cue_keeps_its_text(tmp_path: Path) -> None:
    CASES[12][1](tmp_path)
    (interview,) = check_corpus(tmp_path).interviews
    assert interview.body == "Informant: Jeg har jobb. Og det er bra.\n"
    assert [(t.start_time, t.end_time) for t in interview.turns] == [(1.0, 2.0)]


def test_a_file_name_that_is_not_utf8_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    folder.mkdir()
    _ok(folder)
    name = os.fsencode(folder) + b"/intervju_\xff.md"
    try:
        descriptor = os.open(name, os.O_WRONLY | os.O_CREAT, 0o644)
        os.write(descriptor, (FRONT.format(id="x") + TURNS).encode("utf-8"))
        os.close(descriptor)
    except OSError:
        pytest.skip("this file system refuses names that are not UTF-8")
    exit_code, lines = _corpus(folder)
    assert exit_code == 2
    line = _line(lines, "error", "file name is not valid UTF-8, so it is not read")
    assert "intervju_\\xff.md" in line


def test_an_unreadable_file_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "c"
    folder.mkdir()
    _ok(folder)
    locked = folder / "låst.md"
    locked.write_text(FRONT.format(id="l") + TURNS, encoding="utf-8")
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "låst.md":  # chmod 000 does not stop root, who runs CI here
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    exit_code, lines = _corpus(folder)
    assert exit_code == 2
    assert _line(lines, "error", "låst.md: cannot be read (permission denied). Check that the "
                 "file exists and that you may read it")  # fmt: skip


def test_an_xlsx_formula_without_a_saved_value_is_named(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "ok.md").write_text(TURNS, encoding="utf-8")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "interviews"
    sheet.append(["file", "municipality", "group"])
    sheet.append(["ok.md", '=CONCATENATE("Se","l")', "x"])  # openpyxl saves no value for it
    book.save(folder / "interviews.xlsx")
    exit_code, lines = _corpus(folder)
    assert exit_code == 2
    assert _line(lines, "error", "interviews.xlsx:2: cell B2 of sheet 'interviews' holds a "
                 "formula (=CONCATENATE(\"Se\",\"l\")) with no saved value")  # fmt: skip


def test_a_word_metadata_table_without_municipality_says_so(tmp_path: Path) -> None:
    from transcript_files import write_docx

    folder = tmp_path / "c"
    folder.mkdir()
    path = write_docx(folder / "a.docx", ["I: Hei.", "Informant: Jeg har jobb."],
                      metadata=[("id", "a"), ("group", "x")])  # fmt: skip
    exit_code, lines = _corpus(folder)
    assert exit_code == 2
    assert _line(lines, "error", f"{path}: its metadata table has no 'municipality'. Add a row "
                 "'municipality | <value>' to the key | value table at the start of the "
                 "document")  # fmt: skip
