"""`mimres corpus`: check a corpus before coding; list its interviews and every problem."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from mimres_cli.cli._console import err, out, print_problem, reports_errors
from mimres_cli.cli._options import FormatOpt, OutputOpt

if TYPE_CHECKING:
    from mimres_cli.corpus import CorpusCheck

app = typer.Typer()


CorpusArg = Annotated[
    Path | None,
    typer.Argument(
        help="Folder (or file) of transcripts. Default: ./sample_interviews, else the shipped one.",
        show_default=False,
    ),
]
MetadataOpt = Annotated[
    Path | None,
    typer.Option(
        "--metadata",
        dir_okay=False,
        help="Metadata sheet (.csv or .xlsx), one row per interview. "
        "Default: interviews.csv or interviews.xlsx in the corpus folder.",
        rich_help_panel="Inputs",
    ),
]
StrictOpt = Annotated[
    bool,
    typer.Option("--strict", help="Exit 1 when there are warnings (errors always exit 2)."),
]


@app.command("corpus")
@reports_errors
def corpus_cmd(
    corpus: CorpusArg = None,
    metadata: MetadataOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    strict: StrictOpt = False,
) -> None:
    """Check a corpus before coding: a table of its interviews and a list of problems.

    Reads every transcript (.txt, .md, .docx, .vtt, .srt) with the metadata sheet and corpus.yaml.

    The table goes to stdout, each problem to stderr as one line.

    Exit 2 when there are errors; exit 1 with --strict when there are warnings.

    Example: mimres corpus sample_interviews
    """
    from mimres_cli.cli._emit import emit_tables
    from mimres_cli.corpus import check_corpus
    from mimres_cli.corpus.table import corpus_tables
    from mimres_cli.export.formats import format_from_suffix

    if corpus is None:
        from mimres_cli.workflow import default_corpus

        corpus = default_corpus()
    check = check_corpus(corpus, metadata=metadata)
    tables = corpus_tables(check)
    if format_from_suffix(output, fmt.value if fmt else None) == "table" and output is None:
        _print_table(tables["interviews"].to_dict("records"), check.design.attributes)
    else:
        emit_tables(tables, fmt, output)
    _report_problems(check, strict)


def _report_problems(check: CorpusCheck, strict: bool) -> None:
    """Each problem as one line on stderr, a count, and the exit code they call for."""
    for problem in check.problems:
        print_problem(problem)
    errors, warnings = len(check.errors), len(check.warnings)
    err.print(f"{len(check.interviews)} interview(s), {errors} error(s), {warnings} warning(s)",
              highlight=False)  # fmt: skip
    if errors:
        raise typer.Exit(2)
    if strict and warnings:
        raise typer.Exit(1)


def _print_table(rows: list[dict[str, Any]], design: tuple[str, ...]) -> None:
    """The interviews for people. On a narrow terminal, file names that only repeat the id and
    the other attributes are left to --format csv, and the caption says so."""
    from rich.table import Table

    from mimres_cli.corpus.table import FIRST_COLUMNS, LAST_COLUMNS

    wide = out.width >= 120
    fixed = (*FIRST_COLUMNS, *design, *LAST_COLUMNS)
    extra = [k for k in (rows[0] if rows else {}) if k not in fixed]
    show_file = wide or any(Path(row["file"]).stem != row["id"] for row in rows)
    hidden = ([] if show_file else ["file"]) + ([] if wide or not extra else ["attributes"])
    caption = f"{', '.join(hidden)}: see --format csv" if hidden else None
    table = Table(title="Interviews", title_justify="left", caption=caption, caption_justify="left")
    columns = ["id", "file" if show_file else "format", *design]
    columns += ["attributes"] if wide and extra else []
    for name in columns:
        table.add_column(name, overflow="fold")
    timed = any(row["duration"] is not None for row in rows)
    for name in ("language", "turns", "informant\nwords", "duration")[: 4 if timed else 3]:
        table.add_column(name, justify="right", no_wrap=True)
    for row in rows:
        cells = [row["id"], row["file"] if show_file else row["format"]]
        cells += [str(row[name]) for name in design]
        if wide and extra:
            cells.append("\n".join(f"{k}: {row[k]}" for k in extra if row[k] != ""))
        cells += [row["language"], str(row["turns"]), str(row["informant_words"])]
        cells += [_clock(row["duration"])] if timed else []
        table.add_row(*cells)
    out.print(table)


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return ""
    minutes, rest = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{rest:02d}" if hours else f"{minutes}:{rest:02d}"
