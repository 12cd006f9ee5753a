"""End-to-end runs: load → parse → code → aggregate, the single call behind `mimres run`."""

from __future__ import annotations

import datetime as dt
import hashlib
import platform
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from mimres_cli import __version__
from mimres_cli.codebook import compile_codebooks, load_codebook
from mimres_cli.coding import CodingResult, UnitKind, code_interviews
from mimres_cli.corpus import Corpus, Interview, load_corpus
from mimres_cli.errors import MissingInputError
from mimres_cli.export import write_tables
from mimres_cli.findings import findings as findings_table
from mimres_cli.nlp import (
    ParsedInterview,
    Pipeline,
    PipelineInfo,
    load_pipeline,
    parse_interviews,
)

_PACKAGE_DATA = Path(__file__).parent / "_data"
_REPO_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class RunResult:
    """Everything one run produced: the coding tables, the findings and their provenance."""

    coding: CodingResult
    findings: pd.DataFrame
    pipeline: PipelineInfo
    provenance: dict[str, Any]

    @property
    def segments(self) -> pd.DataFrame:
        return self.coding.segments


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


@dataclass(frozen=True)
class ParsedCorpus:
    """A loaded corpus, the pipeline chosen for it, and its interviews parsed on demand."""

    corpus: Corpus
    pipeline: Pipeline

    def parsed(self) -> Iterator[ParsedInterview]:
        """Parse the interviews (streamed, in corpus order); each call parses again."""
        return parse_interviews(self.corpus, self.pipeline)


def open_corpus(corpus: Path | None = None, *, model: str | None = None) -> ParsedCorpus:
    """Load a corpus (default: the sample) and the pipeline to parse it with.

    Every command that needs parsed text (code, kwic, tag, words, compare) starts here, so
    pipeline choice and parse caching live in one place.
    """
    loaded = load_corpus(corpus or default_corpus())
    return ParsedCorpus(loaded, load_pipeline(model))


def code_corpus(
    corpus: Path | None = None,
    codebooks: Sequence[Path] = (),
    *,
    unit: UnitKind = "turn",
    model: str | None = None,
    on_interview: Callable[[Interview], None] | None = None,
) -> RunResult:
    """Load, parse and code a corpus, and count the findings. Writes nothing.

    Inputs are checked before the (slow) pipeline is loaded, so bad files fail fast.
    """
    corpus = corpus or default_corpus()
    codebook_paths = list(codebooks) or default_codebooks()
    interviews = load_corpus(corpus)
    loaded = [load_codebook(path) for path in codebook_paths]
    matcher = compile_codebooks(loaded)
    source = ParsedCorpus(interviews, load_pipeline(model))
    pipeline = source.pipeline
    coding = code_interviews(source.parsed(), matcher, unit=unit, on_interview=on_interview)
    findings = findings_table(coding.segments, coding.interviews, coding.codes)
    provenance = {
        "tool": {"name": "mimres-cli", "version": __version__},
        "python": platform.python_version(),
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
        "options": {"unit": unit, "model": model},
        "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
    }
    return RunResult(coding, findings, pipeline.info, provenance)


def write_run(result: RunResult, out: Path) -> list[Path]:
    """Write segments, findings, interviews, units, codes and manifest.json into `out`."""
    tables = {
        "segments": result.coding.segments,
        "findings": result.findings,
        "interviews": result.coding.interviews,
        "units": result.coding.units,
        "codes": result.coding.codes,
    }
    return write_tables(out, tables, manifest=result.provenance)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
