"""`mimres kwic`: keyword in context over a corpus, with the codebook's term semantics."""

from __future__ import annotations

from typing import Annotated

import typer

from mimres_cli.cli._batch import (
    CacheDirOpt,
    JobsOpt,
    MetadataOpt,
    NoCacheOpt,
    ProjectOpt,
    QuietOpt,
    VerboseOpt,
)
from mimres_cli.cli._console import out, print_note, reports_errors
from mimres_cli.cli._options import (
    FormatOpt,
    ModelOpt,
    OutputOpt,
    SourceCorpusOpt,
    SourceResultsArg,
    choices,
)
from mimres_cli.errors import MimresError
from mimres_cli.vocabulary import KwicSort

app = typer.Typer()

KwicSortChoice = choices("KwicSortChoice", KwicSort)

TermArg = Annotated[
    str | None,
    typer.Argument(
        help="A codebook term (required): a lemma (jobb finds jobben, jobber), a glob "
        "(*opplæring), or several words ('fast jobb').",
        show_default=False,
    ),
]
SortOpt = Annotated[
    KwicSortChoice,
    typer.Option(
        "--sort",
        help="Line order: as in the corpus; by the words left of the match (nearest first) or "
        "right of it, in Norwegian alphabetical order; or by the codes of the unit that holds "
        "the match (needs RESULTS; uncoded ones last).",
    ),
]
LimitOpt = Annotated[
    int,
    typer.Option(
        "--limit",
        "-n",
        min=0,
        help="Show the first N lines (after --sort) and say how many were left out (0: all). "
        "--by counts every match.",
    ),
]


@app.command("kwic")
@reports_errors
def kwic_cmd(
    results: SourceResultsArg = None,
    term: TermArg = None,
    corpus: SourceCorpusOpt = None,
    model: ModelOpt = None,
    width: Annotated[
        int, typer.Option("--width", "-w", min=1, help="Characters of context on each side.")
    ] = 40,
    sort: SortOpt = KwicSortChoice.corpus,
    limit: LimitOpt = 0,
    by: Annotated[
        list[str] | None,
        typer.Option(
            "--by",
            "-b",
            metavar="ATTR",
            help="Also count matches per value of this attribute (repeatable).",
        ),
    ] = None,
    all_roles: Annotated[
        bool, typer.Option("--all-roles", help="Search interviewer turns too, not only informants.")
    ] = False,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    project: ProjectOpt = None,
    metadata: MetadataOpt = None,
    jobs: JobsOpt = None,
    cache_dir: CacheDirOpt = None,
    no_cache: NoCacheOpt = False,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Show every match of a term in context, as a codebook term would match it.

    Use it to try a term before adding it to a codebook: 'mimres kwic [RESULTS] TERM'. Each
    line shows the interview, its group (the design's second attribute), the match and its
    context. From a results folder: the interviews it was coded from, parsed with its pipeline,
    and a codes column with the codes of the unit that holds each match (empty: the term would
    code it anew). Parses come from the parse cache where they are there, as in 'mimres run'.

    Example: mimres kwic results '*opplæring' --sort left --limit 20 --by group
    """
    from mimres_cli import tagging
    from mimres_cli.cli._batch import progress_bars, set_verbosity
    from mimres_cli.cli._emit import emit_tables
    from mimres_cli.cli._source import source_options
    from mimres_cli.coding.kwic import kwic, kwic_counts, sort_kwic, term_matcher, with_codes
    from mimres_cli.export.formats import format_from_suffix, pipeline_manifest
    from mimres_cli.render import kwic_by_codes, kwic_table, plain_table

    if term is None:
        if results is None:
            raise MimresError("no term to search for", fix="Give one: mimres kwic jobb")
        if (results / "manifest.json").is_file():
            raise MimresError(
                f"'{results}' is a results folder, and no term follows it",
                fix=f"Give the term after it: mimres kwic {results} jobb",
            )
        term, results = str(results), None  # one argument: the term, over --corpus
    if sort is KwicSortChoice.code and results is None:
        raise MimresError(
            "--sort code sorts by the codes of a results folder, and none is given",
            fix=f"Give one first: mimres kwic RESULTS '{term}' --sort code",
        )
    set_verbosity(quiet, verbose)
    term_matcher(term)  # a bad term fails before the pipeline loads
    options, _ = source_options(results, project=project, corpus=corpus, model=model,
                                metadata=metadata, jobs=jobs, cache_dir=cache_dir,
                                no_cache=no_cache)  # fmt: skip
    source, coded = tagging.open_source(**options)
    design = source.corpus.design
    with progress_bars(quiet) as on_progress:
        hits = kwic(source.parsed(source.progress(on_progress)), term, width=width,
                    roles=None if all_roles else ("informant",), design=design)  # fmt: skip
    order: list[str] = []
    if coded is not None:
        order = list(coded.codes["code"])
        hits = with_codes(hits, coded.segments, order)
    hits = sort_kwic(hits, sort.value, order)
    shown = hits.head(limit) if limit else hits
    title = _title(term, hits, len(shown), sort.value, limit)
    found = {"kwic": shown}
    titles = {"kwic": title}
    for name in by or []:
        found[f"by {name}"] = kwic_counts(hits, name)
        titles[f"by {name}"] = f"'{term}' by {name}"
    left_out = len(hits) - len(shown)
    chosen = format_from_suffix(output, fmt.value if fmt else None)
    if left_out and chosen in ("csv", "tsv", "json") and not quiet:
        print_note("notice", f"{left_out} of {len(hits)} matches left out by --limit {limit}")

    def terminal(name: str, table):
        if name != "kwic":
            return plain_table(table, titles[name])
        if sort is KwicSortChoice.code:  # headed by the codes, which are too wide for a column
            return kwic_by_codes(table, titles[name], width=out.width, group=design.columns)
        shown = table.drop(columns="codes", errors="ignore")
        return kwic_table(shown, titles[name], width=out.width, group=design.columns)

    emit_tables(found, fmt, output, titles=titles, terminal=terminal, single=not by,
                provenance=pipeline_manifest(source.pipeline.info))  # fmt: skip


def _title(term: str, hits, shown: int, sort: str, limit: int) -> str:
    """The concordance's title: "'jobb': 12 matches in 8 interviews, by left context; 5 shown,
    7 left out (--limit 5)"."""
    title = f"'{term}': {len(hits)} matches in {hits['interview_id'].nunique()} interviews"
    if sort != "corpus":
        title += f", by {'codes' if sort == 'code' else sort + ' context'}"
    if shown < len(hits):
        title += f"; {shown} shown, {len(hits) - shown} left out (--limit {limit})"
    return title
