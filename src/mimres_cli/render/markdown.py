"""The report as Markdown: the same sections as the HTML report, for pandoc, Word or Quarto.

Charts are left out (a Markdown file would need them as separate files); the tables carry the
same numbers. Matched words in quotes are **bold**.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from mimres_cli.coding.results import Manifest, Results
from mimres_cli.display import provenance_items
from mimres_cli.findings import (
    cooccurrence,
    cooccurrence_codes,
    corpus_overview,
    match_spans,
    quotes,
    saturation,
    top_pairs,
)
from mimres_cli.findings.validation import Validation
from mimres_cli.render.html import (
    NOT_VALIDATED,
    SMALL_NOTE_NB,
    ReportOptions,
    heading,
    noun,
    validation_rows,
    validation_text,
)
from mimres_cli.render.terminal import SMALL_MARK, share_markdown


def render_markdown_report(
    results: Results,
    options: ReportOptions | None = None,
    *,
    generated: str | None = None,
    validation: Validation | None = None,
    base: Path | None = None,
) -> str:
    """The report as one Markdown document (see `render.html.render_report` for the sections)."""
    design = results.design
    options = (options or ReportOptions()).for_design(design)
    segments, interviews, codes = results.segments, results.interviews, results.codes
    generated = generated or dt.datetime.now(dt.timezone.utc).date().isoformat()
    parts = [f"# {options.title}\n", f"{len(interviews)} intervjuer · {generated}\n"]

    rows, cols = design.attributes
    overview = corpus_overview(interviews, rows, cols)
    overview = overview.rename(columns={"All": "Sum", rows: heading(design, rows)})
    first = overview.columns[0]
    overview[first] = overview[first].replace("All", "Sum")
    parts += ["## Materialet\n", markdown_table(overview) + "\n"]

    parts.append("## Hvor god er kodingen?\n")
    if validation is None:
        parts.append(f"**{NOT_VALIDATED}**\n")
    else:
        header, rows = validation_rows(validation)
        table = pd.DataFrame(rows, columns=header)
        parts += [validation_text(validation) + "\n", markdown_table(table) + "\n"]

    parts.append("## Tabeller\n")
    for by in options.columns or ():
        share = results.crosstab(by, "share")
        coded = results.crosstab(by, "coded_interviews")
        total = results.crosstab(by, "interviews")
        cells = share_markdown(share, coded, total).drop(columns=["code", "label"])
        table = pd.DataFrame({"Kode": _indented(share)})
        for value in cells.columns:
            table["Alle" if value == "All" else value] = cells[value].to_numpy()
        title = f"### Andel intervjuer per {noun(design, by)}\n"
        parts += [title, markdown_table(table, escape=False) + "\n"]
        if cells.apply(lambda column: column.str.endswith(SMALL_MARK)).to_numpy().any():
            parts.append(SMALL_NOTE_NB + "\n")

    parts.append("## Sitater\n")
    for theme in codes[codes["depth"] == 0].itertuples(index=False):
        by = [options.quotes_by] if options.quotes_by else []
        found = quotes(segments, codes, str(theme.code), by=by, n=options.quotes_per_cell,
                       seed=options.seed, max_chars=options.max_chars, design=design)  # fmt: skip
        if found.empty:
            continue
        parts.append(f"### {theme.label}\n")
        for record in found.to_dict(orient="records"):
            who = " · ".join(
                str(record[k]) for k in ("interview_id", "speaker", *design.attributes)
            )
            parts.append(f"> {_bold_matches(str(record['quote']), str(record['matched']))}\n>\n"
                         f"> — {_escape(who)}\n")  # fmt: skip

    themes = cooccurrence_codes(codes)
    pairs = top_pairs(cooccurrence(segments, themes), 10)
    if not pairs.empty:
        labels = dict(zip(themes["code"], themes["label"], strict=True))
        table = pd.DataFrame({"Tema": pairs["code"].map(labels),
                              "Tema ": pairs["other"].map(labels),
                              "Replikker": pairs["value"]})  # fmt: skip
        parts += ["## Temaer som opptrer sammen\n", markdown_table(table) + "\n"]

    steps = saturation(segments, interviews, order=options.saturation_order, seed=options.seed,
                       by=options.saturation_by or None)  # fmt: skip
    shown = steps.drop(columns="new").assign(
        cumulative_share=[f"{v:.0%}" for v in steps["cumulative_share"]]
    )
    parts += ["## Metning\n", markdown_table(shown) + "\n"]

    book = pd.DataFrame({"Kode": _indented(codes), "Sti": [f"`{c}`" for c in codes["code"]]})
    parts += ["## Vedlegg A: Kodebok\n", markdown_table(book, escape=False) + "\n"]
    parts += ["## Vedlegg B: Proveniens\n", _provenance(results.manifest, generated, base)]
    return "\n".join(parts)


def markdown_table(table: pd.DataFrame, *, escape: bool = True) -> str:
    """A GitHub-flavoured Markdown table, numbers right-aligned."""
    numeric = [pd.api.types.is_numeric_dtype(table[c]) for c in table.columns]
    fix = _escape if escape else str
    lines = ["| " + " | ".join(_escape(str(c)) for c in table.columns) + " |",
             "| " + " | ".join("---:" if n else "---" for n in numeric) + " |"]  # fmt: skip
    for row in table.itertuples(index=False):
        lines.append("| " + " | ".join(fix(str(v)) for v in row) + " |")
    return "\n".join(lines)


def _indented(codes: pd.DataFrame) -> list[str]:
    return [
        # No-break spaces: Markdown keeps them, so codes stay indented under their theme.
        f"**{_escape(str(label))}**"
        if int(depth) == 0
        else f"\u00a0\u00a0\u00a0{_escape(str(label))}"
        for label, depth in zip(codes["label"], codes["depth"], strict=True)
    ]


def _bold_matches(text: str, matched: str) -> str:
    out, last = [], 0
    for start, end in match_spans(text, matched):
        out += [_escape(text[last:start]), f"**{_escape(text[start:end])}**"]
        last = end
    out.append(_escape(text[last:]))
    return "".join(out)


def _provenance(manifest: Manifest, generated: str, base: Path | None) -> str:
    lines = provenance_items(manifest, generated, base)
    return "".join(f"- **{k}:** {_escape(v)}\n" for k, v in lines)


def _escape(text: str, chars: Sequence[str] = ("\\", "|", "*", "_", "`", "<", ">", "[")) -> str:
    for char in chars:
        text = text.replace(char, "\\" + char)
    return text.replace("\n", " ")
