"""`mimres run`: code a corpus end to end and print the findings."""

from __future__ import annotations

import typer

from mimres_cli.cli._console import err, out, reports_errors
from mimres_cli.cli._options import (
    CodebooksOpt,
    CorpusOpt,
    ModelOpt,
    OutDirOpt,
    UnitChoice,
    UnitOpt,
)

app = typer.Typer()


@app.command("run")
@reports_errors
def run_cmd(
    corpus: CorpusOpt = None,
    codebook: CodebooksOpt = None,
    unit: UnitOpt = UnitChoice.turn,
    model: ModelOpt = None,
    out_dir: OutDirOpt = None,
) -> None:
    """Code the interviews with the codebooks and print findings per municipality and group.

    Without options, codes the sample interviews with the shipped codebooks.

    Example: mimres run --corpus sample_interviews -c codebooks/integrering.yaml --out results
    """
    from mimres_cli import workflow
    from mimres_cli.render import render_findings

    result = workflow.code_corpus(corpus, codebook or [], unit=unit.value, model=model)
    caption = (
        f"{len(result.coding.interviews)} interviews · unit: {unit.value} · "
        f"pipeline: {result.pipeline.describe()}"
    )
    render_findings(result.findings, result.coding.codes, out, caption=caption)
    if out_dir is not None:
        written = workflow.write_run(result, out_dir)
        err.print(f"Wrote {len(written)} files to {out_dir}", highlight=False)
