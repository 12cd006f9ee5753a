"""Tagged text as output: stream token rows to a file, and count informants' words by group.

The single calls behind `mimres tag`, `mimres words` and `mimres suggest`. Interviews are
parsed one at a time through `workflow.open_corpus` (which owns pipeline choice and the parse
cache), and each interview's tokens are written or counted before the next is parsed, so
memory holds one interview's tokens whatever the size of the corpus.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pandas as pd

from mimres_cli import __version__
from mimres_cli.coding.results import Manifest, Results
from mimres_cli.errors import MimresError, OutputError
from mimres_cli.export.conllu import write_conllu
from mimres_cli.export.formats import SIDECAR_SUFFIX, pipeline_manifest, provenance_fields
from mimres_cli.export.tokens import (
    TOKEN_WRITERS,
    TokenFormat,
    write_tokens_csv,
    write_tokens_jsonl,
    write_tokens_parquet,
)
from mimres_cli.files import write_files_atomic
from mimres_cli.findings.suggest import Suggestions
from mimres_cli.findings.words import WordCounts, count_words
from mimres_cli.nlp.pipeline import FALLBACK_NAME, PipelineInfo
from mimres_cli.nlp.tokens import UnitKind, metadata_of, token_columns, token_rows
from mimres_cli.workflow import ParsedCorpus, ProgressEvent, open_corpus

OnProgress = Callable[[ProgressEvent], None]

log = logging.getLogger(__name__)

#: Columns `--by` may group words by, besides the interviews' metadata.
_TOKEN_GROUPS = ("interview_id", "language", "speaker")


@dataclass(frozen=True)
class TokenStream:
    """The token rows of a corpus, produced one interview at a time on demand."""

    source: ParsedCorpus
    columns: dict[str, str]  # column → pandas dtype, metadata included
    all_speakers: bool = False
    unit: UnitKind = "turn"

    @property
    def pipeline(self) -> PipelineInfo:
        return self.source.pipeline.info

    @property
    def metadata(self) -> list[str]:
        return metadata_of(self.columns)

    def chunks(self, on_progress: OnProgress | None = None) -> Iterator[list[dict[str, Any]]]:
        """One list of row dicts per interview, in corpus order (parses on each call).

        `on_progress` hears a "parse" event per interview (`ParsedCorpus.progress`).
        """
        roles = None if self.all_speakers else ("informant",)
        on_parsed = self.source.progress(on_progress) if on_progress is not None else None
        for item in self.source.parsed(on_parsed=on_parsed):
            yield token_rows(item, self.pipeline, roles=roles, unit=self.unit)

    def frames(self, on_progress: OnProgress | None = None) -> Iterator[pd.DataFrame]:
        """The same chunks as DataFrames with every column of the token table."""
        names = list(self.columns)
        for rows in self.chunks(on_progress):
            yield pd.DataFrame(rows, columns=names)


def open_tokens(
    corpus: Path | None = None,
    *,
    model: str | None = None,
    all_speakers: bool = False,
    unit: UnitKind | None = None,
    results: Path | None = None,
    **open_options: Any,
) -> TokenStream:
    """Load a corpus and its pipeline, ready to stream token rows (nothing is parsed yet).

    The corpus is `corpus`, or with `results` the interviews that results folder was coded
    from (see `open_source`). `unit` defaults to the results' unit, else the turn.
    """
    source, coded = open_source(corpus, results=results, model=model, **open_options)
    if unit is None and coded is not None:
        unit = coded.manifest.options.get("unit")
    return TokenStream(source, token_columns(source.corpus), all_speakers, unit or "turn")


def open_source(
    corpus: Path | None = None,
    *,
    results: Path | None = None,
    model: str | None = None,
    jobs: int = 1,
    cache_dir: Path | None = None,
    **corpus_options: Any,
) -> tuple[ParsedCorpus, Results | None]:
    """The interviews to parse, and the results folder they come from (None: a corpus).

    Without `results`: `corpus` as `workflow.open_corpus` loads it (`corpus_options`: metadata
    sheet, roles, design). With `results`: the interviews it was coded from, with its metadata,
    roles and design (see `open_results`; `corpus` is where they are now, if moved).
    """
    if results is None:
        return open_corpus(corpus, model=model, jobs=jobs, cache_dir=cache_dir,
                           **corpus_options), None  # fmt: skip
    given = sorted(name for name, value in corpus_options.items() if value)
    if given:
        raise MimresError(
            f"a results folder brings the {', '.join(given)} it was coded with",
            fix=f"Drop --{given[0]}, or give --corpus instead of the results folder",
            code="E000",
        )
    return open_results(results, corpus=corpus, model=model, jobs=jobs, cache_dir=cache_dir)


def open_results(
    results: Path,
    *,
    corpus: Path | None = None,
    model: str | None = None,
    jobs: int = 1,
    cache_dir: Path | None = None,
    only: Collection[str] | None = None,
    coded: Results | None = None,
) -> tuple[ParsedCorpus, Results]:
    """A results folder, and the interviews it was coded from ready to parse as the run did.

    The transcripts are those manifest.json lists, read again from the corpus it names (a
    relative path from the current folder, else beside the results folder) or from `corpus`
    where they moved; each must be unchanged since coding (its sha256), and gets the run's
    metadata sheet, speaker roles and design. They are parsed with `model`, else the pipeline
    the run was given (a warning where that is not the one the run recorded), through the
    parse cache in `cache_dir`. `only` keeps these interview ids; `coded` is the folder
    already read (`Results.read(results)`). Nothing is parsed yet.
    """
    from mimres_cli.corpus import Corpus
    from mimres_cli.export.refi import reload_interviews
    from mimres_cli.nlp import load_pipeline
    from mimres_cli.nlp.cache import open_cache

    results = Path(results)
    coded = coded if coded is not None else Results.read(results)
    manifest = coded.manifest
    base = results.resolve().parent
    interviews = [i for i in reload_interviews(manifest, corpus, base).values()
                  if only is None or i.id in only]  # fmt: skip
    recorded = FALLBACK_NAME if manifest.pipeline.fallback else manifest.options.get("model")
    pipeline = load_pipeline(model or recorded)
    if manifest.pipeline.name and manifest.pipeline.name != pipeline.info.name:
        log.warning("the results were coded with pipeline %s, but the lemmas come from %s",
                    manifest.pipeline.name, pipeline.info.name)  # fmt: skip
    cache = open_cache(cache_dir, pipeline.info) if cache_dir is not None else None
    root = corpus or Path(manifest.corpus)
    source = ParsedCorpus(Corpus(root, tuple(interviews), design=manifest.design), pipeline,
                          jobs=max(1, jobs), cache=cache)  # fmt: skip
    return source, coded


def write_tokens(
    stream: TokenStream,
    fmt: TokenFormat,
    output: Path | None = None,
    stdout: IO[str] | None = None,
    on_progress: OnProgress | None = None,
) -> int:
    """Write the token table as csv, jsonl, parquet or conllu to `output`, else to `stdout`.

    A file appears only once it is complete. Parquet needs `output`. Returns the row count.
    Provenance (`token_provenance`) goes into the output: `# pipeline` and `# mimres_version`
    comments in each CoNLL-U document, the "mimres" key of the Parquet schema metadata, and a
    sidecar `<file>.provenance.json` beside a CSV or JSON Lines file. CSV and JSON Lines on
    `stdout` carry none (the CLI names the pipeline on stderr).
    """
    if output is None:
        if not TOKEN_WRITERS[fmt].text:
            raise OutputError("Parquet is a binary format and cannot go to stdout",
                              fix="Add -o tokens.parquet", code="E503")  # fmt: skip
        if stdout is None:
            raise OutputError("no output given", fix="Give -o FILE", code="E503")
        return _write_text(stream, fmt, stdout, on_progress)
    if output.is_dir():
        raise OutputError(
            f"'{output}' is a folder", fix="Give a file name, e.g. -o tokens.csv", code="E503"
        )
    count = 0
    provenance = token_provenance(stream.pipeline)

    def writer(target: Path) -> None:
        nonlocal count
        if fmt == "parquet":
            count = write_tokens_parquet(stream.chunks(on_progress), stream.columns, target,
                                         provenance=provenance)  # fmt: skip
        else:
            with target.open("w", encoding="utf-8", newline="") as handle:
                count = _write_text(stream, fmt, handle, on_progress)

    writers: dict[str, Callable[[Path], Any]] = {output.name: writer}
    if TOKEN_WRITERS[fmt].sidecar:
        sidecar = json.dumps(provenance, ensure_ascii=False, indent=2) + "\n"
        writers[output.name + SIDECAR_SUFFIX] = lambda target: target.write_text(
            sidecar, encoding="utf-8"
        )
    write_files_atomic(output.parent, writers)
    return count


def token_provenance(info: PipelineInfo) -> dict[str, Any]:
    """The provenance fields of tagged text: this mimres and the pipeline that parsed it."""
    return provenance_fields(pipeline_manifest(info))


def _write_text(
    stream: TokenStream, fmt: TokenFormat, out: IO[str], on_progress: OnProgress | None = None
) -> int:
    chunks = stream.chunks(on_progress)
    if fmt == "csv":
        return write_tokens_csv(chunks, stream.columns, out)
    if fmt == "jsonl":
        return write_tokens_jsonl(chunks, stream.columns, out)
    if fmt == "conllu":
        info = stream.pipeline
        comments = {"pipeline": f"{info.name} {info.version}".strip(),
                    "mimres_version": __version__}  # fmt: skip
        return write_conllu(chunks, stream.metadata, out, provenance=comments)
    raise MimresError(
        f"unknown token format '{fmt}'", fix="Use csv, jsonl, parquet or conllu", code="E504"
    )


def count_corpus_words(
    corpus: Path | None = None,
    *,
    model: str | None = None,
    by: Sequence[str] | None = None,
    need_tags: bool = False,
    on_progress: OnProgress | None = None,
    results: Path | None = None,
    **open_options: Any,
) -> tuple[WordCounts, PipelineInfo]:
    """Parse a corpus and count its informants' lemmas, words and entities per `by` group
    (default: the second attribute of the corpus's design). With `results`, the interviews
    that results folder was coded from (see `open_tokens`).

    Raises MimresError, before any parsing, for a `by` attribute no interview has, and for a
    pipeline without a tagger when `need_tags` (a --pos filter needs UPOS tags).
    """
    stream = open_tokens(corpus, model=model, results=results, **open_options)
    if need_tags and not stream.pipeline.has_tagger:
        raise MimresError(
            f"--pos needs part-of-speech tags, but pipeline {stream.pipeline.name} has no tagger",
            fix="Drop --pos, or pass --model with a trained Bokmål pipeline",
            code="E601",
        )
    known = [*stream.metadata, *_TOKEN_GROUPS]
    by = [stream.source.corpus.design.columns] if by is None else list(by)
    for name in by:
        if name not in known:
            raise MimresError(f"no interview has the attribute '{name}' given to --by",
                              fix=f"Use one of: {', '.join(known)}", code="E002")  # fmt: skip
    return count_words(stream.frames(on_progress), by), stream.pipeline


def suggest_for_code(
    results: Path,
    code: str,
    *,
    human: Path | None = None,
    coders: Sequence[str] = (),
    corpus: Path | None = None,
    model: str | None = None,
    jobs: int = 1,
    cache_dir: Path | None = None,
    stopwords: Iterable[str] = (),
    min_count: int = 2,
    top: int | None = None,
    on_progress: OnProgress | None = None,
) -> tuple[Suggestions, Manifest]:
    """Terms to suggest for `code` in a results folder, and the results' manifest.

    The units that have the code are those the human codings in `human` (a .qdpx project or a
    CSV, read as `mimres agree` reads them: every coder but mimres, or `coders`) coded with it,
    over the interviews they coded; without `human`, those mimres coded with it. The coded
    transcripts are read again (they must be unchanged since coding) and parsed with the
    pipeline of the run (or `model`) through the parse cache in `cache_dir`, for their lemmas.
    The code's terms are read from the codebooks named in manifest.json, as they are now.
    """
    from mimres_cli.codebook import load_codebook
    from mimres_cli.coding.human import COMPARED_ROLES, human_side
    from mimres_cli.export.refi.codings import read_codings
    from mimres_cli.findings.suggest import OWN_CODING, TOKEN_INPUT, resolve_code, suggest

    coded = Results.read(results)
    manifest = coded.manifest
    path = resolve_code(coded.codes, code)  # a wrong code fails before anything is parsed
    units = coded.units[coded.units["role"].isin(COMPARED_ROLES)]
    segments = None
    coding, reference = coded.segments, OWN_CODING
    if human is not None:
        codings = read_codings(human, coded.interviews, coded.units, coded.codes).codings
        reference, coding, interviews = human_side(str(human), codings, coded.units, coders)
        units = units[units["interview_id"].isin(interviews)]
        segments = coded.segments
    terms = _code_terms(manifest, results.resolve().parent, path, load_codebook)
    source, _ = open_results(results, corpus=corpus, model=model, jobs=jobs, cache_dir=cache_dir,
                             only=set(units["interview_id"]), coded=coded)  # fmt: skip
    unit = manifest.options.get("unit", "turn")
    stream = TokenStream(source, token_columns(source.corpus), unit=unit)
    frames = [frame[TOKEN_INPUT] for frame in stream.frames(on_progress)]
    tokens = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=TOKEN_INPUT)
    found = suggest(tokens, units, coded.codes, path, coded=coding, reference=reference,
                    segments=segments, codebook_terms=terms, stopwords=stopwords,
                    min_count=min_count, top=top)  # fmt: skip
    return found, manifest


def _code_terms(manifest: Manifest, base: Path, path: str, load) -> list[str]:
    """The terms of `path` and the codes under it in the run's codebooks, as the files are now.

    A codebook that is gone is skipped with a warning (no term is then marked as known).
    """
    terms: list[str] = []
    for entry in manifest.codebooks:
        recorded = Path(entry.path)
        book = recorded if recorded.is_absolute() or recorded.exists() else base / recorded
        if not book.is_file():
            log.warning("codebook '%s' is not there; its terms are not marked", recorded)
            continue
        for code in load(book).walk():
            if code.path == path or code.path.startswith(path + "/"):
                terms.extend(code.terms)
    return terms
