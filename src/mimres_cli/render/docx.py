"""The report as a Word document (.docx), with the HTML report's sections and numbers.

Built only on Word's built-in styles (Title, Heading 1–2, Normal, Quote, Caption, Table Grid),
so a researcher restyles the whole report by changing a style, or pastes it into the
institution's template. Headings are Norwegian (Bokmål), as in the HTML report.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from mimres_cli.coding.results import Results
from mimres_cli.display import provenance_items
from mimres_cli.files import write_files_atomic
from mimres_cli.findings import (
    corpus_overview,
    is_small,
    quotes,
    saturation,
)
from mimres_cli.findings.validation import Validation
from mimres_cli.render.charts import panel_slices, saturation_png
from mimres_cli.render.html import (
    NOT_VALIDATED,
    SMALL_NOTE_NB,
    ReportOptions,
    heading,
    heatmap_figures,
    noun,
    validation_rows,
    validation_text,
)
from mimres_cli.render.terminal import SMALL_MARK
from mimres_cli.safety import xlsx_text

#: Value columns per Word table (A4 portrait); a wider table is split into parts.
MAX_DOCX_COLUMNS = 5
#: Width of a figure on the page, in centimetres.
FIGURE_CM = 16.0
_DESCRIPTIONS = (
    ("definition", "Definisjon"),
    ("when_to_use", "Bruk når"),
    ("when_not_to_use", "Ikke bruk når"),
    ("example", "Eksempel"),
)
SECTIONS = (
    "Materialet",
    "Hvor god er kodingen?",
    "Hovedfunn",
    "Tabeller",
    "Sitater",
    "Metning",
    "Vedlegg A: Kodebok",
    "Vedlegg B: Proveniens",
)


def write_docx_report(
    results: Results,
    path: Path,
    options: ReportOptions | None = None,
    *,
    generated: str | None = None,
    validation: Validation | None = None,
) -> Path:
    """Write the report as a Word document at `path` (whole or not at all); `validation` as
    for `render.html.render_report`."""
    data = docx_report(results, options, generated=generated, base=path.parent,
                       validation=validation)  # fmt: skip
    write_files_atomic(path.parent, {path.name: lambda target: target.write_bytes(data)})
    return path


def docx_report(
    results: Results,
    options: ReportOptions | None = None,
    *,
    generated: str | None = None,
    base: Path | None = None,
    validation: Validation | None = None,
) -> bytes:
    """The report as the bytes of a .docx file (see the module doc for its styles)."""
    from docx import Document
    from docx.shared import Cm

    design = results.design
    options = (options or ReportOptions()).for_design(design)
    generated = generated or dt.datetime.now(dt.timezone.utc).date().isoformat()
    doc = Document()
    doc.core_properties.title = options.title
    doc.core_properties.language = "nb-NO"
    doc.add_paragraph(options.title, style="Title")
    interviews = results.interviews
    doc.add_paragraph(f"{len(interviews)} intervjuer · {generated}")

    rows, cols = design.attributes
    doc.add_heading(SECTIONS[0], level=1)
    overview = corpus_overview(interviews, rows, cols)
    header = [heading(design, rows), *map(str, overview.columns[1:-1]), "Sum"]
    body = [["Sum" if str(r[0]) == "All" else str(r[0]), *map(str, r[1:])]
            for r in overview.itertuples(index=False)]  # fmt: skip
    _caption(doc, f"Intervjuer per {noun(design, rows)} og {noun(design, cols)}")
    _table(doc, header, body, numeric_from=1)

    doc.add_heading(SECTIONS[1], level=1)
    if validation is None:
        doc.add_paragraph(NOT_VALIDATED).runs[0].bold = True
    else:
        doc.add_paragraph(validation_text(validation))
        header, rows = validation_rows(validation)
        _caption(doc, "Samsvar med menneskelig koding per tema")
        _table(doc, header, rows, numeric_from=1)

    columns = options.columns or ()
    shares = {by: results.crosstab(by, "share") for by in columns}
    sizes = {by: results.crosstab(by, "interviews") for by in columns}
    doc.add_heading(SECTIONS[2], level=1)
    doc.add_paragraph(
        "Andel intervjuer der koden forekommer minst én gang. Et tema teller et intervju når "
        "minst én av kodene under det forekommer. Koder uten treff er utelatt i figurene."
    )
    for figure in heatmap_figures(shares, design, sizes):
        doc.add_picture(io.BytesIO(figure.png), width=Cm(FIGURE_CM))
        _caption(doc, f"Figur: {figure.caption}")

    doc.add_heading(SECTIONS[3], level=1)
    doc.add_paragraph(
        "Hver celle viser intervjuer med koden av alle intervjuer i kolonnen (n/N) og andelen. "
        "Temaer står med fet skrift, kodene under dem er rykket inn."
    )
    for by, share in shares.items():
        coded = results.crosstab(by, "coded_interviews")
        totals = results.crosstab(by, "interviews")
        _share_tables(doc, f"Andel intervjuer per {noun(design, by)}", share, coded, totals)

    doc.add_heading(SECTIONS[4], level=1)
    by = options.quotes_by
    doc.add_paragraph(
        f"Ett utvalgt sitat per {noun(design, by or '')} for hvert tema, trukket reproduserbart "
        f"(frø {options.seed})."
    )
    codes = results.codes
    for theme in codes[codes["depth"] == 0].itertuples(index=False):
        found = quotes(results.segments, codes, str(theme.code), by=[by] if by else [],
                       n=options.quotes_per_cell, seed=options.seed,
                       max_chars=options.max_chars, design=design, raw=options.raw)  # fmt: skip
        if found.empty:
            continue
        doc.add_heading(_x(str(theme.label)), level=2)
        for record in found.to_dict(orient="records"):
            doc.add_paragraph(_x(f"«{record['quote']}»"), style="Quote")
            who = " · ".join(str(record[k]) for k in ("interview_id", "speaker",
                                                      *design.attributes))  # fmt: skip
            doc.add_paragraph(_x(who), style="Caption")

    doc.add_heading(SECTIONS[5], level=1)
    sat_by = options.saturation_by or None
    order = saturation(results.segments, interviews, order=options.saturation_order,
                       seed=options.seed, by=sat_by)  # fmt: skip
    doc.add_paragraph(
        "Hvor mange koder hvert nytt intervju tilfører som ingen tidligere intervjuer hadde. "
        "En flat kurve mot slutten tyder på at flere intervjuer gir lite nytt."
    )
    doc.add_picture(io.BytesIO(saturation_png(order, sat_by)), width=Cm(FIGURE_CM))
    _caption(doc, "Figur: Koder funnet, kumulativt, etter antall intervjuer.")
    new = order[order["new_codes"] > 0]
    sat_header = ([heading(design, sat_by)] if sat_by else []) + ["Nr.", "Intervju", "Nye koder",
                                                                  "Kumulativt"]  # fmt: skip
    sat_rows = [([str(r[sat_by])] if sat_by else []) + [str(r["position"]), str(r["interview_id"]),
                 str(r["new_codes"]), str(r["cumulative_codes"])]
                for r in new.to_dict(orient="records")]  # fmt: skip
    _caption(doc, "Intervjuer som tilførte nye koder")
    _table(doc, sat_header, sat_rows, numeric_from=2 if sat_by else 1)

    doc.add_heading(SECTIONS[6], level=1)
    rules = dict(options.rules)
    if not rules:
        doc.add_paragraph("Reglene er utelatt: kodebokfilen ligger ikke lenger der resultatene "
                          "sier, eller den er endret siden kodingen.")  # fmt: skip
    for record in codes.to_dict(orient="records"):
        level = 2 if int(record["depth"]) == 0 else 3
        doc.add_heading(_x(f"{record['label']} ({record['code']})"), level=level)
        for key, name in _DESCRIPTIONS:
            if str(record.get(key, "") or ""):
                _labelled(doc, name, str(record[key]))
        if rules.get(str(record["code"])):
            _labelled(doc, "Regler", rules[str(record["code"])])

    doc.add_heading(SECTIONS[7], level=1)
    items = provenance_items(results.manifest, generated, base, lambda a: heading(design, a))
    _table(doc, ["", ""], [[k, v] for k, v in items], header_row=False)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _share_tables(
    doc, title: str, share: pd.DataFrame, coded: pd.DataFrame, totals: pd.DataFrame
) -> None:
    values = [c for c in share.columns if c not in ("code", "label", "depth")]
    slices = panel_slices(len(values), MAX_DOCX_COLUMNS)
    small = False
    for n, part in enumerate(slices, start=1):
        chosen = values[part]
        header = ["Kode", *[("Alle" if v == "All" else str(v)) for v in chosen]]
        rows, bold = [], []
        for i, record in enumerate(share.to_dict(orient="records")):
            cells = ["    " * int(record["depth"]) + str(record["label"])]
            for value in chosen:
                k, m = int(coded.iloc[i][value]), int(totals.iloc[i][value])
                mark = SMALL_MARK if is_small(m) else ""
                small = small or bool(mark)
                cells.append(f"{k}/{m} ({k / m:.0%}){mark}" if m else "–")
            rows.append(cells)
            bold.append(int(record["depth"]) == 0)
        _caption(doc, title + (f" ({n}/{len(slices)})" if len(slices) > 1 else ""))
        _table(doc, header, rows, numeric_from=1, bold_rows=bold)
    if small:
        doc.add_paragraph(SMALL_NOTE_NB)


def _caption(doc, text: str) -> None:
    doc.add_paragraph(_x(text), style="Caption")


def _labelled(doc, name: str, text: str) -> None:
    paragraph = doc.add_paragraph()
    paragraph.add_run(f"{name}: ").bold = True
    paragraph.add_run(_x(text))


def _table(
    doc,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    numeric_from: int | None = None,
    bold_rows: Sequence[bool] = (),
    header_row: bool = True,
) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    table = doc.add_table(rows=0, cols=len(header), style="Table Grid")
    lines = ([list(header)] if header_row else []) + [list(r) for r in rows]
    for n, line in enumerate(lines):
        cells = table.add_row().cells
        is_head = header_row and n == 0
        bold = is_head or (n - header_row < len(bold_rows) and bold_rows[n - header_row])
        for k, text in enumerate(line):
            paragraph = cells[k].paragraphs[0]
            run = paragraph.add_run(_x(text))
            run.bold = bold
            if numeric_from is not None and k >= numeric_from:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if header_row:
        _repeat_header(table.rows[0])


def _repeat_header(row) -> None:
    """Mark the row as a header that Word repeats on every page of a long table."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    properties.append(repeat)


def _x(text: str) -> str:
    """Text from the data as Word's XML can hold it (control characters replaced)."""
    return xlsx_text(str(text))
