"""`mimres saturation`: how many new codes each further interview adds."""

from __future__ import annotations

from typing import Annotated

import typer

from mimres_cli.cli._console import reports_errors
from mimres_cli.cli._options import FormatOpt, OutputOpt, ResultsArg

app = typer.Typer()


#: Shorter headers on the terminal, so that a table by group fits 80 columns.
_SHORT = {
    "position": "#",
    "interview_id": "interview",
    "new_codes": "new",
    "cumulative_codes": "total",
    "cumulative_share": "share",
}


@app.command("saturation")
@reports_errors
def saturation_cmd(
    results: ResultsArg,
    by: Annotated[
        str | None,
        typer.Option("--by", "-b", help="One sequence per value of this attribute (group)."),
    ] = None,
    order: Annotated[
        str,
        typer.Option(
            "--order",
            metavar="file|random|ATTR",
            help="Interview order: file name, random (--seed), or the values of an "
            "attribute of numbers or dates, e.g. interview_date ('date' for short).",
        ),
    ] = "file",
    seed: Annotated[int, typer.Option("--seed", help="Seed of --order random.")] = 0,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
) -> None:
    """Count the codes each further interview adds that no earlier interview had.

    A long tail of interviews adding nothing new suggests saturation: "have we interviewed
    enough?". Codes are those whose own rules matched.

    Example: mimres saturation results --by group --order interview_date
    """
    from mimres_cli.cli._emit import emit_tables
    from mimres_cli.coding import Results
    from mimres_cli.findings import saturation
    from mimres_cli.render import plain_table

    coded = Results.read(results)
    table = saturation(coded.segments, coded.interviews, order=order, seed=seed, by=by)
    ordering = f"random, seed {seed}" if order == "random" else f"{order} order"
    title = f"New codes per interview ({ordering})" + (f", by {by}" if by else "")
    emit_tables(
        {"saturation": table},
        fmt,
        output,
        titles={"saturation": title},
        percent_columns=["cumulative_share"],
        terminal=lambda _name, t: plain_table(
            t.drop(columns="new").rename(columns=_SHORT), title, percent_columns=("share",)
        ),
        single=True,
        provenance=coded.manifest,
    )
