"""A YAML codebook as a REFI-QDA codebook (`.qdc`)."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from mimres_cli.codebook import Codebook
from mimres_cli.export.refi._xml import (
    CODEBOOK_NS,
    ORIGIN,
    code_element,
    nodes_from_codebook,
    serialise,
    tag,
)
from mimres_cli.files import write_files_atomic


def codebook_qdc(codebook: Codebook) -> bytes:
    """The codebook as a REFI-QDA `.qdc` document (UTF-8 bytes, XML declaration included)."""
    root = etree.Element(tag(CODEBOOK_NS, "CodeBook"), nsmap={None: CODEBOOK_NS})
    root.set("origin", ORIGIN)
    codes = etree.SubElement(root, tag(CODEBOOK_NS, "Codes"))
    for node in nodes_from_codebook([codebook]):
        code_element(codes, node, CODEBOOK_NS)
    return serialise(root)


def write_qdc(codebook: Codebook, path: Path) -> Path:
    """Write `codebook_qdc(codebook)` to `path` atomically."""
    data = codebook_qdc(codebook)
    write_files_atomic(path.parent, {path.name: lambda target: target.write_bytes(data)})
    return path
