"""Consoles, logging and the one place where problems become `mimres: error[E104]: …` lines."""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import typer
from rich.console import Console

from mimres_cli.errors import MimresError, Problem

P = ParamSpec("P")
R = TypeVar("R")

# Interview text and file names are data, never markup: "[pause]" must print as written and
# "file.yaml:100:5" must not become an emoji, so both consoles read plain strings literally.
out = Console(markup=False, emoji=False)  # data only
err = Console(stderr=True, markup=False, emoji=False)  # notices, progress, warnings, errors

_debug = False


def debug_enabled() -> bool:
    return _debug or os.environ.get("MIMRES_DEBUG", "") not in ("", "0")


def setup_logging(verbose: bool = False, quiet: bool = False, debug: bool | None = None) -> None:
    """Send library logging to stderr: warnings always, details with -v, only errors with -q.

    The logger itself stays open to warnings under --quiet, so that a run can still count
    them for `--fail-on warnings`; the handler is what goes quiet. `debug=None` keeps the
    current --debug setting (commands call this again for their own -q/-v).
    """
    global _debug
    if debug is not None:
        _debug = debug
    handler = _ConsoleHandler()
    handler.setLevel(logging.ERROR if quiet else logging.NOTSET)
    root = logging.getLogger("mimres_cli")
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if verbose else logging.WARNING)
    root.propagate = False


def print_problem(problem: Problem) -> None:
    """The one way a problem is printed: `mimres: warning[W102]: file:line: message. fix`."""
    say(problem.formatted())


def print_note(level: str, message: str) -> None:
    """A line that is not a catalogued problem (progress, provenance): `mimres: level: …`."""
    say(f"mimres: {level}: {message}")


def say(line: str) -> None:
    """One line on stderr, as written: no markup, emoji or highlighting, never wrapped."""
    # emoji=False: rich would turn 'file.yaml:100:5' into 'file.yaml💯5'.
    err.print(line, markup=False, highlight=False, emoji=False, soft_wrap=True)


class _ConsoleHandler(logging.Handler):
    """Logged problems (see `errors.report`) and other log lines on the stderr console (which
    CliRunner captures too).

    A message repeated within one run (one handler) is shown once: a notice such as the
    fallback pipeline's is said once, however many times the pipeline is loaded.
    """

    def __init__(self) -> None:
        super().__init__()
        self._seen: set[tuple[int, str]] = set()

    def emit(self, record: logging.LogRecord) -> None:
        key = (record.levelno, record.getMessage())
        if record.levelno >= logging.WARNING and key in self._seen:
            return
        self._seen.add(key)
        problem = getattr(record, "problem", None)
        if isinstance(problem, Problem):
            print_problem(problem)
        else:
            print_note(record.levelname.lower(), record.getMessage())


def reports_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn a MimresError into `mimres: error[E…]: …` lines on stderr and its exit code."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except MimresError as exc:
            if debug_enabled():
                raise
            for problem in exc.problems:
                print_problem(problem)
            raise typer.Exit(exc.exit_code) from None

    wrapper.reports_errors = True  # type: ignore[attr-defined]  # checked by the tests
    return wrapper
