"""`mimres report`: one self-contained HTML report of a results folder."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mimres_cli.cli._console import err, reports_errors
from mimres_cli.cli._options import DesignOpt, ResultsArg, choices
from mimres_cli.vocabulary import SaturationOrder

app = typer.Typer()


SaturationOrderChoice = choices("SaturationOrderChoice", SaturationOrder)


@app.command("report")
@reports_errors
def report_cmd(
    results: ResultsArg,
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o", dir_okay=False, help="The report file: .html, or .md for Markdown."
        ),
    ] = Path("report.html"),
    title: Annotated[str, typer.Option("--title", help="The report's title.")] = (
        "Funn fra intervjuene"
    ),
    seed: Annotated[
        int, typer.Option("--seed", help="Seed of the quote choice (and of --order random).")
    ] = 0,
    order: Annotated[
        SaturationOrderChoice,
        typer.Option("--order", help="Interview order of the saturation curve."),
    ] = SaturationOrderChoice.file,
    design: DesignOpt = None,
) -> None:
    """Write an HTML report: overview, heatmaps, tables, quotes, saturation, codebook, provenance.

    One file with everything inline (no network, no external files); prints well on A4.
    With an output ending in .md, the same report in Markdown (without the charts).

    Example: mimres report results -o report.html
    """
    from mimres_cli.coding import Results
    from mimres_cli.coding.validation import kept_validation
    from mimres_cli.design import Design
    from mimres_cli.files import write_text_atomic
    from mimres_cli.render.html import ReportOptions, render_report
    from mimres_cli.render.markdown import render_markdown_report

    coded = Results.read(results, design=Design.parse(design) if design else None)
    options = ReportOptions(title=title, seed=seed, saturation_order=order.value)
    render = (
        render_markdown_report if output.suffix.lower() in (".md", ".markdown") else render_report
    )
    validation = kept_validation(results, coded)
    write_text_atomic(output, render(coded, options, validation=validation))
    err.print(f"Wrote {output}", highlight=False, markup=False, soft_wrap=True)
