"""The Markdown report: the same sections and numbers as the HTML one, matches in bold."""

from __future__ import annotations

from findings.hand_results import hand_result
from mimres_cli.render.markdown import markdown_table, render_markdown_report


def test_markdown_report_has_the_sections_and_numbers() -> None:
    text = render_markdown_report(hand_result(), generated="2026-01-02")
    assert text.startswith("# Funn fra intervjuene\n")
    assert "| Kommune | arbeidsgiver | flyktning | hjelpeapparat | Sum |" in text
    assert "| Sum | 1 | 2 | 1 | 4 |" in text
    # Cells of fewer than 5 interviews carry † and the table a footnote.
    assert "| **Arbeid og praksis** | 2/2 (100%)† | 1/2 (50%)† | 3/4 (75%)† |" in text
    assert "† Færre enn 5 intervjuer i cellen" in text
    assert "> **Boligen** er for liten for familien." in text
    assert "> — i4 · Informant · Vågå · hjelpeapparat" in text
    assert "| **Språk** | `sprak` |" in text
    assert "- **Kodet:** 2026-01-02T03:04:05+00:00" in text
    assert "http" not in text


def test_markdown_table_escapes_pipes_and_aligns_numbers() -> None:
    import pandas as pd

    table = pd.DataFrame({"tekst": ["a|b", "c"], "n": [1, 22]})
    assert markdown_table(table).splitlines() == [
        "| tekst | n |", "| --- | ---: |", "| a\\|b | 1 |", "| c | 22 |",
    ]  # fmt: skip
