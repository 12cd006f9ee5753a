"""The HTML report is one self-contained file: no URL anywhere, tables and images inline."""

from __future__ import annotations

import base64
import re
from html.parser import HTMLParser

import pytest

from findings.hand_results import hand_result
from mimres_cli.render.charts import heatmap_png
from mimres_cli.render.html import ReportOptions, render_report


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data) -> None:
        self.text.append(data)


@pytest.fixture(scope="module")
def report() -> str:
    return render_report(hand_result(), generated="2026-01-02")


@pytest.fixture(scope="module")
def parsed(report: str) -> _Collect:
    collect = _Collect()
    collect.feed(report)
    return collect


def test_report_has_no_url_and_no_external_reference(report: str, parsed: _Collect) -> None:
    assert not re.search(r"(?i)\b(https?|ftp|file):", report)
    assert "//" not in re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", report)
    assert "url(" not in report and "@import" not in report
    for tag, attrs in parsed.tags:
        assert tag not in ("script", "link", "iframe", "object")
        if "src" in attrs:
            assert attrs["src"].startswith("data:image/png;base64,")
        if "href" in attrs:
            assert attrs["href"].startswith("#")


def test_report_embeds_decodable_png_images(parsed: _Collect) -> None:
    images = [attrs for tag, attrs in parsed.tags if tag == "img"]
    assert len(images) == 2  # the heatmaps and the saturation curve
    for attrs in images:
        png = base64.b64decode(attrs["src"].split(",", 1)[1])
        assert png.startswith(b"\x89PNG\r\n\x1a\n")
        assert attrs["alt"]


def test_report_holds_the_tables_quotes_codebook_and_provenance(report: str) -> None:
    assert report.startswith("<!DOCTYPE html>")
    assert '<html lang="nb">' in report and '<meta charset="utf-8">' in report
    # The overview: interviews per municipality × group with totals.
    assert "<td>Vågå</td>" in report
    # The findings table: arbeid reaches both interviews in Sel, 3 of 4 in all.
    assert "2/2 (100%)" in report and "3/4 (75%)" in report
    assert "Norskopplæring" in report and "Språk" in report  # æøå as text, not entities
    # A quote with its matched word marked, and who said it.
    assert "<mark>Boligen</mark> er for liten for familien." in report
    assert "i4 · Informant · Vågå · hjelpeapparat" in report
    # The codebook appendix and the provenance.
    assert "<code>sprak/norsk</code>" in report
    assert "ab" * 32 in report and "mimres_fallback_nb" in report and "2026-01-02" in report
    assert "@media print" in report


def test_report_is_reproducible_with_a_fixed_date(report: str) -> None:
    again = render_report(hand_result(), generated="2026-01-02")
    assert again == report


def test_report_title_and_options(report: str) -> None:
    other = render_report(
        hand_result(),
        ReportOptions(title="Integrering i Vågå & Sel", saturation_by=""),
        generated="2026-01-02",
    )
    assert "<title>Integrering i Vågå &amp; Sel</title>" in other
    assert other != report


def test_heatmap_png_is_deterministic() -> None:
    from mimres_cli.findings import crosstab

    result = hand_result()
    table = crosstab(result.segments, result.interviews, result.codes, "municipality")
    assert heatmap_png({"Kommune": table}) == heatmap_png({"Kommune": table})


def test_heatmap_marks_cells_of_fewer_than_5_interviews() -> None:
    # Sel and Vågå have 2 interviews each: every cell is small, so every percent carries the
    # dagger and a hatch; without the totals, no cell is marked.
    from matplotlib.patches import Rectangle

    from mimres_cli.findings import crosstab
    from mimres_cli.render.charts import heatmap_figure

    result = hand_result()
    shares = crosstab(result.segments, result.interviews, result.codes, "municipality")
    sizes = crosstab(result.segments, result.interviews, result.codes, "municipality",
                     "interviews")  # fmt: skip
    marked = heatmap_figure({"Kommune": shares}, {"Kommune": sizes}).axes[0]
    texts = [t.get_text() for t in marked.texts]
    # arbeid: Sel 2/2, Vågå 1/2; the All column is not drawn.
    assert texts[:2] == ["100%†", "50%†"]
    assert len(texts) == 2 * len(shares) and all(t.endswith("†") for t in texts)
    hatched = [p for p in marked.patches if isinstance(p, Rectangle) and p.get_hatch()]
    assert len(hatched) == len(texts)
    plain = heatmap_figure({"Kommune": shares}).axes[0]
    assert "†" not in "".join(t.get_text() for t in plain.texts)
    assert not [p for p in plain.patches if p.get_hatch()]


def test_report_heatmap_caption_carries_the_small_cell_footnote() -> None:
    from mimres_cli.render.html import SMALL_NOTE_NB, heatmap_figures

    result = hand_result()
    shares = {by: result.crosstab(by, "share") for by in ("municipality", "group")}
    sizes = {by: result.crosstab(by, "interviews") for by in ("municipality", "group")}
    (figure,) = heatmap_figures(shares, result.design, sizes)
    assert figure.caption.endswith(SMALL_NOTE_NB) and figure.columns == 5
    (unmarked,) = heatmap_figures(shares, result.design)
    assert SMALL_NOTE_NB not in unmarked.caption and unmarked.png != figure.png
    page = render_report(result, generated="2026-01-02")
    assert page.count(SMALL_NOTE_NB) >= 2  # under the heatmap and under the tables


def test_report_of_results_without_segments() -> None:
    empty = hand_result()
    empty = type(empty)(empty.segments.iloc[0:0], empty.units, empty.interviews, empty.codes,
                        empty.manifest)  # fmt: skip
    page = render_report(empty, generated="2026-01-02")
    assert "Ingen koder har treff i materialet." in page
    assert "0/4 (0%)" in page
