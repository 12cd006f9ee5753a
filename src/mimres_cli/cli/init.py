"""`mimres init`: start a project folder with a commented mimres.yaml that runs as is."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mimres_cli.cli._console import err, reports_errors

app = typer.Typer()


@app.command("init")
@reports_errors
def init_cmd(
    folder: Annotated[
        Path, typer.Argument(file_okay=False, help="Project folder (created if needed).")
    ] = Path(),
    force: Annotated[
        bool, typer.Option("--force", help="Replace an existing mimres.yaml.")
    ] = False,
    no_sample: Annotated[
        bool,
        typer.Option("--no-sample", help="Do not copy the sample interviews and codebook in."),
    ] = False,
) -> None:
    """Write a commented mimres.yaml into FOLDER, ready for `mimres run`.

    Unless the folder already has them (or --no-sample), the sample interviews and the shipped
    codebook are copied in beside it, so the new project runs as is; replace them with your
    own. Never overwrites an existing project file without --force.

    Example: mimres init my_project && cd my_project && mimres run
    """
    from mimres_cli.project import init_project

    created = init_project(folder, force=force, sample=not no_sample)
    for path in created:
        err.print(f"Created {path}", highlight=False, soft_wrap=True)
