"""House rules that keep the tool fast to start and the code easy to find its way in."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _commands():
    """Every (name, callback) of the `mimres` app, groups included."""
    from typer.main import get_command

    from mimres_cli.cli import app

    root = get_command(app)
    found = []

    def walk(command, prefix: str) -> None:
        for name, sub in getattr(command, "commands", {}).items():
            if getattr(sub, "commands", None):
                walk(sub, f"{prefix}{name} ")
            else:
                found.append((f"{prefix}{name}", sub))

    walk(root, "")
    return found


def test_cli_import_loads_neither_spacy_nor_pandas() -> None:
    code = (
        "import sys, mimres_cli.cli; "
        "print(sorted(m for m in ('spacy', 'pandas') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_a_code_run_on_text_transcripts_imports_no_scipy_stats_nor_webvtt(tmp_path: Path) -> None:
    # scipy.stats alone costs a run over half a second to import (issue 15: whole-process time).
    code = (
        "import sys; from pathlib import Path; from mimres_cli import workflow; "
        f"workflow.code(Path({str(REPO / 'sample_interviews')!r}), "
        f"[Path({str(REPO / 'codebooks' / 'integrering.yaml')!r})], model='fallback', "
        f"cache_dir=Path({str(tmp_path)!r})).findings; "
        "print(sorted(m for m in ('scipy.stats', 'webvtt') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_every_command_reports_errors_and_has_help_with_an_example() -> None:
    commands = _commands()
    assert len(commands) >= 2
    for name, command in commands:
        callback = command.callback
        assert getattr(callback, "reports_errors", False), f"'{name}' lacks @reports_errors"
        assert command.help and "Example:" in command.help, f"'{name}' --help lacks an Example"


def test_every_command_is_documented() -> None:
    docs = "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "docs").glob("*.md"))
    docs += (REPO / "README.md").read_text(encoding="utf-8")
    for name, _ in _commands():
        # A whole word: "mimres code" is not documented by "mimres codebook".
        mention = re.compile(rf"\bmimres {re.escape(name)}(?![\w-])")
        assert mention.search(docs), f"'mimres {name}' is not documented in docs/ or README"


def test_stages_import_only_earlier_stages() -> None:
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    if lint is None:
        pytest.skip("import-linter is not installed (pip install -e '.[test]')")
    done = subprocess.run([lint], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stdout + done.stderr


def test_code_is_ruff_clean() -> None:
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent))
    if ruff is None:
        pytest.skip("ruff is not installed (pip install -e '.[test]')")
    done = subprocess.run(
        [ruff, "check", "src", "tests", "benchmarks"], capture_output=True, text=True, cwd=REPO
    )
    assert done.returncode == 0, done.stdout + done.stderr
