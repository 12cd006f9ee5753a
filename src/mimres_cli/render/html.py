"""The HTML report: one self-contained file (inline CSS, charts as base64 PNG, no URLs at all).

Written for the people a study reports to, so the report's own words are Norwegian (Bokmål);
codes, ids and numbers come from the results folder unchanged.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from mimres_cli.coding.results import Manifest, Results
from mimres_cli.design import Design
from mimres_cli.display import provenance_items
from mimres_cli.findings import (
    SMALL_CELL,
    cooccurrence,
    cooccurrence_codes,
    corpus_overview,
    is_small,
    match_spans,
    nb_sorted,
    quotes,
    saturation,
    top_pairs,
)
from mimres_cli.render.charts import (
    MAX_PANEL_COLUMNS,
    data_uri,
    heatmap_png,
    panel_slices,
    saturation_png,
)
from mimres_cli.render.terminal import SMALL_MARK

if TYPE_CHECKING:
    from mimres_cli.findings.validation import Validation


@dataclass(frozen=True)
class ReportOptions:
    """What the report shows; the defaults make the report of the results' design.

    `quotes_by` and `saturation_by` None mean the design's second attribute, "" no grouping;
    `columns` None means one table per attribute of the design.
    """

    title: str = "Funn fra intervjuene"
    quotes_by: str | None = None  # one quote per value of this attribute, per theme
    quotes_per_cell: int = 1
    max_chars: int = 320
    seed: int = 0
    saturation_order: str = "file"
    saturation_by: str | None = None
    columns: tuple[str, ...] | None = None
    raw: bool = False  # quotes as transcribed (default: report-ready, see findings.clean_quote)
    rules: tuple[tuple[str, str], ...] = ()  # (code path, its rules as text) for the appendix

    def for_design(self, design: Design) -> ReportOptions:
        """These options with what was left to the design filled in."""
        return replace(
            self,
            quotes_by=design.columns if self.quotes_by is None else self.quotes_by,
            saturation_by=design.columns if self.saturation_by is None else self.saturation_by,
            columns=design.attributes if self.columns is None else self.columns,
        )


def noun(design: Design, attribute: str) -> str:
    """The attribute's display name inside a sentence ("per kommune")."""
    label = design.label(attribute)
    return label[:1].lower() + label[1:] if label[1:].islower() else label


def heading(design: Design, attribute: str) -> str:
    """The attribute's display name as a column heading ("Kommune")."""
    label = design.label(attribute)
    return label[:1].upper() + label[1:]


def render_report(
    results: Results,
    options: ReportOptions | None = None,
    *,
    generated: str | None = None,
    validation: Validation | None = None,
    base: Path | None = None,
) -> str:
    """The whole report as one HTML document (UTF-8 text).

    `generated` is the date printed as the report's own (default: today, UTC), so tests and
    rebuilds can fix it. `validation` is the agreement with human codings kept in the results
    folder (`coding.validation.kept_validation`); without it the report says that the coding
    has not been checked against a human reading. Paths in the provenance are shown relative
    to `base` (the report's folder) or the current folder, else by file name.
    """
    design, manifest = results.design, results.manifest
    options = (options or ReportOptions()).for_design(design)
    segments, interviews, codes = results.segments, results.interviews, results.codes
    generated = generated or dt.datetime.now(dt.timezone.utc).date().isoformat()
    columns = options.columns or ()
    shares = {by: results.crosstab(by, "share") for by in columns}
    coded = {by: results.crosstab(by, "coded_interviews") for by in columns}
    totals = {by: results.crosstab(by, "interviews") for by in columns}
    sections = [
        ("materialet", "Materialet", _overview(interviews, design)),
        ("kvalitet", "Hvor god er kodingen?", _validation(validation)),
        ("hovedfunn", "Hovedfunn", _heatmaps(shares, design, totals)),
        ("tabeller", "Tabeller", _tables(shares, coded, totals, design)),
        ("sitater", "Sitater", _quotes(segments, codes, options, design)),
        ("samforekomst", "Temaer som opptrer sammen", _pairs(segments, codes)),
        ("metning", "Metning", _saturation(segments, interviews, options, design)),
        ("kodebok", "Vedlegg A: Kodebok", _codebook(codes, dict(options.rules))),
        ("proveniens", "Vedlegg B: Proveniens", _provenance(manifest, generated, base, design)),
    ]
    toc = "".join(f'<li><a href="#{key}">{_e(title)}</a></li>' for key, title, _ in sections)
    body = "".join(
        f'<section id="{key}"><h2>{_e(title)}</h2>{content}</section>'
        for key, title, content in sections
    )
    lede = _lede(interviews, manifest, generated, design)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="nb">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(options.title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        f'<header><h1>{_e(options.title)}</h1><p class="lede">{lede}</p></header>\n'
        f'<nav aria-label="Innhold"><h2>Innhold</h2><ol>{toc}</ol></nav>\n'
        f"<main>{body}</main>\n"
        f"<footer>Laget med mimres-cli {_e(manifest.tool_version)} · {_e(generated)}. "
        "Treffene er automatiske forslag fra kodeboken; tolkningen er forskerens.</footer>\n"
        "</body>\n</html>\n"
    )


