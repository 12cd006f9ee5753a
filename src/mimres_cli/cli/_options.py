"""Options shared by every command, defined once as `Annotated` aliases.

This module must import without pandas or spaCy: `mimres --help` stays fast.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer


class UnitChoice(str, Enum):
    turn = "turn"
    sentence = "sentence"


CorpusOpt = Annotated[
    Path | None,
    typer.Option(
        "--corpus",
        help="Folder or file of transcripts. Default: ./sample_interviews, else the shipped one.",
        rich_help_panel="Inputs",
    ),
]
CodebooksOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--codebook",
        "-c",
        help="YAML codebook; repeat for several. Default: every codebooks/*.yaml.",
        rich_help_panel="Inputs",
    ),
]
ModelOpt = Annotated[
    str | None,
    typer.Option(
        "--model",
        "-m",
        help="spaCy pipeline name or folder. Default: nb_core_news_sm if installed, "
        "else the built-in Bokmål pipeline.",
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
QuietOpt = Annotated[
    bool, typer.Option("--quiet", "-q", help="Only errors and warnings on stderr.")
]


class FormatChoice(str, Enum):
    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"
    markdown = "markdown"
    xlsx = "xlsx"


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
DesignOpt = Annotated[
    str | None,
    typer.Option(
        "--design",
        help="The two interview attributes the main tables cross, e.g. kommune,informantgruppe. "
        "Default: the project file's or corpus.yaml's 'design:', else municipality,group.",
        show_default=False,
    ),
]
