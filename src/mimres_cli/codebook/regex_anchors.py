"""Where in a unit a codebook regex can begin, told from the corpus' types.

A unit's text is its tokens' forms, each followed by one space or nothing (spaCy's white
space; longer white space is a token of its own). Most codebook regexes read a sequence of
words: `\\b(har|hadde|ha)\\s+ikke\\s+tid\\b`. From Python's parse of such a regex (on the
constructs it and the `regex` module read alike, as `compile.required_literals` does) this
module takes, per branch of the pattern:

- the *first segment*: the items before the first one that can take white space (here
  `\\b(har|hadde|ha)`); every match begins with a match of it, inside one token, at a place
  where it ends at the token's end when a `\\s+` follows it;
- after that `\\s+`, words that may be skipped (`(\\w+\\s+)?`, `(ikke\\s+|ofte\\s+)?`,
  `(\\w+\\s+){0,2}`), and the *second segment* (`ikke`), which then begins one of the next
  tokens (after 0 to the most words skipped).

Both segments are tested once per distinct type of the corpus, on its form alone, with their
look-arounds and inner word boundaries left out (the test is wider than the regex, never
narrower), and the regex itself is tried only where a token passes (`regex.match` there, as
`finditer` would try it: `compile._search_at`). So the regex engine runs on a few places
instead of the whole text, and the matches are the same, in the same order.

What the tests on single tokens cannot see is a match running over two tokens written together
(`nav` `-` `kontor`): a unit where two tokens meet without space and both meeting characters
are word characters or characters the segments can take is searched whole, as before
(`Anchors.candidates` gives None for it). A regex this module cannot read (a first segment that
can match nothing, a top-level item it does not know) is searched as before too.
"""

from __future__ import annotations

import re
import re._constants as re_constants
import re._parser as re_parser
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import regex

from mimres_cli.nlp.arrays import SPACE_AFTER, TYPES, DocArrays

_MAXREPEAT = re_constants.MAXREPEAT
_REPEATS = (re_constants.MAX_REPEAT, re_constants.MIN_REPEAT, re_constants.POSSESSIVE_REPEAT)
_ASSERTS = (re_constants.ASSERT, re_constants.ASSERT_NOT)
_CATEGORIES = {
    re_constants.CATEGORY_WORD: r"\w",
    re_constants.CATEGORY_NOT_WORD: r"\W",
    re_constants.CATEGORY_DIGIT: r"\d",
    re_constants.CATEGORY_NOT_DIGIT: r"\D",
    re_constants.CATEGORY_SPACE: r"\s",
    re_constants.CATEGORY_NOT_SPACE: r"\S",
}
_WORD = regex.compile(r"\w")
_SPACE = regex.compile(r"\s")
#: Every character the `regex` module's `\s` matches (Unicode's White_Space, all below U+3001).
_SPACES = frozenset(_SPACE.findall("".join(map(chr, range(0x3001)))))
#: Characters a literal of `compile.required_literals` may hold: after `fold_case`, a text
#: character matches one of these case-insensitively (in the `regex` module) only if it equals
#: it.
LITERAL_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789æøå")
# The one character whose `str.lower()` is not what `regex` matches it with ignoring case is
# ſ (long s); İ lowers to "i" and a combining dot.
#: Most strings a segment's words are spelled out to (`_language`).
_MOST_STRINGS = 2000


def fold_case(text: str) -> str:
    """`text` with every character that matches a `LITERAL_CHARS` character case-insensitively
    turned into it (tested over all of Unicode in tests/codebook)."""
    text = text.lower()
    return text.replace("\u017f", "s") if "\u017f" in text else text  # faster than translate


class _UnreadableError(Exception):
    """A construct this module does not read: the regex is searched whole."""


@dataclass(frozen=True)
class Segment:
    """Words of a regex that lie within one token: `pattern` matches them in a form (with
    `(?=\n)` at its end where they must end with the token), wider than the regex (its
    look-arounds and inner word boundaries left out); `words` spells them out (lowercase,
    `LITERAL_CHARS` only), when there are few, each with whether a form may go on after it
    (a `\\w*` follows it, or no white space must)."""

    pattern: str
    words: frozenset[tuple[str, bool]] | None


