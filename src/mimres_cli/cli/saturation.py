"""`mimres saturation`: how many new codes each further interview adds."""

from __future__ import annotations

from typing import Annotated

import typer

from mimres_cli.cli._console import reports_errors
from mimres_cli.cli._options import FormatOpt, OutputOpt, ResultsArg, choices
from mimres_cli.vocabulary import SaturationOrder

app = typer.Typer()


OrderChoice = choices("OrderChoice", SaturationOrder)


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
        OrderChoice,
        typer.Option("--order", help="Interview order: file name, interview_date, or random."),
    ] = OrderChoice.file,
    seed: Annotated[int, typer.Option("--seed", help="Seed of --order random.")] = 0,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
) -> None:
    """Count the codes each further interview adds that no earlier interview had.

    A long tail of interviews adding nothing new suggests saturation: "have we interviewed
    enough?". Codes are those whose own rules matched.

    Example: mimres saturation results --by group --order date
    """
    from mimres_cli.cli._emit import emit_tables
    from mimres_cli.coding import Results
    from mimres_cli.findings import saturation
    from mimres_cli.render import plain_table

    coded = Results.read(results)
    table = saturation(coded.segments, coded.interviews, order=order.value, seed=seed, by=by)
    ordering = f"random, seed {seed}" if order is OrderChoice.random else f"{order.value} order"
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
