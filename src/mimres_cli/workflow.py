"""End-to-end runs: load → parse → code → aggregate, the single call behind `mimres run`."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import platform
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any, Literal

from mimres_cli import __version__
from mimres_cli.codebook import compile_codebooks, load_codebook, refuse_tag_patterns
from mimres_cli.codebook.model import Codebook
from mimres_cli.coding.apply import UnitKind, code_interviews, coded_rows, codes_table
from mimres_cli.coding.results import (
    TABLES,
    CodebookRecord,
    Manifest,
    PipelineRecord,
    Results,
    ResultsFolder,
    SourceFile,
)
from mimres_cli.coding.schema import TableLayout
from mimres_cli.coding.shards import Shard, part_manifest, part_tables
from mimres_cli.corpus import Corpus, Interview, load_corpus
from mimres_cli.corpus.memo import TranscriptMemo
from mimres_cli.design import Design
from mimres_cli.errors import MissingInputError, Problem, collecting
from mimres_cli.nlp import (
    ParsedInterview,
    Pipeline,
    PipelineInfo,
    parse_interviews,
)
from mimres_cli.nlp.cache import ParseCache, open_cache
from mimres_cli.nlp.parse import why_fewer_processes
from mimres_cli.nlp.saved import open_pipeline
from mimres_cli.vocabulary import FAIL_ON

log = logging.getLogger(__name__)

_PACKAGE_DATA = Path(__file__).parent / "_data"
_REPO_ROOT = Path(__file__).resolve().parents[2]

#: The conditions `--fail-on` can check after a run.
__all__ = ["FAIL_ON", "TABLES", "ParsedCorpus", "ProgressEvent", "Results", "code", "open_corpus"]


@dataclass(frozen=True)
class ProgressEvent:
    """One interview through one stage, for progress bars (`on_progress`).

    Each stage first reports `done=0` (no interview yet) when it starts.
    """

    stage: Literal["parse", "code"]
    interview_id: str
    done: int  # interviews through this stage so far, this one included
    total: int  # interviews in the corpus
    words: int  # whitespace-separated words in this interview's turns
    cached: bool = False  # parsed before: read from the parse cache


def shipped(name: str) -> Path:
    """A folder shipped with mimres (`sample_interviews`, `codebooks`), installed or checked out."""
    for base in (_PACKAGE_DATA, _REPO_ROOT):
        if (base / name).is_dir():
            return base / name
    raise MissingInputError(f"the shipped '{name}' folder is missing from this installation",
                            fix="Reinstall mimres-cli, or give the path explicitly")  # fmt: skip


def default_corpus() -> Path:
    """`sample_interviews/` in the current folder, else the sample shipped with mimres."""
    here = Path("sample_interviews")
    return here if here.is_dir() else shipped("sample_interviews")


def default_codebooks() -> list[Path]:
    """Every codebook in `codebooks/` of the current folder, else the shipped codebooks."""
    here = sorted(Path("codebooks").glob("*.yaml")) if Path("codebooks").is_dir() else []
    return here or sorted(shipped("codebooks").glob("*.yaml"))


def default_jobs() -> int:
    """Every core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class ParsedCorpus:
    """A loaded corpus, the pipeline chosen for it, and its interviews parsed on demand."""

    corpus: Corpus
    pipeline: Pipeline
    jobs: int = 1
    cache: ParseCache | None = None

    def __repr__(self) -> str:
        return f"ParsedCorpus({self.corpus!r}, pipeline {self.pipeline.info.describe()})"

    def parsed(
        self,
        on_parsed: Callable[[ParsedInterview, bool], None] | None = None,
        on_processes: Callable[[int], None] | None = None,
    ) -> Iterator[ParsedInterview]:
        """Parse the interviews (streamed, in corpus order), through the parse cache if any.

        Each call parses again (or reads the cache again); Docs are not kept. Parsing may use
        fewer processes than `jobs` (see `nlp.parse.processes_for`); it says so in the log and
        tells `on_processes` how many it used.
        """

        def planned(processes: int, words: int) -> None:
            if processes < self.jobs:
                log.info("parsing in %d process(es), not the %d --jobs allows: %s", processes,
                         self.jobs, why_fewer_processes(self.pipeline, words))  # fmt: skip
            if on_processes is not None:
                on_processes(processes)

        return parse_interviews(self.corpus, self.pipeline, n_process=self.jobs, cache=self.cache,
                                on_parsed=on_parsed, on_plan=planned)  # fmt: skip

    def progress(
        self, on_progress: Callable[[ProgressEvent], None] | None
    ) -> Callable[[ParsedInterview, bool], None]:
        """An `on_parsed` callback for `parsed` that sends each interview's parse
        `ProgressEvent` to `on_progress` (for commands that parse without `code`)."""
        progress = _Progress(self.corpus, on_progress, None)
        progress.start(("parse",))
        return progress.parsed