@dataclass(frozen=True)
class Anchor:
    """One branch of a regex: its first segment (which begins a match, after a word boundary
    when `boundary`), and, where known, its second one (which begins a later token, after up
    to `skip` words)."""

    first: Segment
    boundary: bool
    second: Segment | None = None
    skip: int = 0


def anchors(pattern: str) -> tuple[tuple[Anchor, ...], frozenset[str]] | None:
    """The anchors of each branch of a (case-insensitive) codebook regex, and the characters
    other than word characters its segments can take; None when it cannot be read so.

    Only patterns Python's parser reads as the `regex` module does are given (the caller
    checks, as `compile.required_literals` does)."""
    if "[:" in pattern:
        return None  # the `regex` module reads POSIX classes, Python does not
    try:
        parsed = re_parser.parse(pattern, re.IGNORECASE)
    except (re.error, RecursionError, OverflowError, ValueError):
        return None
    if parsed.state.flags & ~(re.IGNORECASE | re.UNICODE):
        return None  # ASCII, LOCALE, DOTALL, MULTILINE, VERBOSE: searched whole
    found = []
    taken: set[str] = set()
    try:
        for branch in _ways(list(parsed)):
            anchor = _anchor(branch, parsed.state, taken)
            if anchor is None:
                return None
            found.append(anchor)
    except _UnreadableError:
        return None
    return tuple(found), frozenset(taken)


#: Most ways `_ways` spells a pattern out to.
_MOST_WAYS = 64


def _ways(items: list) -> list[list]:
    """The items as alternatives, each read on its own: where the first item that takes
    characters is a group or alternatives that can take white space (`(bli|føle\\w*\\s+meg)`),
    each way through it followed by the rest (a match of the items is a match of one of them)."""
    ways, done = [items], []
    while ways:
        way = ways.pop()
        at = 0
        while at < len(way) and (way[at][0] is re_constants.AT or way[at][0] in _ASSERTS):
            at += 1
        inner = None
        if at < len(way) and _takes_space(way[at]):
            op, value = way[at]
            if op is re_constants.BRANCH:
                inner = [list(branch) for branch in value[1]]
            elif op is re_constants.SUBPATTERN and not value[1] and not value[2]:
                inner = [list(value[3])]
        if inner is None:
            done.append(way)
        else:
            ways += [way[:at] + one + way[at + 1 :] for one in inner]
        if len(ways) + len(done) > _MOST_WAYS:
            return [items]
    return done[::-1]


def _anchor(items: list, state: Any, taken: set[str]) -> Anchor | None:
    at = 0
    boundary = False
    while at < len(items) and (items[at][0] is re_constants.AT or items[at][0] in _ASSERTS):
        boundary |= items[at] == (re_constants.AT, re_constants.AT_BOUNDARY)
        at += 1
    first, at = _segment(items, at)
    if not first or re_parser.SubPattern(state, first).getwidth()[0] < 1:
        return None
    boundary = boundary and _starts_with_word(first)
    whole = at < len(items) and _spaces(items[at])
    head = _made(first, taken, whole, r"\b" if boundary else "")
    if not whole:
        return Anchor(head, boundary)
    at += 1
    skip = 0
    while at < len(items) and (words := _skipped(items[at], taken)) is not None:
        skip += words
        at += 1
    second, at = _segment(items, at)
    if not second or re_parser.SubPattern(state, second).getwidth()[0] < 1:
        return Anchor(head, boundary)
    then = _made(second, taken, at < len(items) and _spaces(items[at]))
    return Anchor(head, boundary, then, skip)


def _made(items: list, taken: set[str], whole: bool, before: str = "") -> Segment:
    for item in items:
        _taken(item, taken)
    language = _language(items)
    words = None
    if language is not None:  # a word a `\w*` ends, or any when no white space follows
        words = frozenset((word, tail or not whole) for word, tail in language)
    return Segment(before + _unparse(items) + (r"(?=\n)" if whole else ""), words)


#: What `_language` gives: strings (lowercase, `LITERAL_CHARS` only), each with whether a
#: `\w*` follows it.
_Words = set[tuple[str, bool]]


