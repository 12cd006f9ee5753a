"""Load a YAML codebook, check it completely, and report every problem with its line.

Codebooks are untrusted input: they are read with a safe loader that also remembers the line of
every key and list item, so messages can point at `file:line`.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from pathlib import Path
from typing import Any

import yaml

from mimres_cli.codebook.model import Code, Codebook
from mimres_cli.errors import CodebookError, MimresError, MissingInputError, Where

TOP_KEYS = ("codebook", "language", "description", "codes")
CODE_KEYS = (
    "id", "label", "definition", "when_to_use", "when_not_to_use", "examples",
    "terms", "regex", "codes",
)  # fmt: skip
_ID = re.compile(r"^[a-z0-9æøå][a-z0-9æøå_\-]*$")
_MAX_PROBLEMS = 20


class LinedDict(dict):
    """A mapping that remembers its own line and the line of each key (1-based)."""

    line: int = 0
    key_lines: dict[str, int]


class LinedList(list):
    """A list that remembers its own line and the line of each item (1-based)."""

    line: int = 0
    item_lines: list[int]


class _LineLoader(yaml.SafeLoader):
    """PyYAML's safe loader, keeping line numbers on mappings and lists."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode):
    data = LinedDict()
    data.line = node.start_mark.line + 1
    data.key_lines = {}
    yield data
    data.update(loader.construct_mapping(node, deep=True))
    data.key_lines = {str(k.value): k.start_mark.line + 1 for k, _ in node.value}


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode):
    data = LinedList()
    data.line = node.start_mark.line + 1
    data.item_lines = [item.start_mark.line + 1 for item in node.value]
    yield data
    data.extend(loader.construct_sequence(node, deep=True))


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)


def read_yaml(path: Path) -> Any:
    """Parse a YAML file with line numbers kept; raise CodebookError on a syntax error."""
    if not path.is_file():
        raise MissingInputError(
            f"codebook '{path}' does not exist", fix="Give the path of a YAML codebook"
        )
    text = path.read_text(encoding="utf-8-sig")
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: TID251 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise CodebookError(
            f"not valid YAML ({problem})",
            where=Where(path, mark.line + 1 if mark else None, mark.column + 1 if mark else None),
            fix="Check the indentation and quoting on that line",
        ) from exc


def load_codebook(path: Path) -> Codebook:
    """Read and validate a codebook file; raise CodebookError listing every problem found."""
    data = read_yaml(path)
    checker = _Checker(path)
    codebook = checker.codebook(data)
    if checker.problems:
        raise CodebookError.collected(checker.problems[:_MAX_PROBLEMS])
    return codebook


