"""The bad-input catalogue: one case per class of bad input, run by test_catalogue.py.

Each case builds its inputs in a fresh workspace (a small valid corpus, codebook and results
folder are there already), names the command to run and what must come of it: the exit code,
and the one problem line (its code and a pattern of its message). The runner also checks
that no traceback is printed, that no input changed and that an error leaves no output.
docs/reliability.md lists the same cases (test_docs_list_the_catalogue keeps them in step).
"""

from __future__ import annotations

import io
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from transcript_files import write_docx

FRONT = "---\nid: {id}\nmunicipality: Sel\ngroup: flyktning\n---\n"
BODY = "I: Har du jobb?\nInformant: Ja, jeg har jobb på hotellet.\n"
CODEBOOK = """\
codebook: mini
codes:
  - id: jobb
    label: Jobb
    terms: [jobb]
"""
ALIAS_BOMB = "".join(
    [f"l0: &l0 [{', '.join(['x'] * 9)}]\n"]
    + [f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]\n" for n in range(1, 9)]
)


@dataclass
class Workspace:
    """A folder with a valid corpus/, codebook.yaml and results/ (coded from them)."""

    root: Path

    @property
    def corpus(self) -> Path:
        return self.root / "corpus"

    @property
    def codebook(self) -> Path:
        return self.root / "codebook.yaml"

    @property
    def results(self) -> Path:
        return self.root / "results"

    def write(self, name: str, text: str | bytes) -> Path:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    def transcript(self, name: str, text: str | bytes) -> Path:
        return self.write(f"corpus/{name}", text)

    def codebook_with(self, text: str, name: str = "bad.yaml") -> list[str]:
        """`codebook validate` of a codebook of this text."""
        return ["codebook", "validate", "--no-lemmas", str(self.write(name, text))]

    def project_with(self, text: str | bytes) -> list[str]:
        """`run` with a project file of this text."""
        return ["run", "-q", "--no-cache", "-p", str(self.write("mimres.yaml", text))]

    def corpus_check(self) -> list[str]:
        return ["corpus", str(self.corpus)]


@dataclass(frozen=True)
class Case:
    """One class of bad input and what mimres must do with it."""

    name: str
    what: str  # the input, in words (docs/reliability.md)
    build: Callable[[Workspace], list[str]]  # writes the inputs, returns the command line
    exit: int
    code: str  # the problem code the one line must carry ("": no problem is printed)
    message: str  # a regular expression the problem line must contain
    check: Callable[[Workspace], None] | None = None  # what the output must hold
    output: str = ""  # a folder whose files the command may replace (its results)


def _code_into(ws: Workspace, out: Path) -> list[str]:
    return ["code", "-q", "--no-cache", "--corpus", str(ws.corpus), "-c", str(ws.codebook),
            "--out", str(out)]  # fmt: skip


def _codings(ws: Workspace, text: str | bytes) -> list[str]:
    path = ws.write("codings.csv", text)
    return ["agree", str(ws.results), "-H", str(path)]


def _manifest(ws: Workspace, text: str) -> None:
    (ws.results / "manifest.json").write_text(text, encoding="utf-8")


def _nested_codes(depth: int) -> str:
    lines, indent = ["codebook: deep", "codes:"], "  "
    for n in range(depth):
        lines += [f"{indent}- id: c{n}", f"{indent}  label: c{n}", f"{indent}  terms: [jobb]",
                  f"{indent}  codes:"]  # fmt: skip
        indent += "    "
    lines += [f"{indent}- id: last", f"{indent}  label: last", f"{indent}  terms: [jobb]"]
    return "\n".join(lines) + "\n"