def _language(items: list) -> _Words | None:
    """The strings the items match, and whether each ends in `\\w*`; None when they are not
    so few or not all so spelled (look-arounds and word boundaries are passed over: they only
    narrow)."""
    strings: _Words = {("", False)}
    for op, value in items:
        if op is re_constants.AT or op in _ASSERTS:
            continue
        if (
            op in _REPEATS
            and value[:2] == (0, _MAXREPEAT)
            and list(value[2])
            == [(re_constants.IN, [(re_constants.CATEGORY, re_constants.CATEGORY_WORD)])]
        ):
            options: _Words | None = {("", True)}
        else:
            options = _options(op, value)
        if options is None:
            return None
        strings = _joined(strings, options)  # type: ignore[assignment]
        if strings is None or len(strings) > _MOST_STRINGS:
            return None
    return strings


def _joined(left: _Words, right: _Words) -> _Words | None:
    """Each string of `left` followed by each of `right` (None where one of `left` ends in
    `\\w*` and `right` is more than nothing)."""
    if any(tail for _, tail in left) and right != {("", False)}:
        return None
    return {(one + other, tail) for one, _ in left for other, tail in right}


def _options(op: Any, value: Any) -> _Words | None:
    if op is re_constants.LITERAL:
        char = chr(value).lower()
        return {(char, False)} if len(char) == 1 and char in LITERAL_CHARS else None
    if op is re_constants.IN:
        chars = set()
        for member, argument in value:
            char = chr(argument).lower() if member is re_constants.LITERAL else ""
            if len(char) != 1 or char not in LITERAL_CHARS:
                return None
            chars.add((char, False))
        return chars
    if op is re_constants.SUBPATTERN:
        return _language(list(value[3]))
    if op is re_constants.BRANCH:
        union: _Words = set()
        for branch in value[1]:
            found = _language(list(branch))
            if found is None:
                return None
            union |= found
        return union
    if op in _REPEATS and value[1] <= 3:
        found = _language(list(value[2]))
        if found is None:
            return None
        result: _Words = set()
        power: _Words | None = {("", False)}
        for times in range(value[1] + 1):
            if power is None:
                return None
            if times >= value[0]:
                result |= power
            if times < value[1]:
                power = _joined(power, found)
                if power is not None and len(power) > _MOST_STRINGS:
                    return None
        return result
    return None


def _segment(items: list, at: int) -> tuple[list, int]:
    """The items from `at` on before the first that can take white space."""
    start = at
    while at < len(items) and not _takes_space(items[at]):
        at += 1
    return items[start:at], at


def _spaces(item: Any) -> bool:
    """Whether the item is `\\s+` or `\\s`: one white-space character or more, nothing else."""
    op, value = item
    if op in _REPEATS and value[0] >= 1:
        inner = list(value[2])
        return len(inner) == 1 and _spaces(inner[0])
    return op is re_constants.IN and value == [(re_constants.CATEGORY, re_constants.CATEGORY_SPACE)]


def _skipped(item: Any, taken: set[str]) -> int | None:
    """How many words an optional item like `(\\w+\\s+)?` or `(ikke\\s+|ofte\\s+)?` can take
    (each a run without white space, then `\\s+`); None when it is not one."""
    op, value = item
    if op not in _REPEATS or value[0] != 0 or value[1] == _MAXREPEAT:
        return None
    inner = list(value[2])
    if (
        len(inner) == 1
        and inner[0][0] is re_constants.SUBPATTERN
        and not inner[0][1][1] | inner[0][1][2]
    ):
        inner = list(inner[0][1][3])
    ways = (
        [list(b) for b in inner[0][1][1]]
        if len(inner) == 1 and inner[0][0] is re_constants.BRANCH
        else [inner]
    )
    for way in ways:
        if len(way) < 2 or not _spaces(way[-1]) or any(_takes_space(i) for i in way[:-1]):
            return None
    for way in ways:
        for one in way[:-1]:
            _taken(one, taken)
    return int(value[1])


