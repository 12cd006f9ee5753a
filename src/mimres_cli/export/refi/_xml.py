"""What the REFI-QDA codebook and project writers share: namespaces, the code tree, XML hygiene."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd
from lxml import etree

from mimres_cli import __version__
from mimres_cli.codebook import Codebook
from mimres_cli.errors import problem, report
from mimres_cli.export.refi.qdc import code_guid, compose_description

log = logging.getLogger(__name__)

CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
PROJECT_NS = "urn:QDA-XML:project:1.0"
ORIGIN = f"mimres-cli {__version__}"

_COLOR6 = re.compile(r"^#[0-9A-Fa-f]{6}$")
_COLOR3 = re.compile(r"^#[0-9A-Fa-f]{3}$")
# XML 1.0 forbids these characters even when escaped.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class CodeNode:
    """One exported code: its path (the GUID's key), name, description, colour and children."""

    path: str
    name: str
    description: str = ""
    color: str = ""
    children: tuple[CodeNode, ...] = ()


def nodes_from_codebook(codebooks: Iterable[Codebook]) -> tuple[CodeNode, ...]:
    """The code tree of loaded codebooks, with descriptions and colours."""

    def node(code: Any) -> CodeNode:
        return CodeNode(
            path=code.path,
            name=code.label or code.id,
            description=compose_description(
                code.definition, code.when_to_use, code.when_not_to_use, code.examples
            ),
            color=getattr(code, "color", "") or "",
            children=tuple(node(child) for child in code.children),
        )

    return unique_names(tuple(node(code) for book in codebooks for code in book.codes))


def nodes_from_table(codes: pd.DataFrame) -> tuple[CodeNode, ...]:
    """The code tree from a results folder's codes.csv (names only, no descriptions)."""
    rows = list(codes[["code", "label", "parent"]].itertuples(index=False))

    def build(parent: str) -> tuple[CodeNode, ...]:
        return tuple(
            CodeNode(path=row.code, name=row.label or row.code, children=build(row.code))
            for row in rows
            if row.parent == parent
        )

    return unique_names(build(""))


def unique_names(nodes: tuple[CodeNode, ...]) -> tuple[CodeNode, ...]:
    """QDA tools keep code names in UNIQUE columns: a repeated label gets its path added."""
    counts: dict[str, int] = {}

    def count(items: tuple[CodeNode, ...]) -> None:
        for item in items:
            counts[item.name.casefold()] = counts.get(item.name.casefold(), 0) + 1
            count(item.children)

    def rename(items: tuple[CodeNode, ...]) -> tuple[CodeNode, ...]:
        return tuple(
            CodeNode(
                path=item.path,
                name=item.name
                if counts[item.name.casefold()] == 1
                else f"{item.name} ({item.path})",
                description=item.description,
                color=item.color,
                children=rename(item.children),
            )
            for item in items
        )

    count(nodes)
    return rename(nodes)


def code_element(parent: etree._Element, node: CodeNode, ns: str) -> None:
    """Append `node` (and its children) as a `Code` element in namespace `ns`."""
    element = etree.SubElement(parent, tag(ns, "Code"))
    element.set("guid", code_guid(node.path))
    element.set("name", clean(node.name))
    # Every code may be applied: a theme coded by a person rolls up like an automatic one.
    element.set("isCodable", "true")
    color = color_hex(node.color)
    if color:
        element.set("color", color)
    if node.description:
        text_child(element, ns, "Description", node.description)
    for child in node.children:
        code_element(element, child, ns)


def color_hex(value: str) -> str:
    """A colour as `#RRGGBB`, or '' (with a warning) when it is not a hex colour."""
    value = (value or "").strip()
    if _COLOR6.match(value):
        return value.upper()
    if _COLOR3.match(value):
        return "#" + "".join(d * 2 for d in value[1:]).upper()
    if value:
        report(problem("W502", f"colour '{value}' is not #RRGGBB; left out of the export"), log)
    return ""


def code_paths(node: CodeNode) -> Iterable[str]:
    """The paths of `node` and every code under it."""
    yield node.path
    for child in node.children:
        yield from code_paths(child)


def utc(value: Any) -> str:
    """An xsd:dateTime in UTC ('2025-01-15T10:00:00Z'); now when `value` is not a timestamp."""
    try:
        stamp = dt.datetime.fromisoformat(str(value))
    except ValueError:
        stamp = dt.datetime.now(dt.timezone.utc)
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=dt.timezone.utc)
    return stamp.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def tag(ns: str, name: str) -> str:
    """An element name in namespace `ns` (lxml's `{ns}name`)."""
    return f"{{{ns}}}{name}"


def clean(text: str) -> str:
    """`text` without the control characters XML 1.0 forbids."""
    return _XML_FORBIDDEN.sub("", str(text))


def text_child(parent: etree._Element, ns: str, name: str, text: str) -> etree._Element:
    """Append an element holding `text` (cleaned)."""
    element = etree.SubElement(parent, tag(ns, name))
    element.text = clean(text)
    return element


def serialise(root: etree._Element) -> bytes:
    """UTF-8 bytes with a double-quoted XML declaration, indented."""
    # Double-quoted declaration, as the guide asks (lxml would write single quotes).
    declaration = b'<?xml version="1.0" encoding="utf-8"?>\n'
    return declaration + etree.tostring(
        root, xml_declaration=False, encoding="utf-8", pretty_print=True
    )
