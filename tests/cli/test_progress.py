"""Progress on stderr for the commands that can take a while: on a terminal only, never with -q.

Progress goes to `cli._batch.err`; here it is a console that claims to be a terminal and
writes into a buffer, so the test sees what a person at a terminal would.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from findings.hand_results import write_results
from mimres_cli.cli import _batch, app
from mini_corpus import write_mini_corpus

runner = CliRunner()


@pytest.fixture
def terminal(monkeypatch) -> io.StringIO:
    """The progress console as a 100-column terminal; what it shows lands in the buffer."""
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=100, markup=False, emoji=False)
    monkeypatch.setattr(_batch, "err", console)
    return buffer


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> Path:
    return write_results(tmp_path_factory.mktemp("progress") / "results")


def test_report_shows_its_steps_on_a_terminal(terminal, results, tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", str(results), "-o", str(tmp_path / "r.html")])
    assert result.exit_code == 0, result.output
    shown = terminal.getvalue()
    assert f"report: writing {tmp_path / 'r.html'}" in shown and "0:00:0" in shown  # seconds
    assert "report:" not in result.stdout  # progress never mixes with the data


def test_tables_shows_progress_on_a_terminal(terminal, results) -> None:
    assert runner.invoke(app, ["tables", str(results), "-f", "csv"]).exit_code == 0
    assert f"tables: reading {results}" in terminal.getvalue()


def test_compare_shows_a_parse_bar_per_interview(terminal, tmp_path: Path) -> None:
    corpus, codebook = write_mini_corpus(tmp_path)
    result = runner.invoke(app, ["compare", str(codebook), str(codebook), "--corpus", str(corpus),
                                 "--model", "fallback", "-f", "csv"])  # fmt: skip
    assert result.exit_code == 0, result.output
    shown = terminal.getvalue()
    assert "parse" in shown and "4/4" in shown  # the mini corpus has 4 interviews


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    corpus, _ = write_mini_corpus(tmp_path)
    return corpus


#: The commands that parse the corpus without coding it: words, kwic and tag.
PARSING = {
    "words": ["words", "--model", "fallback"],
    "kwic": ["kwic", "jobb", "--model", "fallback"],
    "tag": ["tag", "--model", "fallback"],
}


@pytest.mark.parametrize("command", sorted(PARSING))
def test_parsing_commands_show_a_parse_bar(command, terminal, mini: Path) -> None:
    result = runner.invoke(app, [*PARSING[command], "--corpus", str(mini)])
    assert result.exit_code == 0, result.output
    shown = terminal.getvalue()
    assert "parse" in shown and "4/4" in shown  # the mini corpus has 4 interviews
    assert "4/4" not in result.stdout  # progress never mixes with the data


@pytest.mark.parametrize("command", sorted(PARSING))
def test_parsing_commands_are_silent_with_quiet(command, terminal, mini: Path) -> None:
    result = runner.invoke(app, [*PARSING[command], "--corpus", str(mini), "-q"])
    assert result.exit_code == 0, result.output
    assert terminal.getvalue() == ""


@pytest.mark.parametrize("command", sorted(PARSING))
def test_parsing_commands_are_silent_when_stderr_is_not_a_terminal(command, mini: Path) -> None:
    result = runner.invoke(app, [*PARSING[command], "--corpus", str(mini)])
    assert result.exit_code == 0, result.output
    assert "4/4" not in result.stderr and "words/s" not in result.stderr  # no bar


def test_progress_is_silent_with_quiet(terminal, results, tmp_path: Path) -> None:
    result = runner.invoke(app, ["-q", "report", str(results), "-o", str(tmp_path / "r.html")])
    assert result.exit_code == 0, result.output
    assert terminal.getvalue() == ""


def test_progress_is_silent_when_stderr_is_not_a_terminal(results, tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", str(results), "-o", str(tmp_path / "r.html")])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [f"Wrote {tmp_path / 'r.html'}"]
