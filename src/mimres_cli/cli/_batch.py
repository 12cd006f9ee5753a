"""What `mimres run` and `mimres code` share: batch options, the project file, progress, exit 1.

Must import without pandas or spaCy (`mimres --help` stays fast): stage modules are imported
inside the functions.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from mimres_cli.cli._console import err, setup_logging
from mimres_cli.cli._options import choices
from mimres_cli.vocabulary import FailOn

if TYPE_CHECKING:
    from mimres_cli.coding import Results
    from mimres_cli.settings import Settings
    from mimres_cli.workflow import ProgressEvent


FailOnChoice = choices("FailOnChoice", FailOn)


_BATCH = "Batch and CI"
ProjectOpt = Annotated[
    Path | None,
    typer.Option("--project", "-p", dir_okay=False,
                 help="Project file. Default: ./mimres.yaml when there is one.",
                 rich_help_panel=_BATCH),
]  # fmt: skip
MetadataOpt = Annotated[
    Path | None,
    typer.Option("--metadata", dir_okay=False,
                 help="Sheet (.csv, .xlsx) with one row per interview, adding metadata.",
                 rich_help_panel="Inputs"),
]  # fmt: skip
JobsOpt = Annotated[
    int | None,
    typer.Option("--jobs", "-j", min=1,
                 help="Processes for parsing. Default: every core (one for small jobs).",
                 rich_help_panel=_BATCH),
]  # fmt: skip
CacheDirOpt = Annotated[
    Path | None,
    typer.Option("--cache-dir", file_okay=False,
                 help="Parse cache folder. Default: .mimres-cache beside the project file, "
                 "or in the current folder.", rich_help_panel=_BATCH),
]  # fmt: skip
NoCacheOpt = Annotated[
    bool,
    typer.Option("--no-cache", help="Parse everything again; neither read nor write the cache.",
                 rich_help_panel=_BATCH),
]  # fmt: skip
FailOnOpt = Annotated[
    list[FailOnChoice] | None,
    typer.Option("--fail-on",
                 help="Exit 1 after writing the results if this holds; repeat for several.",
                 rich_help_panel=_BATCH),
]  # fmt: skip
ForceOutOpt = Annotated[
    bool,
    typer.Option("--force",
                 help="Write the results folder even where it holds files mimres did not write, "
                 "or inside the corpus folder (inputs are never replaced).",
                 rich_help_panel="Output"),
]  # fmt: skip
QuietOpt = Annotated[
    bool,
    typer.Option("--quiet", "-q", help="No progress bars, summary or warnings: only errors.",
                 rich_help_panel=_BATCH),
]  # fmt: skip
VerboseOpt = Annotated[
    bool,
    typer.Option("--verbose", "-v", help="Timings per stage and details on stderr.",
                 rich_help_panel=_BATCH),
]  # fmt: skip


def settings(
    *,
    project: Path | None,
    corpus: Path | None,
    codebooks: list[Path] | None,
    unit: str | None,
    model: str | None,
    metadata: Path | None,
    jobs: int | None,
    cache_dir: Path | None,
    no_cache: bool,
    out: Path | None,
    fail_on: list[Any] | None,
    design: str | None = None,
) -> Settings:
    """The command line over the project file (given, or ./mimres.yaml) and the defaults."""
    from mimres_cli.project import find_project, load_project
    from mimres_cli.settings import Overrides, resolve_settings

    if no_cache and cache_dir is not None:
        raise typer.BadParameter("--no-cache and --cache-dir exclude each other",
                                 param_hint="--no-cache")  # fmt: skip
    path = project or find_project()
    given = Overrides(corpus=corpus, codebooks=codebooks or (), unit=unit, model=model,
                      metadata=metadata, jobs=jobs, cache_dir=cache_dir, no_cache=no_cache,
                      out=out, fail_on=[f.value for f in fail_on or ()], design=design)  # fmt: skip
    return resolve_settings(load_project(path) if path is not None else None, given)


def set_verbosity(quiet: bool, verbose: bool) -> None:
    """Apply a command's own --quiet/--verbose (they mean the same as the global ones)."""
    if quiet and verbose:
        raise typer.BadParameter("--quiet and --verbose exclude each other",
                                 param_hint="--quiet")  # fmt: skip
    if quiet or verbose:
        setup_logging(verbose=verbose, quiet=quiet)