def open_corpus(
    corpus: Path | str | None = None,
    *,
    model: str | None = None,
    jobs: int = 1,
    cache_dir: Path | str | None = None,
    metadata: Path | str | None = None,
    roles: Mapping[str, str] | None = None,
    design: Design | Sequence[str] | str | None = None,
) -> ParsedCorpus:
    """Load a corpus (default: the sample) and the pipeline to parse it with.

    Every command that needs parsed text (code, kwic, tag, words, compare) starts here, so
    pipeline choice and parse caching live in one place. `cache_dir` None parses every time;
    `jobs` is the most processes parsing may use; `design` as for `code`.
    """
    corpus = Path(corpus) if corpus is not None else default_corpus()
    cache_dir = Path(cache_dir) if cache_dir is not None else None
    metadata = Path(metadata) if metadata is not None else None
    memo = TranscriptMemo.of(cache_dir, corpus) if cache_dir is not None else None
    loaded = _load_corpus(corpus, metadata, roles, as_design(design), memo)
    pipeline = open_pipeline(model)
    cache = open_cache(cache_dir, pipeline.info) if cache_dir is not None else None
    if memo is not None:
        memo.save()  # once the folder is known to be a parse cache
    return ParsedCorpus(loaded, pipeline, jobs=max(1, jobs), cache=cache)


def code(
    corpus: Path | str | None = None,
    codebooks: Sequence[Path | str] = (),
    *,
    design: Design | Sequence[str] | str | None = None,
    unit: UnitKind = "turn",
    model: str | None = None,
    on_interview: Callable[[Interview], None] | None = None,
    jobs: int = 1,
    cache_dir: Path | str | None = None,
    metadata: Path | str | None = None,
    roles: Mapping[str, str] | None = None,
    on_progress: Callable[[ProgressEvent], None] | None = None,
    shard: Shard | str | None = None,
    out: Path | str | None = None,
    tables: Sequence[str] = TABLES,
    extra: Mapping[str, Any] | None = None,
    force: bool = False,
) -> Results:
    """Load, parse and code a corpus: the one call from transcripts to `Results`.

    `corpus` defaults to the sample interviews, `codebooks` to the shipped codebooks; paths
    may be `str` or `Path`. `design` names the two attributes the main tables cross
    (`["kommune", "informantgruppe"]`, "kommune,informantgruppe" or a `Design`; default: the
    corpus.yaml's, else municipality and group). Writes nothing but the parse cache (with
    `cache_dir`); `jobs` is the most processes parsing may use. Inputs are checked before the
    (slow) pipeline is loaded, so bad files fail fast. Warnings about the inputs are kept in
    the result. `shard` ("2/3" or a `Shard`) codes only that shard's interviews, a part for
    `coding.shards.merge_parts`; its manifest still lists every file of the corpus.

    With `out`, the results folder is written while coding, as `Results.write(out, tables=,
    extra=, force=)` would write it (all files or none), and memory does not grow with the
    corpus: each interview's rows go to the files once it is coded. The `Results` returned
    then hold the segments and units tables without their text columns (`text`, `evidence`;
    `Results.read(out)` has them).

        import mimres_cli
        r = mimres_cli.code("sample_interviews", ["codebooks/integrering.yaml"])
        r.crosstab(by=r.design.columns)  # per informant group
    """
    started = dt.datetime.now(dt.timezone.utc)
    clock = _Clock()
    shard = Shard.parse(shard) if shard is not None else None
    corpus = Path(corpus) if corpus is not None else default_corpus()
    codebook_paths = [Path(p) for p in codebooks] or default_codebooks()
    cache_dir = Path(cache_dir) if cache_dir is not None else None
    metadata = Path(metadata) if metadata is not None else None
    with _collecting_warnings() as warnings:
        with clock("load"):
            # what the reader found in each transcript, kept beside the parses
            memo = TranscriptMemo.of(cache_dir, corpus) if cache_dir is not None else None
            interviews = _load_corpus(corpus, metadata, roles, as_design(design), memo)
            left_out = interviews.left_out()  # no informant turns: in no denominator
            loaded = [load_codebook(path) for path in codebook_paths]
            matcher = compile_codebooks(loaded)
        with clock("pipeline"):
            pipeline = open_pipeline(model)
            refuse_tag_patterns(loaded, built_in=pipeline.info.fallback)  # before any parsing
            cache = open_cache(cache_dir, pipeline.info) if cache_dir is not None else None
        if memo is not None:
            with clock("load"):
                memo.save()  # once the folder is known to be a parse cache
        selected = _select(interviews, shard)
        source = ParsedCorpus(selected, pipeline, jobs=max(1, jobs), cache=cache)
        progress = _Progress(selected, on_progress, on_interview)
        with _target(out, tables, force) as target:
            progress.start()
            # Parsing and coding are interleaved (interviews stream through both), so the parse
            # stage's time is what is spent inside the parse iterator, and coding gets the rest.
            with clock("code"):
                used: list[int] = []  # the processes parsing used (set when it starts)
                stream = clock.inside("parse", source.parsed(progress.parsed, used.append))
                # Typed by the whole corpus's metadata, so a shard's part types its columns
                # as the one-machine run does (and the merged tables are that run's).
                layout = TableLayout.of([i.metadata for i in interviews], interviews.design)
                if target is None:
                    coded = code_interviews(stream, matcher, unit=unit,
                                            on_interview=progress.coded,
                                            design=interviews.design, layout=layout)  # fmt: skip
                    coded = part_tables(coded, shard)
                else:
                    target.stream(layout)
                    for one in coded_rows(stream, matcher, unit=unit, on_interview=progress.coded):
                        target.add(one.segments, one.units, one.row)
                    coded = target.results(codes_table(matcher), Manifest(design=interviews.design))
            clock.durations["code"] -= clock.durations.get("parse", 0.0)
            if target is not None:
                clock.durations["code"] -= target.seconds
                clock.durations["write"] = target.seconds
            with clock("findings"):
                coded.findings  # noqa: B018 (computed once here, so its time is measured)
            options = {
                "unit": unit,
                "model": model,
                "metadata": str(metadata) if metadata is not None else None,
                **_jobs_record(max(1, jobs), used),
                "cache": str(cache_dir) if cache_dir is not None else None,
                "roles": dict(roles) if roles else None,
            }
            read = memo.file_sha256 if memo is not None else {}
            manifest = _manifest(interviews, selected, str(corpus), loaded, pipeline.info,
                                 cache, options, started, clock, left_out, read)  # fmt: skip
            coded = coded.with_manifest(part_manifest(manifest, shard))
            if target is not None:
                coded = coded.with_manifest(target.finish(coded, extra))
    return coded.with_manifest(coded.manifest, tuple(dict.fromkeys(warnings)))


