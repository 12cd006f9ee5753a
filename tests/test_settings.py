"""Run settings: the command line over the project file over the defaults, as a library call."""

from __future__ import annotations

from pathlib import Path

import pytest

from mimres_cli.project import Project
from mimres_cli.settings import Overrides, resolve_settings
from mimres_cli.workflow import TABLES


def _project(tmp_path: Path) -> Project:
    return Project(path=tmp_path / "mimres.yaml", corpus=tmp_path / "intervjuer",
                   codebooks=(tmp_path / "a.yaml",), unit="sentence", jobs=2,
                   cache=tmp_path / "cache", out=tmp_path / "ut", tables=("segments",),
                   fail_on=("warnings",), roles=(("Leder", "informant"),))  # fmt: skip


def test_the_project_file_gives_what_the_command_line_does_not(tmp_path: Path) -> None:
    run = resolve_settings(_project(tmp_path))
    assert (run.project, run.corpus, run.codebooks, run.unit, run.jobs) == (
        tmp_path / "mimres.yaml", tmp_path / "intervjuer", (tmp_path / "a.yaml",), "sentence", 2
    )  # fmt: skip
    assert (run.cache_dir, run.out, run.tables, run.fail_on) == (
        tmp_path / "cache", tmp_path / "ut", ("segments",), ("warnings",)
    )  # fmt: skip
    assert run.roles == {"Leder": "informant"}
    assert run.manifest() == {"project": str(tmp_path / "mimres.yaml"), "fail_on": ["warnings"]}


def test_the_command_line_overrides_the_project_file(tmp_path: Path) -> None:
    given = Overrides(corpus=Path("andre"), codebooks=[Path("b.yaml")], unit="turn", jobs=1,
                      cache_dir=Path("c"), out=Path("o"),
                      fail_on=["uncoded-interviews"])  # fmt: skip
    run = resolve_settings(_project(tmp_path), given)
    assert (run.corpus, run.codebooks, run.unit, run.jobs, run.cache_dir, run.out) == (
        Path("andre"), (Path("b.yaml"),), "turn", 1, Path("c"), Path("o")
    )  # fmt: skip
    assert run.fail_on == ("uncoded-interviews",)
    assert resolve_settings(_project(tmp_path), Overrides(no_cache=True)).cache_dir is None


def test_defaults_without_a_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    run = resolve_settings(None)
    assert (run.project, run.corpus, run.codebooks, run.unit) == (None, None, (), "turn")
    assert (run.cache_dir, run.tables, run.fail_on) == (Path(".mimres-cache"), TABLES, ())
    assert run.jobs >= 1
