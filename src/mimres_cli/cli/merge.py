"""`mimres merge`: join the parts of `mimres code --shard I/N` into one results folder."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mimres_cli.cli._batch import QuietOpt
from mimres_cli.cli._console import err, reports_errors

app = typer.Typer()

PartsArg = Annotated[
    list[Path],
    typer.Argument(metavar="PART...", exists=True, file_okay=False, show_default=False,
                   help="The results folders of every shard (written by 'mimres code --shard')."),
]  # fmt: skip
MergedOpt = Annotated[
    Path,
    typer.Option("--out", "-o", file_okay=False, show_default=False,
                 help="Results folder to write: what one run over the whole corpus writes.",
                 rich_help_panel="Output"),
]  # fmt: skip


@app.command("merge")
@reports_errors
def merge_cmd(parts: PartsArg, out: MergedOpt, quiet: QuietOpt = False) -> None:
    """Merge the parts of a sharded run into the results folder of one run.

    Checks that every shard of 1..N is there once and that all were coded from the same
    corpus, codebooks and options; then writes segments, units, interviews, codes and
    findings byte-identical to 'mimres code' without --shard, and manifest.json (see
    docs/batch.md for what differs there: timings, parse cache, the parts).

    Example: mimres merge parts/1 parts/2 parts/3 --out results
    """
    from mimres_cli.coding.shards import merge_folders

    merged, written = merge_folders(parts, out)
    if not quiet:
        err.print(f"Merged {len(parts)} parts ({len(merged.interviews)} interviews, "
                  f"{len(merged.segments)} segments); wrote {len(written)} files to {out}",
                  highlight=False, soft_wrap=True)  # fmt: skip
