"""A wide study at 80 columns: 100 municipalities × 2 groups (see wide_corpus.py).

Every printed table is parsed back: each municipality and each count must be there exactly once
per table, whole, and no line may be wider than the terminal.
"""

from __future__ import annotations

import base64
import re
import struct
from pathlib import Path

import pytest
from typer.testing import CliRunner
from wide_corpus import GROUPS, expected_coded, interviews, municipalities, write_wide_corpus

from mimres_cli.cli import app

runner = CliRunner()
WIDTH = 80


@pytest.fixture(scope="module")
def study(tmp_path_factory) -> tuple[Path, str]:
    """The results folder of `mimres run` on the wide corpus, and what the run printed."""
    folder = tmp_path_factory.mktemp("wide")
    corpus, codebook = write_wide_corpus(folder)
    out = folder / "results"
    result = _invoke("run", "--corpus", str(corpus), "-c", str(codebook), "--out", str(out))
    assert result.exit_code == 0, result.output
    return out, result.stdout


def _invoke(*args: str):
    return runner.invoke(app, list(args), env={"COLUMNS": str(WIDTH)})


def _tables(text: str) -> list[tuple[list[str], list[list[str]]]]:
    """The rich tables in `text`: (header cells, body rows), wrapped label lines joined."""
    found: list[tuple[list[str], list[list[str]]]] = []
    for line in text.splitlines():
        if line.startswith("┏"):
            found.append(([], []))
        elif line.startswith("┃"):
            found[-1][0].extend(c.strip() for c in line.strip("┃").split("┃"))
        elif line.startswith("│"):
            cells = [c.strip() for c in line.strip("│").split("│")]
            rows = found[-1][1]
            if rows and not any(cells[1:]):  # a label that wrapped onto the next line
                rows[-1][0] += " " + cells[0]
            else:
                rows.append(cells)
    return found


def _cells(tables) -> dict[tuple[str, str], str]:
    """(row, column) → cell over the tables of one printed crosstab; each pair exactly once."""
    cells: dict[tuple[str, str], str] = {}
    for header, rows in tables:
        for row in rows:
            for column, cell in zip(header[1:], row[1:], strict=True):
                key = (row[0], column)
                assert key not in cells, f"{key} printed twice"
                cells[key] = cell
    return cells


def _expected(code: str, municipality: str) -> str:
    ids = {i for i, m, _, _ in interviews() if m == municipality}
    coded = len(ids & expected_coded(code))
    return f"{coded}/{len(ids)} ({coded / len(ids):.0%})†"  # 2 interviews: a small cell


def _assert_fits(text: str) -> None:
    long = [line for line in text.splitlines() if len(line) > WIDTH]
    assert not long, long[:3]
    assert "…" not in text  # nothing cut short


def test_run_prints_every_municipality_and_count_once_within_80_columns(study) -> None:
    _, stdout = study
    _assert_fits(stdout)
    per_municipality = stdout.split("Interviews coded, per group")[0]
    cells = _cells(_tables(per_municipality))
    # Themes only (all codes would need parts), values as rows: each municipality once.
    rows = [row for row, _ in cells]
    assert sorted(set(rows)) == sorted([*municipalities(), "All"])
    for name in municipalities():
        for code, label in (("arbeid", "Arbeid"), ("bolig", "Bolig"), ("sprak", "Språk")):
            assert cells[(name, label)] == _expected(code, name)
    assert cells[("All", "Arbeid")] == f"{len(expected_coded('arbeid'))}/200 (75%)"
    assert "Themes only" in per_municipality and "results/findings.csv" in per_municipality
    assert "† fewer than 5 interviews" in per_municipality
    # Norwegian order: … Vågå…, then Ærøy, Ørsta, Ål (not Å before Æ as code points have it).
    order = [row for row in dict.fromkeys(rows) if row != "All"]
    assert order.index("Skjåkås") < order.index("Ærøy") < order.index("Ørsta") < order.index("Ål")
    per_group = _cells(_tables(stdout.split("Interviews coded, per group")[1]))
    assert per_group[("Praksis", GROUPS[0])] == "50/100 (50%)"


