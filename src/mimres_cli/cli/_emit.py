"""Send result tables to the terminal or to a file in the chosen format (shared by the
findings commands: tables, cooccur, quotes, kwic, saturation)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from mimres_cli.cli._console import err, out
from mimres_cli.cli._options import FormatChoice

if TYPE_CHECKING:
    import pandas as pd
    from rich.console import RenderableType


def emit_tables(
    tables: Mapping[str, pd.DataFrame],
    fmt: FormatChoice | None,
    output: Path | None,
    *,
    titles: Mapping[str, str] | None = None,
    percent_columns: Sequence[str] = (),
    terminal: Callable[[str, pd.DataFrame], RenderableType] | None = None,
    single: bool = False,
) -> None:
    """Print `tables` on the terminal (with `terminal` making each rich renderable), or write
    them in `fmt` (default: from `output`'s suffix) to `output` or stdout."""
    from mimres_cli.export.formats import format_from_suffix, write_tables

    chosen = format_from_suffix(output, fmt.value if fmt else None)
    if chosen == "table" and output is None and terminal is not None:
        for name, table in tables.items():
            out.print(terminal(name, table))
        return
    written = write_tables(
        tables,
        chosen,
        output,
        titles=titles,
        percent_columns=percent_columns,
        single=single,
    )
    if written is not None:
        err.print(f"Wrote {written}", highlight=False, markup=False, soft_wrap=True)
