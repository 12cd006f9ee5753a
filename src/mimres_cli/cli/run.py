"""`mimres run`: code a corpus end to end and print the findings (the project's one command)."""

from __future__ import annotations

from typing import Annotated

import typer

from mimres_cli.cli._batch import (
    CacheDirOpt,
    FailOnOpt,
    ForceOutOpt,
    JobsOpt,
    MetadataOpt,
    NoCacheOpt,
    ProjectOpt,
    QuietOpt,
    VerboseOpt,
    exit_if_failed,
    note_jobs,
    progress_bars,
    report_timings,
    set_verbosity,
    settings,
)
from mimres_cli.cli._console import err, out, reports_errors
from mimres_cli.cli._options import (
    CodebooksOpt,
    CorpusOpt,
    DesignOpt,
    ModelOpt,
    OutDirOpt,
    UnitChoice,
)

app = typer.Typer()

UnitOverrideOpt = Annotated[
    UnitChoice | None,
    typer.Option("--unit", help="Unit of coding: a whole informant turn, or each sentence. "
                 "Default: the project's, else turn."),
]  # fmt: skip


@app.command("run")
@reports_errors
def run_cmd(
    corpus: CorpusOpt = None,
    codebook: CodebooksOpt = None,
    unit: UnitOverrideOpt = None,
    model: ModelOpt = None,
    out_dir: OutDirOpt = None,
    project: ProjectOpt = None,
    metadata: MetadataOpt = None,
    jobs: JobsOpt = None,
    cache_dir: CacheDirOpt = None,
    no_cache: NoCacheOpt = False,
    fail_on: FailOnOpt = None,
    design: DesignOpt = None,
    force: ForceOutOpt = False,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Code the interviews with the codebooks and print findings per attribute of the design.

    Without options, runs the project file ./mimres.yaml (writing its results folder), or,
    when there is none, codes the sample interviews with the shipped codebooks. Options
    override the project file. Exit codes: 0 done, 1 a --fail-on condition holds, 2 a
    problem with the input or the options.

    Example: mimres run --corpus sample_interviews -c codebooks/integrering.yaml --out results
    """
    from mimres_cli import workflow
    from mimres_cli.render import render_findings

    set_verbosity(quiet, verbose)
    run = settings(project=project, corpus=corpus, codebooks=codebook,
                   unit=unit.value if unit else None, model=model, metadata=metadata, jobs=jobs,
                   cache_dir=cache_dir, no_cache=no_cache, out=out_dir, fail_on=fail_on,
                   design=design)  # fmt: skip
    with progress_bars(quiet) as on_progress:
        # with --out, the folder is written while coding (all files or none)
        result = workflow.code(run.corpus, run.codebooks, on_progress=on_progress,
                               out=run.out, tables=run.tables, extra=run.manifest(),
                               force=force, **run.workflow_options())  # fmt: skip
    caption = (
        f"{len(result.interviews)} interviews · unit: {run.unit} · "
        f"pipeline: {workflow.describe_pipeline(result.manifest)}"
    )
    where = (
        f"{run.out / 'findings.csv'} (or mimres tables {run.out} --by ATTRIBUTE -o table.xlsx)"
        if run.out is not None
        else "add --out FOLDER to write findings.csv, then mimres tables FOLDER -o table.xlsx"
    )
    render_findings(result, out, caption=caption, where=where)
    if run.out is not None and not quiet:
        files = len(result.manifest.tables) + 1  # and manifest.json
        err.print(f"Wrote {files} files to {run.out}", highlight=False, soft_wrap=True)
    note_jobs(result, jobs, run, quiet)
    report_timings(result)
    exit_if_failed(result, run.fail_on)
