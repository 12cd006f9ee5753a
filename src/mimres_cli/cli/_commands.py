"""The root command group: what holds for every command, set once over the whole tree.

- **Help in words.** Typer shows a parameter's Python type as its metavar (`<bool>`,
  `<list[Path]>`, `<int range>`). Every parameter without a metavar of its own gets one in
  words: FILE, DIR, PATH, N, NUMBER, TEXT, a choice as `[a|b]`, and none for a flag. An
  argument is named in capitals (RESULTS).
- **-v/-q on every command.** A command without its own `--quiet`/`--verbose` gets both; they
  mean what the global ones mean (see `_batch.set_verbosity`). A command that acts on them
  itself (progress bars, "Wrote …") declares them with `_batch.QuietOpt`/`VerboseOpt`.

Must import without pandas or spaCy (`mimres --help` stays fast).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

#: Typer's type names (inside `<…>`, list[…] removed) and the word the help shows instead.
_WORDS = {"bool": "", "int": "N", "int range": "N", "float": "NUMBER", "float range": "NUMBER",
          "str": "TEXT", "file": "FILE", "dir": "DIR", "path": "PATH", "Path": "PATH"}  # fmt: skip
_LIST = re.compile(r"^list\[(.*)\]$")


class MimresGroup(TyperGroup):
    """The `mimres` group: names metavars in words and adds -v/-q, over every command."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        finish_tree(self)

    def get_params(self, ctx: typer.Context) -> list[Any]:
        # Typer appends --install-completion and --show-completion after __init__.
        params = super().get_params(ctx)
        for param in params:
            _name_in_words(param)
        return params


def finish_tree(command: Any) -> None:
    """Metavars in words for `command` and everything below it; -v/-q on each leaf command."""
    # --help is made on first use and kept: make it now, so it gets its word (none) too.
    help_option = command.get_help_option(typer.Context(command))
    for param in [*command.params, *([help_option] if help_option else [])]:
        _name_in_words(param)
    subcommands = getattr(command, "commands", None)
    if subcommands is None:
        _add_verbosity(command)
        return
    for sub in subcommands.values():
        finish_tree(sub)


def metavar_word(typer_type: str) -> str:
    """The word for a type as Typer shows it: "<list[Path]>" → "PATH", "<a|b>" → "[a|b]"."""
    name = typer_type.strip("<>")
    if match := _LIST.match(name):
        name = match.group(1)
    if name in _WORDS:
        return _WORDS[name]
    if "|" in name:
        return f"[{name}]"
    return name.upper()


def _name_in_words(param: Any) -> None:
    display_type = getattr(param, "display_type", None)
    if display_type is None or getattr(param, "_mimres_words", False):
        return  # older Typer shows click's words (PATH, INTEGER) itself; or done already
    param._mimres_words = True
    word = metavar_word(display_type(None))
    if param.param_type_name == "argument":
        # An argument's type column ignores its metavar: say the type in words there too.
        param.display_type = lambda _ctx, word=word: word
        if param.metavar is None:
            param.metavar = (param.name or "").upper()  # the usage line adds "..." if repeated
    elif param.metavar is None:
        param.metavar = "" if getattr(param, "is_flag", False) else word


def _add_verbosity(command: Any) -> None:
    have = {opt for param in command.params for opt in getattr(param, "opts", ())}
    for param in _verbosity_options():
        if not have & set(param.opts):
            command.params.append(param)


def _verbosity(ctx: typer.Context, param: typer.CallbackParam, value: bool) -> None:
    """Apply a command's -q/-v as they come; both at once is refused."""
    from mimres_cli.cli._batch import set_verbosity

    if value:
        ctx.meta[f"mimres.{param.name}"] = True
    set_verbosity(ctx.meta.get("mimres.quiet", False), ctx.meta.get("mimres.verbose", False))


_QUIET_HELP = "Only errors on stderr."
_VERBOSE_HELP = "Details and timings on stderr."
QuietFlag = Annotated[
    bool,
    typer.Option("--quiet", "-q", help=_QUIET_HELP, callback=_verbosity, expose_value=False),
]
VerboseFlag = Annotated[
    bool,
    typer.Option("--verbose", "-v", help=_VERBOSE_HELP, callback=_verbosity, expose_value=False),
]


@lru_cache(maxsize=1)
def _verbosity_options() -> tuple[Any, ...]:
    """--quiet and --verbose as Typer builds them (so they match this Typer's own options),
    applied by a callback instead of being passed to the command."""

    def template(quiet: QuietFlag = False, verbose: VerboseFlag = False) -> None:
        """Only its options are used."""

    holder = typer.Typer(add_completion=False)
    holder.command()(template)
    options = tuple(typer.main.get_command(holder).params)
    for option in options:
        _name_in_words(option)
    return options