def _zip(entries: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _xxe_docx(ws: Workspace) -> list[str]:
    write_docx(ws.corpus / "x.docx", [("Informant: ", "Ja, jobb.")])
    with zipfile.ZipFile(ws.corpus / "x.docx") as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    entries["word/document.xml"] = (
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>"
    )
    ws.transcript("x.docx", _zip(entries))
    return ws.corpus_check()


def _zip_bomb_docx(ws: Workspace) -> list[str]:
    write_docx(ws.corpus / "x.docx", [("Informant: ", "Ja, jobb.")])
    with zipfile.ZipFile(ws.corpus / "x.docx") as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    entries["word/document.xml"] = b"<" + b" " * 20_000_000 + b">"
    ws.transcript("x.docx", _zip(entries))
    return ws.corpus_check()


def _sheet(ws: Workspace, text: str) -> list[str]:
    ws.transcript("interviews.csv", text)
    return ws.corpus_check()


def _results_without(ws: Workspace, name: str) -> list[str]:
    (ws.results / name).unlink()
    return ["tables", str(ws.results)]


def _segments_column(ws: Workspace) -> list[str]:
    path = ws.results / "segments.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    at = header.index("start")
    cells = lines[1].split(",")
    cells[at] = "many"
    path.write_text("\n".join([lines[0], ",".join(cells), *lines[2:]]) + "\n", encoding="utf-8")
    return ["tables", str(ws.results)]


def _folder_of_other_files(ws: Workspace) -> list[str]:
    ws.write("mine/segments.csv", "my,own\n1,2\n")
    return _code_into(ws, ws.root / "mine")


def _user_file_in_results(ws: Workspace) -> list[str]:
    (ws.results / "findings.csv").unlink()
    marker = ws.results / ".mimres-results.json"
    marker.write_text(marker.read_text(encoding="utf-8").replace('"findings.csv",', ""), "utf-8")
    ws.write("results/findings.csv", "my own notes\n")
    return _code_into(ws, ws.results)


def _copy_sample(ws: Workspace, name: str) -> Path:
    target = ws.corpus / name
    shutil.copy(ws.corpus / "a.md", target)
    return target


HOSTILE = (
    '---\nid: h\nmunicipality: "=HYPERLINK(\\"http://x\\",\\"Sel\\")"\ngroup: "@flyktning"\n---\n'
    "I: Har du jobb?\nInformant: =1+1 jobb er fint \x01\x1b her.\n"
    # enough text that two control characters are no sign of a binary file (under 1 %)
    + "I: Og ellers?\nInformant: "
    + "Det går bra med oss, takk. " * 12
    + "\n"
)


def _hostile_results(ws: Workspace) -> Path:
    """A results folder coded from one interview whose metadata and text start like formulas
    and whose text holds control characters XLSX cannot."""
    from typer.testing import CliRunner

    from mimres_cli.cli import app

    ws.write("hostile/h.md", HOSTILE)
    args = ["code", "-q", "--no-cache", "--corpus", str(ws.root / "hostile"), "-c",
            str(ws.codebook), "--out", str(ws.root / "hostile-results")]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return ws.root / "hostile-results"


def _xlsx_cells(path: Path) -> list[tuple[str, str, object]]:
    import openpyxl

    book = openpyxl.load_workbook(path)
    return [(cell.data_type, cell.coordinate, cell.value)
            for sheet in book for row in sheet.iter_rows() for cell in row]  # fmt: skip


def _no_formulas(ws: Workspace, name: str) -> None:
    cells = _xlsx_cells(ws.root / name)
    assert not [cell for cell in cells if cell[0] == "f"]
    texts = [value for _, _, value in cells if isinstance(value, str)]
    assert '=HYPERLINK("http://x","Sel")' in texts
    assert "@flyktning" in texts


def _quotes_xlsx_check(ws: Workspace) -> None:
    _no_formulas(ws, "q.xlsx")
    texts = [value for _, _, value in _xlsx_cells(ws.root / "q.xlsx") if isinstance(value, str)]
    assert "=1+1 jobb er fint \ufffd\ufffd her." in texts


def _csv_check(raw: bool) -> Callable[[Workspace], None]:
    def check(ws: Workspace) -> None:
        text = (ws.root / "q.csv").read_text(encoding="utf-8")
        quote = "" if raw else "'"
        assert f'{quote}=HYPERLINK(""http://x"",""Sel"")' in text
        assert f",{quote}@flyktning," in text
        assert f",{quote}=1+1 jobb er fint" in text
        if not raw:
            assert ",=" not in text and ',"=' not in text

    return check


def _quotes(ws: Workspace, output: str, *before: str) -> list[str]:
    results = _hostile_results(ws)
    return [*before, "quotes", str(results), "jobb", "-o", str(ws.root / output)]


def _rerun_into_own_results(ws: Workspace) -> list[str]:
    (ws.results / "notes.txt").write_text("mine", encoding="utf-8")
    return _code_into(ws, ws.results)


def _results_kept_notes(ws: Workspace) -> None:
    assert (ws.results / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert "segments.csv" in (ws.results / ".mimres-results.json").read_text(encoding="utf-8")


def _forced_into_other_files(ws: Workspace) -> None:
    assert (ws.root / "mine" / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert (ws.root / "mine" / "segments.csv").read_text(encoding="utf-8").startswith("interview")


def _force_into_folder(ws: Workspace) -> list[str]:
    ws.write("mine/notes.txt", "mine")
    return [*_code_into(ws, ws.root / "mine"), "--force"]


def _import_over_its_qdc(ws: Workspace) -> list[str]:
    from typer.testing import CliRunner

    from mimres_cli.cli import app

    qdc = ws.root / "book.qdc"
    result = CliRunner().invoke(app, ["export", "codebook", str(ws.codebook), "-o", str(qdc)])
    assert result.exit_code == 0, result.output
    return ["import", "codebook", str(qdc), "-o", str(qdc), "--force"]


def _front(ws: Workspace, extra: str) -> list[str]:
    """`corpus` on the corpus with one more interview whose front matter has `extra`."""
    ws.transcript("c.md", f"---\nid: c\nmunicipality: Sel\ngroup: g\n{extra}\n---\n" + BODY)
    return ws.corpus_check()


def _vtt(ws: Workspace, timing: str) -> list[str]:
    ws.transcript("v.vtt", "WEBVTT\n\n00:00.000 --> 00:01.000\n<v Informant>Ja, jobb.\n\n"
                  f"{timing}\n<v Informant>Mer.\n")  # fmt: skip
    ws.transcript("interviews.csv", "file,municipality,group\nv.vtt,Sel,g\n")
    return ws.corpus_check()


def _link(ws: Workspace, name: str, target: str) -> list[str]:
    (ws.corpus / name).symlink_to(target)
    return ws.corpus_check()


def _broken_manifest(command: str) -> Callable[[Workspace], list[str]]:
    def build(ws: Workspace) -> list[str]:
        _manifest(ws, "{broken")
        return {
            "tables": ["tables", str(ws.results)],
            "quotes": ["quotes", str(ws.results), "jobb"],
            "report": ["report", str(ws.results), "-o", str(ws.root / "r.html")],
            "export": ["export", "project", str(ws.results), "-o", str(ws.root / "p.qdpx")],
            "agree": ["agree", str(ws.results), "-H",
                      str(ws.write("h.csv", "interview_id,start,end,code\na,0,5,jobb\n"))],
        }[command]  # fmt: skip

    return build


# The catalogue. Names are stable: docs/reliability.md lists them.
CASES: list[Case] = [
    # ---- general
    Case(
        "missing-corpus",
        "a corpus folder that is not there",
        lambda ws: ["corpus", str(ws.root / "nowhere")],
        2,
        "E001",
        "does not exist",
    ),
    Case(
        "missing-codebook",
        "a codebook file that is not there",
        lambda ws: ["codebook", "validate", str(ws.root / "none.yaml")],
        2,
        "E001",
        "does not exist",
    ),
    Case(
        "missing-results",
        "a results folder that is not there",
        lambda ws: ["tables", str(ws.root / "none")],
        2,
        "E001",
        "does not exist",
    ),
    Case(
        "results-lack-a-file",
        "a results folder without segments.csv",
        lambda ws: _results_without(ws, "segments.csv"),
        2,
        "E001",
        "lacks segments.csv",
    ),
    Case(
        "unknown-attribute",
        "`tables --by` an attribute no interview has",
        lambda ws: ["tables", str(ws.results), "--by", "fylke"],
        2,
        "E002",
        "no attribute",
    ),
    Case(
        "by-computed-column",
        "`tables --by share`, a computed column's name",
        lambda ws: ["tables", str(ws.results), "--by", "share"],
        2,
        "E002",
        "no attribute 'share'",
    ),
    # ---- corpus
    Case(
        "no-transcripts",
        "a corpus folder with no transcript",
        lambda ws: [ws.write("empty/notes.pdf", b"%PDF-1.4") and "corpus", str(ws.root / "empty")],
        2,
        "E108",
        "no transcripts",
    ),
    Case(
        "zero-byte-transcript",
        "a transcript of zero bytes",
        lambda ws: [ws.transcript("z.md", ""), *ws.corpus_check()][1:],
        2,
        "E103",
        "z.md",
    ),
    Case(
        "blank-transcript",
        "a transcript of white space only",
        lambda ws: [ws.transcript("z.md", " \n\t\n"), *ws.corpus_check()][1:],
        2,
        "E103",
        "z.md",
    ),
    Case(
        "duplicate-id",
        "two transcripts with the same id",
        lambda ws: [ws.transcript("dup.md", FRONT.format(id="a") + BODY), *ws.corpus_check()][1:],
        2,
        "E104",
        "'a'",
    ),
    Case(
        "missing-municipality",
        "front matter without a design attribute",
        lambda ws: [
            ws.transcript("m.md", "---\nid: m\ngroup: flyktning\n---\n" + BODY),
            *ws.corpus_check(),
        ][1:],
        2,
        "E105",
        "municipality",
    ),
    Case(
        "front-matter-yaml",
        "front matter that is not valid YAML",
        lambda ws: [ws.transcript("y.md", "---\nid: [y\n---\n" + BODY), *ws.corpus_check()][1:],
        2,
        "E101",
        "y.md:",
    ),
    Case(
        "front-matter-list",
        "front matter that is a list, not a mapping",
        lambda ws: [ws.transcript("l.md", "---\n- a\n- b\n---\n" + BODY), *ws.corpus_check()][1:],
        2,
        "E101",
        "l.md",
    ),
    Case(
        "mojibake",
        "double-encoded UTF-8 (Ã¸ for ø)",
        lambda ws: [
            ws.transcript(
                "mo.md",
                FRONT.format(id="mo")
                + "I: Hei?\nInformant: "
                + "Jeg bor i VÃ¥gÃ¥ og fÃ¸ler meg hjemme pÃ¥ skolen.\n",
            ),
            *ws.corpus_check(),
        ][1:],
        2,
        "E107",
        "mo.md",
    ),
    Case(
        "metadata-conflict",
        "front matter and metadata sheet disagree",
        lambda ws: _sheet(ws, "id,municipality,group\na,Vågå,flyktning\n"),
        2,
        "E106",
        "municipality",
    ),
    Case(
        "random-bytes-docx",
        "a .docx that is random bytes",
        lambda ws: [ws.transcript("r.docx", bytes(range(256)) * 8), *ws.corpus_check()][1:],
        2,
        "E101",
        "r.docx",
    ),
    Case(
        "xxe-docx",
        "a .docx whose XML declares an external entity (XXE): not resolved",
        _xxe_docx,
        2,
        "E103",
        "x.docx",
    ),
    Case(
        "zip-bomb-docx",
        "a .docx whose XML inflates 1000-fold, to 20 MB (zip bomb)",
        _zip_bomb_docx,
        2,
        "E101",
        "x.docx",
    ),
    Case(
        "vtt-without-header",
        "a .vtt file without the WEBVTT header",
        lambda ws: [ws.transcript("v.vtt", "00:00.000 --> 00:01.000\nHei\n"), *ws.corpus_check()][
            1:
        ],
        2,
        "E101",
        "v.vtt",
    ),
    Case(
        "srt-garbage",
        "an .srt file that holds no subtitles",
        lambda ws: [ws.transcript("s.srt", "1\nnot a time\nHei\n\n2\n"), *ws.corpus_check()][1:],
        2,
        "E101",
        "s.srt",
    ),
    Case(
        "front-matter-bad-date",
        "front matter `date: 2024-13-45`",
        lambda ws: _front(ws, "date: 2024-13-45"),
        2,
        "E101",
        "not one",
    ),
    Case(
        "front-matter-mapping-value",
        "front matter `municipality: {a: Sel}`",
        lambda ws: [
            ws.transcript("c.md", "---\nid: c\nmunicipality: {a: Sel}\ngroup: g\n---\n" + BODY),
            *ws.corpus_check(),
        ][1:],
        2,
        "E101",
        "mapping",
    ),
    Case(
        "front-matter-unclosed",
        "front matter whose closing `---` is missing",
        lambda ws: [
            ws.transcript("c.md", "---\nid: c\nmunicipality: Sel\n" + BODY),
            *ws.corpus_check(),
        ][1:],
        2,
        "E101",
        "never closed",
    ),
    Case(
        "front-matter-alias-bomb",
        "1 KB of front matter whose aliases expand to 387 million",
        lambda ws: _front(ws, ALIAS_BOMB.strip()),
        2,
        "E101",
        "aliases",
    ),
    Case(
        "front-matter-recursive-alias",
        "front matter with an alias inside its own anchor",
        lambda ws: _front(ws, "loop: &loop [*loop]"),
        2,
        "E101",
        "contains itself through a YAML alias",
    ),
    Case(
        "front-matter-20000-deep",
        "front matter nested 20,000 brackets deep",
        lambda ws: _front(ws, "k: " + "[" * 20_000 + "]" * 20_000),
        2,
        "E101",
        "deep",
    ),
    Case(
        "random-bytes-txt",
        "random bytes named .txt",
        lambda ws: [ws.transcript("r.txt", bytes(range(256)) * 8), *ws.corpus_check()][1:],
        2,
        "E101",
        "not a text file",
    ),
    Case(
        "computed-metadata-key",
        "a front-matter key named like a computed column (`turns`)",
        lambda ws: _front(ws, "turns: 5"),
        0,
        "W107",
        "meta_turns",
    ),
    Case(
        "vtt-malformed-timing",
        "a .vtt cue with one malformed timing line",
        lambda ws: _vtt(ws, "00:0x.000 --> 00:02.000"),
        0,
        "W112",
        "malformed",
    ),
    Case(
        "vtt-reversed-cue",
        "a .vtt cue that ends before it starts",
        lambda ws: _vtt(ws, "00:05.000 --> 00:03.000"),
        0,
        "W112",
        "ends before",
    ),
    Case(
        "sheet-duplicate-header",
        "a metadata sheet with two columns of one name",
        lambda ws: _sheet(ws, "id,municipality,municipality,group\na,Sel,Vågå,g\n"),
        2,
        "E102",
        "both named",
    ),
    Case(
        "sheet-blank-header",
        "a metadata sheet column with values and no name",
        lambda ws: _sheet(ws, "id,,group\na,Sel,g\n"),
        2,
        "E102",
        "no name",
    ),
    Case(
        "sheet-huge-field",
        "a metadata CSV field of 140,000 characters",
        lambda ws: _sheet(ws, "id,municipality,group,note\na,Sel,g," + "y" * 140_000 + "\n"),
        2,
        "E102",
        "field",
    ),
    Case(
        "dangling-symlink",
        "a symbolic link to nothing in the corpus folder",
        lambda ws: _link(ws, "gone.md", "nowhere.md"),
        0,
        "W111",
        "gone.md",
    ),
    Case(
        "symlink-loop",
        "a symbolic link to itself in the corpus folder",
        lambda ws: _link(ws, "loop.md", "loop.md"),
        0,
        "W111",
        "loop.md",
    ),
    Case(
        "corpus-yaml-syntax",
        "corpus.yaml that is not valid YAML",
        lambda ws: [ws.transcript("corpus.yaml", "speakers: [a\n"), *ws.corpus_check()][1:],
        2,
        "E102",
        "corpus.yaml",
    ),
    Case(
        "sheet-without-id",
        "a metadata sheet without an id or file column",
        lambda ws: _sheet(ws, "name,municipality\na,Sel\n"),
        2,
        "E102",
        "interviews.csv",
    ),
    Case(
        "sheet-xlsx-corrupt",
        "a metadata .xlsx that is no workbook",
        lambda ws: [ws.transcript("interviews.xlsx", b"PK\x03\x04 broken"), *ws.corpus_check()][1:],
        2,
        "E102",
        "interviews.xlsx",
    ),
    Case(
        "no-informant-turns",
        "an interview with no informant turn",
        lambda ws: [
            ws.transcript("n.md", FRONT.format(id="n") + "I: Er det noen her?\n"),
            *ws.corpus_check(),
        ][1:],
        0,
        "W102",
        "n.md",
    ),
    Case(
        "unknown-speaker",
        "a speaker label with no role",
        lambda ws: [
            ws.transcript("u.md", FRONT.format(id="u") + "SPEAKER_07: Ja, jobb.\n"),
            *ws.corpus_check(),
        ][1:],
        0,
        "W103",
        "SPEAKER_07",
    ),
    Case(
        "unsupported-file",
        "a .pdf in the corpus folder",
        lambda ws: [ws.transcript("notes.pdf", b"%PDF-1.4"), *ws.corpus_check()][1:],
        0,
        "W104",
        "notes.pdf",
    ),
    Case(
        "unmatched-sheet-row",
        "a metadata sheet row that matches no transcript",
        lambda ws: _sheet(ws, "id,municipality,group\na,Sel,flyktning\nzz,Sel,flyktning\n"),
        0,
        "W105",
        "zz",
    ),
    Case(
        "text-before-label",
        "text before the first speaker label",
        lambda ws: [
            ws.transcript("t.md", FRONT.format(id="t") + "Innledning.\n" + BODY),
            *ws.corpus_check(),
        ][1:],
        0,
        "W106",
        "t.md",
    ),
    Case(
        "front-matter-only",
        "front matter and no text after it",
        lambda ws: [ws.transcript("f.md", FRONT.format(id="f")), *ws.corpus_check()][1:],
        0,
        "W101",
        "f.md",
    ),
    Case(
        "windows-1252",
        "a transcript in Windows-1252",
        lambda ws: [
            ws.transcript(
                "w.md",
                (
                    FRONT.format(id="w") + "I: Hei?\nInformant: Jeg bor på Vågå og får jobb.\n"
                ).encode("cp1252"),
            ),
            *ws.corpus_check(),
        ][1:],
        0,
        "N101",
        "w.md",
    ),
    Case(
        "wide-docx-table",
        "a Word table of more than two columns",
        lambda ws: [
            write_docx(
                ws.corpus / "d.docx",
                [("Informant: ", "Ja, jobb.")],
                [("id", "d"), ("municipality", "Sel"), ("group", "flyktning")],
            ),
            _wide_table(ws.corpus / "d.docx"),
            *ws.corpus_check(),
        ][2:],
        0,
        "N102",
        "d.docx",
    ),
    # ---- codebooks
    Case(
        "codebook-yaml",
        "a codebook that is not valid YAML",
        lambda ws: ws.codebook_with("codes: [a\n"),
        2,
        "E201",
        "not valid YAML",
    ),
    Case(
        "codebook-binary",
        "a codebook that is a binary file",
        lambda ws: ws.codebook_with(bytes(range(128, 256)) * 4),
        2,
        "E201",
        "not UTF-8",
    ),
    Case(
        "codebook-nul",
        "a codebook with NUL bytes",
        lambda ws: ws.codebook_with("codebook: x\x00\n"),
        2,
        "E201",
        "NUL",
    ),
    Case(
        "codebook-control-character",
        "a codebook with a control character YAML refuses",
        lambda ws: ws.codebook_with("codebook: x\x1f\n"),
        2,
        "E201",
        "not valid YAML",
    ),
    Case(
        "codebook-shape",
        "a codebook that is a list",
        lambda ws: ws.codebook_with("- a\n- b\n"),
        2,
        "E202",
        "mapping",
    ),
    Case(
        "codebook-duplicate-key",
        "a key given twice",
        lambda ws: ws.codebook_with(CODEBOOK + "codebook: again\n"),
        2,
        "E203",
        "twice",
    ),
    Case(
        "codebook-unknown-key",
        "a misspelt key",
        lambda ws: ws.codebook_with(CODEBOOK.replace("terms:", "trems:")),
        2,
        "E204",
        "'trems'",
    ),
    Case(
        "codebook-missing-include",
        "an include that does not exist",
        lambda ws: ws.codebook_with(CODEBOOK + "include: [gone.yaml]\n"),
        2,
        "E205",
        "gone.yaml",
    ),
    Case(
        "codebook-include-cycle",
        "a codebook that includes itself",
        lambda ws: ws.codebook_with(CODEBOOK + "include: [bad.yaml]\n"),
        2,
        "E205",
        "cycle",
    ),
    Case(
        "codebook-bad-id",
        "a code id in capitals",
        lambda ws: ws.codebook_with(CODEBOOK.replace("id: jobb", "id: Jobb")),
        2,
        "E206",
        "'Jobb'",
    ),
    Case(
        "codebook-duplicate-code",
        "a code defined twice",
        lambda ws: ws.codebook_with(CODEBOOK + CODEBOOK.split("codes:\n")[1]),
        2,
        "E207",
        "twice",
    ),
    Case(
        "codebook-empty-leaf",
        "a code without rules or children",
        lambda ws: ws.codebook_with(CODEBOOK.replace("    terms: [jobb]\n", "")),
        2,
        "E208",
        "no rules",
    ),
    Case(
        "codebook-star-term",
        "a term that is only '*'",
        lambda ws: ws.codebook_with(CODEBOOK.replace("[jobb]", "['*']")),
        2,
        "E209",
        "every word",
    ),
    Case(
        "regex-invalid",
        "a regex that does not compile",
        lambda ws: ws.codebook_with(CODEBOOK + "    regex: ['jobb(']\n"),
        2,
        "E210",
        "invalid",
    ),
    Case(
        "regex-huge-repeat",
        "regex x{4294967296}",
        lambda ws: ws.codebook_with(CODEBOOK + "    regex: ['x{4294967296}']\n"),
        2,
        "E210",
        "invalid",
    ),
    Case(
        "regex-empty-match",
        "a regex that matches empty text",
        lambda ws: ws.codebook_with(CODEBOOK + "    regex: ['x*']\n"),
        2,
        "E210",
        "empty text",
    ),
    Case(
        "regex-catastrophic",
        "a regex that backtracks catastrophically: a or aa, repeated, then the end",
        lambda ws: ws.codebook_with(CODEBOOK + "    regex: ['(a|aa)+$']\n"),
        2,
        "E221",
        "backtracks catastrophically",
    ),
    Case(
        "codebook-bad-pattern",
        "a token pattern that is not a list",
        lambda ws: ws.codebook_with(CODEBOOK + "    patterns: [jobb]\n"),
        2,
        "E211",
        "token pattern",
    ),
    Case(
        "codebook-bad-near",
        "'near' without 'within'",
        lambda ws: ws.codebook_with(CODEBOOK + "    near: {terms: [plass]}\n"),
        2,
        "E212",
        "within",
    ),
    Case(
        "codebook-bad-pos",
        "an unknown part-of-speech tag",
        lambda ws: ws.codebook_with(CODEBOOK + "    pos: [NOUNS]\n"),
        2,
        "E213",
        "NOUNS",
    ),
    Case(
        "codebook-bad-negation",
        "an unknown negation mode",
        lambda ws: ws.codebook_with(CODEBOOK + "    negation: maybe\n"),
        2,
        "E214",
        "maybe",
    ),
    Case(
        "codebook-bad-speakers",
        "an unknown speaker role",
        lambda ws: ws.codebook_with(CODEBOOK + "    speakers: [boss]\n"),
        2,
        "E215",
        "boss",
    ),
    Case(
        "codebook-bad-color",
        "a colour that is not #rrggbb",
        lambda ws: ws.codebook_with(CODEBOOK + "    color: red\n"),
        2,
        "E216",
        "red",
    ),
    Case(
        "codebook-bad-value",
        "terms given as a mapping",
        lambda ws: ws.codebook_with(CODEBOOK.replace("[jobb]", "{a: b}")),
        2,
        "E217",
        "list of texts",
    ),
    Case(
        "codebook-alias-bomb",
        "a 1 KB codebook whose aliases expand to 387 million values",
        lambda ws: ws.codebook_with(CODEBOOK + ALIAS_BOMB + "description: *l8\n"),
        2,
        "E003",
        "aliases",
    ),
    Case(
        "codebook-recursive-alias",
        "an alias inside its own anchor",
        lambda ws: ws.codebook_with(CODEBOOK + "loop: &loop [*loop]\n"),
        2,
        "E003",
        "contains itself through a YAML alias",
    ),
    Case(
        "codes-nested-200-deep",
        "codes nested 200 levels deep",
        lambda ws: ws.codebook_with(_nested_codes(200)),
        2,
        "E003",
        "deep",
    ),
    Case(
        "codes-nested-25-deep",
        "codes nested 25 levels deep (within YAML's limit)",
        lambda ws: ws.codebook_with(_nested_codes(25)),
        2,
        "E003",
        "levels deep",
    ),
    Case(
        "codebook-too-large",
        "a codebook of more than 5 MB",
        lambda ws: ws.codebook_with(CODEBOOK + "# " + "x" * 5_000_001 + "\n"),
        2,
        "E003",
        "bytes",
    ),
    # ---- project files
    Case(
        "project-yaml",
        "a project file that is not valid YAML",
        lambda ws: ws.project_with("corpus: [a\n"),
        2,
        "E301",
        "not valid YAML",
    ),
    Case(
        "project-binary",
        "a project file that is a binary file",
        lambda ws: ws.project_with(bytes(range(128, 256))),
        2,
        "E301",
        "not UTF-8",
    ),
    Case(
        "project-missing",
        "a project file that is not there",
        lambda ws: ["run", "-p", str(ws.root / "none.yaml")],
        2,
        "E302",
        "does not exist",
    ),
    Case(
        "project-shape",
        "a project file that is a list",
        lambda ws: ws.project_with("- corpus\n"),
        2,
        "E303",
        "mapping",
    ),
    Case(
        "project-unknown-key",
        "a misspelt project key",
        lambda ws: ws.project_with("version: 1\ncorpse: corpus\n"),
        2,
        "E304",
        "corpse",
    ),
    Case(
        "project-version",
        "a project file of version 9",
        lambda ws: ws.project_with("version: 9\n"),
        2,
        "E305",
        "version",
    ),
    Case(
        "project-path",
        "a project corpus path that does not exist",
        lambda ws: ws.project_with("version: 1\ncorpus: nowhere\n"),
        2,
        "E306",
        "nowhere",
    ),
    Case(
        "project-value",
        "jobs given as text",
        lambda ws: ws.project_with("version: 1\njobs: many\n"),
        2,
        "E307",
        "jobs",
    ),
    Case(
        "project-choice",
        "a unit that is not turn or sentence",
        lambda ws: ws.project_with("version: 1\nunit: paragraph\n"),
        2,
        "E308",
        "paragraph",
    ),
    Case(
        "project-alias-bomb",
        "a project file whose aliases expand to 387 million values",
        lambda ws: ws.project_with("version: 1\n" + ALIAS_BOMB),
        2,
        "E003",
        "aliases",
    ),
    # ---- codings files
    Case(
        "codings-binary",
        "a codings CSV that is a binary file",
        lambda ws: _codings(ws, bytes(range(128, 256)) * 4),
        2,
        "E401",
        "not UTF-8",
    ),
    Case(
        "codings-columns",
        "a codings CSV without the needed columns",
        lambda ws: _codings(ws, "a,b\n1,2\n"),
        2,
        "E401",
        "lacks column",
    ),
    Case(
        "codings-not-numbers",
        "start and end that are not numbers",
        lambda ws: _codings(ws, "interview_id,start,end,code\na,x,y,jobb\n"),
        2,
        "E401",
        "whole numbers",
    ),
    Case(
        "codings-huge-offsets",
        "a selection ending at 10^23",
        lambda ws: _codings(ws, f"interview_id,start,end,code\na,0,{10**23},jobb\n"),
        2,
        "E402",
        "beyond any interview",
    ),
    Case(
        "codings-reversed",
        "a selection whose end is before its start",
        lambda ws: _codings(ws, "interview_id,start,end,code\na,9,3,jobb\n"),
        2,
        "E402",
        "empty or negative",
    ),
    # ---- results folders
    *[
        Case(
            f"broken-manifest-{command}",
            f"a results folder with a broken manifest.json (`{command}`)",
            _broken_manifest(command),
            2,
            "E500",
            "manifest.json",
        )
        for command in ("tables", "quotes", "report", "export", "agree")
    ],
    Case(
        "manifest-wrong-types",
        "a manifest.json whose codebooks are a number",
        lambda ws: [_manifest(ws, '{"codebooks": 5}'), "tables", str(ws.results)][1:],
        2,
        "E500",
        "manifest.json",
    ),
    Case(
        "results-not-numbers",
        "a segments.csv whose offsets are words",
        _segments_column,
        2,
        "E500",
        "no number",
    ),
    # ---- outputs
    Case(
        "out-is-corpus",
        "`--out` the corpus folder",
        lambda ws: _code_into(ws, ws.corpus),
        2,
        "E506",
        "corpus folder",
    ),
    Case(
        "out-inside-corpus",
        "`--out` a folder inside the corpus folder",
        lambda ws: _code_into(ws, ws.corpus / "results"),
        2,
        "E506",
        "corpus folder",
    ),
    Case(
        "output-is-transcript",
        "`kwic -o` a transcript of the corpus",
        lambda ws: ["kwic", "jobb", "--corpus", str(ws.corpus), "-o", str(ws.corpus / "a.md")],
        2,
        "E506",
        "transcript",
    ),
    Case(
        "output-inside-corpus",
        "`tables -o` a new file inside the corpus folder",
        lambda ws: ["tables", str(ws.results), "-o", str(ws.corpus / "t.xlsx")],
        2,
        "E506",
        "corpus folder",
    ),
    Case(
        "output-is-results-file",
        "`tables -o` the results' own segments.csv",
        lambda ws: ["tables", str(ws.results), "-o", str(ws.results / "segments.csv")],
        2,
        "E506",
        "results file",
    ),
    Case(
        "output-is-codebook",
        "`export codebook -o` over a codebook in use",
        lambda ws: ["export", "codebook", str(ws.codebook), "-o", str(ws.codebook)],
        2,
        "E506",
        "codebook",
    ),
    Case(
        "import-over-its-input",
        "`import codebook X.qdc -o X.qdc --force`",
        _import_over_its_qdc,
        2,
        "E506",
        "codebook",
    ),
    Case(
        "out-folder-of-other-files",
        "`--out` a folder of the user's own files",
        _folder_of_other_files,
        2,
        "E507",
        "did not write",
    ),
    Case(
        "out-replaces-user-file",
        "`--out` a results folder with a user's own findings.csv",
        _user_file_in_results,
        2,
        "E507",
        "findings.csv",
    ),
    Case(
        "formula-in-xlsx-table",
        "metadata '=HYPERLINK(...)' and '@...' in `tables -o .xlsx`",
        lambda ws: ["tables", str(_hostile_results(ws)), "-o", str(ws.root / "t.xlsx")],
        0,
        "",
        "",
        lambda ws: _no_formulas(ws, "t.xlsx"),
    ),
    Case(
        "formula-and-controls-in-xlsx",
        "turn text '=1+1 jobb' with \\x01 and \\x1b in `quotes -o .xlsx`",
        lambda ws: _quotes(ws, "q.xlsx"),
        0,
        "",
        "",
        _quotes_xlsx_check,
    ),
    Case(
        "formula-in-csv",
        "text starting with '=' or '@' in `quotes -o .csv` (escaped)",
        lambda ws: _quotes(ws, "q.csv"),
        0,
        "",
        "",
        _csv_check(raw=False),
    ),
    Case(
        "formula-in-raw-csv",
        "the same with `mimres --raw-csv` (written as it is)",
        lambda ws: _quotes(ws, "q.csv", "--raw-csv"),
        0,
        "",
        "",
        _csv_check(raw=True),
    ),
    Case(
        "out-own-results-folder",
        "`--out` a results folder mimres wrote, with a user's notes",
        _rerun_into_own_results,
        0,
        "",
        "",
        _results_kept_notes,
        "results/",
    ),
    Case(
        "out-forced",
        "`--out` a folder of the user's own files with --force",
        _force_into_folder,
        0,
        "",
        "",
        _forced_into_other_files,
    ),
    Case(
        "xlsx-to-terminal",
        "`tables -f xlsx` without an output file",
        lambda ws: ["tables", str(ws.results), "-f", "xlsx"],
        2,
        "E503",
        "terminal",
    ),
    Case(
        "output-unknown-suffix",
        "`tables -o` a file of an unknown suffix",
        lambda ws: ["tables", str(ws.results), "-o", str(ws.root / "t.pdf")],
        2,
        "E504",
        "suffix",
    ),
]


def _wide_table(path: Path) -> Path:
    import docx

    document = docx.Document(str(path))
    table = document.add_table(rows=1, cols=3)
    for cell, text in zip(table.rows[0].cells, ("a", "b", "c"), strict=True):
        cell.text = text
    document.save(str(path))
    return path


__all__ = ["BODY", "CASES", "CODEBOOK", "FRONT", "Case", "Workspace"]
