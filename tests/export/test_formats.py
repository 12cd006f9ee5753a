"""Every table format round-trips the same numbers, and XLSX is laid out for people."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from mimres_cli.errors import OutputError
from mimres_cli.export.formats import (
    SIDECAR_SUFFIX,
    format_from_suffix,
    markdown_table,
    provenance_fields,
    provenance_line,
    write_table,
    write_tables,
)


def _share_table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "code": ["arbeid", "arbeid/praksis", "sprak"],
            "label": ["Arbeid og praksis", "Praksisplass", "Språkopplæring, æøå"],
            "depth": [0, 1, 0],
            "Sel": [1.0, 0.8333, 0.5],
            "Vågå": [0.5, 0.0, 0.1667],
            "All": [0.75, 0.4167, 0.3333],
        }
    )


def _count_table() -> pd.DataFrame:
    return pd.DataFrame({"group": ["flyktning", "arbeidsgiver"], "matches": [12, 3]})


SHARES = ["Sel", "Vågå", "All"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [("t.csv", "csv"), ("t.TSV", "tsv"), ("t.json", "json"), ("t.md", "markdown"),
     ("t.xlsx", "xlsx"), ("t.txt", "table")],
)  # fmt: skip
def test_format_from_suffix(name: str, expected: str) -> None:
    assert format_from_suffix(Path(name)) == expected
    assert format_from_suffix(Path(name), "json") == "json"  # --format wins


def test_format_from_suffix_defaults_and_errors() -> None:
    assert format_from_suffix(None) == "table"
    with pytest.raises(OutputError, match=r"'t\.docx'.*suffix '\.docx'.*--format"):
        format_from_suffix(Path("t.docx"))


def test_csv_and_tsv_round_trip(tmp_path: Path) -> None:
    table = _share_table()
    for fmt, sep in (("csv", ","), ("tsv", "\t")):
        path = tmp_path / f"t.{fmt}"
        write_table(table, output=path, percent_columns=SHARES)
        back = pd.read_csv(path, sep=sep)
        pd.testing.assert_frame_equal(back, table)


def test_json_round_trip_keeps_numbers_and_letters(tmp_path: Path) -> None:
    table = _share_table()
    path = tmp_path / "t.json"
    write_table(table, output=path)
    text = path.read_text(encoding="utf-8")
    assert "Språkopplæring, æøå" in text  # not \u-escaped
    data = json.loads(text)
    assert list(data) == ["provenance", "rows"]
    assert data["provenance"] is None  # none given
    pd.testing.assert_frame_equal(pd.DataFrame(data["rows"]), table)


def test_xlsx_round_trip_with_header_frozen_percentages_and_widths(tmp_path: Path) -> None:
    table = _share_table()
    path = tmp_path / "t.xlsx"
    write_tables({"municipality": table, "by group": _count_table()}, output=path,
                 percent_columns=SHARES)  # fmt: skip
    book = load_workbook(path)
    assert book.sheetnames == ["municipality", "by group"]
    sheet = book["municipality"]
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold
    assert sheet["D2"].number_format == "0%"
    assert sheet["C2"].number_format == "General"
    assert sheet.column_dimensions["B"].width >= len("Språkopplæring, æøå")
    back = pd.read_excel(path, sheet_name=None)
    pd.testing.assert_frame_equal(back["municipality"], table)
    pd.testing.assert_frame_equal(back["by group"], _count_table())


def test_several_tables_in_json_csv_and_markdown() -> None:
    tables = {"municipality": _share_table(), "counts": _count_table()}
    stream = io.StringIO()
    write_tables(tables, "json", stream=stream)
    data = json.loads(stream.getvalue())["tables"]
    assert list(data) == ["municipality", "counts"]
    assert data["counts"] == [{"group": "flyktning", "matches": 12},
                              {"group": "arbeidsgiver", "matches": 3}]  # fmt: skip
    stream = io.StringIO()
    write_tables(tables, "csv", stream=stream)
    back = pd.read_csv(io.StringIO(stream.getvalue()))
    assert back.columns[0] == "table"
    assert back.groupby("table").size().to_dict() == {"counts": 2, "municipality": 3}
    assert back.loc[back["table"] == "counts", "matches"].tolist() == [12, 3]
    stream = io.StringIO()
    write_tables(tables, "markdown", titles={"counts": "Treff"}, stream=stream)
    text = stream.getvalue()
    assert "## municipality" in text and "## Treff" in text


def test_markdown_shows_shares_as_percentages() -> None:
    text = markdown_table(_share_table(), percent_columns=SHARES)
    lines = text.splitlines()
    assert lines[0] == "| code | label | depth | Sel | Vågå | All |"
    assert lines[1] == "| --- | --- | ---: | ---: | ---: | ---: |"
    assert lines[3] == "| arbeid/praksis | Praksisplass | 1 | 83% | 0% | 42% |"


def test_table_format_to_a_file_is_plain_text(tmp_path: Path) -> None:
    path = tmp_path / "t.txt"
    write_table(_share_table(), output=path, title="Andel", percent_columns=SHARES)
    text = path.read_text(encoding="utf-8")
    assert "Andel" in text and "Språkopplæring, æøå" in text and "83%" in text
    assert "\x1b[" not in text  # no terminal colour codes in a file


def test_xlsx_needs_an_output_file(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match=r"--output FILE\.xlsx"):
        write_table(_share_table(), "xlsx")
    assert list(tmp_path.iterdir()) == []


# A results folder's manifest.json, as `mimres run --out` writes it (trimmed).
MANIFEST = {
    "tool": {"name": "mimres-cli", "version": "0.1.0"},
    "python": "3.11.9",
    "pipeline": {"name": "nb_core_news_sm", "version": "3.8.0", "spacy": "3.8.2",
                 "fallback": False, "components": ["tok2vec", "morphologizer"]},
    "codebooks": [{"name": "integrering", "path": "codebooks/integrering.yaml",
                   "sha256": "0123456789ab" + "cd" * 26}],
    "started": "2026-11-27T07:00:00+00:00",
}  # fmt: skip
FIELDS = {
    "tool": "mimres-cli",
    "tool_version": "0.1.0",
    "pipeline": "nb_core_news_sm",
    "pipeline_version": "3.8.0",
    "fallback": False,
    "spacy": "3.8.2",
    "codebooks": [{"name": "integrering", "sha256": "0123456789ab" + "cd" * 26}],
    "created": "2026-11-27T07:00:00+00:00",
}


def test_provenance_fields_and_line_from_a_manifest() -> None:
    assert provenance_fields(MANIFEST) == FIELDS
    assert provenance_line(FIELDS) == (
        "pipeline nb_core_news_sm 3.8.0 (spaCy 3.8.2), mimres-cli 0.1.0, "
        "codebook integrering sha256 0123456789ab, coded 2026-11-27T07:00:00+00:00"
    )


def test_provenance_in_json_for_one_and_several_tables() -> None:
    stream = io.StringIO()
    write_table(_count_table(), "json", stream=stream, provenance=MANIFEST)
    data = json.loads(stream.getvalue())
    assert data["provenance"] == FIELDS
    assert data["rows"][0] == {"group": "flyktning", "matches": 12}
    stream = io.StringIO()
    write_tables({"a": _count_table(), "b": _count_table()}, "json", stream=stream,
                 provenance=MANIFEST)  # fmt: skip
    data = json.loads(stream.getvalue())
    assert list(data) == ["provenance", "tables"]
    assert data["provenance"]["pipeline"] == "nb_core_news_sm"


def test_provenance_in_an_xlsx_sheet(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    write_table(_count_table(), output=path, sheet_name="words", provenance=MANIFEST)
    book = load_workbook(path)
    assert book.sheetnames == ["words", "provenance"]
    rows = dict(book["provenance"].iter_rows(min_row=2, values_only=True))
    assert rows["pipeline"] == "nb_core_news_sm"
    assert rows["pipeline_version"] == "3.8.0"
    assert rows["codebook integrering"] == "0123456789ab" + "cd" * 26
    assert pd.read_excel(path, sheet_name="words").equals(_count_table())


def test_provenance_as_a_markdown_footer_and_a_table_footer() -> None:
    for fmt, start in (("markdown", "_Provenance: pipeline"), ("table", "Provenance: pipeline")):
        stream = io.StringIO()
        write_table(_count_table(), fmt, stream=stream, provenance=MANIFEST)
        text = stream.getvalue()
        footer = text[text.rindex(start) :]  # the last thing written, wrapped at spaces
        assert footer.startswith(f"{start} nb_core_news_sm 3.8.0"), fmt
        assert "│" not in footer and "┘" not in footer


@pytest.mark.parametrize(("fmt", "sep"), [("csv", ","), ("tsv", "\t")])
def test_provenance_of_csv_and_tsv_files_in_a_sidecar(tmp_path: Path, fmt: str, sep: str) -> None:
    path = tmp_path / f"t.{fmt}"
    write_table(_count_table(), output=path, provenance=MANIFEST)
    pd.testing.assert_frame_equal(pd.read_csv(path, sep=sep), _count_table())  # pure data
    sidecar = tmp_path / f"t.{fmt}{SIDECAR_SUFFIX}"
    assert json.loads(sidecar.read_text(encoding="utf-8")) == FIELDS
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name, sidecar.name]


def test_csv_on_a_stream_stays_pure_data() -> None:
    stream = io.StringIO()
    write_table(_count_table(), "csv", stream=stream, provenance=MANIFEST)
    assert stream.getvalue() == "group,matches\nflyktning,12\narbeidsgiver,3\n"


def test_one_vocabulary_gives_the_writers_the_suffixes_and_the_cli_choices() -> None:
    from typing import get_args

    from mimres_cli.cli._options import FormatChoice, UnitChoice
    from mimres_cli.export.formats import FORMATS, SUFFIXES, WRITERS
    from mimres_cli.export.tokens import TOKEN_WRITERS
    from mimres_cli.vocabulary import TableFormat, TokenFormat, UnitKind

    assert tuple(WRITERS) == FORMATS == get_args(TableFormat)
    assert [c.value for c in FormatChoice] == list(FORMATS)
    assert [c.value for c in UnitChoice] == list(get_args(UnitKind)) == ["turn", "sentence"]
    assert SUFFIXES[".md"] == "markdown" and SUFFIXES[".tab"] == "tsv"
    assert tuple(TOKEN_WRITERS) == get_args(TokenFormat)
    assert format_from_suffix(Path("t.ndjson"), writers=TOKEN_WRITERS, default="csv") == "jsonl"
    assert format_from_suffix(None, writers=TOKEN_WRITERS, default="csv") == "csv"
    with pytest.raises(OutputError, match=r"suffix '\.xlsx'.*\.conll, \.conllu, \.csv"):
        format_from_suffix(Path("t.xlsx"), writers=TOKEN_WRITERS, default="csv")