def _overview(interviews: pd.DataFrame, design: Design) -> str:
    rows, cols = design.attributes
    table = corpus_overview(interviews, rows, cols)
    words = int(pd.to_numeric(interviews["informant_words"]).sum())
    turns = int(pd.to_numeric(interviews["informant_turns"]).sum())
    header = [heading(design, rows), *map(str, table.columns[1:])]
    header[-1] = "Sum"
    body_rows = []
    for record in table.itertuples(index=False):
        cells = [str(v) for v in record]
        if cells[0] == "All":
            cells[0] = "Sum"
        body_rows.append(cells)
    return (
        f"<p>Tabellen viser antall intervjuer per {_e(noun(design, rows))} og "
        f"{_e(noun(design, cols))}. Informantene sa til sammen "
        f"{_number(words)} ord i {_number(turns)} replikker.</p>"
        + _html_table(
            header, body_rows, numeric_from=1, total_last=True, caption="Intervjuer i materialet"
        )
    )


#: What the report says when no human codings were kept in the results folder.
NOT_VALIDATED = (
    "Kodingen er ikke validert mot en menneskelig lesning. Tallene i rapporten bygger på "
    "automatisk koding med kodeboken alene, og ingen har sjekket hvor ofte den treffer det en "
    "forsker ville kodet. Kod noen intervjuer selv i et QDA-verktøy (mimres export project), "
    "les kodingene inn med 'mimres import codings FIL --results MAPPE --save' og lag rapporten "
    "på nytt: da viser denne delen samsvaret per tema."
)


def validation_text(validation: Validation) -> str:
    """The paragraph above the per-theme agreement table (plain text)."""
    overall = validation.table.iloc[-1]
    n, coders = len(validation.interviews), _join_nb(list(validation.coders))
    return (
        f"Kodingen er sammenlignet med en menneskelig lesning: {coders} kodet {n} "
        f"{'intervju' if n == 1 else 'intervjuer'} ({_number(int(overall['units']))} "
        "informantytringer). Samlet samsvar over ytring × tema er Krippendorffs "
        f"α = {_measure(overall['alpha'])} (presisjon {_measure(overall['precision'])}, dekning "
        f"{_measure(overall['recall'])}). Presisjon er andelen av mimres' treff som også er "
        "kodet av mennesket; dekning er andelen av menneskets kodinger som mimres fant. Temaer "
        "uten treff hos noen av dem er utelatt."
    )


