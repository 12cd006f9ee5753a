"""What a report says about where its numbers come from, without a local absolute path.

A manifest records paths as they were given, often absolute (`/home/kari/studie/...`), which
can carry a user name. Reports (HTML, Markdown, Word, XLSX) show them relative to the report's
folder or the current folder, and otherwise by file name only (`display_path`).
"""

from __future__ import annotations

import os
from pathlib import Path, PurePath

from mimres_cli.coding.results import Manifest

#: Said after the pipeline's name when the built-in fallback parsed the text.
FALLBACK_NOTE = " (innebygd reserve: tokenisering og Norsk Ordbank-lemmaer)"


def display_path(path: str | os.PathLike[str], base: Path | None = None) -> str:
    """`path` relative to `base` (or to the current folder) when it lies under it, else its
    file name; a relative path stays as it is. Always with forward slashes."""
    text = str(path)
    if not text:
        return ""
    given = PurePath(text)
    if not given.is_absolute():
        return given.as_posix()
    for root in (base, Path.cwd()):
        if root is None:
            continue
        try:
            return Path(text).resolve().relative_to(Path(root).resolve()).as_posix()
        except (ValueError, OSError):
            continue
    return given.name


def provenance_items(
    manifest: Manifest, generated: str, base: Path | None = None, design_heading=None
) -> list[tuple[str, str]]:
    """(Norwegian key, value) rows of a report's provenance appendix, paths made relative
    (see `display_path`). `design_heading(attribute)` names an attribute (default: as is)."""
    pipeline = manifest.pipeline
    items: list[tuple[str, str]] = [
        ("Verktøy", f"mimres-cli {manifest.tool_version}"),
        ("Python", manifest.python),
        ("Språkmodell", f"{pipeline.name} {pipeline.version}".strip()
         + (FALLBACK_NOTE if pipeline.fallback else "")),
        ("spaCy", pipeline.spacy),
    ]  # fmt: skip
    for book in manifest.codebooks:
        items.append(
            (f"Kodebok {book.name}", f"{display_path(book.path, base)} · sha256 {book.sha256}")
        )
    items.append(
        ("Materiale", f"{display_path(manifest.corpus, base)} · {len(manifest.files)} filer")
    )
    if manifest.options:
        items.append(("Valg", ", ".join(f"{k}={v}" for k, v in sorted(manifest.options.items()))))
    name = design_heading or (lambda attribute: manifest.design.label(attribute))
    design = manifest.design
    items.append(("Design", " × ".join(f"{name(a)} ({a})" for a in design.attributes)))
    items.append(("Kodet", manifest.coded_at))
    items.append(("Rapport laget", generated))
    return items
