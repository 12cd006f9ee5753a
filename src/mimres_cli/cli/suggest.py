"""`mimres suggest`: terms to add to a code, from the units that have it, and what it misses."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from mimres_cli.cli._batch import CacheDirOpt, JobsOpt, NoCacheOpt, ProjectOpt, QuietOpt
from mimres_cli.cli._console import err, reports_errors
from mimres_cli.cli._options import FormatOpt, ModelOpt, OutputOpt, ResultsArg
from mimres_cli.cli.agree import CoderOpt
from mimres_cli.cli.words import StopwordsOpt

if TYPE_CHECKING:
    import pandas as pd
    from rich.console import RenderableType
    from rich.table import Table

    from mimres_cli.findings.suggest import Suggestions

app = typer.Typer()


@app.command("suggest")
@reports_errors
def suggest_cmd(
    code: Annotated[
        str,
        typer.Argument(
            help="The code: a path (arbeid/jobb), an id or a label. A theme "
            "includes the codes under it.",
            show_default=False,
        ),
    ],
    results: ResultsArg,
    human: Annotated[
        Path | None,
        typer.Option(
            "--human",
            "-H",
            dir_okay=False,
            exists=True,
            help="Human codings (.qdpx or CSV, as 'mimres agree' reads them): the "
            "units they coded with CODE are the ones to learn from. Default: the "
            "units mimres coded with it.",
            rich_help_panel="Inputs",
        ),
    ] = None,
    coder: CoderOpt = None,
    top: Annotated[
        int,
        typer.Option("--top", min=0, help="Terms to list (0: all).", rich_help_panel="Selection"),
    ] = 20,
    min_count: Annotated[
        int,
        typer.Option(
            "--min-count",
            min=1,
            help="Least count of a term in the units that have the code.",
            rich_help_panel="Selection",
        ),
    ] = 2,
    stopwords: StopwordsOpt = None,
    corpus: Annotated[
        Path | None,
        typer.Option(
            "--corpus",
            help="Folder of the coded transcripts. Default: the corpus "
            "path in the results' manifest.json.",
            rich_help_panel="Inputs",
        ),
    ] = None,
    model: ModelOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    project: ProjectOpt = None,
    jobs: JobsOpt = None,
    cache_dir: CacheDirOpt = None,
    no_cache: NoCacheOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Suggest terms for a code: the lemmas and two-word phrases over-represented in its units.

    Each term has its log-likelihood G² (a in c words of the units with the code against b in
    d words of the rest, as 'mimres words --keyness'), and the precision and recall it would
    have as a term. With --human, the units with the code are those a person coded (hand-code
    a few interviews in a QDA tool first), and the near misses list the units the person
    coded that mimres missed, with their most distinctive words. Terms marked as known are
    already terms of the code. The transcripts are parsed again (through the parse cache).

    Example: mimres suggest skole results --human review.qdpx --top 15
    """
    from rich.text import Text

    from mimres_cli import tagging
    from mimres_cli.cli._batch import progress_bars, set_verbosity, settings
    from mimres_cli.cli._emit import emit_tables
    from mimres_cli.findings import words as words_tables

    stop = words_tables.load_stopwords(stopwords)
    set_verbosity(quiet, False)
    run = settings(
        project=project,
        corpus=None,
        codebooks=None,
        unit=None,
        model=None,
        metadata=None,
        jobs=jobs,
        cache_dir=cache_dir,
        no_cache=no_cache,
        out=None,
        fail_on=None,
    )
    with progress_bars(quiet) as on_progress:
        found, manifest = tagging.suggest_for_code(
            results,
            code,
            human=human,
            coders=coder or (),
            corpus=corpus,
            model=model,
            jobs=run.jobs,
            cache_dir=run.cache_dir,
            stopwords=stop,
            min_count=min_count,
            top=top or None,
            on_progress=on_progress,
        )
    titles = {
        "terms": _title(found),
        "near_misses": f"Near misses: units {found.reference} "
        f"coded with {found.code} that mimres did not",
    }

    def terminal(name: str, table: pd.DataFrame) -> RenderableType:
        if name == "terms":
            return _terms_table(found, titles[name])
        if table.empty:
            return Text(f"{titles[name]}: none.")
        return _near_table(found, titles[name])

    emit_tables(
        found.tables,
        fmt,
        output,
        titles=titles,
        terminal=terminal,
        single=len(found.tables) == 1,
        provenance=manifest,
    )
    if found.near_misses is None and not quiet:
        err.print(
            "mimres: notice: the units with the code are mimres's own, so P and R are "
            "against its coding; near misses need a human reading (--human codings from "
            "a QDA tool)",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )


def _title(found: Suggestions) -> str:
    return (
        f"Terms for {found.code} ({found.label}): over-represented in the {found.coded_units} "
        f"of {found.units} units coded with it by {found.reference}"
    )


def _terms_table(found: Suggestions, title: str) -> Table:
    from rich.table import Table
    from rich.text import Text

    table = Table(title=Text(title), title_justify="left")
    for name, justify in (
        ("Term", "left"),
        ("Known", "center"),
        ("a", "right"),
        ("b", "right"),
        ("G²", "right"),
        ("log2 ratio", "right"),
        ("Units", "right"),
        ("P", "right"),
        ("R", "right"),
    ):
        table.add_column(Text(name), justify=justify, no_wrap=True)  # type: ignore[arg-type]
    terms = found.terms
    for row in terms.itertuples(index=False):
        held = f"{row.units}/{row.units + row.units_rest}"
        cells = [
            row.term,
            "✓" if row.in_codebook else "",
            row.count,
            row.count_rest,
            f"{row.g2:.2f}",
            f"{row.log_ratio:.2f}",
            held,
            f"{row.precision:.2f}",
            f"{row.recall:.2f}",
        ]
        table.add_row(*(Text(str(cell)) for cell in cells))
    if len(terms):
        words, rest = int(terms["words"].iloc[0]), int(terms["words_rest"].iloc[0])
        caption = (
            f"a, b: count in the units with the code and in the other units; c = {words} "
            f"and d = {rest} words in them. Units: units with the code that hold the term "
            "/ all units that hold it. P, R: precision and recall of the term alone "
            f"against the coding by {found.reference}. Known: already a term of the code."
        )
    else:
        caption = "No term is over-represented in the units with the code (try --min-count 1)."
    table.caption = Text(caption)
    table.caption_justify = "left"
    return table


def _near_table(found: Suggestions, title: str) -> Table:
    from rich.table import Table
    from rich.text import Text

    table = Table(title=Text(title), title_justify="left", show_lines=True)
    table.add_column("Interview", no_wrap=True)
    table.add_column("Unit", no_wrap=True, justify="right")
    table.add_column("Coded by")
    table.add_column(Text("Distinctive words (G²)"), ratio=2)
    table.add_column("Code's terms in it", ratio=1)
    table.add_column("Text", ratio=3)
    near = found.near_misses
    assert near is not None
    for row in near.itertuples(index=False):
        cells = [
            row.interview_id,
            row.unit_index,
            row.coders,
            row.distinctive,
            row.codebook_terms,
            " ".join(str(row.text).split()),
        ]
        table.add_row(*(Text(str(cell)) for cell in cells))
    return table
