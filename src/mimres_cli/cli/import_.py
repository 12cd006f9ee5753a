"""`mimres import codebook|codings`: bring codebooks and human codings back from QDA tools."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mimres_cli.cli._console import err, out, reports_errors

NAME = "import"
app = typer.Typer(
    no_args_is_help=True,
    help="Read REFI-QDA codebooks (.qdc) and human codings (.qdpx or CSV) from QDA tools.",
)

ResultsOpt = Annotated[
    Path,
    typer.Option("--results", "-r", file_okay=False, exists=True,
                 help="Results folder the codings are mapped onto ('mimres run --out').",
                 rich_help_panel="Inputs"),
]  # fmt: skip
OutputOpt = Annotated[
    Path | None,
    typer.Option("--output", "-o", dir_okay=False, help="Write here instead of stdout.",
                 rich_help_panel="Output"),
]  # fmt: skip
ForceOpt = Annotated[bool, typer.Option("--force", help="Overwrite an existing output file.")]


@app.command("codebook")
@reports_errors
def codebook_cmd(
    qdc: Annotated[Path, typer.Argument(help=".qdc codebook (or .qdpx project).", dir_okay=False)],
    output: OutputOpt = None,
    force: ForceOpt = False,
) -> None:
    """Turn a REFI-QDA codebook made in NVivo, ATLAS.ti or MAXQDA into a YAML skeleton.

    Ids are made from the names, descriptions are kept, and every leaf code gets an empty
    'terms:' list to fill in; 'mimres codebook validate' lists the codes that still need rules.

    Example: mimres import codebook integrering.qdc -o integrering_skeleton.yaml
    """
    from mimres_cli.export import write_text_atomic
    from mimres_cli.export.refi.qdc import import_codebook

    text = import_codebook(qdc)
    if output is None:
        out.file.write(text)
        return
    _refuse_overwrite(output, force)
    write_text_atomic(output, text)
    err.print(f"Wrote {output}", highlight=False, markup=False, emoji=False, soft_wrap=True)


@app.command("codings")
@reports_errors
def codings_cmd(
    codings: Annotated[
        Path,
        typer.Argument(
            help=".qdpx project, or CSV: interview_id,start,end,code[,coder].", dir_okay=False
        ),
    ],
    results: ResultsOpt,
    output: OutputOpt = None,
    save: Annotated[
        bool,
        typer.Option(
            "--save",
            help="Keep the codings in the results folder (human_codings.csv): "
            "the report and the tables workbook then show how mimres agrees with them.",
            rich_help_panel="Output",
        ),
    ] = False,
    force: ForceOpt = False,
) -> None:
    """Read human codings and map them onto the units of a results folder, as CSV.

    One row per selection and code: interview_id, start, end (code points, end exclusive),
    code, coder, units (the unit indexes it overlaps: a unit counts as coded when the
    selection shares at least one character with it) and the quoted text.

    Example: mimres import codings review.qdpx --results results --save
    """
    from mimres_cli.coding import Results
    from mimres_cli.coding.human import with_units
    from mimres_cli.coding.validation import HUMAN_CODINGS_FILE
    from mimres_cli.export import table_to_csv, write_text_atomic
    from mimres_cli.export.refi.codings import read_codings

    if save and output is not None:
        raise typer.BadParameter("--save writes into the results folder: drop -o",
                                 param_hint="--save")  # fmt: skip
    if save:
        output = results / HUMAN_CODINGS_FILE
    coding = Results.read(results)
    human = read_codings(codings, coding.interviews, coding.units, coding.codes)
    text = table_to_csv(with_units(human.codings, coding.units))
    if output is None:
        out.file.write(text)
        return
    _refuse_overwrite(output, force)
    write_text_atomic(output, text)
    err.print(
        f"Wrote {output}: {len(human.codings)} codings",
        highlight=False,
        markup=False,
        emoji=False,
        soft_wrap=True,
    )


def _refuse_overwrite(path: Path, force: bool) -> None:
    from mimres_cli.errors import OutputError

    if path.exists() and not force:
        raise OutputError(
            f"'{path}' already exists", fix="Choose another file, or add --force", code="E501"
        )
