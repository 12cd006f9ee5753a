"""`mimres tables`: report tables of a results folder, codes as rows and attribute values as
columns."""

from __future__ import annotations

from typing import Annotated

import typer

from mimres_cli.cli._console import err, reports_errors
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


StatsOpt = Annotated[
    bool,
    typer.Option(
        "--stats",
        help="Add a test per code of whether the share differs between the values: Fisher's "
        "exact test for two values, else chi-square (a permutation test when expected counts "
        "are small). Exploratory: read the caution printed beside it.",
    ),
]
AllOpt = Annotated[
    bool,
    typer.Option(
        "--all",
        help="Write every table of the results (overview, one per attribute and crossed, "
        "findings, quotes, codebook, saturation, provenance) into one workbook: -o FILE.xlsx.",
    ),
]


@app.command("tables")
@reports_errors
def tables_cmd(
    results: ResultsArg,
    by: ByOpt = None,
    measure: MeasureOpt = MeasureChoice.share,
    codes: CodesOpt = None,
    min_share: MinShareOpt = 0.0,
    sort: SortOpt = SortChoice.codebook,
    stats: StatsOpt = False,
    all_tables: AllOpt = False,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    design: DesignOpt = None,
) -> None:
    """Tabulate the coded interviews per code and attribute value, as in a report.

    One table per --by attribute: a row per code (codebook order), a column per value, and All.
    Shares come with n/N; in CSV, TSV, JSON and XLSX also with their 95 % Wilson interval. A
    table wider than the terminal is transposed or split into parts, never cut. An XLSX
    workbook also gets an agreement sheet where human codings were kept in the results folder
    ('mimres import codings FILE --results FOLDER --save').

    Example: mimres tables results --by group --codes arbeid --measure share
    """
    from mimres_cli.cli._batch import working
    from mimres_cli.cli._emit import emit_tables
    from mimres_cli.coding import Results
    from mimres_cli.coding.validation import kept_validation
    from mimres_cli.design import Design
    from mimres_cli.errors import OutputError
    from mimres_cli.export.formats import format_from_suffix
    from mimres_cli.findings import CAUTION, group_differences
    from mimres_cli.findings.tables import share_details, share_percent_columns
    from mimres_cli.render import crosstab_table, plain_table
    from mimres_cli.render.terminal import share_markdown

    with working(False, f"tables: reading {results}"):
        coded = Results.read(results, design=Design.parse(design) if design else None)
    chosen = format_from_suffix(output, fmt.value if fmt else None)
    if all_tables:
        if chosen != "xlsx" or output is None:
            raise OutputError("--all writes one workbook", fix="Add -o FILE.xlsx", code="E503")
        from mimres_cli.cli.report import code_rules
        from mimres_cli.export.workbook import write_workbook

        write_workbook(coded, output, rules=code_rules(coded.manifest))
        err.print(f"Wrote {output}", highlight=False, markup=False, soft_wrap=True)
        return
    options = {"by": by or coded.design.attributes, "under": codes, "min_share": min_share,
               "sort": sort.value}  # fmt: skip
    found = coded.tables(measure=measure.value, **options)
    share = measure is MeasureChoice.share
    counts = (coded.tables(measure="coded_interviews", **options),
              coded.tables(measure="interviews", **options))  # fmt: skip
    titles = {name: f"{_TITLES[measure.value]}, by {name}" for name in found}
    tests = {}
    if stats:
        tests = {f"{name} stats": group_differences(counts[0][name], counts[1][name])
                 for name in found}  # fmt: skip
        titles.update({name: f"Does the share differ between values? ({name})"
                       for name in tests})  # fmt: skip
    agreement: dict = {}
    agreement_title = ""
    if chosen == "xlsx":
        # The workbook also says how good the coding is, where human codings were kept.
        validation = kept_validation(results, coded)
        if validation is not None:
            agreement = {"agreement": validation.table}
            agreement_title = f"Agreement per theme with {', '.join(validation.coders)}"
    percent: list[str] = []
    if share and chosen == "xlsx" and not stats:
        from mimres_cli.export.formats import flat_provenance, provenance_fields
        from mimres_cli.export.workbook import ShareTable, write_share_tables

        if output is None:
            raise OutputError("XLSX cannot be written to the terminal",
                              fix="Add --output FILE.xlsx", code="E503")  # fmt: skip
        parts = {name: ShareTable(found[name], counts[0][name], counts[1][name])
                 for name in found}  # fmt: skip
        write_share_tables(output, parts, flat_provenance(provenance_fields(coded.manifest)),
                           extra=agreement)  # fmt: skip
        err.print(f"Wrote {output}", highlight=False, markup=False, soft_wrap=True)
        return
    if share and chosen in ("csv", "tsv", "json", "xlsx"):
        found = {name: share_details(t, counts[0][name], counts[1][name])
                 for name, t in found.items()}  # fmt: skip
        percent = [c for t in found.values() for c in share_percent_columns(t)]
    elif share and chosen == "markdown":
        found = {name: share_markdown(t, counts[0][name], counts[1][name])
                 for name, t in found.items()}  # fmt: skip
    elif share:
        percent = [c for t in found.values() for c in t.columns
                   if c not in ("code", "label", "depth")]  # fmt: skip

    if chosen == "xlsx" and agreement:
        found = {**found, **agreement}
        titles["agreement"] = agreement_title

    def terminal(name: str, table):
        if name in tests:
            shown = table.drop(columns=["caution", "code", "depth", "values"])
            return plain_table(shown, titles[name], notes=[CAUTION])
        parts = (counts[0][name], counts[1][name]) if share else (None, None)
        where = f"mimres tables {results} --by {name} -o {name.replace('+', '_')}.xlsx"
        return crosstab_table(table, titles[name], measure.value, *parts, where=where,
                              corner=coded.design.label(name))  # fmt: skip

    emit_tables({**found, **tests}, fmt, output, titles=titles, terminal=terminal,
                percent_columns=percent, provenance=coded.manifest)  # fmt: skip
