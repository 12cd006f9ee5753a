"""REFI-QDA code trees: read a `.qdc` (or the codebook of a `.qdpx`) into a YAML skeleton.

This module also owns what the exporter and the importers must agree on: the stable GUIDs
(`stable_guid`, `code_guid`) and how a code's definition, when to use / not to use and examples
are laid out in the single REFI `Description` text (`compose_description`, `parse_description`).
"""

from __future__ import annotations

import logging
import re
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from lxml import etree

from mimres_cli.codebook.load import CODE_KEYS
from mimres_cli.codebook.model import id_from_name
from mimres_cli.errors import CodebookError, MissingInputError, Where
from mimres_cli.safety import use_input

log = logging.getLogger(__name__)

#: Fixed namespace of every GUID mimres derives; changing it breaks merges by GUID in QDA tools.
GUID_NAMESPACE = uuid.UUID("6f1c3f8e-2b9a-5d47-9a41-6d696d726573")

#: Headings that separate the parts of a REFI `Description`, in the order they are written.
#: The definition comes first, without a heading, so QDA tools show it as the plain description.
DESCRIPTION_HEADINGS = {
    "when_to_use": "When to use:",
    "when_not_to_use": "When not to use:",
    "examples": "Examples:",
}

_NAMESPACE_PREFIX = "urn:QDA-XML:"
_COLOR = re.compile(r"^#(?:[0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})$")
# A repeated label is exported as "Label (code/path)" (names must be unique in QDA tools).
_NAME_WITH_PATH = re.compile(r"^(?P<label>.+) \((?P<path>[a-z0-9æøå][a-z0-9æøå_\-/]*)\)$")


def stable_guid(kind: str, key: str) -> str:
    """A lowercase hyphenated UUID5 of `kind:key`: the same input always gives the same GUID."""
    return str(uuid.uuid5(GUID_NAMESPACE, f"{kind}:{key}"))


#: The user that every automatic coding in an exported project belongs to.
TOOL_USER_NAME = "mimres (automatic coding)"


def tool_user_guid() -> str:
    """The GUID of the `User` that mimres writes as the coder of its own codings."""
    return stable_guid("user", "mimres")


def code_guid(path: str) -> str:
    """The GUID of a code, derived from its path ("arbeid/jobb"), in `.qdc` and `.qdpx` alike."""
    return stable_guid("code", path)


def normal_guid(value: str) -> str:
    """A GUID as readers should compare it: lowercase, without braces."""
    return value.strip().strip("{}").lower()


def compose_description(
    definition: str, when_to_use: str, when_not_to_use: str, examples: tuple[str, ...] | list[str]
) -> str:
    """The REFI `Description` of a code: the definition, then one headed paragraph per part."""
    parts = [definition.strip()] if definition.strip() else []
    if when_to_use.strip():
        parts.append(f"{DESCRIPTION_HEADINGS['when_to_use']} {when_to_use.strip()}")
    if when_not_to_use.strip():
        parts.append(f"{DESCRIPTION_HEADINGS['when_not_to_use']} {when_not_to_use.strip()}")
    if examples:
        lines = [DESCRIPTION_HEADINGS["examples"], *(f"- {x.strip()}" for x in examples)]
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def parse_description(text: str) -> dict[str, Any]:
    """Split a `Description` written by `compose_description` back into its parts.

    A description from another tool, without our headings, becomes the definition.
    """
    parts: dict[str, Any] = {"definition": "", "when_to_use": "", "when_not_to_use": "",
                             "examples": []}  # fmt: skip
    current = "definition"
    collected: dict[str, list[str]] = {key: [] for key in parts}
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        stripped = line.strip()
        heading = next(
            (key for key, h in DESCRIPTION_HEADINGS.items() if stripped.startswith(h)), None
        )
        if heading is not None:
            current = heading
            stripped = stripped[len(DESCRIPTION_HEADINGS[heading]) :].strip()
        if current == "examples":
            if stripped.startswith("- "):
                collected["examples"].append(stripped[2:].strip())
            elif stripped and collected["examples"]:
                collected["examples"][-1] += " " + stripped
            elif stripped:
                collected["examples"].append(stripped)
        else:
            collected[current].append(line.rstrip() if heading is None else stripped)
    for key in ("definition", "when_to_use", "when_not_to_use"):
        parts[key] = "\n".join(collected[key]).strip()
    parts["examples"] = collected["examples"]
    return parts


@dataclass(frozen=True)
class QdaCode:
    """A code as a REFI-QDA file has it: GUID, name, codable flag, colour, description, children."""

    guid: str
    name: str
    codable: bool = True
    color: str = ""
    description: str = ""
    children: tuple[QdaCode, ...] = ()

    def walk(self, parents: tuple[QdaCode, ...] = ()):
        """(ancestors, code) for this code and every descendant, depth first."""
        yield parents, self
        for child in self.children:
            yield from child.walk((*parents, self))


def parse_xml(data: bytes, where: Path | str) -> etree._Element:
    """Parse untrusted REFI XML (no entities, no network); raise CodebookError when broken."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno else None
        raise CodebookError(
            f"not well-formed XML ({exc.msg})",
            where=Where(where, line),
            fix="Export the file again from the QDA tool",
            code="E219",
        ) from exc
    namespace = etree.QName(root).namespace or ""
    if not namespace.startswith(_NAMESPACE_PREFIX):
        raise CodebookError(
            f"not a REFI-QDA file (namespace '{namespace}')",
            where=Where(where, root.sourceline),
            fix="Give a .qdc codebook or a .qdpx project exported by a QDA tool",
            code="E219",
        )
    return root


def local(element: etree._Element) -> str:
    """An element's name without its namespace (readers accept any QDA-XML version)."""
    return etree.QName(element).localname


