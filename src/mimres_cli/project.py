"""The project file `mimres.yaml`: everything one analysis needs, so a rerun is one command.

Paths in the file are relative to the folder that holds it. Every problem is reported with its
line, all at once. The command line overrides the file (see `cli/_batch.py`).
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mimres_cli.codebook.load import read_yaml
from mimres_cli.design import Design
from mimres_cli.errors import (
    MimresError,
    OutputError,
    Problem,
    ProjectError,
    Where,
    did_you_mean,
    problem,
)
from mimres_cli.files import write_atomic
from mimres_cli.nlp.cache import DEFAULT_CACHE_DIR
from mimres_cli.vocabulary import FAIL_ON, ROLES, UNIT_KINDS
from mimres_cli.workflow import TABLES, shipped

PROJECT_FILE = "mimres.yaml"
PROJECT_FORMAT = 1
KEYS = ("version", "corpus", "metadata", "roles", "codebooks", "unit", "model", "jobs", "cache",
        "outputs", "fail_on", "design")  # fmt: skip
OUTPUT_KEYS = ("folder", "tables")

#: What `mimres init` writes. It must run as is, on the sample `mimres init` copies beside it.
TEMPLATE = """\
# mimres project file (format 1): one analysis, rerun with `mimres run` in this folder.
# Paths are relative to this file. Options given on the command line override these values,
# e.g. `mimres run --unit sentence --jobs 1`.
version: 1

# Transcripts: a folder (searched recursively for .txt and .md files) or a single file.
corpus: sample_interviews

# A sheet (.csv or .xlsx) with one row per interview that adds or overrides metadata.
# metadata: metadata.xlsx

# Speaker labels and their roles, beyond the defaults (I, Intervjuer and INT are interviewers).
# roles:
#   Forsker: interviewer
#   Daglig leder: informant

# Codebooks, applied together (codebook format v1, see docs/formats.md).
codebooks:
  - codebooks/integrering.yaml

# Unit of coding: `turn` (a whole informant turn) or `sentence`.
unit: turn

# spaCy pipeline: a package name or a folder. Left out: nb_core_news_sm when it is installed,
# else the built-in Bokmål pipeline.
# model: nb_core_news_sm

# Processes for parsing. Left out: every core.
# jobs: 2

# Parse cache: parsed interviews are kept here and reused until a transcript or the pipeline
# changes. `cache: false` turns it off.
cache: .mimres-cache

outputs:
  # The results folder: the tables below as CSV, and manifest.json (provenance).
  folder: results
  tables: [segments, findings, interviews, units, codes]

# Exit with code 1 (after writing the results) when one of these holds; for CI.
# Choices: warnings, uncoded-interviews.
fail_on: []

