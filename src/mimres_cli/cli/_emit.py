"""Send result tables to the terminal or to a file in the chosen format (shared by the
findings commands: tables, cooccur, quotes, kwic, saturation)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mimres_cli.cli._console import err, out, print_note
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
    provenance: Mapping[str, Any] | None = None,
) -> None:
    """Print `tables` on the terminal (with `terminal` making each rich renderable), or write
    them in `fmt` (default: from `output`'s suffix) to `output` or stdout.

    `provenance` (a results folder's manifest, or `pipeline_manifest(info)`) is recorded in
    the output; CSV and TSV on stdout have no room for it, so it is said on stderr.
    """
    from mimres_cli.export.formats import SIDECAR_SUFFIX, format_from_suffix, write_tables

    chosen = format_from_suffix(output, fmt.value if fmt else None)
    if chosen == "table" and output is None and terminal is not None:
        for name, table in tables.items():
            out.print(terminal(name, table))
        if provenance is not None:
            # Wrapped at spaces to the terminal (never cut): a table fits, so does its footer.
            out.print(provenance_footer(provenance), markup=False, highlight=False,
                      emoji=False, overflow="fold")  # fmt: skip
        return
    if chosen in ("csv", "tsv") and output is None and provenance is not None:
        provenance_notice(provenance)
    written = write_tables(
        tables,
        chosen,
        output,
        titles=titles,
        percent_columns=percent_columns,
        single=single,
        provenance=provenance,
    )
    if written is not None:
        also = (
            f" and {written.name}{SIDECAR_SUFFIX}"
            if chosen in ("csv", "tsv") and provenance
            else ""
        )
        err.print(f"Wrote {written}{also}", highlight=False, markup=False, soft_wrap=True)


def provenance_footer(provenance: Mapping[str, Any]) -> str:
    """The one line under a table for people: "Provenance: pipeline ..."."""
    from mimres_cli.export.formats import provenance_fields, provenance_line

    return f"Provenance: {provenance_line(provenance_fields(provenance))}"


def provenance_notice(provenance: Mapping[str, Any]) -> None:
    """Say on stderr which pipeline made data that goes to stdout without its provenance."""
    from mimres_cli.export.formats import provenance_fields, provenance_line

    print_note("notice", provenance_line(provenance_fields(provenance)))
