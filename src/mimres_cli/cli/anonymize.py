"""`mimres anonymize`: a pseudonymised copy of a corpus, a key kept apart, review and check."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mimres_cli.cli._console import err, out, reports_errors
from mimres_cli.cli._options import ModelOpt
from mimres_cli.errors import MimresError, did_you_mean

app = typer.Typer()

_REVIEW = "Review"


@app.command("anonymize")
@reports_errors
def anonymize_cmd(
    corpus: Annotated[
        Path | None,
        typer.Argument(help="Folder (or file) of transcripts to pseudonymise.", show_default=False),
    ] = None,
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            file_okay=False,
            help="New folder for the pseudonymised copy (text format).",
        ),
    ] = None,
    key: Annotated[
        Path | None,
        typer.Option(
            "--key",
            dir_okay=False,
            help="CSV key original → pseudonym: read if it exists, then written. "
            "Must be outside the corpus and output folders; store it apart.",
        ),
    ] = None,
    review: Annotated[
        Path | None,
        typer.Option(
            "--review",
            dir_okay=False,
            rich_help_panel=_REVIEW,
            help="Write every replacement and low-confidence candidate to this CSV, "
            "with an 'action' column to edit.",
        ),
    ] = None,
    apply_review: Annotated[
        Path | None,
        typer.Option(
            "--apply-review",
            dir_okay=False,
            rich_help_panel=_REVIEW,
            help="Apply an edited review file (accept, reject, or a replacement text).",
        ),
    ] = None,
    check: Annotated[
        Path | None,
        typer.Option(
            "--check",
            rich_help_panel=_REVIEW,
            help="Only scan this folder for identifiers left; exit 1 when any are.",
        ),
    ] = None,
    skip: Annotated[
        list[str] | None,
        typer.Option(
            "--skip",
            help="A kind not to replace (repeatable): person, place, org, "
            "address, postcode, fnr, phone, email, url, account, car, birthdate.",
        ),
    ] = None,
    also: Annotated[
        list[str] | None,
        typer.Option("--also", help="A kind that is off by default to replace too: age, country."),
    ] = None,
    design_too: Annotated[
        bool,
        typer.Option(
            "--design-too",
            help="Also replace the design attributes "
            "(municipality, group) in front matter and text.",
        ),
    ] = False,
    realistic: Annotated[
        bool,
        typer.Option(
            "--realistic", help="Norwegian names (same gender where known) instead of [PERSON-n]."
        ),
    ] = False,
    threshold: Annotated[
        float,
        typer.Option(
            "--threshold",
            min=0.0,
            max=1.0,
            help="Replace candidates at least this sure; list the rest for review.",
        ),
    ] = 0.5,
    codebooks: Annotated[
        list[Path] | None,
        typer.Option(
            "--codebook",
            "-c",
            help="Codebook whose words are kept so coding the copy "
            "gives the same codes (repeatable). Default: as 'mimres run'.",
        ),
    ] = None,
    model: ModelOpt = None,
    metadata: Annotated[
        Path | None,
        typer.Option("--metadata", dir_okay=False, help="Metadata sheet (.csv, .xlsx)."),
    ] = None,
) -> None:
    """Write a pseudonymised copy of a corpus, offline: names, places, workplaces and
    identifiers become [PERSON-1], [STED-2], ... in labels, text and front matter.

    The key (original → pseudonym) is written only where --key says, never inside the
    corpus or output folder; an existing key is reused, so later interviews get the same
    pseudonyms. Inputs are never changed. See docs/anonymize.md for what is found and how.

    With --check DIR nothing is written: exit 1 when identifiers are left in DIR, else 0.

    Example: mimres anonymize interviews --out shared --key ~/secure/key.csv --review r.csv
    """
    from mimres_cli.anonymize import (
        KINDS,
        Options,
        anonymize_corpus,
        check_identifiers,
        chosen_kinds,
        codebook_words,
    )
    from mimres_cli.workflow import default_codebooks

    try:
        kinds = chosen_kinds(skip, also)
    except ValueError as exc:
        raise MimresError(
            f"unknown kind '{exc}'",
            fix=did_you_mean(str(exc), KINDS, otherwise=f"Use one of {', '.join(KINDS)}"),
        ) from None
    words = codebook_words(codebooks or default_codebooks())
    options = Options(
        kinds=kinds, threshold=threshold, design_too=design_too, realistic=realistic, codebook=words
    )
    if check is not None:
        findings = check_identifiers(check, options=options, model=model, metadata=metadata)
        for finding in findings:
            out.print(str(finding), soft_wrap=True)
        if findings:
            err.print(f"mimres: {len(findings)} identifier(s) left in {check}", soft_wrap=True)
            raise typer.Exit(1)
        err.print(f"mimres: no identifiers found in {check}", soft_wrap=True)
        return
    if corpus is None or out_dir is None:
        raise MimresError(
            "give a corpus and --out, or --check DIR",
            fix="e.g. mimres anonymize interviews --out shared_copy --key ../secure/key.csv",
        )
    result = anonymize_corpus(
        corpus,
        out_dir,
        key=key,
        review=review,
        apply_review=apply_review,
        options=options,
        model=model,
        metadata=metadata,
    )
    total = sum(result.replaced.values())
    kinds_text = ", ".join(f"{n} {k}" for k, n in result.replaced.most_common()) or "none"
    err.print(
        f"mimres: {result.files} transcript(s) → {result.out}: {total} replacement(s) "
        f"({kinds_text}); {result.candidates} candidate(s) left for review"
        + (f"; {result.kept} kept by the review" if result.kept else ""),
        soft_wrap=True,
    )
    if result.key is not None:
        err.print(
            f"mimres: key {result.key} ({result.new_keys} new); store it apart from the data",
            soft_wrap=True,
        )
    else:
        err.print(
            "mimres: no --key given: no key was written, and a later run will not "
            "give the same pseudonyms",
            soft_wrap=True,
        )
    if result.review is not None:
        err.print(
            f"mimres: review file {result.review}: edit 'action', then run again with "
            f"--apply-review {result.review}",
            soft_wrap=True,
        )
