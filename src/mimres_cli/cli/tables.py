"""`mimres tables`: report tables of a results folder, codes as rows and attribute values as
columns."""

from __future__ import annotations

from typing import Annotated

import typer

from mimres_cli.cli._console import reports_errors
from mimres_cli.cli._options import DesignOpt, FormatOpt, OutputOpt, ResultsArg, choices
from mimres_cli.vocabulary import Measure, SortOrder

app = typer.Typer()


MeasureChoice = choices("MeasureChoice", Measure)
SortChoice = choices("SortChoice", SortOrder)


ByOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--by",
        "-b",
        help="Metadata attribute for the columns; repeat for one table each; join with '+' to "
        "cross attributes (municipality+group). Default: the two attributes of the design.",
    ),
]
MeasureOpt = Annotated[
    MeasureChoice,
    typer.Option(
        "--measure",
        help="share = coded interviews / interviews; segments = coded units (a theme counts a "
        "unit once); words = informant words in coded units.",
    ),
]
CodesOpt = Annotated[
    str | None, typer.Option("--codes", help="Only this code and its subtree (e.g. arbeid).")
]
MinShareOpt = Annotated[
    float,
    typer.Option(
        "--min-share",
        help="Hide codes that reach a smaller share of all interviews (0–1).",
    ),
]
SortOpt = Annotated[
    SortChoice,
    typer.Option("--sort", help="Row order: codebook order, by the All column, or by label."),
]


_TITLES = {
    "share": "Share of interviews coded",
    "coded_interviews": "Interviews coded",
    "interviews": "Interviews",
    "segments": "Coded units",
    "words": "Informant words in coded units",
}


@app.command("tables")
@reports_errors
def tables_cmd(
    results: ResultsArg,
    by: ByOpt = None,
    measure: MeasureOpt = MeasureChoice.share,
    codes: CodesOpt = None,
    min_share: MinShareOpt = 0.0,
    sort: SortOpt = SortChoice.codebook,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    design: DesignOpt = None,
) -> None:
    """Tabulate the coded interviews per code and attribute value, as in a report.

    One table per --by attribute: a row per code (codebook order), a column per value, and All.
    An XLSX workbook also gets an agreement sheet where human codings were kept in the results
    folder ('mimres import codings FILE --results FOLDER --save').

    Example: mimres tables results --by group --codes arbeid --measure share
    """
    from mimres_cli.cli._emit import emit_tables
    from mimres_cli.coding import Results
    from mimres_cli.coding.validation import kept_validation
    from mimres_cli.design import Design
    from mimres_cli.export.formats import format_from_suffix
    from mimres_cli.render import crosstab_table

    coded = Results.read(results, design=Design.parse(design) if design else None)
    options = {"by": by or coded.design.attributes, "under": codes, "min_share": min_share,
               "sort": sort.value}  # fmt: skip
    found = coded.tables(measure=measure.value, **options)
    counts = None
    if measure is MeasureChoice.share:
        counts = (coded.tables(measure="coded_interviews", **options),
                  coded.tables(measure="interviews", **options))  # fmt: skip
    percent = [c for t in found.values() for c in t.columns if c not in ("code", "label", "depth")]
    titles = {name: f"{_TITLES[measure.value]}, by {name}" for name in found}

    if format_from_suffix(output, fmt.value if fmt else None) == "xlsx":
        # The workbook also says how good the coding is, where human codings were kept.
        validation = kept_validation(results, coded)
        if validation is not None:
            found = {**found, "agreement": validation.table}
            titles["agreement"] = f"Agreement per theme with {', '.join(validation.coders)}"

    def terminal(name: str, table):
        parts = (counts[0][name], counts[1][name]) if counts else (None, None)
        return crosstab_table(table, titles[name], measure.value, *parts)

    emit_tables(found, fmt, output, titles=titles, terminal=terminal,
                percent_columns=percent if measure is MeasureChoice.share else (),
                provenance=coded.manifest)  # fmt: skip
