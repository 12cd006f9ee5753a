"""`mimres agree`: how well automatic coding agrees with human coding (or two humans agree)."""

from __future__ import annotations

import math
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from mimres_cli.cli._console import err, out, reports_errors

app = typer.Typer()


class AgreeFormat(str, Enum):
    table = "table"
    csv = "csv"


@app.command("agree")
@reports_errors
def agree_cmd(
    results: Annotated[
        Path, typer.Argument(help="Results folder ('mimres run --out').", file_okay=False)
    ],
    human: Annotated[
        list[Path],
        typer.Option(
            "--human",
            "-H",
            dir_okay=False,
            help="Human codings (.qdpx or CSV). Once: mimres vs human. Twice: the "
            "first human vs the second. More: Krippendorff's alpha of all of them.",
            rich_help_panel="Inputs",
        ),
    ],
    coder: Annotated[
        list[str] | None,
        typer.Option(
            "--coder",
            help="Only codings by this coder (repeatable). Default: every "
            "coder except mimres itself.",
            rich_help_panel="Inputs",
        ),
    ] = None,
    by: Annotated[
        str | None, typer.Option("--by", help="Also per value of this attribute, e.g. group.")
    ] = None,
    min_alpha: Annotated[
        float | None,
        typer.Option(
            "--min-alpha",
            help="Exit 1 when the overall Krippendorff's alpha is below this (e.g. 0.8), for CI.",
            rich_help_panel="Checks",
        ),
    ] = None,
    show: Annotated[int, typer.Option("--show", help="Disagreements to list (0: none).")] = 20,
    output_format: Annotated[
        AgreeFormat, typer.Option("--format", help="table for people, csv for the agreement table.")
    ] = AgreeFormat.table,
    all_codes: Annotated[
        bool, typer.Option("--all-codes", help="Also show the codes no coder used.")
    ] = False,
    all_interviews: Annotated[
        bool,
        typer.Option(
            "--all-interviews",
            help="Count every interview, not only those the human file(s) coded.",
            rich_help_panel="Inputs",
        ),
    ] = False,
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            file_okay=False,
            help="Write agreement.csv and disagreements.csv into this folder.",
            rich_help_panel="Output",
        ),
    ] = None,
) -> None:
    """Compare automatic coding with human coding, unit by unit, per code and overall.

    Counts, precision and recall (the human is the reference), F1, Cohen's kappa and
    Krippendorff's alpha, and the disagreements with the unit's text and who coded it.
    Only the informant units of interviews the human file(s) coded count, unless
    --all-interviews.

    Example: mimres agree results --human docs/exchange/anna_sel_flyktning_01.csv --min-alpha 0.8
    """
    from mimres_cli.cli._emit import provenance_footer, provenance_notice
    from mimres_cli.coding import Results
    from mimres_cli.coding.human import (
        COMPARED_ROLES,
        TOOL_CODER,
        read_codings,
        unit_codings,
    )
    from mimres_cli.errors import MimresError
    from mimres_cli.export import table_to_csv, write_tables
    from mimres_cli.export.formats import provenance_fields
    from mimres_cli.findings.agreement import agreement, coders_agreement

    coding = Results.read(results)
    manifest = coding.manifest
    units = coding.units[coding.units["role"].isin(COMPARED_ROLES)]
    if by is not None and by not in units.columns:
        raise MimresError(
            f"the units have no attribute '{by}'",
            fix=f"Use one of: {', '.join(c for c in coding.design.attributes if c in units)}",
        )
    sides = []
    coded_interviews: set[str] | None = None
    for path in human:
        codings = read_codings(path, coding.interviews, coding.units, coding.codes).codings
        chosen = (
            codings[codings["coder"].isin(coder)] if coder
            else codings[codings["coder"] != TOOL_CODER]
        )  # fmt: skip
        if chosen.empty:
            raise MimresError(
                f"'{path}' has no codings by {', '.join(coder) if coder else 'a person'}",
                fix="Code in the QDA tool as your own user, or choose coders with --coder",
            )
        name = ", ".join(sorted(chosen["coder"].unique()))
        mine = set(chosen["interview_id"])
        coded_interviews = mine if coded_interviews is None else coded_interviews & mine
        sides.append((name, unit_codings(chosen, coding.units)))
    if not all_interviews and coded_interviews is not None:
        # A person usually double-codes a few interviews: the others are not disagreements.
        units = units[units["interview_id"].isin(coded_interviews)]
    if len(sides) == 1:
        segments = coding.segments[["interview_id", "unit_index", "code"]]
        sides.insert(0, (TOOL_CODER, segments))
    names = _distinct([name for name, _ in sides])
    codes = list(coding.codes["code"])
    if len(sides) == 2:
        (_, a), (_, b) = sides
        result = agreement(units, a, b, codes=codes, by=[by] if by else [],
                           names=(names[0], names[1]))  # fmt: skip
        overall = agreement(units, a, b, codes=codes, names=(names[0], names[1]))
    else:
        coded = {name: side for name, (_, side) in zip(names, sides, strict=True)}
        result = coders_agreement(units, coded, codes=codes, by=[by] if by else [])
        overall = coders_agreement(units, coded, codes=codes)
    if out_dir is not None:
        write_tables(out_dir, {"agreement": result.table, "disagreements": result.disagreements},
                     sidecar=provenance_fields(manifest))  # fmt: skip
    if output_format is AgreeFormat.csv:
        provenance_notice(manifest)  # stdout stays pure CSV
        out.file.write(table_to_csv(result.table))
    else:
        _render(result, coding.codes, by, show, all_codes)
        _wide_console().print(provenance_footer(manifest), markup=False, highlight=False,
                              emoji=False, soft_wrap=True)  # fmt: skip
    alpha = float(overall.overall()["alpha"])
    if min_alpha is not None and (math.isnan(alpha) or alpha < min_alpha):
        shown = "undefined" if math.isnan(alpha) else f"{alpha:.3f}"
        err.print(f"mimres: agreement: overall alpha {shown} is below --min-alpha {min_alpha}",
                  highlight=False, markup=False, emoji=False, soft_wrap=True)  # fmt: skip
        raise typer.Exit(1)


