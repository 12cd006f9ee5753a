"""spaCy's Matcher, for token patterns whose every test is already known per token.

`CodeMatcher` knows, for each token of a unit and each pattern token's tests of the word form
and lemma (`_TokenPatterns`), whether the token passes them. For patterns made of such tests
only, this module finds their matches as `spacy.matcher.Matcher` (each pattern added under its
own key with `greedy="LONGEST"`) returns them, without spaCy: `find_matches` follows the
Matcher's states token by token as its `find_matches`, `transition_states`, `get_action` and
`finish_states` do (spaCy 3.8, `spacy/matcher/matcher.pyx`), so the same matches come out in
the same order, and `longest` keeps, per key in the order of its first match, the longest
matches that overlap no kept one (`Matcher.__call__`). The order matters: two patterns of one
code can match the same tokens ("jobber i"), and the first of them is the one a hit list shows
first.

A state that cannot end in a match adds nothing to the output, so states start only where a
match of their pattern can start (`match_starts`, known from the arrays).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

#: spaCy's quantifiers: "1" one token, "*" zero or more, "?" zero or one, "!" a token that
#: fails the test (`_get_operators`: "+" is "1" then "*").
QUANTIFIERS = {None: ("1",), "1": ("1",), "*": ("*",), "+": ("1", "*"), "?": ("?",), "!": ("!",)}

# get_action's answers (the names of spacy/matcher/matcher.pyx)
_REJECT, _MATCH, _ADVANCE, _RETRY, _MATCH_EXTEND = 0, 1, 2, 3, 4
_RETRY_ADVANCE, _RETRY_EXTEND, _MATCH_REJECT, _MATCH_DOUBLE = 5, 6, 7, 8
_RETRIES = (_RETRY, _RETRY_ADVANCE, _RETRY_EXTEND)

#: A pattern as the Matcher runs it: (quantifier, spec) per step, spec a column of `sat`.
Program = Sequence[tuple[str, int]]


def program(steps: Sequence[tuple[int, str | None]]) -> list[tuple[str, int]]:
    """The steps (spec, OP) of a pattern as the Matcher's (quantifier, spec) steps."""
    return [(quantifier, spec) for spec, op in steps for quantifier in QUANTIFIERS[op]]


def _action(steps: Program, k: int, row: np.ndarray) -> int:
    quantifier, spec = steps[k]
    is_match = bool(row[spec])
    is_final = k == len(steps) - 1
    if quantifier == "!":
        is_match, quantifier = not is_match, "1"
    if quantifier == "1":
        if not is_match:
            return _REJECT
        return _MATCH if is_final else _ADVANCE
    if quantifier == "*":
        if is_match:
            return _MATCH_EXTEND if is_final else _RETRY_EXTEND
        return _MATCH_REJECT if is_final else _RETRY
    if is_match:  # "?"
        return _MATCH_DOUBLE if is_final else _RETRY_ADVANCE
    return _MATCH_REJECT if is_final else _RETRY


def find_matches(
    programs: Sequence[Program], sat: np.ndarray, starts: Sequence[Sequence[int]]
) -> list[tuple[int, int, int]]:
    """The Matcher's matches (key, start, end) over the tokens of `sat` (token × spec), in its
    order, before its greedy filter. `starts[i]` lists the keys (indices of `programs`) whose
    match can start at token i, in increasing order."""
    found: list[tuple[int, int, int]] = []  # (key, start, length)
    states: list[tuple[int, int, int, int]] = []  # (key, step, start, length)
    size = len(sat)
    i = 0
    while i < size:
        if not states:  # nothing open: on to the next token where a match can start
            while i < size and not starts[i]:
                i += 1
            if i == size:
                break
        row = sat[i]
        states.extend((key, 0, i, 0) for key in starts[i])
        kept: list[tuple[int, int, int, int]] = []
        added: list[tuple[int, int, int, int]] = []
        for key, k, start, length in states:
            steps = programs[key]
            action = _action(steps, k, row)
            if action == _REJECT:
                continue
            while action in _RETRIES:
                if action == _RETRY_EXTEND:
                    added.append((key, k, start, length + 1))
                elif action == _RETRY_ADVANCE:
                    added.append((key, k + 1, start, length + 1))
                k += 1
                action = _action(steps, k, row)
            if action == _ADVANCE:
                kept.append((key, k + 1, start, length + 1))
            elif action == _MATCH:
                found.append((key, start, length + 1))
            elif action == _MATCH_DOUBLE:
                if length > 0:
                    found.append((key, start, length))
                found.append((key, start, length + 1))
            elif action == _MATCH_REJECT:
                found.append((key, start, length))
            elif action == _MATCH_EXTEND:
                found.append((key, start, length))
                kept.append((key, k, start, length + 1))
        states = kept + added
        i += 1
    for key, k, start, length in states:  # states that end in zero-width steps
        steps = programs[key]
        while steps[k][0] in ("*", "?"):
            if k == len(steps) - 1:
                found.append((key, start, length))
                break
            k += 1
    seen: set[tuple[int, int, int]] = set()
    output = []
    for key, start, length in found:
        match = (key, start, start + length)
        if length > 0 and match not in seen:
            seen.add(match)
            output.append(match)
    return output


def longest(matches: Sequence[tuple[int, int, int]], size: int) -> list[tuple[int, int, int]]:
    """The Matcher's `greedy="LONGEST"` filter: per key (in the order of its first match), its
    matches from the longest (then the first), each kept when it shares no token with one
    kept before for that key."""
    by_key: dict[int, list[tuple[int, int]]] = {}
    for key, start, end in matches:
        by_key.setdefault(key, []).append((start, end))
    kept = []
    for key, pairs in by_key.items():
        taken = np.zeros(size, dtype=bool)
        for start, end in sorted(pairs, key=lambda p: (p[1] - p[0], -p[0]), reverse=True):
            if not taken[start:end].any():
                kept.append((key, start, end))
                taken[start:end] = True
    return kept


def match_starts(steps: Program, sat: np.ndarray) -> np.ndarray:
    """Whether a match of `steps` can start at each token of `sat` (token × spec): the tokens
    from which the steps can be followed to their end, read backwards as whole arrays. It may
    say yes where the only match is empty (the Matcher drops those)."""
    size = len(sat)
    places = np.ones(size + 1, dtype=bool)  # where what follows the step can begin

    def step(after: np.ndarray, column: np.ndarray) -> np.ndarray:
        before = np.zeros_like(after)
        before[:-1] = column & after[1:]
        return before

    for quantifier, spec in reversed(steps):
        column = ~sat[:, spec] if quantifier == "!" else sat[:, spec]
        once = step(places, column)
        if quantifier in ("1", "!"):
            places = once
        elif quantifier == "?":
            places = places | once
        else:  # "*"
            reached = places | once
            more = once & ~places
            while more.any():
                more = step(more, column) & ~reached
                reached |= more
            places = reached
    return places[:size]
