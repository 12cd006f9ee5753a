"""The settings of one run: the command line over the project file over the defaults.

`resolve_settings(project, overrides)` is the one place that merges them, for `mimres run`,
`code`, `tag`, `words` and `kwic` and for anyone scripting a run:

    from mimres_cli.project import load_project
    run = resolve_settings(load_project(Path("mimres.yaml")), Overrides(unit="sentence"))
    workflow.code(run.corpus, run.codebooks, **run.workflow_options())
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mimres_cli.design import Design
from mimres_cli.nlp.cache import DEFAULT_CACHE_DIR
from mimres_cli.project import Project
from mimres_cli.workflow import TABLES, default_jobs


@dataclass(frozen=True)
class Overrides:
    """What the command line says; None (or empty): not given, so the project's or the default.

    `no_cache` runs without a parse cache whatever the project says.
    """

    corpus: Path | None = None
    codebooks: Sequence[Path] = ()
    unit: str | None = None
    model: str | None = None
    metadata: Path | None = None
    jobs: int | None = None
    cache_dir: Path | None = None
    no_cache: bool = False
    out: Path | None = None
    fail_on: Sequence[str] = ()
    design: str | None = None  # "kommune,informantgruppe" (see design.Design.parse)


@dataclass(frozen=True)
class Settings:
    """The options of one run: command line over project file over defaults."""

    project: Path | None
    corpus: Path | None
    codebooks: tuple[Path, ...]
    unit: str
    model: str | None
    metadata: Path | None
    roles: dict[str, str]
    jobs: int
    cache_dir: Path | None
    out: Path | None
    tables: tuple[str, ...]
    fail_on: tuple[str, ...]
    design: Design | None = None  # --design over the project file's; None: the corpus's

    def workflow_options(self) -> dict[str, Any]:
        return {
            "design": self.design,
            "unit": self.unit,
            "model": self.model,
            "jobs": self.jobs,
            "cache_dir": self.cache_dir,
            "metadata": self.metadata,
            "roles": self.roles or None,
        }

    def manifest(self) -> dict[str, Any]:
        """The run's own settings, recorded in manifest.json beside the workflow's."""
        return {
            "project": str(self.project) if self.project else None,
            "fail_on": list(self.fail_on),
        }


def resolve_settings(project: Project | None, overrides: Overrides = Overrides()) -> Settings:
    """Merge `overrides` (the command line) over `project` (a parsed project file, or None)
    and the defaults: unit turn, every core for parsing, all result tables, and the parse
    cache `.mimres-cache` in the current folder when that folder is writable (else none)."""
    spec = project
    return Settings(
        project=spec.path if spec else None,
        corpus=overrides.corpus or (spec.corpus if spec else None),
        codebooks=tuple(overrides.codebooks or (spec.codebooks if spec else ())),
        unit=overrides.unit or (spec.unit if spec and spec.unit else "turn"),
        model=overrides.model or (spec.model if spec else None),
        metadata=overrides.metadata or (spec.metadata if spec else None),
        roles=dict(spec.roles) if spec else {},
        jobs=overrides.jobs or (spec.jobs if spec and spec.jobs else default_jobs()),
        cache_dir=_cache_dir(spec, overrides),
        out=overrides.out or (spec.out if spec else None),
        tables=spec.tables if spec else TABLES,
        fail_on=tuple(overrides.fail_on) or (spec.fail_on if spec else ()),
        design=Design.parse(overrides.design)
        if overrides.design
        else (spec.design if spec else None),
    )


def _cache_dir(spec: Project | None, overrides: Overrides) -> Path | None:
    if overrides.no_cache:
        return None
    if overrides.cache_dir is not None:
        return overrides.cache_dir
    if spec is not None:
        return spec.cache
    if os.access(Path.cwd(), os.W_OK):
        return Path(DEFAULT_CACHE_DIR)
    return None  # the implicit default in a folder we may not write to: run without a cache