def _takes_space(item: Any) -> bool:
    """Whether the item can take a white-space character (or is one this module does not
    read, which counts as taking one)."""
    op, value = item
    if op is re_constants.LITERAL:
        return chr(value) in _SPACES
    if op is re_constants.IN:
        return _class_takes_space(value)
    if op is re_constants.AT or op in _ASSERTS:
        return False
    if op is re_constants.SUBPATTERN:
        if value[1] or value[2]:
            raise _UnreadableError
        return any(_takes_space(i) for i in value[3])
    if op is re_constants.ATOMIC_GROUP:
        return any(_takes_space(i) for i in value)
    if op in _REPEATS:
        return any(_takes_space(i) for i in value[2])
    if op is re_constants.BRANCH:
        return any(_takes_space(i) for branch in value[1] for i in branch)
    if op in (re_constants.NOT_LITERAL, re_constants.ANY):
        return True
    raise _UnreadableError


def _class_takes_space(members: list) -> bool:
    for op, value in members:
        if op is re_constants.NEGATE:
            return True
        if op is re_constants.LITERAL and chr(value) in _SPACES:
            return True
        if op is re_constants.RANGE and any(value[0] <= ord(c) <= value[1] for c in _SPACES):
            return True
        if op is re_constants.CATEGORY and value not in (
            re_constants.CATEGORY_WORD,
            re_constants.CATEGORY_DIGIT,
        ):
            return True
        if op not in (re_constants.LITERAL, re_constants.RANGE, re_constants.CATEGORY):
            raise _UnreadableError
    return False


def _taken(item: Any, taken: set[str]) -> None:
    """Add to `taken` the characters other than word characters the item can take (in both
    cases); an item that can take any such character cannot be read."""
    op, value = item
    if op is re_constants.LITERAL:
        _take(chr(value), taken)
    elif op is re_constants.IN:
        for member, argument in value:
            if member is re_constants.LITERAL:
                _take(chr(argument), taken)
            elif member is re_constants.RANGE:
                low, high = argument
                if high - low > 256:
                    raise _UnreadableError
                for code in range(low, high + 1):
                    _take(chr(code), taken)
            elif not (
                member is re_constants.CATEGORY
                and argument in (re_constants.CATEGORY_WORD, re_constants.CATEGORY_DIGIT)
            ):
                raise _UnreadableError
    elif op is re_constants.SUBPATTERN:
        for one in value[3]:
            _taken(one, taken)
    elif op is re_constants.ATOMIC_GROUP:
        for one in value:
            _taken(one, taken)
    elif op in _REPEATS:
        for one in value[2]:
            _taken(one, taken)
    elif op is re_constants.BRANCH:
        for branch in value[1]:
            for one in branch:
                _taken(one, taken)
    elif not (op is re_constants.AT or op in _ASSERTS):
        raise _UnreadableError


def _take(char: str, taken: set[str]) -> None:
    for one in {char, char.lower(), char.upper(), char.casefold()}:
        if len(one) == 1 and not _WORD.match(one):
            taken.add(one)


def _starts_with_word(items: list) -> bool:
    """Whether every match of the items begins with a word character (so a `\\b` before
    them asks that the character before is none)."""
    for op, value in items:
        if op is re_constants.AT or op in _ASSERTS:
            continue
        if op is re_constants.LITERAL:
            return all(_WORD.match(c) for c in {chr(value), chr(value).lower(), chr(value).upper()})
        if op is re_constants.IN:
            return all(
                (
                    m is re_constants.CATEGORY
                    and a in (re_constants.CATEGORY_WORD, re_constants.CATEGORY_DIGIT)
                )
                or (m is re_constants.LITERAL and _WORD.match(chr(a)) is not None)
                for m, a in value
            ) and not any(m is re_constants.RANGE or m is re_constants.NEGATE for m, _ in value)
        if op is re_constants.SUBPATTERN:
            return _starts_with_word(list(value[3]))
        if op is re_constants.BRANCH:
            return all(_starts_with_word(list(b)) for b in value[1])
        if op in _REPEATS:
            return value[0] >= 1 and _starts_with_word(list(value[2]))
        return False
    return False


def _unparse(items: Sequence) -> str:
    """A pattern for the items, without their look-arounds, anchors and word boundaries
    (possessive repeats and atomic groups read as plain ones): it matches wherever the items
    match, and maybe more."""
    return "".join(_unparse_item(op, value) for op, value in items)