def test_tables_by_municipality_pages_every_code_and_says_where_the_full_table_is(
    study,
) -> None:
    results, _ = study
    result = _invoke("tables", str(results), "--by", "municipality")
    assert result.exit_code == 0, result.output
    _assert_fits(result.stdout)
    tables = _tables(result.stdout)
    assert len(tables) > 10  # in parts, each repeating the code column
    assert all(header[0] == "Code" for header, _ in tables)
    cells = _cells(tables)
    columns = [column for _, column in cells]
    assert sorted(set(columns)) == sorted([*municipalities(), "All"])
    labels = {"arbeid": "Arbeid", "arbeid/jobb": "Jobb", "arbeid/praksis": "Praksis",
              "bolig": "Bolig", "sprak": "Språk"}  # fmt: skip
    for name in municipalities():
        for code, label in labels.items():
            assert cells[(label, name)] == _expected(code, name)
    assert "mimres tables" in result.stdout and "-o municipality.xlsx" in result.stdout


def _blocks(text: str) -> list[list[str]]:
    """The rows of a table drawn with lines between rows: each column's lines joined."""
    rows: list[list[str]] = []
    current: list[list[str]] = []
    for line in text.splitlines():
        if line.startswith("│"):
            current.append([c.strip() for c in line.strip("│").split("│")])
        elif line.startswith(("├", "└")) and current:
            rows.append([" ".join(p for p in parts if p) for parts in zip(*current, strict=True)])
            current = []
    return rows


def test_quotes_at_80_columns_show_each_quote_whole(study) -> None:
    results, _ = study
    said = {i: s for i, _, _, s in interviews()}
    reached = {m for i, m, _, _ in interviews() if i in expected_coded("arbeid")}
    # One cell column: a table with room for the quote.
    result = _invoke("quotes", str(results), "arbeid", "--by", "municipality")
    assert result.exit_code == 0, result.output
    _assert_fits(result.stdout)
    rows = _blocks(result.stdout)
    assert sorted(row[0] for row in rows) == sorted(reached)
    for _, who, quote in rows:  # the evidence sentence(s), whole
        assert quote in said[who.split()[0]] and quote.endswith(".")
    # Two cell columns leave no room: one block per quote, the quote wrapped, never cropped.
    result = _invoke("quotes", str(results), "arbeid", "--by", "municipality", "--by", "group")
    assert result.exit_code == 0, result.output
    _assert_fits(result.stdout)
    lines = result.stdout.splitlines()
    heads = [line for line in lines if " · w" in line]
    assert {h.split(" · ")[0] for h in heads} == reached
    for head in heads:
        interview_id = head.split(" · ")[2]
        quote = lines[lines.index(head) + 1]
        assert quote in said[interview_id] and quote.endswith(".")


def test_keyness_at_80_columns_keeps_every_number_whole(study, tmp_path: Path) -> None:
    corpus, _ = write_wide_corpus(tmp_path)
    result = _invoke("words", "--corpus", str(corpus), "--by", "municipality", "--keyness",
                     "--top", "1")  # fmt: skip
    assert result.exit_code == 0, result.output
    _assert_fits(result.stdout)
    csv = _invoke("words", "--corpus", str(corpus), "--by", "municipality", "--keyness",
                  "--top", "1", "-f", "csv").stdout.splitlines()  # fmt: skip
    header = csv[0].split(",")
    printed = _tables(result.stdout)
    rows: dict[tuple[str, str], dict[str, str]] = {}
    assert len(printed) > 1  # in parts at 80 columns, each repeating both key columns
    for head, body in printed:
        assert head[:2] == ["municipality", "lemma"], head
        for row in body:
            rows.setdefault((row[0], row[1]), {}).update(dict(zip(head, row, strict=True)))
    names = {key[0] for key in rows}
    assert names == set(municipalities())
    g2 = header.index("g2") if "g2" in header else None
    if g2 is not None:  # every G² printed whole, as the CSV has it (to 4 significant digits)
        printed_g2 = " ".join(c.get("g2", "") for c in rows.values())
        for line in csv[1:]:
            value = float(line.split(",")[g2])
            assert f"{value:.4g}".rstrip("0").rstrip(".") in printed_g2 or str(value) in printed_g2


def _png_size(data_uri: str) -> tuple[int, int]:
    data = base64.b64decode(data_uri.split(",", 1)[1])
    return struct.unpack(">II", data[16:24])


