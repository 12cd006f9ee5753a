"""Terminal tables: cells say 'coded/total (share)', matched words are marked without colour."""

from __future__ import annotations

import pytest
from rich.console import Console

from findings.hand_results import hand_result
from mimres_cli.findings import tables
from mimres_cli.render import crosstab_table, highlighted, quotes_table


def _text(renderable) -> str:
    console = Console(width=120, record=True, color_system=None)
    console.print(renderable)
    return console.export_text()


def test_crosstab_table_matches_counts_by_code_whatever_the_row_order() -> None:
    result = hand_result()
    args = (result.segments, result.interviews, result.codes, ["municipality"])
    share = tables(*args, sort="total")["municipality"]
    coded = tables(*args, measure="coded_interviews")["municipality"]  # codebook order
    totals = tables(*args, measure="interviews")["municipality"]
    text = _text(crosstab_table(share, "Andel", "share", coded, totals))
    lines = [line for line in text.splitlines() if "│" in line]
    assert "Arbeid og praksis" in lines[0] and "3/4 (75%)" in lines[0]
    bolig = next(line for line in lines if "Bolig" in line)
    assert "0/2 (0%)" in bolig and "1/2 (50%)" in bolig and "1/4 (25%)" in bolig


def test_highlighted_marks_spans_bold_and_underlined() -> None:
    text = highlighted("Jeg fikk jobben.", [(9, 15)])
    assert [(span.start, span.end, str(span.style)) for span in text.spans] == [
        (9, 15, "bold underline")
    ]


def test_quotes_table_shows_cell_interview_speaker_and_quote() -> None:
    from mimres_cli.findings import quotes

    result = hand_result()
    found = quotes(result.segments, result.codes, "bolig", by=["group"])
    text = _text(quotes_table(found, "Sitater", ["group"]))
    assert "hjelpeapparat" in text and "i4" in text and "Informant" in text
    assert "Boligen er for liten for familien." in text


@pytest.mark.parametrize("width", [30, 44, 60, 120])
def test_crosstab_never_cuts_a_number_at_any_width(width: int) -> None:
    result = hand_result()
    args = (result.segments, result.interviews, result.codes, ["municipality"])
    share, coded, totals = (tables(*args, measure=m)["municipality"]
                            for m in ("share", "coded_interviews", "interviews"))  # fmt: skip
    console = Console(width=width, record=True, color_system=None)
    console.print(crosstab_table(share, "Andel", "share", coded, totals, where="x.xlsx"))
    text = console.export_text()
    assert max(len(line) for line in text.splitlines()) <= width
    for cell in ("3/4 (75%)", "2/2 (100%)†", "0/2 (0%)†", "1/4 (25%)"):
        assert cell in text  # whole, on one line
    assert "Sel" in text and "Vågå" in text and "…" not in text


def test_kwic_at_80_columns_keeps_long_interview_ids_whole() -> None:
    import pandas as pd

    from mimres_cli.render import kwic_table

    long_id = "nordre_land_hjelpeapparat_intervju_02"  # longer than any column cap
    hits = pd.DataFrame(
        {
            "interview_id": [long_id, "sel_01"],
            "left": ["og så fikk jeg " * 5] * 2,
            "match": ["praksisplass", "jobb"],
            "right": [" på hotellet" * 6] * 2,
        }
    )
    console = Console(width=80, record=True, color_system=None)
    console.print(kwic_table(hits, "KWIC", width=80))
    text = console.export_text()
    assert long_id in text and "praksisplass" in text
    assert max(len(line) for line in text.splitlines()) <= 80


def test_pages_repeat_every_key_column() -> None:
    # A table identified by two columns (group and lemma, as words --keyness) split into parts:
    # each part repeats both, so every number stays beside the lemma it belongs to.
    from mimres_cli.tabletext import Column, Grid, fit

    keys = [Column("group", ["flyktning", "arbeidsgiver"]), Column("lemma", ["bo", "privat"])]
    numbers = [Column(f"value_{n}", [f"{n}1.5", f"{n}2.25"], justify="right") for n in range(8)]
    fitted = fit(Grid("keyness", [*keys, *numbers], keys=2), 60)
    assert fitted.layout == "pages" and len(fitted.tables) > 1
    seen: list[str] = []
    for table in fitted.tables:
        headers = [str(column.header) for column in table.columns]
        assert headers[:2] == ["group", "lemma"]
        assert list(table.columns[1].cells) == ["bo", "privat"]
        seen += headers[2:]
    assert seen == [f"value_{n}" for n in range(8)]  # every value column exactly once
    console = Console(width=60, record=True, color_system=None)
    for table in fitted.tables:
        console.print(table)
    assert max(len(line) for line in console.export_text().splitlines()) <= 60


def test_terminal_and_text_writer_share_one_grid_of_a_frame() -> None:
    # plain_table (terminal) and the plain-text writer both build on tabletext.frame_grid:
    # the leading text columns are the keys, floats keep 4 decimals (never 4 significant
    # digits: 1234.5678 stays whole), an infinite odds ratio prints as ∞, missing as "".
    import pandas as pd

    from mimres_cli.render.terminal import plain_table
    from mimres_cli.tabletext import frame_grid

    frame = pd.DataFrame({"group": ["a", "b"], "lemma": ["bo", "jobb"],
                          "g2": [1234.5678, float("inf")], "share": [0.5, None]})  # fmt: skip
    grid = frame_grid(frame, "t", percent_columns=["share"])
    assert grid.keys == 2
    assert [list(c.cells) for c in grid.columns[2:]] == [["1234.5678", "∞"], ["50%", ""]]
    assert plain_table(frame, "t", ("share",)).grid == grid