def _distinct(names: list[str]) -> list[str]:
    """Coder names, numbered where two files have the same coder."""
    return [
        f"{name} ({n})" if names.count(name) > 1 else name for n, name in enumerate(names, start=1)
    ]


def _render(result, codes, by: str | None, show: int, all_codes: bool) -> None:
    from rich.table import Table
    from rich.text import Text

    labels = dict(zip(codes["code"], codes["label"], strict=True))
    depth = dict(zip(codes["code"], codes["depth"], strict=True))
    units = int(result.table["units"].max()) if len(result.table) else 0
    pairwise = len(result.names) == 2
    if pairwise:
        title = (
            f"Agreement on {units} units: A = {result.names[0]}, B = {result.names[1]} (reference)"
        )
        counts = ["coded_a", "coded_b", "both"]
        measures = ["precision", "recall", "f1", "kappa", "alpha"]
        headers = ["A", "B", "Both", "P", "R", "F1", "κ", "α"]
    else:
        title = f"Agreement on {units} units between {', '.join(result.names)}"
        counts = [f"coded_{name}" for name in result.names]
        measures = ["alpha"]
        headers = [*result.names, "α"]
    table = Table(title=Text(title), title_justify="left")
    if by:
        table.add_column(Text(by), no_wrap=True)
    table.add_column("Code", no_wrap=True, overflow="ellipsis", min_width=16)
    for column in headers:
        table.add_column(Text(column), justify="right", no_wrap=True)
    rows = result.table
    unused = rows[(rows[counts[:2] if pairwise else counts] == 0).all(axis=1)
                  & (rows["code"] != "(overall)")]  # fmt: skip
    if not all_codes:
        rows = rows.drop(unused.index)
        hidden = unused["code"].nunique()
        if hidden:
            table.caption = f"{hidden} codes no coder used are not shown (--all-codes shows them)"
    for row in rows.to_dict("records"):  # records: an attribute may not be an identifier
        if row["code"] == "(overall)":
            label = Text("Overall (leaf codes)", style="bold")
        else:
            code = row["code"]
            label = Text("  " * int(depth.get(code, 0)) + str(labels.get(code, code)))
        # Text cells: a str cell would be read as rich markup ('[pause]' vanishes).
        cells = [Text(str(row[by]))] if by else []
        cells += [label, *(Text(str(row[c])) for c in counts)]
        cells += [Text(_number(row[c])) for c in measures]
        table.add_row(*cells, end_section=row["code"] == "(overall)")
    console = _wide_console()
    console.print(table)
    if show and not result.disagreements.empty:
        listing = Table(title=f"Disagreements ({len(result.disagreements)}; first {show})",
                        title_justify="left")  # fmt: skip
        for column in ("Interview", "Unit", "Code", "Coded by"):
            listing.add_column(column, no_wrap=True)
        listing.add_column("Text", no_wrap=True, overflow="ellipsis", max_width=50)
        for row in result.disagreements.head(show).itertuples(index=False):
            text = " ".join(str(row.text).split())
            cells = (row.interview_id, row.unit_index, row.code, row.coded_by, text)
            listing.add_row(*(Text(str(cell)) for cell in cells))
        console.print(listing)


def _wide_console():
    """`out`, or for a pipe or file (where rich assumes 80 columns) a 150-column console."""
    from rich.console import Console

    if out.is_terminal:
        return out
    return Console(file=out.file, width=150, no_color=True, highlight=False, emoji=False)


def _number(value: float) -> str:
    # round() + 0.0 turns -0.00 into 0.00.
    return "" if value is None or math.isnan(value) else f"{round(value, 2) + 0.0:.2f}"
