"""`mimres tag`: the tagged text, one row per token, as CSV, JSON Lines, Parquet or CoNLL-U."""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from mimres_cli.cli._batch import (
    CacheDirOpt,
    JobsOpt,
    MetadataOpt,
    NoCacheOpt,
    ProjectOpt,
    QuietOpt,
)
from mimres_cli.cli._console import err, out, reports_errors
from mimres_cli.cli._options import CorpusOpt, ModelOpt, UnitChoice, UnitOpt

app = typer.Typer()


class TokenFormatChoice(str, Enum):
    csv = "csv"
    jsonl = "jsonl"
    parquet = "parquet"
    conllu = "conllu"


_SUFFIXES = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet",
             ".conllu": "conllu", ".conll": "conllu"}  # fmt: skip

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
AllSpeakersOpt = Annotated[
    bool,
    typer.Option("--all-speakers", help="Include the interviewer's turns too (role column)."),
]


@app.command("tag")
@reports_errors
def tag_cmd(
    corpus: CorpusOpt = None,
    model: ModelOpt = None,
    unit: UnitOpt = UnitChoice.turn,
    all_speakers: AllSpeakersOpt = False,
    fmt: TokenFormatOpt = None,
    output: TokenOutputOpt = None,
    project: ProjectOpt = None,
    metadata: MetadataOpt = None,
    jobs: JobsOpt = None,
    cache_dir: CacheDirOpt = None,
    no_cache: NoCacheOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Write every token of the informants' turns with its lemma, tags, entity and offsets.

    One row per token: interview id and metadata, speaker, turn, unit, sentence and token
    index, text, lemma, lemma candidates, UPOS, morphology, head, relation, entity (BIO),
    character offsets into the interview body and kind (word, mark or punct). Rows are written
    as interviews are parsed, so any corpus size fits in memory. Parses come from the parse
    cache where they are there, as in 'mimres run'.

    Example: mimres tag --corpus sample_interviews -f conllu -o sample.conllu
    """
    from mimres_cli import tagging
    from mimres_cli.cli._batch import progress_bars, set_verbosity, settings
    from mimres_cli.cli._emit import provenance_notice
    from mimres_cli.errors import OutputError
    from mimres_cli.export.formats import SIDECAR_SUFFIX, pipeline_manifest
    from mimres_cli.nlp.tokens import tagger_notice

    chosen = fmt.value if fmt else None
    if chosen is None and output is not None:
        chosen = _SUFFIXES.get(output.suffix.lower())
        if chosen is None:
            raise OutputError(
                f"cannot tell the format of '{output}' from its suffix '{output.suffix}'",
                fix=f"Use a suffix among {', '.join(_SUFFIXES)}, or pass --format",
            )
    set_verbosity(quiet, False)
    run = settings(project=project, corpus=corpus, codebooks=None, unit=unit.value, model=model,
                   metadata=metadata, jobs=jobs, cache_dir=cache_dir, no_cache=no_cache,
                   out=None, fail_on=None)  # fmt: skip
    options = run.workflow_options()
    stream = tagging.open_tokens(run.corpus, all_speakers=all_speakers, **options)
    notice = tagger_notice(stream.pipeline)
    if notice and not quiet:
        err.print(f"mimres: notice: {notice}.", markup=False, highlight=False, soft_wrap=True)
    if output is None and (chosen or "csv") in ("csv", "jsonl") and not quiet:
        provenance_notice(pipeline_manifest(stream.pipeline))  # stdout stays pure data
    try:
        with progress_bars(quiet) as on_progress:
            count = tagging.write_tokens(stream, chosen or "csv", output, stdout=out.file,
                                         on_progress=on_progress)  # fmt: skip
    except BrokenPipeError:
        # `mimres tag | head` closed the pipe: not an error (Click would exit 1). Point stdout
        # at devnull so the interpreter's final flush does not raise again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(0) from None
    if output is not None and not quiet:
        err.print(
            f"Wrote {count} tokens to {output}"
            + (f" and {output.name}{SIDECAR_SUFFIX}" if chosen in ("csv", "jsonl") else ""),
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
