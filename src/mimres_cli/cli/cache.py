"""`mimres cache info|clear`: look at or empty the parse cache."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mimres_cli.cli._console import err, reports_errors

NAME = "cache"
app = typer.Typer(no_args_is_help=True, help="Look at or empty the parse cache.")

CacheFolderOpt = Annotated[
    Path | None,
    typer.Option("--cache-dir", file_okay=False,
                 help="Cache folder. Default: the project's (./mimres.yaml), else .mimres-cache."),
]  # fmt: skip


def _folder(cache_dir: Path | None) -> Path:
    from mimres_cli.nlp.cache import DEFAULT_CACHE_DIR
    from mimres_cli.project import find_project, load_project

    if cache_dir is not None:
        return cache_dir
    project = find_project()
    if project is not None:
        cache = load_project(project).cache
        if cache is not None:
            return cache
    return Path(DEFAULT_CACHE_DIR)


@app.command("info")
@reports_errors
def info_cmd(cache_dir: CacheFolderOpt = None) -> None:
    """Print the cache folder's entries per pipeline, as tab-separated lines on stdout.

    Columns: pipeline, entries (one per interview text), bytes, folder.

    Example: mimres cache info --cache-dir .mimres-cache
    """
    from mimres_cli.nlp.cache import cache_summary

    summary = cache_summary(_folder(cache_dir))
    if not summary.exists:
        err.print(f"No parse cache at {summary.folder}", highlight=False, soft_wrap=True)
        return
    # typer.echo, not the rich console: rich would expand the tabs into spaces.
    typer.echo("pipeline\tentries\tbytes\tfolder")
    for item in summary.pipelines:
        typer.echo(f"{item.pipeline}\t{item.entries}\t{item.bytes}\t{item.folder}")
    err.print(f"{summary.entries} entries, {summary.bytes / 1e6:.1f} MB in {summary.folder}",
              highlight=False, soft_wrap=True)  # fmt: skip


@app.command("clear")
@reports_errors
def clear_cmd(cache_dir: CacheFolderOpt = None) -> None:
    """Delete every parsed interview in the cache folder (other files there are left alone).

    Example: mimres cache clear --cache-dir .mimres-cache
    """
    from mimres_cli.nlp.cache import clear_cache

    before = clear_cache(_folder(cache_dir))
    if not before.exists:
        err.print(f"No parse cache at {before.folder}", highlight=False, soft_wrap=True)
        return
    err.print(f"Removed {before.entries} entries ({before.bytes / 1e6:.1f} MB) from "
              f"{before.folder}", highlight=False, soft_wrap=True)  # fmt: skip