def _manifest(
    interviews: Corpus,
    selected: Corpus,
    corpus: str,
    codebooks: list[Codebook],
    pipeline: PipelineInfo,
    cache: ParseCache | None,
    options: dict[str, Any],
    started: dt.datetime,
    clock: _Clock,
    left_out: list[dict[str, str]],
    read: Mapping[Path, str],
) -> Manifest:
    """The manifest of a run of `code`; `read`: the SHA-256 of files hashed as they were read
    (`TranscriptMemo.file_sha256`), the others are hashed now."""
    return Manifest(
        tool_version=__version__,
        python=platform.python_version(),
        spacy=importlib_metadata.version("spacy"),  # spacy.__version__, without importing it
        pipeline=PipelineRecord(
            pipeline.name,
            pipeline.version,
            pipeline.spacy_version,
            pipeline.fallback,
            tuple(pipeline.components),
        ),
        codebooks=tuple(CodebookRecord(b.name, str(b.path), b.sha256) for b in codebooks),
        corpus=corpus,
        files=tuple(
            SourceFile(i.id, str(i.path), read.get(i.path) or _sha256(i.path)) for i in interviews
        ),
        metadata=(
            {"path": str(interviews.metadata), "sha256": _sha256(interviews.metadata)}
            if interviews.metadata is not None
            else None
        ),
        options=options,
        design=interviews.design,
        parse_cache=(
            {"hits": cache.hits, "misses": len(selected) - cache.hits, "rejected": cache.rejected}
            if cache is not None
            else None
        ),
        started=started.isoformat(timespec="seconds"),
        durations=clock.rounded(),
        extra={"left_out": left_out} if left_out else {},
    )


@contextmanager
def _target(
    out: Path | str | None, tables: Sequence[str], force: bool
) -> Iterator[ResultsFolder | None]:
    """The results folder `code` writes while coding (None: it writes nothing)."""
    if out is None:
        yield None
        return
    with ResultsFolder.open(Path(out), tables=tables, force=force) as target:
        yield target