def _unparse_item(op: Any, value: Any) -> str:
    if op is re_constants.LITERAL:
        return regex.escape(chr(value))
    if op is re_constants.IN:
        parts = []
        for member, argument in value:
            if member is re_constants.LITERAL:
                parts.append(regex.escape(chr(argument)))
            elif member is re_constants.RANGE:
                parts.append(f"{regex.escape(chr(argument[0]))}-{regex.escape(chr(argument[1]))}")
            elif member is re_constants.CATEGORY and argument in _CATEGORIES:
                parts.append(_CATEGORIES[argument])
            else:
                raise _UnreadableError
        return "[" + "".join(parts) + "]"
    if op is re_constants.AT or op in _ASSERTS:
        return ""
    if op is re_constants.SUBPATTERN:
        return "(?:" + _unparse(value[3]) + ")"
    if op is re_constants.ATOMIC_GROUP:
        return "(?:" + _unparse(value) + ")"
    if op in _REPEATS:
        low, high, inner = value
        most = "" if high == _MAXREPEAT else str(high)
        return "(?:" + _unparse(inner) + "){" + f"{low},{most}" + "}"
    if op is re_constants.BRANCH:
        return "(?:" + "|".join(_unparse(branch) for branch in value[1]) + ")"
    raise _UnreadableError


class Rows:
    """A table with a row per type of the corpus, grown in place as types are seen (its
    capacity doubles, so each interview's new types do not copy the whole table)."""

    def __init__(self, columns: int) -> None:
        self._buffer = np.zeros((1024, columns), dtype=bool)
        self._size = 0

    def __len__(self) -> int:
        return self._size

    @property
    def rows(self) -> np.ndarray:
        return self._buffer[: self._size]

    def extend(self, rows: np.ndarray) -> None:
        size = self._size + len(rows)
        if size > len(self._buffer):
            bigger = np.zeros((max(size, 2 * len(self._buffer)), self._buffer.shape[1]), bool)
            bigger[: self._size] = self.rows
            self._buffer = bigger
        self._buffer[self._size : size] = rows
        self._size = size


