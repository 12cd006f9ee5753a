"""Options shared by every command, defined once as `Annotated` aliases.

This module must import without pandas or spaCy: `mimres --help` stays fast.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Any, get_args

import typer

from mimres_cli.vocabulary import TableFormat, UnitKind


def choices(name: str, vocabulary: Any) -> type[Enum]:
    """The command line's choices of a vocabulary: a str Enum with one member per value of
    the `Literal` (Typer takes Enums, also in lists, where it takes no `Literal`). A member's
    name is its value with `-` as `_` (`FailOn.uncoded_interviews`)."""
    members = [(value.replace("-", "_"), value) for value in get_args(vocabulary)]
    return Enum(name, members, type=str)  # type: ignore[return-value]  # the functional API


UnitChoice = choices("UnitChoice", UnitKind)


CorpusOpt = Annotated[
    Path | None,
    typer.Option(
        "--corpus",
        help="Folder or file of transcripts. Default: ./sample_interviews, else the shipped one.",
        rich_help_panel="Inputs",
    ),
]
SourceCorpusOpt = Annotated[
    Path | None,
    typer.Option(
        "--corpus",
        help="Folder or file of transcripts. Default: ./sample_interviews, else the shipped one. "
        "With RESULTS: where its transcripts are now, if they moved.",
        rich_help_panel="Inputs",
    ),
]
CodebooksOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--codebook",
        "-c",
        metavar="FILE",
        help="YAML codebook; repeat for several. Default: every codebooks/*.yaml.",
        rich_help_panel="Inputs",
    ),
]
ModelOpt = Annotated[
    str | None,
    typer.Option(
        "--model",
        "-m",
        metavar="NAME",
        help="spaCy pipeline name or folder; 'fallback' names the built-in Bokmål pipeline "
        "(and silences the W601 warning). Default: nb_core_news_sm if installed, else the "
        "built-in one (with W601).",
        rich_help_panel="Inputs",
    ),
]
UnitOpt = Annotated[
    UnitChoice,
    typer.Option("--unit", help="Unit of coding: a whole informant turn, or each sentence."),
]
OutDirOpt = Annotated[
    Path | None,
    typer.Option(
        "--out",
        "-o",
        file_okay=False,
        help="Write segments.csv, findings.csv and the other result tables into this folder.",
        rich_help_panel="Output",
    ),
]
FormatChoice = choices("FormatChoice", TableFormat)


FormatOpt = Annotated[
    FormatChoice | None,
    typer.Option(
        "--format",
        "-f",
        help="Output format. Default: from the --output suffix, else a table on the terminal.",
        rich_help_panel="Output",
    ),
]
OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        dir_okay=False,
        help="Write to this file instead of stdout (.csv .tsv .json .md .xlsx .txt).",
        rich_help_panel="Output",
    ),
]
ResultsArg = Annotated[
    Path,
    typer.Argument(
        help="Results folder written by 'mimres code' or 'mimres run --out'.",
        show_default=False,
    ),
]
SourceResultsArg = Annotated[
    Path | None,
    typer.Argument(
        help="Results folder ('mimres run --out'): the interviews it was coded from, read again "
        "and parsed with its pipeline, metadata sheet and design. Default: --corpus.",
        show_default=False,
    ),
]
DesignOpt = Annotated[
    str | None,
    typer.Option(
        "--design",
        metavar="ATTR,ATTR",
        help="The two interview attributes the main tables cross, e.g. kommune,informantgruppe. "
        "Default: the project file's or corpus.yaml's 'design:', else municipality,group.",
        show_default=False,
    ),
]
