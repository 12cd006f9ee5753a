"""`mimres kwic`: keyword in context over a corpus, with the codebook's term semantics."""

from __future__ import annotations

from typing import Annotated

import typer

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
) -> None:
    """Show every match of a term in context, as a codebook term would match it.

    Use it to try a term before adding it to a codebook.

    Example: mimres kwic '*opplæring' --corpus sample_interviews --by group
    """
    from mimres_cli import workflow
    from mimres_cli.cli._emit import emit_tables
    from mimres_cli.coding.kwic import kwic, kwic_counts, term_matcher
    from mimres_cli.export.formats import pipeline_manifest
    from mimres_cli.render import kwic_table, plain_table

    term_matcher(term)  # a bad term fails before the pipeline loads
    source = workflow.open_corpus(corpus, model=model)
    hits = kwic(source.parsed(), term, width=width, roles=None if all_roles else ("informant",))
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
