"""End-to-end runs: load → parse → code → aggregate, the single call behind `mimres run`."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import platform
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pandas as pd
import spacy

from mimres_cli import __version__
from mimres_cli.codebook import compile_codebooks, load_codebook
from mimres_cli.coding import CodingResult, UnitKind, code_interviews
from mimres_cli.corpus import Corpus, Interview, load_corpus
from mimres_cli.errors import MimresError, MissingInputError, Problem, collecting
from mimres_cli.export import write_tables
from mimres_cli.findings import findings as findings_table
from mimres_cli.nlp import (
    ParsedInterview,
    Pipeline,
    PipelineInfo,
    load_pipeline,
    parse_interviews,
)
from mimres_cli.nlp.cache import ParseCache, open_cache

log = logging.getLogger(__name__)

_PACKAGE_DATA = Path(__file__).parent / "_data"
_REPO_ROOT = Path(__file__).resolve().parents[2]

#: The tables of a results folder, in the order they are written.
TABLES = ("segments", "findings", "interviews", "units", "codes")
#: The conditions `--fail-on` can check after a run.
FailOn = Literal["warnings", "uncoded-interviews"]
FAIL_ON: tuple[str, ...] = ("warnings", "uncoded-interviews")


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


@dataclass(frozen=True)
class RunResult:
    """Everything one run produced: the coding tables, the findings and their provenance."""

    coding: CodingResult
    findings: pd.DataFrame
    pipeline: PipelineInfo
    provenance: dict[str, Any]
    warnings: tuple[Problem, ...] = ()  # warnings about the inputs met during the run
    durations: dict[str, float] = field(default_factory=dict)  # seconds per stage

    @property
    def segments(self) -> pd.DataFrame:
        return self.coding.segments

    def uncoded_interviews(self) -> list[str]:
        """Ids of the interviews where no code matched any informant unit."""
        coded = set(self.coding.segments["interview_id"])
        return [i for i in self.coding.interviews["interview_id"] if i not in coded]

    def failed(self, conditions: Iterable[str]) -> list[str]:
        """One line for each `--fail-on` condition that this run meets (empty: none met)."""
        lines = []
        for condition in dict.fromkeys(conditions):
            if condition == "warnings" and self.warnings:
                lines.append(f"{len(self.warnings)} warning(s) about the inputs "
                             "(--fail-on warnings)")  # fmt: skip
            elif condition == "uncoded-interviews" and (uncoded := self.uncoded_interviews()):
                shown = ", ".join(uncoded[:10]) + (", ..." if len(uncoded) > 10 else "")
                lines.append(f"{len(uncoded)} interview(s) with no coded segment: {shown} "
                             "(--fail-on uncoded-interviews)")  # fmt: skip
        return lines


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

    def parsed(
        self, on_parsed: Callable[[ParsedInterview, bool], None] | None = None
    ) -> Iterator[ParsedInterview]:
        """Parse the interviews (streamed, in corpus order), through the parse cache if any.

        Each call parses again (or reads the cache again); Docs are not kept.
        """
        return parse_interviews(
            self.corpus, self.pipeline, n_process=self.jobs, cache=self.cache, on_parsed=on_parsed
        )


def open_corpus(
    corpus: Path | None = None,
    *,
    model: str | None = None,
    jobs: int = 1,
    cache_dir: Path | None = None,
    metadata: Path | None = None,
    roles: Mapping[str, str] | None = None,
) -> ParsedCorpus:
    """Load a corpus (default: the sample) and the pipeline to parse it with.

    Every command that needs parsed text (code, kwic, tag, words, compare) starts here, so
    pipeline choice and parse caching live in one place. `cache_dir` None parses every time;
    `jobs` is the most processes parsing may use.
    """
    loaded = _load_corpus(corpus or default_corpus(), metadata, roles)
    pipeline = load_pipeline(model)
    cache = open_cache(cache_dir, pipeline.info) if cache_dir is not None else None
    return ParsedCorpus(loaded, pipeline, jobs=max(1, jobs), cache=cache)


def code_corpus(
    corpus: Path | None = None,
    codebooks: Sequence[Path] = (),
    *,
    unit: UnitKind = "turn",
    model: str | None = None,
    on_interview: Callable[[Interview], None] | None = None,
    jobs: int = 1,
    cache_dir: Path | None = None,
    metadata: Path | None = None,
    roles: Mapping[str, str] | None = None,
    on_progress: Callable[[ProgressEvent], None] | None = None,
) -> RunResult:
    """Load, parse and code a corpus, and count the findings. Writes nothing but the cache.

    Inputs are checked before the (slow) pipeline is loaded, so bad files fail fast. With
    `cache_dir`, parses are read from and stored in that parse cache; `jobs` is the most
    processes parsing may use. Warnings about the inputs are collected in the result.
    """
    started = dt.datetime.now(dt.timezone.utc)
    clock = _Clock()
    corpus = corpus or default_corpus()
    codebook_paths = list(codebooks) or default_codebooks()
    with _collecting_warnings() as warnings:
        with clock("load"):
            interviews = _load_corpus(corpus, metadata, roles)
            loaded = [load_codebook(path) for path in codebook_paths]
            matcher = compile_codebooks(loaded)
        with clock("pipeline"):
            pipeline = load_pipeline(model)
            cache = open_cache(cache_dir, pipeline.info) if cache_dir is not None else None
        source = ParsedCorpus(interviews, pipeline, jobs=max(1, jobs), cache=cache)
        total = len(interviews)
        words = {item.id: sum(len(t.text.split()) for t in item.turns) for item in interviews}
        parsed_count = coded_count = 0

        def parsed(item: ParsedInterview, cached: bool) -> None:
            nonlocal parsed_count
            parsed_count += 1
            if on_progress is not None:
                one = item.interview.id
                on_progress(ProgressEvent("parse", one, parsed_count, total, words[one], cached))

        def coded(interview: Interview) -> None:
            nonlocal coded_count
            coded_count += 1
            if on_progress is not None:
                on_progress(ProgressEvent("code", interview.id, coded_count, total,
                                          words[interview.id]))  # fmt: skip
            if on_interview is not None:
                on_interview(interview)

        if on_progress is not None:  # both stages start now: bars appear, rates start here
            on_progress(ProgressEvent("parse", "", 0, total, 0))
            on_progress(ProgressEvent("code", "", 0, total, 0))
        # Parsing and coding are interleaved (interviews stream through both), so the parse
        # stage's time is what is spent inside the parse iterator, and coding gets the rest.
        with clock("code"):
            stream = clock.inside("parse", source.parsed(on_parsed=parsed))
            coding = code_interviews(stream, matcher, unit=unit, on_interview=coded)
        clock.durations["code"] -= clock.durations.get("parse", 0.0)
        with clock("findings"):
            findings = findings_table(coding.segments, coding.interviews, coding.codes)
    provenance = {
        "tool": {"name": "mimres-cli", "version": __version__},
        "python": platform.python_version(),
        "spacy": spacy.__version__,
        "pipeline": {
            "name": pipeline.info.name,
            "version": pipeline.info.version,
            "spacy": pipeline.info.spacy_version,
            "fallback": pipeline.info.fallback,
            "components": list(pipeline.info.components),
        },
        "codebooks": [
            {"name": book.name, "path": str(book.path), "sha256": book.sha256} for book in loaded
        ],
        "corpus": {
            "path": str(corpus),
            "files": [
                {"id": item.id, "file": str(item.path), "sha256": _sha256(item.path)}
                for item in interviews
            ],
        },
        "metadata": (
            {"path": str(interviews.metadata), "sha256": _sha256(interviews.metadata)}
            if interviews.metadata is not None
            else None
        ),
        "options": {
            "unit": unit,
            "model": model,
            "metadata": str(metadata) if metadata is not None else None,
            "jobs": max(1, jobs),
            "cache": str(cache_dir) if cache_dir is not None else None,
            "roles": dict(roles) if roles else None,
        },
        "parse_cache": (
            {"hits": cache.hits, "misses": len(interviews) - cache.hits, "rejected": cache.rejected}
            if cache is not None
            else None
        ),
        "started": started.isoformat(timespec="seconds"),
        "durations": clock.rounded(),
    }
    return RunResult(coding, findings, pipeline.info, provenance,
                     warnings=tuple(dict.fromkeys(warnings)),
                     durations=dict(clock.durations))  # fmt: skip


def write_run(
    result: RunResult,
    out: Path,
    *,
    tables: Sequence[str] = TABLES,
    extra: Mapping[str, Any] | None = None,
) -> list[Path]:
    """Write the chosen tables as CSV (default: all of TABLES) and manifest.json into `out`.

    All files appear together or none do. `extra` adds keys to the manifest (e.g. outputs).
    Rows are in a fixed order and floats have a fixed format, so the same inputs give
    byte-identical tables.
    """
    unknown = [name for name in tables if name not in TABLES]
    if unknown:
        raise MimresError(f"unknown table(s) {', '.join(unknown)}",
                          fix=f"Choose from {', '.join(TABLES)}")  # fmt: skip
    every = {
        "segments": result.coding.segments,
        "findings": result.findings,
        "interviews": result.coding.interviews,
        "units": result.coding.units,
        "codes": result.coding.codes,
    }
    chosen = {name: every[name] for name in TABLES if name in tables}
    manifest = {**result.provenance, **dict(extra or {}), "tables": [f"{n}.csv" for n in chosen]}
    return write_tables(out, chosen, manifest=manifest)


def _load_corpus(root: Path, metadata: Path | None, roles: Mapping[str, str] | None) -> Corpus:
    return load_corpus(root, metadata=metadata, roles=dict(roles) if roles else None)


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