class Anchors:
    """The anchors of a list of regexes (None where one cannot be read), with per-type tables
    grown as the corpus' types are seen.

    A segment spelled out in `LITERAL_CHARS` (most of them) is tested on a form made of those
    characters only (most forms) by looking its case-folded form, or the form's beginnings,
    up in tables of the segments' words: a word boundary before a word character can only
    hold at such a form's beginning. Other forms, and segments not spelled out, are tested
    with the segment's pattern, over the new forms joined by new lines."""

    def __init__(self, read: Sequence[tuple[tuple[Anchor, ...], frozenset[str]] | None]) -> None:
        self.regexes = [n for n, one in enumerate(read) if one is not None]
        self.programs: list[tuple[int, Anchor]] = [
            (n, anchor)
            for n in self.regexes
            for anchor in read[n][0]  # type: ignore[index]
        ]
        programs = [anchor for _, anchor in self.programs]
        self._first = [regex.compile(a.first.pattern, regex.IGNORECASE) for a in programs]
        self._second = [
            None
            if a.second is None
            else regex.compile(r"(?<=\n)(?:" + a.second.pattern + ")", regex.IGNORECASE)
            for a in programs
        ]
        self.skip = np.array([-1 if a.second is None else a.skip for a in programs], dtype=np.int64)
        self.most = int(self.skip.max()) if len(self.skip) else -1
        self._taken = [read[n][1] for n in self.regexes]  # type: ignore[index]
        self._any_taken = frozenset().union(*self._taken)
        #: regexes of several branches (their places are sorted and merged)
        self._branched = {n for n in self.regexes if len(read[n][0]) > 1}  # type: ignore[index]
        self._width = width = len(programs)
        #: the segments tested by their words (`_WordTable`), the others by pattern
        self._words = (
            _WordTable([(k, a.first) for k, a in enumerate(programs) if a.boundary]),
            _WordTable([(k, a.second) for k, a in enumerate(programs)]),
        )
        self._scanned = (
            [k for k in range(width) if k not in self._words[0].segments],
            [k for k in range(width) if self._second[k] is not None
             and k not in self._words[1].segments],
        )  # fmt: skip
        #: per type: the first segments it passes, the second ones
        self._table = Rows(2 * width)
        #: per type: it passes a first segment; its first and its last characters are word
        #: characters, and ones a regex's segments take; its form holds white space
        self._flags = Rows(6)
        self._offsets: list[dict[int, tuple[int, ...]]] = [{} for _ in programs]

    def _grow(self) -> None:
        done, size = len(self._table), len(TYPES)
        if done >= size:
            return
        forms = [TYPES.pairs[t][0] for t in range(done, size)]
        width = self._width
        rows = np.zeros((len(forms), 2 * width), dtype=bool)
        flags = np.zeros((len(forms), 6), dtype=bool)
        others: list[int] = []  # forms the word tables cannot tell
        hits: list[int] = []
        columns: list[int] = []
        first, second = self._words
        for n, form in enumerate(forms):
            folded = fold_case(form)
            if len(folded) != len(form) or not _PLAIN.fullmatch(folded):
                if len(folded) != len(form) or _PLAIN.search(folded):
                    others.append(n)  # (a form without such characters passes no words)
                continue
            for k in first.passed(folded):
                hits.append(n)
                columns.append(k)
            for k in second.passed(folded):
                hits.append(n)
                columns.append(width + k)
        if hits:
            rows[hits, columns] = True
        spaced = [_SPACE.search(f) is not None for f in forms]
        flags[:, 5] = spaced
        self._scan(rows, forms, spaced, list(range(len(forms))), self._scanned, done)
        if others:
            self._scan(rows, forms, spaced, others,
                       (sorted(first.segments), sorted(second.segments)), done)  # fmt: skip
        firsts = [f[:1] for f in forms]
        lasts = [f[-1:] for f in forms]
        flags[:, 0] = rows[:, :width].any(axis=1)
        flags[:, 1] = [_WORD.match(c) is not None for c in firsts]
        flags[:, 2] = [_WORD.match(c) is not None for c in lasts]
        if self._any_taken:
            flags[:, 3] = [c in self._any_taken for c in firsts]
            flags[:, 4] = [c in self._any_taken for c in lasts]
        self._table.extend(rows)
        self._flags.extend(flags)

    def _scan(
        self,
        rows: np.ndarray,
        forms: list[str],
        spaced: list[bool],
        which: list[int],
        programs: tuple[list[int], list[int]],
        done: int,
    ) -> None:
        """Test the forms `which` (of the new `forms`, the first of type `done`) with the
        patterns of `programs` (first segments, second segments)."""
        if not which or not (programs[0] or programs[1]):
            return
        kept = ["" if spaced[n] else forms[n] for n in which]
        lengths = np.fromiter(map(len, kept), np.int64, len(kept)) + 1
        starts = np.zeros(len(kept), dtype=np.int64)
        np.cumsum(lengths[:-1], out=starts[1:])
        joined = "\n".join(kept) + "\n"
        rows_of = np.array(which, dtype=np.int64)
        for k in programs[0]:
            places = [m.start() for m in self._first[k].finditer(joined, overlapped=True)]
            if places:
                at = np.array(places, dtype=np.int64)
                index = np.searchsorted(starts, at, side="right") - 1
                rows[rows_of[index], k] = True
                offsets = self._offsets[k]
                for t, o in zip((rows_of[index] + done).tolist(), (at - starts[index]).tolist(),
                                strict=True):  # fmt: skip
                    offsets[t] = (*offsets.get(t, ()), o)
        second_at = "\n" + joined
        for k in programs[1]:
            pattern = self._second[k]
            assert pattern is not None
            places = [m.start() - 1 for m in pattern.finditer(second_at)]
            if places:
                at = np.array(places, dtype=np.int64)
                index = np.searchsorted(starts, at, side="right") - 1
                rows[rows_of[index], self._width + k] = True

    def candidates(self, arrays: DocArrays, first: int, last: int) -> dict[int, list[int] | None]:
        """For each regex read (by its index in the list given), the places in the text of
        tokens `first`..`last` where a match can begin, in increasing order, or None where
        the text must be searched whole (see the module notes)."""
        self._grow()
        found: dict[int, list[int] | None] = {n: [] for n in self.regexes}  # fmt: skip
        tokens = np.flatnonzero(~arrays.space[first:last]) + first
        if not len(tokens) or not self.regexes:
            return found
        types = arrays.type_of[tokens]
        flags = self._flags.rows[types]
        if flags[:, 5].any():
            return dict.fromkeys(self.regexes)
        whole = self._glued(arrays, tokens, flags)
        if len(whole) == len(self.regexes):
            return dict.fromkeys(self.regexes)
        width = self._width
        table = self._table.rows
        lead = np.flatnonzero(flags[:, 0])  # tokens a first segment begins
        rows, programs = np.nonzero(table[types[lead], :width])
        rows = lead[rows]
        if self.most >= 0 and len(rows):  # a second segment must begin a later token
            skip = self.skip[programs]
            follows = skip < 0
            for s in range(self.most + 1):
                after = rows + 1 + s
                inside = np.flatnonzero((after < len(types)) & (s <= skip))
                follows[inside] |= table[types[after[inside]], width + programs[inside]]
            rows, programs = rows[follows], programs[follows]
        if len(rows):
            offset = int(arrays.idx[first])
            places = (arrays.idx[tokens[rows]] - offset).tolist()
            for place, t, k in zip(places, types[rows].tolist(), programs.tolist(), strict=True):
                bucket = found[self.programs[k][0]]
                offsets = self._offsets[k].get(t)
                if offsets is None:
                    bucket.append(place)  # type: ignore[union-attr]
                else:
                    bucket.extend(place + o for o in offsets)  # type: ignore[union-attr]
        for n in whole:
            found[n] = None
        for n in self._branched:
            bucket = found[n]
            if bucket:
                found[n] = sorted(set(bucket))
        return found

    def _glued(self, arrays: DocArrays, tokens: np.ndarray, flags: np.ndarray) -> set[int]:
        """The regexes a match of whose segments may run over two tokens written together
        (both meeting characters word characters or ones the regex's segments take)."""
        apart = (arrays.flags[tokens[:-1]] & SPACE_AFTER).astype(bool)
        glued = (tokens[1:] == tokens[:-1] + 1) & ~apart
        if not glued.any():
            return set()
        ends = flags[:-1, 2] | flags[:-1, 4]
        begins = flags[1:, 1] | flags[1:, 3]
        risky = np.flatnonzero(glued & ends & begins)
        if not len(risky):
            return set()
        if (flags[:-1, 2][risky] & flags[1:, 1][risky]).any():
            return set(self.regexes)  # two words written together
        whole = set()
        for at in risky.tolist():
            end = TYPES.pairs[int(arrays.type_of[tokens[at]])][0][-1]
            begin = TYPES.pairs[int(arrays.type_of[tokens[at + 1]])][0][0]
            for n, taken in zip(self.regexes, self._taken, strict=True):
                if (end in taken or _WORD.match(end)) and (begin in taken or _WORD.match(begin)):
                    whole.add(n)
        return whole


