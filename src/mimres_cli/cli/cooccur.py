"""`mimres cooccur`: which codes occur together, as a code × code matrix."""

from __future__ import annotations

from typing import Annotated

import typer

from mimres_cli.cli._console import reports_errors
from mimres_cli.cli._options import FormatOpt, OutputOpt, ResultsArg, choices
from mimres_cli.vocabulary import CooccurLevel, CooccurMeasure

app = typer.Typer()


LevelChoice = choices("LevelChoice", CooccurLevel)
CooccurMeasureChoice = choices("CooccurMeasureChoice", CooccurMeasure)


@app.command("cooccur")
@reports_errors
def cooccur_cmd(
    results: ResultsArg,
    codes: Annotated[
        str | None,
        typer.Option("--codes", help="The codes below this one (e.g. arbeid). Default: themes."),
    ] = None,
    level: Annotated[
        LevelChoice,
        typer.Option("--level", help="Count units coded with both codes, or interviews."),
    ] = LevelChoice.unit,
    measure: Annotated[
        CooccurMeasureChoice,
        typer.Option("--measure", help="count, or jaccard = both / either (0–1)."),
    ] = CooccurMeasureChoice.count,
    by: Annotated[
        str | None,
        typer.Option("--by", "-b", help="Also one matrix per value of this attribute (group)."),
    ] = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
) -> None:
    """Count the units (or interviews) coded with both of two codes, for every pair of codes.

    The diagonal counts the units (interviews) with the code at all; themes are rolled up.

    Example: mimres cooccur results --level interview --measure jaccard --by group
    """
    from mimres_cli.cli._emit import emit_tables
    from mimres_cli.coding import Results
    from mimres_cli.findings import cooccurrence_by, cooccurrence_codes
    from mimres_cli.render import matrix_table

    coded = Results.read(results)
    chosen = cooccurrence_codes(coded.codes, codes)
    matrices = cooccurrence_by(
        coded.segments, coded.interviews, chosen, by, level=level.value, measure=measure.value
    )
    what = "interviews" if level is LevelChoice.interview else "units"
    head = f"{what.capitalize()} coded with both codes"
    if measure is CooccurMeasureChoice.jaccard:
        head = f"Jaccard index: {what} coded with both codes / with either"
    titles = {
        name: head + ("" if name == "all" else f" ({name.replace('=', ': ')})") for name in matrices
    }
    emit_tables(
        matrices,
        fmt,
        output,
        titles=titles,
        terminal=lambda name, table: matrix_table(table, titles[name]),
        single=by is None,
        provenance=coded.manifest,
    )
