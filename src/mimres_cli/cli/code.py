"""`mimres code`: code a corpus and write the results folder (tables and manifest), nothing else."""

from __future__ import annotations

from pathlib import Path
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
from mimres_cli.cli._console import err, reports_errors
from mimres_cli.cli._options import CodebooksOpt, CorpusOpt, DesignOpt, ModelOpt, UnitChoice

app = typer.Typer()

DEFAULT_OUT = Path("results")

UnitOverrideOpt = Annotated[
    UnitChoice | None,
    typer.Option("--unit", help="Unit of coding: a whole informant turn, or each sentence. "
                 "Default: the project's, else turn."),
]  # fmt: skip
ShardOpt = Annotated[
    str | None,
    typer.Option("--shard", metavar="I/N",
                 help="Code only shard I of N (split by a hash of the interview id) and write a "
                 "part for 'mimres merge'. On Slurm: $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT.",
                 rich_help_panel="Batch and CI"),
]  # fmt: skip
ResultsOpt = Annotated[
    Path | None,
    typer.Option("--out", "-o", file_okay=False,
                 help="Results folder to write. Default: the project's, else ./results.",
                 rich_help_panel="Output"),
]  # fmt: skip


@app.command("code")
@reports_errors
def code_cmd(
    corpus: CorpusOpt = None,
    codebook: CodebooksOpt = None,
    out_dir: ResultsOpt = None,
    unit: UnitOverrideOpt = None,
    model: ModelOpt = None,
    project: ProjectOpt = None,
    metadata: MetadataOpt = None,
    jobs: JobsOpt = None,
    cache_dir: CacheDirOpt = None,
    no_cache: NoCacheOpt = False,
    fail_on: FailOnOpt = None,
    design: DesignOpt = None,
    force: ForceOutOpt = False,
    shard: ShardOpt = None,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Code the interviews and write the results folder (tables and manifest.json).

    Writes segments, units, interviews, codes and findings as CSV, and manifest.json; prints
    nothing on stdout.

    Reads ./mimres.yaml when there is one; options override it. Parses are cached, so
    re-coding after a codebook change is fast. With --shard I/N only that shard's
    interviews are coded; 'mimres merge' joins the N parts into the folder one run writes
    (see docs/batch.md). Exit codes: 0 done, 1 a --fail-on condition
    holds, 2 a problem with the input or the options.

    Example: mimres code --corpus sample_interviews -c codebooks/integrering.yaml --out results
    """
    from mimres_cli import workflow

    set_verbosity(quiet, verbose)
    run = settings(project=project, corpus=corpus, codebooks=codebook,
                   unit=unit.value if unit else None, model=model, metadata=metadata,
                   jobs=jobs, cache_dir=cache_dir, no_cache=no_cache, out=out_dir,
                   fail_on=fail_on, design=design)  # fmt: skip
    target = run.out or DEFAULT_OUT
    with progress_bars(quiet) as on_progress:
        # the folder is written while coding (all files or none), so memory stays flat
        result = workflow.code(run.corpus, run.codebooks, on_progress=on_progress,
                               shard=shard, out=target, tables=run.tables,
                               extra=run.manifest(), force=force,
                               **run.workflow_options())  # fmt: skip
    if not quiet:
        segments, interviews = len(result.segments), len(result.interviews)
        part = f"shard {shard}: " if shard else ""
        files = len(result.manifest.tables) + 1  # and manifest.json
        err.print(f"Coded {part}{interviews} interviews ({segments} segments); wrote "
                  f"{files} files to {target}", highlight=False, soft_wrap=True)  # fmt: skip
    note_jobs(result, jobs, run, quiet)
    report_timings(result)
    exit_if_failed(result, run.fail_on)