# The two interview attributes the main tables cross, with optional display names for reports.
# Left out: corpus.yaml's `design:`, else municipality and group.
# design: {kommune: Kommune, informantgruppe: Informantgruppe}
"""


@dataclass(frozen=True)
class Project:
    """A parsed project file; paths are resolved against its folder. None: not set."""

    path: Path
    corpus: Path | None = None
    metadata: Path | None = None
    roles: tuple[tuple[str, str], ...] = ()
    codebooks: tuple[Path, ...] = ()
    unit: str | None = None
    model: str | None = None
    jobs: int | None = None
    cache: Path | None = None  # the parse cache folder; None when `cache: false`
    out: Path | None = None
    tables: tuple[str, ...] = TABLES
    fail_on: tuple[str, ...] = ()
    design: Design | None = None  # the two attributes the main tables cross

    @property
    def folder(self) -> Path:
        return self.path.parent


def find_project(folder: Path | None = None) -> Path | None:
    """`mimres.yaml` in `folder` (default: the current folder), if there is one."""
    candidate = (folder or Path()) / PROJECT_FILE
    return candidate if candidate.is_file() else None


def load_project(path: Path) -> Project:
    """Read and check a project file; raises ProjectError listing every problem with its line.

    Paths that do not exist are problems too, so a run never starts on a broken project.
    """
    if not path.is_file():
        raise ProjectError(
            f"project file '{path}' does not exist",
            fix="Create one with 'mimres init', or give its path with --project",
            code="E302",
        )
    data = read_yaml(path, error=ProjectError, code="E301")
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ProjectError(
            "a project file is a mapping of keys (corpus:, codebooks:, ...)",
            where=Where(path, 1),
            fix="See the file 'mimres init' writes",
            code="E303",
        )
    return _Reader(path, data).project()


def init_project(folder: Path, *, force: bool = False, sample: bool = True) -> list[Path]:
    """Write a commented `mimres.yaml` into `folder`; returns the paths created.

    With `sample`, copies the shipped sample interviews and codebook beside it when the folder
    has none, so the new project runs as is. Raises OutputError instead of overwriting a
    project file, unless `force`.
    """
    target = folder / PROJECT_FILE
    if target.exists() and not force:
        raise OutputError(f"'{target}' already exists", code="E501",
                          fix="Edit it, or pass --force to replace it with a new one")  # fmt: skip
    created: list[Path] = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if sample:
            for name in ("sample_interviews", "codebooks"):
                if not (folder / name).exists():
                    shutil.copytree(shipped(name), folder / name)
                    created.append(folder / name)
        write_atomic(target, TEMPLATE)
    except OSError as exc:
        raise OutputError(f"cannot write '{target}' ({exc.strerror})", code="E502",
                          fix="Choose a folder you can write to") from exc  # fmt: skip
    created.append(target)
    return created


class _Reader:
    """Checks one project file, collecting every problem before raising."""

    def __init__(self, path: Path, data: dict) -> None:
        self.path = path
        self.data = data
        self.problems: list[Problem] = []

    def project(self) -> Project:
        data, values = self.data, {}
        self.unknown_keys(data, KEYS, "")
        version = data.get("version", PROJECT_FORMAT)
        if version != PROJECT_FORMAT:
            self.problem("E305", "version", f"unknown project file version '{version}'",
                         f"This mimres reads version {PROJECT_FORMAT}")  # fmt: skip
        values["corpus"] = self.existing_path("corpus")
        values["metadata"] = self.existing_path("metadata")
        values["roles"] = self.roles()
        values["codebooks"] = self.codebooks()
        values["unit"] = self.choice("unit", UNIT_KINDS)
        values["model"] = self.model()
        values["jobs"] = self.jobs()
        values["cache"] = self.cache()
        values["out"], values["tables"] = self.outputs()
        values["fail_on"] = self.choices("fail_on", FAIL_ON)
        values["design"] = self.design()
        if self.problems:
            self.problems.sort(key=lambda p: p.line or 0)  # file order
            raise ProjectError.collected(self.problems)
        return Project(self.path, **values)

    def design(self) -> Design | None:
        if self.data.get("design") is None:
            return None
        try:
            return Design.from_data(self.data["design"], self.where("design"))
        except MimresError as exc:
            self.problem("E307", "design", exc.message, exc.fix)
            return None

    # -- helpers
    def where(self, key: str, data: Any = None) -> Where:
        lines = getattr(data if data is not None else self.data, "key_lines", {})
        return Where(self.path, lines.get(key))

    def problem(self, code: str, key: str, message: str, fix: str = "", data: Any = None) -> None:
        self.problems.append(problem(code, message, self.where(key, data), fix))

    def unknown_keys(self, data: dict, allowed: Sequence[str], prefix: str) -> None:
        for key in data:
            if key not in allowed:
                hint = did_you_mean(str(key), allowed, otherwise=f"Use {', '.join(allowed)}")
                self.problem("E304", key, f"unknown key '{prefix}{key}'", hint, data)

    def resolve(self, value: str) -> Path:
        path = Path(value).expanduser()
        return path if path.is_absolute() else self.path.parent / path

    def existing_path(self, key: str) -> Path | None:
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            self.problem(
                "E307", key, f"'{key}' must be a path", "Write it as a relative or absolute path"
            )
            return None
        path = self.resolve(value)
        if not path.exists():
            self.problem("E306", key, f"{key} '{value}' does not exist (looked in {path.parent})",
                         "Correct the path; it is relative to the project file")  # fmt: skip
        return path

    def roles(self) -> tuple[tuple[str, str], ...]:
        value = self.data.get("roles")
        if value is None:
            return ()
        if not isinstance(value, dict):
            self.problem("E307", "roles", "'roles' must map speaker labels to roles",
                         "Write lines such as 'Forsker: interviewer'")  # fmt: skip
            return ()
        pairs = []
        for label, role in value.items():
            if role not in ROLES:
                self.problem("E308", label, f"speaker '{label}' has unknown role '{role}'",
                             f"Use {' or '.join(ROLES)}", value)  # fmt: skip
            else:
                pairs.append((str(label), str(role)))
        return tuple(pairs)

    def codebooks(self) -> tuple[Path, ...]:
        value = self.data.get("codebooks")
        if value is None:
            return ()
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
            self.problem("E307", "codebooks", "'codebooks' must be a list of paths",
                         "Write '- codebooks/name.yaml' lines under 'codebooks:'")  # fmt: skip
            return ()
        paths = []
        for item in items:
            path = self.resolve(item)
            if not path.is_file():
                self.problem("E306", "codebooks", f"codebook '{item}' does not exist",
                             "Correct the path; it is relative to the project file")  # fmt: skip
            paths.append(path)
        return tuple(paths)

    def choice(self, key: str, allowed: Sequence[str]) -> str | None:
        value = self.data.get(key)
        if value is not None and value not in allowed:
            self.problem("E308", key, f"{key} '{value}' is not one of {', '.join(allowed)}",
                         f"Write one of {', '.join(allowed)}")  # fmt: skip
            return None
        return value

    def choices(self, key: str, allowed: Sequence[str], data: dict | None = None) -> tuple:
        source = self.data if data is None else data
        value = source.get(key)
        if value is None:
            return ()
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list):
            self.problem("E307", key, f"'{key}' must be a list",
                         f"Choose from {', '.join(allowed)}", source)  # fmt: skip
            return ()
        bad = [str(v) for v in items if v not in allowed]
        if bad:
            self.problem("E308", key, f"{key}: unknown value(s) {', '.join(bad)}",
                         f"Choose from {', '.join(allowed)}", source)  # fmt: skip
        return tuple(dict.fromkeys(v for v in items if v in allowed))

    def model(self) -> str | None:
        value = self.data.get("model")
        if value is None:
            return None
        if not isinstance(value, str):
            self.problem("E307", "model", "'model' must be a pipeline name or folder",
                         "Write e.g. 'model: nb_core_news_sm'")  # fmt: skip
            return None
        # A folder is relative to the project file; a package name stays as it is.
        looks_like_path = "/" in value or "\\" in value or value.startswith(".")
        return str(self.resolve(value)) if looks_like_path else value

    def jobs(self) -> int | None:
        value = self.data.get("jobs")
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            self.problem("E307", "jobs", f"jobs '{value}' is not a whole number of 1 or more",
                         "Write e.g. 'jobs: 2', or leave it out to use every core")  # fmt: skip
            return None
        return value

    def cache(self) -> Path | None:
        value = self.data.get("cache", DEFAULT_CACHE_DIR)
        if value is False:
            return None
        if value is None or value is True:
            return self.path.parent / DEFAULT_CACHE_DIR
        if not isinstance(value, str):
            self.problem("E307", "cache", "'cache' must be a folder or false",
                         f"Write 'cache: {DEFAULT_CACHE_DIR}' or 'cache: false'")  # fmt: skip
            return None
        return self.resolve(value)

    def outputs(self) -> tuple[Path | None, tuple[str, ...]]:
        value = self.data.get("outputs")
        if value is None:
            return None, TABLES
        if not isinstance(value, dict):
            self.problem("E307", "outputs",
                         "'outputs' must be a mapping with 'folder' and 'tables'",
                         "See the file 'mimres init' writes")  # fmt: skip
            return None, TABLES
        self.unknown_keys(value, OUTPUT_KEYS, "outputs.")
        folder = value.get("folder")
        out = None
        if folder is not None:
            if isinstance(folder, str) and folder.strip():
                out = self.resolve(folder)
            else:
                self.problem("E307", "folder", "'outputs.folder' must be a folder path",
                             "Write e.g. 'folder: results'", value)  # fmt: skip
        tables = self.choices("tables", TABLES, value) if "tables" in value else TABLES
        return out, tables