def silent(quiet: bool) -> bool:
    """No progress on stderr: with a command's -q, the global -q, or when stderr is not a
    terminal (CI logs and redirected output stay clean)."""
    return quiet or not err.is_terminal or _quiet_logging()


def _quiet_logging() -> bool:
    """The global -q: the stderr handler shows only errors."""
    import logging

    handlers = logging.getLogger("mimres_cli").handlers
    return any(handler.level >= logging.ERROR for handler in handlers)


@contextmanager
def progress_bars(quiet: bool) -> Iterator[Any]:
    """A progress callback for the workflow: bars for parsing and coding on stderr.

    The bars are transient and switched off as `silent` says (None then: no callback, so the
    workflow need not count words for it). Commands that parse without `workflow.code` pass
    `ParsedCorpus.progress(callback)` to `parsed`.
    """
    if silent(quiet):
        yield None
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    progress = Progress(
        TextColumn("{task.description:<8}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("interviews · {task.fields[rate]}"),
        TimeRemainingColumn(),
        console=err,
        transient=True,
    )
    tasks: dict[str, Any] = {}
    words: dict[str, int] = {}
    began: dict[str, float] = {}

    def on_progress(event: ProgressEvent) -> None:
        if event.stage not in tasks:
            tasks[event.stage] = progress.add_task(event.stage, total=event.total, rate="")
            words[event.stage] = 0
            began[event.stage] = time.perf_counter()
        words[event.stage] += event.words
        rate = words[event.stage] / max(time.perf_counter() - began[event.stage], 1e-6)
        progress.update(tasks[event.stage], completed=event.done, rate=f"{rate:,.0f} words/s")

    with progress:
        yield on_progress


@contextmanager
def working(quiet: bool, step: str = "") -> Iterator[Callable[[str], None]]:
    """A spinner on stderr with the current step and the seconds so far, for commands that take
    a while without interviews to count (report, agree, tables); call the yielded function
    with each new step. Transient, and off as `silent` says."""
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                        console=err, transient=True, disable=silent(quiet))  # fmt: skip
    task = progress.add_task(step, total=None)
    with progress:
        yield lambda text: progress.update(task, description=text)


def report_timings(result: Results) -> None:
    """Seconds per stage on stderr (for --verbose), with the parse rate and cache use."""
    import logging

    if not logging.getLogger("mimres_cli").isEnabledFor(logging.DEBUG):
        return
    words = int(result.units["words"].sum())
    parts = [f"{stage} {seconds:.2f}s" for stage, seconds in result.durations.items()]
    err.print(f"mimres: timings: {', '.join(parts)}", highlight=False, markup=False, soft_wrap=True)
    cache = result.manifest.parse_cache
    if cache:
        line = f"mimres: parse cache: {cache['hits']} interview(s) read, {cache['misses']} parsed"
        err.print(line, highlight=False, markup=False, soft_wrap=True)
    parse = result.durations.get("parse", 0.0)
    if parse > 0:
        err.print(f"mimres: parse: {words / parse:,.0f} words/s",
                  highlight=False, markup=False, soft_wrap=True)  # fmt: skip


def note_jobs(result: Results, given: int | None, run: Settings, quiet: bool) -> None:
    """Say once on stderr when parsing used fewer processes than --jobs (or the project's
    `jobs:`) asked for; the manifest records both. Silent with --quiet and for the default."""
    from mimres_cli.cli._console import print_note
    from mimres_cli.workflow import default_jobs

    quiet = quiet or _quiet_logging()
    options = result.manifest.options
    requested = options.get("jobs_requested")
    asked = given is not None or run.jobs != default_jobs()
    if quiet or requested is None or not asked:
        return
    print_note("notice", f"--jobs {requested}: parsed in {options['jobs']} process(es); more "
               "would not have paid off (the built-in pipeline, few words to parse, or the "
               "parse cache: -v says which)")  # fmt: skip


def exit_if_failed(result: Results, conditions: tuple[str, ...]) -> None:
    """Exit 1 when a --fail-on condition holds (after the results were written)."""
    lines = result.failed(conditions)
    for line in lines:
        err.print(f"mimres: failed: {line}", markup=False, highlight=False, soft_wrap=True)
    if lines:
        raise typer.Exit(1)
