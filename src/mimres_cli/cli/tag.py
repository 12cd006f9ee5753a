"""`mimres tag`: the tagged text, one row per token, as CSV, JSON Lines, Parquet or CoNLL-U."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from mimres_cli.cli._batch import (
    CacheDirOpt,
    JobsOpt,
    MetadataOpt,
    NoCacheOpt,
    ProjectOpt,
    QuietOpt,
    VerboseOpt,
    progress_bars,
    set_verbosity,
)
from mimres_cli.cli._console import err, out, reports_errors
from mimres_cli.cli._options import (
    ModelOpt,
    SourceCorpusOpt,
    SourceResultsArg,
    UnitChoice,
    choices,
)
from mimres_cli.vocabulary import TokenFormat

if TYPE_CHECKING:
    from mimres_cli.nlp.pipeline import PipelineInfo

app = typer.Typer()


TokenFormatChoice = choices("TokenFormatChoice", TokenFormat)


TokenFormatOpt = Annotated[
    TokenFormatChoice | None,
    typer.Option(
        "--format",
        "-f",
        help="Output format. Default: from the --output suffix, else csv.",
        rich_help_panel="Output",
    ),
]
TokenOutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        dir_okay=False,
        help="Write to this file (.csv .jsonl .parquet .conllu) instead of stdout.",
        rich_help_panel="Output",
    ),
]
TagUnitOpt = Annotated[
    UnitChoice | None,
    typer.Option(
        "--unit",
        help="What the unit column counts: whole turns or sentences. Default: the results' "
        "unit, else the project's, else turn.",
        show_default=False,
    ),
]
AllSpeakersOpt = Annotated[
    bool,
    typer.Option("--all-speakers", help="Include the interviewer's turns too (role column)."),
]


@app.command("tag")
@reports_errors
def tag_cmd(
    results: SourceResultsArg = None,
    corpus: SourceCorpusOpt = None,
    model: ModelOpt = None,
    unit: TagUnitOpt = None,
    all_speakers: AllSpeakersOpt = False,
    fmt: TokenFormatOpt = None,
    output: TokenOutputOpt = None,
    project: ProjectOpt = None,
    metadata: MetadataOpt = None,
    jobs: JobsOpt = None,
    cache_dir: CacheDirOpt = None,
    no_cache: NoCacheOpt = False,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Write every token of the informants' turns with its lemma, tags, entity and offsets.

    One row per token: interview id and metadata, speaker, turn, unit, sentence and token
    index, text, lemma, lemma candidates, UPOS, morphology, head, relation, entity (BIO),
    character offsets into the interview body and kind (word, mark or punct). Rows are written
    as interviews are parsed, so any corpus size fits in memory. Parses come from the parse
    cache where they are there, as in 'mimres run'.

    From a results folder: the interviews it was coded from (unchanged since), parsed with
    its pipeline, in its unit of coding, so (interview_id, unit) joins units.csv's
    (interview_id, unit_index) and segments.csv's.

    Example: mimres tag results -f conllu -o sample.conllu
    """
    from mimres_cli import tagging
    from mimres_cli.cli._source import source_options
    from mimres_cli.export.formats import SIDECAR_SUFFIX, format_from_suffix
    from mimres_cli.export.tokens import TOKEN_WRITERS

    chosen = format_from_suffix(output, fmt.value if fmt else None, writers=TOKEN_WRITERS,
                                default="csv")  # fmt: skip
    set_verbosity(quiet, verbose)
    options, chosen_unit = source_options(results, project=project, corpus=corpus, model=model,
                                          metadata=metadata, jobs=jobs, cache_dir=cache_dir,
                                          no_cache=no_cache,
                                          unit=unit.value if unit else None)  # fmt: skip
    stream = tagging.open_tokens(all_speakers=all_speakers, unit=chosen_unit, **options)
    _notices(stream.pipeline, chosen, output, quiet)
    try:
        with progress_bars(quiet) as on_progress:
            count = tagging.write_tokens(stream, chosen, output, stdout=out.file,
                                         on_progress=on_progress)  # fmt: skip
    except BrokenPipeError:
        # `mimres tag | head` closed the pipe: not an error (Click would exit 1). Point stdout
        # at devnull so the interpreter's final flush does not raise again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(0) from None
    if output is not None and not quiet:
        sidecar = f" and {output.name}{SIDECAR_SUFFIX}" if TOKEN_WRITERS[chosen].sidecar else ""
        err.print(f"Wrote {count} tokens to {output}{sidecar}", markup=False, highlight=False,
                  soft_wrap=True)  # fmt: skip


def _notices(pipeline: PipelineInfo, chosen: str, output: Path | None, quiet: bool) -> None:
    """Say on stderr which columns this pipeline leaves empty, and (for text on stdout, which
    has no room for it) which pipeline tagged the text."""
    from mimres_cli.cli._emit import provenance_notice
    from mimres_cli.export.formats import pipeline_manifest
    from mimres_cli.export.tokens import TOKEN_WRITERS
    from mimres_cli.nlp.tokens import tagger_notice

    if quiet:
        return
    notice = tagger_notice(pipeline)
    if notice:
        err.print(f"mimres: notice: {notice}.", markup=False, highlight=False, soft_wrap=True)
    if output is None and TOKEN_WRITERS[chosen].sidecar:
        provenance_notice(pipeline_manifest(pipeline))  # stdout stays pure data
