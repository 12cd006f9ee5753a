"""`mimres kwic`: keyword in context over a corpus, with the codebook's term semantics."""

from __future__ import annotations

from typing import Annotated

import typer

from mimres_cli.cli._batch import CacheDirOpt, JobsOpt, MetadataOpt, NoCacheOpt, ProjectOpt
from mimres_cli.cli._console import out, reports_errors
from mimres_cli.cli._options import CorpusOpt, FormatOpt, ModelOpt, OutputOpt

app = typer.Typer()


@app.command("kwic")
@reports_errors
def kwic_cmd(
    term: Annotated[
        str,
        typer.Argument(
            help="A codebook term: a lemma (jobb finds jobben, jobber), a glob (*opplæring), "
            "or several words ('fast jobb').",
            show_default=False,
        ),
    ],
    corpus: CorpusOpt = None,
    model: ModelOpt = None,
    width: Annotated[
        int, typer.Option("--width", "-w", min=1, help="Characters of context on each side.")
    ] = 40,
    by: Annotated[
        list[str] | None,
        typer.Option(
            "--by", "-b", help="Also count matches per value of this attribute (repeatable)."
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
) -> None:
    """Show every match of a term in context, as a codebook term would match it.

    Use it to try a term before adding it to a codebook. Parses come from the parse cache
    where they are there, as in 'mimres run'.

    Example: mimres kwic '*opplæring' --corpus sample_interviews --by group
    """
    from mimres_cli import workflow
    from mimres_cli.cli._batch import settings
    from mimres_cli.cli._emit import emit_tables
    from mimres_cli.coding.kwic import kwic, kwic_counts, term_matcher
    from mimres_cli.export.formats import pipeline_manifest
    from mimres_cli.render import kwic_table, plain_table

    term_matcher(term)  # a bad term fails before the pipeline loads
    run = settings(project=project, corpus=corpus, codebooks=None, unit="turn", model=model,
                   metadata=metadata, jobs=jobs, cache_dir=cache_dir, no_cache=no_cache,
                   out=None, fail_on=None)  # fmt: skip
    options = run.workflow_options()
    del options["unit"]
    source = workflow.open_corpus(run.corpus, **options)
    hits = kwic(source.parsed(), term, width=width, roles=None if all_roles else ("informant",),
                design=source.corpus.design)  # fmt: skip
    found = {"kwic": hits}
    titles = {"kwic": f"'{term}': {len(hits)} matches in {hits['interview_id'].nunique()} "
              f"interviews"}  # fmt: skip
    for name in by or []:
        found[f"by {name}"] = kwic_counts(hits, name)
        titles[f"by {name}"] = f"'{term}' by {name}"

    def terminal(name: str, table):
        if name == "kwic":
            return kwic_table(table, titles[name], width=out.width)
        return plain_table(table, titles[name])

    emit_tables(found, fmt, output, titles=titles, terminal=terminal, single=not by,
                provenance=pipeline_manifest(source.pipeline.info))  # fmt: skip
