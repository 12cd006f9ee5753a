"""`mimres export codebook|project`: REFI-QDA files for NVivo, ATLAS.ti, MAXQDA and QualCoder."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mimres_cli.cli._console import err, reports_errors

NAME = "export"
app = typer.Typer(
    no_args_is_help=True,
    help="Write codebooks and coded projects for QDA tools (REFI-QDA .qdc and .qdpx).",
)

QdcOut = Annotated[
    Path,
    typer.Option("--output", "-o", dir_okay=False, help="The .qdc file to write.",
                 rich_help_panel="Output"),
]  # fmt: skip
QdpxOut = Annotated[
    Path,
    typer.Option("--output", "-o", dir_okay=False, help="The .qdpx file to write.",
                 rich_help_panel="Output"),
]  # fmt: skip
CorpusOpt = Annotated[
    Path | None,
    typer.Option("--corpus", help="Folder of the coded transcripts. Default: the corpus path "
                 "recorded in the results' manifest.json.", rich_help_panel="Inputs"),
]  # fmt: skip


@app.command("codebook")
@reports_errors
def codebook_cmd(
    codebook: Annotated[Path, typer.Argument(help="YAML codebook.", dir_okay=False)],
    output: QdcOut,
) -> None:
    """Write a YAML codebook as a REFI-QDA codebook (.qdc) to open in a QDA tool.

    Codes keep their tree, labels become names, and definition, when to use, when not to use
    and examples go into each code's description. GUIDs come from the code paths, so
    exporting again gives the same GUIDs.

    Example: mimres export codebook codebooks/integrering.yaml -o integrering.qdc
    """
    from mimres_cli.codebook import load_codebook
    from mimres_cli.export.refi import write_qdc

    book = load_codebook(codebook)
    write_qdc(book, output)
    count = sum(1 for _ in book.walk())
    err.print(
        f"Wrote {output}: {count} codes", highlight=False, markup=False, emoji=False, soft_wrap=True
    )


@app.command("project")
@reports_errors
def project_cmd(
    results: Annotated[
        Path, typer.Argument(help="Results folder written by 'mimres run --out'.", file_okay=False)
    ],
    output: QdpxOut,
    corpus: CorpusOpt = None,
    name: Annotated[str | None, typer.Option("--name", help="Project name.")] = None,
) -> None:
    """Write a coded results folder as a REFI-QDA project (.qdpx) to review in a QDA tool.

    Every interview becomes a text source and a case with its attributes; every segment a
    coded selection by the user 'mimres (automatic coding)'. The transcripts are read again
    and must be unchanged since coding.

    Example: mimres run --out results && mimres export project results -o review.qdpx
    """
    from mimres_cli.export.refi import export_project

    project = export_project(results, output, corpus=corpus, name=name)
    err.print(
        f"Wrote {output}: {project.interviews} interviews, {project.selections} selections, "
        f"{project.codings} codings",
        highlight=False,
        markup=False,
        emoji=False,
        soft_wrap=True,
    )