class _Checker:
    """Builds the model while collecting problems, so that one run reports them all."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[MimresError] = []
        self.paths: dict[str, int] = {}

    def problem(self, line: int | None, message: str, fix: str = "") -> None:
        self.problems.append(CodebookError(message, where=Where(self.path, line), fix=fix))

    def codebook(self, data: Any) -> Codebook:
        digest = hashlib.sha256(self.path.read_bytes()).hexdigest()
        if not isinstance(data, dict):
            self.problem(1, "a codebook is a mapping with 'codebook' and 'codes'",
                         "Start with 'codebook: <name>' and a 'codes:' list")  # fmt: skip
            return Codebook(name=self.path.stem, path=self.path, sha256=digest)
        self.unknown_keys(data, TOP_KEYS, "codebook")
        codes_data = data.get("codes")
        if not isinstance(codes_data, list) or not codes_data:
            self.problem(_line_of(data, "codes"), "'codes' must be a non-empty list of codes",
                         "Add 'codes:' with '- id: ...' items")  # fmt: skip
            codes_data = []
        return Codebook(
            name=str(data.get("codebook") or self.path.stem),
            path=self.path,
            sha256=digest,
            language=str(data.get("language") or "nb"),
            description=_text(data.get("description")),
            codes=self.codes(codes_data, parent=""),
        )

    def codes(self, items: list[Any], parent: str) -> tuple[Code, ...]:
        lines = getattr(items, "item_lines", [None] * len(items))
        built = [self.code(item, line, parent) for item, line in zip(items, lines, strict=True)]
        return tuple(code for code in built if code is not None)

    def code(self, item: Any, line: int | None, parent: str) -> Code | None:
        if not isinstance(item, dict):
            self.problem(line, "a code must be a mapping with 'id' and 'label'",
                         "Write '- id: <id>' followed by its keys")  # fmt: skip
            return None
        self.unknown_keys(item, CODE_KEYS, "code")
        code_id = str(item.get("id", "")).strip()
        if not code_id:
            self.problem(line, "code has no 'id'", "Add 'id: <lowercase-id>'")
            code_id = f"?{line}"
        elif not _ID.match(code_id):
            self.problem(
                _line_of(item, "id"),
                f"code id '{code_id}' is not a lowercase id",
                "Use lowercase letters, digits, '_' and '-' (e.g. 'fast_kontaktperson')",
            )
        path = f"{parent}/{code_id}" if parent else code_id
        if path in self.paths:
            self.problem(line, f"code '{path}' is defined twice (first at line {self.paths[path]})",
                         "Rename one or merge their rules")  # fmt: skip
        else:
            self.paths[path] = line or 0
        children_data = item.get("codes") or []
        if not isinstance(children_data, list):
            self.problem(_line_of(item, "codes"), f"'codes' of '{path}' must be a list")
            children_data = []
        terms = self.terms(item, path)
        regex = self.regex(item, path)
        children = self.codes(children_data, path)
        if not children and not terms and not regex and not children_data:
            self.problem(line, f"code '{path}' has no rules and no child codes",
                         "Add 'terms:' or 'regex:' so that it can match")  # fmt: skip
        return Code(
            id=code_id,
            path=path,
            label=_text(item.get("label")) or code_id,
            definition=_text(item.get("definition")),
            when_to_use=_text(item.get("when_to_use")),
            when_not_to_use=_text(item.get("when_not_to_use")),
            examples=tuple(_text(x) for x, _ in self.string_items(item, "examples", path)),
            terms=terms,
            regex=regex,
            children=children,
            line=line or 0,
        )

    def terms(self, item: dict, path: str) -> tuple[str, ...]:
        kept = []
        for term, line in self.string_items(item, "terms", path):
            words = term.split()
            if not words or all(set(word) <= {"*"} for word in words):
                self.problem(line, f"term '{term}' of '{path}' would match every word",
                             "Give at least one letter, e.g. '*opplæring'")  # fmt: skip
                continue
            if any("*" in word.strip("*") for word in words):
                self.problem(line, f"term '{term}' of '{path}' has '*' inside a word",
                             "Put '*' only at the start or end of a word")  # fmt: skip
                continue
            kept.append(" ".join(words).lower())
        return tuple(kept)

    def regex(self, item: dict, path: str) -> tuple[str, ...]:
        kept = []
        for pattern, line in self.string_items(item, "regex", path):
            try:
                re.compile(pattern, re.IGNORECASE)
            except re.error as exc:
                self.problem(line, f"regex '{pattern}' of '{path}' is invalid ({exc.msg})",
                             "Fix the pattern; in YAML, quote it with single quotes")  # fmt: skip
                continue
            if re.fullmatch(pattern, "", re.IGNORECASE) is not None:
                self.problem(line, f"regex '{pattern}' of '{path}' matches empty text",
                             "Make it require at least one character")  # fmt: skip
                continue
            kept.append(pattern)
        return tuple(kept)

    def string_items(self, item: dict, key: str, path: str) -> list[tuple[str, int | None]]:
        """The texts listed under `key`, each with its line; a lone text counts as a list."""
        value = item.get(key)
        if value is None:
            return []
        if isinstance(value, str):
            return [(value, _line_of(item, key))]
        if not isinstance(value, list) or not all(isinstance(x, (str, int, float)) for x in value):
            self.problem(_line_of(item, key), f"'{key}' of '{path}' must be a list of texts",
                         f"Write '{key}: [first, second]'")  # fmt: skip
            return []
        lines = getattr(value, "item_lines", [_line_of(item, key)] * len(value))
        return [(str(x), line) for x, line in zip(value, lines, strict=True)]

    def unknown_keys(self, data: dict, allowed: tuple[str, ...], what: str) -> None:
        for key in data:
            if key not in allowed:
                close = difflib.get_close_matches(str(key), allowed, n=1)
                hint = (
                    f"Did you mean '{close[0]}'?" if close else f"Known keys: {', '.join(allowed)}"
                )
                self.problem(_line_of(data, key), f"unknown {what} key '{key}'", hint)


def _line_of(data: Any, key: str) -> int | None:
    lines = getattr(data, "key_lines", {})
    return lines.get(key, getattr(data, "line", None))


def _text(value: Any) -> str:
    return "" if value is None else " ".join(str(value).split())
