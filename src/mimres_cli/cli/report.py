"""`mimres report`: the report of a results folder as HTML, Word, an XLSX workbook or Markdown."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mimres_cli.cli._console import err, reports_errors
from mimres_cli.cli._options import DesignOpt, ResultsArg

app = typer.Typer()


@app.command("report")
@reports_errors
def report_cmd(
    results: ResultsArg,
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            dir_okay=False,
            help="The report file: .html, .docx (Word), .xlsx (every table as a workbook), or "
            ".md (Markdown).",
        ),
    ] = Path("report.html"),
    title: Annotated[str, typer.Option("--title", help="The report's title.")] = (
        "Funn fra intervjuene"
    ),
    seed: Annotated[
        int, typer.Option("--seed", help="Seed of the quote choice (and of --order random).")
    ] = 0,
    order: Annotated[
        str,
        typer.Option(
            "--order",
            metavar="file|random|ATTR",
            help="Interview order of the saturation curve, as in 'mimres saturation'.",
        ),
    ] = "file",
    raw: Annotated[
        bool,
        typer.Option("--raw", help="Quotes as transcribed, transcription marks and all."),
    ] = False,
    design: DesignOpt = None,
) -> None:
    """Write a report: overview, heatmaps, tables, quotes, saturation, codebook, provenance.

    HTML: one file with everything inline (no network, no external files); prints well on A4.
    .docx: the same sections in Word, built on Word styles you can restyle. .xlsx: every table
    in one workbook. .md: Markdown (without the charts). Quotes are report-ready (pauses as
    '…', fillers dropped) unless --raw.

    Example: mimres report results -o report.html
    """
    from mimres_cli.cli._batch import working
    from mimres_cli.coding import Results
    from mimres_cli.coding.validation import kept_validation
    from mimres_cli.design import Design
    from mimres_cli.errors import OutputError
    from mimres_cli.files import write_text_atomic
    from mimres_cli.render.html import ReportOptions

    with working(False, f"report: reading {results}") as step:
        coded = Results.read(results, design=Design.parse(design) if design else None)
        rules = code_rules(coded.manifest)
        validation = kept_validation(results, coded)
        step(f"report: writing {output}")
        options = ReportOptions(title=title, seed=seed, saturation_order=order, raw=raw,
                                rules=tuple(rules.items()))  # fmt: skip
        suffix = output.suffix.lower()
        base = output.parent
        if suffix == ".xlsx":
            from mimres_cli.export.workbook import write_workbook

            agreement = {"Samsvar": validation.table} if validation is not None else None
            write_workbook(coded, output, rules=rules, seed=seed, extra=agreement)
        elif suffix == ".docx":
            from mimres_cli.render.docx import write_docx_report

            write_docx_report(coded, output, options, validation=validation)
        elif suffix in (".md", ".markdown"):
            from mimres_cli.render.markdown import render_markdown_report

            write_text_atomic(
                output, render_markdown_report(coded, options, base=base, validation=validation)
            )
        elif suffix in (".html", ".htm"):
            from mimres_cli.render.html import render_report

            page = render_report(coded, options, base=base, validation=validation)
            write_text_atomic(output, page)
        else:
            raise OutputError(
                f"cannot tell the report format of '{output}' from its suffix '{output.suffix}'",
                fix="Use a file ending in .html, .docx, .xlsx or .md",
            )
    err.print(f"Wrote {output}", highlight=False, markup=False, soft_wrap=True)


def code_rules(manifest) -> dict[str, str]:
    """Each code's rules as text ("termer: jobb, praksisplass; ikke: …"), from the codebooks
    the manifest names, where they are still at their path with the same sha256 (a changed
    codebook's rules are not those that coded these results: they are left out)."""
    import hashlib

    from mimres_cli.codebook import load_codebook
    from mimres_cli.errors import MimresError

    rules: dict[str, str] = {}
    for book in manifest.codebooks:
        path = Path(book.path)
        if not book.path or not path.is_file():
            continue
        if book.sha256 and hashlib.sha256(path.read_bytes()).hexdigest() != book.sha256:
            continue  # changed since the coding: not the rules that made these results
        try:
            loaded = load_codebook(path)
        except MimresError:
            continue
        prefix = f"{loaded.namespace}:" if loaded.namespace else ""
        for code in loaded.walk():
            text = _rules_text(code)
            if text:
                rules[prefix + code.path] = text
    return rules


def _rules_text(code) -> str:
    parts = []
    if code.terms:
        parts.append("termer: " + ", ".join(code.terms))
    if code.regex:
        parts.append("regex: " + ", ".join(code.regex))
    if code.patterns:
        parts.append("mønstre: " + ", ".join(code.patterns))
    for near in code.near:
        side = {"before": " før", "after": " etter"}.get(near.side, "")
        parts.append(f"nær ({near.within} ord{side}): " + ", ".join(near.terms))
    if code.not_terms:
        parts.append("ikke når: " + ", ".join(code.not_terms))
    if code.pos:
        parts.append("ordklasser: " + ", ".join(code.pos))
    if code.negation != "flag":
        parts.append(f"nektelse: {code.negation}")
    return "; ".join(parts)