def children(element: etree._Element, name: str) -> list[etree._Element]:
    """The child elements called `name` (any namespace)."""
    return [c for c in element if isinstance(c.tag, str) and local(c) == name]


def child_text(element: etree._Element, name: str) -> str:
    found = children(element, name)
    return (found[0].text or "") if found else ""


def read_project_xml(path: Path) -> bytes:
    """The `project.qde` (or the one `.qde`) of a `.qdpx` archive."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if n.lower().endswith(".qde") and "/" not in n]
            if not names:
                raise CodebookError(
                    "the archive has no project.qde",
                    where=Where(path),
                    fix="Export the project again as REFI-QDA (.qdpx)",
                    code="E219",
                )
            name = "project.qde" if "project.qde" in names else sorted(names)[0]
            return archive.read(name)
    except zipfile.BadZipFile as exc:
        raise CodebookError(
            "is not a .qdpx archive (not a ZIP file)",
            where=Where(path),
            fix="Export the project again as REFI-QDA (.qdpx)",
            code="E219",
        ) from exc


def read_qda_codes(path: Path) -> tuple[QdaCode, ...]:
    """The code tree of a `.qdc` codebook or of the codebook inside a `.qdpx` project."""
    if not path.is_file():
        raise MissingInputError(f"'{path}' does not exist", fix="Give a .qdc or .qdpx file")
    use_input(path, "codebook")  # never an output
    data = read_project_xml(path) if path.suffix.lower() == ".qdpx" else path.read_bytes()
    root = parse_xml(data, path)
    return codes_of(root, path)


def codes_of(root: etree._Element, path: Path | str) -> tuple[QdaCode, ...]:
    """The code tree under the `CodeBook/Codes` of a parsed `CodeBook` or `Project` root."""
    book = root if local(root) == "CodeBook" else next(iter(children(root, "CodeBook")), None)
    codes = children(book, "Codes") if book is not None else []
    if not codes or not children(codes[0], "Code"):
        raise CodebookError(
            "has no codes",
            where=Where(path),
            fix="Export a codebook that has at least one code",
            code="E219",
        )
    return tuple(_qda_code(element) for element in children(codes[0], "Code"))


def _qda_code(element: etree._Element) -> QdaCode:
    color = element.get("color", "")
    return QdaCode(
        guid=normal_guid(element.get("guid", "")),
        name=element.get("name", "").strip(),
        codable=element.get("isCodable", "true").strip().lower() in ("true", "1"),
        color=_six_digit(color) if _COLOR.match(color) else "",
        description=child_text(element, "Description"),
        children=tuple(_qda_code(c) for c in children(element, "Code")),
    )


def _six_digit(color: str) -> str:
    digits = color[1:]
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return "#" + digits.lower()


def skeleton(codes: tuple[QdaCode, ...], name: str, source: str) -> dict[str, Any]:
    """A codebook mapping for the YAML file: ids from names, descriptions kept, no rules."""
    return {
        "codebook": name,
        "language": "nb",
        "description": f"Imported from {source}. Add terms or regex to every code without them.",
        "codes": _skeleton_codes(codes),
    }


def _skeleton_codes(codes: tuple[QdaCode, ...]) -> list[dict[str, Any]]:
    used: set[str] = set()
    items = []
    for code in codes:
        label = code.name
        base = id_from_name(code.name)
        with_path = _NAME_WITH_PATH.match(code.name)
        if with_path:
            label, base = with_path["label"], with_path["path"].rsplit("/", 1)[-1]
        code_id, n = base, 2
        while code_id in used:
            code_id, n = f"{base}_{n}", n + 1
        used.add(code_id)
        item: dict[str, Any] = {"id": code_id, "label": label or code_id}
        parts = parse_description(code.description)
        for key in ("definition", "when_to_use", "when_not_to_use", "examples"):
            if parts[key]:
                item[key] = parts[key]
        if code.color and "color" in CODE_KEYS:
            item["color"] = code.color
        if code.children:
            item["codes"] = _skeleton_codes(code.children)
        else:
            item["terms"] = []
        items.append(item)
    return items


class _Dumper(yaml.SafeDumper):
    """Block style for multi-line text, so descriptions stay readable in the YAML."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def skeleton_yaml(codebook: dict[str, Any], source: str) -> str:
    """The YAML text of a skeleton, with a header saying what to fill in."""
    header = (
        f"# Codebook skeleton imported from {source} by mimres.\n"
        "# Every code without children has 'terms: []': add terms or regex, then run\n"
        "# 'mimres codebook validate' on this file to see which codes still need rules.\n"
    )
    body = yaml.dump(
        codebook, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100, indent=2
    )
    return header + body


def import_codebook(path: Path, name: str | None = None) -> str:
    """Read a `.qdc` (or a `.qdpx`'s codebook) and return a YAML codebook skeleton as text."""
    codes = read_qda_codes(path)
    uncodable = [c.name for _, c in (x for top in codes for x in top.walk()) if not c.codable]
    if uncodable:
        log.info("%d folder(s) (isCodable=false) became parent codes", len(uncodable))
    book_name = id_from_name(name or path.stem)
    return skeleton_yaml(skeleton(codes, book_name, path.name), path.name)
