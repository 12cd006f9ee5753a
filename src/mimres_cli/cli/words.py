"""`mimres words`: what each group talks about: lemma frequencies, keyness and named entities."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

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
from mimres_cli.cli._console import err, out, reports_errors
from mimres_cli.cli._options import (
    FormatOpt,
    ModelOpt,
    OutputOpt,
    SourceCorpusOpt,
    SourceResultsArg,
)

if TYPE_CHECKING:
    import pandas as pd

    from mimres_cli.findings.words import WordCounts
    from mimres_cli.nlp import PipelineInfo

app = typer.Typer()

ByOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--by",
        metavar="ATTR",
        help="Metadata attribute to group by; repeat for several. Default: the second "
        "attribute of the study design (group).",
        rich_help_panel="Grouping",
    ),
]
PosOpt = Annotated[
    str | None,
    typer.Option(
        "--pos",
        metavar="TAGS",
        help="Count only these UPOS tags, comma-separated (NOUN,VERB,ADJ). Needs a tagger.",
        rich_help_panel="Selection",
    ),
]
TopOpt = Annotated[
    int,
    typer.Option("--top", min=0, help="Rows per group (0: all).", rich_help_panel="Selection"),
]
MinCountOpt = Annotated[
    int,
    typer.Option(
        "--min-count",
        min=1,
        help="Least count of a lemma in the group (with --keyness: in the whole corpus).",
        rich_help_panel="Selection",
    ),
]
StopwordsOpt = Annotated[
    Path | None,
    typer.Option(
        "--stopwords",
        exists=True,
        dir_okay=False,
        help="Stop word list (one per line, # comments) instead of the shipped Bokmål and "
        "Nynorsk lists; a line @shipped adds them. An empty file keeps every word.",
        rich_help_panel="Selection",
    ),
]
KeynessOpt = Annotated[
    bool,
    typer.Option(
        "--keyness",
        help="Compare each group with the rest: signed G² and log ratio.",
        rich_help_panel="Tables",
    ),
]
EntitiesOpt = Annotated[
    bool,
    typer.Option(
        "--entities",
        help="Count named entities by label instead (needs NER).",
        rich_help_panel="Tables",
    ),
]


@app.command("words")
@reports_errors
def words_cmd(
    results: SourceResultsArg = None,
    corpus: SourceCorpusOpt = None,
    model: ModelOpt = None,
    by: ByOpt = None,
    pos: PosOpt = None,
    top: TopOpt = 20,
    min_count: MinCountOpt = 1,
    stopwords: StopwordsOpt = None,
    keyness: KeynessOpt = False,
    entities: EntitiesOpt = False,
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
    """Count the informants' lemmas per group, or their keyness, or the entities they name.

    Frequencies: count, per 10,000 words of the group and the number of interviews using the
    lemma. --keyness: log-likelihood G² (signed: + where the group uses the lemma more than
    the rest) and log2 ratio. Stop words, transcription marks and fillers are left out.

    From a results folder: the interviews it was coded from (unchanged since), parsed with
    its pipeline (from the parse cache where they are there), grouped by its design.

    Example: mimres words results --keyness --top 10
    """
    if keyness and entities:
        raise typer.BadParameter("--keyness and --entities are two different tables: pick one")
    from mimres_cli import tagging
    from mimres_cli.cli._batch import progress_bars, set_verbosity
    from mimres_cli.cli._emit import provenance_notice
    from mimres_cli.cli._source import source_options
    from mimres_cli.export.formats import (
        SIDECAR_SUFFIX,
        format_from_suffix,
        pipeline_manifest,
        write_table,
    )
    from mimres_cli.findings import words as words_tables

    tags = [p.strip().upper() for p in (pos or "").split(",") if p.strip()]
    chosen = format_from_suffix(output, fmt.value if fmt else None)
    stop = words_tables.load_stopwords(stopwords)
    set_verbosity(quiet, verbose)
    options, _ = source_options(results, project=project, corpus=corpus, model=model,
                                metadata=metadata, jobs=jobs, cache_dir=cache_dir,
                                no_cache=no_cache)  # fmt: skip
    with progress_bars(quiet) as on_progress:
        counts, info = tagging.count_corpus_words(by=by or None, need_tags=bool(tags),
                                                  on_progress=on_progress, **options)  # fmt: skip
    kind = "entities" if entities else "keyness" if keyness else "frequencies"
    select = {"pos": tags, "stopwords": stop, "min_count": min_count, "top": top or None}
    table, title = _table(counts, info, kind, select, quiet)
    provenance = pipeline_manifest(info)
    if chosen in ("csv", "tsv") and output is None and not quiet:
        provenance_notice(provenance)
    written = write_table(table, chosen, output, sheet_name="words",
                          title=title if chosen in ("table", "markdown") else "",
                          stream=out.file, provenance=provenance)  # fmt: skip
    if written is not None and not quiet:
        also = f" and {written.name}{SIDECAR_SUFFIX}" if chosen in ("csv", "tsv") else ""
        err.print(f"Wrote {written}{also}", markup=False, highlight=False, soft_wrap=True)


def _table(
    counts: WordCounts, info: PipelineInfo, kind: str, select: dict[str, Any], quiet: bool
) -> tuple[pd.DataFrame, str]:
    """The table `words` prints (frequencies, keyness or entities) and its title."""
    from mimres_cli.findings import words as words_tables

    groups = " × ".join(counts.by)
    if kind == "entities":
        if not info.has_ner and not quiet:
            err.print(
                f"mimres: notice: pipeline {info.name} has no entity recogniser, so there are "
                "no entities to count. Pass --model with a trained Bokmål pipeline.",
                markup=False, highlight=False, soft_wrap=True,
            )  # fmt: skip
        table = words_tables.entities(counts, min_count=select["min_count"], top=select["top"])
        return table, f"Named entities by {groups}"
    if kind == "keyness":
        table = words_tables.keyness(counts, **select)
        return table, f"Key lemmas of each {groups} against the rest (G², log2 ratio)"
    table = words_tables.frequencies(counts, **select)
    return table, f"Lemma frequencies by {groups} (informant turns)"
