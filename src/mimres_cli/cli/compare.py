"""`mimres compare OLD NEW`: the segments a codebook change gains and loses, for review."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from mimres_cli.cli._console import out, reports_errors
from mimres_cli.cli._options import (
    CorpusOpt,
    FormatOpt,
    ModelOpt,
    OutputOpt,
    UnitChoice,
    UnitOpt,
)

if TYPE_CHECKING:
    import pandas as pd

app = typer.Typer()


@app.command("compare")
@reports_errors
def compare_cmd(
    old: Annotated[Path, typer.Argument(dir_okay=False, help="The codebook before the change.")],
    new: Annotated[Path, typer.Argument(dir_okay=False, help="The codebook after the change.")],
    corpus: CorpusOpt = None,
    model: ModelOpt = None,
    unit: UnitOpt = UnitChoice.turn,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
) -> None:
    """Code the corpus with both codebooks and list, per code, the segments gained and lost.

    The corpus is parsed once; both codebooks code the same parsed text. The last line names
    the pipeline, this mimres and both codebooks' sha256 (csv: on stderr).

    Example: mimres compare old.yaml codebooks/integrering.yaml --format markdown
    """
    from mimres_cli import workflow
    from mimres_cli.cli._batch import progress_bars
    from mimres_cli.cli._emit import emit_tables
    from mimres_cli.codebook import load_codebook
    from mimres_cli.coding.compare import compare_codebooks
    from mimres_cli.export.formats import (
        format_from_suffix,
        pipeline_manifest,
        provenance_fields,
        provenance_line,
    )

    books = [load_codebook(path) for path in (old, new)]
    source = workflow.open_corpus(corpus, model=model)
    with progress_bars(False) as on_progress:
        found = compare_codebooks(source.parsed(source.progress(on_progress)), *books,
                                  unit=unit.value)  # fmt: skip
    manifest = {**pipeline_manifest(source.pipeline.info),
                "codebooks": [{"name": b.name, "sha256": b.sha256} for b in books]}  # fmt: skip
    context = f"{found.interviews} interviews, unit: {unit.value}"
    if format_from_suffix(output, fmt.value if fmt else None) == "table" and output is None:
        footer = f"Provenance: {provenance_line(provenance_fields(manifest))}"
        out.print(_text(old, new, found.changes, context, footer), markup=False,
                  highlight=False, soft_wrap=True, end="")  # fmt: skip
        return
    codes = found.changes["code"].nunique()
    title = f"{old} → {new}: {_counts(found.changes, '−')} in {codes} code(s) ({context})"
    emit_tables({"changes": found.changes}, fmt, output, titles={"changes": title},
                single=True, provenance=manifest)  # fmt: skip


_TEXT_SIGNS = {"gained": "+", "lost": "-", "negated": "~", "unnegated": "~"}
_NOTES = {"negated": " (now negated)", "unnegated": " (no longer negated)"}


def _counts(rows: pd.DataFrame, minus: str) -> str:
    """ "+2 gained, -1 lost", and ", 1 negation change(s)" when there are any."""
    counts = rows["change"].value_counts()
    text = f"+{counts.get('gained', 0)} gained, {minus}{counts.get('lost', 0)} lost"
    flips = int(counts.get("negated", 0) + counts.get("unnegated", 0))
    return text + (f", {flips} negation change(s)" if flips else "")


def _short_counts(rows: pd.DataFrame, minus: str, sep: str) -> str:
    counts = rows["change"].value_counts()
    parts = [f"+{counts.get('gained', 0)}", f"{minus}{counts.get('lost', 0)}"]
    flips = int(counts.get("negated", 0) + counts.get("unnegated", 0))
    return sep.join(parts + ([f"~{flips}"] if flips else []))


def _text(old: Path, new: Path, changes: pd.DataFrame, context: str, footer: str) -> str:
    codes = changes["code"].nunique()
    lines = [f"{old} → {new}: {_counts(changes, '-')} in {codes} code(s) ({context})"]
    for code, rows in changes.groupby("code", sort=False):
        lines += ["", f"{code}  {_short_counts(rows, '-', ' ')}"]
        for row in rows.itertuples(index=False):
            lines.append(f"  {_TEXT_SIGNS[row.change]} {row.interview_id} #{row.unit_index} "
                         f"[{_why(row)}]{_NOTES.get(row.change, '')}: "
                         f"{_one_line(row.evidence)}")  # fmt: skip
    return "\n".join([*lines, "", footer]) + "\n"


def _why(row) -> str:
    """The matched words, marked when the code came from the interviewer's question."""
    return f"question: {row.matched}" if row.rule == "question" else str(row.matched)


def _one_line(text: str) -> str:
    return " ".join(str(text).split())
