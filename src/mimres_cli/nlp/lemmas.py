"""Lemma candidates for Norwegian Bokmål word forms, from Norsk Ordbank (via spacy-lookups-data).

DRAFT
"""

from __future__ import annotations

import functools
import gzip
import json
from dataclasses import dataclass
from importlib import resources

_POS_ORDER: tuple[str, ...] = ("noun", "verb", "adj", "adv")

# Bokmål inflection suffixes added to the shipped `nb_lemma_rules` (which lack e.g. the
# noun plural `-er` -> `` needed for `jobber` -> `jobb`).
_EXTRA_RULES: dict[str, tuple[tuple[str, str], ...]] = {
    "noun": (
        ("er", ""),
        ("ene", ""),
        ("en", ""),
        ("et", ""),
        ("a", ""),
        ("ne", ""),
        ("e", ""),
    ),
    "verb": (
        ("r", ""),
        ("s", ""),
        ("de", "e"),
        ("dde", ""),
        ("dd", ""),
        ("tt", ""),
    ),
    "adj": (
        ("t", ""),
        ("e", "t"),
    ),
}

_MIN_TAIL = 3
_MIN_PREFIX = 2


@dataclass(frozen=True)
class _Tables:
    forms: dict[str, dict[str, tuple[str, ...]]]  # pos -> form -> lemmas
    lemmas: dict[str, frozenset[str]]  # pos -> all lemmas of that pos
    rules: dict[str, tuple[tuple[str, str], ...]]  # pos -> (suffix, replacement)


def _read_json_gz(name: str) -> dict:
    path = resources.files("spacy_lookups_data") / "data" / name
    with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
        return json.load(fh)


@functools.cache
def _tables() -> _Tables:
    exc = _read_json_gz("nb_lemma_exc.json.gz")
    shipped_rules = _read_json_gz("nb_lemma_rules.json.gz")
    intern: dict[str, str] = {}
    forms: dict[str, dict[str, tuple[str, ...]]] = {}
    lemmas: dict[str, frozenset[str]] = {}
    rules: dict[str, tuple[tuple[str, str], ...]] = {}
    for pos in _POS_ORDER:
        table: dict[str, tuple[str, ...]] = {}
        for form, lems in exc.get(pos, {}).items():
            key = form.lower()
            key = intern.setdefault(key, key)
            new = tuple(intern.setdefault(lem.lower(), lem.lower()) for lem in lems)
            old = table.get(key)
            table[key] = new if old is None else tuple(dict.fromkeys(old + new))
        forms[pos] = table
        lemmas[pos] = frozenset(lem for lems in table.values() for lem in lems)
        pairs = [tuple(pair) for pair in shipped_rules.get(pos, [])]
        pairs += [pair for pair in _EXTRA_RULES.get(pos, ()) if pair not in pairs]
        rules[pos] = tuple(pairs)
    return _Tables(forms=forms, lemmas=lemmas, rules=rules)


def _exact(form: str) -> dict[str, tuple[str, ...]]:
    t = _tables()
    return {pos: t.forms[pos][form] for pos in _POS_ORDER if form in t.forms[pos]}


def _ruled(form: str, extra: bool = True) -> dict[str, tuple[str, ...]]:
    t = _tables()
    out: dict[str, tuple[str, ...]] = {}
    for pos in _POS_ORDER:
        found: list[str] = []
        rules = (
            t.rules[pos]
            if extra
            else tuple(tuple(p) for p in _read_json_gz("nb_lemma_rules.json.gz").get(pos, []))
        )
        for suffix, repl in rules:
            if suffix and form.endswith(suffix) and len(form) > len(suffix):
                cand = form[: -len(suffix)] + repl
            elif not suffix:
                cand = form
            else:
                continue
            if cand in t.lemmas[pos] and cand not in found:
                found.append(cand)
        if found:
            out[pos] = tuple(found)
    return out


def _is_known(form: str) -> bool:
    t = _tables()
    return any(form in t.forms[pos] for pos in _POS_ORDER)


def _tail_split(form: str) -> tuple[str, str] | None:
    for i in range(_MIN_PREFIX, len(form) - _MIN_TAIL + 1):
        tail = form[i:]
        if _is_known(tail):
            return form[:i], tail
    return None


@functools.lru_cache(maxsize=200_000)
def lemma_candidates(form: str) -> tuple[str, ...]:
    """Every lemma Norsk Ordbank allows for `form`, lowercased, most likely first; () when unknown."""
    form = form.lower()
    if not any(ch.isalpha() for ch in form):
        return ()
    out: list[str] = []
    for group in (_exact(form), _ruled(form)):
        for lems in group.values():
            out.extend(lems)
    if not out:
        split = _tail_split(form)
        if split:
            prefix, tail = split
            for group in (_exact(tail), _ruled(tail)):
                for lems in group.values():
                    out.extend(prefix + lem for lem in lems)
    return tuple(dict.fromkeys(out))
