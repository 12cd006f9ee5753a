"""`mimres quotes`: exemplar quotes for a code, balanced across cells, chosen reproducibly."""

from __future__ import annotations

from typing import Annotated

import typer

from mimres_cli.cli._console import reports_errors
from mimres_cli.cli._options import FormatOpt, OutputOpt, ResultsArg

app = typer.Typer()


@app.command("quotes")
@reports_errors
def quotes_cmd(
    results: ResultsArg,
    code: Annotated[
        str, typer.Argument(help="Code path (arbeid/praksisplass) or a theme.", show_default=False)
    ],
    by: Annotated[
        list[str] | None,
        typer.Option(
            "--by",
            "-b",
            help="Balance across these attributes (repeatable). Default: the study design's two "
            "attributes (municipality and group).",
        ),
    ] = None,
    n: Annotated[int, typer.Option("--n", "-n", min=1, help="Quotes per cell.")] = 1,
    max_chars: Annotated[
        int,
        typer.Option("--max-chars", min=0, help="Trim each quote around its match (0: whole)."),
    ] = 300,
    seed: Annotated[
        int, typer.Option("--seed", help="Another seed picks other quotes, reproducibly.")
    ] = 0,
    raw: Annotated[
        bool,
        typer.Option(
            "--raw",
            help="The text as transcribed. Default: report-ready, with pauses as '…', fillers "
            "and overlap marks dropped, notes kept in brackets.",
        ),
    ] = False,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
) -> None:
    """Show exemplar quotes for a code: up to N per cell of --by, the matched words marked.

    The choice is deterministic: the same results and --seed always give the same quotes.

    Example: mimres quotes results arbeid/praksisplass --by group --n 2 --max-chars 200
    """
    from mimres_cli.cli._emit import emit_tables
    from mimres_cli.coding import Results
    from mimres_cli.findings import quotes
    from mimres_cli.render import quotes_table

    coded = Results.read(results)
    cells = list(by) if by else list(coded.design.attributes)
    found = quotes(coded.segments, coded.codes, code, by=cells, n=n, seed=seed,
                   max_chars=max_chars, design=coded.design, raw=raw)  # fmt: skip
    title = f"Quotes for {code.strip('/')} ({len(found)}, seed {seed})"
    emit_tables(
        {"quotes": found},
        fmt,
        output,
        titles={"quotes": title},
        terminal=lambda _name, table: quotes_table(table, title, cells),
        single=True,
        provenance=coded.manifest,
    )
