"""Limits on untrusted YAML (front matter, corpus.yaml, codebooks, project files), checked
without building what the YAML describes: how deep it nests, and how many values its aliases
(`*name`) expand to. A 1 KB "alias bomb" expands to hundreds of millions of values, an alias
inside its own anchor (`&a [*a]`) to infinitely many, and 20,000 nested brackets exhaust the
parser's stack; each reader turns these answers into its own one-line error.

This module imports nothing from mimres_cli, so every stage may use it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import yaml

_STARTS = (yaml.BlockMappingStartToken, yaml.BlockSequenceStartToken,
           yaml.FlowMappingStartToken, yaml.FlowSequenceStartToken)  # fmt: skip
_ENDS = (yaml.BlockEndToken, yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)


#: PyYAML's safe loader on libyaml (C, about 10 times faster) where PyYAML was built with it,
#: else the pure-Python one. Its error messages are worded differently, so readers that report
#: them read the text again with `yaml.SafeLoader` when it fails (see `corpus.text.load_yaml`).
FAST_LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_within(
    source: str,
    loaders: tuple[type, type],
    limit: int,
    too_many: Callable[[str, yaml.Node], Exception],
) -> Any:
    """The document in `source`, read by `loaders` = (fast, PyYAML's own): the fast one (a
    FAST_LOADER subclass) where it reads alike, and PyYAML's where it does not or fails, so
    that a `yaml.YAMLError` raised is PyYAML's, with its wording and mark. When aliases expand
    to more than `limit` values, raises `too_many(problem, node where it is)` without building
    them (see `alias_excess`).
    """
    fast, pure = loaders
    if fast_reads_alike(source):
        try:
            return _load_checked(fast, source, limit, too_many)
        except (yaml.YAMLError, UnicodeError):
            pass  # read again by PyYAML's own loader, whose error is the one reported
    return _load_checked(pure, source, limit, too_many)


def _load_checked(
    loader_class: type, source: str, limit: int, too_many: Callable[[str, yaml.Node], Exception]
) -> Any:
    loader = loader_class(source)  # may raise: a control character is no YAML
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        excess = alias_excess(node, limit) if _may_exceed(source, limit) else None
        if excess:
            raise too_many(*excess)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _may_exceed(source: str, limit: int) -> bool:
    """Whether `source` may hold more than `limit` values once aliases are expanded: never
    without an alias (`*name`) when it is too short to hold that many nodes (each node but an
    empty value takes a character, and each such empty value follows one), so the walk over
    the nodes is skipped for most texts."""
    return "*" in source or 2 * len(source) + 1 > limit


def fast_reads_alike(source: str) -> bool:
    """Whether FAST_LOADER may read `source`: it reads text as PyYAML's own loader does (the
    same values, nodes and marks), except that libyaml also accepts tabs where PyYAML
    rejects them (inside flow lists), so text with a tab is left to PyYAML."""
    return "\t" not in source


#: The fix every reader gives for YAML that expands too far through aliases.
ALIAS_FIX = "Write the values out instead of repeating them with '&name' and '*name'"


def alias_excess(root: yaml.Node, limit: int) -> tuple[str, yaml.Node] | None:
    """The problem, worded for an error message, and the node whose line to name, when `root`
    expands to more than `limit` values through aliases; None when it stays within the limit.
    A value that contains itself (`&a [*a]`) is named at its anchor's line, where it starts."""
    size, itself = _expanded(root)
    if itself is not None:
        inside = "'*name' inside the value its '&name' marks"
        return f"contains itself through a YAML alias ({inside})", itself
    if size <= limit:
        return None
    return f"expands to more than {limit:,} values through YAML aliases ('*name')", root


def too_deep(source: str, limit: int) -> yaml.Mark | None:
    """Where lists and mappings first nest deeper than `limit` (None: they do not, or the text
    cannot be scanned, which the parser then reports with its line). Reads tokens only, so it
    needs no stack however deep the nesting. Text with no more characters that can open a
    list or mapping (`[`, `{`, `-`, `?`, `:`) than `limit` is not scanned: each opening takes
    one of them."""
    if sum(source.count(ch) for ch in "[{-?:") <= limit:
        return None
    if fast_reads_alike(source):
        try:
            return _first_too_deep(source, limit, FAST_LOADER)
        except yaml.YAMLError:
            pass  # libyaml's scanner may stop where PyYAML's does not: ask PyYAML's
    try:
        return _first_too_deep(source, limit, yaml.SafeLoader)
    except yaml.YAMLError:
        return None


def _first_too_deep(source: str, limit: int, loader: type) -> yaml.Mark | None:
    depth = 0
    for token in yaml.scan(source, Loader=loader):
        if isinstance(token, _STARTS):
            depth += 1
            if depth > limit:
                return token.start_mark
        elif isinstance(token, _ENDS):
            depth -= 1
    return None


def expanded_size(root: yaml.Node) -> float:
    """How many values `root` holds once every alias is expanded, computed without expanding
    (an alias is the same node object as its anchor, so each node is sized once); infinite
    for an alias inside its own anchor (`&a [*a]`)."""
    size, itself = _expanded(root)
    return math.inf if itself is not None else size


def _expanded(root: yaml.Node) -> tuple[float, yaml.Node | None]:
    """`root`'s expanded size, and the first node found inside itself (then the size is 0)."""
    sizes: dict[int, float] = {}
    open_nodes: set[int] = set()  # the nodes on the path from the root
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        children: list[yaml.Node] = []
        if isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        elif isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        if done or not children:
            sizes[id(node)] = 1 + sum(sizes[id(c)] for c in children)
            open_nodes.discard(id(node))
            continue
        if id(node) in sizes:
            continue
        if id(node) in open_nodes:
            return 0, node
        open_nodes.add(id(node))
        stack.append((node, True))
        stack.extend((c, False) for c in children if id(c) not in sizes)
    return sizes[id(root)], None