def validation_rows(validation: Validation) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the per-theme agreement table: themes either side used, then Samlet."""
    table = validation.table
    used = table.iloc[:-1]
    used = used[(used["coded_mimres"] + used["coded_human"]) > 0]
    header = ["Tema", "mimres", "Menneske", "Begge", "Presisjon", "Dekning", "F1", "κ", "α"]
    rows = [
        [str(r.label), str(r.coded_mimres), str(r.coded_human), str(r.both),
         *(_measure(v) for v in (r.precision, r.recall, r.f1, r.kappa, r.alpha))]
        for r in pd.concat([used, table.iloc[-1:]]).itertuples(index=False)
    ]  # fmt: skip
    return header, rows


def _validation(validation: Validation | None) -> str:
    if validation is None:
        return f'<p class="warning"><strong>{_e(NOT_VALIDATED)}</strong></p>'
    header, rows = validation_rows(validation)
    table = _html_table(header, rows, numeric_from=1, total_last=True,
                        caption="Samsvar med menneskelig koding per tema")  # fmt: skip
    return f"<p>{_e(validation_text(validation))}</p>{table}"


def _measure(value: float) -> str:
    return "–" if pd.isna(value) else f"{float(value):.2f}".replace(".", ",")


@dataclass(frozen=True)
class HeatmapFigure:
    """One heatmap image of the report: what it shows and how many rows and value columns."""

    png: bytes
    alt: str
    caption: str
    rows: int
    columns: int


def heatmap_figures(
    shares: Mapping[str, pd.DataFrame],
    design: Design,
    totals: Mapping[str, pd.DataFrame] | None = None,
) -> list[HeatmapFigure]:
    """The report's heatmaps of share tables (one per attribute, `crosstab`s): codes without a
    hit left out; a small design in one figure side by side, a wide one in panels of at most
    MAX_PANEL_COLUMNS values each (every cell the same readable size). With `totals` (the
    `interviews` crosstabs), cells of fewer than SMALL_CELL interviews are marked in the image
    (SMALL_MARK and a hatch) and the caption ends with the footnote."""
    shown = (shares[next(iter(shares))]["All"] > 0).to_numpy()
    if not shown.any():
        return []
    kept = {by: table[shown].reset_index(drop=True) for by, table in shares.items()}
    sizes = {by: table[shown].reset_index(drop=True) for by, table in (totals or {}).items()}
    columns = {by: _values(table)[:-1] for by, table in kept.items()}  # without All
    rows = len(kept[next(iter(kept))])
    # Each figure: its panels (title → attribute and value columns), alt text and caption.
    if sum(len(values) for values in columns.values()) <= MAX_PANEL_COLUMNS:  # side by side
        names = " og ".join(noun(design, by) for by in kept)
        plan = [({heading(design, by): (by, columns[by]) for by in kept}, f"per kode og {names}",
                 f"Andel intervjuer med koden, per {names}.")]  # fmt: skip
    else:
        plan = []
        for by, values in columns.items():
            slices = panel_slices(len(values))
            for n, part in enumerate(slices, start=1):
                chosen = values[part]
                label = heading(design, by)
                if len(slices) > 1:
                    label += f" ({n}/{len(slices)}: {chosen[0]} – {chosen[-1]})"
                plan.append(({label: (by, chosen)}, f"per kode og {noun(design, by)}",
                             f"Andel intervjuer med koden, {label}."))  # fmt: skip
    figures = []
    for panels, alt, caption in plan:
        shown_panels = {
            t: kept[by][["code", "label", "depth", *vs]] for t, (by, vs) in panels.items()
        }
        counts = None
        if all(by in sizes for by, _ in panels.values()):
            counts = {t: sizes[by][["code", "label", "depth", *vs]]
                      for t, (by, vs) in panels.items()}  # fmt: skip
        small = counts is not None and any(
            is_small(int(n)) for t in counts.values() for n in t[_values(t)].to_numpy().ravel()
        )
        width = sum(len(vs) for _, vs in panels.values())
        figures.append(HeatmapFigure(heatmap_png(shown_panels, counts), alt,
                                     caption + (f" {SMALL_NOTE_NB}" if small else ""), rows,
                                     width))  # fmt: skip
    return figures


def _heatmaps(
    shares: Mapping[str, pd.DataFrame], design: Design, totals: Mapping[str, pd.DataFrame]
) -> str:
    parts = [
        "<p>Andel intervjuer der koden forekommer minst én gang, per "
        + " og per ".join(_e(noun(design, by)) for by in shares)
        + ". Et tema teller et intervju når minst én av kodene under det forekommer. "
        "Koder uten treff er utelatt i figurene, men står i tabellene.</p>"
    ]
    figures = heatmap_figures(shares, design, totals)
    if not figures:
        parts.append("<p>Ingen koder har treff i materialet.</p>")
    for f in figures:
        parts.append(_figure(f.png, f.alt, f.caption, f.rows, f.columns))
    return "".join(parts)


def _figure(png: bytes, alt: str, caption: str, rows: int, columns: int) -> str:
    return (
        f'<figure class="heatmap" data-rows="{rows}" data-columns="{columns}">'
        f'<img src="{data_uri(png)}" alt="Varmekart: andel intervjuer {_e(alt)}">'
        f"<figcaption>{_e(caption)}</figcaption></figure>"
    )


def _values(table: pd.DataFrame) -> list[str]:
    return [c for c in table.columns if c not in ("code", "label", "depth")]


#: Most value columns in one HTML table; a wider table is split into parts that repeat the codes.
MAX_TABLE_COLUMNS = 12
SMALL_NOTE_NB = (
    f"{SMALL_MARK} Færre enn {SMALL_CELL} intervjuer i cellen: ett intervju mer eller mindre "
    "flytter andelen 20 prosentpoeng eller mer."
)


def _tables(
    shares: Mapping[str, pd.DataFrame],
    coded: Mapping[str, pd.DataFrame],
    totals: Mapping[str, pd.DataFrame],
    design: Design,
) -> str:
    parts = [
        "<p>Hver celle viser intervjuer med koden av alle intervjuer i kolonnen, og andelen. "
        "Temaer står med fet skrift, kodene under dem er rykket inn.</p>"
    ]
    for by, share in shares.items():
        values = _values(share)
        chunks = [
            values[k : k + MAX_TABLE_COLUMNS] for k in range(0, len(values), MAX_TABLE_COLUMNS)
        ]
        caption = f"Andel intervjuer per {noun(design, by)}"
        parts.append(f"<h3>{_e(caption)}</h3>")
        if len(chunks) > 1:
            parts.append(f"<p>Tabellen har {len(values) - 1} kolonner og er delt i "
                         f"{len(chunks)} deler; hver del gjentar kodene.</p>")  # fmt: skip
        small = False
        for n, chunk in enumerate(chunks, start=1):
            header = ["Kode", *[("Alle" if v == "All" else v) for v in chunk]]
            rows, classes = [], []
            for i, record in enumerate(share.itertuples(index=False)):
                cells = [_e(str(record.label))]
                for value in chunk:
                    fraction = float(share.iloc[i][value])
                    k, m = int(coded[by].iloc[i][value]), int(totals[by].iloc[i][value])
                    mark = ""
                    if is_small(m):
                        small = True
                        mark = f'<sup class="small" title="færre enn {SMALL_CELL} intervjuer">' \
                               f"{SMALL_MARK}</sup>"  # fmt: skip
                    cells.append(f'<span class="cell" style="--share:{fraction:.3f}">'
                                 f"{k}/{m} ({fraction:.0%}){mark}</span>")  # fmt: skip
                rows.append(cells)
                classes.append("theme" if int(record.depth) == 0 else "code")
            label = caption + (f" ({n}/{len(chunks)})" if len(chunks) > 1 else "")
            parts.append(_html_table(header, rows, numeric_from=1, caption=label,
                                     row_classes=classes, escaped=True))  # fmt: skip
        if small:
            parts.append(f'<p class="note">{_e(SMALL_NOTE_NB)}</p>')
    return "".join(parts)


def _quotes(
    segments: pd.DataFrame, codes: pd.DataFrame, options: ReportOptions, design: Design
) -> str:
    by = options.quotes_by
    parts = [
        f"<p>Ett utvalgt sitat per {_e(noun(design, by or ''))} for hvert tema, trukket "
        f"reproduserbart (frø {options.seed}). Ordene som utløste koden er markert.</p>"
    ]
    themes = codes[codes["depth"] == 0]
    for theme in themes.itertuples(index=False):
        found = quotes(
            segments,
            codes,
            str(theme.code),
            by=[by] if by else [],
            n=options.quotes_per_cell,
            seed=options.seed,
            max_chars=options.max_chars,
            design=design,
            raw=options.raw,
        )
        if found.empty:
            continue
        parts.append(f"<h3>{_e(str(theme.label))}</h3>")
        for record in found.to_dict(orient="records"):
            text = _marked(str(record["quote"]), str(record["matched"]))
            who = " · ".join(
                _e(str(record[k])) for k in ("interview_id", "speaker", *design.attributes)
            )
            parts.append(f"<blockquote><p>{text}</p><cite>{who}</cite></blockquote>")
    return "".join(parts)


def _pairs(segments: pd.DataFrame, codes: pd.DataFrame) -> str:
    themes = cooccurrence_codes(codes)
    matrix = cooccurrence(segments, themes, level="unit")
    pairs = top_pairs(matrix, 10)
    if pairs.empty:
        return "<p>Ingen replikker er kodet med to temaer.</p>"
    labels = dict(zip(themes["code"], themes["label"], strict=True))
    rows = [[_e(labels[p.code]), _e(labels[p.other]), str(int(p.value))]
            for p in pairs.itertuples(index=False)]  # fmt: skip
    return "<p>De ti temaparene som oftest forekommer i samme replikk.</p>" + _html_table(
        ["Tema", "Tema", "Replikker"],
        rows,
        numeric_from=2,
        escaped=True,
        caption="Temaer i samme replikk",
    )


def _saturation(
    segments: pd.DataFrame, interviews: pd.DataFrame, options: ReportOptions, design: Design
) -> str:
    by = options.saturation_by or None
    table = saturation(
        segments, interviews, order=options.saturation_order, seed=options.seed, by=by
    )
    src = data_uri(saturation_png(table, by))
    order = {"file": "filnavn", "date": "intervjudato", "random": f"tilfeldig (frø {options.seed})"}
    header = ([heading(design, by)] if by else []) + [
        "Nr.", "Intervju", "Koder", "Nye koder", "Kumulativt", "Andel",
    ]  # fmt: skip
    rows, kept = [], []
    records = table.to_dict(orient="records")
    for n, record in enumerate(records):
        last = n + 1 == len(records) or (by and records[n + 1][by] != record[by])
        kept.append(bool(record["new_codes"]) or bool(last))
        cells = [str(record[by])] if by else []
        cells += [str(record["position"]), str(record["interview_id"]), str(record["codes"]),
                  str(record["new_codes"]), str(record["cumulative_codes"]),
                  f"{record['cumulative_share']:.0%}"]  # fmt: skip
        rows.append(cells)
    return (
        "<p>Hvor mange koder hvert nytt intervju tilfører som ingen tidligere intervjuer hadde, "
        "med intervjuene i rekkefølge etter "
        f"{_e(order.get(options.saturation_order, heading(design, options.saturation_order)))}"
        + (f", hver {_e(noun(design, by))} for seg" if by else "")
        + ". En flat kurve mot slutten tyder på at flere intervjuer gir lite nytt.</p>"
        f'<figure><img src="{src}" alt="Linjediagram: koder funnet etter antall intervjuer">'
        "<figcaption>Koder funnet, kumulativt, etter antall intervjuer.</figcaption></figure>"
        + _saturation_tables(header, rows, kept, by)
    )


#: More interviews than this: the saturation table lists those that added codes; all in a fold.
SATURATION_ROWS = 40


def _saturation_tables(
    header: Sequence[str], rows: Sequence[Sequence[str]], kept: Sequence[bool], by: str | None
) -> str:
    def table(chosen: Sequence[Sequence[str]], caption: str) -> str:
        return _html_table(header, [[_e(c) for c in r] for r in chosen],
                           numeric_from=2 if by else 1, escaped=True, caption=caption)  # fmt: skip

    if len(rows) <= SATURATION_ROWS:
        return table(rows, "Nye koder per intervju")
    chosen = [row for row, keep in zip(rows, kept, strict=True) if keep]
    return (
        f"<p>Tabellen viser de {len(chosen)} intervjuene som tilførte nye koder (og det siste i "
        f"hver rekke); alle {len(rows)} står i listen under.</p>"
        + table(chosen, "Intervjuer som tilførte nye koder")
        + f"<details><summary>Alle {len(rows)} intervjuer</summary>"
        + table(rows, "Nye koder per intervju")
        + "</details>"
    )


def _codebook(codes: pd.DataFrame, rules: Mapping[str, str]) -> str:
    rows, classes = [], []
    for record in codes.itertuples(index=False):
        rows.append(
            [
                f"{_e(str(record.label))}<br><code>{_e(str(record.code))}</code>",
                _e(str(getattr(record, "definition", ""))),
                _e(str(getattr(record, "when_to_use", ""))),
                _e(str(getattr(record, "when_not_to_use", ""))),
                _e(str(getattr(record, "example", ""))),
                _e(rules.get(str(record.code), "")),
            ]
        )
        classes.append("theme" if int(record.depth) == 0 else "code")
    note = (
        "<p>Alle koder i kodebokrekkefølge, med definisjon, bruksregler og reglene (termer, "
        "mønstre, unntak) som satte kodene.</p>"
    )
    if not rules:
        note += (
            '<p class="note">Reglene er utelatt: kodebokfilen ligger ikke lenger der '
            "resultatene sier, eller den er endret siden kodingen.</p>"
        )
    return note + _html_table(
        ["Kode", "Definisjon", "Bruk når", "Ikke bruk når", "Eksempel", "Regler"],
        rows,
        escaped=True,
        row_classes=classes,
        caption="Kodebok",
    )


def _provenance(manifest: Manifest, generated: str, base: Path | None, design: Design) -> str:
    items = provenance_items(manifest, generated, base, lambda a: heading(design, a))
    rows = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in items)
    return f'<dl class="provenance">{rows}</dl>'


#: More values than this are counted in the report's first line rather than listed.
LEDE_VALUES = 8


def _lede(interviews: pd.DataFrame, manifest: Manifest, generated: str, design: Design) -> str:
    parts = [f"{len(interviews)} intervjuer"]
    for column in design.attributes:
        if column in interviews.columns:
            values = nb_sorted(interviews[column].astype(str).unique())
            many = len(values) > LEDE_VALUES  # 100 municipalities are a table, not a sentence
            parts.append(f"{heading(design, column)}: {len(values)}" if many else _join_nb(values))
    books = [book.name for book in manifest.codebooks]
    if books:
        parts.append("kodebok " + _join_nb(books))
    parts.append(generated)
    return " · ".join(_e(p) for p in parts)


def _html_table(
    header: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    numeric_from: int | None = None,
    total_last: bool = False,
    caption: str = "",
    row_classes: Sequence[str] | None = None,
    escaped: bool = False,
) -> str:
    def cell(tag: str, n: int, text: str) -> str:
        css = ' class="num"' if numeric_from is not None and n >= numeric_from else ""
        return f"<{tag}{css}>{text if escaped else _e(text)}</{tag}>"

    rows = list(rows)
    head = "".join(cell("th", n, _e(h) if escaped else h) for n, h in enumerate(header))
    lines = []
    for i, row in enumerate(rows):
        classes = []
        if row_classes is not None:
            classes.append(row_classes[i])
        if total_last and i == len(rows) - 1:
            classes.append("total")
        attr = f' class="{" ".join(classes)}"' if classes else ""
        lines.append(f"<tr{attr}>" + "".join(cell("td", n, c) for n, c in enumerate(row)) + "</tr>")
    cap = f'<caption class="sr-only">{_e(caption)}</caption>' if caption else ""
    return (
        f'<div class="table-wrap"><table>{cap}<thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(lines)}</tbody></table></div>"
    )


def _marked(text: str, matched: str) -> str:
    out, last = [], 0
    for start, end in match_spans(text, matched):
        out.append(_e(text[last:start]))
        out.append(f"<mark>{_e(text[start:end])}</mark>")
        last = end
    out.append(_e(text[last:]))
    return "".join(out)


def _join_nb(values: Sequence[str]) -> str:
    if len(values) <= 1:
        return "".join(values)
    return ", ".join(values[:-1]) + " og " + values[-1]


def _number(value: int) -> str:
    # Norwegian groups thousands with a (narrow no-break) space.
    return f"{value:,}".replace(",", "\u202f")


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


_CSS = """
:root { --ink: #1d2430; --muted: #5b6472; --rule: #d5dae1; --accent: #1f5fa8;
  --mark: #ffe58a; --shade: 31, 95, 168; }
* { box-sizing: border-box; }
html { font-size: 16px; }
body { margin: 0 auto; max-width: 62rem; padding: 2.5rem 1.5rem 4rem; color: var(--ink);
  font-family: "Source Serif 4", "Iowan Old Style", Charter, Georgia, Cambria, "Times New Roman",
  serif; line-height: 1.55; background: #fff; font-kerning: normal; hyphens: auto; }
h1, h2, h3, nav, table, figcaption, cite, footer, .lede, dl {
  font-family: "Source Sans 3", "Segoe UI", "Helvetica Neue", Arial, "Noto Sans",
  "DejaVu Sans", sans-serif; }
h1 { font-size: 2.1rem; line-height: 1.2; margin: 0 0 0.4rem; letter-spacing: -0.01em; }
h2 { font-size: 1.45rem; margin: 2.8rem 0 0.8rem; padding-bottom: 0.3rem;
  border-bottom: 2px solid var(--ink); }
h3 { font-size: 1.1rem; margin: 1.8rem 0 0.5rem; }
p { max-width: 44rem; }
.lede { color: var(--muted); margin: 0 0 1.5rem; }
.warning { border-left: 4px solid #b35c00; padding-left: .75rem; }
nav { border: 1px solid var(--rule); border-radius: 6px; padding: 0.6rem 1.2rem;
  margin-bottom: 2rem; background: #f7f8fa; }
nav h2 { font-size: 1rem; margin: 0.3rem 0; border: 0; padding: 0; }
nav ol { margin: 0.2rem 0 0.4rem; padding-left: 1.4rem; columns: 2; }
nav a { color: var(--accent); text-decoration: none; }
.table-wrap { overflow-x: auto; margin: 0.8rem 0 1.4rem; }
table { border-collapse: collapse; font-size: 0.86rem; width: 100%;
  font-variant-numeric: tabular-nums; }
th, td { padding: 0.28rem 0.6rem; border-bottom: 1px solid var(--rule); text-align: left;
  vertical-align: top; }
thead th { border-bottom: 2px solid var(--ink); font-weight: 600; white-space: nowrap; }
td.num, th.num { text-align: right; white-space: nowrap; }
tr.theme td { font-weight: 600; border-top: 1px solid #aab2bd; }
tr.code td:first-child { padding-left: 1.6rem; }
tr.total td { font-weight: 600; border-top: 2px solid var(--ink); }
.cell { display: inline-block; min-width: 6.2rem; padding: 0.05rem 0.35rem; border-radius: 3px;
  background: rgba(var(--shade), calc(var(--share) * 0.55)); }
figure { margin: 1.2rem 0 1.8rem; }
figure img { max-width: 100%; height: auto; display: block; }
figcaption { color: var(--muted); font-size: 0.85rem; margin-top: 0.4rem; }
blockquote { margin: 0.8rem 0 1.1rem; padding: 0.4rem 0 0.4rem 1.1rem;
  border-left: 4px solid var(--accent); max-width: 46rem; }
blockquote p { margin: 0 0 0.3rem; font-style: italic; }
cite { color: var(--muted); font-size: 0.8rem; font-style: normal; }
mark { background: var(--mark); padding: 0 0.1em; font-style: normal; }
code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.82em; }
dl.provenance { display: grid; grid-template-columns: max-content 1fr; gap: 0.3rem 1.2rem;
  font-size: 0.9rem; }
dl.provenance dt { font-weight: 600; }
dl.provenance dd { margin: 0; overflow-wrap: anywhere; }
footer { margin-top: 3rem; padding-top: 0.8rem; border-top: 1px solid var(--rule);
  color: var(--muted); font-size: 0.8rem; }
.table-wrap th:first-child, .table-wrap td:first-child { position: sticky; left: 0;
  background: #fff; z-index: 1; }
tr.theme td:first-child { background: #fff; }
sup.small { color: #9a3412; font-weight: 600; margin-left: 0.1em; }
p.note { color: var(--muted); font-size: 0.85rem; }
details summary { cursor: pointer; color: var(--accent); font-family: sans-serif; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
@page { size: A4; margin: 16mm 14mm 18mm; }
@media print {
  html { font-size: 10.5pt; }
  body { max-width: none; padding: 0; }
  nav { display: none; }
  section { break-before: page; }
  section#materialet { break-before: auto; }
  h2, h3 { break-after: avoid; }
  tr, blockquote, figure { break-inside: avoid; }
  .table-wrap { overflow: visible; }
  .table-wrap th:first-child, .table-wrap td:first-child { position: static; }
  thead { display: table-header-group; }
  table { font-size: 8pt; }
  details { display: none; }
  .cell { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  mark { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""
