"""`mimres agree`: how well automatic coding agrees with human coding (or two humans agree)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table
from rich.text import Text

from mimres_cli.cli._console import err, out, reports_errors
from mimres_cli.cli._options import FormatOpt, OutputOpt

if TYPE_CHECKING:
    import pandas as pd

    from mimres_cli.findings.agreement import Agreement

app = typer.Typer()


HumanOpt = Annotated[
    list[Path] | None,
    typer.Option("--human", "-H", dir_okay=False, rich_help_panel="Inputs",
                 help="Human codings (.qdpx or CSV). Once: mimres vs human. Twice: the first "
                 "human vs the second. More: Krippendorff's alpha of all of them. Default: "
                 "the codings kept in the results folder (import codings --save)."),
]  # fmt: skip
CoderOpt = Annotated[
    list[str] | None,
    typer.Option("--coder", rich_help_panel="Inputs",
                 help="Only codings by this coder (repeatable). Default: every coder except "
                 "mimres itself."),
]  # fmt: skip
ByOpt = Annotated[
    str | None, typer.Option("--by", help="Also per value of this attribute, e.g. group.")
]
MinAlphaOpt = Annotated[
    float | None,
    typer.Option("--min-alpha", rich_help_panel="Checks",
                 help="Exit 1 when the overall Krippendorff's alpha is below this (e.g. 0.8), "
                 "for CI."),
]  # fmt: skip
ShowOpt = Annotated[int, typer.Option("--show", help="Disagreements to list (0: none).")]
AllCodesOpt = Annotated[
    bool, typer.Option("--all-codes", help="Also show the codes no coder used.")
]
AllInterviewsOpt = Annotated[
    bool,
    typer.Option("--all-interviews", rich_help_panel="Inputs",
                 help="Count every interview, not only those the human file(s) coded."),
]  # fmt: skip


@app.command("agree")
@reports_errors
def agree_cmd(
    results: Annotated[
        Path, typer.Argument(help="Results folder ('mimres run --out').", file_okay=False)
    ],
    human: HumanOpt = None,
    coder: CoderOpt = None,
    by: ByOpt = None,
    min_alpha: MinAlphaOpt = None,
    show: ShowOpt = 20,
    all_codes: AllCodesOpt = False,
    all_interviews: AllInterviewsOpt = False,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
) -> None:
    """Compare automatic coding with human coding, unit by unit, per code and overall.

    Counts, precision and recall (the human is the reference), F1, Cohen's kappa and
    Krippendorff's alpha, and the disagreements with the unit's text and who coded it.
    Only the informant units of interviews the human file(s) coded count, unless
    --all-interviews. Without --human, the codings kept in the results folder.

    Example: mimres agree results --human docs/exchange/anna_sel_flyktning_01.csv --min-alpha 0.8
    """
    from mimres_cli.cli._batch import working
    from mimres_cli.cli._emit import emit_tables, provenance_footer
    from mimres_cli.coding import Results
    from mimres_cli.coding.human import agree_with_humans
    from mimres_cli.coding.validation import kept_codings
    from mimres_cli.export.formats import format_from_suffix
    from mimres_cli.export.refi.codings import read_codings

    with working(False, f"agree: reading {results}") as step:
        coding = Results.read(results)
        if not human:
            human = [kept_codings(results)]
        tables = coding.interviews, coding.units, coding.codes
        step("agree: reading the human codings")
        codings = {str(path): read_codings(path, *tables).codings for path in human}
        step("agree: comparing")
        found = agree_with_humans(coding, codings, coders=coder or (), by=by,
                                  all_interviews=all_interviews)  # fmt: skip
    manifest = coding.manifest
    if format_from_suffix(output, fmt.value if fmt else None) == "table" and output is None:
        _render(found.result, coding.codes, by, show, all_codes)
        _wide_console().print(provenance_footer(manifest), markup=False, highlight=False,
                              emoji=False, soft_wrap=True)  # fmt: skip
    else:
        emit_tables(found.tables, fmt, output, provenance=manifest)
    _check_alpha(found.alpha, min_alpha)


def _check_alpha(alpha: float, min_alpha: float | None) -> None:
    """Exit 1 when the overall alpha is undefined or below --min-alpha."""
    if min_alpha is not None and (math.isnan(alpha) or alpha < min_alpha):
        shown = "undefined" if math.isnan(alpha) else f"{alpha:.3f}"
        err.print(f"mimres: agreement: overall alpha {shown} is below --min-alpha {min_alpha}",
                  highlight=False, markup=False, emoji=False, soft_wrap=True)  # fmt: skip
        raise typer.Exit(1)


def _render(result: Agreement, codes: pd.DataFrame, by: str | None, show: int,
            all_codes: bool) -> None:  # fmt: skip
    console = _wide_console()
    console.print(_agreement_table(result, codes, by, all_codes))
    if show and not result.disagreements.empty:
        console.print(_disagreement_listing(result.disagreements, show))


def _columns(result: Agreement) -> tuple[str, list[str], list[str], list[str]]:
    """The title, the count and measure columns shown, and their headers.

    The title counts every unit compared: with --by, the sum of the cells' own counts (each
    cell's count is in its Units column).
    """
    from mimres_cli.findings.agreement import OVERALL

    units = int(result.table.loc[result.table["code"] == OVERALL, "units"].sum())
    if len(result.names) == 2:
        a, b = result.names
        title = f"Agreement on {units} units: A = {a}, B = {b} (reference)"
        counts, measures = ["coded_a", "coded_b", "both"], ["precision", "recall", "f1", "kappa",
                                                             "alpha"]  # fmt: skip
        return title, counts, measures, ["A", "B", "Both", "P", "R", "F1", "κ", "α"]
    title = f"Agreement on {units} units between {', '.join(result.names)}"
    counts = [f"coded_{name}" for name in result.names]
    return title, counts, ["alpha"], [*result.names, "α"]


def _agreement_table(result: Agreement, codes: pd.DataFrame, by: str | None,
                     all_codes: bool) -> Table:  # fmt: skip
    from mimres_cli.findings.agreement import OVERALL

    labels = dict(zip(codes["code"], codes["label"], strict=True))
    depth = dict(zip(codes["code"], codes["depth"], strict=True))
    title, counts, measures, headers = _columns(result)
    table = Table(title=Text(title), title_justify="left")
    if by:
        table.add_column(Text(by), no_wrap=True)
        table.add_column("Units", justify="right", no_wrap=True)
    table.add_column("Code", no_wrap=True, overflow="ellipsis", min_width=16)
    for column in headers:
        table.add_column(Text(column), justify="right", no_wrap=True)
    rows = result.table
    used = counts[:2] if len(result.names) == 2 else counts  # "both" is 0 when either is
    unused = rows[(rows[used] == 0).all(axis=1) & (rows["code"] != OVERALL)]
    if not all_codes:
        rows = rows.drop(unused.index)
        hidden = unused["code"].nunique()
        if hidden:
            table.caption = f"{hidden} codes no coder used are not shown (--all-codes shows them)"
    for row in rows.to_dict("records"):  # records: an attribute may not be an identifier
        if row["code"] == OVERALL:
            label = Text("Overall (leaf codes)", style="bold")
        else:
            code = row["code"]
            label = Text("  " * int(depth.get(code, 0)) + str(labels.get(code, code)))
        # Text cells: a str cell would be read as rich markup ('[pause]' vanishes).
        cells = [Text(str(row[by])), Text(str(row["units"]))] if by else []
        cells += [label, *(Text(str(row[c])) for c in counts)]
        cells += [Text(_number(row[c])) for c in measures]
        table.add_row(*cells, end_section=row["code"] == OVERALL)
    return table


def _disagreement_listing(disagreements: pd.DataFrame, show: int) -> Table:
    listing = Table(title=f"Disagreements ({len(disagreements)}; first {show})",
                    title_justify="left")  # fmt: skip
    for column in ("Interview", "Unit", "Code", "Coded by"):
        listing.add_column(column, no_wrap=True)
    listing.add_column("Text", no_wrap=True, overflow="ellipsis", max_width=50)
    for row in disagreements.head(show).itertuples(index=False):
        text = " ".join(str(row.text).split())
        cells = (row.interview_id, row.unit_index, row.code, row.coded_by, text)
        listing.add_row(*(Text(str(cell)) for cell in cells))
    return listing


def _wide_console():
    """`out`, or for a pipe or file (where rich assumes 80 columns) a 150-column console."""
    from rich.console import Console

    if out.is_terminal:
        return out
    return Console(file=out.file, width=150, no_color=True, highlight=False, emoji=False)


def _number(value: float) -> str:
    # round() + 0.0 turns -0.00 into 0.00.
    return "" if value is None or math.isnan(value) else f"{round(value, 2) + 0.0:.2f}"