def test_html_report_of_the_wide_study(study, tmp_path: Path) -> None:
    results, _ = study
    out = tmp_path / "rapport.html"
    result = _invoke("report", str(results), "-o", str(out))
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    figures = re.findall(
        r'<figure class="heatmap" data-rows="(\d+)" data-columns="(\d+)">'
        r'<img src="(data:image/png;base64,[^"]+)"',
        html,
    )
    # 100 municipalities in 4 panels of 25, the 2 groups in one: every cell readable.
    assert sorted(int(c) for _, c, _ in figures) == [2, 25, 25, 25, 25]
    page = 62 * 16  # the report's widest body, 62rem: wider images are scaled down to it
    for rows, columns, src in figures:
        width, height = _png_size(src)
        scale = min(1.0, page / width)
        assert width * scale / int(columns) >= 12 and height * scale / int(rows) >= 12
    # Norwegian order in the tables: Ørsta before Ål, both after z.
    assert html.index('<th class="num">Ærøy</th>') < html.index('<th class="num">Ørsta</th>')
    assert html.index('<th class="num">Ørsta</th>') < html.index('<th class="num">Ål</th>')
    assert html.index('<th class="num">Vågå</th>') < html.index('<th class="num">Ærøy</th>')
    # Provenance without absolute paths; small cells marked, with a footnote.
    provenance = html.split('id="proveniens"')[1]
    assert str(tmp_path.parent) not in provenance and "/tmp" not in provenance
    assert "bred.yaml" in provenance
    assert html.count('<sup class="small"') >= 100
    assert "Færre enn 5 intervjuer i cellen" in html
    assert "position: sticky" in html and "@media print" in html


def test_word_report_has_the_sections_tables_figures_and_quotes(study, tmp_path: Path) -> None:
    import docx

    results, _ = study
    out = tmp_path / "rapport.docx"
    result = _invoke("report", str(results), "-o", str(out))
    assert result.exit_code == 0, result.output
    document = docx.Document(str(out))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["Materialet", "Hvor god er kodingen?", "Hovedfunn", "Tabeller",
                        "Sitater", "Metning", "Vedlegg A: Kodebok",
                        "Vedlegg B: Proveniens"]  # fmt: skip
    # Heatmaps (4 panels of municipalities, 1 of groups) and the saturation curve.
    assert len(document.inline_shapes) == 6
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    # Every code × municipality cell as n/N (%), marked small (2 interviews each): 5 × 100.
    assert sum(bool(re.fullmatch(r"\d/2 \(\d+%\)†", c)) for c in cells) == 500
    assert f"{len(expected_coded('arbeid'))}/200 (75%)" in cells
    assert "Ørsta" in cells and cells.index("Ærøy") < cells.index("Ørsta") < cells.index("Ål")
    quotes = [p.text for p in document.paragraphs if p.style.name == "Quote"]
    said = {s for _, _, _, s in interviews()}
    assert quotes and all(q.strip("«»") in said for q in quotes)
    # The codebook appendix lists the rules that coded; provenance has no absolute path.
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Regler: termer: praksisplass" in text
    assert "/tmp" not in " ".join(cells) and "bred.yaml" in " ".join(cells)
    assert document.styles["Quote"] is not None  # built-in styles, restyled in Word


def test_one_workbook_with_every_table(study, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    results, _ = study
    out = tmp_path / "alt.xlsx"
    result = _invoke("tables", str(results), "--all", "-o", str(out))
    assert result.exit_code == 0, result.output
    book = load_workbook(out)
    assert book.sheetnames == ["Materialet", "Kommune", "Informantgruppe",
                               "Kommune × Informantgruppe", "Funn (lang)", "Sitater", "Kodebok",
                               "Metning", "Proveniens"]  # fmt: skip
    sheet = book["Kommune"]
    assert sheet.freeze_panes == "C3"
    values = [c.value for c in sheet[1] if c.value]
    assert values[2:] == [*sorted_nb(municipalities()), "Alle"]
    assert [c.value for c in sheet[2][2:7]] == ["Andel", "n", "N", "95 % KI fra", "95 % KI til"]
    codebook = {row[0]: row for row in book["Kodebok"].iter_rows(values_only=True)}
    assert codebook["arbeid/jobb"][-1] == "termer: jobb"
    provenance = dict(book["Proveniens"].iter_rows(values_only=True))
    assert provenance["Kodebok bred"].startswith("bred.yaml · sha256 ")
    same = tmp_path / "rapport.xlsx"
    assert _invoke("report", str(results), "-o", str(same)).exit_code == 0
    assert load_workbook(same).sheetnames == book.sheetnames


def sorted_nb(values):
    from mimres_cli.findings import nb_sorted

    return nb_sorted(values)
