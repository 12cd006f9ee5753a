"""The `mimres` command: a root Typer app that gathers one module per command group.

Every module in this package that defines `app` contributes its commands; a module that
also defines `NAME` is added as a named group (`mimres NAME …`), otherwise its commands are
top-level. So a new command group is one new module here, with nothing else to edit.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import signal
import sys
import traceback
from typing import Annotated

import typer

from mimres_cli import __version__
from mimres_cli.cli._commands import MimresGroup
from mimres_cli.cli._console import setup_logging
from mimres_cli.files import remove_unfinished
from mimres_cli.safety import forget_inputs, set_raw_csv

app = typer.Typer(
    name="mimres",
    cls=MimresGroup,  # metavars in words and -v/-q on every command (see _commands)
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,  # locals hold interview text: keep it out of logs
    help="Dictionary coding of Norwegian qualitative interviews, with tables for reports.",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"mimres {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Show timings and details.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only errors on stderr.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of errors.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
    raw_csv: Annotated[
        bool,
        typer.Option(
            "--raw-csv",
            help="Write CSV/TSV text cells as they are: no leading ' "
            "before =, +, -, @ (which spreadsheets would run as formulas).",
        ),
    ] = False,
) -> None:
    setup_logging(verbose=verbose, quiet=quiet, debug=debug)
    forget_inputs()  # each command starts with no input in use (see mimres_cli.safety)
    set_raw_csv(raw_csv)


def _command_modules() -> list[str]:
    return sorted(
        info.name for info in pkgutil.iter_modules(__path__) if not info.name.startswith("_")
    )


for _name in _command_modules():
    _module = importlib.import_module(f"{__name__}.{_name}")
    if hasattr(_module, "app"):
        app.add_typer(_module.app, name=getattr(_module, "NAME", None))


#: Exit code for a bug in mimres itself (user errors exit 2, `--fail-on` conditions 1).
BUG_EXIT_CODE = 3


def _stop_on_sigterm(main_pid: int) -> None:
    """On SIGTERM (`kill`, a Slurm time limit or `scancel`, a cancelled CI job) remove the
    temporary folder of a results folder being written, which Python's default (dying at
    once) leaves behind, then die by the signal as before. Not by an exception: unwinding
    through spaCy's `--jobs` worker pool can hang at exit. Forked workers keep the default."""

    def stop(signum: int, frame: object) -> None:
        if os.getpid() == main_pid:
            remove_unfinished()
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)

    signal.signal(signal.SIGTERM, stop)


def main() -> None:
    """Entry point of the `mimres` console script: a bug prints its traceback and exits 3."""
    _stop_on_sigterm(os.getpid())
    try:
        app()
    except BrokenPipeError:
        # `mimres ... | head` closed the pipe: not an error. Point stdout at devnull so the
        # interpreter's final flush does not raise again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
    except Exception:
        traceback.print_exc()
        sys.stderr.write(
            f"mimres {__version__}: this is a bug in mimres, not in your files. Please report "
            "it with the command you ran and the traceback above (it may quote your data: "
            "check before sharing).\n"
        )
        sys.exit(BUG_EXIT_CODE)