def _jobs_record(requested: int, used: list[int]) -> dict[str, int]:
    """The manifest's `jobs`: the processes that parsed; `jobs_requested` beside it when the
    --jobs asked for differs (extra processes would not have paid off)."""
    ran = max(used, default=1)
    return {"jobs": ran} if ran == requested else {"jobs": ran, "jobs_requested": requested}


def describe_pipeline(manifest: Manifest) -> str:
    """The pipeline that parsed the text, for people (as `PipelineInfo.describe` says it)."""
    pipeline = manifest.pipeline
    info = PipelineInfo(pipeline.name, pipeline.version, pipeline.spacy, pipeline.components,
                        pipeline.fallback)  # fmt: skip
    return info.describe()


def as_design(design: Design | Sequence[str] | str | None) -> Design | None:
    """A `Design` from what the API and the command line accept (None: not given)."""
    if design is None or isinstance(design, Design):
        return design
    return Design.parse(design) if isinstance(design, str) else Design.of(design)


class _Progress:
    """Progress events for both stages, from the parse and code callbacks."""

    def __init__(
        self,
        corpus: Corpus,
        on_progress: Callable[[ProgressEvent], None] | None,
        on_interview: Callable[[Interview], None] | None,
    ) -> None:
        self.total = len(corpus)
        # Words per interview, counted only for progress events (4 M words: 0.3 CPU s).
        self.words = (
            {item.id: sum(len(t.text.split()) for t in item.turns) for item in corpus}
            if on_progress is not None
            else {}
        )
        self.on_progress, self.on_interview = on_progress, on_interview
        self.done = {"parse": 0, "code": 0}

    def start(self, stages: Sequence[Literal["parse", "code"]] = ("parse", "code")) -> None:
        """The stages start now (both, unless told): bars appear, rates start here."""
        for stage in stages:
            self._send(stage, "", 0)

    def parsed(self, item: ParsedInterview, cached: bool) -> None:
        self.done["parse"] += 1
        one = item.interview.id
        self._send("parse", one, self.words.get(one, 0), cached)

    def coded(self, interview: Interview) -> None:
        self.done["code"] += 1
        self._send("code", interview.id, self.words.get(interview.id, 0))
        if self.on_interview is not None:
            self.on_interview(interview)

    def _send(self, stage: Literal["parse", "code"], one: str, words: int,
              cached: bool = False) -> None:  # fmt: skip
        if self.on_progress is not None:
            done = self.done[stage] if one else 0
            self.on_progress(ProgressEvent(stage, one, done, self.total, words, cached))


def _load_corpus(
    root: Path,
    metadata: Path | None,
    roles: Mapping[str, str] | None,
    design: Design | None = None,
    memo: TranscriptMemo | None = None,
) -> Corpus:
    return load_corpus(root, metadata=metadata, roles=dict(roles) if roles else None,
                       design=design, memo=memo)  # fmt: skip


def _select(corpus: Corpus, shard: Shard | None) -> Corpus:
    """The interviews of one shard (all of them for None), in corpus order."""
    if shard is None:
        return corpus
    return replace(corpus, interviews=tuple(i for i in corpus if shard.holds(i.id)))


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class _Clock:
    """Seconds spent per stage of a run."""

    def __init__(self) -> None:
        self.durations: dict[str, float] = {}

    @contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self._add(stage, time.perf_counter() - start)

    def inside(self, stage: str, items: Iterator[ParsedInterview]) -> Iterator[ParsedInterview]:
        """Pass `items` through, adding the time spent producing each one to `stage`."""
        while True:
            start = time.perf_counter()
            try:
                item = next(items)
            except StopIteration:
                self._add(stage, time.perf_counter() - start)
                return
            self._add(stage, time.perf_counter() - start)
            yield item

    def rounded(self) -> dict[str, float]:
        return {stage: round(seconds, 3) for stage, seconds in self.durations.items()}

    def _add(self, stage: str, seconds: float) -> None:
        self.durations[stage] = self.durations.get(stage, 0.0) + seconds


@contextmanager
def _collecting_warnings() -> Iterator[list[Problem]]:
    """Collect the warnings about the inputs reported (`errors.report`) while the block runs.

    They are collected whether or not logging shows them (`--quiet`). The environment's
    warnings (pipeline, parse cache: W6xx) are shown but never fail `--fail-on warnings`.
    The list is filled when the block ends.
    """
    warnings: list[Problem] = []
    with collecting() as found:
        try:
            yield warnings
        finally:
            warnings.extend(p for p in found if p.severity == "warning" and p.about_inputs)
