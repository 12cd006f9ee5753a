"""Run the bad-input catalogue (bad_inputs.py): every class of bad input gets its one-line
problem with its code and exit code, no traceback, unchanged inputs and no partial output."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mimres_cli.cli import app
from reliability.bad_inputs import BODY, CASES, CODEBOOK, FRONT, Case, Workspace

runner = CliRunner()
DOC = Path(__file__).resolve().parents[2] / "docs" / "reliability.md"
_LINE = re.compile(r"^mimres: (error|warning|notice)\[([EWN]\d{3})\]: (.*)$", re.MULTILINE)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A valid workspace, coded once: corpus/ (two interviews), codebook.yaml, results/."""
    root = tmp_path_factory.mktemp("workspace")
    corpus = root / "corpus"
    corpus.mkdir()
    for name in ("a", "b"):
        (corpus / f"{name}.md").write_text(FRONT.format(id=name) + BODY, encoding="utf-8")
    (root / "codebook.yaml").write_text(CODEBOOK, encoding="utf-8")
    args = ["code", "-q", "--no-cache", "--corpus", "corpus", "-c", "codebook.yaml", "--out",
            "results"]  # fmt: skip
    here = Path.cwd()
    os.chdir(root)  # paths in the manifest are relative, so they hold in each copy
    try:
        result = runner.invoke(app, args)
    finally:
        os.chdir(here)
    assert result.exit_code == 0, result.output
    return root


def _snapshot(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file() and ".mimres-cache" not in path.parts
    }


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_bad_input(case: Case, template: Path, tmp_path: Path, monkeypatch) -> None:
    root = tmp_path / "ws"
    shutil.copytree(template, root)
    monkeypatch.chdir(root)
    args = case.build(Workspace(root))
    before = _snapshot(root)
    result = runner.invoke(app, args)
    output = result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), output
    assert "Traceback" not in output
    assert result.exit_code == case.exit, output
    if case.code:
        lines = [m for m in _LINE.finditer(output) if m.group(2) == case.code]
        assert lines, f"no {case.code} line in:\n{output}"
        assert any(re.search(case.message, m.group(3)) for m in lines), output
    else:
        assert not [m for m in _LINE.finditer(output) if m.group(1) != "notice"], output
    if case.check is not None:
        case.check(Workspace(root))
    after = _snapshot(root)
    if case.exit == 2:  # an error: nothing written, nothing changed
        assert after == before
    else:  # a warning: whatever was there is unchanged
        kept = {k: v for k, v in before.items() if not case.output or not k.startswith(case.output)}
        assert {k: v for k, v in after.items() if k in kept} == kept


def test_the_catalogue_has_at_least_60_classes_with_unique_names() -> None:
    names = [case.name for case in CASES]
    assert len(names) == len(set(names))
    assert len(names) >= 60


def test_docs_list_the_catalogue() -> None:
    """docs/reliability.md has one row per case: name, input, exit code and problem code."""
    rows = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[0].startswith("`") and cells[0].endswith("`"):
            rows[cells[0].strip("`")] = (cells[2], cells[3].strip("`"))
    assert rows == {case.name: (str(case.exit), case.code or "-") for case in CASES}
