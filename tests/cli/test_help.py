"""What holds for every command: metavars in words in --help, and -v/-q accepted everywhere.

Each test walks the whole command tree (a new command is checked without being listed here).
"""

from __future__ import annotations

import logging
import re

import pytest
import typer
from typer.testing import CliRunner

from mimres_cli.cli import app

runner = CliRunner()

#: Typer's own metavars: "<bool>", "<list[Path]>", "<int range>", "<dir>", "<a|b>".
TYPE_METAVAR = re.compile(r"<[A-Za-z][^<>\s]*(?: range)?>")
#: Python type names that must not stand for a value in help.
TYPE_NAMES = re.compile(r"list\[|\bPath\b|\bbool\b|\bstr\b|\bint\b|\bfloat\b")


def _commands(command=None, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    command = command or typer.main.get_command(app)
    if not hasattr(command, "commands"):
        return [path]
    found = [path]  # the group itself has a --help too
    for name, sub in command.commands.items():
        found += _commands(sub, (*path, name))
    return found


COMMANDS = _commands()


def _leaf_commands() -> list[tuple[str, ...]]:
    root = typer.main.get_command(app)
    leaves = []
    for path in COMMANDS:
        command = root
        for name in path:
            command = command.commands[name]
        if not hasattr(command, "commands"):
            leaves.append(path)
    return leaves


def test_the_walk_finds_every_command() -> None:
    leaves = _leaf_commands()
    assert ("words",) in leaves and ("codebook", "validate") in leaves and ("kwic",) in leaves
    assert len(leaves) >= 27


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "mimres")
def test_help_names_every_value_in_words(path: tuple[str, ...]) -> None:
    result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert not TYPE_METAVAR.findall(result.stdout), result.stdout
    # Each parameter's metavar, as the help shows it, is a word, not a Python type.
    root = typer.main.get_command(app)
    command = root
    context = typer.Context(root, info_name="mimres")
    for name in path:
        command = command.commands[name]
        context = typer.Context(command, info_name=name, parent=context)
    for param in command.get_params(context):
        display = getattr(param, "display_type_rich", None)
        shown = display(context) if display else param.make_metavar(context)
        assert not TYPE_METAVAR.search(str(shown or "")), (param.name, shown)
        assert not TYPE_NAMES.search(str(shown or "")), (param.name, shown)


@pytest.mark.parametrize("path", _leaf_commands(), ids=" ".join)
def test_every_command_takes_verbose_and_quiet(path: tuple[str, ...]) -> None:
    result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "200"})
    words = result.stdout.split()
    for option in ("--verbose", "-v", "--quiet", "-q"):
        assert option in words, (path, option)
    # Given before --help, each is parsed (an unknown option fails even with --help).
    for option in ("-v", "-q", "--verbose", "--quiet"):
        given = runner.invoke(app, [*path, option, "--help"])
        assert given.exit_code == 0, (path, option, given.output)


def test_a_commands_own_verbose_and_quiet_act_and_exclude_each_other(tmp_path) -> None:
    book = tmp_path / "book.yaml"
    book.write_text("codebook: b\ncodes:\n  - id: jobb\n    terms: [jobb]\n", encoding="utf-8")
    logger = logging.getLogger("mimres_cli")
    try:
        shown = runner.invoke(app, ["codebook", "show", str(book), "-v"])
        assert shown.exit_code == 0, shown.output
        assert logger.level == logging.DEBUG  # -v after the command means the global -v
        quiet = runner.invoke(app, ["codebook", "show", str(book), "--quiet"])
        assert quiet.exit_code == 0, quiet.output
        assert logger.handlers[0].level == logging.ERROR
        both = runner.invoke(app, ["codebook", "show", str(book), "-q", "-v"])
        assert both.exit_code == 2 and both.stdout == ""
        assert "--quiet and --verbose exclude each other" in both.stderr
    finally:
        from mimres_cli.cli._console import setup_logging

        setup_logging()


def _with_model() -> list[tuple[str, ...]]:
    root = typer.main.get_command(app)
    found = []
    for path in _leaf_commands():
        command = root
        for name in path:
            command = command.commands[name]
        if any("--model" in param.opts for param in command.params):
            found.append(path)
    return found


@pytest.mark.parametrize("path", _with_model(), ids=" ".join)
def test_model_help_names_the_built_in_pipeline(path: tuple[str, ...]) -> None:
    # --model fallback chooses the built-in pipeline on purpose, without the W601 warning.
    result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    text = " ".join(re.sub(r"[│╭╮╰╯─]", " ", result.stdout).split())
    assert "'fallback' names the built-in Bokmål pipeline (and silences the W601 warning)" in text