#: A case-folded form the word tables can tell: `LITERAL_CHARS` only.
_PLAIN = regex.compile("[" + "".join(sorted(LITERAL_CHARS)) + "]+")


class _WordTable:
    """Segments spelled out in words (`Segment.words`): which of them a plain case-folded form
    (`_PLAIN`) passes, from its beginning: equal to a word, or beginning with a word that a
    form may go on after."""

    def __init__(self, segments: list[tuple[int, Segment | None]]) -> None:
        self.segments: set[int] = set()
        self._exact: dict[str, list[int]] = {}
        self._open: dict[str, list[int]] = {}
        for k, segment in segments:
            if segment is None or segment.words is None:
                continue
            self.segments.add(k)
            for word, goes_on in segment.words:
                table = self._open if goes_on else self._exact
                if k not in table.setdefault(word, []):
                    table[word].append(k)
        self._lengths = sorted({len(word) for word in self._open})
        #: the beginnings of the shortest length of the words a form may go on after: a form
        #: that does not begin with one begins with none of them (most forms)
        self._shortest = self._lengths[0] if self._lengths else 0
        self._gate = frozenset(word[: self._shortest] for word in self._open)

    def passed(self, folded: str) -> list[int]:
        found = list(self._exact.get(folded, ()))
        size = len(folded)
        if folded[: self._shortest] not in self._gate:
            return found
        for length in self._lengths:
            if length > size:
                break
            more = self._open.get(folded[:length])
            if more is not None:
                found.extend(more)
        return found
